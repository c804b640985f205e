/*
 * Entropy, cross-entropy, KL and Jensen-Shannon: closed forms, singular
 * reports, properties and every input error.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"

/* log 2 and log 3, correctly rounded. */
static const double ln2 = 0x1.62e42fefa39efp-1;
static const double ln3 = 0x1.193ea7aad030bp+0;

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static void
options_init_sets_defaults(void **state)
{
    singdiv_options opt = { 7, 3.0, 0.5 };

    (void)state;
    singdiv_options_init(&opt);
    assert_int_equal(opt.normalize, 0);
    check_identical(opt.base, 0.0);
    check_identical(opt.sum_tolerance, 1e-6);
    singdiv_options_init(NULL);
}

static void
entropy_uniform_is_log_n(void **state)
{
    const double p[] = { 0.25, 0.25, 0.25, 0.25 };
    singdiv_report r;

    (void)state;
    check_status(singdiv_entropy(p, N_OF(p), NULL, &r), SINGDIV_OK);
    /* H = -4 (1/4) log(1/4) = 2 log 2, and doubling is exact. */
    check_ulp(r.value, 2.0 * ln2, 1);
    check_ulp(r.finite_part, r.value, 0);
}

static void
entropy_point_mass_is_positive_zero(void **state)
{
    const double p[] = { 0.0, 1.0, 0.0 };
    singdiv_report r;

    (void)state;
    check_status(singdiv_entropy(p, N_OF(p), NULL, &r), SINGDIV_OK);
    check_identical(r.value, 0.0);
    check_size(r.violating_count, 0);
}

static void
entropy_in_bits(void **state)
{
    const double p[] = { 0.5, 0.25, 0.25 };
    singdiv_options opt = options_with(0, 2.0);
    singdiv_report r;

    (void)state;
    /* H = 0.5 * 1 + 2 * 0.25 * 2 = 1.5 bits. */
    check_status(singdiv_entropy(p, N_OF(p), &opt, &r), SINGDIV_OK);
    check_ulp(r.value, 1.5, 2);
}

static void
cross_entropy_two_symbols(void **state)
{
    const double p[] = { 0.5, 0.5 };
    const double q[] = { 0.25, 0.75 };
    singdiv_report r;

    (void)state;
    /* CE = -0.5 log(1/4) - 0.5 log(3/4) = 0.5 (4 log 2 - log 3) = 2 log 2 - log(3) / 2. */
    check_status(singdiv_cross_entropy(p, q, N_OF(p), NULL, &r), SINGDIV_OK);
    check_ulp(r.value, 2.0 * ln2 - 0.5 * ln3, 2);
    check_size(r.violating_count, 0);
    check_identical(r.violating_mass, 0.0);
}

static void
cross_entropy_equals_entropy_plus_kl(void **state)
{
    const double p[] = { 0.2385, 0.1615, 0.35, 0.25 };
    const double q[] = { 0.1, 0.4, 0.3, 0.2 };
    singdiv_report ce;
    singdiv_report h;
    singdiv_report kl;

    (void)state;
    check_status(singdiv_cross_entropy(p, q, N_OF(p), NULL, &ce), SINGDIV_OK);
    check_status(singdiv_entropy(p, N_OF(p), NULL, &h), SINGDIV_OK);
    check_status(singdiv_kl(p, q, N_OF(p), NULL, &kl), SINGDIV_OK);
    check_rel(ce.value, h.value + kl.value, 4e-16);
}

static void
kl_two_symbols(void **state)
{
    const double p[] = { 0.5, 0.5 };
    const double q[] = { 0.25, 0.75 };
    singdiv_report r;

    (void)state;
    /* KL = 0.5 log 2 + 0.5 log(2/3) = log 2 - log(3) / 2. */
    check_status(singdiv_kl(p, q, N_OF(p), NULL, &r), SINGDIV_OK);
    check_rel(r.value, ln2 - 0.5 * ln3, 2e-15);
}

static void
kl_identical_is_positive_zero(void **state)
{
    const double p[] = { 0.2385, 0.0, 0.1615, 0.6 };
    singdiv_report r;

    (void)state;
    check_status(singdiv_kl(p, p, N_OF(p), NULL, &r), SINGDIV_OK);
    check_identical(r.value, 0.0);
    check_identical(r.finite_part, 0.0);
}

static void
kl_zero_in_q_is_infinite(void **state)
{
    const double p[] = { 0.25, 0.25, 0.5, 0.0 };
    const double q[] = { 0.5, 0.0, 0.0, 0.5 };
    singdiv_report r;

    (void)state;
    check_status(singdiv_kl(p, q, N_OF(p), NULL, &r), SINGDIV_OK);
    check_identical(r.value, HUGE_VAL);
    check_size(r.violating_count, 2);
    check_ulp(r.violating_mass, 0.75, 0);
    check_size(r.reverse_count, 1);
    check_ulp(r.reverse_mass, 0.5, 0);
    /* Over the covered support only index 0: 0.25 log(0.25 / 0.5) = -log(2) / 4. */
    check_ulp(r.finite_part, -0.25 * ln2, 2);
}

static void
cross_entropy_zero_in_q_is_infinite(void **state)
{
    const double p[] = { 0.25, 0.25, 0.5 };
    const double q[] = { 0.5, 0.5, 0.0 };
    singdiv_report r;

    (void)state;
    check_status(singdiv_cross_entropy(p, q, N_OF(p), NULL, &r), SINGDIV_OK);
    check_identical(r.value, HUGE_VAL);
    check_ulp(r.violating_mass, 0.5, 0);
    check_size(r.violating_count, 1);
    /* -0.25 log 0.5 - 0.25 log 0.5 = log(2) / 2. */
    check_ulp(r.finite_part, 0.5 * ln2, 2);
}

static void
kl_zero_in_p_costs_nothing(void **state)
{
    const double p[] = { 0.0, 0.5, 0.5 };
    const double q[] = { 0.5, 0.25, 0.25 };
    singdiv_report r;

    (void)state;
    /* KL = 2 * 0.5 log(0.5 / 0.25) = log 2; index 0 is in F, not in V. */
    check_status(singdiv_kl(p, q, N_OF(p), NULL, &r), SINGDIV_OK);
    check_ulp(r.value, ln2, 2);
    check_size(r.violating_count, 0);
    check_size(r.reverse_count, 1);
    check_ulp(r.reverse_mass, 0.5, 0);
}

static void
kl_subnormal_q_does_not_overflow(void **state)
{
    const double p[] = { 0.5, 0.5 };
    const double q[] = { 0x1p-1074, 1.0 - 0x1p-53 };
    singdiv_report r;

    (void)state;
    /* p / q = 2^1073 overflows no double, but the quotient form must not be used blindly. */
    check_status(singdiv_kl(p, q, N_OF(p), NULL, &r), SINGDIV_OK);
    assert_true(isfinite(r.value));
    /* 0.5 log(0.5 / 2^-1074) + 0.5 log(0.5 / (1 - 2^-53)) = 0.5 * 1073 log 2 - 0.5 log 2 + tiny. */
    check_rel(r.value, 0.5 * 1073.0 * ln2 - 0.5 * ln2, 1e-15);
}

static void
js_disjoint_is_log_2_exactly(void **state)
{
    const double p[] = { 0.5, 0.5, 0.0, 0.0 };
    const double q[] = { 0.0, 0.0, 0.25, 0.75 };
    singdiv_options bits = options_with(0, 2.0);
    singdiv_report r;

    (void)state;
    check_status(singdiv_js(p, q, N_OF(p), NULL, &r), SINGDIV_OK);
    check_identical(r.value, ln2);
    check_size(r.violating_count, 2);
    check_size(r.reverse_count, 2);
    check_status(singdiv_js(p, q, N_OF(p), &bits, &r), SINGDIV_OK);
    check_identical(r.value, 1.0);
}

static void
js_is_symmetric_and_bounded(void **state)
{
    const double p[] = { 0.7, 0.2385, 0.0615, 0.0 };
    const double q[] = { 0.0, 0.3, 0.3, 0.4 };
    singdiv_report pq;
    singdiv_report qp;

    (void)state;
    check_status(singdiv_js(p, q, N_OF(p), NULL, &pq), SINGDIV_OK);
    check_status(singdiv_js(q, p, N_OF(p), NULL, &qp), SINGDIV_OK);
    check_ulp(pq.value, qp.value, 1);
    assert_true(pq.value > 0.0);
    assert_true(pq.value < ln2);
    check_size(pq.violating_count, 1);
    check_size(qp.violating_count, 1);
}

static void
js_two_symbols_closed_form(void **state)
{
    const double p[] = { 1.0, 0.0 };
    const double q[] = { 0.5, 0.5 };
    singdiv_report r;

    (void)state;
    /*
     * m = (3/4, 1/4). KL(p||m) = log(4/3); KL(q||m) = 0.5 log(2/3) + 0.5 log 2.
     * JS = (log 4 - log 3 + log 2 - 0.5 log 3) / 2 = 1.5 log 2 - 0.75 log 3.
     */
    check_status(singdiv_js(p, q, N_OF(p), NULL, &r), SINGDIV_OK);
    check_rel(r.value, 1.5 * ln2 - 0.75 * ln3, 4e-15);
}

static void
js_identical_is_positive_zero(void **state)
{
    const double p[] = { 0.1, 0.2, 0.3, 0.4 };
    singdiv_report r;

    (void)state;
    check_status(singdiv_js(p, p, N_OF(p), NULL, &r), SINGDIV_OK);
    check_identical(r.value, 0.0);
    check_status(singdiv_js_distance(p, p, N_OF(p), NULL, &r), SINGDIV_OK);
    check_identical(r.value, 0.0);
}

static void
js_distance_is_root_of_divergence(void **state)
{
    const double p[] = { 0.2385, 0.7615 };
    const double q[] = { 0.6, 0.4 };
    singdiv_report js;
    singdiv_report distance;

    (void)state;
    check_status(singdiv_js(p, q, N_OF(p), NULL, &js), SINGDIV_OK);
    check_status(singdiv_js_distance(p, q, N_OF(p), NULL, &distance), SINGDIV_OK);
    check_identical(distance.value, sqrt(js.value));
    check_identical(distance.finite_part, distance.value);
}

static void
normalize_counts_matches_probabilities(void **state)
{
    const double counts_p[] = { 1.0, 1.0, 2.0 };
    const double counts_q[] = { 3.0, 0.0, 1.0 };
    const double p[] = { 0.25, 0.25, 0.5 };
    const double q[] = { 0.75, 0.0, 0.25 };
    singdiv_options opt = options_with(1, 0.0);
    singdiv_report from_counts;
    singdiv_report from_probabilities;

    (void)state;
    check_status(singdiv_js(counts_p, counts_q, 3, &opt, &from_counts), SINGDIV_OK);
    check_status(singdiv_js(p, q, 3, NULL, &from_probabilities), SINGDIV_OK);
    check_identical(from_counts.value, from_probabilities.value);
    check_status(singdiv_kl(counts_p, counts_q, 3, &opt, &from_counts), SINGDIV_OK);
    check_ulp(from_counts.violating_mass, 0.25, 0);
}

static void
power_of_two_scaling_changes_nothing(void **state)
{
    double p[5] = { 0.2385, 0.1, 0.0, 0.3615, 0.3 };
    double q[5] = { 0.1, 0.25, 0.05, 0.35, 0.25 };
    double ps[5];
    double qs[5];
    singdiv_options opt = options_with(1, 0.0);
    singdiv_report base;
    singdiv_report scaled;

    (void)state;
    for (int k = 0; k < 5; k++) {
        ps[k] = ldexp(p[k], 700);
        qs[k] = ldexp(q[k], -900);
    }
    check_status(singdiv_kl(p, q, 5, &opt, &base), SINGDIV_OK);
    check_status(singdiv_kl(ps, qs, 5, &opt, &scaled), SINGDIV_OK);
    check_identical(scaled.value, base.value);
    check_status(singdiv_js(p, q, 5, &opt, &base), SINGDIV_OK);
    check_status(singdiv_js(ps, qs, 5, &opt, &scaled), SINGDIV_OK);
    check_identical(scaled.value, base.value);
}

static void
sum_within_tolerance_is_divided_exactly(void **state)
{
    /* Sums to 1 + 2^-25 (about 3e-8): accepted, and divided by that sum. */
    const double p[] = { 0.5 + 0x1p-25, 0.5 };
    const double q[] = { 0.5, 0.5 };
    singdiv_report r;
    double x = (0.5 + 0x1p-25) / (1.0 + 0x1p-25);
    double y = 0.5 / (1.0 + 0x1p-25);

    (void)state;
    check_status(singdiv_kl(p, q, 2, NULL, &r), SINGDIV_OK);
    /* KL(x||u) = x log(2x) + y log(2y), about 2 (x - 1/2)^2. */
    check_rel(r.value, x * log1p(2.0 * x - 1.0) + y * log1p(2.0 * y - 1.0), 1e-8);
    assert_true(r.value > 0.0);
}

static void
sum_tolerance_boundary(void **state)
{
    const double inside[] = { 0.5 + 0.9e-6, 0.5 };
    const double outside[] = { 0.5 + 1.1e-6, 0.5 };
    const double q[] = { 0.5, 0.5 };
    singdiv_options strict = options_with(0, 0.0);
    singdiv_report r;

    (void)state;
    check_status(singdiv_kl(inside, q, 2, NULL, &r), SINGDIV_OK);
    check_status(singdiv_kl(outside, q, 2, NULL, &r), SINGDIV_ERR_NOT_NORMALIZED);
    assert_string_equal(r.error.argument, "p");
    check_size(r.error.index, SINGDIV_NO_INDEX);
    check_rel(r.error.value, 1.0 + 1.1e-6, 1e-15);
    strict.sum_tolerance = 0.0;
    check_status(singdiv_kl(inside, q, 2, &strict, &r), SINGDIV_ERR_NOT_NORMALIZED);
    check_status(singdiv_kl(q, q, 2, &strict, &r), SINGDIV_OK);
}

static void
violating_set_lists_like_snprintf(void **state)
{
    const double p[] = { 0.1, 0.2, 0.0, 0.3, 0.4 };
    const double q[] = { 0.0, 0.5, 0.5, 0.0, 0.0 };
    size_t indices[2] = { 99, 99 };
    size_t all[5];
    size_t count = 99;

    (void)state;
    check_status(singdiv_violating_set(p, q, 5, NULL, NULL, 0, &count), SINGDIV_OK);
    check_size(count, 3);
    check_status(singdiv_violating_set(p, q, 5, NULL, indices, 2, &count), SINGDIV_OK);
    check_size(count, 3);
    check_size(indices[0], 0);
    check_size(indices[1], 3);
    check_status(singdiv_violating_set(p, q, 5, NULL, all, 5, &count), SINGDIV_OK);
    check_size(all[2], 4);
    check_status(singdiv_reverse_set(p, q, 5, NULL, all, 5, &count), SINGDIV_OK);
    check_size(count, 1);
    check_size(all[0], 2);
}

static void
violating_set_rejects_bad_arguments(void **state)
{
    const double p[] = { 0.5, 0.5 };
    const double bad[] = { 0.5, (double)NAN };
    size_t count = 7;

    (void)state;
    check_status(singdiv_violating_set(p, p, 2, NULL, NULL, 0, NULL), SINGDIV_ERR_NULL);
    check_status(singdiv_violating_set(p, p, 2, NULL, NULL, 3, &count), SINGDIV_ERR_NULL);
    check_status(singdiv_violating_set(p, bad, 2, NULL, NULL, 0, &count), SINGDIV_ERR_NAN);
    check_size(count, 0);
}

/* Calls every pair function on (p, q, n) and checks the status and error detail. */
static void
check_all_reject(const double *p, const double *q, size_t n, const singdiv_options *opt,
                 singdiv_status expected, const char *argument, size_t index)
{
    singdiv_status (*const functions[])(const double *, const double *, size_t,
                                        const singdiv_options *, singdiv_report *) = {
        singdiv_cross_entropy, singdiv_kl, singdiv_js, singdiv_js_distance,
    };

    for (size_t f = 0; f < N_OF(functions); f++) {
        singdiv_report r;

        check_status(functions[f](p, q, n, opt, &r), expected);
        check_status(r.error.status, expected);
        assert_string_equal(r.error.argument, argument);
        check_size(r.error.index, index);
        assert_true(isnan(r.value));
        assert_true(isnan(r.violating_mass));
    }
}

static void
errors_name_argument_and_index(void **state)
{
    const double good[] = { 0.25, 0.25, 0.5 };
    const double with_nan[] = { 0.25, (double)NAN, 0.5 };
    const double with_inf[] = { 0.25, 0.25, HUGE_VAL };
    const double with_minus_inf[] = { -HUGE_VAL, 0.25, 0.5 };
    const double with_negative[] = { 0.5, 0.75, -0.25 };
    const double all_zero[] = { 0.0, 0.0, -0.0 };
    const double counts[] = { 1.0, 2.0, 3.0 };

    (void)state;
    check_all_reject(NULL, good, 3, NULL, SINGDIV_ERR_NULL, "p", SINGDIV_NO_INDEX);
    check_all_reject(good, NULL, 3, NULL, SINGDIV_ERR_NULL, "q", SINGDIV_NO_INDEX);
    check_all_reject(good, good, 0, NULL, SINGDIV_ERR_EMPTY, "p", SINGDIV_NO_INDEX);
    check_all_reject(with_nan, good, 3, NULL, SINGDIV_ERR_NAN, "p", 1);
    check_all_reject(good, with_nan, 3, NULL, SINGDIV_ERR_NAN, "q", 1);
    check_all_reject(good, with_inf, 3, NULL, SINGDIV_ERR_INFINITE, "q", 2);
    check_all_reject(with_minus_inf, good, 3, NULL, SINGDIV_ERR_INFINITE, "p", 0);
    check_all_reject(with_negative, good, 3, NULL, SINGDIV_ERR_NEGATIVE, "p", 2);
    check_all_reject(good, all_zero, 3, NULL, SINGDIV_ERR_ZERO_MASS, "q", SINGDIV_NO_INDEX);
    check_all_reject(counts, good, 3, NULL, SINGDIV_ERR_NOT_NORMALIZED, "p", SINGDIV_NO_INDEX);
}

static void
null_out_is_rejected(void **state)
{
    const double p[] = { 1.0 };

    (void)state;
    check_status(singdiv_entropy(p, 1, NULL, NULL), SINGDIV_ERR_NULL);
    check_status(singdiv_cross_entropy(p, p, 1, NULL, NULL), SINGDIV_ERR_NULL);
    check_status(singdiv_kl(p, p, 1, NULL, NULL), SINGDIV_ERR_NULL);
    check_status(singdiv_js(p, p, 1, NULL, NULL), SINGDIV_ERR_NULL);
    check_status(singdiv_js_distance(p, p, 1, NULL, NULL), SINGDIV_ERR_NULL);
}

static void
invalid_base_is_domain_error(void **state)
{
    const double p[] = { 0.5, 0.5 };
    const double bases[] = { 1.0, -2.0, (double)NAN, HUGE_VAL, -0.5, 0.5, 1e-300 };
    singdiv_options opt;
    singdiv_report r;

    (void)state;
    for (size_t k = 0; k < N_OF(bases); k++) {
        opt = options_with(0, bases[k]);
        check_status(singdiv_entropy(p, 2, &opt, &r), SINGDIV_ERR_DOMAIN);
        assert_string_equal(r.error.argument, "opt->base");
    }
}

static void
invalid_tolerance_is_domain_error(void **state)
{
    const double p[] = { 0.5, 0.5 };
    singdiv_options opt = options_with(0, 0.0);
    singdiv_report r;

    (void)state;
    opt.sum_tolerance = -1e-9;
    check_status(singdiv_kl(p, p, 2, &opt, &r), SINGDIV_ERR_DOMAIN);
    assert_string_equal(r.error.argument, "opt->sum_tolerance");
    opt.sum_tolerance = (double)NAN;
    check_status(singdiv_kl(p, p, 2, &opt, &r), SINGDIV_ERR_DOMAIN);
}

static void
oversized_length_is_size_overflow(void **state)
{
    const double p[] = { 1.0 };
    singdiv_report r;

    (void)state;
    /* The length is checked before any entry is read. */
    check_status(singdiv_kl(p, p, SIZE_MAX, NULL, &r), SINGDIV_ERR_SIZE_OVERFLOW);
    assert_string_equal(r.error.argument, "p");
    check_status(singdiv_entropy(p, SIZE_MAX / 4, NULL, &r), SINGDIV_ERR_SIZE_OVERFLOW);
}

static void
overflowing_sum_is_rejected(void **state)
{
    const double p[] = { 1e308, 1e308 };
    const double q[] = { 0.5, 0.5 };
    singdiv_options opt = options_with(1, 0.0);
    singdiv_report r;

    (void)state;
    check_status(singdiv_kl(p, q, 2, &opt, &r), SINGDIV_ERR_INFINITE);
    check_size(r.error.index, SINGDIV_NO_INDEX);
}

static void
check_distribution_reports_detail(void **state)
{
    const double p[] = { 0.5, -0.0, 0.5, -1e-300 };
    singdiv_error err;

    (void)state;
    /* -0.0 is not negative; -1e-300 is. */
    check_status(singdiv_check_distribution(p, 4, NULL, &err), SINGDIV_ERR_NEGATIVE);
    check_size(err.index, 3);
    check_identical(err.value, -1e-300);
    check_status(singdiv_check_distribution(p, 3, NULL, &err), SINGDIV_OK);
    assert_null(err.argument);
    check_status(singdiv_check_distribution(p, 3, NULL, NULL), SINGDIV_OK);
}

static void
compare_orders_by_rate_then_finite_part(void **state)
{
    const double p[] = { 0.5, 0.3, 0.2 };
    const double q_small_gap[] = { 0.5, 0.5, 0.0 };
    const double q_large_gap[] = { 0.0, 1.0, 0.0 };
    const double q_covered[] = { 0.4, 0.4, 0.2 };
    singdiv_report small_gap;
    singdiv_report large_gap;
    singdiv_report covered;
    int order = 5;

    (void)state;
    check_status(singdiv_kl(p, q_small_gap, 3, NULL, &small_gap), SINGDIV_OK);
    check_status(singdiv_kl(p, q_large_gap, 3, NULL, &large_gap), SINGDIV_OK);
    check_status(singdiv_kl(p, q_covered, 3, NULL, &covered), SINGDIV_OK);
    check_status(singdiv_report_compare(&small_gap, &large_gap, &order), SINGDIV_OK);
    assert_int_equal(order, -1);
    check_status(singdiv_report_compare(&large_gap, &covered, &order), SINGDIV_OK);
    assert_int_equal(order, 1);
    check_status(singdiv_report_compare(&covered, &covered, &order), SINGDIV_OK);
    assert_int_equal(order, 0);
    check_status(singdiv_report_compare(&covered, NULL, &order), SINGDIV_ERR_NULL);
    covered.finite_part = (double)NAN;
    check_status(singdiv_report_compare(&covered, &small_gap, &order), SINGDIV_ERR_NAN);
}

/* xorshift64*, for reproducible random inputs. */
static uint64_t
next_random(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

static void
random_pairs_keep_documented_ranges(void **state)
{
    uint64_t seed = 0x5eed2026u;
    double p[64];
    double q[64];
    singdiv_options opt = options_with(1, 0.0);

    (void)state;
    printf("# seed %#llx\n", (unsigned long long)seed);
    for (int trial = 0; trial < 2000; trial++) {
        size_t n = 1 + next_random(&seed) % 64;
        singdiv_report kl;
        singdiv_report js;
        singdiv_report ce;
        singdiv_report h;

        for (size_t i = 0; i < n; i++) {
            p[i] = (next_random(&seed) % 4 == 0) ? 0.0 : (double)(next_random(&seed) >> 11);
            q[i] = (next_random(&seed) % 4 == 0) ? 0.0 : (double)(next_random(&seed) >> 11);
        }
        p[0] += 1.0;
        q[n - 1] += 1.0;
        check_status(singdiv_kl(p, q, n, &opt, &kl), SINGDIV_OK);
        check_status(singdiv_js(p, q, n, &opt, &js), SINGDIV_OK);
        check_status(singdiv_cross_entropy(p, q, n, &opt, &ce), SINGDIV_OK);
        check_status(singdiv_entropy(p, n, &opt, &h), SINGDIV_OK);
        assert_true(kl.value >= 0.0);
        assert_true(js.value >= 0.0 && js.value <= ln2);
        assert_true(kl.violating_mass >= 0.0 && kl.violating_mass <= 1.0);
        assert_true(js.reverse_mass >= 0.0 && js.reverse_mass <= 1.0);
        assert_true(ce.violating_mass >= 0.0 && ce.violating_mass <= 1.0);
        assert_true(isinf(kl.value) == (kl.violating_count > 0));
        assert_true(isinf(ce.value) == (kl.violating_count > 0));
        assert_true(h.value >= 0.0 && h.value <= log((double)n) * (1.0 + 1e-15));
        if (isfinite(kl.value)) {
            check_rel(ce.value, h.value + kl.value, 1e-13);
        }
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(options_init_sets_defaults),
        cmocka_unit_test(entropy_uniform_is_log_n),
        cmocka_unit_test(entropy_point_mass_is_positive_zero),
        cmocka_unit_test(entropy_in_bits),
        cmocka_unit_test(cross_entropy_two_symbols),
        cmocka_unit_test(cross_entropy_equals_entropy_plus_kl),
        cmocka_unit_test(kl_two_symbols),
        cmocka_unit_test(kl_identical_is_positive_zero),
        cmocka_unit_test(kl_zero_in_q_is_infinite),
        cmocka_unit_test(cross_entropy_zero_in_q_is_infinite),
        cmocka_unit_test(kl_zero_in_p_costs_nothing),
        cmocka_unit_test(kl_subnormal_q_does_not_overflow),
        cmocka_unit_test(js_disjoint_is_log_2_exactly),
        cmocka_unit_test(js_is_symmetric_and_bounded),
        cmocka_unit_test(js_two_symbols_closed_form),
        cmocka_unit_test(js_identical_is_positive_zero),
        cmocka_unit_test(js_distance_is_root_of_divergence),
        cmocka_unit_test(normalize_counts_matches_probabilities),
        cmocka_unit_test(power_of_two_scaling_changes_nothing),
        cmocka_unit_test(sum_within_tolerance_is_divided_exactly),
        cmocka_unit_test(sum_tolerance_boundary),
        cmocka_unit_test(violating_set_lists_like_snprintf),
        cmocka_unit_test(violating_set_rejects_bad_arguments),
        cmocka_unit_test(errors_name_argument_and_index),
        cmocka_unit_test(null_out_is_rejected),
        cmocka_unit_test(invalid_base_is_domain_error),
        cmocka_unit_test(invalid_tolerance_is_domain_error),
        cmocka_unit_test(oversized_length_is_size_overflow),
        cmocka_unit_test(overflowing_sum_is_rejected),
        cmocka_unit_test(check_distribution_reports_detail),
        cmocka_unit_test(compare_orders_by_rate_then_finite_part),
        cmocka_unit_test(random_pairs_keep_documented_ranges),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
