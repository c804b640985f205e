#!/usr/bin/env python3
"""Write tests/data/contrastive_reference.txt: 50-digit reference values of
the sigmoid pairwise loss and of InfoNCE on small similarity matrices, for
tests/test_contrastive.c.

Inputs are doubles, written as hex floats ("-inf" for a masked pair). The
references treat them as exact: x = t s + b is formed exactly, the
softplus and the log-sum-exp are evaluated with 50 significant digits,
and each value is rounded to the nearest double at the end ("inf" when it
exceeds DBL_MAX).

Line formats (fields separated by spaces):
  sigmoid NAME n t b s_00 .. s_{n-1,n-1} loss positive_loss negative_loss
  infonce NAME n T s_00 .. s_{n-1,n-1} row_loss column_loss symmetric_loss
negative_loss is "nan" for n = 1.

Usage: python3 tests/gen_contrastive_reference.py > tests/data/contrastive_reference.txt
(needs mpmath; Debian: python3-mpmath). The seed is fixed, so the output
is reproducible.
"""
import random

from mpmath import mp, mpf, exp, log, log1p

mp.dps = 50
SEED = 20261204
INF = float("inf")


def hexf(x):
    if x != x:
        return "nan"
    if x == INF:
        return "inf"
    if x == -INF:
        return "-inf"
    return float(x).hex()


def as_double(v):
    """Rounds an mpf to the nearest double; beyond DBL_MAX gives inf."""
    if v == mp.inf:
        return INF
    if abs(v) >= mpf(2) ** 1024 * (1 - mpf(2) ** -54):
        return INF if v > 0 else -INF
    return float(v)


def softplus(x):
    """log(1 + exp(x)) without losing the digits of exp(x) for x << 0."""
    if x == mp.inf:
        return mp.inf
    if x == -mp.inf:
        return mpf(0)
    if x > 0:
        return x + log1p(exp(-x))
    return log1p(exp(x))


def sigmoid_reference(s, n, t, b):
    t, b = mpf(t), mpf(b)
    pos, neg = mpf(0), mpf(0)
    for i in range(n):
        for j in range(n):
            v = s[i * n + j]
            if v == -INF:
                term = mp.inf if i == j else mpf(0)
            else:
                x = t * mpf(v) + b
                term = softplus(-x) if i == j else softplus(x)
            if i == j:
                pos += term
            else:
                neg += term
    loss = (pos + neg) / (n * n)
    negative = as_double(neg / (n * (n - 1))) if n > 1 else float("nan")
    return as_double(loss), as_double(pos / n), negative


def lse_loss(values, positive, T):
    """-log(exp(positive / T) / sum exp(v / T)) over the unmasked values."""
    if positive == -INF:
        return mp.inf
    finite = [mpf(v) for v in values if v != -INF]
    m = max(finite)
    total = sum(exp((v - m) / mpf(T)) for v in finite)
    return log(total) - (mpf(positive) - m) / mpf(T)


def infonce_reference(s, n, T):
    rows = [lse_loss(s[i * n:(i + 1) * n], s[i * n + i], T) for i in range(n)]
    cols = [lse_loss(s[j::n], s[j * n + j], T) for j in range(n)]
    row = sum(rows) / n
    col = sum(cols) / n
    return as_double(row), as_double(col), as_double((row + col) / 2)


def sigmoid_line(name, s, n, t, b):
    values = sigmoid_reference(s, n, t, b)
    fields = ["sigmoid", name, str(n), hexf(t), hexf(b)] + [hexf(v) for v in s]
    return " ".join(fields + [hexf(v) for v in values])


def infonce_line(name, s, n, T):
    values = infonce_reference(s, n, T)
    fields = ["infonce", name, str(n), hexf(T)] + [hexf(v) for v in s]
    return " ".join(fields + [hexf(v) for v in values])


def extreme_sigmoid_cases():
    """(name, t, s, b): one pair, used both as a positive and as a negative."""
    return [
        ("x_plus_1e300", 1.0, 1e300, 0.0),
        ("x_minus_1e300", 1.0, -1e300, 0.0),
        ("product_1e300", 1e150, 1e150, 0.0),
        ("x_minus_745", 1.0, -745.0, 0.0),
        ("x_minus_740_3", 1.0, -740.3, 0.0),
        ("x_minus_700", 1.0, -700.0, 0.0),
        ("x_minus_37", 1.0, -37.0, 0.0),
        ("x_minus_36_7", 1.0, -36.7, 0.0),
        ("x_zero", 1.0, 0.0, 0.0),
        ("x_tiny", 1.0, 1e-20, 0.0),
        ("x_37", 1.0, 37.0, 0.0),
        ("x_40_1", 1.0, 40.1, 0.0),
        ("x_709_9", 1.0, 709.9, 0.0),
        ("x_750", 1.0, 750.0, 0.0),
        ("cancel_third", 3.0, 0.1, -0.3),
        ("cancel_scale", 10.0, 0.7, -7.0),
        ("siglip_init", 10.0, -0.9, -10.0),
        ("product_overflows_sum_fits", 1e308, 2.0, -1.5e308),
        ("beyond_dbl_max", 1e308, 10.0, 0.0),
        ("beyond_minus_dbl_max", 1e308, -10.0, 0.0),
        ("large_bias", 1e-300, 0.5, 1e300),
    ]


def main():
    rng = random.Random(SEED)
    print("# kind name n t|T [b] | similarities | references (see gen_contrastive_reference.py)")
    for name, t, s, b in extreme_sigmoid_cases():
        print(sigmoid_line(name + "_positive", [s], 1, t, b))
        # A 2 x 2 matrix whose negatives are the pair, with harmless positives.
        print(sigmoid_line(name + "_negative", [0.0, s, s, 0.0], 2, t, b))
    for k in range(12):
        n = rng.choice([2, 3, 4, 5])
        t = rng.choice([1.0, 10.0, 0.37, 123.4])
        b = rng.uniform(-12.0, 3.0)
        s = [rng.uniform(-1.0, 1.0) for _ in range(n * n)]
        if k % 4 == 3:
            s[rng.randrange(n) * n + rng.randrange(n)] = -INF
        print(sigmoid_line("random_%d" % k, s, n, t, b))
    for k in range(12):
        n = rng.choice([2, 3, 4, 7])
        T = rng.choice([1.0, 0.07, 0.01, 3.5, 1e-5])
        s = [rng.uniform(-1.0, 1.0) for _ in range(n * n)]
        if k % 3 == 2:
            i, j = rng.randrange(n), rng.randrange(n)
            if i != j:
                s[i * n + j] = -INF
        print(infonce_line("random_%d" % k, s, n, T))


if __name__ == "__main__":
    main()
