#!/usr/bin/env python3
"""Writes tests/data/mmd_reference.txt: 48-digit references for the MMD
functions of libsingdiv.

Every input is a double. Squared distances are exact: the coordinates
are scaled by 2^1074 into integers. Kernels and sums are evaluated in
mpmath at 160 bits (48 digits), and each reference is rounded to the
nearest double.

Line formats (every number a hexadecimal double, as float.hex writes it):
  NAME sample KERNEL ESTIMATOR H N M D x... y... EXPECTED SCALE
  NAME weighted KERNEL H K D p... q... z... EXPECTED SCALE
KERNEL is 0 (Gaussian), 1 (Laplacian) or 2 (inverse multiquadric);
ESTIMATOR is 0 (biased) or 1 (unbiased). SCALE is the sum of the absolute
values of the three mean kernel terms, the size against which rounding
errors are measured.

Usage: python3 tests/gen_mmd_reference.py > tests/data/mmd_reference.txt
"""
import random

import mpmath

mpmath.mp.prec = 160


def kernel_value(kind, sq, h):
    """Returns k as a function of the squared distance sq, bandwidth h."""
    if kind == 0:
        return mpmath.exp(-sq / (2 * h * h))
    if kind == 1:
        return mpmath.exp(-mpmath.sqrt(sq) / h)
    return 1 / mpmath.sqrt(1 + sq / (h * h))


SHIFT = 1074


def exact_coordinates(point):
    """Returns the coordinates times 2^1074, which are exact integers for doubles."""
    result = []
    for c in point:
        num, den = c.as_integer_ratio()
        result.append(num * ((1 << SHIFT) // den))
    return result


def squared_distance(a, b):
    """Returns |a - b|^2 exactly, from points given by exact_coordinates()."""
    total = sum((u - v) * (u - v) for u, v in zip(a, b))
    return mpmath.ldexp(mpmath.mpf(total), -2 * SHIFT)


def pair_sum(kind, h, a, b, same):
    """Returns the sum of k(a_i, b_j) over ordered pairs, i != j when same (a is b)."""
    a = [exact_coordinates(u) for u in a]
    b = [exact_coordinates(v) for v in b]
    terms = []
    for i, u in enumerate(a):
        for j, v in enumerate(b):
            if same and j <= i:
                continue
            terms.append(kernel_value(kind, squared_distance(u, v), h))
    total = mpmath.fsum(terms)
    return 2 * total if same else total


def sample_case(name, kind, estimator, h, x, y):
    n, m = len(x), len(y)
    sxx = pair_sum(kind, h, x, x, True)
    syy = pair_sum(kind, h, y, y, True)
    sxy = pair_sum(kind, h, x, y, False)
    if estimator == 1:
        terms = [sxx / (n * (n - 1)), syy / (m * (m - 1)), -2 * sxy / (n * m)]
    else:
        terms = [(sxx + n) / (n * n), (syy + m) / (m * m), -2 * sxy / (n * m)]
    value = mpmath.fsum(terms)
    scale = mpmath.fsum(abs(t) for t in terms)
    d = len(x[0])
    fields = [name, "sample", str(kind), str(estimator), h.hex(), str(n), str(m), str(d)]
    fields += [c.hex() for point in x + y for c in point]
    fields += [float(value).hex(), float(scale).hex()]
    print(" ".join(fields))


def weighted_case(name, kind, h, p, q, z):
    sp = mpmath.fsum(mpmath.mpf(v) for v in p)
    sq = mpmath.fsum(mpmath.mpf(v) for v in q)
    w = [mpmath.mpf(a) / sp - mpmath.mpf(b) / sq for a, b in zip(p, q)]
    terms = []
    exact = [exact_coordinates(u) for u in z]
    for i, u in enumerate(exact):
        for j, v in enumerate(exact):
            terms.append(w[i] * w[j] * kernel_value(kind, squared_distance(u, v), h))
    value = mpmath.fsum(terms)
    scale = mpmath.fsum(abs(t) for t in terms)
    fields = [name, "weighted", str(kind), h.hex(), str(len(z)), str(len(z[0]))]
    fields += [v.hex() for v in p] + [v.hex() for v in q]
    fields += [c.hex() for point in z for c in point]
    fields += [float(value).hex(), float(scale).hex()]
    print(" ".join(fields))


def points(rng, count, d, low, high):
    return [[rng.uniform(low, high) for _ in range(d)] for _ in range(count)]


def main():
    rng = random.Random(20261204)
    small = [(5, 7, 1), (6, 4, 3), (9, 8, 7), (13, 11, 2)]
    for n, m, d in small:
        x = points(rng, n, d, -1.3, 2.1)
        y = points(rng, m, d, -0.9, 2.6)
        for kind in range(3):
            for estimator in range(2):
                h = [0.7813, 1.4142, 2.3719][kind] * (1 + d) ** 0.5 / 2
                sample_case(f"small_n{n}_m{m}_d{d}", kind, estimator, h, x, y)

    # Sizes that span two tiles: 160 points per tile for d = 100, 48 for
    # d = 300 and 8 for d = 2100, with partly filled last panels.
    x = points(rng, 167, 100, 0.0, 1.0)
    y = points(rng, 163, 100, 0.02, 1.02)
    sample_case("tiles_d100", 0, 1, 2.875, x, y)
    x = points(rng, 61, 300, 0.0, 1.0)
    y = points(rng, 53, 300, 0.01, 1.01)
    sample_case("tiles_d300", 0, 1, 7.0, x, y)
    sample_case("tiles_d300", 2, 0, 7.0, x, y)
    x = points(rng, 13, 2100, 0.0, 1.0)
    y = points(rng, 11, 2100, 0.0, 1.0)
    sample_case("tiles_d2100", 1, 1, 18.6875, x, y)

    # Points far from the origin: centring keeps the norm form accurate.
    x = [[1.0e6 + c for c in point] for point in points(rng, 21, 9, 0.0, 1.0)]
    y = [[1.0e6 + c for c in point] for point in points(rng, 19, 9, 0.1, 1.1)]
    sample_case("offset_1e6_d9", 0, 1, 1.0625, x, y)

    p = [rng.uniform(0.0, 1.0) for _ in range(9)]
    p[4] = 0.0
    q = [rng.uniform(0.0, 1.0) for _ in range(9)]
    q[7] = 0.0
    total_p, total_q = sum(p), sum(q)
    p = [v / total_p for v in p]
    q = [v / total_q for v in q]
    z = points(rng, 9, 3, -1.0, 1.0)
    for kind in range(3):
        weighted_case("weighted_k9_d3", kind, 0.8125, p, q, z)
    weighted_case("weighted_disjoint_d1", 0, 0.5, [0.5, 0.5, 0.0, 0.0],
                  [0.0, 0.0, 0.25, 0.75], [[0.0], [0.25], [1.0], [1.5]])


if __name__ == "__main__":
    main()
