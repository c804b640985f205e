#!/usr/bin/env python3
"""End-to-end tests of the singdiv command.

Usage: test_cli.py PATH/TO/singdiv [PATH/TO/libsingdiv.so]

Each test writes its input files to a temporary directory, runs the
command and checks the exit status, the messages on stderr and the JSON
on stdout. With the shared library given, JSON values are compared for
equality with the values the library returns through ctypes (the command
prints 17 significant digits, so they read back as the same doubles);
closed forms written next to the cases check both.
"""
import ctypes
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

# The command runs without the Python process's preloaded sanitizer
# runtime: under AddressSanitizer CI preloads the shared runtime into
# Python (for the ctypes checks), while the command links its own.
CHILD_ENV = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "ASAN_OPTIONS")}

SINGDIV = os.path.abspath(sys.argv[1])
# SINGDIV_CLI_WRAPPER runs each command under a checker, for example
# "valgrind --error-exitcode=99 --leak-check=full", without wrapping Python.
WRAPPER = os.environ.get("SINGDIV_CLI_WRAPPER", "").split()
LIBRARY_PATH = sys.argv[2] if len(sys.argv) > 2 else None
WORKDIR = tempfile.mkdtemp(prefix="singdiv-cli-")
FAILURES = []


# --- the library through ctypes ---------------------------------------------

class Error(ctypes.Structure):
    _fields_ = [("status", ctypes.c_int), ("argument", ctypes.c_char_p),
                ("index", ctypes.c_size_t), ("value", ctypes.c_double)]


class Report(ctypes.Structure):
    _fields_ = [("value", ctypes.c_double), ("finite_part", ctypes.c_double),
                ("violating_mass", ctypes.c_double), ("violating_count", ctypes.c_size_t),
                ("reverse_mass", ctypes.c_double), ("reverse_count", ctypes.c_size_t),
                ("error", Error)]


class Options(ctypes.Structure):
    _fields_ = [("normalize", ctypes.c_int), ("base", ctypes.c_double),
                ("sum_tolerance", ctypes.c_double)]


class Singularity(ctypes.Structure):
    _fields_ = [("finite", ctypes.c_int), ("cause", ctypes.c_int), ("growth", ctypes.c_int),
                ("rate", ctypes.c_double), ("violating_mass", ctypes.c_double),
                ("violating_count", ctypes.c_size_t), ("reverse_mass", ctypes.c_double),
                ("reverse_count", ctypes.c_size_t), ("error", Error)]


# singdiv_divergence identifiers of the family (singdiv/singularity.h), by JSON key.
DIVERGENCE_IDS = {"renyi": 6, "renyi_max": 7, "pearson_chi2": 8, "neyman_chi2": 9,
                  "jeffreys": 10, "psi": 11, "total_variation": 12, "hellinger": 13,
                  "hellinger_squared": 14, "bhattacharyya_coefficient": 15,
                  "bhattacharyya_angle": 16, "skew_js": 17}
# The singdiv_singular_cause and singdiv_growth values as the JSON names them.
CAUSE_NAMES = ["none", "V", "F", "V and F", "disjoint supports"]
GROWTH_NAMES = ["none", "log", "inverse", "unrepaired"]
FAMILY_KEYS = ["renyi", "renyi_max", "pearson_chi2", "neyman_chi2", "jeffreys", "psi",
               "total_variation", "hellinger", "hellinger_squared",
               "bhattacharyya_coefficient", "bhattacharyya_angle", "skew_js"]
FAMILY_VALUE_KEYS = ["value", "finite_part", "infinite_on", "growth", "rate"]

LIB = ctypes.CDLL(os.path.abspath(LIBRARY_PATH)) if LIBRARY_PATH else None
if LIB is not None:
    LIB.singdiv_version_string.restype = ctypes.c_char_p


def library_report(name, p, q, normalize=False, base=0.0):
    """Calls singdiv_NAME on p and q (q None for the entropy) and returns the Report."""
    opt = Options(1 if normalize else 0, base, 1e-6)
    report = Report()
    n = len(p)
    p_array = (ctypes.c_double * n)(*p)
    if q is None:
        status = getattr(LIB, "singdiv_" + name)(p_array, ctypes.c_size_t(n),
                                                  ctypes.byref(opt), ctypes.byref(report))
    else:
        q_array = (ctypes.c_double * n)(*q)
        status = getattr(LIB, "singdiv_" + name)(p_array, q_array, ctypes.c_size_t(n),
                                                  ctypes.byref(opt), ctypes.byref(report))
    if status != 0:
        raise AssertionError("singdiv_%s returned status %d" % (name, status))
    return report


def library_family_report(name, p, q, parameter=None, normalize=False, base=0.0):
    """Calls singdiv_NAME of the family, with the order or weight when it takes one."""
    if parameter is None:
        return library_report(name, p, q, normalize, base)
    opt = Options(1 if normalize else 0, base, 1e-6)
    report = Report()
    n = len(p)
    status = getattr(LIB, "singdiv_" + name)((ctypes.c_double * n)(*p), (ctypes.c_double * n)(*q),
                                             ctypes.c_size_t(n), ctypes.c_double(parameter),
                                             ctypes.byref(opt), ctypes.byref(report))
    if status != 0:
        raise AssertionError("singdiv_%s returned status %d" % (name, status))
    return report


def library_singularity(key, p, q, order=0.0, normalize=False, base=0.0):
    """Calls singdiv_singularity_map with Q smoothed, as the command does."""
    opt = Options(1 if normalize else 0, base, 1e-6)
    out = Singularity()
    n = len(p)
    status = LIB.singdiv_singularity_map(ctypes.c_int(DIVERGENCE_IDS[key]),
                                         (ctypes.c_double * n)(*p), (ctypes.c_double * n)(*q),
                                         ctypes.c_size_t(n), ctypes.c_double(order),
                                         ctypes.c_int(0), ctypes.byref(opt), ctypes.byref(out))
    if status != 0:
        raise AssertionError("singdiv_singularity_map(%s) returned status %d" % (key, status))
    return out


# --- helpers -----------------------------------------------------------------

def write(name, content):
    """Writes content (str or bytes) to a file in the work directory and returns its path."""
    path = os.path.join(WORKDIR, name)
    with open(path, "wb") as f:
        f.write(content.encode() if isinstance(content, str) else content)
    return path


def run(*args, stdin=None):
    result = subprocess.run(WRAPPER + [SINGDIV] + list(args), input=stdin, capture_output=True, env=CHILD_ENV,
                            timeout=300)
    return result.returncode, result.stdout.decode("utf-8", "replace"), \
        result.stderr.decode("utf-8", "replace")


def run_json(*args):
    status, out, err = run(*args, "--json")
    check(status == 0, "exit status 0 for %s, got %d: %s" % (args, status, err))
    return json.loads(out)


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def check_equal(actual, expected, what):
    check(actual == expected, "%s: expected %r, got %r" % (what, expected, actual))


def check_close(actual, expected, what, rel=1e-14):
    check(actual == expected or abs(actual - expected) <= rel * abs(expected),
          "%s: expected %r, got %r" % (what, expected, actual))


def number(x):
    """Reads a JSON number, or the strings "inf" and "-inf" the command writes for infinities."""
    return float(x)


def check_against_library(doc, p, q, normalize=False, base=0.0):
    """Checks every divergence in a compare/text JSON object against the library."""
    if LIB is None:
        return
    pairs = [("entropy_p", "entropy", p, None), ("entropy_q", "entropy", q, None),
             ("js", "js", p, q), ("js_distance", "js_distance", p, q)]
    for key, name, a, b in pairs:
        r = library_report(name, a, b, normalize, base)
        check_equal(number(doc[key]), r.value, key)
    for key, a, b, rate in [("cross_entropy", p, q, "violating_mass"), ("kl_pq", p, q, "violating_mass"),
                            ("kl_qp", q, p, "violating_mass")]:
        name = "cross_entropy" if key == "cross_entropy" else "kl"
        r = library_report(name, a, b, normalize, base)
        check_equal(number(doc[key]["value"]), r.value, key + ".value")
        check_equal(number(doc[key]["finite_part"]), r.finite_part, key + ".finite_part")
        expected_rate = getattr(r, rate) if math.isinf(r.value) else 0.0
        check_equal(number(doc[key]["rate"]), expected_rate, key + ".rate")
    if doc["w1_index"] is not None:
        n = len(p)
        w1 = ctypes.c_double()
        opt = Options(1 if normalize else 0, base, 1e-6)
        status = LIB.singdiv_w1_hist((ctypes.c_double * n)(*range(n)), (ctypes.c_double * n)(*p),
                                     (ctypes.c_double * n)(*q), ctypes.c_size_t(n),
                                     ctypes.byref(opt), ctypes.byref(w1))
        check_equal(status, 0, "status of singdiv_w1_hist")
        check_equal(doc["w1_index"], w1.value, "w1_index")
    r = library_report("kl", p, q, normalize, base)
    check_equal(doc["violating"]["mass"], r.violating_mass, "violating.mass")
    check_equal(doc["violating"]["count"], r.violating_count, "violating.count")
    check_equal(doc["reverse"]["mass"], r.reverse_mass, "reverse.mass")
    check_equal(doc["reverse"]["count"], r.reverse_count, "reverse.count")
    check_family_against_library(doc["family"], p, q, normalize, base)


def check_family_value(entry, key, p, q, parameter, normalize, base, what):
    """Checks one member of "family" against the divergence and the singularity map."""
    r = library_family_report(key, p, q, parameter, normalize, base)
    check_equal(number(entry["value"]), r.value, what + ".value")
    check_equal(number(entry["finite_part"]), r.finite_part, what + ".finite_part")
    m = library_singularity(key, p, q, parameter or 0.0, normalize, base)
    check_equal(entry["infinite_on"], CAUSE_NAMES[m.cause], what + ".infinite_on")
    check_equal(entry["growth"], GROWTH_NAMES[m.growth], what + ".growth")
    check_equal(number(entry["rate"]), m.rate, what + ".rate")


def check_family_against_library(family, p, q, normalize=False, base=0.0):
    """Checks every value of a "family" object against the library."""
    check_equal(list(family.keys()), FAMILY_KEYS, "family keys in order")
    for key in FAMILY_KEYS:
        entries = family[key] if key == "renyi" else [family[key]]
        for entry in entries:
            check_equal([k for k in entry.keys() if k not in ("alpha", "pi")], FAMILY_VALUE_KEYS,
                        "keys of family.%s" % key)
            check_equal(entry["infinite_on"] == "none", number(entry["value"]) != math.inf,
                        "family.%s is infinite exactly when infinite_on names a set" % key)
    if LIB is None:
        return
    for entry in family["renyi"]:
        alpha = number(entry["alpha"])
        check_family_value(entry, "renyi", p, q, alpha, normalize, base,
                           "family.renyi[alpha=%r]" % alpha)
    for key in FAMILY_KEYS[1:-1]:
        check_family_value(family[key], key, p, q, None, normalize, base, "family." + key)
    skew = family["skew_js"]
    check_family_value(skew, "skew_js", p, q, skew["pi"], normalize, base, "family.skew_js")


def check_error(args, pattern, status=2, stdin=None):
    """Runs the command, expecting the exit status and a stderr line matching pattern."""
    actual, out, err = run(*args, stdin=stdin)
    check_equal(actual, status, "exit status of %s" % (args,))
    check(re.search(pattern, err) is not None,
          "stderr of %s should match %r, got %r" % (args, pattern, err))
    check_equal(out, "", "stdout of a failed run")


TESTS = []


def test(function):
    TESTS.append(function)
    return function


# --- top level -----------------------------------------------------------------

@test
def version_matches_library():
    status, out, _ = run("--version")
    check_equal(status, 0, "exit status")
    check(re.fullmatch(r"singdiv \d+\.\d+\.\d+\n", out) is not None, "version line: %r" % out)
    if LIB is not None:
        check_equal(out, "singdiv %s\n" % LIB.singdiv_version_string().decode(), "version")


@test
def help_on_every_level():
    for args in [["--help"], ["-h"], ["help"]]:
        status, out, _ = run(*args)
        check_equal(status, 0, "exit status of %s" % args)
        check("Usage: singdiv COMMAND" in out, "top-level usage in %r" % out)
    for command in ["compare", "text", "samples", "smooth", "demo"]:
        status, out, _ = run(command, "--help")
        check_equal(status, 0, "exit status of %s --help" % command)
        check(out.startswith("Usage: singdiv %s" % command), "usage of %s: %r" % (command, out))
        check("--json" in out, "--json in %s help" % command)
        if command != "samples":
            check("--base" in out, "--base in %s help" % command)
        if command in ["compare", "text", "demo"]:
            check("--renyi-alpha A" in out, "--renyi-alpha in %s help" % command)
            check("--skew PI" in out, "--skew in %s help" % command)


@test
def usage_errors_exit_2():
    p = write("u_p.txt", "0.5\n0.5\n")
    check_error([], r"Usage: singdiv COMMAND")
    check_error(["frobnicate"], r"unknown command 'frobnicate'")
    check_error(["compare", p], r"compare: expected 2 files, got 1")
    check_error(["compare", p, p, p], r"unexpected argument .* \(at most 2 files\)")
    check_error(["compare", "--bogus", p, p], r"unknown option '--bogus'")
    check_error(["compare", "-x", p, p], r"unknown option '-x'")
    check_error(["compare", p, p, "--base"], r"option '--base' needs a value")
    check_error(["compare", "--json=yes", p, p], r"option '--json' takes no value")
    check_error(["compare", "--base", "1", p, p], r"invalid value '1' for --base")
    check_error(["compare", "--base", "0.5", p, p], r"invalid value '0.5' for --base: the base must be greater than 1")
    check_error(["compare", "--base", "-2", p, p], r"invalid value '-2' for --base")
    check_error(["compare", "--base", "two", p, p], r"invalid value 'two' for --base")
    check_error(["compare", "--top", "-1", p, p], r"invalid value '-1' for --top")
    check_error(["compare", "--tolerance", "nan", p, p], r"invalid value 'nan' for --tolerance")
    check_error(["text", "--unit", "line", p, p], r"invalid value 'line' for --unit")
    check_error(["demo", p], r"unexpected argument")


@test
def write_error_exits_1():
    if not os.path.exists("/dev/full"):
        return
    with open("/dev/full", "wb") as full:
        result = subprocess.run(WRAPPER + [SINGDIV, "demo", "--embedded"], stdout=full, env=CHILD_ENV,
                                stderr=subprocess.PIPE, timeout=60)
    check_equal(result.returncode, 1, "exit status")
    check(b"writing to standard output failed: No space left on device" in result.stderr,
          "message: %r" % result.stderr)


# --- compare -------------------------------------------------------------------

COMPARE_KEYS = ["command", "version", "unit", "base", "normalize", "labelled", "n", "p", "q",
                "entropy_p", "entropy_q", "cross_entropy", "kl_pq", "kl_qp", "js",
                "js_distance", "w1_index", "violating", "reverse", "smoothing", "family"]


@test
def compare_numbers_json():
    # p = (0.3, 0.3, 0.4), q = (0.5, 0.5, 0): V = {2} with mass 0.4, so KL(p || q)
    # is infinite with rate 0.4, and KL(q || p) = ln(0.5/0.3) = 0.5108256237659907.
    # JS: m = (0.4, 0.4, 0.2); (0.6 ln(3/4) + 0.4 ln 2 + ln(5/4)) / 2 = 0.16389659003355966.
    p = write("c_p.txt", "0.3\n0.3\n0.4\n")
    q = write("c_q.txt", "0.5 0.5 0\n")
    doc = run_json("compare", p, q)
    check_equal(list(doc.keys()), COMPARE_KEYS, "top-level keys in order")
    check_equal(doc["command"], "compare", "command")
    check_equal(doc["unit"], "nats", "unit")
    check_equal(doc["n"], 3, "n")
    check_equal(doc["labelled"], False, "labelled")
    check_equal(doc["p"], {"file": p, "sum": 1}, "p")
    check_equal(doc["kl_pq"]["value"], "inf", "KL(p || q) is written as \"inf\"")
    check_close(doc["kl_pq"]["rate"], 0.4, "rate of KL(p || q)")
    check_close(doc["kl_qp"]["value"], 0.5108256237659907, "KL(q || p)")
    check_close(doc["js"], 0.16389659003355966, "JS")
    check_close(doc["js_distance"], math.sqrt(0.16389659003355966), "JS distance")
    # CDFs (0.3, 0.6, 1) and (0.5, 1, 1): W1 = 0.2 + 0.4 with unit steps.
    check_close(doc["w1_index"], 0.6, "W1 on the index line")
    check_equal(doc["violating"]["count"], 1, "violating count")
    check_equal(doc["violating"]["top"], [{"index": 2, "mass": 0.4}], "violating top")
    check_equal(doc["reverse"], {"mass": 0, "count": 0, "top": []}, "reverse set")
    check_against_library(doc, [0.3, 0.3, 0.4], [0.5, 0.5, 0.0])


@test
def compare_labels_align_by_hash():
    # Labels in different orders, one missing on each side: p(b) = 0.2 has no
    # q, q(d) = 0.1 has no p.
    p = write("l_p.txt", "a 0.5\nb 0.2\nc 0.3\n")
    q = write("l_q.txt", "c 0.3\nd 0.1\na 0.6\n")
    doc = run_json("compare", p, q)
    check_equal(doc["labelled"], True, "labelled")
    check_equal(doc["n"], 4, "n counts the union of labels")
    check_equal(doc["w1_index"], None, "no W1 for unordered labels")
    check_equal(doc["violating"]["top"], [{"index": 1, "label": "b", "mass": 0.2}], "V")
    check_equal(doc["reverse"]["top"], [{"index": 3, "label": "d", "mass": 0.1}], "F")
    check_close(doc["kl_qp"]["rate"], 0.1, "rate of KL(q || p)")
    # Label order is first appearance: a, b, c from p, then d from q.
    check_against_library(doc, [0.5, 0.2, 0.3, 0.0], [0.6, 0.0, 0.3, 0.1])


@test
def compare_numeric_labels_with_flag():
    p = write("nl_p.txt", "10 0.5\n20 0.5\n")
    q = write("nl_q.txt", "20 1\n")
    doc = run_json("compare", "--labels", p, q)
    check_equal(doc["violating"]["top"], [{"index": 0, "label": "10", "mass": 0.5}], "V")
    status, _, err = run("compare", p, q)
    check_equal(status, 2, "without --labels two numbers per line are two values")
    check("has 4 values but" in err, "length mismatch message: %r" % err)


@test
def compare_normalize_and_base_2():
    # Counts (1, 1, 1, 1) and (1, 1, 2, 0): H(p) = 2 bits exactly; q = (1/4, 1/4, 1/2, 0).
    p = write("n_p.txt", "1,1,1,1\n")
    q = write("n_q.txt", "1\t1\t2\t0\n")
    doc = run_json("compare", "--normalize", "--base", "2", p, q)
    check_equal(doc["unit"], "bits", "unit")
    check_equal(doc["base"], 2, "base")
    check_equal(doc["entropy_p"], 2.0, "entropy in bits")
    check_equal(doc["p"]["sum"], 4, "sum of the counts")
    check_close(doc["violating"]["mass"], 0.25, "violating mass")
    check_close(doc["kl_qp"]["value"], 0.5, "KL(q || p) in bits: 1/2 log2(2)")
    check_against_library(doc, [1, 1, 1, 1], [1, 1, 2, 0], normalize=True, base=2.0)


@test
def compare_text_output_explains_infinity():
    p = write("t_p.txt", "0.3\n0.3\n0.4\n")
    q = write("t_q.txt", "0.5\n0.5\n0\n")
    status, out, err = run("compare", p, q)
    check_equal(status, 0, "exit status")
    check_equal(err, "", "stderr")
    check(re.search(r"KL\(P \|\| Q\)\s+inf\s+rate 0\.4\b", out) is not None, "KL line: %r" % out)
    check(re.search(r"JS divergence\s+0\.163897", out) is not None, "JS line")
    check("1 entry, mass 0.4 of P" in out, "violating set summary")
    check(re.search(r"index 2\s+0\.4", out) is not None, "violating entry")


@test
def compare_top_limits_listing():
    # p uniform on 6 entries, q only on the first: V holds 5 entries of mass 1/6 each;
    # ties are listed by increasing index.
    p = write("k_p.txt", "1 1 1 1 1 1\n")
    q = write("k_q.txt", "1 0 0 0 0 0\n")
    doc = run_json("compare", "--normalize", "--top", "2", p, q)
    check_equal(doc["violating"]["count"], 5, "count")
    check_equal([e["index"] for e in doc["violating"]["top"]], [1, 2], "top 2 by index")
    doc = run_json("compare", "--normalize", "--top", "0", p, q)
    check_equal(doc["violating"]["top"], [], "--top 0 lists nothing")


@test
def compare_reads_stdin():
    q = write("s_q.txt", "0.5\n0.5\n")
    result = subprocess.run(WRAPPER + [SINGDIV, "compare", "--json", "-", q], input=b"0.5\n0.5\n", env=CHILD_ENV,
                            capture_output=True, timeout=60)
    check_equal(result.returncode, 0, "exit status")
    check_equal(json.loads(result.stdout)["kl_pq"]["value"], 0, "KL of equal inputs")


@test
def compare_file_formats():
    # The same distribution (0.25, 0.75) written in every accepted layout.
    q = write("f_q.txt", "0.5\n0.5\n")
    variants = {
        "crlf": b"0.25\r\n0.75\r\n",
        "no_newline": b"0.25\n0.75",
        "comments": b"# header\n0.25 # first\n\n   # indented comment\n0.75\n",
        "commas": b"0.25,0.75\n",
        "tabs": b"\t0.25\t\t0.75\t\n",
        "exponents": b"2.5e-1 7.5E-1\n",
        "only_cr_before_eof": b"0.25\n0.75\r",
    }
    expected = None
    for name, content in variants.items():
        doc = run_json("compare", write("f_%s.txt" % name, content), q)
        if expected is None:
            expected = doc["kl_pq"]["value"]
        check_equal(doc["kl_pq"]["value"], expected, "KL for layout %s" % name)
        check_equal(doc["n"], 2, "n for layout %s" % name)


@test
def compare_very_long_line_and_label():
    # 200 000 values on one line (about 1.4 MB) and a label of 1 MB: no line limit.
    n = 200000
    line = " ".join(["1"] * n) + "\n"
    p = write("long_p.txt", line)
    doc = run_json("compare", "--normalize", p, p)
    check_equal(doc["n"], n, "n")
    check_equal(doc["kl_pq"]["value"], 0, "KL of a file with itself")
    label = "x" * (1 << 20)
    lp = write("long_label_p.txt", "%s 0.5\nb 0.5\n" % label)
    lq = write("long_label_q.txt", "b 1\n")
    doc = run_json("compare", lp, lq)
    check_equal(doc["violating"]["top"][0]["label"], label, "long label")


@test
def compare_ten_million_numbers():
    # 10^7 counts per file (20 MB each): reading is linear and streaming.
    # SINGDIV_CLI_SKIP_LARGE=1 skips this case, for runs under valgrind.
    if os.environ.get("SINGDIV_CLI_SKIP_LARGE") == "1":
        return
    n = 10 ** 7
    p = write("big_p.txt", b"1\n" * n)
    q = write("big_q.txt", b"1\n" * (n - 1) + b"0\n")
    doc = run_json("compare", "--normalize", p, q)
    check_equal(doc["n"], n, "n")
    check_equal(doc["violating"]["count"], 1, "one violating entry")
    check_equal(doc["violating"]["top"][0]["index"], n - 1, "the last entry")
    check_close(doc["violating"]["mass"], 1e-7, "violating mass 1/n", rel=1e-12)
    os.remove(p)
    os.remove(q)


@test
def compare_input_errors():
    good = write("e_good.txt", "0.5\n0.5\n")
    good3 = write("e_good3.txt", "0.5\n0.25\n0.25\n")
    labelled = write("e_lab.txt", "a 0.5\nb 0.5\n")
    cases = [
        ("not_number.txt", "0.5\n0.5x\n", r"not_number\.txt:2:1: '0\.5x' is not a number"),
        ("nan.txt", "0.5\nnan\n", r"nan\.txt:2:1: 'nan' is NaN"),
        ("inf.txt", "0.5 inf\n", r"inf\.txt:1:5: 'inf' is infinite"),
        ("negative.txt", "0.5\n  -0.5\n", r"negative\.txt:2:3: '-0\.5' is negative"),
        ("overflow.txt", "1e400\n0.5\n", r"overflow\.txt:1:1: '1e400' is out of the range"),
        ("underflow.txt", "1e-400\n1\n", r"underflow\.txt:1:1: '1e-400' underflows to 0"),
        ("nul.txt", b"0.5\n0.\x005\n", r"nul\.txt:2:3: control byte 0x00"),
        ("binary.txt", bytes(range(256)), r"binary\.txt:1:1: control byte 0x00"),
        ("empty.txt", "", r"empty\.txt: no values"),
        ("comments.txt", "# nothing\n\n  # here\n", r"comments\.txt: no values"),
        ("sum.txt", "0.5\n0.4\n", r"sum\.txt: values sum to 0\.9[0-9]*, not 1 .*--normalize"),
        ("zero.txt", "0\n0\n", r"zero\.txt: all values are 0"),
        ("length.txt", "0.25 0.25 0.5\n", r"length\.txt has 3 values but .* has 2"),
    ]
    for name, content, pattern in cases:
        path = write(name, content)
        check_error(["compare", path, good], pattern)
    check_error(["compare", good, good3], r"has 2 values but .*e_good3\.txt has 3")
    check_error(["compare", labelled, good], r"e_lab\.txt contains 'label value' lines but")
    check_error(["compare", write("dup.txt", "a 0.5\nb 0.25\na 0.25\n"), labelled],
                r"dup\.txt:3:1: label 'a' appears again \(first on line 1\)")
    check_error(["compare", write("novalue.txt", "a 0.5\nb\n"), labelled],
                r"novalue\.txt:2:1: label 'b' has no value")
    check_error(["compare", write("third.txt", "a 0.5 0.5\n"), labelled],
                r"third\.txt:1:7: unexpected third field '0\.5'")
    check_error(["compare", write("badvalue.txt", "a 0.5\nb half\n"), labelled],
                r"badvalue\.txt:2:3: 'half' is not a number")
    check_error(["compare", os.path.join(WORKDIR, "missing.txt"), good],
                r"missing\.txt: cannot open: No such file")
    check_error(["compare", WORKDIR, good], r"read failed: Is a directory")


# --- the divergence family in compare, text and demo ---------------------------

@test
def family_defaults_match_library():
    # No zeros: every value of the family is finite.
    p = write("fd_p.txt", "0.2\n0.3\n0.5\n")
    q = write("fd_q.txt", "0.4\n0.4\n0.2\n")
    doc = run_json("compare", p, q)
    family = doc["family"]
    check_equal([e["alpha"] for e in family["renyi"]], [0.5, 2], "default Renyi orders")
    check_equal(family["skew_js"]["pi"], 0.5, "default skew weight")
    check_equal(family["skew_js"]["value"], doc["js"], "skewed JS at pi = 1/2 is JS here")
    for key in FAMILY_KEYS[1:]:
        check_equal(family[key]["infinite_on"], "none", "%s is finite" % key)
    # TV = (0.2 + 0.1 + 0.3) / 2.
    check_close(family["total_variation"]["value"], 0.3, "total variation")
    check_equal(family["psi"], family["jeffreys"], "PSI is the Jeffreys divergence")
    check_against_library(doc, [0.2, 0.3, 0.5], [0.4, 0.4, 0.2])


@test
def family_orders_and_base_match_library():
    p = write("fo_p.txt", "1 2 3 0\n")
    q = write("fo_q.txt", "2 2 1 1\n")
    doc = run_json("compare", "--normalize", "--base", "2", "--renyi-alpha", "3",
                   "--renyi-alpha", "0.25,1,inf", "--skew", "0.3", p, q)
    family = doc["family"]
    check_equal([e["alpha"] for e in family["renyi"]], [3, 0.25, 1, "inf"],
                "orders in command-line order")
    check_equal(family["skew_js"]["pi"], 0.3, "skew weight")
    # F = {3} only: Neyman is infinite on F and never repaired by smoothing Q.
    check_equal(family["neyman_chi2"]["infinite_on"], "F", "Neyman on F")
    check_equal(family["neyman_chi2"]["growth"], "unrepaired", "Neyman growth")
    check_equal(family["neyman_chi2"]["rate"], "inf", "Neyman rate")
    check_equal(family["jeffreys"]["infinite_on"], "F", "Jeffreys on F")
    check_equal(family["pearson_chi2"]["infinite_on"], "none", "Pearson finite")
    check_equal(family["renyi"][2]["value"], doc["kl_pq"]["value"], "Renyi of order 1 is KL")
    check_equal(family["renyi"][3]["value"], family["renyi_max"]["value"],
                "Renyi of order inf is the max-divergence")
    check_against_library(doc, [1, 2, 3, 0], [2, 2, 1, 1], normalize=True, base=2.0)


@test
def family_pearson_on_v_neyman_on_f():
    # p = (0.5, 0.5, 0), q = (0.5, 0, 0.5): V = {1}, F = {2}.
    p = write("fv_p.txt", "0.5\n0.5\n0\n")
    q = write("fv_q.txt", "0.5\n0\n0.5\n")
    doc = run_json("compare", p, q)
    family = doc["family"]
    pearson = family["pearson_chi2"]
    check_equal(pearson["value"], "inf", "Pearson value")
    check_equal(pearson["infinite_on"], "V", "Pearson on V")
    check_equal(pearson["growth"], "inverse", "Pearson grows like rate / eps")
    # rate = n * sum over V of x_i^2 = 3 * 0.25; the finite part (0 - 0.5)^2 / 0.5.
    check_close(pearson["rate"], 0.75, "Pearson rate")
    check_close(pearson["finite_part"], 0.5, "Pearson finite part")
    neyman = family["neyman_chi2"]
    check_equal(neyman["value"], "inf", "Neyman value")
    check_equal(neyman["infinite_on"], "F", "Neyman on F")
    check_equal(neyman["growth"], "unrepaired", "Neyman growth")
    check_close(neyman["finite_part"], 0.5, "Neyman finite part")
    check_equal(family["jeffreys"]["infinite_on"], "V and F", "Jeffreys on V and F")
    check_equal(family["renyi"][0]["infinite_on"], "none", "Renyi 0.5 finite: supports meet")
    # D_0.5 = -2 ln(sum sqrt(x_i y_i)) = -2 ln(0.5).
    check_close(family["renyi"][0]["value"], 2 * math.log(2), "Renyi 0.5")
    check_equal(family["renyi"][1]["infinite_on"], "V", "Renyi 2 on V")
    check_against_library(doc, [0.5, 0.5, 0.0], [0.5, 0.0, 0.5])
    status, out, _ = run("compare", p, q)
    check_equal(status, 0, "exit status")
    check(re.search(r"Pearson chi2\(P \|\| Q\)\s+inf\s+on V, grows like 0\.75 / eps", out)
          is not None, "Pearson line in %r" % out)
    check(re.search(r"Neyman chi2\(P \|\| Q\)\s+inf\s+on F, stays inf", out) is not None,
          "Neyman line")
    check(re.search(r"Jeffreys J\(P, Q\)\s+inf\s+on V and F", out) is not None, "Jeffreys line")
    check(re.search(r"Renyi D_0\.5\(P \|\| Q\)\s+1\.38629\n", out) is not None,
          "Renyi 0.5 line")


@test
def family_disjoint_supports():
    p = write("fj_p.txt", "0.5\n0.5\n0\n0\n")
    q = write("fj_q.txt", "0\n0\n0.25\n0.75\n")
    doc = run_json("compare", "--skew", "0.25", p, q)
    family = doc["family"]
    check_equal(family["total_variation"]["value"], 1, "TV = 1")
    check_equal(family["hellinger"]["value"], 1, "Hellinger = 1")
    check_equal(family["hellinger_squared"]["value"], 1, "squared Hellinger = 1")
    check_equal(family["bhattacharyya_coefficient"]["value"], 0, "BC = 0")
    check_equal(family["bhattacharyya_angle"]["value"], math.pi / 2, "angle = pi/2")
    h = -0.25 * math.log(0.25) - 0.75 * math.log(0.75)
    check_close(family["skew_js"]["value"], h, "skewed JS = h(pi) for disjoint supports")
    check_equal(family["renyi"][0]["value"], "inf", "Renyi 0.5")
    check_equal(family["renyi"][0]["infinite_on"], "disjoint supports", "Renyi 0.5 cause")
    check_equal(family["renyi"][1]["infinite_on"], "V", "Renyi 2 cause")
    for key in ["total_variation", "hellinger", "bhattacharyya_angle", "skew_js"]:
        check_equal(family[key]["infinite_on"], "none", "%s stays finite" % key)
    check_against_library(doc, [0.5, 0.5, 0.0, 0.0], [0.0, 0.0, 0.25, 0.75])
    status, out, _ = run("compare", p, q)
    check(re.search(r"Renyi D_0\.5\(P \|\| Q\)\s+inf\s+on disjoint supports", out)
          is not None, "Renyi 0.5 line in %r" % out)
    check(re.search(r"total variation TV\s+1\n", out) is not None, "TV line")
    check(re.search(r"Bhattacharyya angle\s+1\.5708\d*\n", out) is not None, "angle line")


@test
def family_option_errors_exit_2():
    p = write("fe_p.txt", "0.5\n0.5\n")
    for value in ["0", "-1", "-inf", "nan", "NaN", "two", "", "0.5,", "0.5,,2", "2x", "0.5;2"]:
        check_error(["compare", "--renyi-alpha", value, p, p],
                    r"compare: invalid order '[^']*' in --renyi-alpha '%s': expected a Renyi "
                    r"order alpha > 0" % re.escape(value))
    check_error(["compare", "--renyi-alpha", "1", "--renyi-alpha=0", p, p],
                r"invalid order '0' in --renyi-alpha '0'")
    check_error(["compare", "--renyi-alpha", ",".join(["1"] * 33), p, p],
                r"too many Renyi orders in --renyi-alpha: at most 32")
    for value in ["0", "1", "-0.5", "1.5", "nan", "inf", "half", ""]:
        check_error(["compare", "--skew", value, p, p],
                    r"compare: invalid value '%s' for --skew: expected a weight pi with "
                    r"0 < pi < 1" % re.escape(value))
    check_error(["compare", p, p, "--skew"], r"option '--skew' needs a value")
    check_error(["text", "--renyi-alpha", "0", p, p], r"text: invalid order '0' in --renyi-alpha")
    check_error(["demo", "--skew", "1"], r"demo: invalid value '1' for --skew")
    status, _, err = run("compare", "--renyi-alpha", ",".join(["1"] * 32), p, p)
    check_equal(status, 0, "32 orders are accepted: %s" % err)


@test
def family_in_text_and_demo():
    a = write("ft_a.txt", "the cat sat on the mat\n")
    b = write("ft_b.txt", "the dog lay on the mat\n")
    doc = run_json("text", "--renyi-alpha", "0.5,3", "--skew", "0.75", a, b)
    check_equal([e["alpha"] for e in doc["family"]["renyi"]], [0.5, 3], "orders")
    check_equal(doc["family"]["jeffreys"]["infinite_on"], "V and F", "Jeffreys on V and F")
    # Label order: the, cat, sat, on, mat from A, then dog, lay from B.
    check_against_library(doc, [2, 1, 1, 1, 1, 0, 0], [2, 0, 0, 1, 1, 1, 1], normalize=True)
    doc = run_json("demo", "--embedded")
    check_equal(doc["family"]["pearson_chi2"]["infinite_on"], "V", "Pearson on the missing words")
    check_equal(list(doc["family"].keys()), FAMILY_KEYS, "demo family keys")


@test
def smooth_has_no_family():
    p = write("sf_p.txt", "0.5\n0.5\n")
    doc = run_json("smooth", p, p)
    check("family" not in doc, "smooth prints no family section")


# --- smooth and the expansion in compare ----------------------------------------

def smoothed_ce(eps):
    """CE(p, q_eps) for p = (0.3, 0.3, 0.4), q = (0.5, 0.5, 0), r uniform on 3 entries, in nats."""
    return -0.6 * math.log((1 - eps) * 0.5 + eps / 3) - 0.4 * math.log(eps / 3)


# For that pair (see compare_numbers_json): m_V = 0.4; C = 0.4 ln 3 + 0.6 ln 2;
# D = 0.6 (1 - (1/3) / 0.5) = 0.2; E = 0.6 (2/3 - 1)^2 / 2 = 1/30; the threshold
# is q_0 / r_0 = 0.5 / (1/3) = 1.5; H(p) = -0.6 ln 0.3 - 0.4 ln 0.4.
EXPANSION_C = 0.4 * math.log(3) + 0.6 * math.log(2)
ENTROPY_P = -0.6 * math.log(0.3) - 0.4 * math.log(0.4)


@test
def compare_reports_smoothing_expansion():
    p = write("x_p.txt", "0.3\n0.3\n0.4\n")
    q = write("x_q.txt", "0.5\n0.5\n0\n")
    doc = run_json("compare", p, q)
    s = doc["smoothing"]
    check_equal(list(s.keys()), ["reference", "slope", "finite_part_cross_entropy",
                                 "finite_part_kl", "first_order", "second_order", "threshold"],
                "smoothing keys")
    check_equal(s["reference"], "uniform", "reference")
    check_close(s["slope"], 0.4, "slope is the violating mass")
    check_close(s["finite_part_cross_entropy"], EXPANSION_C, "C")
    check_close(s["finite_part_kl"], EXPANSION_C - ENTROPY_P, "C - H(p)", rel=1e-13)
    check_close(s["first_order"], 0.2, "D")
    check_close(s["second_order"], 1 / 30, "E")
    check_close(s["threshold"], 1.5, "threshold")
    status, out, _ = run("compare", p, q)
    check(re.search(r"CE\(P, Q_eps\)\s+= 0\.4 log\(1/eps\) \+ 0\.855333 \+ 0\.2 eps", out)
          is not None, "expansion line in %r" % out)


@test
def smooth_table_and_json():
    p = write("sm_p.txt", "0.3\n0.3\n0.4\n")
    q = write("sm_q.txt", "0.5\n0.5\n0\n")
    doc = run_json("smooth", p, q)
    check_equal(list(doc.keys()), ["command", "version", "unit", "base", "n", "p_file", "q_file",
                                   "reference", "violating_mass", "violating_count",
                                   "expansion_cross_entropy", "expansion_kl", "points"], "keys")
    points = doc["points"]
    check_equal([pt["eps"] for pt in points], [10.0 ** -k for k in range(1, 13)],
                "default eps from 1e-1 to 1e-12")
    for pt in points:
        eps = pt["eps"]
        check_close(pt["cross_entropy"], smoothed_ce(eps), "CE at eps %g" % eps, rel=1e-13)
        check_close(pt["kl"], smoothed_ce(eps) - ENTROPY_P, "KL at eps %g" % eps, rel=1e-12)
        slope = 0.4 + eps * 0.6 * (1 / 3 - 0.5) / ((1 - eps) * 0.5 + eps / 3)
        check_close(pt["slope"], slope, "slope at eps %g" % eps, rel=1e-13)
        check_close(pt["log_inverse_eps"], -math.log(eps), "log(1/eps)")
        check_close(pt["epsilon_part"], 0.4 * -math.log(eps), "epsilon part", rel=1e-13)
        check_close(pt["epsilon_share_cross_entropy"], 0.4 * -math.log(eps) / smoothed_ce(eps),
                    "share of eps in CE", rel=1e-12)
        # The expansion up to E eps^2 misses O(eps^3) terms.
        check(abs(pt["expansion"] - smoothed_ce(eps)) <= 0.01 * eps ** 3 + 1e-14,
              "expansion at eps %g: %r vs %r" % (eps, pt["expansion"], smoothed_ce(eps)))
    status, out, _ = run("smooth", "--eps-max", "0.5", "--eps-min", "0.005", "--per-decade", "2",
                         p, q)
    check_equal(status, 0, "exit status")
    rows = [line.split() for line in out.splitlines() if not line.startswith("#")]
    check_equal(len(rows), 5, "rows from 0.5 to 0.005 at 2 per decade")
    check_close(float(rows[0][2]), smoothed_ce(0.5), "CE column of the table", rel=1e-11)


@test
def smooth_base_2_and_errors():
    p = write("sb_p.txt", "0.3\n0.3\n0.4\n")
    q = write("sb_q.txt", "0.5\n0.5\n0\n")
    doc = run_json("smooth", "--base", "2", "--eps-min", "1e-3", p, q)
    check_equal(len(doc["points"]), 3, "three eps values")
    check_close(doc["points"][0]["cross_entropy"], smoothed_ce(0.1) / math.log(2), "CE in bits",
                rel=1e-13)
    check_close(doc["points"][0]["slope"], 0.4 + 0.1 * 0.6 * (1 / 3 - 0.5) / 0.48333333333333334,
                "slope does not depend on the base", rel=1e-13)
    check_error(["smooth", "--eps-max", "1", p, q], r"invalid value '1' for --eps-max")
    check_error(["smooth", "--eps-max", "0", p, q], r"invalid value '0' for --eps-max")
    check_error(["smooth", "--eps-min", "0.5", p, q], r"--eps-min 0\.5 is larger than --eps-max")
    check_error(["smooth", "--per-decade", "0", p, q], r"invalid value '0' for --per-decade")
    check_error(["smooth", p, write("sb_bad.txt", "0.5\n0.5\n0.5\n")], r"values sum to 1\.5")


# --- samples ---------------------------------------------------------------------

@test
def samples_closed_forms():
    # W1 of (1, 2, 3, 54) and (1, 2, 3, 4): the sorted samples differ only in
    # the last point, by 50, with weight 1/4: W1 = 12.5.
    x = write("s_x.txt", "1\n2\n3\n54\n")
    y = write("s_y.txt", "1\n2\n3\n4\n")
    doc = run_json("samples", "--permutations", "0", x, y)
    check_equal(list(doc.keys()), ["command", "version", "d", "x", "y", "w1", "kernel",
                                   "mmd2_biased", "mmd2_unbiased", "test"], "keys")
    check_equal(doc["w1"], 12.5, "W1")
    check_equal(doc["test"], None, "no test with 0 permutations")
    # X = (0, 2), Y = (0.9, 1.1), Gaussian kernel with h = 1:
    # unbiased = e^-2 + e^-0.02 - e^-0.405 - e^-0.605 (the diagonal left out),
    # biased = (2 + 2 e^-2) / 4 + (2 + 2 e^-0.02) / 4 - (2 e^-0.405 + 2 e^-0.605) / 2.
    x = write("m_x.txt", "0\n2\n")
    y = write("m_y.txt", "0.9\n1.1\n")
    doc = run_json("samples", "--bandwidth", "1", "--permutations", "0", x, y)
    unbiased = math.exp(-2) + math.exp(-0.02) - math.exp(-0.405) - math.exp(-0.605)
    biased = (1 + math.exp(-2)) / 2 + (1 + math.exp(-0.02)) / 2 \
        - (math.exp(-0.405) + math.exp(-0.605))
    check_close(doc["mmd2_unbiased"], unbiased, "unbiased MMD^2 stays negative", rel=1e-13)
    check_close(doc["mmd2_biased"], biased, "biased MMD^2", rel=1e-13)
    check_equal(doc["kernel"], {"type": "gaussian", "bandwidth": 1, "bandwidth_rule": "given"},
                "kernel")


@test
def samples_test_is_reproducible():
    x = write("r_x.txt", "".join("%d\n" % (i % 7) for i in range(40)))
    y = write("r_y.txt", "".join("%d %s\n" % (i % 5, "# comment") for i in range(30)))
    first = run_json("samples", "--seed", "42", "--permutations", "200", x, y)
    second = run_json("samples", "--seed", "42", "--permutations", "200", x, y)
    check_equal(first, second, "same seed, same output")
    t = first["test"]
    check_equal(t["estimator"], "unbiased", "estimator")
    check_equal(t["permutations"], 200, "permutations")
    check_equal(t["p_value"], (1 + t["exceed_count"]) / 201, "p-value formula")
    check_equal(first["kernel"]["bandwidth_rule"], "median", "median heuristic")
    if LIB is not None:
        # The pooled sample has 70 points, below the 2000-point cap: the plain median.
        xs = [float(i % 7) for i in range(40)]
        ys = [float(i % 5) for i in range(30)]
        h = ctypes.c_double()
        status = LIB.singdiv_median_bandwidth((ctypes.c_double * 40)(*xs), ctypes.c_size_t(40),
                                              (ctypes.c_double * 30)(*ys), ctypes.c_size_t(30),
                                              ctypes.c_size_t(1), ctypes.byref(h))
        check_equal(status, 0, "status of singdiv_median_bandwidth")
        check_equal(first["kernel"]["bandwidth"], h.value, "bandwidth from the library")
        w1 = ctypes.c_double()
        status = LIB.singdiv_w1_samples((ctypes.c_double * 40)(*xs), None, ctypes.c_size_t(40),
                                        (ctypes.c_double * 30)(*ys), None, ctypes.c_size_t(30),
                                        ctypes.byref(w1))
        check_equal(status, 0, "status of singdiv_w1_samples")
        check_equal(first["w1"], w1.value, "W1 from the library")


@test
def samples_multivariate_and_single_point():
    x = write("d_x.txt", "0 0\n1,1\n\t2 -2\n")
    y = write("d_y.txt", "5 5\n")
    doc = run_json("samples", "--kernel", "laplacian", "--permutations", "10", x, y)
    check_equal(doc["d"], 2, "dimension")
    check_equal(doc["w1"], None, "no W1 for d = 2")
    check_equal(doc["mmd2_unbiased"], None, "no unbiased estimate with one point in Y")
    check_equal(doc["test"]["estimator"], "biased", "the test falls back to the biased statistic")
    check(doc["mmd2_biased"] > 0, "biased MMD^2 > 0")


@test
def samples_input_errors():
    good = write("se_good.txt", "1\n2\n")
    check_error(["samples", write("se_cols.txt", "1 2\n3 4\n5\n"), good],
                r"se_cols\.txt:3:1: this line has 1 value but the first line has 2")
    check_error(["samples", write("se_d.txt", "1 2\n3 4\n"), good],
                r"se_d\.txt has 2 coordinates per sample but .*se_good\.txt has 1")
    check_error(["samples", write("se_nan.txt", "1\nNaN\n"), good], r"se_nan\.txt:2:1: 'NaN' is NaN")
    check_error(["samples", write("se_word.txt", "1\ntwo\n"), good],
                r"se_word\.txt:2:1: 'two' is not a number")
    check_error(["samples", write("se_empty.txt", "# only a comment\n"), good],
                r"se_empty\.txt: no samples")
    same = write("se_same.txt", "3\n3\n3\n")
    check_error(["samples", same, same], r"all points coincide.*--bandwidth")
    check_error(["samples", "--kernel", "cosine", good, good], r"invalid value 'cosine' for --kernel")
    check_error(["samples", "--bandwidth", "0", good, good], r"invalid value '0' for --bandwidth")

# --- text and demo -----------------------------------------------------------

@test
def text_lists_missing_words():
    # A has 8 words: the x3, cat x2, sat, on, mat. B lacks "cat" and "sat", so
    # V = {cat, sat} with mass 3/8; KL(A || B) is infinite with rate 3/8.
    a = write("a.txt", "The cat sat on the mat.\nThe CAT!")
    b = write("b.txt", "the dog lay on the mat\n")
    doc = run_json("text", a, b)
    check_equal(doc["command"], "text", "command")
    check_equal(doc["token"], "word", "token unit")
    check_equal(doc["p"], {"file": a, "tokens": 8, "distinct": 5}, "p")
    check_equal(doc["q"], {"file": b, "tokens": 6, "distinct": 5}, "q")
    check_equal(doc["violating"]["count"], 2, "violating count")
    check_close(doc["violating"]["mass"], 3 / 8, "violating mass")
    check_equal([(e["label"], e["mass"]) for e in doc["violating"]["top"]],
                [("cat", 0.25), ("sat", 0.125)], "violating words by mass")
    check_equal(doc["kl_pq"]["value"], "inf", "KL(A || B)")
    check_close(doc["kl_pq"]["rate"], 3 / 8, "rate")
    check(number(doc["js"]) < math.log(2), "JS finite and below log 2")
    # Label order: the, cat, sat, on, mat from A, then dog, lay from B.
    p = [3, 2, 1, 1, 1, 0, 0]
    q = [2, 0, 0, 1, 1, 1, 1]
    check_against_library(doc, p, q, normalize=True)


@test
def text_keep_case_and_apostrophes():
    a = write("case_a.txt", "Don't stop. don't 'quoted'\n")
    b = write("case_b.txt", "don't\n")
    doc = run_json("text", "--keep-case", a, b)
    labels = sorted(e["label"] for e in doc["violating"]["top"])
    check_equal(labels, ["Don't", "quoted", "stop"], "words with apostrophes and case")


@test
def text_char_and_byte_units():
    # Characters: "aé\r\n" gives a, é, U+000A (CR LF counts as one newline).
    a = write("u_a.txt", "aé\r\n")
    b = write("u_b.txt", "a\n")
    doc = run_json("text", "--unit", "char", a, b)
    check_equal(doc["p"]["tokens"], 3, "characters of A")
    check_equal([e["label"] for e in doc["violating"]["top"]], ["é"], "missing character")
    doc = run_json("text", "--unit", "byte", a, b)
    check_equal(doc["p"]["tokens"], 5, "bytes of A")
    check_equal(sorted(e["label"] for e in doc["violating"]["top"]),
                ["0x0d", "0xa9", "0xc3"], "missing bytes")
    binary = write("u_bin.bin", bytes(range(256)))
    doc = run_json("text", "--unit", "byte", binary, binary)
    check_equal(doc["n"], 256, "every byte value")
    check_equal(doc["kl_pq"]["value"], 0, "KL of a file with itself")


@test
def text_input_errors():
    good = write("te_good.txt", "some words\n")
    check_error(["text", write("te_latin1.txt", b"caf\xe9 au lait\n"), good],
                r"te_latin1\.txt:1:4: truncated UTF-8 sequence starting with 0xe9; use --unit byte")
    check_error(["text", write("te_ff.txt", b"ab\n\xffcd\n"), good],
                r"te_ff\.txt:2:1: invalid UTF-8 byte 0xff; use --unit byte")
    check_error(["text", write("te_stray.txt", b"a\x80b\n"), good],
                r"te_stray\.txt:1:2: invalid UTF-8 byte 0x80")
    check_error(["text", "--unit", "char", write("te_overlong.txt", b"\xe0\x80\xaf"), good],
                r"te_overlong\.txt:1:1: invalid UTF-8 sequence starting with 0xe0")
    check_error(["text", write("te_trunc.txt", b"ok \xc3"), good],
                r"te_trunc\.txt:1:4: truncated UTF-8 sequence")
    check_error(["text", write("te_nul.txt", b"two\nwo\x00rds\n"), good],
                r"te_nul\.txt:2:3: control byte 0x00")
    check_error(["text", "--unit", "char", write("te_surrogate.txt", b"\xed\xa0\x80"), good],
                r"te_surrogate\.txt:1:1: invalid UTF-8 sequence")
    check_error(["text", write("te_empty.txt", ""), good], r"te_empty\.txt: no words")
    check_error(["text", good, write("te_punct.txt", "... !!!\n")], r"te_punct\.txt: no words")
    check_error(["text", good, os.path.join(WORKDIR, "none.txt")], r"none\.txt: cannot open")


@test
def demo_embedded_json():
    doc = run_json("demo", "--embedded")
    check_equal(doc["command"], "demo", "command")
    check_equal(doc["p"]["file"], "embedded text A", "embedded A")
    check(doc["violating"]["count"] > 0, "A has words B lacks")
    check_equal(doc["kl_pq"]["value"], "inf", "KL(A || B)")
    check_equal(doc["kl_pq"]["rate"], doc["violating"]["mass"], "rate is the violating mass")
    check(0 < number(doc["js"]) < math.log(2), "JS finite")
    labels = [e["label"] for e in doc["violating"]["top"]]
    check("bridge" in labels, "'bridge' is missing from B: %r" % labels)


@test
def demo_default_runs():
    status, out, err = run("demo")
    check_equal(status, 0, "exit status: %s" % err)
    check("singdiv demo:" in out, "demo header")
    check(re.search(r"KL\(P \|\| Q\)\s+inf\s+rate", out) is not None, "KL = inf with its rate")
    check(re.search(r"JS divergence\s+0\.\d+", out) is not None, "finite JS")
    if os.path.exists("/usr/share/common-licenses/GPL-2") and \
            os.path.exists("/usr/share/common-licenses/GPL-3"):
        check("GPL-2" in out, "the licence texts are used when present")


def main():
    failed = 0
    for function in TESTS:
        try:
            function()
            print("ok   %s" % function.__name__)
        except Exception as e:  # one failing test must not hide the others
            failed += 1
            print("FAIL %s: %s" % (function.__name__, e))
    print("%d of %d tests failed" % (failed, len(TESTS)))
    shutil.rmtree(WORKDIR, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
