#!/usr/bin/env python3
"""Writes tests/data/w1_reference.txt: exact references for the Wasserstein
functions of libsingdiv.

Every input is a double, so each reference is computed from the exact
rational values of the inputs: W1 and the histogram W1 in exact fractions,
Wk and the CDF distance with the masses exact and the powers and roots in
mpmath at 80 significant digits. Each reference is then rounded to the
nearest double.

Line formats (every number a hexadecimal double, as float.hex writes it):
  NAME samples KIND K NU NV HAS_UW HAS_VW u... [u_weights...] v... [v_weights...] EXPECTED
  NAME hist NORMALIZE N x... p... q... EXPECTED
KIND is w1, wk or cdf.

Usage: python3 tests/gen_w1_reference.py > tests/data/w1_reference.txt
"""
import random
from fractions import Fraction

import mpmath

mpmath.mp.dps = 80


def sorted_pairs(values, weights):
    if weights is None:
        weights = [1.0] * len(values)
    pairs = sorted(zip(values, weights), key=lambda p: p[0])
    total = sum(Fraction(w) for _, w in pairs)
    return [(Fraction(x), Fraction(w) / total) for x, w in pairs]


def quantile_coupling(u, uw, v, vw):
    """Returns (mass, u value, v value) for each pair of the coupling."""
    a = sorted_pairs(u, uw)
    b = sorted_pairs(v, vw)
    i = j = 0
    ru, rv = a[0][1], b[0][1]
    pairs = []
    while i < len(a) and j < len(b):
        m = min(ru, rv)
        pairs.append((m, a[i][0], b[j][0]))
        ru -= m
        rv -= m
        if ru == 0:
            i += 1
            ru = a[i][1] if i < len(a) else None
        if rv == 0:
            j += 1
            rv = b[j][1] if j < len(b) else None
    return pairs


def cdf_segments(u, uw, v, vw):
    """Returns (|F_u - F_v|, length) for each segment between merged values."""
    a = sorted_pairs(u, uw)
    b = sorted_pairs(v, vw)
    events = sorted([(x, w) for x, w in a] + [(x, -w) for x, w in b], key=lambda e: e[0])
    segments = []
    gap = Fraction(0)
    for (x, dw), (x_next, _) in zip(events, events[1:]):
        gap += dw
        segments.append((abs(gap), x_next - x))
    return segments


def kth_root_sum(terms, k):
    """(sum c_i t_i^k)^(1/k) for exact non-negative (c_i, t_i)."""
    k = mpmath.mpf(k)
    total = mpmath.mpf(0)
    for c, t in terms:
        if c != 0 and t != 0:
            total += mpmath.mpf(c.numerator) / c.denominator * \
                (mpmath.mpf(t.numerator) / t.denominator) ** k
    return total ** (1 / k)


def reference_samples(kind, k, u, uw, v, vw):
    if kind == "w1" or (kind == "wk" and k == 1):
        return float(sum(m * abs(a - b) for m, a, b in quantile_coupling(u, uw, v, vw)))
    if kind == "wk":
        return float(kth_root_sum([(m, abs(a - b)) for m, a, b in
                                   quantile_coupling(u, uw, v, vw)], k))
    return float(kth_root_sum([(length, gap) for gap, length in
                               cdf_segments(u, uw, v, vw)], k))


def reference_hist(x, p, q):
    fp = [Fraction(t) for t in p]
    fq = [Fraction(t) for t in q]
    sp, sq = sum(fp), sum(fq)
    cp = cq = Fraction(0)
    total = Fraction(0)
    for i in range(len(x) - 1):
        cp += fp[i]
        cq += fq[i]
        total += abs(cp / sp - cq / sq) * (Fraction(x[i + 1]) - Fraction(x[i]))
    return float(total)


def hexes(values):
    return " ".join(float(t).hex() for t in values)


def emit_samples(name, kind, k, u, uw, v, vw):
    expected = reference_samples(kind, k, u, uw, v, vw)
    parts = [name, "samples", kind, float(k).hex(), str(len(u)), str(len(v)),
             str(int(uw is not None)), str(int(vw is not None)), hexes(u)]
    if uw is not None:
        parts.append(hexes(uw))
    parts.append(hexes(v))
    if vw is not None:
        parts.append(hexes(vw))
    parts.append(expected.hex())
    print(" ".join(parts))


def emit_hist(name, normalize, x, p, q):
    expected = reference_hist(x, p, q)
    print(" ".join([name, "hist", str(normalize), str(len(x)), hexes(x), hexes(p),
                    hexes(q), expected.hex()]))


def sample_cases(rng):
    """Yields (name, u, u_weights, v, v_weights)."""
    yield ("normal_100", [rng.gauss(0, 1) for _ in range(100)], None,
           [rng.gauss(0.3, 1.2) for _ in range(100)], None)
    yield ("unequal_97_131", [rng.gauss(0, 1) for _ in range(97)], None,
           [rng.gauss(0.1, 0.9) for _ in range(131)], None)
    yield ("long_2000_1500", [rng.random() for _ in range(2000)], None,
           [rng.random() ** 1.1 for _ in range(1500)], None)
    yield ("weighted_80_60", [rng.gauss(0, 1) for _ in range(80)],
           [rng.expovariate(1.0) for _ in range(80)],
           [rng.gauss(0.2, 1) for _ in range(60)],
           [rng.expovariate(1.0) for _ in range(60)])
    yield ("one_side_weighted", [rng.gauss(0, 1) for _ in range(50)],
           [rng.random() for _ in range(50)], [rng.gauss(0, 1) for _ in range(70)], None)
    yield ("offset_1e9", [1e9 + rng.gauss(0, 1) for _ in range(120)], None,
           [1e9 + rng.gauss(0.5, 1) for _ in range(90)], None)
    yield ("offset_1e9_weighted", [1e9 + rng.random() for _ in range(60)],
           [rng.random() for _ in range(60)], [1e9 + rng.random() for _ in range(40)],
           [rng.random() for _ in range(40)])
    yield ("ties", [float(rng.randrange(5)) for _ in range(64)], None,
           [float(rng.randrange(6)) for _ in range(48)], None)
    yield ("zero_weights", [rng.gauss(0, 1) for _ in range(40)],
           [0.0 if i % 3 == 0 else rng.random() for i in range(40)],
           [rng.gauss(0, 1) for _ in range(30)],
           [0.0 if i % 4 == 1 else rng.random() for i in range(30)])
    values = [rng.gauss(0, 1) for _ in range(50)]
    weights = [rng.random() for _ in range(50)]
    nudged = [w * (1 + 2.0 ** -52) if i % 7 == 0 else w for i, w in enumerate(weights)]
    yield ("near_identical_weights", values, weights, list(values), nudged)
    yield ("wide_range", [rng.choice([-1, 1]) * 10.0 ** rng.uniform(-300, 300) for _ in range(40)],
           None, [rng.choice([-1, 1]) * 10.0 ** rng.uniform(-300, 300) for _ in range(33)], None)
    yield ("counts_as_weights", [rng.gauss(0, 1) for _ in range(30)],
           [float(rng.randrange(1, 1000)) for _ in range(30)],
           [rng.gauss(0, 1) for _ in range(30)],
           [float(rng.randrange(1, 1000)) for _ in range(30)])


def hist_cases(rng):
    """Yields (name, normalize, x, p, q)."""
    n = 200
    x = sorted(rng.uniform(-10, 10) for _ in range(n))
    yield ("hist_counts", 1, x, [float(rng.randrange(0, 50)) for _ in range(n)],
           [float(rng.randrange(0, 50)) for _ in range(n)])
    p = [rng.random() for _ in range(n)]
    q = [rng.random() for _ in range(n)]
    sp, sq = sum(p), sum(q)
    yield ("hist_probabilities", 0, x, [t / sp for t in p], [t / sq for t in q])
    nudged = [t * (1 + 2.0 ** -51) if i % 5 == 2 else t for i, t in enumerate(p)]
    yield ("hist_near_identical", 1, x, p, nudged)
    offset = [1e9 + i * 0.25 + rng.random() * 0.1 for i in range(n)]
    yield ("hist_offset_1e9", 1, offset, p, q)
    # Long enough for the blocked pass: 5 blocks of 256 terms and a tail.
    n = 1400
    x = sorted(rng.uniform(-10, 10) for _ in range(n))
    p = [rng.random() if rng.random() < 0.8 else 0.0 for _ in range(n)]
    q = [rng.random() if rng.random() < 0.8 else 0.0 for _ in range(n)]
    yield ("hist_long_zero_bins", 1, x, p, q)
    nudged = [t * (1 + 2.0 ** -51) if i % 5 == 2 else t for i, t in enumerate(p)]
    yield ("hist_long_near_identical", 1, x, p, nudged)
    # Shares that span the exponent range: subnormal beside 1.
    tiny = [t * 2.0 ** -1074 if i % 97 == 0 else t for i, t in enumerate(p)]
    yield ("hist_long_subnormal_shares", 1, x, tiny, p)


def main():
    rng = random.Random(20261204)
    for name, u, uw, v, vw in sample_cases(rng):
        long_case = len(u) > 1000
        emit_samples(name + "_w1", "w1", 1, u, uw, v, vw)
        for k in (2,) if long_case else (2, 3, 2.5, 540, 1000):
            emit_samples("%s_wk%g" % (name, k), "wk", k, u, uw, v, vw)
        for k in (1,) if long_case else (1, 2, 540):
            emit_samples("%s_cdf%g" % (name, k), "cdf", k, u, uw, v, vw)
    for name, normalize, x, p, q in hist_cases(rng):
        emit_hist(name, normalize, x, p, q)


if __name__ == "__main__":
    main()
