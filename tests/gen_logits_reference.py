#!/usr/bin/env python3
"""Write tests/data/logits_reference.txt: 50-digit reference values of the
cross-entropy, KL and log-sum-exp of a target against
softmax(logits / temperature), for tests/test_logits.c.

Inputs are doubles, written as hex floats ("-inf" for a logit of -inf).
The references treat them as exact: s_i = (l_i - max) / T is formed from
the exact difference, the target is divided by its exact sum, and every
value is rounded to the nearest double at the end ("inf" when it exceeds
DBL_MAX).

Line format:
  name kind T k [target] | p_0 .. p_{k-1} (kind "dist" only) | l_0 .. l_{k-1}
  | CE CE_finite KL KL_finite LSE m_V q(F)
kind is "dist" (target distribution) or "index" (class index target).

Usage: python3 tests/gen_logits_reference.py > tests/data/logits_reference.txt
(needs mpmath; Debian: python3-mpmath). The seed is fixed, so the output is
reproducible.
"""
import math
import random

from mpmath import mp, mpf, exp, log

mp.dps = 50
SEED = 20261205
INF = float("inf")


def hexf(x):
    if x == INF:
        return "inf"
    if x == -INF:
        return "-inf"
    return float(x).hex()


def as_double(v):
    """Rounds an mpf to the nearest double; beyond DBL_MAX gives inf."""
    if v == mp.inf:
        return INF
    if abs(v) > mpf(2) ** 1024 * (1 - mpf(2) ** -54):
        return INF if v > 0 else -INF
    return float(v)


def reference(p, logits, T):
    T = mpf(T)
    finite = [l for l in logits if l != -INF]
    top = max(finite)
    s = [None if l == -INF else mp.fsub(mpf(l), mpf(top), exact=True) / T for l in logits]
    lse_shifted = log(mp.fsum(exp(v) for v in s if v is not None))
    lse = mpf(top) / T + lse_shifted
    P = mp.fsum(mpf(x) for x in p)
    ce = kl = vm = rm = mpf(0)
    singular = False
    for x, v in zip(p, s):
        x = mpf(x) / P
        if v is None:
            if x > 0:
                singular = True
                vm += x
            continue
        log_q = v - lse_shifted
        if x > 0:
            ce -= x * log_q
            kl += x * (log(x) - log_q)
        else:
            rm += exp(log_q)
    ce_value = mp.inf if singular else ce
    kl_value = mp.inf if singular else kl
    return [ce_value, ce, kl_value, kl, lse, vm, rm]


def softmax(logits, T):
    top = max(l for l in logits if l != -INF)
    w = [0.0 if l == -INF else math.exp((l - top) / T) for l in logits]
    total = math.fsum(w)
    return [x / total for x in w]


def normalised(w):
    total = math.fsum(w)
    return [x / total for x in w]


def line(name, T, logits, p=None, target=None):
    if target is not None:
        onehot = [1.0 if i == target else 0.0 for i in range(len(logits))]
        values = reference(onehot, logits, T)
        head = [name, "index", hexf(T), str(len(logits)), str(target)]
        body = [hexf(l) for l in logits]
    else:
        values = reference(p, logits, T)
        head = [name, "dist", hexf(T), str(len(logits))]
        body = [hexf(x) for x in p] + [hexf(l) for l in logits]
    return " ".join(head + body + [hexf(as_double(v)) for v in values])


def random_cases(rng):
    out = []
    for k in (2, 3, 10, 100, 1000):
        for j in range(3):
            logits = [rng.gauss(0.0, 4.0) for _ in range(k)]
            p = normalised([rng.expovariate(1.0) for _ in range(k)])
            T = rng.choice([1.0, 0.5, 2.7])
            out.append(line("random_k%d_%d" % (k, j), T, logits, p=p))
            out.append(line("random_index_k%d_%d" % (k, j), T, logits, target=rng.randrange(k)))
    return out


def near_softmax_cases(rng):
    """Targets close to the model: KL is small, CE is close to H(p)."""
    out = []
    for k, rel in ((10, 1e-3), (100, 1e-6), (50, 1e-9)):
        logits = [rng.gauss(0.0, 2.0) for _ in range(k)]
        q = softmax(logits, 1.0)
        p = normalised([x * (1.0 + rel * rng.uniform(-1.0, 1.0)) for x in q])
        out.append(line("near_softmax_k%d" % k, 1.0, logits, p=p))
    return out


def special_cases(rng):
    out = []
    # -inf logits: a zero target there is free; a target there is singular.
    out.append(line("neg_inf_zero_target", 1.0, [-INF, 0.0], p=[0.0, 1.0]))
    out.append(line("neg_inf_label_smoothing", 1.0, [-INF, 2.0, 0.0],
                    p=[1.0 / 15, 13.0 / 15, 1.0 / 15]))
    out.append(line("neg_inf_mixed", 1.0, [-INF, 1.5, -INF, -0.25, 3.0],
                    p=[0.0, 0.2, 0.1, 0.3, 0.4]))
    out.append(line("neg_inf_index_hit", 1.0, [0.5, -INF, 1.0], target=1))
    out.append(line("neg_inf_index_miss", 1.0, [0.5, -INF, 1.0], target=2))
    # Huge logits: differences beyond DBL_MAX are halved before scaling.
    out.append(line("huge_pm1e300", 1.0, [1e300, -1e300, 1e300 * (1 - 2**-52)],
                    p=[0.5, 0.0, 0.5]))
    out.append(line("huge_scaled_by_T", 1e300, [1e300, -1e300, 0.0, 2.5e299],
                    p=[0.25, 0.25, 0.25, 0.25]))
    out.append(line("dbl_max_logits", 1e308, [1.7e308, -1.7e308, 0.0], p=[0.2, 0.3, 0.5]))
    out.append(line("huge_index", 1.0, [1e300, 1e300 - 2**947, -1e300], target=1))
    # Temperature extremes.
    out.append(line("tiny_T_close_logits", 1e-300, [1e-300, 0.0, -2e-300, 3e-300],
                    p=[0.1, 0.2, 0.3, 0.4]))
    out.append(line("tiny_T_large_gap", 1e-300, [1.0, 0.0], p=[0.5, 0.5]))
    # s = -1e310 is below -DBL_MAX: the exact CE is finite but rounds to inf.
    out.append(line("tiny_T_overflow", 1e-300, [1e10, 0.0], p=[0.5, 0.5]))
    out.append(line("tiny_T_argmax_target", 1e-300, [1.0, 0.0, 0.5], p=[1.0, 0.0, 0.0]))
    out.append(line("huge_T_uniform", 1e300, [3.0, -7.0, 11.0], p=[0.3, 0.3, 0.4]))
    out.append(line("subnormal_T", 5e-324, [0.0, -5e-324, -1e-323], target=0))
    # A dominant logit: CE = log1p(sum exp(-gaps)) is tiny and must keep its digits.
    out.append(line("dominant_logit", 1.0, [0.0, -40.0, -50.0, -745.5], p=[1.0, 0.0, 0.0, 0.0]))
    out.append(line("dominant_index", 1.0, [30.0, -10.0, 0.0], target=0))
    out.append(line("single_logit", 0.75, [2.0], p=[1.0]))
    out.append(line("ties", 1.0, [1.0, 1.0, 1.0, -3.0], p=[0.25, 0.25, 0.25, 0.25]))
    # Counts as the target (normalised by their exact sum).
    out.append(line("counts_target", 1.0, [0.3, -0.2, 1.1], p=[3.0, 0.0, 7.0]))
    # Wide dynamic range of logits.
    logits = [rng.uniform(-700.0, 0.0) for _ in range(64)]
    logits[17] = 0.0
    out.append(line("wide_range_k64", 1.0, logits, p=normalised([rng.random() for _ in range(64)])))
    return out


def main():
    rng = random.Random(SEED)
    print("# name kind T k [target] | p (dist) | logits | CE CE_finite KL KL_finite LSE m_V q(F)")
    for l in random_cases(rng) + near_softmax_cases(rng) + special_cases(rng):
        print(l)


if __name__ == "__main__":
    main()
