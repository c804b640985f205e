#!/usr/bin/env python3
"""Write tests/data/smoothing_reference.txt: reference values of the
smoothed cross-entropy, KL and slope, and of their small-eps expansions,
for tests/test_smoothing.c.

Mixture smoothing q_eps = (1 - eps) q + eps r (r uniform when absent) for
eps from 1e-1 to 1e-300, and Lidstone smoothing (c_i + alpha) / (N + n alpha).
Inputs are doubles (written as hex floats). They are treated as exact and
divided by their exact sums, as the library does. eps and alpha are the
doubles nearest to the decimal values. The work precision is 800 digits, because
1 - eps must keep eps = 1e-300 and KL(q || q_eps) can be as small as
eps^2; every expected value is correct to at least 50 digits before it is
rounded to the nearest double.

File format (whitespace separated):
  mixture NAME normalize n has_r     then p (n values), q (n), r (n if has_r)
  lidstone NAME normalize n          then p (n values), c (n)
  expansion: finite_part_ce finite_part_kl first_order second_order threshold slope
  points K, then K lines: eps_or_alpha ce kl slope

Usage: python3 tests/gen_smoothing_reference.py > tests/data/smoothing_reference.txt
(needs mpmath; Debian: python3-mpmath). The seed is fixed, so the output is
reproducible.
"""
import random

from mpmath import mp, mpf, log

mp.dps = 800
SEED = 20261204

EPS_VALUES = [1e-1, 3e-2, 1e-2, 1e-3, 1e-5, 1e-8, 1e-12, 1e-16, 1e-20, 1e-40,
              1e-80, 1e-150, 1e-200, 1e-250, 1e-300]
LARGE_EPS_VALUES = [0.5, 0.9, 0.99, 1 - 2.0 ** -30]
ALPHA_VALUES = [10.0, 1.0, 0.5, 1e-2, 1e-5, 1e-10, 1e-50, 1e-150, 1e-300]


def normalised(v):
    total = mp.fsum(mpf(x) for x in v)
    return [mpf(x) / total for x in v]


def smoothed(p, q, r, eps):
    """CE(p, q_eps), KL(p || q_eps) and the slope dCE/dlog(1/eps)."""
    eps = mpf(eps)
    ce = kl = slope = mpf(0)
    for x, y, rr in zip(p, q, r):
        ye = (1 - eps) * y + eps * rr
        if x > 0 and ye == 0:
            return [mpf("inf")] * 3
        if x > 0:
            ce -= x * log(ye)
            kl += x * log(x / ye)
            slope += eps * x * (rr - y) / ye
    return [ce, kl, slope]


def expansion(p, q, r):
    """finite parts C and C - H(p), D, E, threshold, m_V."""
    C = CKL = D = E = mV = mpf(0)
    threshold = mpf("inf")
    for x, y, rr in zip(p, q, r):
        if x > 0 and y == 0:
            if rr == 0:
                return [mpf("inf"), mpf("inf"), mpf("nan"), mpf("nan"), mpf(0), mpf("inf")]
            mV += x
            C -= x * log(rr)
            CKL += x * log(x / rr)
        elif x > 0:
            C -= x * log(y)
            CKL += x * log(x / y)
            D += x * (1 - rr / y)
            E += x * (rr / y - 1) ** 2 / 2
            if rr > 0:
                threshold = min(threshold, y / rr)
    return [C, CKL, D, E, threshold, mV]


def lidstone(p, c, alpha):
    n = len(c)
    N = mp.fsum(mpf(v) for v in c)
    alpha = mpf(alpha)
    q = [(mpf(v) + alpha) / (N + n * alpha) for v in c]
    ce = kl = mpf(0)
    slope = -n * alpha / (N + n * alpha)
    for x, y, v in zip(p, q, c):
        if x > 0:
            ce -= x * log(y)
            kl += x * log(x / y)
            slope += alpha * x / (mpf(v) + alpha)
    return [ce, kl, slope]


def lidstone_expansion(p, c):
    n = len(c)
    N = mp.fsum(mpf(v) for v in c)
    C = CKL = mV = mpf(0)
    D = mpf(n) / N
    E = -mpf(n) ** 2 / (2 * N ** 2)
    threshold = N / n
    for x, v in zip(p, c):
        v = mpf(v)
        if x > 0 and v == 0:
            mV += x
            CKL += x * log(x)
        elif x > 0:
            C -= x * log(v / N)
            CKL += x * log(x / (v / N))
            D -= x / v
            E += x / (2 * v ** 2)
            threshold = min(threshold, v)
    return [C + mV * log(N), CKL + mV * log(N), D, E, threshold, mV]


def as_hex(v):
    if mp.isnan(v):
        return "nan"
    if v == mpf("inf"):
        return "inf"
    return float(v).hex()


def vector(v):
    return " ".join(float(x).hex() for x in v)


def write_mixture(name, normalize, p, q, r=None, eps_values=EPS_VALUES):
    n = len(p)
    pn, qn = normalised(p), normalised(q)
    rn = normalised(r) if r is not None else [mpf(1) / n] * n
    print("mixture", name, normalize, n, 0 if r is None else 1)
    print(vector(p))
    print(vector(q))
    if r is not None:
        print(vector(r))
    print(" ".join(as_hex(v) for v in expansion(pn, qn, rn)))
    print("points", len(eps_values))
    for eps in eps_values:
        print(float(eps).hex(), " ".join(as_hex(v) for v in smoothed(pn, qn, rn, eps)))


def write_lidstone(name, normalize, p, c):
    n = len(p)
    pn = normalised(p)
    print("lidstone", name, normalize, n)
    print(vector(p))
    print(vector(c))
    print(" ".join(as_hex(v) for v in lidstone_expansion(pn, c)))
    print("points", len(ALPHA_VALUES))
    for alpha in ALPHA_VALUES:
        print(float(alpha).hex(), " ".join(as_hex(v) for v in lidstone(pn, c, alpha)))


def random_distribution(rng, n, zeros=()):
    v = [rng.random() for _ in range(n)]
    for i in zeros:
        v[i] = 0.0
    total = sum(v)
    return [x / total for x in v]


def near_smoothed(q, eps):
    """p = q_eps rounded to doubles: p is as close to q_eps as doubles allow."""
    n = len(q)
    qn = normalised(q)
    return [float((1 - mpf(eps)) * y + mpf(eps) / n) for y in qn]


def main():
    rng = random.Random(SEED)
    print("# mixture NAME normalize n has_r | p | q | [r] | C C-H D E threshold m_V"
          " | points K | eps CE KL slope")
    write_mixture("three_symbol_violating", 0, [0.2385, 0.5, 0.2615], [0.6173, 0.3827, 0.0])
    write_mixture("two_symbol_violating", 0, [0.3141, 0.6859], [1.0, 0.0])
    write_mixture("two_symbol_covered", 0, [0.3141, 0.6859], [0.7182, 0.2818])
    write_mixture("point_mass_equal", 0, [1.0, 0.0, 0.0], [1.0, 0.0, 0.0])
    write_mixture("p_equals_q", 0, [0.125, 0.25, 0.625], [0.125, 0.25, 0.625])
    write_mixture("nearly_point_mass", 0, [1 - 2.0 ** -30, 2.0 ** -30], [1 - 2.0 ** -40, 2.0 ** -40])
    write_mixture("tiny_reference_on_v", 0, [0.4, 0.35, 0.25], [0.7, 0.0, 0.3],
                  [0.5, 1e-30, 0.5 - 1e-30])
    write_mixture("tiny_q_entry", 0, [0.3, 0.3, 0.4], [1e-200, 0.5, 0.5])
    write_mixture("reference_above_q", 0, [0.5, 0.5], [0.999, 0.001], [0.001, 0.999])
    write_mixture("counts_huge", 1, [3e300, 1e300, 0.0, 5e299], [1e-300, 0.0, 4e-300, 2e-300])
    for k in range(4):
        n = 5 + 3 * k
        zeros = rng.sample(range(n), k + 1)
        p = random_distribution(rng, n)
        q = random_distribution(rng, n, zeros)
        r = random_distribution(rng, n) if k % 2 else None
        write_mixture("random_%d" % k, 0, p, q, r)
    for eps in [1e-1, 1e-3, 1e-8]:
        q = [0.5, 0.3, 0.2, 0.0]
        write_mixture("p_rounded_q_eps_%g" % eps, 0, near_smoothed(q, eps), q, None, [eps])
    write_mixture("large_eps_near_one_branch", 0, [0.25, 0.75], [0.3, 0.7], [1.0, 0.0],
                  LARGE_EPS_VALUES + EPS_VALUES[:4])
    write_mixture("large_eps_violating", 0, [0.2385, 0.5, 0.2615], [0.6173, 0.3827, 0.0],
                  None, LARGE_EPS_VALUES)
    write_mixture("reference_zero_on_covered", 0, [0.3, 0.3, 0.4], [0.2, 0.5, 0.3],
                  [0.0, 0.0, 1.0])
    for k in range(2):
        n = 64
        p = random_distribution(rng, n, rng.sample(range(n), 8))
        q = random_distribution(rng, n, rng.sample(range(n), 8))
        r = random_distribution(rng, n, rng.sample(range(n), 2)) if k else None
        write_mixture("random_n64_%d" % k, 0, p, q, r)
    write_mixture("subnormal_eps", 0, [0.2385, 0.5, 0.2615], [0.6173, 0.3827, 0.0], None,
                  [1e-310, 5e-324])
    write_mixture("subnormal_eps_tiny_reference", 0, [0.4, 0.35, 0.25], [0.7, 0.0, 0.3],
                  [0.5, 1e-30, 0.5 - 1e-30], [1e-310, 5e-324])
    write_mixture("subnormal_q_entry", 0, [0.5, 0.5], [1.0, 5e-324])
    write_mixture("subnormal_p_entry", 0, [1.0, 1e-310, 0.0], [0.5, 0.0, 0.5])
    r = [0.1, 0.2, 0.3, 0.4]
    q = [0.5, 0.3, 0.2, 0.0]
    for eps in [0.2385, 1e-4]:
        rn, qn = normalised(r), normalised(q)
        p = [float((1 - mpf(eps)) * y + mpf(eps) * z) for y, z in zip(qn, rn)]
        write_mixture("p_rounded_q_eps_r_%g" % eps, 0, p, q, r, [eps])
    write_lidstone("lidstone_counts", 0, [0.2385, 0.5, 0.2615, 0.0], [12.0, 30.0, 0.0, 7.0])
    write_lidstone("lidstone_large_counts", 0, [0.125, 0.375, 0.5], [1e12, 0.0, 3e12])
    write_lidstone("lidstone_p_from_counts", 1, [12.0, 30.0, 0.0, 7.0], [12.0, 30.0, 0.0, 7.0])


if __name__ == "__main__":
    main()
