/*
 * Tests of the singularity map: its verdict agrees with the values the
 * divergences return, and every rate it reports matches the slope of the
 * smoothed value computed here at small eps:
 * - logarithmic growth: (D(eps2) - D(eps1)) / log(eps1 / eps2) -> rate,
 * - inverse growth: eps D(eps) -> rate,
 * with q_eps = (1 - eps) q + eps / n, and p_eps the same when both sides
 * are smoothed.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_N 16

/* Fixed seed of the randomised agreement test. */
#define SEED 20261206u

static uint64_t rng_state = SEED;

static double
random_uniform(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 0x2545F4914F6CDD1DULL) >> 11) * 0x1p-53;
}

static void
random_distribution(double *x, size_t n, double zeros)
{
    double total = 0.0;

    for (size_t i = 0; i < n; i++) {
        x[i] = random_uniform() < zeros ? 0.0 : -log(1.0 - random_uniform());
        total += x[i];
    }
    if (total == 0.0) {
        x[n - 1] = 1.0;
        total = 1.0;
    }
    for (size_t i = 0; i < n; i++) {
        x[i] /= total;
    }
}

/* Computes divergence `id` of (p, q) with the library function; order as in the map. */
static double
divergence_value(singdiv_divergence id, const double *p, const double *q, size_t n,
                 double order)
{
    singdiv_report r;
    singdiv_status status = SINGDIV_ERR_DOMAIN;

    switch (id) {
    case SINGDIV_DIVERGENCE_CROSS_ENTROPY: status = singdiv_cross_entropy(p, q, n, NULL, &r); break;
    case SINGDIV_DIVERGENCE_KL: status = singdiv_kl(p, q, n, NULL, &r); break;
    case SINGDIV_DIVERGENCE_JS: status = singdiv_js(p, q, n, NULL, &r); break;
    case SINGDIV_DIVERGENCE_JS_DISTANCE: status = singdiv_js_distance(p, q, n, NULL, &r); break;
    case SINGDIV_DIVERGENCE_RENYI: status = singdiv_renyi(p, q, n, order, NULL, &r); break;
    case SINGDIV_DIVERGENCE_RENYI_MAX: status = singdiv_renyi_max(p, q, n, NULL, &r); break;
    case SINGDIV_DIVERGENCE_PEARSON_CHI2: status = singdiv_pearson_chi2(p, q, n, NULL, &r); break;
    case SINGDIV_DIVERGENCE_NEYMAN_CHI2: status = singdiv_neyman_chi2(p, q, n, NULL, &r); break;
    case SINGDIV_DIVERGENCE_JEFFREYS: status = singdiv_jeffreys(p, q, n, NULL, &r); break;
    case SINGDIV_DIVERGENCE_PSI: status = singdiv_psi(p, q, n, NULL, &r); break;
    case SINGDIV_DIVERGENCE_TOTAL_VARIATION:
        status = singdiv_total_variation(p, q, n, NULL, &r);
        break;
    case SINGDIV_DIVERGENCE_HELLINGER: status = singdiv_hellinger(p, q, n, NULL, &r); break;
    case SINGDIV_DIVERGENCE_HELLINGER_SQUARED:
        status = singdiv_hellinger_squared(p, q, n, NULL, &r);
        break;
    case SINGDIV_DIVERGENCE_BHATTACHARYYA_COEFFICIENT:
        status = singdiv_bhattacharyya_coefficient(p, q, n, NULL, &r);
        break;
    case SINGDIV_DIVERGENCE_BHATTACHARYYA_ANGLE:
        status = singdiv_bhattacharyya_angle(p, q, n, NULL, &r);
        break;
    case SINGDIV_DIVERGENCE_SKEW_JS: status = singdiv_skew_js(p, q, n, order, NULL, &r); break;
    case SINGDIV_DIVERGENCE_W1:
    case SINGDIV_DIVERGENCE_MMD:
        break;
    }
    check_status(status, SINGDIV_OK);
    return r.value;
}

/* Returns the divergence of the pair smoothed with weight eps on the uniform distribution. */
static double
smoothed_value(singdiv_divergence id, const double *p, const double *q, size_t n, double order,
               singdiv_smoothing smoothing, double eps)
{
    double p_eps[MAX_N];
    double q_eps[MAX_N];

    assert_true(n <= MAX_N);
    for (size_t i = 0; i < n; i++) {
        q_eps[i] = (1.0 - eps) * q[i] + eps / (double)n;
        p_eps[i] = smoothing == SINGDIV_SMOOTH_BOTH ? (1.0 - eps) * p[i] + eps / (double)n : p[i];
    }
    return divergence_value(id, p_eps, q_eps, n, order);
}

static singdiv_singularity
map_of(singdiv_divergence id, const double *p, const double *q, size_t n, double order,
       singdiv_smoothing smoothing)
{
    singdiv_singularity s;

    check_status(singdiv_singularity_map(id, p, q, n, order, smoothing, NULL, &s), SINGDIV_OK);
    return s;
}

/* Checks the map's logarithmic rate against the slope between eps = 1e-10 and 1e-11. */
static void
check_log_rate(singdiv_divergence id, const double *p, const double *q, size_t n, double order,
               singdiv_smoothing smoothing, double expected_rate, double tolerance)
{
    singdiv_singularity s = map_of(id, p, q, n, order, smoothing);
    double wide = smoothed_value(id, p, q, n, order, smoothing, 1e-10);
    double narrow = smoothed_value(id, p, q, n, order, smoothing, 1e-11);
    double slope = (narrow - wide) / log(10.0);

    assert_int_equal(s.finite, 0);
    assert_int_equal(s.growth, SINGDIV_GROWTH_LOG);
    check_rel(s.rate, expected_rate, 1e-14);
    check_rel(slope, s.rate, tolerance);
}

/* Checks the map's inverse rate against eps D(eps) at eps = 1e-10. */
static void
check_inverse_rate(singdiv_divergence id, const double *p, const double *q, size_t n,
                   singdiv_smoothing smoothing, double expected_rate)
{
    singdiv_singularity s = map_of(id, p, q, n, 0.0, smoothing);
    double eps = 1e-10;

    assert_int_equal(s.finite, 0);
    assert_int_equal(s.growth, SINGDIV_GROWTH_INVERSE);
    check_rel(s.rate, expected_rate, 1e-14);
    check_rel(eps * smoothed_value(id, p, q, n, 0.0, smoothing, eps), s.rate, 1e-6);
}

/* p = (0.5, 0.3, 0.2, 0), q = (0.6, 0, 0.1, 0.3): V = {1} with mass 0.3, F = {3} with mass 0.3. */
static const double two_sided_p[] = { 0.5, 0.3, 0.2, 0.0 };
static const double two_sided_q[] = { 0.6, 0.0, 0.1, 0.3 };
/* p with full support and V = {1} of mass 0.3: F is empty. */
static const double full_p[] = { 0.4, 0.3, 0.2, 0.1 };
static const double full_q[] = { 0.6, 0.0, 0.1, 0.3 };
/* Disjoint supports. */
static const double disjoint_p[] = { 0.25, 0.75, 0.0, 0.0 };
static const double disjoint_q[] = { 0.0, 0.0, 0.5, 0.5 };

static void
kl_rate_is_violating_mass(void **state)
{
    (void)state;
    check_log_rate(SINGDIV_DIVERGENCE_KL, two_sided_p, two_sided_q, 4, 0.0, SINGDIV_SMOOTH_Q,
                   0.3, 1e-6);
    check_log_rate(SINGDIV_DIVERGENCE_KL, two_sided_p, two_sided_q, 4, 0.0,
                   SINGDIV_SMOOTH_BOTH, 0.3, 1e-6);
    check_log_rate(SINGDIV_DIVERGENCE_CROSS_ENTROPY, two_sided_p, two_sided_q, 4, 0.0,
                   SINGDIV_SMOOTH_Q, 0.3, 1e-6);
    check_log_rate(SINGDIV_DIVERGENCE_RENYI, two_sided_p, two_sided_q, 4, 1.0,
                   SINGDIV_SMOOTH_Q, 0.3, 1e-6);
    assert_int_equal(map_of(SINGDIV_DIVERGENCE_KL, two_sided_p, two_sided_q, 4, 0.0,
                            SINGDIV_SMOOTH_Q).cause,
                     SINGDIV_CAUSE_VIOLATING);
}

static void
renyi_above_one_rate_is_one(void **state)
{
    (void)state;
    /* The V terms x^alpha (eps/n)^(1 - alpha) make S grow like eps^-(alpha - 1). */
    check_log_rate(SINGDIV_DIVERGENCE_RENYI, two_sided_p, two_sided_q, 4, 2.0,
                   SINGDIV_SMOOTH_Q, 1.0, 1e-6);
    check_log_rate(SINGDIV_DIVERGENCE_RENYI, two_sided_p, two_sided_q, 4, 1.5,
                   SINGDIV_SMOOTH_BOTH, 1.0, 1e-3);
    check_log_rate(SINGDIV_DIVERGENCE_RENYI, two_sided_p, two_sided_q, 4, HUGE_VAL,
                   SINGDIV_SMOOTH_Q, 1.0, 1e-6);
    check_log_rate(SINGDIV_DIVERGENCE_RENYI_MAX, two_sided_p, two_sided_q, 4, 0.0,
                   SINGDIV_SMOOTH_BOTH, 1.0, 1e-6);
}

static void
renyi_below_one_rate_on_disjoint_supports(void **state)
{
    (void)state;
    check_log_rate(SINGDIV_DIVERGENCE_RENYI, disjoint_p, disjoint_q, 4, 0.5, SINGDIV_SMOOTH_Q,
                   1.0, 1e-6);
    check_log_rate(SINGDIV_DIVERGENCE_RENYI, disjoint_p, disjoint_q, 4, 0.25,
                   SINGDIV_SMOOTH_Q, 1.0, 1e-6);
    /* Smoothing both: eps^alpha from the support of q leads, rate alpha / (1 - alpha). */
    check_log_rate(SINGDIV_DIVERGENCE_RENYI, disjoint_p, disjoint_q, 4, 0.25,
                   SINGDIV_SMOOTH_BOTH, 1.0 / 3.0, 1e-3);
    check_log_rate(SINGDIV_DIVERGENCE_RENYI, disjoint_p, disjoint_q, 4, 0.7,
                   SINGDIV_SMOOTH_BOTH, 1.0, 1e-3);
    assert_int_equal(map_of(SINGDIV_DIVERGENCE_RENYI, disjoint_p, disjoint_q, 4, 0.5,
                            SINGDIV_SMOOTH_Q).cause,
                     SINGDIV_CAUSE_DISJOINT);
    /* V non-empty but the supports meet: finite below order 1. */
    assert_int_equal(map_of(SINGDIV_DIVERGENCE_RENYI, two_sided_p, two_sided_q, 4, 0.5,
                            SINGDIV_SMOOTH_Q).finite,
                     1);
}

static void
pearson_grows_like_inverse_eps(void **state)
{
    (void)state;
    /* (x - eps/n)^2 / (eps/n) on V: n x^2 / eps = 4 * 0.09 / eps. */
    check_inverse_rate(SINGDIV_DIVERGENCE_PEARSON_CHI2, two_sided_p, two_sided_q, 4,
                       SINGDIV_SMOOTH_Q, 0.36);
    check_inverse_rate(SINGDIV_DIVERGENCE_PEARSON_CHI2, two_sided_p, two_sided_q, 4,
                       SINGDIV_SMOOTH_BOTH, 0.36);
}

static void
neyman_unrepaired_by_smoothing_q(void **state)
{
    singdiv_singularity s;

    (void)state;
    s = map_of(SINGDIV_DIVERGENCE_NEYMAN_CHI2, two_sided_p, two_sided_q, 4, 0.0,
               SINGDIV_SMOOTH_Q);
    assert_int_equal(s.finite, 0);
    assert_int_equal(s.cause, SINGDIV_CAUSE_REVERSE);
    assert_int_equal(s.growth, SINGDIV_GROWTH_UNREPAIRED);
    check_identical(s.rate, HUGE_VAL);
    check_identical(smoothed_value(SINGDIV_DIVERGENCE_NEYMAN_CHI2, two_sided_p, two_sided_q, 4,
                                   0.0, SINGDIV_SMOOTH_Q, 0.5),
                    HUGE_VAL);
    /* Smoothing both: n y^2 / eps on F = 4 * 0.09 / eps. */
    check_inverse_rate(SINGDIV_DIVERGENCE_NEYMAN_CHI2, two_sided_p, two_sided_q, 4,
                       SINGDIV_SMOOTH_BOTH, 0.36);
}

static void
jeffreys_rates(void **state)
{
    singdiv_singularity s;

    (void)state;
    /* Smoothing q cannot repair a zero of p: KL(q_eps || p) stays infinite. */
    s = map_of(SINGDIV_DIVERGENCE_JEFFREYS, two_sided_p, two_sided_q, 4, 0.0,
               SINGDIV_SMOOTH_Q);
    assert_int_equal(s.cause, SINGDIV_CAUSE_BOTH);
    assert_int_equal(s.growth, SINGDIV_GROWTH_UNREPAIRED);
    check_identical(smoothed_value(SINGDIV_DIVERGENCE_JEFFREYS, two_sided_p, two_sided_q, 4,
                                   0.0, SINGDIV_SMOOTH_Q, 1e-3),
                    HUGE_VAL);
    /* Smoothing both: V and F each add their mass, 0.3 + 0.3. */
    check_log_rate(SINGDIV_DIVERGENCE_JEFFREYS, two_sided_p, two_sided_q, 4, 0.0,
                   SINGDIV_SMOOTH_BOTH, 0.6, 1e-6);
    check_log_rate(SINGDIV_DIVERGENCE_PSI, two_sided_p, two_sided_q, 4, 0.0,
                   SINGDIV_SMOOTH_BOTH, 0.6, 1e-6);
    /* p with full support: F is empty and smoothing q gives rate m_V. */
    check_log_rate(SINGDIV_DIVERGENCE_JEFFREYS, full_p, full_q, 4, 0.0, SINGDIV_SMOOTH_Q, 0.3,
                   1e-6);
    /* Only F non-empty, seen from the other side. */
    s = map_of(SINGDIV_DIVERGENCE_PSI, full_q, full_p, 4, 0.0, SINGDIV_SMOOTH_BOTH);
    assert_int_equal(s.cause, SINGDIV_CAUSE_REVERSE);
}

static void
smoothing_q_creates_infinity(void **state)
{
    /* p and q share the zero at 2: finite, but q_eps > 0 there while p stays 0. */
    const double p[] = { 0.5, 0.5, 0.0 };
    const double q[] = { 0.25, 0.75, 0.0 };
    static const singdiv_divergence affected[] = {
        SINGDIV_DIVERGENCE_NEYMAN_CHI2, SINGDIV_DIVERGENCE_JEFFREYS, SINGDIV_DIVERGENCE_PSI,
    };

    (void)state;
    for (size_t k = 0; k < N_OF(affected); k++) {
        singdiv_singularity s = map_of(affected[k], p, q, 3, 0.0, SINGDIV_SMOOTH_Q);

        assert_int_equal(s.finite, 1);
        assert_int_equal(s.growth, SINGDIV_GROWTH_NONE);
        assert_true(isfinite(divergence_value(affected[k], p, q, 3, 0.0)));
        check_identical(smoothed_value(affected[k], p, q, 3, 0.0, SINGDIV_SMOOTH_Q, 1e-3),
                        HUGE_VAL);
    }
}

static void
bounded_divergences_always_finite(void **state)
{
    static const singdiv_divergence always_finite[] = {
        SINGDIV_DIVERGENCE_JS, SINGDIV_DIVERGENCE_JS_DISTANCE, SINGDIV_DIVERGENCE_W1,
        SINGDIV_DIVERGENCE_MMD, SINGDIV_DIVERGENCE_TOTAL_VARIATION,
        SINGDIV_DIVERGENCE_HELLINGER, SINGDIV_DIVERGENCE_HELLINGER_SQUARED,
        SINGDIV_DIVERGENCE_BHATTACHARYYA_COEFFICIENT, SINGDIV_DIVERGENCE_BHATTACHARYYA_ANGLE,
        SINGDIV_DIVERGENCE_SKEW_JS,
    };

    (void)state;
    for (size_t k = 0; k < N_OF(always_finite); k++) {
        singdiv_singularity s = map_of(always_finite[k], disjoint_p, disjoint_q, 4, 0.3,
                                       SINGDIV_SMOOTH_Q);

        assert_int_equal(s.finite, 1);
        assert_int_equal(s.cause, SINGDIV_CAUSE_NONE);
        assert_int_equal(s.growth, SINGDIV_GROWTH_NONE);
        check_identical(s.rate, 0.0);
        check_ulp(s.violating_mass, 1.0, 0);
        check_ulp(s.reverse_mass, 1.0, 0);
    }
}

/* Checks that the map of `id` and the value the library computes agree on finiteness. */
static void
check_agreement(singdiv_divergence id, const double *p, const double *q, size_t n, double order)
{
    singdiv_singularity s = map_of(id, p, q, n, order, SINGDIV_SMOOTH_Q);
    double value = divergence_value(id, p, q, n, order);

    if (s.finite != (isfinite(value) ? 1 : 0)) {
        print_error("%s (order %g): map says finite=%d, value %g\n", singdiv_divergence_name(id),
                    order, s.finite, value);
    }
    assert_int_equal(s.finite, isfinite(value) ? 1 : 0);
    assert_int_equal(s.finite, s.cause == SINGDIV_CAUSE_NONE);
}

static void
map_agrees_with_values(void **state)
{
    static const double orders[] = { 0.2, 0.5, 0.9, 1.0, 1.1, 3.0, HUGE_VAL };
    double p[8];
    double q[8];

    (void)state;
    for (int trial = 0; trial < 300; trial++) {
        random_distribution(p, N_OF(p), trial % 4 == 0 ? 0.6 : 0.25);
        random_distribution(q, N_OF(q), trial % 4 == 1 ? 0.6 : 0.25);
        for (int id = 0; id < SINGDIV_DIVERGENCE_COUNT; id++) {
            if (id == SINGDIV_DIVERGENCE_W1 || id == SINGDIV_DIVERGENCE_MMD) {
                continue;
            }
            if (id == SINGDIV_DIVERGENCE_RENYI) {
                for (size_t k = 0; k < N_OF(orders); k++) {
                    check_agreement((singdiv_divergence)id, p, q, N_OF(p), orders[k]);
                }
            } else {
                check_agreement((singdiv_divergence)id, p, q, N_OF(p), 0.3);
            }
        }
    }
}

static void
log_rate_in_bits(void **state)
{
    singdiv_options bits;
    singdiv_singularity s;

    (void)state;
    singdiv_options_init(&bits);
    bits.base = 2.0;
    check_status(singdiv_singularity_map(SINGDIV_DIVERGENCE_KL, two_sided_p, two_sided_q, 4, 0.0,
                                         SINGDIV_SMOOTH_Q, &bits, &s),
                 SINGDIV_OK);
    check_ulp(s.rate, 0.3 / log(2.0), 1);
    /* The inverse rate of chi-square has no logarithm and no base. */
    check_status(singdiv_singularity_map(SINGDIV_DIVERGENCE_PEARSON_CHI2, two_sided_p,
                                         two_sided_q, 4, 0.0, SINGDIV_SMOOTH_Q, &bits, &s),
                 SINGDIV_OK);
    check_rel(s.rate, 0.36, 1e-15);
}

static void
divergence_names_are_distinct(void **state)
{
    (void)state;
    for (int a = 0; a < SINGDIV_DIVERGENCE_COUNT; a++) {
        assert_non_null(singdiv_divergence_name((singdiv_divergence)a));
        for (int b = 0; b < a; b++) {
            assert_string_not_equal(singdiv_divergence_name((singdiv_divergence)a),
                                    singdiv_divergence_name((singdiv_divergence)b));
        }
    }
    assert_string_equal(singdiv_divergence_name(SINGDIV_DIVERGENCE_PEARSON_CHI2), "pearson_chi2");
    assert_null(singdiv_divergence_name((singdiv_divergence)SINGDIV_DIVERGENCE_COUNT));
    assert_null(singdiv_divergence_name((singdiv_divergence)-1));
}

static void
check_map_failure(const singdiv_singularity *s, singdiv_status status, const char *argument)
{
    assert_int_equal(s->finite, 0);
    assert_true(isnan(s->rate));
    assert_true(isnan(s->violating_mass));
    check_status(s->error.status, status);
    assert_string_equal(s->error.argument, argument);
}

static void
map_rejects_invalid_arguments(void **state)
{
    const double halves[] = { 0.5, 0.5 };
    const double with_nan[] = { 0.5, (double)NAN };
    singdiv_singularity s;

    (void)state;
    check_status(singdiv_singularity_map(SINGDIV_DIVERGENCE_KL, full_p, full_q, 4, 0.0,
                                         SINGDIV_SMOOTH_Q, NULL, NULL),
                 SINGDIV_ERR_NULL);
    check_status(singdiv_singularity_map((singdiv_divergence)SINGDIV_DIVERGENCE_COUNT, full_p,
                                         full_q, 4, 0.0, SINGDIV_SMOOTH_Q, NULL, &s),
                 SINGDIV_ERR_DOMAIN);
    check_map_failure(&s, SINGDIV_ERR_DOMAIN, "divergence");
    check_status(singdiv_singularity_map(SINGDIV_DIVERGENCE_KL, full_p, full_q, 4, 0.0,
                                         (singdiv_smoothing)2, NULL, &s),
                 SINGDIV_ERR_DOMAIN);
    check_map_failure(&s, SINGDIV_ERR_DOMAIN, "smoothing");
    check_status(singdiv_singularity_map(SINGDIV_DIVERGENCE_RENYI, full_p, full_q, 4, 0.0,
                                         SINGDIV_SMOOTH_Q, NULL, &s),
                 SINGDIV_ERR_DOMAIN);
    check_map_failure(&s, SINGDIV_ERR_DOMAIN, "order");
    check_status(singdiv_singularity_map(SINGDIV_DIVERGENCE_SKEW_JS, full_p, full_q, 4, 1.0,
                                         SINGDIV_SMOOTH_Q, NULL, &s),
                 SINGDIV_ERR_DOMAIN);
    check_map_failure(&s, SINGDIV_ERR_DOMAIN, "order");
    check_status(singdiv_singularity_map(SINGDIV_DIVERGENCE_KL, NULL, full_q, 4, 0.0,
                                         SINGDIV_SMOOTH_Q, NULL, &s),
                 SINGDIV_ERR_NULL);
    check_map_failure(&s, SINGDIV_ERR_NULL, "p");
    check_status(singdiv_singularity_map(SINGDIV_DIVERGENCE_KL, halves, with_nan, 2, 0.0,
                                         SINGDIV_SMOOTH_Q, NULL, &s),
                 SINGDIV_ERR_NAN);
    check_map_failure(&s, SINGDIV_ERR_NAN, "q");
    check_size(s.error.index, 1);
    /* The order of a divergence without one is ignored. */
    check_status(singdiv_singularity_map(SINGDIV_DIVERGENCE_KL, full_p, full_q, 4, (double)NAN,
                                         SINGDIV_SMOOTH_Q, NULL, &s),
                 SINGDIV_OK);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kl_rate_is_violating_mass),
        cmocka_unit_test(renyi_above_one_rate_is_one),
        cmocka_unit_test(renyi_below_one_rate_on_disjoint_supports),
        cmocka_unit_test(pearson_grows_like_inverse_eps),
        cmocka_unit_test(neyman_unrepaired_by_smoothing_q),
        cmocka_unit_test(jeffreys_rates),
        cmocka_unit_test(smoothing_q_creates_infinity),
        cmocka_unit_test(bounded_divergences_always_finite),
        cmocka_unit_test(map_agrees_with_values),
        cmocka_unit_test(log_rate_in_bits),
        cmocka_unit_test(divergence_names_are_distinct),
        cmocka_unit_test(map_rejects_invalid_arguments),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
