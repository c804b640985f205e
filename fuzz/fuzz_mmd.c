/*
 * Fuzzes the maximum mean discrepancy functions (singdiv/mmd.h): sample
 * and weighted MMD^2, the median bandwidth and the permutation test, on
 * small samples (the cost is quadratic) with any kernel, bandwidth and
 * estimator.
 */
#include <stdlib.h>

#include "fuzz_common.h"

#define MAX_POINTS 12
#define MAX_D 6

static int
same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

static double
fuzz_bandwidth(fuzz_input *in)
{
    if (fuzz_byte(in) % 4 == 0) {
        return fuzz_double(in);
    }
    return ldexp(1.0 + (double)fuzz_byte(in) / 256.0, (int)(fuzz_byte(in) % 40) - 20);
}

static void
check_sample_functions(fuzz_input *in, const double *x, size_t n, const double *y,
                       size_t m, size_t d, const singdiv_kernel *kernel,
                       singdiv_mmd_estimator estimator)
{
    const fuzz_arg args[] = {
        {"x", n * d}, {"y", m * d}, {"n", 0}, {"m", 0}, {"d", 0}, {"kernel", 0},
        {"kernel->type", 0}, {"kernel->bandwidth", 0}, {"estimator", 0}, {"work", 0},
        {"work_count", 0}, {"out", 0}, {"permutations", 0}, {"max_points", 0}};
    const size_t nargs = sizeof args / sizeof args[0];
    double value = 1.0, value_ex = 2.0, h = 3.0, h_ex = 4.0;
    size_t count = 0, max_points;
    singdiv_status s, s_ex;
    singdiv_error err;
    double *work;
    singdiv_mmd_test_result test;
    size_t permutations = fuzz_length(in, 8);

    s = FUZZ_CALL("singdiv_mmd2", singdiv_mmd2(x, n, y, m, d, kernel, estimator, &value));
    FUZZ_CHECK(fuzz_is_status(s));
    if (s == SINGDIV_OK) {
        FUZZ_CHECK(!isnan(value));
        if (estimator == SINGDIV_MMD_BIASED) {
            FUZZ_CHECK(value >= 0.0);
        }
    } else {
        FUZZ_CHECK(value == 1.0);
    }
    if (FUZZ_CALL("singdiv_mmd2_workspace_size", singdiv_mmd2_workspace_size(d, &count)) == SINGDIV_OK) {
        work = malloc((count + 1) * sizeof *work);
        if (work != NULL) {
            s_ex = FUZZ_CALL("singdiv_mmd2_ex", singdiv_mmd2_ex(x, n, y, m, d, kernel, estimator, work, count, &value_ex,
                                   &err));
            fuzz_check_error(&err, s_ex, args, nargs);
            FUZZ_CHECK(s_ex == s);
            if (s == SINGDIV_OK) {
                FUZZ_CHECK(same_bits(value, value_ex));
            }
            s_ex = FUZZ_CALL("singdiv_mmd2_ex", singdiv_mmd2_ex(x, n, y, m, d, kernel, estimator, work, count - 1,
                                   &value_ex, &err));
            fuzz_check_error(&err, s_ex, args, nargs);
            FUZZ_CHECK(s_ex != SINGDIV_OK);
            free(work);
        }
    }

    s = FUZZ_CALL("singdiv_median_bandwidth", singdiv_median_bandwidth(x, n, y, m, d, &h));
    FUZZ_CHECK(fuzz_is_status(s));
    if (s == SINGDIV_OK) {
        FUZZ_CHECK(isfinite(h) && h > 0.0);
    }
    max_points = fuzz_length(in, MAX_POINTS);
    if (FUZZ_CALL("singdiv_median_bandwidth_workspace_size", singdiv_median_bandwidth_workspace_size(n, m, max_points, &count)) == SINGDIV_OK) {
        work = malloc((count + 1) * sizeof *work);
        if (work != NULL) {
            s_ex = FUZZ_CALL("singdiv_median_bandwidth_ex", singdiv_median_bandwidth_ex(x, n, y, m, d, max_points, work, count, &h_ex,
                                               &err));
            fuzz_check_error(&err, s_ex, args, nargs);
            if (s_ex == SINGDIV_OK) {
                FUZZ_CHECK(isfinite(h_ex) && h_ex > 0.0);
            }
            if (max_points == 0 || max_points >= n + m) {
                FUZZ_CHECK(s_ex == s);
                if (s == SINGDIV_OK) {
                    FUZZ_CHECK(same_bits(h, h_ex));
                }
            }
            free(work);
        }
    }

    s = FUZZ_CALL("singdiv_mmd_test", singdiv_mmd_test(x, n, y, m, d, kernel, estimator, permutations, fuzz_u64(in),
                         fuzz_byte(in) % 2 ? SIZE_MAX : 0, &test, &err));
    fuzz_check_error(&err, s, args, nargs);
    if (s == SINGDIV_OK) {
        FUZZ_CHECK(test.permutations == permutations);
        FUZZ_CHECK(test.exceed_count <= permutations);
        FUZZ_CHECK(test.p_value > 0.0 && test.p_value <= 1.0);
        FUZZ_CHECK(!isnan(test.statistic));
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size, 0};
    double x[MAX_POINTS * MAX_D + 1], y[MAX_POINTS * MAX_D + 1];
    double p[MAX_POINTS + 1], q[MAX_POINTS + 1];
    size_t n = fuzz_length(&in, MAX_POINTS);
    size_t m = fuzz_length(&in, MAX_POINTS);
    size_t d = fuzz_length(&in, MAX_D);
    singdiv_kernel kernel;
    singdiv_mmd_estimator estimator;
    singdiv_options options;
    const singdiv_options *opt;
    singdiv_error err;
    singdiv_status s;
    double value = 1.0;

    kernel.type = (singdiv_kernel_type)(fuzz_byte(&in) % 4);
    kernel.bandwidth = fuzz_bandwidth(&in);
    estimator = (singdiv_mmd_estimator)(fuzz_byte(&in) % 3);
    for (size_t i = 0; i < n * d; i++) {
        x[i] = fuzz_byte(&in) % 8 == 0 ? fuzz_double(&in) : (double)fuzz_byte(&in) / 16.0;
    }
    if (fuzz_byte(&in) % 4 == 0 && n == m) {
        memcpy(y, x, sizeof x);
    } else {
        for (size_t i = 0; i < m * d; i++) {
            y[i] = fuzz_byte(&in) % 8 == 0 ? fuzz_double(&in) : (double)fuzz_byte(&in) / 16.0;
        }
    }

    check_sample_functions(&in, x, n, y, m, d, &kernel, estimator);
    if (n == m && estimator == SINGDIV_MMD_BIASED && memcmp(x, y, n * d * sizeof x[0]) == 0 &&
        FUZZ_CALL("singdiv_mmd2", singdiv_mmd2(x, n, y, m, d, &kernel, estimator, &value)) == SINGDIV_OK) {
        FUZZ_CHECK(value == 0.0);
    }

    /* Weighted form: p and q on the n points of x. */
    opt = fuzz_options(&in, &options);
    fuzz_vector(&in, p, n);
    fuzz_vector(&in, q, n);
    value = 1.0;
    s = FUZZ_CALL("singdiv_mmd2_weighted", singdiv_mmd2_weighted(p, q, x, n, d, &kernel, opt, &value, &err));
    {
        const fuzz_arg args[] = {
            {"p", n}, {"q", n}, {"z", n * d}, {"k", 0}, {"d", 0}, {"kernel", 0},
            {"kernel->type", 0}, {"kernel->bandwidth", 0}, {"opt->base", 0},
            {"opt->sum_tolerance", 0}, {"out", 0}};

        fuzz_check_error(&err, s, args, sizeof args / sizeof args[0]);
    }
    if (s == SINGDIV_OK) {
        FUZZ_CHECK(value >= 0.0);
        if (memcmp(p, q, n * sizeof p[0]) == 0) {
            FUZZ_CHECK(value == 0.0);
        }
    }
    return 0;
}
