/*
 * Edge values of the discrete core: entries whose share of their sum
 * underflows (below 2^-1022) after the power-of-two scaling, and the order
 * in which a NULL p or q is reported against other errors. Expected
 * values come from closed forms or from mpmath at 60 digits, as written
 * beside each case.
 */
#include <float.h>
#include <math.h>

#include "check.h"

/* The bound of singdiv/discrete.h, in ulp. */
#define MAX_ULP 4.0

/*
 * p = q = (DBL_MAX, 2^-1022) as counts: the second share is about 2^-2046
 * and its scaled entry is 0. H = -x1 log x1 - x2 log x2 = 1.755e-613
 * (mpmath), which rounds to +0; KL and JS of identical inputs are +0.
 */
static void
max_beside_min_gives_zero(void **state)
{
    const double p[] = { DBL_MAX, 0x1p-1022 };
    singdiv_options opt = options_with(1, 0.0);
    singdiv_report r;

    (void)state;
    check_status(singdiv_entropy(p, 2, &opt, &r), SINGDIV_OK);
    check_identical(r.value, 0.0);
    check_status(singdiv_cross_entropy(p, p, 2, &opt, &r), SINGDIV_OK);
    check_identical(r.value, 0.0);
    check_status(singdiv_kl(p, p, 2, &opt, &r), SINGDIV_OK);
    check_identical(r.value, 0.0);
    check_status(singdiv_js(p, p, 2, &opt, &r), SINGDIV_OK);
    check_identical(r.value, 0.0);
}

/*
 * p = (1/2, 1/2), q = (DBL_MAX, 2^-1000) as counts: q's second share is
 * y = 2^-1000 / (DBL_MAX + 2^-1000), about 2^-2024, whose scaled entry is
 * 0, yet V is empty. mpmath (60 digits):
 *   CE = -(log(1 - y) + log y) / 2 = 701.46494672666465307...
 *   KL = CE - log 2                = 700.77179954610470776...
 *   JS                             = 0.21576155433883569557...
 */
static void
tiny_q_share_stays_finite(void **state)
{
    const double p[] = { 0.5, 0.5 };
    const double q[] = { DBL_MAX, 0x1p-1000 };
    singdiv_options opt = options_with(1, 0.0);
    singdiv_report r;

    (void)state;
    check_status(singdiv_cross_entropy(p, q, 2, &opt, &r), SINGDIV_OK);
    check_ulp(r.value, 701.46494672666465307, MAX_ULP);
    check_size(r.violating_count, 0);
    check_status(singdiv_kl(p, q, 2, &opt, &r), SINGDIV_OK);
    check_ulp(r.value, 700.77179954610470777, MAX_ULP);
    check_ulp(r.finite_part, 700.77179954610470777, MAX_ULP);
    check_status(singdiv_js(p, q, 2, &opt, &r), SINGDIV_OK);
    check_ulp(r.value, 0.21576155433883569558, MAX_ULP);
}

/*
 * p = (DBL_MAX, 2^-1000) as counts, q = (1/2, 1/2): p's second share x is
 * about 2^-2024 and scales to 0. KL = (1 - x) log(2 (1 - x)) + x log(2 x)
 * = log 2 - 1.4e-606 (mpmath), which rounds to log 2; CE = log 2 exactly.
 */
static void
tiny_p_share_stays_finite(void **state)
{
    const double p[] = { DBL_MAX, 0x1p-1000 };
    const double q[] = { 0.5, 0.5 };
    const double ln2 = 0x1.62e42fefa39efp-1;
    singdiv_options opt = options_with(1, 0.0);
    singdiv_report r;

    (void)state;
    check_status(singdiv_kl(p, q, 2, &opt, &r), SINGDIV_OK);
    check_ulp(r.value, ln2, MAX_ULP);
    check_status(singdiv_cross_entropy(p, q, 2, &opt, &r), SINGDIV_OK);
    check_ulp(r.value, ln2, MAX_ULP);
}

/*
 * p = (1 - 2^-53, 2^-1074), a distribution: the second share is about
 * 2^-1074, subnormal. H = 744.44007192138134... * 2^-1074 (mpmath), whose
 * nearest double is 744 * 2^-1074.
 */
static void
subnormal_share_entropy_is_accurate(void **state)
{
    const double p[] = { 1.0 - 0x1p-53, 0x1p-1074 };
    singdiv_report r;

    (void)state;
    check_status(singdiv_entropy(p, 2, NULL, &r), SINGDIV_OK);
    check_ulp(r.value, ldexp(744.0, -1074), MAX_ULP);
}

/*
 * A finite value with an empty V for every pair whose shares underflow in
 * either vector, over exponents from -1074 to 960 (value is +inf exactly
 * when V is non-empty).
 */
static void
tiny_shares_never_nan_or_inf(void **state)
{
    singdiv_options opt = options_with(1, 0.0);
    singdiv_report r;

    (void)state;
    for (int e = -1074; e <= 960; e += 7) {
        const double p[] = { DBL_MAX, ldexp(1.0, e), 1.0 };
        const double q[] = { ldexp(1.0, e), 3.0, DBL_MAX };

        check_status(singdiv_kl(p, q, 3, &opt, &r), SINGDIV_OK);
        assert_true(isfinite(r.value));
        assert_true(r.value >= 0.0);
        check_status(singdiv_cross_entropy(p, q, 3, &opt, &r), SINGDIV_OK);
        assert_true(isfinite(r.value));
        assert_true(r.value >= 0.0);
        check_status(singdiv_js(p, q, 3, &opt, &r), SINGDIV_OK);
        assert_true(isfinite(r.value));
        assert_true(r.value >= 0.0);
        check_status(singdiv_entropy(q, 3, &opt, &r), SINGDIV_OK);
        assert_true(isfinite(r.value));
        assert_true(r.value >= 0.0);
    }
}

/* A NULL p with n = 0 and a bad base: SINGDIV_ERR_NULL naming p comes first (discrete.h). */
static void
null_p_reported_first(void **state)
{
    const double q[] = { 1.0 };
    singdiv_options bad = options_with(0, -2.0);
    singdiv_report r;
    singdiv_error err;

    (void)state;
    check_status(singdiv_entropy(NULL, 0, &bad, &r), SINGDIV_ERR_NULL);
    assert_string_equal(r.error.argument, "p");
    check_status(singdiv_cross_entropy(NULL, q, 0, &bad, &r), SINGDIV_ERR_NULL);
    assert_string_equal(r.error.argument, "p");
    check_status(singdiv_kl(NULL, q, 0, &bad, &r), SINGDIV_ERR_NULL);
    assert_string_equal(r.error.argument, "p");
    check_status(singdiv_js(NULL, q, 0, &bad, &r), SINGDIV_ERR_NULL);
    assert_string_equal(r.error.argument, "p");
    check_status(singdiv_js_distance(NULL, q, 0, &bad, &r), SINGDIV_ERR_NULL);
    assert_string_equal(r.error.argument, "p");
    check_status(singdiv_check_distribution(NULL, 0, &bad, &err), SINGDIV_ERR_NULL);
    assert_string_equal(err.argument, "p");
}

/* A NULL q after a valid p, with n = 0 or a bad base: SINGDIV_ERR_NULL naming q. */
static void
null_q_reported_before_options(void **state)
{
    const double p[] = { 1.0 };
    singdiv_options bad = options_with(0, -2.0);
    singdiv_report r;

    (void)state;
    check_status(singdiv_cross_entropy(p, NULL, 0, NULL, &r), SINGDIV_ERR_NULL);
    assert_string_equal(r.error.argument, "q");
    check_status(singdiv_kl(p, NULL, 1, &bad, &r), SINGDIV_ERR_NULL);
    assert_string_equal(r.error.argument, "q");
    check_status(singdiv_js(p, NULL, 0, &bad, &r), SINGDIV_ERR_NULL);
    assert_string_equal(r.error.argument, "q");
    check_status(singdiv_js_distance(p, NULL, 0, &bad, &r), SINGDIV_ERR_NULL);
    assert_string_equal(r.error.argument, "q");
}

/* The set listings have no error report; their status follows the same order. */
static void
set_listings_report_null_first(void **state)
{
    const double p[] = { 1.0 };
    singdiv_options bad = options_with(0, -2.0);
    size_t count = 0;

    (void)state;
    check_status(singdiv_violating_set(NULL, p, 0, &bad, NULL, 0, &count), SINGDIV_ERR_NULL);
    check_status(singdiv_reverse_set(p, NULL, 0, &bad, NULL, 0, &count), SINGDIV_ERR_NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(max_beside_min_gives_zero),
        cmocka_unit_test(tiny_q_share_stays_finite),
        cmocka_unit_test(tiny_p_share_stays_finite),
        cmocka_unit_test(subnormal_share_entropy_is_accurate),
        cmocka_unit_test(tiny_shares_never_nan_or_inf),
        cmocka_unit_test(null_p_reported_first),
        cmocka_unit_test(null_q_reported_before_options),
        cmocka_unit_test(set_listings_report_null_first),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
