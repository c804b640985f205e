/*
 * Known faults of other libraries, each with the right answer: the cases
 * of the discrete core. Every test name starts with the case id (K01 ...)
 * of the shared fault list; values are copied from it, with the closed
 * form where one exists.
 */
#include <math.h>

#include "check.h"

/* q sums to 0.6: strict mode rejects it; normalising gives KL(u||u) = 0 exactly. */
static void
k01_unnormalised_q_is_rejected(void **state)
{
    const double p[] = { 0.5, 0.5 };
    const double q[] = { 0.3, 0.3 };
    singdiv_options normalize = options_with(1, 0.0);
    singdiv_report r;

    (void)state;
    check_status(singdiv_kl(p, q, 2, NULL, &r), SINGDIV_ERR_NOT_NORMALIZED);
    assert_string_equal(r.error.argument, "q");
    check_status(singdiv_kl(p, q, 2, &normalize, &r), SINGDIV_OK);
    check_identical(r.value, 0.0);
}

/* p sums to 0.25: rejected; normalised it is uniform on 2, 1 bit. Counts [1,1,1,1] give log 4. */
static void
k02_unnormalised_entropy_is_rejected(void **state)
{
    const double p[] = { 0.125, 0.125 };
    const double counts[] = { 1, 1, 1, 1 };
    singdiv_options bits = options_with(0, 2.0);
    singdiv_options normalize_bits = options_with(1, 2.0);
    singdiv_options normalize = options_with(1, 0.0);
    singdiv_report r;

    (void)state;
    check_status(singdiv_entropy(p, 2, &bits, &r), SINGDIV_ERR_NOT_NORMALIZED);
    check_status(singdiv_entropy(p, 2, &normalize_bits, &r), SINGDIV_OK);
    check_rel(r.value, 1.0, 1e-15);
    check_status(singdiv_entropy(counts, 4, &normalize, &r), SINGDIV_OK);
    check_rel(r.value, 1.3862943611198906, 1e-15);
}

/* q sums to 0.5: rejected; normalised q = (0.4, 0.6) gives -log 0.6. */
static void
k03_unnormalised_prediction_is_rejected(void **state)
{
    const double p[] = { 0.0, 1.0 };
    const double q[] = { 0.2, 0.3 };
    singdiv_options normalize = options_with(1, 0.0);
    singdiv_report r;

    (void)state;
    check_status(singdiv_cross_entropy(p, q, 2, NULL, &r), SINGDIV_ERR_NOT_NORMALIZED);
    check_status(singdiv_cross_entropy(p, q, 2, &normalize, &r), SINGDIV_OK);
    check_rel(r.value, 0.5108256237659907, 1e-15);
}

/* p sums to 0.2999: rejected, never the negative unnormalised sum. */
static void
k04_unnormalised_target_is_rejected(void **state)
{
    const double p[] = { 0.1541, 0.0511, 0.0947 };
    const double q[] = { 0.1132, 0.5477, 0.339 };
    singdiv_options normalize = options_with(1, 0.0);
    singdiv_report r;

    (void)state;
    check_status(singdiv_kl(p, q, 3, NULL, &r), SINGDIV_ERR_NOT_NORMALIZED);
    assert_string_equal(r.error.argument, "p");
    check_rel(r.error.value, 0.2999, 1e-15);
    check_status(singdiv_kl(p, q, 3, &normalize, &r), SINGDIV_OK);
    check_rel(r.value, 0.555841972667153, 1e-13);
}

/* Probabilities, not log-probabilities: KL(p||p) is exactly +0. */
static void
k05_kl_of_identical_is_zero(void **state)
{
    const double p[] = { 0.1, 0.2, 0.3, 0.4 };
    singdiv_report r;

    (void)state;
    check_status(singdiv_kl(p, p, 4, NULL, &r), SINGDIV_OK);
    check_identical(r.value, 0.0);
    check_size(r.violating_count, 0);
    check_identical(r.violating_mass, 0.0);
}

/* Term-wise values may be negative; the sum is 1.06798...; KL(q||q) = 0 exactly. */
static void
k06_kl_of_softmax_outputs(void **state)
{
    const double p[] = { 0.11731042782619835, 0.8668133321973349, 0.015876239976466765 };
    const double q[] = { 0.09003057317038046, 0.24472847105479767, 0.6652409557748219 };
    singdiv_report r;

    (void)state;
    check_status(singdiv_kl(p, q, 3, NULL, &r), SINGDIV_OK);
    check_rel(r.value, 1.0679827082359485, 1e-13);
    check_status(singdiv_kl(q, q, 3, NULL, &r), SINGDIV_OK);
    check_identical(r.value, 0.0);
}

/* p_0 = 0 contributes 0, never NaN: KL = 0.9 log(9/8). */
static void
k07_zero_in_p_contributes_nothing(void **state)
{
    const double p[] = { 0.0, 0.1, 0.9 };
    const double q[] = { 0.1, 0.1, 0.8 };
    singdiv_report r;

    (void)state;
    check_status(singdiv_kl(p, q, 3, NULL, &r), SINGDIV_OK);
    check_rel(r.value, 0.10600473209074511, 1e-14);
    check_rel(r.value, 0.9 * log(9.0 / 8.0), 1e-14);
    check_size(r.violating_count, 0);
}

/* q_2 = 0 where p_2 = 0.4: +inf with V = {2}; the reverse direction is log(5/3). */
static void
k08_zero_in_q_is_infinite(void **state)
{
    const double p[] = { 0.3, 0.3, 0.4 };
    const double q[] = { 0.5, 0.5, 0.0 };
    size_t index = 99;
    size_t count = 0;
    singdiv_report r;

    (void)state;
    check_status(singdiv_kl(p, q, 3, NULL, &r), SINGDIV_OK);
    check_identical(r.value, HUGE_VAL);
    check_rel(r.violating_mass, 0.4, 1e-15);
    check_status(singdiv_violating_set(p, q, 3, NULL, &index, 1, &count), SINGDIV_OK);
    check_size(count, 1);
    check_size(index, 2);
    check_status(singdiv_kl(q, p, 3, NULL, &r), SINGDIV_OK);
    check_rel(r.value, 0.5108256237659907, 1e-15);
}

/* JS is finite where one side is zero; V = {2} is reported as information. */
static void
k09_js_finite_with_zero(void **state)
{
    const double p[] = { 0.3, 0.3, 0.4 };
    const double q[] = { 0.5, 0.5, 0.0 };
    singdiv_options bits = options_with(0, 2.0);
    singdiv_report r;

    (void)state;
    check_status(singdiv_js(p, q, 3, NULL, &r), SINGDIV_OK);
    check_rel(r.value, 0.16389659003355966, 1e-13);
    check_size(r.violating_count, 1);
    check_rel(r.violating_mass, 0.4, 1e-15);
    check_status(singdiv_js(p, q, 3, &bits, &r), SINGDIV_OK);
    check_rel(r.value, 0.23645279766002802, 1e-13);
    check_status(singdiv_js_distance(p, q, 3, NULL, &r), SINGDIV_OK);
    check_rel(r.value, 0.40484143813789575, 1e-13);
}

/* Nearly equal float32 values: the distance must not be NaN from a negative sum. */
static void
k10_js_distance_near_identical(void **state)
{
    const double p[] = { 0.02750147506594658, 0.05520229786634445 };
    const double q[] = { 0.027537677437067032, 0.05533434823155403 };
    singdiv_options normalize = options_with(1, 0.0);
    singdiv_report r;

    (void)state;
    check_status(singdiv_js_distance(p, q, 2, &normalize, &r), SINGDIV_OK);
    check_rel(r.value, 0.00017883362019890852, 1e-11);
    check_status(singdiv_js(p, q, 2, &normalize, &r), SINGDIV_OK);
    check_rel(r.value, 3.198146371344746e-08, 1e-11);
}

/* Disjoint supports: JS distance 1 in base 2, sqrt(log 2) in nats. */
static void
k11_js_distance_disjoint_in_bits(void **state)
{
    const double p[] = { 1.0, 0.0 };
    const double q[] = { 0.0, 1.0 };
    singdiv_options bits = options_with(0, 2.0);
    singdiv_report r;

    (void)state;
    check_status(singdiv_js_distance(p, q, 2, &bits, &r), SINGDIV_OK);
    check_identical(r.value, 1.0);
    check_status(singdiv_js_distance(p, q, 2, NULL, &r), SINGDIV_OK);
    check_rel(r.value, 0.8325546111576978, 1e-15);
    check_status(singdiv_js(p, q, 2, NULL, &r), SINGDIV_OK);
    check_rel(r.value, 0.6931471805599453, 1e-15);
}

/* NaN is an error with its index, never a skipped term; so is +inf. */
static void
k12_nan_and_infinity_are_errors(void **state)
{
    const double p_nan[] = { (double)NAN, 0.1 };
    const double p_inf[] = { HUGE_VAL, 0.0 };
    const double q[] = { 0.5, 0.5 };
    singdiv_report r;

    (void)state;
    check_status(singdiv_kl(p_nan, q, 2, NULL, &r), SINGDIV_ERR_NAN);
    check_size(r.error.index, 0);
    check_status(singdiv_kl(p_inf, q, 2, NULL, &r), SINGDIV_ERR_INFINITE);
    check_size(r.error.index, 0);
}

/* Negative entries are errors, never dropped. */
static void
k13_negative_entries_are_errors(void **state)
{
    const double p[] = { 0.5, 0.5, -0.6 };
    const double target[] = { -1.0, 2.0 };
    const double q[] = { 0.5, 0.5 };
    singdiv_options bits = options_with(0, 2.0);
    singdiv_report r;

    (void)state;
    check_status(singdiv_entropy(p, 3, &bits, &r), SINGDIV_ERR_NEGATIVE);
    check_size(r.error.index, 2);
    check_status(singdiv_kl(target, q, 2, NULL, &r), SINGDIV_ERR_NEGATIVE);
    check_size(r.error.index, 0);
}

/* Empty input is an error, never NaN or 0. */
static void
k14_empty_input_is_error(void **state)
{
    const double p[] = { 1.0 };
    singdiv_report r;

    (void)state;
    check_status(singdiv_kl(p, p, 0, NULL, &r), SINGDIV_ERR_EMPTY);
    check_status(singdiv_entropy(p, 0, NULL, &r), SINGDIV_ERR_EMPTY);
    check_status(singdiv_js(p, p, 0, NULL, &r), SINGDIV_ERR_EMPTY);
}

/*
 * Mean cross-entropy of labels (1, 0, 0, 0) against rows (0,1), (0,1),
 * (1,0), (1,0). Flattened, p puts 1/4 on each (row, label) and q = row / 4;
 * since p is one-hot per row, KL(p||q) is the mean cross-entropy: +inf,
 * with the pair (1, 0) (flat index 2) violating with mass 1/4.
 */
static void
k15_clipped_log_loss_is_infinite(void **state)
{
    const double p[] = { 0.0, 0.25, 0.25, 0.0, 0.25, 0.0, 0.25, 0.0 };
    const double q[] = { 0.0, 0.25, 0.0, 0.25, 0.25, 0.0, 0.25, 0.0 };
    size_t index = 99;
    size_t count = 0;
    singdiv_report r;

    (void)state;
    check_status(singdiv_kl(p, q, 8, NULL, &r), SINGDIV_OK);
    check_identical(r.value, HUGE_VAL);
    check_identical(r.violating_mass, 0.25);
    check_status(singdiv_violating_set(p, q, 8, NULL, &index, 1, &count), SINGDIV_OK);
    check_size(count, 1);
    check_size(index, 2);
}

/* q = softmax(-inf, 0) = (0, 1) and a label on class 1: CE is +0, not NaN. */
static void
k16_zero_label_on_zero_probability(void **state)
{
    const double p[] = { 0.0, 1.0 };
    const double uniform_with_gap[] = { 0.5, 0.5, 0.0 };
    singdiv_report r;

    (void)state;
    check_status(singdiv_cross_entropy(p, p, 2, NULL, &r), SINGDIV_OK);
    check_identical(r.value, 0.0);
    check_size(r.violating_count, 0);
    check_status(singdiv_entropy(uniform_with_gap, 3, NULL, &r), SINGDIV_OK);
    check_rel(r.value, 0.6931471805599453, 1e-15);
}

/* Label smoothing puts 1/15 on the class with q = 0: CE is +inf with m_V = 1/15. */
static void
k17_label_smoothing_creates_infinity(void **state)
{
    const double p[] = { 0.06666666666666667, 0.8666666666666667, 0.06666666666666667 };
    const double q[] = { 0.0, 0.8807970779778824, 0.11920292202211756 };
    singdiv_report r;

    (void)state;
    check_status(singdiv_cross_entropy(p, q, 3, NULL, &r), SINGDIV_OK);
    check_identical(r.value, HUGE_VAL);
    check_size(r.violating_count, 1);
    check_rel(r.violating_mass, 1.0 / 15.0, 1e-15);
}

/* Drift counts with one empty category on each side: infinite both ways, m_V = 1e-5. */
static void
k18_drift_counts_infinite_both_ways(void **state)
{
    const double current[] = { 99999, 0, 1 };
    const double reference[] = { 99999, 1, 0 };
    singdiv_options normalize = options_with(1, 0.0);
    singdiv_report r;

    (void)state;
    check_status(singdiv_kl(current, reference, 3, &normalize, &r), SINGDIV_OK);
    check_identical(r.value, HUGE_VAL);
    check_rel(r.violating_mass, 1e-5, 1e-15);
    check_size(r.violating_count, 1);
    check_status(singdiv_kl(reference, current, 3, &normalize, &r), SINGDIV_OK);
    check_identical(r.value, HUGE_VAL);
    check_rel(r.violating_mass, 1e-5, 1e-15);
}

/* Terms of 1e-10 cancel to a KL of 2.0000003309614977e-20; all digits must survive. */
static void
k25_near_identical_keeps_digits(void **state)
{
    const double p[] = { 0x1.00000000dbe70p-1, 0x1.fffffffe48320p-2 };
    const double q[] = { 0.5, 0.5 };
    singdiv_report r;

    (void)state;
    assert_true(p[0] + p[1] == 1.0);
    check_status(singdiv_kl(p, q, 2, NULL, &r), SINGDIV_OK);
    check_rel(r.value, 2.0000003309614977e-20, 1e-15);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(k01_unnormalised_q_is_rejected),
        cmocka_unit_test(k02_unnormalised_entropy_is_rejected),
        cmocka_unit_test(k03_unnormalised_prediction_is_rejected),
        cmocka_unit_test(k04_unnormalised_target_is_rejected),
        cmocka_unit_test(k05_kl_of_identical_is_zero),
        cmocka_unit_test(k06_kl_of_softmax_outputs),
        cmocka_unit_test(k07_zero_in_p_contributes_nothing),
        cmocka_unit_test(k08_zero_in_q_is_infinite),
        cmocka_unit_test(k09_js_finite_with_zero),
        cmocka_unit_test(k10_js_distance_near_identical),
        cmocka_unit_test(k11_js_distance_disjoint_in_bits),
        cmocka_unit_test(k12_nan_and_infinity_are_errors),
        cmocka_unit_test(k13_negative_entries_are_errors),
        cmocka_unit_test(k14_empty_input_is_error),
        cmocka_unit_test(k15_clipped_log_loss_is_infinite),
        cmocka_unit_test(k16_zero_label_on_zero_probability),
        cmocka_unit_test(k17_label_smoothing_creates_infinity),
        cmocka_unit_test(k18_drift_counts_infinite_both_ways),
        cmocka_unit_test(k25_near_identical_keeps_digits),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
