/*
 * Tests of the comparison helpers themselves, so that a passing suite
 * means the helpers can fail.
 */
#include <math.h>

#include "check.h"

static void
ulp_distance_of_neighbours_is_one(void **state)
{
    (void)state;
    assert_true(check_ulp_distance(1.0, nextafter(1.0, 2.0)) == 1);
    assert_true(check_ulp_distance(-1.0, nextafter(-1.0, -2.0)) == 1);
    assert_true(check_ulp_distance(0x1p-1074, -0x1p-1074) == 2);
}

static void
ulp_distance_ignores_sign_of_zero(void **state)
{
    (void)state;
    assert_true(check_ulp_distance(0.0, -0.0) == 0);
}

static void
ulp_distance_rejects_nan_and_mixed_infinity(void **state)
{
    (void)state;
    assert_true(check_ulp_distance((double)NAN, 1.0) == UINT64_MAX);
    assert_true(check_ulp_distance(HUGE_VAL, -HUGE_VAL) == UINT64_MAX);
    assert_true(check_ulp_distance(HUGE_VAL, 1.0) == UINT64_MAX);
    assert_true(check_ulp_distance(HUGE_VAL, HUGE_VAL) == 0);
}

static void
ulp_distance_counts_far_values(void **state)
{
    (void)state;
    /* 1 and 2 are 2^52 doubles apart. */
    assert_true(check_ulp_distance(1.0, 2.0) == (uint64_t)1 << 52);
}

static void
relative_error_of_known_values(void **state)
{
    (void)state;
    assert_true(check_relative_error(1.1, 1.0) > 0.0999);
    assert_true(check_relative_error(1.1, 1.0) < 0.1001);
    assert_true(check_relative_error(3.0, 0.0) == 3.0);
}

/* A float conversion, as in cmocka's assert_float_equal, would call these equal. */
static void
ulp_distance_sees_below_float_precision(void **state)
{
    (void)state;
    assert_true((float)1.0 == (float)(1.0 + 1e-12));
    assert_true(check_ulp_distance(1.0, 1.0 + 1e-12) > 1000);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ulp_distance_of_neighbours_is_one),
        cmocka_unit_test(ulp_distance_ignores_sign_of_zero),
        cmocka_unit_test(ulp_distance_rejects_nan_and_mixed_infinity),
        cmocka_unit_test(ulp_distance_counts_far_values),
        cmocka_unit_test(relative_error_of_known_values),
        cmocka_unit_test(ulp_distance_sees_below_float_precision),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
