#!/usr/bin/env python3
"""Write tests/data/discrete_reference.txt: 50-digit reference values of
entropy, cross-entropy, KL and Jensen-Shannon for the accuracy tests.

Each case is a list of blocks (count, p_i, q_i): the vectors repeat p_i and
q_i count times, so long vectors stay small in the file. Inputs are doubles
(written as hex floats); the references treat them as exact and divide by
the exact sums, as the library does. Expected values are rounded to the
nearest double.

Usage: python3 tests/gen_discrete_reference.py > tests/data/discrete_reference.txt
(needs mpmath; Debian: python3-mpmath). The seed is fixed, so the output is
reproducible.
"""
import math
import random

from mpmath import mp, mpf, log

mp.dps = 50
SEED = 20261204


def exact_sum(values):
    return mp.fsum(mpf(c) * mpf(v) for c, v in values)


def reference(blocks):
    P = exact_sum([(c, p) for c, p, _ in blocks])
    Q = exact_sum([(c, q) for c, _, q in blocks])
    H = CE = CEF = KL = KLF = JS = VM = RM = mpf(0)
    singular = False
    for c, p, q in blocks:
        x = mpf(p) / P
        y = mpf(q) / Q
        if x > 0:
            H -= c * x * log(x)
        if x > 0 and y > 0:
            CEF -= c * x * log(y)
            KLF += c * x * log(x / y)
        if x > 0 and y == 0:
            singular = True
            VM += c * x
        if y > 0 and x == 0:
            RM += c * y
        m = (x + y) / 2
        if x > 0:
            JS += c * x * log(x / m) / 2
        if y > 0:
            JS += c * y * log(y / m) / 2
    CE = mpf("inf") if singular else CEF
    KLV = mpf("inf") if singular else KLF
    return [H, CE, CEF, KLV, KLF, JS, VM, RM]


def as_hex(v):
    if v == mpf("inf"):
        return "inf"
    return float(v).hex()


def explicit(p, q):
    return [(1, a, b) for a, b in zip(p, q)]


def normalised(weights):
    total = math.fsum(weights)
    return [w / total for w in weights]


def random_simplex(rng, n, zeros=0.0):
    w = [rng.expovariate(1.0) if rng.random() >= zeros else 0.0 for _ in range(n)]
    if not any(w):
        w[0] = 1.0
    return normalised(w)


def cases():
    rng = random.Random(SEED)
    out = []
    # Random distributions of several lengths.
    for n in (2, 3, 10, 100, 1000):
        for k in range(3):
            out.append((f"random_n{n}_{k}", 0, explicit(random_simplex(rng, n), random_simplex(rng, n))))
    # Zeros on either side: violating and reverse sets.
    for n in (5, 50, 500):
        for k in range(3):
            out.append((f"zeros_n{n}_{k}", 0,
                        explicit(random_simplex(rng, n, 0.2), random_simplex(rng, n, 0.2))))
    # Near-identical pairs: q_i = p_i (1 + delta_i) renormalised, KL about delta^2.
    for delta in (1e-3, 1e-6, 1e-9, 1e-12, 1e-14, 1e-15):
        for n in (2, 10, 1000):
            p = random_simplex(rng, n)
            q = normalised([a * (1.0 + delta * rng.uniform(-1, 1)) for a in p])
            out.append((f"near_d{delta:g}_n{n}", 0, explicit(p, q)))
    # Neighbouring doubles: q differs from p by a few ulp in some entries.
    for n in (4, 100):
        p = random_simplex(rng, n)
        q = [math.nextafter(a, 2.0) if i % 3 == 0 else a for i, a in enumerate(p)]
        out.append((f"ulp_apart_n{n}", 1, explicit(p, q)))
    # Wide dynamic range, subnormal q next to p = 0.5.
    out.append(("subnormal_q", 0, explicit([0.5, 0.5 - 2**-60, 2**-60], [2**-1074, 1.0 - 2**-40, 2**-40])))
    out.append(("subnormal_p", 0, explicit([2**-1074, 1.0 - 2**-30, 2**-30], [0.25, 0.5, 0.25])))
    for k in range(3):
        n = 60
        p = normalised([2.0 ** -rng.randint(0, 1000) for _ in range(n)])
        q = normalised([2.0 ** -rng.randint(0, 1000) for _ in range(n)])
        out.append((f"wide_range_{k}", 0, explicit(p, q)))
    # Counts with normalisation, far from sum 1.
    for k in range(3):
        n = 30
        p = [float(rng.randint(0, 1000)) for _ in range(n)]
        q = [float(rng.randint(0, 1000)) for _ in range(n)]
        p[0] = q[1] = 5.0
        out.append((f"counts_{k}", 1, explicit(p, q)))
    out.append(("counts_huge_sum", 1, explicit([1e300, 3e299, 2e298], [2e300, 1e299, 5e299])))
    out.append(("counts_tiny_sum", 1, explicit([3e-310, 1e-310, 2e-312], [1e-310, 1e-310, 1e-310])))
    # Long vectors as blocks: n = 10^7 in two halves with relative offset c.
    for c in (0.5, 1e-4, 1e-9):
        n = 10**7
        a = (1.0 + c) / n
        b = (1.0 - c) / n
        out.append((f"long_two_level_c{c:g}", 0, [(n // 2, 1.0 / n, a), (n // 2, 1.0 / n, b)]))
    # Disjoint supports: JS = log 2, KL = CE = inf.
    out.append(("disjoint", 0, explicit([0.5, 0.5, 0.0, 0.0], [0.0, 0.0, 0.25, 0.75])))
    # Moderate ratios q_i / p_i in [1 - delta, 1 + delta]: blocks of eight
    # where every |t| = |p_i - q_i| / (p_i + q_i) <= 1/2 take the JS form
    # with one polynomial, up to its widest w = t^2 for delta = 0.9.
    for delta in (0.5, 0.9):
        for n in (16, 1000):
            p = random_simplex(rng, n)
            q = normalised([a * (1.0 + delta * rng.uniform(-1, 1)) for a in p])
            out.append((f"moderate_d{delta:g}_n{n}", 0, explicit(p, q)))
    return out


def main():
    print("# name normalize blocks | count p q ... | H CE CE_finite KL KL_finite JS m_V q(F)")
    for name, normalize, blocks in cases():
        fields = [name, str(normalize), str(len(blocks))]
        for c, p, q in blocks:
            fields += [str(c), float(p).hex(), float(q).hex()]
        fields += [as_hex(v) for v in reference(blocks)]
        print(" ".join(fields))


if __name__ == "__main__":
    main()
