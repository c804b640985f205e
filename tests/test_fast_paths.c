/*
 * The fast paths of the discrete divergences against the portable ones:
 * the inline logarithm against glibc's log, the deviance polynomial
 * against its series, and every divergence computed by the copy the CPU
 * picks (AVX2 + FMA where present) against the forced scalar copy, which
 * must agree bit for bit, on random, near-identical, subnormal, zero-laden
 * and wide-range inputs of lengths that are and are not multiples of the
 * block size. Random inputs use the fixed seed SEED.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "deviance_kernel.h"
#include "fastlog.h"
#include "simd_discrete.h"

#define SEED 20261204u

/* The bound of the inline logarithm against glibc's log, in ulp. */
#define FASTLOG_MAX_ULP 1.0

static uint64_t
next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Returns a double uniform in [0, 1). */
static double
uniform(uint64_t *state)
{
    return (double)(next_random(state) >> 11) * 0x1p-53;
}

static double
from_bits(uint64_t bits)
{
    double x;

    memcpy(&x, &bits, sizeof x);
    return x;
}

static void
fastlog_within_one_ulp_of_libm(void **state)
{
    uint64_t rng = SEED;
    uint64_t worst = 0;

    (void)state;
    for (long i = 0; i < 4000000; i++) {
        /* Random bit patterns over all positive finite doubles, and half of them near 1. */
        uint64_t bits = next_random(&rng) % 0x7ff0000000000000u;
        double x;

        if (i % 2 == 1) {
            bits = (bits & 0x000fffffffffffffu) | ((uint64_t)(1022 + i % 3) << 52);
        }
        x = from_bits(bits);
        if (x == 0.0) {
            continue;
        }
        if (check_ulp_distance(singdiv__fastlog(x), log(x)) > worst) {
            worst = check_ulp_distance(singdiv__fastlog(x), log(x));
        }
        if ((double)check_ulp_distance(singdiv__fastlog(x), log(x)) > FASTLOG_MAX_ULP) {
            print_error("x = %a\n", x);
            check_ulp(singdiv__fastlog(x), log(x), FASTLOG_MAX_ULP);
        }
    }
    printf("# fastlog: worst %llu ulp from glibc log over random inputs\n",
           (unsigned long long)worst);
}

static void
fastlog_edge_inputs(void **state)
{
    const double inputs[] = {
        1.0, 2.0, 0.5, DBL_MIN, DBL_MAX, 0x1p-1074, 0x1p-1073, 0x1.fffffffffffffp-1023,
        0x1.6a09e667f3bccp-1, 0x1.6a09e667f3bcdp-1, 0x1.6a09e667f3bcep-1,
        0x1.6a09e667f3bccp+0, 0x1.6a09e667f3bcdp+0, 0x1.6a09e667f3bcep+0,
        0x1.0000000000001p+0, 0x1.fffffffffffffp-1, 1e-300, 1e300, 3.0, 10.0,
    };

    (void)state;
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        check_ulp(singdiv__fastlog(inputs[i]), log(inputs[i]), FASTLOG_MAX_ULP);
    }
    check_identical(singdiv__fastlog(1.0), 0.0);
}

static void
fastlog_lanes_match_single_calls(void **state)
{
    uint64_t rng = SEED;
    double x[SINGDIV_FASTLOG_MAX];
    double out[SINGDIV_FASTLOG_MAX];

    (void)state;
    for (int round = 0; round < 1000; round++) {
        for (int j = 0; j < SINGDIV_FASTLOG_MAX; j++) {
            x[j] = ldexp(0.5 + uniform(&rng), (int)(next_random(&rng) % 2000) - 1000);
        }
        singdiv__fastlog_n(x, out, SINGDIV_FASTLOG_MAX);
        for (int j = 0; j < SINGDIV_FASTLOG_MAX; j++) {
            check_identical(out[j], singdiv__fastlog(x[j]));
        }
    }
}

/* Double-double helpers for the reference below (about 100 bits; valgrind has no wider long double). */
static singdiv__dd
dd_mul(singdiv__dd x, singdiv__dd y)
{
    singdiv__dd r = singdiv__two_prod(x.hi, y.hi);
    double lo = r.lo + (x.hi * y.lo + x.lo * y.hi);
    double hi = r.hi + lo;

    r.lo = lo - (hi - r.hi);
    r.hi = hi;
    return r;
}

static singdiv__dd
dd_div(singdiv__dd x, double d)
{
    double q1 = x.hi / d;
    double remainder = fma(-q1, d, x.hi) + x.lo;
    singdiv__dd r = singdiv__two_sum(q1, remainder / d);

    return r;
}

static singdiv__dd
dd_add(singdiv__dd x, singdiv__dd y)
{
    singdiv__dd r = singdiv__two_sum(x.hi, y.hi);
    double lo = r.lo + (x.lo + y.lo);
    double hi = r.hi + lo;

    r.lo = lo - (hi - r.hi);
    r.hi = hi;
    return r;
}

/* h(v) = sum_k w^(k+1) (1 / (2k + 1) + v / (2k + 3)), w = v^2, in double-double. */
static double
deviance_series_reference(double v)
{
    singdiv__dd w = singdiv__two_prod(v, v);
    singdiv__dd power = w;
    singdiv__dd sum = { 0.0, 0.0 };
    singdiv__dd vv = { v, 0.0 };

    for (int k = 0; k < 120; k++) {
        singdiv__dd pair = dd_add(dd_div(power, 2.0 * k + 1.0), dd_mul(vv, dd_div(power, 2.0 * k + 3.0)));

        sum = dd_add(sum, pair);
        power = dd_mul(power, w);
    }
    return sum.hi + sum.lo;
}

static void
deviance_polynomial_matches_series(void **state)
{
    uint64_t rng = SEED;

    (void)state;
    for (int i = 0; i < 100000; i++) {
        double v = uniform(&rng) - 0.5;

        if (i % 4 == 0) {
            v = ldexp(v, -(int)(next_random(&rng) % 60));
        }
        /* h = v^2 (1 + v (1 + v) g): 1 ulp from v^2, 1.5 from roundings, 0.4 from g. */
        check_ulp(singdiv__deviance_series(v), deviance_series_reference(v), 3);
    }
    check_identical(singdiv__deviance_series(0.0), 0.0);
}

/* Runs all four divergences on both paths; every member of the reports must match exactly. */
static void
check_paths_agree(const double *p, const double *q, size_t n, int normalize)
{
    singdiv_options opt;
    singdiv_report fast;
    singdiv_report scalar;

    singdiv_options_init(&opt);
    opt.normalize = normalize;

    for (int kind = 0; kind < 4; kind++) {
        singdiv_status status_fast;
        singdiv_status status_scalar;

        if (kind == 0) {
            status_fast = singdiv__entropy_on(p, n, &opt, &fast, SINGDIV__PATH_AUTO);
            status_scalar = singdiv__entropy_on(p, n, &opt, &scalar, SINGDIV__PATH_SCALAR);
        } else if (kind == 1) {
            status_fast = singdiv__cross_entropy_on(p, q, n, &opt, &fast, SINGDIV__PATH_AUTO);
            status_scalar = singdiv__cross_entropy_on(p, q, n, &opt, &scalar, SINGDIV__PATH_SCALAR);
        } else if (kind == 2) {
            status_fast = singdiv__kl_on(p, q, n, &opt, &fast, SINGDIV__PATH_AUTO);
            status_scalar = singdiv__kl_on(p, q, n, &opt, &scalar, SINGDIV__PATH_SCALAR);
        } else {
            status_fast = singdiv__js_on(p, q, n, &opt, &fast, SINGDIV__PATH_AUTO);
            status_scalar = singdiv__js_on(p, q, n, &opt, &scalar, SINGDIV__PATH_SCALAR);
        }
        check_status(status_fast, SINGDIV_OK);
        check_status(status_scalar, SINGDIV_OK);
        check_identical(fast.value, scalar.value);
        check_identical(fast.finite_part, scalar.finite_part);
        check_identical(fast.violating_mass, scalar.violating_mass);
        check_identical(fast.reverse_mass, scalar.reverse_mass);
        check_size(fast.violating_count, scalar.violating_count);
        check_size(fast.reverse_count, scalar.reverse_count);
    }
}

enum { MAX_N = 1003 };

/* Fills p and q (counts) with one of the input families; returns the length used. */
static size_t
fill_family(int family, uint64_t *rng, double *p, double *q)
{
    size_t n = 1 + next_random(rng) % MAX_N;

    for (size_t i = 0; i < n; i++) {
        p[i] = 1.0 + uniform(rng);
        q[i] = 1.0 + uniform(rng);
        switch (family) {
        case 0: /* random counts */
            break;
        case 1: /* near-identical: q differs from p in the last few bits */
            q[i] = p[i] * (1.0 + ldexp(uniform(rng) - 0.5, -40));
            break;
        case 2: /* zeros on either side, at random places */
            p[i] = next_random(rng) % 5 == 0 ? 0.0 : p[i];
            q[i] = next_random(rng) % 5 == 0 ? 0.0 : q[i];
            break;
        case 3: /* subnormal entries beside normal ones */
            p[i] = next_random(rng) % 3 == 0 ? ldexp(uniform(rng) + 0x1p-52, -1060) : p[i];
            q[i] = next_random(rng) % 3 == 0 ? ldexp(uniform(rng) + 0x1p-52, -1060) : q[i];
            break;
        case 4: /* wide range: ratios far beyond the polynomial's reach, and beyond DBL_MAX */
            p[i] = ldexp(p[i], (int)(next_random(rng) % 1200) - 1100);
            q[i] = ldexp(q[i], (int)(next_random(rng) % 1200) - 1100);
            break;
        case 5: /* ratios within a factor 3: blocks of near forms only, and mixed ones */
            q[i] = p[i] * (1.0 + 0.9 * (2.0 * uniform(rng) - 1.0));
            break;
        default: /* one dominant entry, so shares near 1 take the log1p path */
            p[i] = i == 0 ? 1e6 : p[i];
            q[i] = i == 0 ? 1e6 : q[i];
            break;
        }
    }
    p[0] = p[0] == 0.0 ? 1.0 : p[0];
    q[n - 1] = q[n - 1] == 0.0 ? 1.0 : q[n - 1];
    return n;
}

static void
fast_path_matches_scalar_bit_for_bit(void **state)
{
    static double p[MAX_N];
    static double q[MAX_N];
    uint64_t rng = SEED;

    (void)state;
    printf("# fast path: %s\n", singdiv__path_uses_avx2(SINGDIV__PATH_AUTO)
                                    ? "AVX2 + FMA copy against the scalar copy"
                                    : "no AVX2 + FMA here, both runs are scalar");
    for (int round = 0; round < 300; round++) {
        int family = round % 7;
        size_t n = fill_family(family, &rng, p, q);

        check_paths_agree(p, q, n, 1);
    }
}

static void
fast_path_on_normalized_input(void **state)
{
    static double p[MAX_N];
    static double q[MAX_N];
    uint64_t rng = SEED + 1;
    size_t n = fill_family(0, &rng, p, q);
    double p_sum = 0.0;
    double q_sum = 0.0;

    (void)state;
    for (size_t i = 0; i < n; i++) {
        p_sum += p[i];
        q_sum += q[i];
    }
    for (size_t i = 0; i < n; i++) {
        p[i] /= p_sum;
        q[i] /= q_sum;
    }
    check_paths_agree(p, q, n, 0);
}

/*
 * Entries whose share of their sum underflows after scaling (beside
 * DBL_MAX, or 2^-1074 beside 1), in full blocks and in the tail, with
 * the underflowing entry in p, in q or in both.
 */
static void
fast_path_on_tiny_shares(void **state)
{
    static double p[MAX_N];
    static double q[MAX_N];
    const double tiny[] = { 0x1p-1022, 0x1p-1000, 0x1p-1074, 0x1p-60 };
    uint64_t rng = SEED + 2;

    (void)state;
    for (int round = 0; round < 64; round++) {
        size_t n = 1 + next_random(&rng) % 40;

        for (size_t i = 0; i < n; i++) {
            int kind = (int)(next_random(&rng) % 4);

            p[i] = kind == 1 ? tiny[next_random(&rng) % 4] : 1.0 + uniform(&rng);
            q[i] = kind == 2 ? tiny[next_random(&rng) % 4] : 1.0 + uniform(&rng);
            if (kind == 3) {
                q[i] = p[i] = tiny[next_random(&rng) % 4];
            }
        }
        p[0] = round % 2 == 0 ? DBL_MAX : 1.0;
        q[n - 1] = round % 3 == 0 ? DBL_MAX : q[n - 1];
        check_paths_agree(p, q, n, 1);
    }
}

/*
 * The validators' scan: the same bits on both paths for every input
 * family (zeros, subnormals, DBL_MAX included), and on both paths a
 * rejection of NaN, +inf or a negative entry in any block or in the tail.
 */
static void
scan_paths_agree(void **state)
{
    static double p[MAX_N];
    static double q[MAX_N];
    const double bad[] = { (double)NAN, HUGE_VAL, -HUGE_VAL, -0x1p-1074, -1.0 };
    uint64_t rng = SEED + 3;

    (void)state;
    for (int round = 0; round < 120; round++) {
        size_t n = fill_family(round % 7, &rng, p, q);
        singdiv__dd fast = { 0.0, 0.0 };
        singdiv__dd scalar = { 0.0, 0.0 };
        int clean_fast = singdiv__scan_nonnegative_on(p, n, &fast, SINGDIV__PATH_AUTO);
        int clean_scalar = singdiv__scan_nonnegative_on(p, n, &scalar, SINGDIV__PATH_SCALAR);

        assert_int_equal(clean_fast, 1);
        assert_int_equal(clean_scalar, 1);
        check_identical(fast.hi, scalar.hi);
        check_identical(fast.lo, scalar.lo);

        p[next_random(&rng) % n] = bad[round % 5];
        assert_int_equal(singdiv__scan_nonnegative_on(p, n, &fast, SINGDIV__PATH_AUTO), 0);
        assert_int_equal(singdiv__scan_nonnegative_on(p, n, &scalar, SINGDIV__PATH_SCALAR), 0);
    }
}

/*
 * The scan of a pair gives the sums of the two single scans on both
 * paths, and rejects a bad entry on either side.
 */
static void
pair_scan_matches_single_scans(void **state)
{
    static double p[MAX_N];
    static double q[MAX_N];
    const double bad[] = { (double)NAN, HUGE_VAL, -HUGE_VAL, -0x1p-1074, -1.0 };
    const singdiv__path paths[2] = { SINGDIV__PATH_AUTO, SINGDIV__PATH_SCALAR };
    uint64_t rng = SEED + 4;

    (void)state;
    for (int round = 0; round < 120; round++) {
        size_t n = fill_family(round % 7, &rng, p, q);
        singdiv__dd single_p;
        singdiv__dd single_q;

        assert_int_equal(singdiv__scan_nonnegative_on(p, n, &single_p, SINGDIV__PATH_SCALAR), 1);
        assert_int_equal(singdiv__scan_nonnegative_on(q, n, &single_q, SINGDIV__PATH_SCALAR), 1);
        for (int k = 0; k < 2; k++) {
            singdiv__dd sum_p = { 0.0, 0.0 };
            singdiv__dd sum_q = { 0.0, 0.0 };

            assert_int_equal(singdiv__scan_pair_on(p, q, n, &sum_p, &sum_q, paths[k]), 1);
            check_identical(sum_p.hi, single_p.hi);
            check_identical(sum_p.lo, single_p.lo);
            check_identical(sum_q.hi, single_q.hi);
            check_identical(sum_q.lo, single_q.lo);
        }

        (round % 2 == 0 ? p : q)[next_random(&rng) % n] = bad[round % 5];
        for (int k = 0; k < 2; k++) {
            singdiv__dd sum_p;
            singdiv__dd sum_q;

            assert_int_equal(singdiv__scan_pair_on(p, q, n, &sum_p, &sum_q, paths[k]), 0);
        }
    }
}

static void
scalar_path_never_uses_avx2(void **state)
{
    (void)state;
    assert_false(singdiv__path_uses_avx2(SINGDIV__PATH_SCALAR));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fastlog_within_one_ulp_of_libm),
        cmocka_unit_test(fastlog_edge_inputs),
        cmocka_unit_test(fastlog_lanes_match_single_calls),
        cmocka_unit_test(deviance_polynomial_matches_series),
        cmocka_unit_test(fast_path_matches_scalar_bit_for_bit),
        cmocka_unit_test(fast_path_on_normalized_input),
        cmocka_unit_test(fast_path_on_tiny_shares),
        cmocka_unit_test(scan_paths_agree),
        cmocka_unit_test(pair_scan_matches_single_scans),
        cmocka_unit_test(scalar_path_never_uses_avx2),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
