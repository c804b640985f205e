/*
 * Tests of the Wasserstein distances on the real line: closed forms, the
 * known-fault cases, invariances, the agreement of the sample and histogram
 * forms, every status, the workspace and sorted variants, the radix sort,
 * and exact references from tests/gen_w1_reference.py.
 */
#define _POSIX_C_SOURCE 200809L

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "check.h"
#include "internal.h"
#include "radix_sort.h"
#include "w1_hist.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Bounds documented in include/singdiv/wasserstein.h. */
#define W1_MAX_ULP 4.0
#define WK_MAX_ULP 8.0

/* A fixed-seed generator (splitmix64), so every run draws the same inputs. */
static uint64_t
next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* A uniform double in [0, 1). */
static double
next_uniform(uint64_t *state)
{
    return (double)(next_random(state) >> 11) * 0x1p-53;
}

static double
w1(const double *u, const double *uw, size_t nu, const double *v, const double *vw, size_t nv)
{
    double out = -1.0;

    check_status(singdiv_w1_samples(u, uw, nu, v, vw, nv, &out), SINGDIV_OK);
    return out;
}

static double
wk(const double *u, size_t nu, const double *v, size_t nv, double k)
{
    double out = -1.0;

    check_status(singdiv_wk_samples(u, NULL, nu, v, NULL, nv, k, &out), SINGDIV_OK);
    return out;
}

/* ---- closed forms ---- */

static void
w1_point_masses_distance_is_gap(void **state)
{
    double u[] = { 0.2385 };
    double v[] = { -3.7 };

    (void)state;
    /* One point each: the whole mass moves by |0.2385 + 3.7|. */
    check_identical(w1(u, NULL, 1, v, NULL, 1), 0.2385 + 3.7);
}

static void
w1_two_uniforms_distance_is_mean_gap(void **state)
{
    double u[8];
    double v[8];

    (void)state;
    /*
     * Quantile midpoints of U[0, 1] and U[0.5, 2.5]: u_i = (i + 1/2) / 8 and
     * v_i = 1/2 + 2 (i + 1/2) / 8, all exact. v_i - u_i = 1/2 + (i + 1/2) / 8
     * is positive, so W1 = mean(v) - mean(u) = 1.5 - 0.5 = 1.
     */
    for (int i = 0; i < 8; i++) {
        u[i] = (i + 0.5) / 8.0;
        v[i] = 0.5 + 2.0 * (i + 0.5) / 8.0;
    }
    check_identical(w1(u, NULL, 8, v, NULL, 8), 1.0);
}

static void
w1_shift_equals_distance(void **state)
{
    uint64_t seed = 4;
    double u[300];
    double v[300];
    double w[300];

    (void)state;
    /* Values k / 1024 shifted by 0.375 stay exact, so W1 is the shift exactly. */
    for (int i = 0; i < 300; i++) {
        u[i] = (double)(next_random(&seed) % 4096) / 1024.0;
        v[(i * 7) % 300] = u[i] + 0.375;
        w[i] = 1.0;
    }
    check_identical(w1(u, NULL, 300, v, NULL, 300), 0.375);
    check_ulp(w1(u, w, 300, v, NULL, 300), 0.375, 1);
}

static void
w1_shift_with_weights_equals_distance(void **state)
{
    double u[] = { 3.25, -1.5, 0.75, 2.0 };
    double uw[] = { 0.2385, 1.5, 0.0, 3.125 };
    double v[] = { 3.25 + 6.5, -1.5 + 6.5, 0.75 + 6.5, 2.0 + 6.5 };

    (void)state;
    /* The same weights moved by 6.5: every unit of mass travels 6.5. */
    check_ulp(w1(u, uw, 4, v, uw, 4), 6.5, 1);
}

static void
w1_unequal_lengths_closed_form(void **state)
{
    double u[] = { 0.0, 1.0, 2.0 };
    double v[] = { 3.0, 0.5 };

    (void)state;
    /*
     * Quantiles: u is 0, 1, 2 on thirds; v is 0.5, 3 on halves. Pieces:
     * [0, 1/3) |0 - 0.5|, [1/3, 1/2) |1 - 0.5|, [1/2, 2/3) |1 - 3|,
     * [2/3, 1) |2 - 3|: 1/6 + 1/12 + 1/3 + 1/3 = 11/12.
     */
    check_ulp(w1(u, NULL, 3, v, NULL, 2), 11.0 / 12.0, 1);
}

static void
w1_ties_closed_form(void **state)
{
    double u[] = { 2.0, 1.0, 1.0, 1.0 };
    double v[] = { 2.0, 1.0, 2.0, 2.0 };

    (void)state;
    /* Sorted: 1 1 1 2 against 1 2 2 2; two quarters move by 1. */
    check_identical(w1(u, NULL, 4, v, NULL, 4), 0.5);
}

static void
w1_zero_weight_is_ignored(void **state)
{
    double u[] = { 0.0, 1e6 };
    double uw[] = { 1.0, 0.0 };
    double v[] = { 1.0 };

    (void)state;
    /* The far point carries nothing: all the mass moves from 0 to 1. */
    check_identical(w1(u, uw, 2, v, NULL, 1), 1.0);
}

static void
w1_unequal_totals_are_normalised(void **state)
{
    double u[] = { 0.5, -2.25, 4.0 };
    double counts[] = { 1.0, 2.0, 3.0 };
    double counts_1024[] = { 1024.0, 2048.0, 3072.0 };
    double v[] = { 1.0, 2.0 };
    double vw[] = { 0.2385, 0.7615 };
    double reference = w1(u, counts, 3, v, vw, 2);

    (void)state;
    /* Scaling the weights by a power of two changes nothing, bit for bit. */
    check_identical(w1(u, counts_1024, 3, v, vw, 2), reference);
    /*
     * Closed form: u has masses 2/6, 1/6, 3/6 at -2.25, 0.5, 4, and v is 1
     * up to t = 0.2385, then 2. Pieces of the quantile coupling:
     * [0, 0.2385) |-2.25 - 1|, [0.2385, 1/3) |-2.25 - 2|, [1/3, 1/2)
     * |0.5 - 2|, [1/2, 1) |4 - 2|.
     */
    check_rel(reference,
              3.25 * 0.2385 + 4.25 * (1.0 / 3.0 - 0.2385) + 1.5 / 6.0 + 2.0 * 0.5, 1e-15);
}

static void
w1_identical_inputs_give_zero(void **state)
{
    double u[] = { 0.2385, -7.0, 1e9, 3.5, 3.5 };
    double w[] = { 0.1, 0.0, 2.5, 1.0, 0.3 };

    (void)state;
    check_identical(w1(u, NULL, 5, u, NULL, 5), 0.0);
    check_identical(w1(u, w, 5, u, w, 5), 0.0);
}

static void
w1_large_offset_keeps_digits(void **state)
{
    double u[64];
    double v[64];
    uint64_t seed = 9;

    (void)state;
    /* 1e9 + k / 256 is exact; v is u moved by 1/8 with the order shuffled. */
    for (int i = 0; i < 64; i++) {
        u[i] = 1e9 + (double)(next_random(&seed) % 1024) / 256.0;
        v[(i * 5) % 64] = u[i] + 0.125;
    }
    check_identical(w1(u, NULL, 64, v, NULL, 64), 0.125);
}

static void
w1_translation_invariant(void **state)
{
    double u[100];
    double v[70];
    double us[100];
    double vs[70];
    uint64_t seed = 17;

    (void)state;
    /* Values k / 256 moved by 2^30 stay exact, so the result is unchanged bit for bit. */
    for (int i = 0; i < 100; i++) {
        u[i] = (double)(next_random(&seed) % 8192) / 256.0 - 16.0;
        us[i] = u[i] + 0x1p30;
    }
    for (int i = 0; i < 70; i++) {
        v[i] = (double)(next_random(&seed) % 8192) / 256.0 - 12.0;
        vs[i] = v[i] + 0x1p30;
    }
    check_identical(w1(us, NULL, 100, vs, NULL, 70), w1(u, NULL, 100, v, NULL, 70));
}

static void
w1_symmetric(void **state)
{
    double u[50];
    double uw[50];
    double v[40];
    double vw[40];
    uint64_t seed = 23;

    (void)state;
    for (int i = 0; i < 50; i++) {
        u[i] = next_uniform(&seed) * 10.0 - 3.0;
        uw[i] = next_uniform(&seed);
    }
    for (int i = 0; i < 40; i++) {
        v[i] = next_uniform(&seed) * 8.0;
        vw[i] = next_uniform(&seed);
    }
    check_identical(w1(v, NULL, 40, u, NULL, 50), w1(u, NULL, 50, v, NULL, 40));
    check_ulp(w1(v, vw, 40, u, uw, 50), w1(u, uw, 50, v, vw, 40), 2);
}

static void
w1_samples_match_histogram(void **state)
{
    double x[40];
    double p[40];
    double q[40];
    double hist = -1.0;
    singdiv_options opt;
    uint64_t seed = 31;

    (void)state;
    /* Weighted samples on the support points are the same distributions as the histograms. */
    x[0] = -5.0;
    for (int i = 0; i < 40; i++) {
        if (i > 0) {
            x[i] = x[i - 1] + 0.01 + next_uniform(&seed);
        }
        p[i] = next_uniform(&seed) < 0.2 ? 0.0 : next_uniform(&seed);
        q[i] = next_uniform(&seed);
    }
    singdiv_options_init(&opt);
    opt.normalize = 1;
    check_status(singdiv_w1_hist(x, p, q, 40, &opt, &hist), SINGDIV_OK);
    check_ulp(w1(x, p, 40, x, q, 40), hist, 2 * W1_MAX_ULP);
}

static void
w1_unit_weights_match_unweighted(void **state)
{
    double u[33];
    double v[21];
    double ones[33];
    uint64_t seed = 37;

    (void)state;
    for (int i = 0; i < 33; i++) {
        u[i] = next_uniform(&seed) * 3.0;
        ones[i] = 1.0;
    }
    for (int i = 0; i < 21; i++) {
        v[i] = next_uniform(&seed) * 4.0 - 1.0;
    }
    check_ulp(w1(u, ones, 33, v, ones, 21), w1(u, NULL, 33, v, NULL, 21), 2);
}

static void
w1_huge_values_do_not_overflow(void **state)
{
    double u[] = { -DBL_MAX, 0.0 };
    double v[] = { DBL_MAX, 0.0 };
    double w[] = { 1.0, 3.0 };

    (void)state;
    /* Half the mass moves by 2 DBL_MAX, so W1 = DBL_MAX exactly. */
    check_identical(w1(u, NULL, 2, v, NULL, 2), DBL_MAX);
    /* A quarter moves by 2 DBL_MAX: DBL_MAX / 2. */
    check_identical(w1(u, w, 2, v, w, 2), DBL_MAX / 2.0);
    /* All of it moves by 2 DBL_MAX: the exact value exceeds DBL_MAX and rounds to +inf. */
    check_identical(w1(u, NULL, 1, v, NULL, 1), HUGE_VAL);
}

/*
 * The input of fuzz/corpus/wasserstein/regression-w1-nan-samples-near-dbl-max:
 * u = {M, M} with weights {0, 86 2^-1074}, v = {M, M, M, -M2} unweighted,
 * M = DBL_MAX = (2 - 2^-52) 2^1023 and M2 = (2 - 2^-52) 2^992. All of u
 * sits at M. A quarter of v sits at -M2 and moves by M + M2, and the rest
 * stays. So
 *   W1  = (M + M2) / 4 = (2 - 2^-52)(1 + 2^-31) 2^1021
 *       = (1 + 2^-31 - 2^-53 - 2^-84) 2^1022, which rounds to
 *         0x1.00000001fffffp+1022 (about 4.494e307),
 *   W2  = ((M + M2)^2 / 4)^(1/2) = (M + M2) / 2: the same digits, 2^1023,
 *   CDF of order 2 = ((1/4)^2 (M + M2))^(1/2) = sqrt(M + M2) / 4, which
 *         rounds to 0x1.00000001p+510 (mpmath, 300 bits).
 * The weights total a subnormal, so the scaled masses are far below 1.
 * M - (-M2) used to overflow before a mass could shrink it, and inf times
 * the zero mass of u's first value gave NaN.
 */
static void
w1_subnormal_weights_near_dbl_max_are_finite(void **state)
{
    const double huge = 0x1.fffffffffffffp+992;
    double u[] = { DBL_MAX, DBL_MAX };
    double uw[] = { 0.0, 86.0 * DBL_TRUE_MIN };
    double v[] = { DBL_MAX, DBL_MAX, DBL_MAX, -huge };
    double out = -1.0;

    (void)state;
    check_ulp(w1(u, uw, 2, v, NULL, 4), 0x1.00000001fffffp+1022, W1_MAX_ULP);
    check_status(singdiv_wk_samples(u, uw, 2, v, NULL, 4, 2.0, &out), SINGDIV_OK);
    check_ulp(out, 0x1.00000001fffffp+1023, WK_MAX_ULP);
    check_status(singdiv_cdf_distance_samples(u, uw, 2, v, NULL, 4, 1.0, &out), SINGDIV_OK);
    check_ulp(out, 0x1.00000001fffffp+1022, W1_MAX_ULP);
    check_status(singdiv_cdf_distance_samples(u, uw, 2, v, NULL, 4, 2.0, &out), SINGDIV_OK);
    check_ulp(out, 0x1.00000001p+510, WK_MAX_ULP);
}

/*
 * u = {-M, M, M, M}, v = {M}, M = DBL_MAX: a quarter of the mass moves by
 * 2M, so W1 = the CDF distance of order 1 = M / 2 exactly, although the
 * integral of |F_u - F_v| before the factor 1/4 is 2M, beyond DBL_MAX.
 * W_inf = 2M exceeds DBL_MAX and is +inf.
 */
static void
cdf_distance_huge_range_is_finite(void **state)
{
    double u[] = { -DBL_MAX, DBL_MAX, DBL_MAX, DBL_MAX };
    double v[] = { DBL_MAX };
    double out = -1.0;

    (void)state;
    check_status(singdiv_cdf_distance_samples(u, NULL, 4, v, NULL, 1, 1.0, &out), SINGDIV_OK);
    check_identical(out, DBL_MAX / 2.0);
    check_identical(w1(u, NULL, 4, v, NULL, 1), DBL_MAX / 2.0);
    check_identical(wk(u, 4, v, 1, HUGE_VAL), HUGE_VAL);
}

/*
 * u = {0, 2^1000} with weights {1, 37 t}, t = 2^-1074, v = {0} with weight
 * 1.5. F_u - F_v = 1 / (1 + 37 t) - 1 on [0, 2^1000), so
 *   W1 = 2^1000 37 t / (1 + 37 t) = 37 2^-74 (1 - 37 t + ...),
 * which rounds to 37 2^-74 (the factor differs from 1 by far less than
 * half an ulp). The mass 37 t times the total 1.5 of v is 55.5 t, which
 * used to round to 56 t in the subnormal range: 0.9% too large.
 */
static void
w1_tiny_weight_beside_one(void **state)
{
    double u[] = { 0.0, 0x1p1000 };
    double uw[] = { 1.0, 37.0 * DBL_TRUE_MIN };
    double v[] = { 0.0 };
    double vw[] = { 1.5 };
    double out = -1.0;

    (void)state;
    check_ulp(w1(u, uw, 2, v, vw, 1), 37.0 * 0x1p-74, W1_MAX_ULP);
    check_status(singdiv_cdf_distance_samples(u, uw, 2, v, vw, 1, 1.0, &out), SINGDIV_OK);
    check_ulp(out, 37.0 * 0x1p-74, W1_MAX_ULP);
}

/*
 * The histogram form of w1_tiny_weight_beside_one: x = {0, 2^1000},
 * p = {1, 37 t}, q = {1.5, 0} as counts. P_0 - Q_0 = 1 / (1 + 37 t) - 1,
 * so W1 = 37 2^-74 after rounding. The step q_0 P carried 1.5 times the
 * low part 37 t of P, which rounded to 56 t.
 */
static void
w1_hist_tiny_share_beside_one(void **state)
{
    double x[] = { 0.0, 0x1p1000 };
    double p[] = { 1.0, 37.0 * DBL_TRUE_MIN };
    double q[] = { 1.5, 0.0 };
    singdiv_options opt;
    double out = -1.0;

    (void)state;
    singdiv_options_init(&opt);
    opt.normalize = 1;
    check_status(singdiv_w1_hist(x, p, q, 2, &opt, &out), SINGDIV_OK);
    check_ulp(out, 37.0 * 0x1p-74, W1_MAX_ULP);
}

/*
 * x = {0, 1, 2^900}, p = {3, 0.5, 5 t}, q = {3, 0.5, 0} as counts, with
 * P = 3.5 + 5 t and Q = 3.5. P is scaled by 1/2 into [1, 2), which halved
 * its low part 5 t into the subnormal range. The differences are
 * P_0 - Q_0 = 3 / P - 3 / 3.5 = -15 t / (3.5 P) and P_1 - Q_1 = -5 t / P,
 * so W1 = 15 t / (3.5 P) + (2^900 - 1) 5 t / P
 *       = (10 / 7) 2^-174 (1 + O(2^-900)),
 * which rounds to RN(10 / 7) 2^-174.
 */
static void
w1_hist_halved_total_keeps_tiny_part(void **state)
{
    double x[] = { 0.0, 1.0, 0x1p900 };
    double p[] = { 3.0, 0.5, 5.0 * DBL_TRUE_MIN };
    double q[] = { 3.0, 0.5, 0.0 };
    singdiv_options opt;
    double out = -1.0;

    (void)state;
    singdiv_options_init(&opt);
    opt.normalize = 1;
    check_status(singdiv_w1_hist(x, p, q, 3, &opt, &out), SINGDIV_OK);
    check_ulp(out, ldexp(10.0 / 7.0, -174), W1_MAX_ULP);
}

/* Fills a histogram of n points with zero bins, and one entry of q nudged per 5. */
static void
fill_histograms(double *x, double *p, double *q, size_t n, uint64_t *seed)
{
    double position = -3.0;

    for (size_t i = 0; i < n; i++) {
        position += 0.001 + next_uniform(seed);
        x[i] = position;
        p[i] = next_uniform(seed) < 0.2 ? 0.0 : next_uniform(seed);
        q[i] = i % 5 == 2 ? p[i] * (1.0 + 0x1p-50) : next_uniform(seed);
    }
}

/*
 * The AVX2 copy of the histogram pass must give the same bits as the
 * portable copy: sums and flags, for lengths around the block size and a
 * long one, and through singdiv_w1_hist's internal entry point. Where the
 * CPU has no AVX2 both calls run the portable copy and the test is void.
 */
static void
w1_hist_copies_bit_identical(void **state)
{
    const size_t lengths[] = { 2, 255, 256, 257, 258, 513, 3001 };
    double *x = malloc(3001 * sizeof *x);
    double *p = malloc(3001 * sizeof *p);
    double *q = malloc(3001 * sizeof *q);
    uint64_t seed = 20261205;

    (void)state;
    assert_non_null(x);
    assert_non_null(p);
    assert_non_null(q);
    fill_histograms(x, p, q, 3001, &seed);
    for (size_t k = 0; k < ARRAY_LEN(lengths); k++) {
        size_t n = lengths[k];
        singdiv__w1_hist_input in = { x, p, q, n, 0.25, 0.5, { 1.5, 0x1p-60 }, { 1.25, -0x1p-61 } };
        singdiv__w1_hist_sums wide = singdiv__w1_hist_pass(&in, SINGDIV__PATH_AUTO);
        singdiv__w1_hist_sums scalar = singdiv__w1_hist_pass(&in, SINGDIV__PATH_SCALAR);
        double out_wide = -1.0;
        double out_scalar = -2.0;

        check_identical(wide.sum.hi, scalar.sum.hi);
        check_identical(wide.sum.lo, scalar.sum.lo);
        check_size((size_t)wide.bad_support, (size_t)scalar.bad_support);
        check_size((size_t)wide.tiny_share, (size_t)scalar.tiny_share);
        check_status(singdiv__w1_hist_on(x, p, q, n, NULL, &out_wide, SINGDIV__PATH_AUTO),
                     SINGDIV_ERR_NOT_NORMALIZED);
        check_status(singdiv__w1_hist_on(x, p, q, n, &(singdiv_options){ 1, 0.0, 1e-6 },
                                         &out_wide, SINGDIV__PATH_AUTO), SINGDIV_OK);
        check_status(singdiv__w1_hist_on(x, p, q, n, &(singdiv_options){ 1, 0.0, 1e-6 },
                                         &out_scalar, SINGDIV__PATH_SCALAR), SINGDIV_OK);
        check_identical(out_wide, out_scalar);
    }
    free(x);
    free(p);
    free(q);
}

/*
 * The pass flags what it cannot treat, in both copies: an unsorted point
 * in a full block, and a subnormal share.
 */
static void
w1_hist_pass_flags_bad_inputs(void **state)
{
    double *x = malloc(600 * sizeof *x);
    double *p = malloc(600 * sizeof *p);
    double *q = malloc(600 * sizeof *q);
    uint64_t seed = 99;
    const singdiv__path paths[] = { SINGDIV__PATH_AUTO, SINGDIV__PATH_SCALAR };
    double x300;
    double p100;

    (void)state;
    assert_non_null(x);
    assert_non_null(p);
    assert_non_null(q);
    fill_histograms(x, p, q, 600, &seed);
    for (size_t k = 0; k < ARRAY_LEN(paths); k++) {
        singdiv__w1_hist_input in = { x, p, q, 600, 1.0, 1.0, { 1.0, 0.0 }, { 1.0, 0.0 } };
        singdiv__w1_hist_sums sums = singdiv__w1_hist_pass(&in, paths[k]);

        check_size((size_t)sums.bad_support, 0);
        check_size((size_t)sums.tiny_share, 0);

        x300 = x[300];
        p100 = p[100];
        x[300] = x[299];
        p[100] = 0x1p-1000;
        sums = singdiv__w1_hist_pass(&in, paths[k]);
        check_size((size_t)sums.bad_support, 1);
        check_size((size_t)sums.tiny_share, 1);
        x[300] = x300;
        p[100] = p100;
    }
    free(x);
    free(p);
    free(q);
}

/*
 * x = {0, 1}, p = {2^200, 0}, q = {1, 2^-900}. The pass folds the scalings
 * into the totals: fp = 2^-200 times the low part 2^-900 of Q underflows,
 * so the pass must decline (both flags) and the careful sweep must run.
 * W1 = |P_0 - Q_0| = 1 - 1 / (1 + 2^-900) = 2^-900 / (1 + 2^-900), which
 * rounds to 2^-900; without the low part of Q it would be 0.
 */
static void
w1_hist_inexact_factor_takes_careful_sweep(void **state)
{
    double x[] = { 0.0, 1.0 };
    double p[] = { 0x1p200, 0.0 };
    double q[] = { 1.0, 0x1p-900 };
    singdiv__w1_hist_input in = { x, p, q, 2, 0x1p-200, 1.0, { 1.0, 0.0 }, { 1.0, 0x1p-900 } };
    const singdiv__path paths[] = { SINGDIV__PATH_AUTO, SINGDIV__PATH_SCALAR };
    singdiv_options opt;
    double out = -1.0;

    (void)state;
    for (size_t k = 0; k < ARRAY_LEN(paths); k++) {
        singdiv__w1_hist_sums sums = singdiv__w1_hist_pass(&in, paths[k]);

        check_size((size_t)sums.bad_support, 1);
        check_size((size_t)sums.tiny_share, 1);
    }
    singdiv_options_init(&opt);
    opt.normalize = 1;
    check_status(singdiv_w1_hist(x, p, q, 2, &opt, &out), SINGDIV_OK);
    check_ulp(out, 0x1p-900, W1_MAX_ULP);
}

/* ---- known-fault cases ---- */

static void
w1_hist_disjoint_halves_is_two(void **state)
{
    double x[] = { 0.0, 1.0, 2.0, 3.0 };
    double p[] = { 0.5, 0.5, 0.0, 0.0 };
    double q[] = { 0.0, 0.0, 0.5, 0.5 };
    double x2[] = { 0.0, 1.0 };
    double p2[] = { 0.2, 0.8 };
    double q2[] = { 0.8, 0.2 };
    double out = -1.0;

    (void)state;
    /* Every half unit of mass moves by 2. */
    check_status(singdiv_w1_hist(x, p, q, 4, NULL, &out), SINGDIV_OK);
    check_identical(out, 2.0);
    /* 0.6 of the mass moves from 0 to 1. */
    check_status(singdiv_w1_hist(x2, p2, q2, 2, NULL, &out), SINGDIV_OK);
    check_rel(out, 0.6, 1e-15);
}

static void
w1_histogram_as_samples_is_zero(void **state)
{
    double u[] = { 0.5, 0.5, 0.0, 0.0 };
    double v[] = { 0.0, 0.0, 0.5, 0.5 };

    (void)state;
    /* Read as sample values the two vectors are the same multiset. */
    check_identical(w1(u, NULL, 4, v, NULL, 4), 0.0);
}

static void
w1_k20_outlier_sample(void **state)
{
    double u[] = { 1.0, 2.0, 3.0, 54.0 };
    double v[] = { 1.0, 2.0, 3.0, 4.0 };
    double out = -1.0;

    (void)state;
    /* A quarter of the mass moves from 4 to 54. */
    check_identical(w1(u, NULL, 4, v, NULL, 4), 12.5);
    /* |F_u - F_v| = 1/4 on [4, 54): (50 / 4^540)^(1/540), a power that underflows if taken plainly. */
    check_status(singdiv_cdf_distance_samples(u, NULL, 4, v, NULL, 4, 540.0, &out), SINGDIV_OK);
    check_rel(out, 0.25181769795663866, 1e-14);
    /* W540 = (50^540 / 4)^(1/540) = 50 / 4^(1/540). */
    check_rel(wk(u, 4, v, 4, 540.0), 50.0 * pow(4.0, -1.0 / 540.0), 4 * DBL_EPSILON);
}

static void
w1_all_zero_weights_rejected(void **state)
{
    double u[] = { 0.0, 1.0 };
    double uw[] = { 0.0, 0.0 };
    double v[] = { 0.0, 1.0 };
    double vw[] = { 0.5, 0.5 };
    double out = -1.0;
    singdiv_error err;

    (void)state;
    check_status(singdiv_w1_samples(u, uw, 2, v, vw, 2, &out), SINGDIV_ERR_ZERO_MASS);
    assert_true(isnan(out));
    check_status(singdiv_check_samples(u, uw, 2, &err), SINGDIV_ERR_ZERO_MASS);
    assert_string_equal(err.argument, "weights");
}

static void
w1_infinite_sample_rejected(void **state)
{
    double u[] = { 0.0, HUGE_VAL };
    double v[] = { 0.0, 1.0 };
    double v_inf[] = { 0.0, HUGE_VAL };
    double out = -1.0;
    singdiv_error err;

    (void)state;
    check_status(singdiv_w1_samples(u, NULL, 2, v, NULL, 2, &out), SINGDIV_ERR_INFINITE);
    check_status(singdiv_w1_samples(u, NULL, 2, v_inf, NULL, 2, &out), SINGDIV_ERR_INFINITE);
    check_status(singdiv_check_samples(u, NULL, 2, &err), SINGDIV_ERR_INFINITE);
    check_size(err.index, 1);
}

static void
w1_empty_sample_rejected(void **state)
{
    double u[] = { 0.0 };
    double v[] = { 1.0 };
    double out = -1.0;

    (void)state;
    check_status(singdiv_w1_samples(u, NULL, 0, v, NULL, 1, &out), SINGDIV_ERR_EMPTY);
    check_status(singdiv_w1_samples(v, NULL, 1, u, NULL, 0, &out), SINGDIV_ERR_EMPTY);
}

/* ---- orders k > 1 ---- */

static void
wk_order_one_is_w1(void **state)
{
    double u[] = { 0.2385, 5.0, -1.0, 2.5, 2.5 };
    double v[] = { 1.0, 1.5, 9.0 };

    (void)state;
    check_identical(wk(u, 5, v, 3, 1.0), w1(u, NULL, 5, v, NULL, 3));
}

static void
wk_order_two_closed_form(void **state)
{
    double u[] = { 0.0, 1.0 };
    double v[] = { 0.0, 3.0 };

    (void)state;
    /* Half the mass moves by 2: W2 = sqrt(4 / 2) = sqrt(2). */
    check_ulp(wk(u, 2, v, 2, 2.0), sqrt(2.0), 2);
}

static void
wk_large_order_tiny_gaps(void **state)
{
    double u[] = { 0.0, 1e-300 };
    double v[] = { 0.0, 3e-300 };

    (void)state;
    /*
     * Half the mass moves by 2e-300: Wk = 2e-300 * 2^(-1/k). Taken plainly,
     * (2e-300)^540 underflows to 0.
     */
    check_rel(wk(u, 2, v, 2, 540.0), (3e-300 - 1e-300) * pow(2.0, -1.0 / 540.0),
              4 * DBL_EPSILON);
    check_rel(wk(u, 2, v, 2, 1e6), (3e-300 - 1e-300) * pow(2.0, -1e-6), 4 * DBL_EPSILON);
}

static void
wk_large_order_huge_gaps(void **state)
{
    double u[] = { -1e300, 0.0, 1.0 };
    double v[] = { 1e300, 0.0, 1.0 };

    (void)state;
    /*
     * Sorted, v is 0, 1, 1e300, so the pairs are (-1e300, 0), (0, 1) and
     * (1, 1e300), each with a third of the mass. The two large differences
     * round to 1e300: Wk = 1e300 (2/3)^(1/k). Taken plainly, (1e300)^2000
     * overflows.
     */
    check_rel(wk(u, 3, v, 3, 2000.0), 1e300 * pow(2.0 / 3.0, 1.0 / 2000.0), 4 * DBL_EPSILON);
}

static void
wk_infinite_order_is_largest_gap(void **state)
{
    double u[] = { 0.0, 1.0, 2.0, 10.0 };
    double v[] = { 0.5, 1.0, 2.0, 3.0 };

    (void)state;
    check_identical(wk(u, 4, v, 4, HUGE_VAL), 7.0);
}

/*
 * A weight of 2^-140 beside DBL_MAX (found by the fuzzer): u and v both
 * sit at 0 and 2^600; u carries 2^-140 at 0 and DBL_MAX at 2^600, v
 * carries nothing at 0. With DBL_MAX = 2^1024 (1 - 2^-53), u's share at 0
 * is e = 2^-140 / (2^-140 + DBL_MAX) = 2^-1164 (1 + 2^-53 + O(2^-106)).
 * The coupling moves e by 2^600 and nothing else: Wk = e^(1/k) 2^600, so
 * W1 = 2^-564, W2 = 2^18 and W4 = 2^309, each within 2^-53 relative.
 * F_u - F_v = e on [0, 2^600): the CDF distance is e (2^600)^(1/k), 2^-564
 * for k = 1 and 2^-864 for k = 2. The quotients of masses by the total are
 * below 2^-1022, where they used to underflow: Wk was NaN and the CDF
 * distance 0.
 */
static void
wk_tiny_weight_beside_dbl_max(void **state)
{
    double x[] = { 0.0, 0x1p600 };
    double uw[] = { 0x1p-140, DBL_MAX };
    double vw[] = { 0.0, DBL_MAX };
    size_t need = singdiv_w1_samples_workspace_size(2, 2);
    void *ws = malloc(need);
    double out = -1.0;

    (void)state;
    assert_non_null(ws);
    check_status(singdiv_wk_samples(x, uw, 2, x, vw, 2, 2.0, &out), SINGDIV_OK);
    check_ulp(out, 0x1p18, WK_MAX_ULP);
    check_status(singdiv_wk_samples(x, uw, 2, x, vw, 2, 4.0, &out), SINGDIV_OK);
    check_ulp(out, 0x1p309, WK_MAX_ULP);
    check_status(singdiv_wk_samples_workspace(x, uw, 2, x, vw, 2, 2.0, ws, need, &out, NULL),
                 SINGDIV_OK);
    check_ulp(out, 0x1p18, WK_MAX_ULP);
    check_ulp(w1(x, uw, 2, x, vw, 2), 0x1p-564, W1_MAX_ULP);
    free(ws);
}

static void
cdf_distance_tiny_weight_beside_dbl_max(void **state)
{
    double x[] = { 0.0, 0x1p600 };
    double uw[] = { 0x1p-140, DBL_MAX };
    double vw[] = { 0.0, DBL_MAX };
    double out = -1.0;

    (void)state;
    /* The closed form is above wk_tiny_weight_beside_dbl_max. */
    check_status(singdiv_cdf_distance_samples(x, uw, 2, x, vw, 2, 1.0, &out), SINGDIV_OK);
    check_ulp(out, 0x1p-564, W1_MAX_ULP);
    check_status(singdiv_cdf_distance_samples(x, uw, 2, x, vw, 2, 2.0, &out), SINGDIV_OK);
    check_ulp(out, 0x1p-864, WK_MAX_ULP);
}

/*
 * As above with the points at 0 and 2^1000 and a weight of 2^-600: e =
 * 2^-1624 (1 + 2^-53), so W1 = 2^-624. The distances are scaled down to
 * keep their sum finite, and the quotient by the total used to underflow
 * to 0 before the scaling was undone.
 */
static void
w1_tiny_weight_beside_dbl_max_huge_values(void **state)
{
    double x[] = { 0.0, 0x1p1000 };
    double uw[] = { 0x1p-600, DBL_MAX };
    double vw[] = { 0.0, DBL_MAX };
    double out = -1.0;

    (void)state;
    check_ulp(w1(x, uw, 2, x, vw, 2), 0x1p-624, W1_MAX_ULP);
    /* W2 = 2^-812 2^1000 = 2^188. */
    check_status(singdiv_wk_samples(x, uw, 2, x, vw, 2, 2.0, &out), SINGDIV_OK);
    check_ulp(out, 0x1p188, WK_MAX_ULP);
}

static void
wk_grows_with_order(void **state)
{
    double u[60];
    double v[45];
    double previous = 0.0;
    const double orders[] = { 1.0, 1.5, 2.0, 3.0, 10.0, 540.0, 1e5, HUGE_VAL };
    uint64_t seed = 41;

    (void)state;
    for (int i = 0; i < 60; i++) {
        u[i] = next_uniform(&seed) * 5.0;
    }
    for (int i = 0; i < 45; i++) {
        v[i] = next_uniform(&seed) * 6.0 - 1.0;
    }
    /* Wk is a power mean of the same differences, non-decreasing in k. */
    for (size_t i = 0; i < ARRAY_LEN(orders); i++) {
        double value = wk(u, 60, v, 45, orders[i]);

        assert_true(value >= previous);
        previous = value;
    }
}

static void
cdf_distance_order_one_is_w1(void **state)
{
    double u[] = { 0.2385, 5.0, -1.0, 2.5, 2.5 };
    double uw[] = { 1.0, 0.5, 2.0, 0.0, 1.25 };
    double v[] = { 1.0, 1.5, 9.0 };
    double out = -1.0;

    (void)state;
    check_status(singdiv_cdf_distance_samples(u, NULL, 5, v, NULL, 3, 1.0, &out), SINGDIV_OK);
    check_ulp(out, w1(u, NULL, 5, v, NULL, 3), 2 * W1_MAX_ULP);
    check_status(singdiv_cdf_distance_samples(u, uw, 5, v, NULL, 3, 1.0, &out), SINGDIV_OK);
    check_ulp(out, w1(u, uw, 5, v, NULL, 3), 2 * W1_MAX_ULP);
}

static void
cdf_distance_infinite_order_is_ks(void **state)
{
    double u[] = { 0.0, 1.0, 2.0, 3.0 };
    double v[] = { 2.5, 3.5 };
    double out = -1.0;

    (void)state;
    /* On [2, 2.5) F_u = 3/4 and F_v = 0: the largest gap. */
    check_status(singdiv_cdf_distance_samples(u, NULL, 4, v, NULL, 2, HUGE_VAL, &out),
                 SINGDIV_OK);
    check_identical(out, 0.75);
}

static void
workspace_variants_match_allocating(void **state)
{
    double u[] = { 0.2385, 5.0, -1.0, 2.5, 2.5, 7.25 };
    double uw[] = { 1.0, 0.5, 2.0, 0.0, 1.25, 0.125 };
    double v[] = { 1.0, 1.5, 9.0, -2.0 };
    size_t need = singdiv_w1_samples_workspace_size(6, 4);
    void *ws = malloc(need);
    double expected = -1.0;
    double out = -1.0;

    (void)state;
    assert_non_null(ws);
    check_status(singdiv_wk_samples(u, uw, 6, v, NULL, 4, 3.0, &expected), SINGDIV_OK);
    check_status(singdiv_wk_samples_workspace(u, uw, 6, v, NULL, 4, 3.0, ws, need, &out, NULL),
                 SINGDIV_OK);
    check_identical(out, expected);
    check_status(singdiv_cdf_distance_samples(u, uw, 6, v, NULL, 4, 2.0, &expected), SINGDIV_OK);
    check_status(singdiv_cdf_distance_samples_workspace(u, uw, 6, v, NULL, 4, 2.0, ws, need,
                                                        &out, NULL),
                 SINGDIV_OK);
    check_identical(out, expected);
    check_status(singdiv_cdf_distance_samples_workspace(u, uw, 6, v, NULL, 4, 2.0, ws, need / 2,
                                                        &out, NULL),
                 SINGDIV_ERR_WORKSPACE);
    free(ws);
}

/* Fills x with n values drawn from a few patterns: ties, offsets, signs, zeros. */
static void
fill_random_sample(double *x, double *w, size_t n, uint64_t *seed)
{
    uint64_t pattern = next_random(seed) % 4;

    for (size_t i = 0; i < n; i++) {
        double r = next_uniform(seed);

        if (pattern == 0) {
            x[i] = (double)(next_random(seed) % 7) - 3.0;
        } else if (pattern == 1) {
            x[i] = 1e9 + r;
        } else if (pattern == 2) {
            x[i] = r < 0.1 ? 0.0 : (r - 0.5) * 1e3;
        } else {
            x[i] = r * r * r;
        }
        w[i] = next_uniform(seed) < 0.15 ? 0.0 : next_uniform(seed);
    }
    w[next_random(seed) % n] = 0.75;
}

/* Random lengths around the insertion-sort threshold and beyond, fixed seed 2024. */
static void
w1_random_cases_consistent(void **state)
{
    double u[300];
    double uw[300];
    double v[300];
    double vw[300];
    double ones[300];
    uint64_t seed = 2024;

    (void)state;
    for (size_t i = 0; i < 300; i++) {
        ones[i] = 1.0;
    }
    for (int trial = 0; trial < 200; trial++) {
        size_t nu = 1 + next_random(&seed) % 300;
        size_t nv = trial % 3 == 0 ? nu : 1 + next_random(&seed) % 300;
        double weighted;
        double cdf = -1.0;

        fill_random_sample(u, uw, nu, &seed);
        fill_random_sample(v, vw, nv, &seed);
        weighted = w1(u, uw, nu, v, vw, nv);

        check_ulp(w1(v, NULL, nv, u, NULL, nu), w1(u, NULL, nu, v, NULL, nv), 2);
        check_ulp(w1(v, vw, nv, u, uw, nu), weighted, 2 * W1_MAX_ULP);
        check_ulp(w1(u, ones, nu, v, NULL, nv), w1(u, NULL, nu, v, NULL, nv), 2 * W1_MAX_ULP);
        check_status(singdiv_cdf_distance_samples(u, uw, nu, v, vw, nv, 1.0, &cdf), SINGDIV_OK);
        check_ulp(cdf, weighted, 2 * W1_MAX_ULP);
        /*
         * W2 >= W1. Samples near 1e9 against samples near 0 have nearly equal
         * pair distances, so there the two agree to a few ulp either way.
         */
        if (!(wk(u, nu, v, nv, 2.0) >= w1(u, NULL, nu, v, NULL, nv) * (1.0 - 8 * DBL_EPSILON))) {
            print_error("trial %d: W2 %.17g below W1 %.17g\n", trial, wk(u, nu, v, nv, 2.0),
                        w1(u, NULL, nu, v, NULL, nv));
        }
        assert_true(wk(u, nu, v, nv, 2.0) >= w1(u, NULL, nu, v, NULL, nv) * (1.0 - 8 * DBL_EPSILON));
    }
}

/* ---- statuses ---- */

static void
w1_statuses_name_argument(void **state)
{
    double u[] = { 0.0, 1.0, 2.0 };
    double bad[] = { 0.0, (double)NAN, 1.0 };
    double neg_w[] = { 1.0, 1.0, -0.5 };
    double inf_w[] = { 1.0, HUGE_VAL, 1.0 };
    double big_w[] = { DBL_MAX, DBL_MAX, 1.0 };
    double out = -1.0;
    char ws[1 << 17];
    singdiv_error err;

    (void)state;
    check_status(singdiv_w1_samples(u, NULL, 3, u, NULL, 3, NULL), SINGDIV_ERR_NULL);
    check_status(singdiv_w1_samples(NULL, NULL, 3, u, NULL, 3, &out), SINGDIV_ERR_NULL);
    assert_true(isnan(out));
    check_status(singdiv_w1_samples(u, NULL, 3, NULL, NULL, 3, &out), SINGDIV_ERR_NULL);
    check_status(singdiv_w1_samples_workspace(u, NULL, 3, u, NULL, 3, NULL, 0, &out, &err),
                 SINGDIV_ERR_NULL);
    assert_string_equal(err.argument, "workspace");
    check_status(singdiv_w1_samples_workspace(u, NULL, 3, bad, NULL, 3, ws, sizeof ws, &out,
                                              &err),
                 SINGDIV_ERR_NAN);
    assert_string_equal(err.argument, "v");
    check_size(err.index, 1);
    check_status(singdiv_w1_samples_workspace(u, neg_w, 3, u, NULL, 3, ws, sizeof ws, &out,
                                              &err),
                 SINGDIV_ERR_NEGATIVE);
    assert_string_equal(err.argument, "u_weights");
    check_size(err.index, 2);
    check_status(singdiv_w1_samples_workspace(u, NULL, 3, u, inf_w, 3, ws, sizeof ws, &out,
                                              &err),
                 SINGDIV_ERR_INFINITE);
    assert_string_equal(err.argument, "v_weights");
    check_size(err.index, 1);
    check_status(singdiv_w1_samples_workspace(u, big_w, 3, u, NULL, 3, ws, sizeof ws, &out,
                                              &err),
                 SINGDIV_ERR_INFINITE);
    check_size(err.index, SINGDIV_NO_INDEX);
}

static void
w1_size_overflow_rejected(void **state)
{
    double u[] = { 0.0 };
    double out = -1.0;

    (void)state;
    /* The length is rejected before any entry is read. */
    check_status(singdiv_w1_samples(u, NULL, SIZE_MAX / 2, u, NULL, 1, &out),
                 SINGDIV_ERR_SIZE_OVERFLOW);
    check_size(singdiv_w1_samples_workspace_size(SIZE_MAX / 2, 1), SIZE_MAX);
}

static void
wk_order_below_one_rejected(void **state)
{
    double u[] = { 0.0, 1.0 };
    double out = -1.0;
    singdiv_error err;
    char ws[1 << 17];

    (void)state;
    check_status(singdiv_wk_samples(u, NULL, 2, u, NULL, 2, 0.5, &out), SINGDIV_ERR_DOMAIN);
    check_status(singdiv_wk_samples(u, NULL, 2, u, NULL, 2, (double)NAN, &out), SINGDIV_ERR_DOMAIN);
    check_status(singdiv_cdf_distance_samples(u, NULL, 2, u, NULL, 2, -HUGE_VAL, &out),
                 SINGDIV_ERR_DOMAIN);
    check_status(singdiv_wk_samples_workspace(u, NULL, 2, u, NULL, 2, 0.0, ws, sizeof ws, &out,
                                              &err),
                 SINGDIV_ERR_DOMAIN);
    assert_string_equal(err.argument, "k");
}

static void
w1_workspace_too_small_rejected(void **state)
{
    double u[] = { 3.0, 1.0, 2.0 };
    double v[] = { 0.5, 4.0 };
    size_t need = singdiv_w1_samples_workspace_size(3, 2);
    double *ws = malloc(need);
    double out = -1.0;
    singdiv_error err;

    (void)state;
    assert_non_null(ws);
    check_status(singdiv_w1_samples_workspace(u, NULL, 3, v, NULL, 2, ws, need - 1, &out, &err),
                 SINGDIV_ERR_WORKSPACE);
    assert_string_equal(err.argument, "workspace");
    /* A buffer that is large enough but not aligned for double. */
    check_status(singdiv_w1_samples_workspace(u, NULL, 3, v, NULL, 2, (char *)ws + 1, need - 8,
                                              &out, NULL),
                 SINGDIV_ERR_WORKSPACE);
    check_status(singdiv_w1_samples_workspace(u, NULL, 3, v, NULL, 2, ws, need, &out, &err),
                 SINGDIV_OK);
    check_identical(out, w1(u, NULL, 3, v, NULL, 2));
    check_status(err.status, SINGDIV_OK);
    free(ws);
}

static void
w1_sorted_rejects_unsorted(void **state)
{
    double sorted_u[] = { -1.0, 0.0, 0.0, 2.5 };
    double unsorted[] = { -1.0, 0.0, 3.0, 2.5, 4.0 };
    double out = -1.0;
    singdiv_error err;

    (void)state;
    check_status(singdiv_w1_samples_sorted(sorted_u, NULL, 4, unsorted, NULL, 5, &out, &err),
                 SINGDIV_ERR_UNSORTED);
    assert_string_equal(err.argument, "v");
    check_size(err.index, 3);
    check_identical(err.value, 2.5);
    assert_true(isnan(out));
    check_status(singdiv_w1_samples_sorted(sorted_u, NULL, 4, sorted_u, NULL, 4, &out, NULL),
                 SINGDIV_OK);
    check_identical(out, 0.0);
}

static void
w1_sorted_matches_unsorted(void **state)
{
    double u[] = { -3.0, -0.0, 0.0, 0.2385, 0.2385, 7.5 };
    double uw[] = { 1.0, 0.5, 0.25, 0.0, 2.0, 1.0 };
    double v[] = { -1.0, 2.0, 2.0, 9.0 };
    double out = -1.0;

    (void)state;
    check_status(singdiv_w1_samples_sorted(u, uw, 6, v, NULL, 4, &out, NULL), SINGDIV_OK);
    check_identical(out, w1(u, uw, 6, v, NULL, 4));
    check_status(singdiv_w1_samples_sorted(u, NULL, 6, v, NULL, 4, &out, NULL), SINGDIV_OK);
    check_identical(out, w1(u, NULL, 6, v, NULL, 4));
}

static void
w1_sorted_statuses(void **state)
{
    double u[] = { 0.0, 1.0 };
    double out = -1.0;
    singdiv_error err;

    (void)state;
    check_status(singdiv_w1_samples_sorted(u, NULL, 2, u, NULL, 2, NULL, &err), SINGDIV_ERR_NULL);
    assert_string_equal(err.argument, "out");
    check_status(singdiv_w1_samples_sorted(u, NULL, 2, NULL, NULL, 2, &out, &err),
                 SINGDIV_ERR_NULL);
    assert_string_equal(err.argument, "v");
    check_status(singdiv_w1_samples_sorted(u, NULL, 0, u, NULL, 2, &out, &err), SINGDIV_ERR_EMPTY);
    assert_string_equal(err.argument, "u");
}

static void
check_samples_reports_index(void **state)
{
    double values[] = { 0.0, 1.0, -HUGE_VAL, (double)NAN };
    double weights[] = { 0.5, -0.0, 0.25, -1.0 };
    singdiv_error err;

    (void)state;
    check_status(singdiv_check_samples(NULL, NULL, 4, &err), SINGDIV_ERR_NULL);
    assert_string_equal(err.argument, "values");
    check_status(singdiv_check_samples(values, NULL, 0, &err), SINGDIV_ERR_EMPTY);
    check_status(singdiv_check_samples(values, NULL, 4, &err), SINGDIV_ERR_INFINITE);
    check_size(err.index, 2);
    check_identical(err.value, -HUGE_VAL);
    check_status(singdiv_check_samples(values + 3, NULL, 1, &err), SINGDIV_ERR_NAN);
    check_size(err.index, 0);
    check_status(singdiv_check_samples(values, weights, 2, &err), SINGDIV_OK);
    check_status(err.status, SINGDIV_OK);
    check_status(singdiv_check_samples(values, weights + 1, 1, NULL), SINGDIV_ERR_ZERO_MASS);
    check_status(singdiv_check_samples(weights, weights, 4, &err), SINGDIV_ERR_NEGATIVE);
    assert_string_equal(err.argument, "weights");
    check_size(err.index, 3);
}

static void
w1_hist_statuses(void **state)
{
    double x[] = { 0.0, 1.0, 2.0 };
    double repeated[] = { 0.0, 1.0, 1.0 };
    double unsorted[] = { 1.0, 0.0, 2.0 };
    double x_nan[] = { 0.0, (double)NAN, 2.0 };
    double p[] = { 0.25, 0.25, 0.5 };
    double q[] = { 0.5, 0.5, 0.0 };
    double counts[] = { 2.0, 1.0, 1.0 };
    double out = -1.0;
    singdiv_options opt;
    singdiv_error err;

    (void)state;
    singdiv_options_init(&opt);
    check_status(singdiv_w1_hist(x, p, q, 3, NULL, NULL), SINGDIV_ERR_NULL);
    check_status(singdiv_w1_hist(NULL, p, q, 3, NULL, &out), SINGDIV_ERR_NULL);
    check_status(singdiv_w1_hist(x, NULL, q, 3, NULL, &out), SINGDIV_ERR_NULL);
    check_status(singdiv_w1_hist(x, p, q, 0, NULL, &out), SINGDIV_ERR_EMPTY);
    check_status(singdiv_w1_hist(x, p, q, SIZE_MAX / 2, NULL, &out), SINGDIV_ERR_SIZE_OVERFLOW);
    opt.base = -2.0;
    check_status(singdiv_w1_hist(x, p, q, 3, &opt, &out), SINGDIV_ERR_DOMAIN);
    opt.base = 0.0;
    check_status(singdiv_w1_hist(x, counts, q, 3, &opt, &out), SINGDIV_ERR_NOT_NORMALIZED);
    check_status(singdiv_w1_hist(x, p, x_nan, 3, &opt, &out), SINGDIV_ERR_NAN);
    check_status(singdiv_w1_hist(x_nan, p, q, 3, &opt, &out), SINGDIV_ERR_NAN);
    check_status(singdiv_w1_hist(repeated, p, q, 3, &opt, &out), SINGDIV_ERR_UNSORTED);
    check_status(singdiv_w1_hist(unsorted, p, q, 3, &opt, &out), SINGDIV_ERR_UNSORTED);
    assert_true(isnan(out));
    check_status(singdiv_check_support(repeated, 3, &err), SINGDIV_ERR_UNSORTED);
    check_size(err.index, 2);
    check_status(singdiv_check_support(unsorted, 3, &err), SINGDIV_ERR_UNSORTED);
    check_size(err.index, 1);
    check_status(singdiv_check_support(NULL, 3, &err), SINGDIV_ERR_NULL);
    check_status(singdiv_check_support(x, 0, &err), SINGDIV_ERR_EMPTY);
    check_status(singdiv_check_support(x_nan, 3, &err), SINGDIV_ERR_NAN);
    check_status(singdiv_check_support(x, 3, &err), SINGDIV_OK);
}

static void
w1_hist_counts_normalised(void **state)
{
    double x[] = { -1.0, 0.5, 4.0 };
    double p[] = { 2.0, 1.0, 1.0 };
    double q[] = { 0.0, 3.0, 0.0 };
    double out = -1.0;
    singdiv_options opt;

    (void)state;
    singdiv_options_init(&opt);
    opt.normalize = 1;
    /* P = 1/2, 1/4, 1/4 and Q = 0, 1, 0: |1/2 - 0| * 1.5 + |3/4 - 1| * 3.5 = 1.625. */
    check_status(singdiv_w1_hist(x, p, q, 3, &opt, &out), SINGDIV_OK);
    check_identical(out, 1.625);
    /* One point: nothing moves. */
    check_status(singdiv_w1_hist(x, p, p, 1, &opt, &out), SINGDIV_OK);
    check_identical(out, 0.0);
}

/* AddressSanitizer reserves terabytes of address space, so a limit on it cannot work there. */
#if defined(__SANITIZE_ADDRESS__)
#define ADDRESS_SPACE_RESERVED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ADDRESS_SPACE_RESERVED 1
#endif
#endif
#ifndef ADDRESS_SPACE_RESERVED
#define ADDRESS_SPACE_RESERVED 0
#endif

/*
 * Sets the address-space limit to the current size plus 16 MiB so that a
 * workspace of about 50 MiB cannot be allocated.
 */
static void
w1_allocation_failure_reported(void **state)
{
    size_t n = (size_t)1 << 20;
    double *u = calloc(n, sizeof *u);
    double *v = calloc(n, sizeof *v);
    struct rlimit saved;
    struct rlimit tight;
    unsigned long pages = 0;
    double out = -1.0;
    singdiv_status status;
    FILE *statm = fopen("/proc/self/statm", "r");

    (void)state;
    if (ADDRESS_SPACE_RESERVED || statm == NULL
        || fscanf(statm, "%lu", &pages) != 1 || u == NULL || v == NULL
        || getrlimit(RLIMIT_AS, &saved) != 0) {
        if (statm != NULL) {
            fclose(statm);
        }
        free(u);
        free(v);
        skip();
        return;
    }
    fclose(statm);
    tight = saved;
    tight.rlim_cur = (rlim_t)pages * 4096u + ((rlim_t)16 << 20);
    assert_int_equal(setrlimit(RLIMIT_AS, &tight), 0);
    status = singdiv_w1_samples(u, NULL, n, v, NULL, n, &out);
    assert_int_equal(setrlimit(RLIMIT_AS, &saved), 0);
    check_status(status, SINGDIV_ERR_NO_MEMORY);
    free(u);
    free(v);
}

/* ---- radix sort ---- */

typedef struct keyed {
    double value;
    double weight;
} keyed;

/* Orders by value, -0.0 before +0.0, then by weight (the original position). */
static int
compare_keyed(const void *a, const void *b)
{
    const keyed *x = a;
    const keyed *y = b;

    if (x->value != y->value) {
        return x->value < y->value ? -1 : 1;
    }
    if (signbit(x->value) != signbit(y->value)) {
        return signbit(x->value) ? -1 : 1;
    }
    return (x->weight > y->weight) - (x->weight < y->weight);
}

static void
radix_sort_matches_qsort_at(size_t n, uint64_t seed)
{
    const double specials[] = { 0.0, -0.0, DBL_MIN, -DBL_MIN, 0x1p-1074, -0x1p-1074,
                                DBL_MAX, -DBL_MAX, 1.0, -1.0, 1e9 };
    double *x = malloc(n * sizeof *x);
    double *w = malloc(n * sizeof *w);
    double *out = malloc(n * sizeof *out);
    double *out_w = malloc(n * sizeof *out_w);
    double *tmp = malloc(n * sizeof *tmp);
    double *tmp_w = malloc(n * sizeof *tmp_w);
    size_t *counts = malloc(SINGDIV__RADIX_COUNTS * sizeof *counts);
    keyed *expected = malloc(n * sizeof *expected);
    size_t mismatches = 0;

    assert_true(x && w && out && out_w && tmp && tmp_w && counts && expected);
    for (size_t i = 0; i < n; i++) {
        uint64_t r = next_random(&seed);

        /* Specials, small integers with many ties, and random bit patterns. */
        if (r % 5 == 0) {
            x[i] = specials[(r >> 8) % ARRAY_LEN(specials)];
        } else if (r % 5 == 1) {
            x[i] = (double)((int)((r >> 8) % 9) - 4);
        } else {
            uint64_t bits = next_random(&seed) & ~((uint64_t)0x7ff << 52);

            bits |= (uint64_t)((r >> 8) % 2046 + 1) << 52;
            memcpy(&x[i], &bits, sizeof bits);
        }
        w[i] = (double)i;
        expected[i].value = x[i];
        expected[i].weight = (double)i;
    }
    qsort(expected, n, sizeof *expected, compare_keyed);
    singdiv__radix_sort(x, w, n, out, out_w, tmp, tmp_w, counts);
    for (size_t i = 0; i < n; i++) {
        mismatches += memcmp(&out[i], &expected[i].value, sizeof(double)) != 0
                      || out_w[i] != expected[i].weight;
    }
    check_size(mismatches, 0);
    singdiv__radix_sort(x, NULL, n, out, NULL, tmp, NULL, counts);
    for (size_t i = 0; i < n; i++) {
        mismatches += memcmp(&out[i], &expected[i].value, sizeof(double)) != 0;
    }
    check_size(mismatches, 0);
    free(x);
    free(w);
    free(out);
    free(out_w);
    free(tmp);
    free(tmp_w);
    free(counts);
    free(expected);
}

static void
radix_sort_matches_qsort(void **state)
{
    const size_t lengths[] = { 1, 2, 17, 64, 65, 1000, 65537 };

    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(lengths); i++) {
        radix_sort_matches_qsort_at(lengths[i], 1000 + i);
    }
}

static void
radix_sort_orders_long_runs(void **state)
{
    double x[3000];
    double w[3000];
    double out[3000];
    double out_w[3000];
    double tmp[3000];
    double tmp_w[3000];
    size_t counts[SINGDIV__RADIX_COUNTS];
    size_t misplaced = 0;

    (void)state;
    /*
     * 1 + k 2^-52 for k < 2000, shuffled, next to 1000 copies of -2^40: the
     * highest varying bit is in the exponent, so the first round sorts bits
     * 31 to 62, and the values near 1 form one run of 2000 that only the
     * second round, on the low 31 bits, can order.
     */
    for (int i = 0; i < 3000; i++) {
        int k = (i * 1237) % 3000;

        x[i] = k < 2000 ? 1.0 + k * 0x1p-52 : -0x1p40;
        w[i] = (double)k;
    }
    singdiv__radix_sort(x, w, 3000, out, out_w, tmp, tmp_w, counts);
    for (int i = 0; i < 3000; i++) {
        double expected = i < 1000 ? -0x1p40 : 1.0 + (i - 1000) * 0x1p-52;

        misplaced += out[i] != expected;
        misplaced += i >= 1000 && out_w[i] != (double)(i - 1000);
    }
    check_size(misplaced, 0);
}

static void
radix_sort_skips_constant_digits(void **state)
{
    double x[200];
    double out[200];
    double tmp[200];
    size_t counts[SINGDIV__RADIX_COUNTS];

    (void)state;
    /* 1e9 + i / 4 share their top bits; all equal values share every digit. */
    for (int i = 0; i < 200; i++) {
        x[i] = 1e9 + (double)((i * 37) % 200) / 4.0;
    }
    singdiv__radix_sort(x, NULL, 200, out, NULL, tmp, NULL, counts);
    for (int i = 0; i < 200; i++) {
        check_identical(out[i], 1e9 + i / 4.0);
    }
    for (int i = 0; i < 200; i++) {
        x[i] = 0.2385;
    }
    singdiv__radix_sort(x, NULL, 200, out, NULL, tmp, NULL, counts);
    check_identical(out[0], 0.2385);
    check_identical(out[199], 0.2385);
}

/* ---- exact references ---- */

typedef struct reference_case {
    char name[96];
    char kind[8];
    double k;
    size_t nu;
    size_t nv;
    double *u;
    double *uw;
    double *v;
    double *vw;
    double expected;
} reference_case;

static double *
read_doubles(FILE *f, size_t n)
{
    double *a = malloc(n * sizeof *a);

    assert_non_null(a);
    for (size_t i = 0; i < n; i++) {
        a[i] = check_read_double(f);
    }
    return a;
}

/* Reads one line; returns 0 at the end of the file. Histograms keep x, p, q in u, uw, vw. */
static int
read_case(FILE *f, reference_case *c)
{
    char form[16];
    int has_uw;
    int has_vw;

    memset(c, 0, sizeof *c);
    if (fscanf(f, "%95s %15s", c->name, form) != 2) {
        return 0;
    }
    if (strcmp(form, "hist") == 0) {
        int normalize;

        assert_int_equal(fscanf(f, "%d %zu", &normalize, &c->nu), 2);
        strcpy(c->kind, normalize ? "histn" : "hist");
        c->u = read_doubles(f, c->nu);
        c->uw = read_doubles(f, c->nu);
        c->vw = read_doubles(f, c->nu);
    } else {
        assert_int_equal(fscanf(f, "%7s", c->kind), 1);
        c->k = check_read_double(f);
        assert_int_equal(fscanf(f, "%zu %zu %d %d", &c->nu, &c->nv, &has_uw, &has_vw), 4);
        c->u = read_doubles(f, c->nu);
        c->uw = has_uw ? read_doubles(f, c->nu) : NULL;
        c->v = read_doubles(f, c->nv);
        c->vw = has_vw ? read_doubles(f, c->nv) : NULL;
    }
    c->expected = check_read_double(f);
    return 1;
}

static double
evaluate_case(const reference_case *c, double *max_ulp)
{
    double out = (double)NAN;
    singdiv_status status = SINGDIV_OK;

    *max_ulp = WK_MAX_ULP;
    if (strncmp(c->kind, "hist", 4) == 0) {
        singdiv_options opt;

        singdiv_options_init(&opt);
        opt.normalize = strcmp(c->kind, "histn") == 0;
        *max_ulp = W1_MAX_ULP;
        status = singdiv_w1_hist(c->u, c->uw, c->vw, c->nu, &opt, &out);
    } else if (strcmp(c->kind, "w1") == 0) {
        *max_ulp = W1_MAX_ULP;
        status = singdiv_w1_samples(c->u, c->uw, c->nu, c->v, c->vw, c->nv, &out);
    } else if (strcmp(c->kind, "wk") == 0) {
        status = singdiv_wk_samples(c->u, c->uw, c->nu, c->v, c->vw, c->nv, c->k, &out);
    } else {
        status = singdiv_cdf_distance_samples(c->u, c->uw, c->nu, c->v, c->vw, c->nv, c->k, &out);
    }
    check_status(status, SINGDIV_OK);
    return out;
}

static void
w1_matches_exact_references(void **state)
{
    FILE *f = fopen(SINGDIV_TEST_DATA "/w1_reference.txt", "r");
    reference_case c;
    uint64_t worst[3] = { 0, 0, 0 };
    size_t cases = 0;

    (void)state;
    assert_non_null(f);
    while (read_case(f, &c)) {
        double max_ulp;
        double actual = evaluate_case(&c, &max_ulp);
        uint64_t ulp = check_ulp_distance(actual, c.expected);
        int slot = 1;

        if (strncmp(c.kind, "hist", 4) == 0) {
            slot = 2;
        } else if (strcmp(c.kind, "w1") == 0) {
            slot = 0;
        }

        if (ulp > worst[slot]) {
            worst[slot] = ulp;
        }
        if ((double)ulp > max_ulp) {
            print_error("case %s\n", c.name);
        }
        check_ulp(actual, c.expected, max_ulp);
        free(c.u);
        free(c.uw);
        free(c.v);
        free(c.vw);
        cases++;
    }
    fclose(f);
    print_message("%zu reference cases; worst ulp: samples W1 %llu, Wk and CDF %llu, "
                  "histograms %llu\n",
                  cases, (unsigned long long)worst[0], (unsigned long long)worst[1],
                  (unsigned long long)worst[2]);
    assert_true(cases > 50);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(w1_point_masses_distance_is_gap),
        cmocka_unit_test(w1_two_uniforms_distance_is_mean_gap),
        cmocka_unit_test(w1_shift_equals_distance),
        cmocka_unit_test(w1_shift_with_weights_equals_distance),
        cmocka_unit_test(w1_unequal_lengths_closed_form),
        cmocka_unit_test(w1_ties_closed_form),
        cmocka_unit_test(w1_zero_weight_is_ignored),
        cmocka_unit_test(w1_unequal_totals_are_normalised),
        cmocka_unit_test(w1_identical_inputs_give_zero),
        cmocka_unit_test(w1_large_offset_keeps_digits),
        cmocka_unit_test(w1_translation_invariant),
        cmocka_unit_test(w1_symmetric),
        cmocka_unit_test(w1_samples_match_histogram),
        cmocka_unit_test(w1_unit_weights_match_unweighted),
        cmocka_unit_test(w1_huge_values_do_not_overflow),
        cmocka_unit_test(w1_subnormal_weights_near_dbl_max_are_finite),
        cmocka_unit_test(cdf_distance_huge_range_is_finite),
        cmocka_unit_test(w1_hist_disjoint_halves_is_two),
        cmocka_unit_test(w1_histogram_as_samples_is_zero),
        cmocka_unit_test(w1_k20_outlier_sample),
        cmocka_unit_test(w1_all_zero_weights_rejected),
        cmocka_unit_test(w1_infinite_sample_rejected),
        cmocka_unit_test(w1_empty_sample_rejected),
        cmocka_unit_test(wk_order_one_is_w1),
        cmocka_unit_test(wk_order_two_closed_form),
        cmocka_unit_test(wk_large_order_tiny_gaps),
        cmocka_unit_test(wk_large_order_huge_gaps),
        cmocka_unit_test(wk_infinite_order_is_largest_gap),
        cmocka_unit_test(wk_tiny_weight_beside_dbl_max),
        cmocka_unit_test(cdf_distance_tiny_weight_beside_dbl_max),
        cmocka_unit_test(w1_tiny_weight_beside_dbl_max_huge_values),
        cmocka_unit_test(wk_grows_with_order),
        cmocka_unit_test(cdf_distance_order_one_is_w1),
        cmocka_unit_test(cdf_distance_infinite_order_is_ks),
        cmocka_unit_test(workspace_variants_match_allocating),
        cmocka_unit_test(w1_random_cases_consistent),
        cmocka_unit_test(w1_statuses_name_argument),
        cmocka_unit_test(w1_size_overflow_rejected),
        cmocka_unit_test(wk_order_below_one_rejected),
        cmocka_unit_test(w1_workspace_too_small_rejected),
        cmocka_unit_test(w1_sorted_rejects_unsorted),
        cmocka_unit_test(w1_sorted_matches_unsorted),
        cmocka_unit_test(w1_sorted_statuses),
        cmocka_unit_test(check_samples_reports_index),
        cmocka_unit_test(w1_hist_statuses),
        cmocka_unit_test(w1_hist_counts_normalised),
        cmocka_unit_test(w1_allocation_failure_reported),
        cmocka_unit_test(radix_sort_matches_qsort),
        cmocka_unit_test(radix_sort_orders_long_runs),
        cmocka_unit_test(radix_sort_skips_constant_digits),
        cmocka_unit_test(w1_matches_exact_references),
        cmocka_unit_test(w1_tiny_weight_beside_one),
        cmocka_unit_test(w1_hist_tiny_share_beside_one),
        cmocka_unit_test(w1_hist_halved_total_keeps_tiny_part),
        cmocka_unit_test(w1_hist_copies_bit_identical),
        cmocka_unit_test(w1_hist_pass_flags_bad_inputs),
        cmocka_unit_test(w1_hist_inexact_factor_takes_careful_sweep),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
