#!/usr/bin/env python3
"""Check the symbol hygiene of the shared library.

Usage: check_symbols.py LIBRARY HEADER_DIR [--coverage]

1. The dynamic symbols that LIBRARY defines (nm -D --defined-only) must be
   exactly the functions declared with SINGDIV_EXPORT in HEADER_DIR/*.h:
   an exported internal helper leaks into the ABI, and a declared function
   that is not exported fails to link in every consumer.
2. LIBRARY must not import printf, puts, fwrite, fprintf, abort or exit
   (or their fortified and underscore variants): the library never prints
   and never ends the caller's process.

--coverage is for builds with -Db_coverage=true: their statically linked
gcov runtime exports its own symbols (__gcov_*, mangle_path) and writes
its data files with fwrite and friends, so those exports are ignored and
the import check is left out.

Exits 0 when both checks pass, 1 with one line per problem otherwise.
"""

import pathlib
import re
import subprocess
import sys

# Symbols that the toolchain may add to any shared library.
TOOLCHAIN_SYMBOLS = {"_init", "_fini", "_edata", "_end", "__bss_start"}

# Symbols that the gcov runtime of a coverage build exports (gcc 12).
GCOV_SYMBOL = re.compile(r"^(__gcov_\w+|mangle_path)$")

FORBIDDEN_IMPORTS = re.compile(
    r"^_*(printf|vprintf|puts|putchar|fputs|fputc|putc|fwrite|fprintf|vfprintf|"
    r"perror|abort|exit|_exit|_Exit|quick_exit)(_chk)?$"
)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def declared_functions(header_dir):
    names = {}
    for header in sorted(pathlib.Path(header_dir).glob("*.h")):
        text = strip_comments(header.read_text(encoding="utf-8"))
        text = "\n".join(line for line in text.splitlines()
                         if not line.lstrip().startswith("#"))
        for match in re.finditer(r"\bSINGDIV_EXPORT\b([^;(]*)\(", text):
            identifiers = re.findall(r"[A-Za-z_]\w*", match.group(1))
            if identifiers:
                names[identifiers[-1]] = header.name
    return names


def nm_symbols(library, *flags):
    output = subprocess.run(["nm", "-D", *flags, library], check=True,
                            capture_output=True, text=True).stdout
    symbols = set()
    for line in output.splitlines():
        fields = line.split()
        if fields:
            symbols.add(fields[-1].split("@")[0])
    return symbols


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    library, header_dir = argv[1], argv[2]
    coverage = "--coverage" in argv[3:]

    declared = declared_functions(header_dir)
    exported = nm_symbols(library, "--defined-only") - TOOLCHAIN_SYMBOLS
    if coverage:
        exported = {name for name in exported if not GCOV_SYMBOL.match(name)}
    problems = []
    if not declared:
        problems.append(f"no SINGDIV_EXPORT declaration found in {header_dir}")
    for name in sorted(exported - declared.keys()):
        problems.append(f"exported but not declared in a public header: {name}")
    for name in sorted(declared.keys() - exported):
        problems.append(f"declared in {declared[name]} but not exported: {name}")

    if not coverage:
        imported = nm_symbols(library, "--undefined-only")
        for name in sorted(imported):
            if FORBIDDEN_IMPORTS.match(name):
                problems.append(f"imports {name}: the library must not print or exit")

    for problem in problems:
        print(problem)
    print(f"{len(declared)} declared, {len(exported)} exported, "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
