#!/usr/bin/env python3
"""Write tests/data/logits_overflow_reference.txt: 50-digit reference values
of the cross-entropy of a target against softmax(logits / temperature) at
temperatures near DBL_MIN and subnormal, where some s_i = (l_i - max) / T,
or the sum of p_i |s_i| before division by the target's sum, is near or
beyond DBL_MAX, for tests/test_logits.c and tests/test_accumulator.c.

In every case the exact cross-entropy is finite. It is below DBL_MAX
except where the name says "above_dblmax", whose reference is inf.

The line format and the rounding of the values are those of
tests/gen_logits_reference.py, whose line() writes them; only "dist"
cases appear.

Usage: python3 tests/gen_logits_overflow_reference.py \\
           > tests/data/logits_overflow_reference.txt
(needs mpmath). No randomness: the output is reproducible.
"""
import sys
import os

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gen_logits_reference import line  # noqa: E402

DBL_MAX = sys.float_info.max
DBL_MIN = sys.float_info.min


def cases():
    out = []
    # The fuzzer's input: s = -3 2^1022 on 370 / 414 of the target. The sum
    # of p_i |s_i| in units where the target sums to [1, 2) exceeds DBL_MAX.
    p = [0.0, 0.0, 44.0, 19.0, 44.0] + [24.0] * 10 + [19.0, 24.0, 24.0]
    logits = [21.0] * 4 + [24.0] + [21.0] * 13
    out.append(line("fuzz_gap_3x2p1022", 2.0 ** -1022, logits, p=p))

    # The same target at DBL_MIN times 1.5 and at subnormal temperatures,
    # with the gap scaled so that s stays 3 2^1022.
    for name, T in (("t_1p5_dblmin", 1.5 * DBL_MIN), ("t_2pm1023", 2.0 ** -1023),
                    ("t_subnormal_odd", float.fromhex("0x0.0001234567p-1022")),
                    ("t_2pm1074", 2.0 ** -1074)):
        gap = float.fromhex("0x1.8p1023") * T
        out.append(line("fuzz_target_" + name, T, [0.0, -gap, -gap / 2, 0.0],
                        p=[0.05, 1.2, 0.6, 0.05]))

    # One share of 1.85 / 1.9 on s = -0.95 DBL_MAX at T = 1.5 DBL_MIN.
    T = 1.5 * DBL_MIN
    out.append(line("share_0p97_gap_0p95_dblmax", T, [0.0, -(0.95 * DBL_MAX) * T],
                    p=[0.05, 1.85]))

    # s = -DBL_MAX exactly, from 4 - 2^-51 at T = 2^-1022, just below overflow.
    out.append(line("gap_dblmax_exactly", 2.0 ** -1022, [0.0, -(4.0 - 2.0 ** -51)],
                    p=[0.05, 1.85]))

    # s = -2^1024, just above DBL_MAX, on shares 0.9 and 1 - 2^-10.
    out.append(line("gap_2p1024_share_0p9", 2.0 ** -1022, [0.0, -4.0], p=[0.1, 0.9]))
    out.append(line("gap_2p1024_share_near_1", 2.0 ** -1022, [0.0, -4.0],
                    p=[2.0 ** -10, 1.0 - 2.0 ** -10]))

    # s = -2^1024 on the share 1 - 2^-60: CE = 2^1024 (1 - 2^-60) > DBL_MAX.
    out.append(line("gap_2p1024_above_dblmax", 2.0 ** -1022, [0.0, -4.0],
                    p=[1.0, 2.0 ** 60]))

    # s = -2^1074 on a share of 2^-100, and on a subnormal share of 2^-1074.
    out.append(line("gap_2p1074_share_2pm100", 2.0 ** -1074, [0.0, -1.0],
                    p=[1.0, 2.0 ** -100]))
    out.append(line("gap_2p1074_share_2pm1074", 2.0 ** -1074, [0.0, -1.0],
                    p=[1.0, 2.0 ** -1074]))

    # A difference that overflows (+-1.5e308) at a subnormal T, on a
    # subnormal share: CE = 2^-1074 * 3e308 * 2^1060 = 1.8e304.
    out.append(line("gap_3e308_share_2pm1074", 2.0 ** -1060, [1.5e308, -1.5e308],
                    p=[1.0, 2.0 ** -1074]))

    # s = -15 2^1022 is below -DBL_MAX, and CE = 63/414 (then 63/473) of
    # |s|, 1.0e308 (then 9.0e307). A chunk with only the first logits and
    # the maximum (a prefix, or the first half in the second case) has a
    # cross-entropy above DBL_MAX.
    out.append(line("gap_15x2p1022_chunk_above_dblmax", 2.0 ** -1022, [21.0, 21.0, 36.0, 36.0],
                    p=[44.0, 19.0, 200.0, 151.0]))
    out.append(line("gap_15x2p1022_half_above_dblmax", 2.0 ** -1022, [21.0, 36.0, 21.0, 36.0],
                    p=[44.0, 10.0, 19.0, 400.0]))

    # Several gaps of both kinds beside a near-maximum one, at T = DBL_MIN.
    out.append(line("mixed_gaps", DBL_MIN, [0.0, -1.0, -3.5, -8.0, -2.0 ** -900, -1e-300],
                    p=[0.25, 0.5, 0.125, 2.0 ** -1030, 0.0625, 0.0625]))

    return out


def main():
    print("# name kind T k | p | logits | CE CE_finite KL KL_finite LSE m_V q(F)")
    for l in cases():
        print(l)


if __name__ == "__main__":
    main()
