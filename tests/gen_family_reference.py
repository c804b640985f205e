#!/usr/bin/env python3
"""Write tests/data/family_reference.txt: 50-digit reference values of the
divergence family (Rényi, chi-square, Jeffreys, total variation, Hellinger,
Bhattacharyya, skewed Jensen-Shannon) for tests/test_family.c.

Each case is a list of blocks (count, p_i, q_i): the vectors repeat p_i and
q_i count times, so long vectors stay small in the file. Inputs are doubles
(written as hex floats); the references treat them as exact and divide by
the exact sums, as the library does. Sums are evaluated with 120 digits so
that S - 1 in the Rényi sum keeps 50 digits when it is 1e-40; the expected
values are rounded to the nearest double.

Line format: name normalize blocks, the blocks, then the quantities in the
order of QUANTITIES below ("inf" for +inf).

Usage: python3 tests/gen_family_reference.py > tests/data/family_reference.txt
(needs mpmath; Debian: python3-mpmath). The seed is fixed, so the output is
reproducible.
"""
import math
import random

from mpmath import mp, mpf, log, sqrt, acos, asin

mp.dps = 120
SEED = 20261205
ALPHAS = (0.01, 0.3, 0.5, 0.999999, 1.0000001, 2.0, 7.5, 100.0)
SKEW_WEIGHTS = (0.1, 0.5, 0.8)
QUANTITIES = (
    [f"renyi_{a!r}" for a in ALPHAS]
    + ["renyi_max", "pearson", "pearson_finite", "neyman", "neyman_finite",
       "jeffreys", "jeffreys_finite", "total_variation", "hellinger",
       "hellinger_squared", "bhattacharyya_coefficient", "bhattacharyya_angle"]
    + [f"skew_js_{w!r}" for w in SKEW_WEIGHTS]
)
INF = mpf("inf")


def exact_sum(values):
    return mp.fsum(mpf(c) * mpf(v) for c, v in values)


def shares(blocks):
    P = exact_sum([(c, p) for c, p, _ in blocks])
    Q = exact_sum([(c, q) for c, _, q in blocks])
    return [(c, mpf(p) / P, mpf(q) / Q) for c, p, q in blocks]


def renyi(xy, alpha):
    # S - 1 = sum over the common support of y (e^(a log(x/y)) - 1) - q(F),
    # so that identical x and y give exactly 0 and S - 1 = 1e-40 keeps its digits.
    a = mpf(alpha)
    common = [(c, x, y) for c, x, y in xy if x > 0 and y > 0]
    violating = any(x > 0 and y == 0 for _, x, y in xy)
    if (a > 1 and violating) or not common:
        return INF
    reverse = mp.fsum(c * y for c, x, y in xy if x == 0)
    excess = mp.fsum(c * y * mp.expm1(a * log(x / y)) for c, x, y in common) - reverse
    return mp.log1p(excess) / (a - 1)


def renyi_max(xy):
    if any(x > 0 and y == 0 for _, x, y in xy):
        return INF
    return max(log(x / y) for _, x, y in xy if x > 0)


def chi_square(xy, pearson):
    total = mpf(0)
    singular = False
    for c, x, y in xy:
        den = y if pearson else x
        if den > 0:
            total += c * (x - y) ** 2 / den
        elif x != y:
            singular = True
    return (INF if singular else total), total


def jeffreys(xy):
    total = mp.fsum(c * (x - y) * log(x / y) for c, x, y in xy if x > 0 and y > 0)
    singular = any((x > 0) != (y > 0) for _, x, y in xy)
    return (INF if singular else total), total


def bounded(xy):
    tv = mp.fsum(c * abs(x - y) for c, x, y in xy) / 2
    h2 = mp.fsum(c * (sqrt(x) - sqrt(y)) ** 2 for c, x, y in xy) / 2
    bc = mp.fsum(c * sqrt(x * y) for c, x, y in xy)
    # arccos(BC) = 2 asin(sqrt(H^2 / 2)) keeps its digits near BC = 1.
    angle = 2 * asin(sqrt(h2 / 2))
    assert abs(angle - acos(bc)) < mpf(10) ** -40 or bc < mpf("0.5")
    return [tv, sqrt(h2), h2, bc, angle]


def skew_js(xy, weight):
    w = mpf(weight)
    total = mpf(0)
    for c, x, y in xy:
        m = w * x + (1 - w) * y
        if x > 0:
            total += c * w * x * log(x / m)
        if y > 0:
            total += c * (1 - w) * y * log(y / m)
    return total


def reference(blocks):
    xy = shares(blocks)
    out = [renyi(xy, a) for a in ALPHAS]
    out.append(renyi_max(xy))
    out += list(chi_square(xy, True))
    out += list(chi_square(xy, False))
    out += list(jeffreys(xy))
    out += bounded(xy)
    out += [skew_js(xy, w) for w in SKEW_WEIGHTS]
    return out


def as_hex(v):
    if v == INF:
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
    for n in (2, 3, 10, 100, 1000):
        for k in range(3):
            out.append((f"random_n{n}_{k}", 0,
                        explicit(random_simplex(rng, n), random_simplex(rng, n))))
    # Zeros on either side: V and F non-empty, Rényi below 1 finite.
    for n in (5, 50, 500):
        for k in range(3):
            out.append((f"zeros_n{n}_{k}", 0,
                        explicit(random_simplex(rng, n, 0.2), random_simplex(rng, n, 0.2))))
    # Zeros in q only where p is zero too (F non-empty, V empty), and in p only.
    for n in (6, 60):
        p = random_simplex(rng, n)
        q = random_simplex(rng, n)
        p = normalised([a if i % 4 else 0.0 for i, a in enumerate(p)])
        out.append((f"reverse_only_n{n}", 0, explicit(p, q)))
    # Near-identical pairs: chi-square, Hellinger and S - 1 all cancel here.
    for delta in (1e-3, 1e-6, 1e-9, 1e-12, 1e-15):
        for n in (2, 10, 1000):
            p = random_simplex(rng, n)
            q = normalised([a * (1.0 + delta * rng.uniform(-1, 1)) for a in p])
            out.append((f"near_d{delta:g}_n{n}", 0, explicit(p, q)))
    for n in (4, 100):
        p = random_simplex(rng, n)
        q = [math.nextafter(a, 2.0) if i % 3 == 0 else a for i, a in enumerate(p)]
        out.append((f"ulp_apart_n{n}", 1, explicit(p, q)))
    # Wide dynamic range and subnormal entries.
    out.append(("subnormal_q", 0,
                explicit([0.5, 0.5 - 2**-60, 2**-60], [2**-1074, 1.0 - 2**-40, 2**-40])))
    out.append(("subnormal_p", 0,
                explicit([2**-1074, 1.0 - 2**-30, 2**-30], [0.25, 0.5, 0.25])))
    for k in range(3):
        n = 40
        p = normalised([2.0 ** -rng.randint(0, 300) for _ in range(n)])
        q = normalised([2.0 ** -rng.randint(0, 300) for _ in range(n)])
        out.append((f"wide_range_{k}", 0, explicit(p, q)))
    # Nearly disjoint supports: the Rényi sum below order 1 is far below 1.
    out.append(("nearly_disjoint", 0,
                explicit([0.5, 0.5 - 1e-12, 1e-12, 0.0], [0.0, 1e-10, 0.5, 0.5 - 1e-10])))
    for k in range(3):
        n = 30
        p = [float(rng.randint(0, 1000)) for _ in range(n)]
        q = [float(rng.randint(0, 1000)) for _ in range(n)]
        p[0] = q[1] = 5.0
        out.append((f"counts_{k}", 1, explicit(p, q)))
    out.append(("counts_huge_sum", 1, explicit([1e300, 3e299, 2e298], [2e300, 1e299, 5e299])))
    out.append(("counts_tiny_sum", 1,
                explicit([3e-310, 1e-310, 2e-312], [1e-310, 1e-310, 1e-310])))
    for c in (0.5, 1e-4, 1e-9):
        n = 10**5
        a = (1.0 + c) / n
        b = (1.0 - c) / n
        out.append((f"long_two_level_c{c:g}", 0, [(n // 2, 1.0 / n, a), (n // 2, 1.0 / n, b)]))
    # Short heavy-tailed counts: ratios far from 1 in every regime of the Rényi terms.
    for k in range(200):
        n = rng.choice([2, 3, 5])
        p = [rng.expovariate(1.0) ** rng.choice([1, 3, 8]) for _ in range(n)]
        q = [rng.expovariate(1.0) ** rng.choice([1, 3, 8]) for _ in range(n)]
        out.append((f"heavy_tailed_{k}", 1, explicit(p, q)))
    out.append(("disjoint", 0, explicit([0.5, 0.5, 0.0, 0.0], [0.0, 0.0, 0.25, 0.75])))
    return out


def main():
    print("# name normalize blocks | count p q ... | " + " ".join(QUANTITIES))
    for name, normalize, blocks in cases():
        fields = [name, str(normalize), str(len(blocks))]
        for c, p, q in blocks:
            fields += [str(c), float(p).hex(), float(q).hex()]
        fields += [as_hex(v) for v in reference(blocks)]
        print(" ".join(fields))


if __name__ == "__main__":
    main()
