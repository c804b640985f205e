/*
 * Tests of the MMD estimators, the weighted form, the median bandwidth and
 * the permutation test.
 *
 * Closed forms are derived next to each test. The reference file
 * tests/data/mmd_reference.txt comes from tests/gen_mmd_reference.py
 * (mpmath, 48 digits). Randomised inputs come from splitmix64 with the
 * fixed seeds written in each test.
 */
#define _POSIX_C_SOURCE 200809L

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "mmd_internal.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

#if UNDER_ASAN
/* Let a failed huge allocation return NULL instead of aborting the test. */
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}
#endif

static const double eps = DBL_EPSILON / 2;

/* Whether singdiv_mmd2_parallel() may start threads in this build (meson option threads). */
#ifdef SINGDIV_THREADS
#define SINGDIV_MMD_TEST_THREADS 1
#else
#define SINGDIV_MMD_TEST_THREADS 0
#endif

/* Uniform doubles in [0, 1) from splitmix64. */
static double
uniform(uint64_t *state)
{
    uint64_t z;

    *state += UINT64_C(0x9e3779b97f4a7c15);
    z = *state;
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1p-53;
}

static double *
random_points(uint64_t *state, size_t count, double low, double high)
{
    double *v = malloc(count * sizeof(double));

    assert_non_null(v);
    for (size_t i = 0; i < count; i++) {
        v[i] = low + (high - low) * uniform(state);
    }
    return v;
}

static double
mmd2_value(const double *x, size_t n, const double *y, size_t m, size_t d,
           singdiv_kernel_type type, double h, singdiv_mmd_estimator estimator)
{
    singdiv_kernel kernel = { type, h };
    double value = (double)NAN;

    check_status(singdiv_mmd2(x, n, y, m, d, &kernel, estimator, &value), SINGDIV_OK);
    return value;
}

/* K23: X = {0, 2}, Y = {0.9, 1.1}, Gaussian kernel with h = 1. */
static const double k23_x[] = { 0.0, 2.0 };
static const double k23_y[] = { 0.9, 1.1 };

static void
k23_unbiased_closed_form(void **state)
{
    /*
     * Within X only k(0, 2) = e^-2, within Y only k(0.9, 1.1) = e^-0.02;
     * across, |x - y|^2 is 0.81 twice and 1.21 twice, so the cross mean is
     * (e^-0.405 + e^-0.605) / 2 and
     *   U = e^-2 + e^-0.02 - e^-0.405 - e^-0.605 < 0.
     */
    double closed = exp(-2.0) + exp(-0.02) - exp(-0.405) - exp(-0.605);
    double value = mmd2_value(k23_x, 2, k23_y, 2, 1, SINGDIV_KERNEL_GAUSSIAN, 1.0,
                              SINGDIV_MMD_UNBIASED);

    (void)state;
    check_rel(value, -0.09751728095481582, 1e-13);
    check_rel(value, closed, 8 * eps / 0.0975);
    assert_true(value < 0.0);
}

static void
k23_biased_closed_form(void **state)
{
    /* V = (1 + e^-2)/2 + (1 + e^-0.02)/2 - e^-0.405 - e^-0.605, with the diagonal. */
    double closed = (1.0 + exp(-2.0)) / 2 + (1.0 + exp(-0.02)) / 2 - exp(-0.405) - exp(-0.605);
    double value = mmd2_value(k23_x, 2, k23_y, 2, 1, SINGDIV_KERNEL_GAUSSIAN, 1.0,
                              SINGDIV_MMD_BIASED);

    (void)state;
    check_rel(value, 0.3447157407735002, 1e-13);
    check_rel(value, closed, 8 * eps / 0.34);
}

/* K24: X = {0}, Y = {1, 2, 3}, Gaussian kernel with h = 1. */
static const double k24_x[] = { 0.0 };
static const double k24_y[] = { 1.0, 2.0, 3.0 };

static void
k24_unbiased_too_few_samples(void **state)
{
    singdiv_kernel kernel = { SINGDIV_KERNEL_GAUSSIAN, 1.0 };
    singdiv_error err;
    double value = 42.0;

    (void)state;
    check_status(singdiv_mmd2(k24_x, 1, k24_y, 3, 1, &kernel, SINGDIV_MMD_UNBIASED, &value),
                 SINGDIV_ERR_TOO_FEW_SAMPLES);
    check_identical(value, 42.0);
    check_status(singdiv_mmd2_ex(k24_x, 1, k24_y, 3, 1, &kernel, SINGDIV_MMD_UNBIASED, NULL,
                                 0, &value, &err),
                 SINGDIV_ERR_TOO_FEW_SAMPLES);
    assert_string_equal(err.argument, "n");
    check_status(singdiv_mmd2_ex(k24_y, 3, k24_x, 1, 1, &kernel, SINGDIV_MMD_UNBIASED, NULL,
                                 0, &value, &err),
                 SINGDIV_ERR_TOO_FEW_SAMPLES);
    assert_string_equal(err.argument, "m");
}

static void
k24_biased_closed_form(void **state)
{
    /*
     * Kxx mean = 1. Kyy: diagonal 3, pairs at distance 1 (twice) and 2,
     * ordered: (3 + 4 e^-0.5 + 2 e^-2) / 9. Kxy: (e^-0.5 + e^-2 + e^-4.5) / 3.
     */
    double closed = 1.0 + (3.0 + 4.0 * exp(-0.5) + 2.0 * exp(-2.0)) / 9 -
                    2.0 * (exp(-0.5) + exp(-2.0) + exp(-4.5)) / 3;
    double value = mmd2_value(k24_x, 1, k24_y, 3, 1, SINGDIV_KERNEL_GAUSSIAN, 1.0,
                              SINGDIV_MMD_BIASED);

    (void)state;
    check_rel(value, 1.130993729822092, 1e-13);
    check_rel(value, closed, 8 * eps);
}

/* Sum over ordered pairs of the Gaussian kernel in long double, i == j skipped when same. */
static long double
naive_sum(const double *a, size_t na, const double *b, size_t nb, size_t d, double h,
          int same)
{
    long double total = 0.0L;

    for (size_t i = 0; i < na; i++) {
        for (size_t j = 0; j < nb; j++) {
            long double s = 0.0L;

            if (same && i == j) {
                continue;
            }
            for (size_t k = 0; k < d; k++) {
                long double t = (long double)a[i * d + k] - (long double)b[j * d + k];

                s += t * t;
            }
            total += expl(-s / (2.0L * (long double)h * (long double)h));
        }
    }
    return total;
}

static void
unbiased_excludes_diagonal(void **state)
{
    /*
     * The U-statistic averages k over pairs i != j. Adding the diagonal
     * (k = 1) instead would shift it by 1/n + 1/m - (mean of the pairs), far
     * more than rounding; the library must match the pairs-only loop.
     */
    uint64_t seed = 91;
    size_t n = 23;
    size_t m = 17;
    size_t d = 3;
    double *x = random_points(&seed, n * d, -1.0, 1.0);
    double *y = random_points(&seed, m * d, -0.8, 1.3);
    long double sxx = naive_sum(x, n, x, n, d, 0.9, 1);
    long double syy = naive_sum(y, m, y, m, d, 0.9, 1);
    long double sxy = naive_sum(x, n, y, m, d, 0.9, 0);
    long double dn = (long double)n;
    long double dm = (long double)m;
    long double pairs = sxx / (dn * (dn - 1)) + syy / (dm * (dm - 1)) - 2 * sxy / (dn * dm);
    long double with_diagonal = (sxx + dn) / (dn * (dn - 1)) + (syy + dm) / (dm * (dm - 1)) -
                                2 * sxy / (dn * dm);
    double value = mmd2_value(x, n, y, m, d, SINGDIV_KERNEL_GAUSSIAN, 0.9,
                              SINGDIV_MMD_UNBIASED);

    (void)state;
    assert_true(fabsl((long double)value - pairs) <= 1e-14L);
    assert_true(fabsl((long double)value - with_diagonal) > 1e-3L);
    free(x);
    free(y);
}

static void
biased_nonnegative(void **state)
{
    /* Samples from one distribution, and y a permutation of x (exact V = 0). */
    uint64_t seed = 7;
    size_t n = 40;
    size_t d = 6;
    double *x = random_points(&seed, n * d, 0.0, 1.0);
    double *y = random_points(&seed, n * d, 0.0, 1.0);
    double *reversed = malloc(n * d * sizeof(double));

    (void)state;
    assert_non_null(reversed);
    for (size_t i = 0; i < n; i++) {
        memcpy(reversed + i * d, x + (n - 1 - i) * d, d * sizeof(double));
    }
    for (int type = 0; type < 3; type++) {
        double same_law = mmd2_value(x, n, y, n, d, (singdiv_kernel_type)type, 0.6,
                                     SINGDIV_MMD_BIASED);
        double permuted = mmd2_value(x, n, reversed, n, d, (singdiv_kernel_type)type, 0.6,
                                     SINGDIV_MMD_BIASED);

        assert_true(same_law > 0.0);
        assert_true(permuted >= 0.0);
        assert_true(permuted <= 16 * eps);
        assert_false(signbit(permuted));
    }
    free(x);
    free(y);
    free(reversed);
}

static void
biased_self_is_zero(void **state)
{
    uint64_t seed = 11;
    size_t n = 31;
    size_t d = 5;
    double *x = random_points(&seed, n * d, -3.0, 3.0);
    double *copy = malloc(n * d * sizeof(double));

    (void)state;
    assert_non_null(copy);
    memcpy(copy, x, n * d * sizeof(double));
    for (int type = 0; type < 3; type++) {
        check_identical(mmd2_value(x, n, x, n, d, (singdiv_kernel_type)type, 1.1,
                                   SINGDIV_MMD_BIASED),
                        0.0);
        check_identical(mmd2_value(x, n, copy, n, d, (singdiv_kernel_type)type, 1.1,
                                   SINGDIV_MMD_BIASED),
                        0.0);
    }
    free(x);
    free(copy);
}

/*
 * One point on each side: biased MMD^2 = k(a, a) + k(b, b) - 2 k(a, b)
 * = 2 - 2 k(r). The differences below are exact in binary, so r^2 is
 * known exactly: (0.375, 0.5, 1.5) has r^2 = 0.140625 + 0.25 + 2.25 = 2.640625.
 */
static void
check_two_point_kernels(size_t d, double offset)
{
    double a[8];
    double b[8];
    double h = 0.8125;
    double r2 = 2.640625;
    double expected[3];

    for (size_t k = 0; k < d; k++) {
        a[k] = offset + 0.25 * (double)k;
        b[k] = a[k];
    }
    b[0] += 0.375;
    b[1] += 0.5;
    b[2] += 1.5;
    expected[SINGDIV_KERNEL_GAUSSIAN] = 2.0 - 2.0 * exp(-r2 / (2 * h * h));
    expected[SINGDIV_KERNEL_LAPLACIAN] = 2.0 - 2.0 * exp(-sqrt(r2) / h);
    expected[SINGDIV_KERNEL_INVERSE_MULTIQUADRIC] = 2.0 - 2.0 / sqrt(1.0 + r2 / (h * h));
    for (int type = 0; type < 3; type++) {
        double value = mmd2_value(a, 1, b, 1, d, (singdiv_kernel_type)type, h,
                                  SINGDIV_MMD_BIASED);

        check_rel(value, expected[type], 32 * eps);
    }
}

static void
kernels_closed_form_difference(void **state)
{
    (void)state;
    check_two_point_kernels(3, 0.0);
}

static void
kernels_closed_form_norm(void **state)
{
    /* d = 8 > 4 and both points within 32 bandwidths: the |u|^2 + |v|^2 - 2 u.v form. */
    (void)state;
    check_two_point_kernels(8, 1000.0);
}

static void
equal_points_kernel_exactly_one(void **state)
{
    /*
     * z_1 == z_2 in d = 8, with all points within 4 bandwidths of the
     * centre, so the |u|^2 + |v|^2 - 2 u.v form is used: it must give a
     * distance of exactly 0, so MMD^2(delta_1, delta_2) is exactly 0.
     */
    double z[24];
    double p[3] = { 1.0, 0.0, 0.0 };
    double q[3] = { 0.0, 1.0, 0.0 };
    singdiv_kernel kernel = { SINGDIV_KERNEL_GAUSSIAN, 1.0 };
    double value = (double)NAN;
    uint64_t seed = 5;

    (void)state;
    for (size_t k = 0; k < 8; k++) {
        z[k] = 0.1 + 0.8 * uniform(&seed);
        z[8 + k] = z[k];
        z[16 + k] = 3.1 + 0.8 * uniform(&seed);
    }
    check_status(singdiv_mmd2_weighted(p, q, z, 3, 8, &kernel, NULL, &value, NULL),
                 SINGDIV_OK);
    check_identical(value, 0.0);
}

static void
weighted_point_masses_equal_sample(void **state)
{
    /* p = 1/n on the x points of z = (x, y), q = 1/m on the y points. */
    uint64_t seed = 17;
    size_t n = 12;
    size_t m = 9;
    size_t d = 4;
    double *z = random_points(&seed, (n + m) * d, -1.0, 1.5);
    double p[21] = { 0 };
    double q[21] = { 0 };

    (void)state;
    for (size_t i = 0; i < n; i++) {
        p[i] = 1.0 / (double)n;
    }
    for (size_t i = n; i < n + m; i++) {
        q[i] = 1.0 / (double)m;
    }
    for (int type = 0; type < 3; type++) {
        singdiv_kernel kernel = { (singdiv_kernel_type)type, 0.7 };
        double weighted = (double)NAN;
        double sample = mmd2_value(z, n, z + n * d, m, d, (singdiv_kernel_type)type, 0.7,
                                   SINGDIV_MMD_BIASED);

        check_status(singdiv_mmd2_weighted(p, q, z, n + m, d, &kernel, NULL, &weighted, NULL),
                     SINGDIV_OK);
        check_rel(weighted, sample, 1e-14);
    }
    free(z);
}

static void
weighted_equal_distributions_zero(void **state)
{
    double p[4] = { 0.125, 0.5, 0.0, 0.375 };
    double z[8] = { 0.0, 1.0, 2.5, -1.0, 0.3, 0.3, 7.0, 2.0 };
    singdiv_kernel kernel = { SINGDIV_KERNEL_LAPLACIAN, 1.3 };
    double value = (double)NAN;

    (void)state;
    check_status(singdiv_mmd2_weighted(p, p, z, 4, 2, &kernel, NULL, &value, NULL),
                 SINGDIV_OK);
    check_identical(value, 0.0);
}

static void
weighted_disjoint_closed_form(void **state)
{
    /* delta_0 against delta_1 at distance 1: 2 - 2 k(1); finite for disjoint supports. */
    double p[2] = { 1.0, 0.0 };
    double q[2] = { 0.0, 1.0 };
    double z[2] = { 0.0, 1.0 };
    double h = 0.7;
    double expected[3] = { 2.0 - 2.0 * exp(-1.0 / (2 * h * h)), 2.0 - 2.0 * exp(-1.0 / h),
                           2.0 - 2.0 / sqrt(1.0 + 1.0 / (h * h)) };

    (void)state;
    for (int type = 0; type < 3; type++) {
        singdiv_kernel kernel = { (singdiv_kernel_type)type, h };
        double value = (double)NAN;

        check_status(singdiv_mmd2_weighted(p, q, z, 2, 1, &kernel, NULL, &value, NULL),
                     SINGDIV_OK);
        check_rel(value, expected[type], 16 * eps);
    }
}

static void
weighted_normalize_counts(void **state)
{
    /* Counts (3, 1, 0) and (0, 2, 2) with normalize equal (0.75, 0.25, 0) and (0, 0.5, 0.5). */
    double pc[3] = { 3.0, 1.0, 0.0 };
    double qc[3] = { 0.0, 2.0, 2.0 };
    double p[3] = { 0.75, 0.25, 0.0 };
    double q[3] = { 0.0, 0.5, 0.5 };
    double z[3] = { -0.4, 0.6, 1.9 };
    singdiv_kernel kernel = { SINGDIV_KERNEL_GAUSSIAN, 0.9 };
    singdiv_options opt;
    singdiv_error err;
    double counts = (double)NAN;
    double probabilities = (double)NAN;

    (void)state;
    singdiv_options_init(&opt);
    check_status(singdiv_mmd2_weighted(pc, qc, z, 3, 1, &kernel, &opt, &counts, &err),
                 SINGDIV_ERR_NOT_NORMALIZED);
    assert_string_equal(err.argument, "p");
    opt.normalize = 1;
    check_status(singdiv_mmd2_weighted(pc, qc, z, 3, 1, &kernel, &opt, &counts, &err),
                 SINGDIV_OK);
    check_status(singdiv_mmd2_weighted(p, q, z, 3, 1, &kernel, NULL, &probabilities, &err),
                 SINGDIV_OK);
    check_rel(counts, probabilities, 4 * eps);
}

/* Parses the next hexadecimal double of the line. */
static double
next_double(char **cursor)
{
    char *end;
    double v = strtod(*cursor, &end);

    assert_true(end != *cursor);
    *cursor = end;
    return v;
}

static size_t
next_size(char **cursor)
{
    char *end;
    unsigned long long v = strtoull(*cursor, &end, 10);

    assert_true(end != *cursor);
    *cursor = end;
    return (size_t)v;
}

static double
reference_sample_case(char *cursor, double *scale)
{
    singdiv_kernel_type type = (singdiv_kernel_type)next_size(&cursor);
    singdiv_mmd_estimator estimator = (singdiv_mmd_estimator)next_size(&cursor);
    double h = next_double(&cursor);
    size_t n = next_size(&cursor);
    size_t m = next_size(&cursor);
    size_t d = next_size(&cursor);
    double *x = malloc(n * d * sizeof(double));
    double *y = malloc(m * d * sizeof(double));
    double value;
    double expected;

    assert_non_null(x);
    assert_non_null(y);
    for (size_t i = 0; i < n * d; i++) {
        x[i] = next_double(&cursor);
    }
    for (size_t i = 0; i < m * d; i++) {
        y[i] = next_double(&cursor);
    }
    expected = next_double(&cursor);
    *scale = next_double(&cursor);
    value = mmd2_value(x, n, y, m, d, type, h, estimator);
    free(x);
    free(y);
    return value - expected;
}

static double
reference_weighted_case(char *cursor, double *scale)
{
    singdiv_kernel kernel;
    size_t k;
    size_t d;
    double *p;
    double *q;
    double *z;
    double value = (double)NAN;
    double expected;

    kernel.type = (singdiv_kernel_type)next_size(&cursor);
    kernel.bandwidth = next_double(&cursor);
    k = next_size(&cursor);
    d = next_size(&cursor);
    p = malloc(k * sizeof(double));
    q = malloc(k * sizeof(double));
    z = malloc(k * d * sizeof(double));
    assert_non_null(p);
    assert_non_null(q);
    assert_non_null(z);
    for (size_t i = 0; i < k; i++) {
        p[i] = next_double(&cursor);
    }
    for (size_t i = 0; i < k; i++) {
        q[i] = next_double(&cursor);
    }
    for (size_t i = 0; i < k * d; i++) {
        z[i] = next_double(&cursor);
    }
    expected = next_double(&cursor);
    *scale = next_double(&cursor);
    check_status(singdiv_mmd2_weighted(p, q, z, k, d, &kernel, NULL, &value, NULL),
                 SINGDIV_OK);
    free(p);
    free(q);
    free(z);
    return value - expected;
}

static void
reference_values_match(void **state)
{
    /*
     * Each error must stay within 16 eps of SCALE, the sum of the absolute
     * mean kernel terms: rounding of the kernel values and the final
     * cancellation of the three means allow no better in general.
     */
    FILE *f = fopen(SINGDIV_TEST_DATA "/mmd_reference.txt", "r");
    char *line = NULL;
    size_t capacity = 0;
    size_t cases = 0;
    double worst = 0.0;

    (void)state;
    assert_non_null(f);
    while (getline(&line, &capacity, f) > 0) {
        char name[64];
        char kind[16];
        int used = 0;
        double scale = (double)NAN;
        double error;

        assert_int_equal(sscanf(line, "%63s %15s %n", name, kind, &used), 2);
        if (strcmp(kind, "sample") == 0) {
            error = reference_sample_case(line + used, &scale);
        } else {
            error = reference_weighted_case(line + used, &scale);
        }
        if (!(fabs(error) <= 16 * eps * scale)) {
            print_error("%s %s: error %.3g, allowed %.3g\n", name, kind, error,
                        16 * eps * scale);
        }
        assert_true(fabs(error) <= 16 * eps * scale);
        worst = fmax(worst, fabs(error) / (eps * scale));
        cases++;
    }
    free(line);
    fclose(f);
    assert_true(cases >= 30);
    print_message("mmd reference: %zu cases, worst error %.2f eps of the scale\n", cases,
                  worst);
}

static void
exp_matches_libm(void **state)
{
    /* glibc's exp is within 1 ulp; allow 2 more for the polynomial's own error. */
    uint64_t seed = 3;
    uint64_t worst = 0;

    (void)state;
    check_identical(singdiv__mmd_exp(0.0), 1.0);
    check_identical(singdiv__mmd_exp(-HUGE_VAL), 0.0);
    check_identical(singdiv__mmd_exp(-746.0), 0.0);
    for (int i = 0; i < 200000; i++) {
        double a = -750.0 * uniform(&seed);
        uint64_t ulp;

        if (i % 4 == 0) {
            a = -0.5 * uniform(&seed);
        }
        ulp = check_ulp_distance(singdiv__mmd_exp(a), exp(a));
        worst = ulp > worst ? ulp : worst;
    }
    print_message("mmd exp: worst %llu ulp from libm over 200000 points\n",
                  (unsigned long long)worst);
    assert_true(worst <= 3);
}

/* A plan and two tiles for the pooled points a (na) and b (nb); free the returned buffer. */
static double *
plan_with_tiles(singdiv__mmd_plan *plan, const singdiv_kernel *kernel, const double *a,
                size_t na, const double *b, size_t nb, size_t d, singdiv__mmd_tile *ta,
                singdiv__mmd_tile *tb)
{
    size_t tile_doubles = 0;
    double *buf;

    check_status(singdiv__mmd_tile_doubles(d, &tile_doubles), SINGDIV_OK);
    buf = malloc((d + 2 * tile_doubles) * sizeof(double));
    assert_non_null(buf);
    check_status(singdiv__mmd_plan_init(plan, kernel, a, na, b, nb, d, buf, NULL), SINGDIV_OK);
    singdiv__mmd_tile_init(ta, buf + d, d);
    singdiv__mmd_tile_init(tb, buf + d + tile_doubles, d);
    return buf;
}

/* The three sample sums and the row sums of the first tile pair, for one copy of the code. */
static void
path_sums(singdiv__mmd_plan *plan, const double *x, size_t n, const double *y, size_t m,
          singdiv__mmd_tile *ta, singdiv__mmd_tile *tb, double *out)
{
    singdiv__mmd_points px;
    singdiv__mmd_points py;

    singdiv__mmd_points_init(&px, x, n);
    singdiv__mmd_points_init(&py, y, m);
    singdiv__mmd_sample_sums(plan, &px, &py, 1, ta, tb, out);
    memset(out + 3, 0, (n + m) * sizeof(double));
    singdiv__mmd_pack(plan, &px, 0, n, ta);
    singdiv__mmd_pack(plan, &py, 0, m, tb);
    singdiv__mmd_tile_row_sums(plan, ta, tb, 0, out + 3, out + 3 + n);
}

/*
 * The copy the CPU picks (AVX2 + FMA here) and the portable copy give the
 * same bits for every kernel, both distance forms, padded tiles (37 and
 * 29 points) and spreads whose kernel values are normal, subnormal or 0.
 */
static void
avx2_and_portable_paths_identical(void **state)
{
    static const size_t dims[] = { 3, 9 };
    static const double spreads[] = { 1.0, 6.0, 45.0 };
    size_t n = 37;
    size_t m = 29;

    (void)state;
    for (int type = 0; type < 3; type++) {
        for (size_t di = 0; di < 2; di++) {
            for (size_t si = 0; si < 3; si++) {
                uint64_t seed = 41 + 7 * si + di;
                size_t d = dims[di];
                double *x = random_points(&seed, n * d, 0.0, spreads[si]);
                double *y = random_points(&seed, m * d, 0.2, spreads[si]);
                singdiv_kernel kernel = { (singdiv_kernel_type)type, 0.9 };
                singdiv__mmd_plan plan;
                singdiv__mmd_tile ta;
                singdiv__mmd_tile tb;
                double *buf = plan_with_tiles(&plan, &kernel, x, n, y, m, d, &ta, &tb);
                double fast[3 + 37 + 29];
                double portable[3 + 37 + 29];

                path_sums(&plan, x, n, y, m, &ta, &tb, fast);
                plan.portable = 1;
                path_sums(&plan, x, n, y, m, &ta, &tb, portable);
                for (size_t i = 0; i < 3 + n + m; i++) {
                    check_identical(fast[i], portable[i]);
                }
                free(buf);
                free(x);
                free(y);
            }
        }
    }
}

/*
 * When every exponent argument is above -700, the plan applies 2^k by an
 * addition to the exponent field. Forcing the two multiplications instead
 * must give the same bits, and wide samples must not take that shortcut.
 */
static void
normal_exponent_scaling_identical(void **state)
{
    static const size_t dims[] = { 3, 16 };
    size_t n = 61;
    size_t m = 40;

    (void)state;
    for (int type = 0; type < 2; type++) {
        for (size_t di = 0; di < 2; di++) {
            uint64_t seed = 77 + di;
            size_t d = dims[di];
            double *x = random_points(&seed, n * d, -1.0, 3.0);
            double *y = random_points(&seed, m * d, -1.5, 2.0);
            singdiv_kernel kernel = { (singdiv_kernel_type)type, 0.8 };
            singdiv__mmd_plan plan;
            singdiv__mmd_tile ta;
            singdiv__mmd_tile tb;
            double *buf = plan_with_tiles(&plan, &kernel, x, n, y, m, d, &ta, &tb);
            double shortcut[3 + 61 + 40];
            double multiplied[3 + 61 + 40];

            assert_int_equal(plan.normal_exp, 1);
            path_sums(&plan, x, n, y, m, &ta, &tb, shortcut);
            plan.normal_exp = 0;
            path_sums(&plan, x, n, y, m, &ta, &tb, multiplied);
            for (size_t i = 0; i < 3 + n + m; i++) {
                check_identical(shortcut[i], multiplied[i]);
            }
            free(buf);

            /* One point 1000 bandwidths away: both kernels can be subnormal or 0. */
            x[0] = 1000.0 * 0.8;
            buf = plan_with_tiles(&plan, &kernel, x, n, y, m, d, &ta, &tb);
            assert_int_equal(plan.normal_exp, 0);
            free(buf);
            free(x);
            free(y);
        }
    }
}

/*
 * Kernel values of the vector code equal singdiv__mmd_exp() (which
 * exp_matches_libm checks against glibc) of -s/2, with s summed like the
 * difference form: arguments from 0 down past -746, so results from 1
 * through subnormals to 0.
 */
static void
vector_exp_matches_scalar(void **state)
{
    size_t n = 21;
    size_t d = 3;
    uint64_t seed = 91;
    double *x = random_points(&seed, n * d, 0.0, 40.0);
    singdiv_kernel kernel = { SINGDIV_KERNEL_GAUSSIAN, 1.0 };
    singdiv__mmd_plan plan;
    singdiv__mmd_tile ta;
    singdiv__mmd_tile tb;
    singdiv__mmd_points px;
    double *buf = plan_with_tiles(&plan, &kernel, x, n, x, 0, d, &ta, &tb);
    double kmat[21 * 21];
    double lowest = 0.0;

    (void)state;
    assert_int_equal(plan.norm_form, 0);
    singdiv__mmd_points_init(&px, x, n);
    singdiv__mmd_pack(&plan, &px, 0, n, &ta);
    singdiv__mmd_pack(&plan, &px, 0, n, &tb);
    singdiv__mmd_tile_store(&plan, &ta, &tb, 0, kmat, n, 0, 0);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            double s = 0.0;

            for (size_t k = 0; k < d; k++) {
                double t = (x[j * d + k] - plan.center[k]) - (x[i * d + k] - plan.center[k]);

                s = fma(t, t, s);
            }
            lowest = -0.5 * s < lowest ? -0.5 * s : lowest;
            check_identical(kmat[i * n + j], singdiv__mmd_exp(-0.5 * s));
        }
    }
    assert_true(lowest < -746.0);
    free(buf);
    free(x);
}

/*
 * singdiv__mmd_exp_array() equals singdiv__mmd_exp() bit for bit, with the
 * two-multiplication scaling on [-800, 0] and the exponent-field shortcut
 * on [-700, 0]. The counts sit at and around the 32-argument blocks, so
 * that one or two whole blocks run with and without a scalar tail, and
 * 1003 runs many blocks and a tail.
 */
static void
exp_array_matches_scalar(void **state)
{
    enum { MAX_COUNT = 1003 };
    static const size_t counts[] = { 1, 31, 32, 33, 63, 64, 65, MAX_COUNT };
    static double a[MAX_COUNT];
    static double out[MAX_COUNT];
    uint64_t seed = 13;

    (void)state;
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        for (int normal = 0; normal < 2; normal++) {
            double low = normal ? -700.0 : -800.0;

            for (size_t i = 0; i < counts[c]; i++) {
                a[i] = i % 3 == 0 ? -uniform(&seed) : low * uniform(&seed);
            }
            singdiv__mmd_exp_array(a, out, counts[c], normal);
            for (size_t i = 0; i < counts[c]; i++) {
                check_identical(out[i], singdiv__mmd_exp(a[i]));
            }
        }
    }
}

/*
 * singdiv_mmd2_parallel() gives the bits of singdiv_mmd2() for every
 * thread count: 8 rows of tiles (3 + 3 + 2 for n = 1100, m = 700), so
 * counts below, at and above the number of rows. Built with
 * -Dthreads=true this runs on worker threads; otherwise on this thread.
 */
static void
parallel_matches_serial(void **state)
{
    static const size_t counts[] = { 0, 1, 2, 3, 5, 8, 64 };
    uint64_t seed = 101;
    size_t n = 1100;
    size_t m = 700;
    size_t d = 5;
    double *x = random_points(&seed, n * d, 0.0, 1.0);
    double *y = random_points(&seed, m * d, 0.1, 1.1);

    (void)state;
    print_message("mmd: worker threads %s\n", SINGDIV_MMD_TEST_THREADS ? "on" : "off");
    for (int type = 0; type < 3; type++) {
        for (int est = 0; est < 2; est++) {
            singdiv_kernel kernel = { (singdiv_kernel_type)type, 0.6 };
            double serial = mmd2_value(x, n, y, m, d, kernel.type, 0.6,
                                       (singdiv_mmd_estimator)est);

            for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
                double value = (double)NAN;

                check_status(singdiv_mmd2_parallel(x, n, y, m, d, &kernel,
                                                   (singdiv_mmd_estimator)est, counts[c],
                                                   &value, NULL),
                             SINGDIV_OK);
                check_identical(value, serial);
            }
        }
    }
    free(x);
    free(y);
}

/* singdiv_mmd2_parallel() validates like singdiv_mmd2(). */
static void
parallel_statuses(void **state)
{
    double x[4] = { 0.0, 1.0, 2.0, 3.0 };
    double y[4] = { 0.5, (double)NAN, 2.0, 3.0 };
    singdiv_kernel kernel = { SINGDIV_KERNEL_GAUSSIAN, 1.0 };
    singdiv_kernel bad = { SINGDIV_KERNEL_GAUSSIAN, -1.0 };
    singdiv_error err;
    double out = 0.0;

    (void)state;
    check_status(singdiv_mmd2_parallel(x, 4, x, 4, 1, &kernel, SINGDIV_MMD_BIASED, 2, NULL,
                                       &err),
                 SINGDIV_ERR_NULL);
    assert_string_equal(err.argument, "out");
    check_status(singdiv_mmd2_parallel(x, 0, x, 4, 1, &kernel, SINGDIV_MMD_BIASED, 2, &out,
                                       &err),
                 SINGDIV_ERR_EMPTY);
    check_status(singdiv_mmd2_parallel(x, 4, y, 4, 1, &kernel, SINGDIV_MMD_BIASED, 2, &out,
                                       &err),
                 SINGDIV_ERR_NAN);
    assert_int_equal(err.index, 1);
    check_status(singdiv_mmd2_parallel(x, 4, x, 4, 1, &bad, SINGDIV_MMD_BIASED, 2, &out,
                                       &err),
                 SINGDIV_ERR_DOMAIN);
    check_status(singdiv_mmd2_parallel(x, 1, x, 4, 1, &kernel, SINGDIV_MMD_UNBIASED, 2, &out,
                                       &err),
                 SINGDIV_ERR_TOO_FEW_SAMPLES);
}

static void
workspace_variant_matches(void **state)
{
    uint64_t seed = 23;
    size_t n = 50;
    size_t m = 45;
    size_t d = 7;
    double *x = random_points(&seed, n * d, 0.0, 1.0);
    double *y = random_points(&seed, m * d, 0.0, 1.2);
    singdiv_kernel kernel = { SINGDIV_KERNEL_INVERSE_MULTIQUADRIC, 0.45 };
    size_t count = 0;
    double *work;
    double with_work = (double)NAN;
    singdiv_error err;

    (void)state;
    check_status(singdiv_mmd2_workspace_size(d, &count), SINGDIV_OK);
    work = malloc(count * sizeof(double));
    assert_non_null(work);
    check_status(singdiv_mmd2_ex(x, n, y, m, d, &kernel, SINGDIV_MMD_UNBIASED, work, count,
                                 &with_work, &err),
                 SINGDIV_OK);
    check_identical(with_work, mmd2_value(x, n, y, m, d, kernel.type, kernel.bandwidth,
                                          SINGDIV_MMD_UNBIASED));
    check_status(singdiv_mmd2_ex(x, n, y, m, d, &kernel, SINGDIV_MMD_UNBIASED, work,
                                 count - 1, &with_work, &err),
                 SINGDIV_ERR_WORKSPACE);
    assert_string_equal(err.argument, "work_count");
    check_status(singdiv_mmd2_ex(x, n, y, m, d, &kernel, SINGDIV_MMD_UNBIASED, NULL, count,
                                 &with_work, &err),
                 SINGDIV_ERR_NULL);
    assert_string_equal(err.argument, "work");
    free(work);
    free(x);
    free(y);
}

/*
 * Identical samples under the biased estimator give exactly 0 without
 * touching the workspace, but a caller's workspace one double short (or a
 * NULL one with a count) is still rejected, as for any other samples.
 */
static void
identical_samples_check_workspace(void **state)
{
    static const double x[6] = { 0.0, 1.0, 2.0, 3.0, 4.0, 5.0 };
    singdiv_kernel kernel = { SINGDIV_KERNEL_GAUSSIAN, 1.0 };
    size_t count = 0;
    double *work;
    double value = (double)NAN;
    singdiv_error err;

    (void)state;
    check_status(singdiv_mmd2_workspace_size(2, &count), SINGDIV_OK);
    work = malloc(count * sizeof(double));
    assert_non_null(work);
    check_status(singdiv_mmd2_ex(x, 3, x, 3, 2, &kernel, SINGDIV_MMD_BIASED, work, count - 1,
                                 &value, &err),
                 SINGDIV_ERR_WORKSPACE);
    assert_string_equal(err.argument, "work_count");
    check_status(singdiv_mmd2_ex(x, 3, x, 3, 2, &kernel, SINGDIV_MMD_BIASED, NULL, count,
                                 &value, &err),
                 SINGDIV_ERR_NULL);
    assert_string_equal(err.argument, "work");
    check_status(singdiv_mmd2_ex(x, 3, x, 3, 2, &kernel, SINGDIV_MMD_BIASED, work, count,
                                 &value, &err),
                 SINGDIV_OK);
    check_identical(value, 0.0);
    check_status(singdiv_mmd2_ex(x, 3, x, 3, 2, &kernel, SINGDIV_MMD_BIASED, NULL, 0, &value,
                                 &err),
                 SINGDIV_OK);
    check_identical(value, 0.0);
    free(work);
}

static void
workspace_size_statuses(void **state)
{
    size_t count = 0;

    (void)state;
    check_status(singdiv_mmd2_workspace_size(3, NULL), SINGDIV_ERR_NULL);
    check_status(singdiv_mmd2_workspace_size(0, &count), SINGDIV_ERR_EMPTY);
    check_status(singdiv_mmd2_workspace_size(SIZE_MAX / 4, &count), SINGDIV_ERR_SIZE_OVERFLOW);
    check_status(singdiv_mmd2_workspace_size(16, &count), SINGDIV_OK);
    assert_true(count >= 16 + 2 * 8 * 18);
}

/* Checks one call's status and the argument and index it names. */
static void
expect_mmd2_error(const double *x, size_t n, const double *y, size_t m, size_t d,
                  const singdiv_kernel *kernel, singdiv_mmd_estimator estimator,
                  singdiv_status status, const char *argument, size_t index)
{
    singdiv_error err;
    double value = 42.0;

    check_status(singdiv_mmd2_ex(x, n, y, m, d, kernel, estimator, NULL, 0, &value, &err),
                 status);
    check_status(err.status, status);
    assert_string_equal(err.argument, argument);
    check_size(err.index, index);
    check_identical(value, 42.0);
    check_status(singdiv_mmd2(x, n, y, m, d, kernel, estimator, &value), status);
}

static void
mmd2_statuses(void **state)
{
    double x[6] = { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6 };
    double y[6] = { 0.3, 0.1, 0.4, 0.1, 0.5, 0.9 };
    double far[4] = { -1e300, 0.0, 1e300, 0.0 };
    singdiv_kernel ok = { SINGDIV_KERNEL_GAUSSIAN, 1.0 };
    singdiv_kernel bad = ok;
    const size_t none = SINGDIV_NO_INDEX;
    double value;

    (void)state;
    expect_mmd2_error(NULL, 3, y, 3, 2, &ok, SINGDIV_MMD_BIASED, SINGDIV_ERR_NULL, "x", none);
    expect_mmd2_error(x, 3, NULL, 3, 2, &ok, SINGDIV_MMD_BIASED, SINGDIV_ERR_NULL, "y", none);
    expect_mmd2_error(x, 3, y, 3, 2, NULL, SINGDIV_MMD_BIASED, SINGDIV_ERR_NULL, "kernel",
                      none);
    check_status(singdiv_mmd2(x, 3, y, 3, 2, &ok, SINGDIV_MMD_BIASED, NULL), SINGDIV_ERR_NULL);
    expect_mmd2_error(x, 0, y, 3, 2, &ok, SINGDIV_MMD_BIASED, SINGDIV_ERR_EMPTY, "n", none);
    expect_mmd2_error(x, 3, y, 0, 2, &ok, SINGDIV_MMD_BIASED, SINGDIV_ERR_EMPTY, "m", none);
    expect_mmd2_error(x, 3, y, 3, 0, &ok, SINGDIV_MMD_BIASED, SINGDIV_ERR_EMPTY, "d", none);
    /* n * d overflows: rejected before any coordinate is read. */
    expect_mmd2_error(x, SIZE_MAX / 2, y, 3, 2, &ok, SINGDIV_MMD_BIASED,
                      SINGDIV_ERR_SIZE_OVERFLOW, "x", none);
    expect_mmd2_error(x, 3, y, 3, SIZE_MAX / 2, &ok, SINGDIV_MMD_BIASED,
                      SINGDIV_ERR_SIZE_OVERFLOW, "x", none);
    expect_mmd2_error(x, 3, y, SIZE_MAX / 3, 2, &ok, SINGDIV_MMD_BIASED,
                      SINGDIV_ERR_SIZE_OVERFLOW, "y", none);

    x[4] = (double)NAN;
    expect_mmd2_error(x, 3, y, 3, 2, &ok, SINGDIV_MMD_BIASED, SINGDIV_ERR_NAN, "x", 4);
    x[4] = 0.5;
    y[5] = -HUGE_VAL;
    expect_mmd2_error(x, 3, y, 3, 2, &ok, SINGDIV_MMD_BIASED, SINGDIV_ERR_INFINITE, "y", 5);
    y[5] = 0.9;

    bad.type = (singdiv_kernel_type)3;
    expect_mmd2_error(x, 3, y, 3, 2, &bad, SINGDIV_MMD_BIASED, SINGDIV_ERR_DOMAIN,
                      "kernel->type", none);
    bad = ok;
    double bandwidths[4] = { 0.0, -1.0, (double)NAN, HUGE_VAL };
    for (int i = 0; i < 4; i++) {
        bad.bandwidth = bandwidths[i];
        expect_mmd2_error(x, 3, y, 3, 2, &bad, SINGDIV_MMD_BIASED, SINGDIV_ERR_DOMAIN,
                          "kernel->bandwidth", none);
    }
    expect_mmd2_error(x, 3, y, 3, 2, &ok, (singdiv_mmd_estimator)2, SINGDIV_ERR_DOMAIN,
                      "estimator", none);
    /* (1e300 - (-1e300)) / 2 / 1e-10 overflows: no finite scaled coordinate. */
    bad.bandwidth = 1e-10;
    expect_mmd2_error(far, 2, far + 2, 1, 2, &bad, SINGDIV_MMD_BIASED, SINGDIV_ERR_DOMAIN,
                      "kernel->bandwidth", none);
    expect_mmd2_error(x, 1, y, 3, 2, &ok, SINGDIV_MMD_UNBIASED, SINGDIV_ERR_TOO_FEW_SAMPLES,
                      "n", none);
    check_status(singdiv_mmd2(x, 3, y, 3, 2, &ok, SINGDIV_MMD_UNBIASED, &value), SINGDIV_OK);
}

static void
weighted_statuses(void **state)
{
    double p[3] = { 0.5, 0.25, 0.25 };
    double q[3] = { 0.0, 0.5, 0.5 };
    double z[3] = { 0.0, 1.0, 2.0 };
    double bad[3];
    singdiv_kernel kernel = { SINGDIV_KERNEL_GAUSSIAN, 1.0 };
    singdiv_kernel bad_kernel = { SINGDIV_KERNEL_GAUSSIAN, -2.0 };
    singdiv_options opt;
    singdiv_error err;
    double value;

    (void)state;
    singdiv_options_init(&opt);
    check_status(singdiv_mmd2_weighted(NULL, q, z, 3, 1, &kernel, NULL, &value, &err),
                 SINGDIV_ERR_NULL);
    assert_string_equal(err.argument, "p");
    check_status(singdiv_mmd2_weighted(p, NULL, z, 3, 1, &kernel, NULL, &value, &err),
                 SINGDIV_ERR_NULL);
    check_status(singdiv_mmd2_weighted(p, q, NULL, 3, 1, &kernel, NULL, &value, &err),
                 SINGDIV_ERR_NULL);
    check_status(singdiv_mmd2_weighted(p, q, z, 3, 1, NULL, NULL, &value, &err),
                 SINGDIV_ERR_NULL);
    check_status(singdiv_mmd2_weighted(p, q, z, 3, 1, &kernel, NULL, NULL, &err),
                 SINGDIV_ERR_NULL);
    assert_string_equal(err.argument, "out");
    check_status(singdiv_mmd2_weighted(p, q, z, 0, 1, &kernel, NULL, &value, &err),
                 SINGDIV_ERR_EMPTY);
    assert_string_equal(err.argument, "k");
    check_status(singdiv_mmd2_weighted(p, q, z, 3, 0, &kernel, NULL, &value, &err),
                 SINGDIV_ERR_EMPTY);
    check_status(singdiv_mmd2_weighted(p, q, z, 3, SIZE_MAX / 2, &kernel, NULL, &value, &err),
                 SINGDIV_ERR_SIZE_OVERFLOW);
    opt.base = -1.0;
    check_status(singdiv_mmd2_weighted(p, q, z, 3, 1, &kernel, &opt, &value, &err),
                 SINGDIV_ERR_DOMAIN);
    assert_string_equal(err.argument, "opt->base");

    memcpy(bad, p, sizeof bad);
    bad[1] = (double)NAN;
    check_status(singdiv_mmd2_weighted(bad, q, z, 3, 1, &kernel, NULL, &value, &err),
                 SINGDIV_ERR_NAN);
    check_size(err.index, 1);
    bad[1] = HUGE_VAL;
    check_status(singdiv_mmd2_weighted(p, bad, z, 3, 1, &kernel, NULL, &value, &err),
                 SINGDIV_ERR_INFINITE);
    assert_string_equal(err.argument, "q");
    bad[1] = -0.25;
    check_status(singdiv_mmd2_weighted(bad, q, z, 3, 1, &kernel, NULL, &value, &err),
                 SINGDIV_ERR_NEGATIVE);
    memset(bad, 0, sizeof bad);
    check_status(singdiv_mmd2_weighted(p, bad, z, 3, 1, &kernel, NULL, &value, &err),
                 SINGDIV_ERR_ZERO_MASS);
    bad[0] = 0.5;
    check_status(singdiv_mmd2_weighted(p, bad, z, 3, 1, &kernel, NULL, &value, &err),
                 SINGDIV_ERR_NOT_NORMALIZED);
    memcpy(bad, z, sizeof bad);
    bad[2] = (double)NAN;
    check_status(singdiv_mmd2_weighted(p, q, bad, 3, 1, &kernel, NULL, &value, &err),
                 SINGDIV_ERR_NAN);
    assert_string_equal(err.argument, "z");
    check_size(err.index, 2);
    check_status(singdiv_mmd2_weighted(p, q, z, 3, 1, &bad_kernel, NULL, &value, &err),
                 SINGDIV_ERR_DOMAIN);
    assert_string_equal(err.argument, "kernel->bandwidth");
}

static double
median_of(const double *x, size_t n, const double *y, size_t m, size_t d)
{
    double value = (double)NAN;

    check_status(singdiv_median_bandwidth(x, n, y, m, d, &value), SINGDIV_OK);
    return value;
}

static void
median_bandwidth_even_pairs(void **state)
{
    /* Pooled {0, 1, 3, 7}: distances 1, 3, 7, 2, 6, 4; sorted 1 2 3 4 6 7, median (3 + 4) / 2. */
    double x[3] = { 0.0, 1.0, 3.0 };
    double y[1] = { 7.0 };

    (void)state;
    check_identical(median_of(x, 3, y, 1, 1), 3.5);
}

static void
median_bandwidth_odd_pairs(void **state)
{
    /* Pooled {0, 1, 3}: distances 1, 3, 2, median 2. */
    double x[2] = { 0.0, 1.0 };
    double y[1] = { 3.0 };

    (void)state;
    check_identical(median_of(x, 2, y, 1, 1), 2.0);
}

static void
median_bandwidth_two_dimensions(void **state)
{
    /* (0,0), (3,4), (0,4): distances 5, 4, 3, median 4. */
    double x[4] = { 0.0, 0.0, 3.0, 4.0 };
    double y[2] = { 0.0, 4.0 };

    (void)state;
    check_identical(median_of(x, 2, y, 1, 2), 4.0);
}

static void
median_bandwidth_tie_fallback(void **state)
{
    /*
     * Five points at 2 and one at 5: 10 of the 15 distances are 0, so the
     * median is 0; the five non-zero distances are all 3.
     */
    double x[4] = { 2.0, 2.0, 2.0, 2.0 };
    double y[2] = { 2.0, 5.0 };

    (void)state;
    check_identical(median_of(x, 4, y, 2, 1), 3.0);
}

static void
median_bandwidth_all_equal(void **state)
{
    double x[4] = { 1.5, -2.0, 1.5, -2.0 };
    double y[2] = { 1.5, -2.0 };
    double value = 42.0;
    double work[3];
    singdiv_error err;

    (void)state;
    check_status(singdiv_median_bandwidth(x, 2, y, 1, 2, &value), SINGDIV_ERR_DOMAIN);
    check_identical(value, 42.0);
    check_status(singdiv_median_bandwidth_ex(x, 2, y, 1, 2, 0, work, 3, &value, &err),
                 SINGDIV_ERR_DOMAIN);
    assert_string_equal(err.argument, "x");
}

static void
median_bandwidth_subsample(void **state)
{
    /*
     * Pooled {0, 10, 1, 11, 3, 13} with max_points 3 keeps indices
     * floor(j * 6 / 3) = 0, 2, 4: points 0, 1, 3, distances 1, 3, 2.
     */
    double x[4] = { 0.0, 10.0, 1.0, 11.0 };
    double y[2] = { 3.0, 13.0 };
    double work[15];
    size_t count = 0;
    double value = (double)NAN;
    singdiv_error err;

    (void)state;
    check_status(singdiv_median_bandwidth_workspace_size(4, 2, 3, &count), SINGDIV_OK);
    check_size(count, 3);
    check_status(singdiv_median_bandwidth_ex(x, 4, y, 2, 1, 3, work, count, &value, &err),
                 SINGDIV_OK);
    check_identical(value, 2.0);
    check_status(singdiv_median_bandwidth_workspace_size(4, 2, 0, &count), SINGDIV_OK);
    check_size(count, 15);
    check_status(singdiv_median_bandwidth_ex(x, 4, y, 2, 1, 0, work, count, &value, &err),
                 SINGDIV_OK);
    check_identical(value, median_of(x, 4, y, 2, 1));
}

static void
median_bandwidth_extreme_scales(void **state)
{
    /* Distances of 2e-200 and 2e200 keep full precision through the power-of-two scaling. */
    double tiny_x[2] = { 0.0, 1e-200 };
    double tiny_y[1] = { 3e-200 };
    double huge_x[2] = { 0.0, 1e200 };
    double huge_y[1] = { 3e200 };

    (void)state;
    check_rel(median_of(tiny_x, 2, tiny_y, 1, 1), 2e-200, 2 * eps);
    check_rel(median_of(huge_x, 2, huge_y, 1, 1), 2e200, 2 * eps);
}

static void
median_bandwidth_statuses(void **state)
{
    double x[4] = { 0.0, 1.0, 2.0, 3.0 };
    double y[2] = { 5.0, 8.0 };
    double far[2] = { -1.7e308, 1.7e308 };
    double work[15];
    double value;
    size_t count;
    singdiv_error err;

    (void)state;
    check_status(singdiv_median_bandwidth(NULL, 4, y, 2, 1, &value), SINGDIV_ERR_NULL);
    check_status(singdiv_median_bandwidth(x, 4, NULL, 2, 1, &value), SINGDIV_ERR_NULL);
    check_status(singdiv_median_bandwidth(x, 4, y, 2, 1, NULL), SINGDIV_ERR_NULL);
    check_status(singdiv_median_bandwidth(x, 0, y, 2, 1, &value), SINGDIV_ERR_EMPTY);
    check_status(singdiv_median_bandwidth(x, 4, y, 0, 1, &value), SINGDIV_ERR_EMPTY);
    check_status(singdiv_median_bandwidth(x, 4, y, 2, 0, &value), SINGDIV_ERR_EMPTY);
    check_status(singdiv_median_bandwidth(x, SIZE_MAX / 4, y, 2, 1, &value),
                 SINGDIV_ERR_SIZE_OVERFLOW);
    x[2] = (double)NAN;
    check_status(singdiv_median_bandwidth_ex(x, 4, y, 2, 1, 0, work, 15, &value, &err),
                 SINGDIV_ERR_NAN);
    check_size(err.index, 2);
    x[2] = 2.0;
    y[1] = HUGE_VAL;
    check_status(singdiv_median_bandwidth_ex(x, 4, y, 2, 1, 0, work, 15, &value, &err),
                 SINGDIV_ERR_INFINITE);
    assert_string_equal(err.argument, "y");
    y[1] = 8.0;
    check_status(singdiv_median_bandwidth_ex(x, 4, y, 2, 1, 1, work, 15, &value, &err),
                 SINGDIV_ERR_DOMAIN);
    assert_string_equal(err.argument, "max_points");
    check_status(singdiv_median_bandwidth_ex(x, 4, y, 2, 1, 0, work, 14, &value, &err),
                 SINGDIV_ERR_WORKSPACE);
    check_status(singdiv_median_bandwidth_ex(x, 4, y, 2, 1, 0, NULL, 15, &value, &err),
                 SINGDIV_ERR_NULL);
    /* The median distance 3.4e308 exceeds DBL_MAX. */
    check_status(singdiv_median_bandwidth(far, 1, far + 1, 1, 1, &value), SINGDIV_ERR_DOMAIN);

    check_status(singdiv_median_bandwidth_workspace_size(1, 1, 0, NULL), SINGDIV_ERR_NULL);
    check_status(singdiv_median_bandwidth_workspace_size(0, 0, 0, &count), SINGDIV_ERR_EMPTY);
    check_status(singdiv_median_bandwidth_workspace_size(3, 4, 1, &count), SINGDIV_ERR_DOMAIN);
    check_status(singdiv_median_bandwidth_workspace_size(SIZE_MAX / 2, 5, 0, &count),
                 SINGDIV_ERR_SIZE_OVERFLOW);
    check_status(singdiv_median_bandwidth_workspace_size(SIZE_MAX, 1, 0, &count),
                 SINGDIV_ERR_SIZE_OVERFLOW);
}

static void
median_bandwidth_no_memory(void **state)
{
    /* 6e6 points need 1.8e13 distances, 144 TB: more than the 128 TB user address space of x86-64. */
    size_t n = 6000000;
    double *x = calloc(n, sizeof(double));
    double y[1] = { 1.0 };
    double value = 42.0;

    (void)state;
    assert_non_null(x);
    check_status(singdiv_median_bandwidth(x, n, y, 1, 1, &value), SINGDIV_ERR_NO_MEMORY);
    check_identical(value, 42.0);
    free(x);
}

/* Returns 1 when running under valgrind, whose preload library shows in LD_PRELOAD. */
static int
under_valgrind(void)
{
    const char *preload = getenv("LD_PRELOAD");

    return preload != NULL && strstr(preload, "vgpreload") != NULL;
}

/*
 * Runs the three allocating entry points in a child whose address space is
 * capped 256 MB above its current size, with d = 2^22 so that each needs
 * about 570 MB of workspace. Exits 0 when all three return NO_MEMORY.
 */
static int
no_memory_child(void)
{
    size_t d = (size_t)1 << 22;
    double *x = calloc(d, sizeof(double));
    double *y = calloc(d, sizeof(double));
    double w[1] = { 1.0 };
    singdiv_kernel kernel = { SINGDIV_KERNEL_GAUSSIAN, 1.0 };
    singdiv_mmd_test_result result;
    struct rlimit limit;
    unsigned long pages = 0;
    FILE *statm = fopen("/proc/self/statm", "r");
    double value;
    int failures = 0;

    if (x == NULL || y == NULL || statm == NULL || fscanf(statm, "%lu", &pages) != 1) {
        return 2;
    }
    fclose(statm);
    y[0] = 1.0;
    limit.rlim_cur = (rlim_t)(pages * (unsigned long)sysconf(_SC_PAGESIZE)) + ((rlim_t)256 << 20);
    limit.rlim_max = limit.rlim_cur;
    if (setrlimit(RLIMIT_AS, &limit) != 0) {
        return 2;
    }
    failures += singdiv_mmd2(x, 1, y, 1, d, &kernel, SINGDIV_MMD_BIASED, &value) !=
                SINGDIV_ERR_NO_MEMORY;
    failures += singdiv_mmd2_weighted(w, w, x, 1, d, &kernel, NULL, &value, NULL) !=
                SINGDIV_ERR_NO_MEMORY;
    failures += singdiv_mmd_test(x, 1, y, 1, d, &kernel, SINGDIV_MMD_BIASED, 9, 1, 0,
                                 &result, NULL) != SINGDIV_ERR_NO_MEMORY;
    return failures;
}

static void
allocating_functions_report_no_memory(void **state)
{
    pid_t pid;
    int status = 0;

    (void)state;
    if (UNDER_ASAN || under_valgrind()) {
        /* Both reserve address space of their own, so the cap cannot be set. */
        skip();
    }
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        _exit(no_memory_child());
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static singdiv_mmd_test_result
run_permutation_test(const double *x, size_t n, const double *y, size_t m, size_t d,
         singdiv_mmd_estimator estimator, size_t permutations, uint64_t seed, size_t budget)
{
    singdiv_kernel kernel = { SINGDIV_KERNEL_GAUSSIAN, 0.8 };
    singdiv_mmd_test_result result;
    singdiv_error err;

    check_status(singdiv_mmd_test(x, n, y, m, d, &kernel, estimator, permutations, seed,
                                  budget, &result, &err),
                 SINGDIV_OK);
    return result;
}

static void
permutation_reproducible_from_seed(void **state)
{
    uint64_t seed = 29;
    double *x = random_points(&seed, 30 * 2, 0.0, 1.0);
    double *y = random_points(&seed, 25 * 2, 0.1, 1.1);
    singdiv_mmd_test_result a = run_permutation_test(x, 30, y, 25, 2, SINGDIV_MMD_UNBIASED, 199, 42, 0);
    singdiv_mmd_test_result b = run_permutation_test(x, 30, y, 25, 2, SINGDIV_MMD_UNBIASED, 199, 42, 0);

    (void)state;
    check_identical(a.statistic, b.statistic);
    check_identical(a.p_value, b.p_value);
    check_size(a.exceed_count, b.exceed_count);
    check_size(a.permutations, 199);
    assert_int_equal(a.kernel_matrix_stored, 0);
    free(x);
    free(y);
}

static void
permutation_fixed_seed_pinned(void **state)
{
    /*
     * The generator is xoshiro256** seeded by splitmix64: seed 0 gives the
     * first output 0x99ec5f36cb75f2b4 on every platform.
     */
    singdiv__rng rng;
    uint64_t counts[5] = { 0 };

    (void)state;
    singdiv__rng_seed(&rng, 0);
    assert_true(singdiv__rng_next(&rng) == UINT64_C(0x99ec5f36cb75f2b4));
    for (int i = 0; i < 50000; i++) {
        counts[singdiv__rng_below(&rng, 5)]++;
    }
    /* 10000 expected per value, standard deviation 89: allow 5 deviations. */
    for (int v = 0; v < 5; v++) {
        assert_true(counts[v] > 9550 && counts[v] < 10450);
    }
}

static void
permutation_paths_agree(void **state)
{
    /* The stored matrix and the tiles give the same statistic up to rounding. */
    uint64_t seed = 31;
    double *x = random_points(&seed, 40 * 3, 0.0, 1.0);
    double *y = random_points(&seed, 52 * 3, 0.05, 1.05);
    singdiv_mmd_test_result tiles = run_permutation_test(x, 40, y, 52, 3, SINGDIV_MMD_UNBIASED, 99, 7, 0);
    singdiv_mmd_test_result stored =
        run_permutation_test(x, 40, y, 52, 3, SINGDIV_MMD_UNBIASED, 99, 7, (size_t)1 << 20);

    (void)state;
    assert_int_equal(stored.kernel_matrix_stored, 1);
    assert_int_equal(tiles.kernel_matrix_stored, 0);
    check_rel(stored.statistic, tiles.statistic, 1e-12);
    check_size(stored.exceed_count, tiles.exceed_count);
    free(x);
    free(y);
}

static void
permutation_statistic_matches_mmd2(void **state)
{
    uint64_t seed = 37;
    size_t n = 33;
    size_t m = 21;
    double *x = random_points(&seed, n * 4, 0.0, 1.0);
    double *y = random_points(&seed, m * 4, 0.2, 1.2);

    (void)state;
    for (int e = 0; e < 2; e++) {
        singdiv_mmd_estimator estimator = (singdiv_mmd_estimator)e;
        double direct = mmd2_value(x, n, y, m, 4, SINGDIV_KERNEL_GAUSSIAN, 0.8, estimator);
        singdiv_mmd_test_result r = run_permutation_test(x, n, y, m, 4, estimator, 9, 1, 0);
        /* The small group is y here (m < n): swapping the samples changes the path. */
        singdiv_mmd_test_result swapped = run_permutation_test(y, m, x, n, 4, estimator, 9, 1, 0);

        check_rel(r.statistic, direct, 1e-12);
        check_rel(swapped.statistic, direct, 1e-12);
    }
    free(x);
    free(y);
}

static void
permutation_pvalue_formula(void **state)
{
    uint64_t seed = 41;
    double *x = random_points(&seed, 15, 0.0, 1.0);
    double *y = random_points(&seed, 18, 0.0, 1.0);
    singdiv_mmd_test_result r = run_permutation_test(x, 15, y, 18, 1, SINGDIV_MMD_BIASED, 57, 3, 0);

    (void)state;
    check_identical(r.p_value, (1.0 + (double)r.exceed_count) / 58.0);
    assert_true(r.exceed_count <= 57);
    free(x);
    free(y);
}

static void
permutation_null_uniform(void **state)
{
    /*
     * 400 data sets drawn under H0 (both samples uniform on [0, 1]^2,
     * n = 14, m = 11, data seed 20261204, test seeds 1000 + i), 99
     * permutations each. Valid p-values satisfy P(p <= a) <= a. With 400
     * draws the count of p <= 0.05 has mean 20 and standard deviation
     * 4.4, and the count of p <= 0.5 has mean 200 and deviation 10; each
     * is accepted within about 3.5 deviations (and the statistic is
     * continuous, so p is close to uniform and cannot sit far below).
     */
    uint64_t data_seed = 20261204;
    size_t small = 0;
    size_t half = 0;

    (void)state;
    for (int i = 0; i < 400; i++) {
        double *x = random_points(&data_seed, 14 * 2, 0.0, 1.0);
        double *y = random_points(&data_seed, 11 * 2, 0.0, 1.0);
        singdiv_mmd_test_result r =
            run_permutation_test(x, 14, y, 11, 2, SINGDIV_MMD_UNBIASED, 99, 1000 + (uint64_t)i, 0);

        small += r.p_value <= 0.05;
        half += r.p_value <= 0.5;
        free(x);
        free(y);
    }
    print_message("mmd null: %zu of 400 p-values <= 0.05, %zu <= 0.5\n", small, half);
    assert_true(small >= 5 && small <= 36);
    assert_true(half >= 165 && half <= 235);
}

static void
permutation_detects_shift(void **state)
{
    uint64_t seed = 43;
    double *x = random_points(&seed, 40 * 2, 0.0, 1.0);
    double *y = random_points(&seed, 40 * 2, 0.6, 1.6);
    singdiv_mmd_test_result r = run_permutation_test(x, 40, y, 40, 2, SINGDIV_MMD_UNBIASED, 199, 5, 0);

    (void)state;
    check_size(r.exceed_count, 0);
    check_identical(r.p_value, 1.0 / 200.0);
    free(x);
    free(y);
}

static void
permutation_statuses(void **state)
{
    double x[4] = { 0.1, 0.2, 0.3, 0.4 };
    double y[4] = { 0.5, 0.6, 0.7, (double)NAN };
    singdiv_kernel kernel = { SINGDIV_KERNEL_GAUSSIAN, 1.0 };
    singdiv_mmd_test_result r;
    singdiv_error err;

    (void)state;
    check_status(singdiv_mmd_test(x, 4, y, 3, 1, &kernel, SINGDIV_MMD_BIASED, 9, 1, 0, NULL,
                                  &err),
                 SINGDIV_ERR_NULL);
    assert_string_equal(err.argument, "out");
    check_status(singdiv_mmd_test(x, 4, y, 4, 1, &kernel, SINGDIV_MMD_BIASED, 9, 1, 0, &r,
                                  &err),
                 SINGDIV_ERR_NAN);
    check_size(err.index, 3);
    check_status(singdiv_mmd_test(x, 4, y, 3, 1, &kernel, SINGDIV_MMD_BIASED, 0, 1, 0, &r,
                                  &err),
                 SINGDIV_ERR_DOMAIN);
    assert_string_equal(err.argument, "permutations");
    check_status(singdiv_mmd_test(x, 4, y, 1, 1, &kernel, SINGDIV_MMD_UNBIASED, 9, 1, 0, &r,
                                  &err),
                 SINGDIV_ERR_TOO_FEW_SAMPLES);
    check_status(singdiv_mmd_test(x, 4, y, 1, 1, &kernel, SINGDIV_MMD_BIASED, 9, 1, 0, &r,
                                  &err),
                 SINGDIV_OK);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(k23_unbiased_closed_form),
        cmocka_unit_test(k23_biased_closed_form),
        cmocka_unit_test(k24_unbiased_too_few_samples),
        cmocka_unit_test(k24_biased_closed_form),
        cmocka_unit_test(unbiased_excludes_diagonal),
        cmocka_unit_test(biased_nonnegative),
        cmocka_unit_test(biased_self_is_zero),
        cmocka_unit_test(kernels_closed_form_difference),
        cmocka_unit_test(kernels_closed_form_norm),
        cmocka_unit_test(equal_points_kernel_exactly_one),
        cmocka_unit_test(weighted_point_masses_equal_sample),
        cmocka_unit_test(weighted_equal_distributions_zero),
        cmocka_unit_test(weighted_disjoint_closed_form),
        cmocka_unit_test(weighted_normalize_counts),
        cmocka_unit_test(reference_values_match),
        cmocka_unit_test(exp_matches_libm),
        cmocka_unit_test(avx2_and_portable_paths_identical),
        cmocka_unit_test(normal_exponent_scaling_identical),
        cmocka_unit_test(vector_exp_matches_scalar),
        cmocka_unit_test(exp_array_matches_scalar),
        cmocka_unit_test(parallel_matches_serial),
        cmocka_unit_test(parallel_statuses),
        cmocka_unit_test(workspace_variant_matches),
        cmocka_unit_test(identical_samples_check_workspace),
        cmocka_unit_test(workspace_size_statuses),
        cmocka_unit_test(mmd2_statuses),
        cmocka_unit_test(weighted_statuses),
        cmocka_unit_test(median_bandwidth_even_pairs),
        cmocka_unit_test(median_bandwidth_odd_pairs),
        cmocka_unit_test(median_bandwidth_two_dimensions),
        cmocka_unit_test(median_bandwidth_tie_fallback),
        cmocka_unit_test(median_bandwidth_all_equal),
        cmocka_unit_test(median_bandwidth_subsample),
        cmocka_unit_test(median_bandwidth_extreme_scales),
        cmocka_unit_test(median_bandwidth_statuses),
        cmocka_unit_test(median_bandwidth_no_memory),
        cmocka_unit_test(allocating_functions_report_no_memory),
        cmocka_unit_test(permutation_reproducible_from_seed),
        cmocka_unit_test(permutation_fixed_seed_pinned),
        cmocka_unit_test(permutation_paths_agree),
        cmocka_unit_test(permutation_statistic_matches_mmd2),
        cmocka_unit_test(permutation_pvalue_formula),
        cmocka_unit_test(permutation_null_uniform),
        cmocka_unit_test(permutation_detects_shift),
        cmocka_unit_test(permutation_statuses),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
