/*
 * Tests of the contrastive objectives: InfoNCE closed forms on 2 x 2 and
 * 3 x 3 matrices, the symmetric form, temperature limits, masking, the
 * weight and geometry diagnostics, agreement of the matrix and embedding
 * paths, the sigmoid loss and InfoNCE against the 50-digit references of
 * tests/gen_contrastive_reference.py (tests/data/contrastive_reference.txt),
 * the 1/d cosine variance of random unit vectors, and every status.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/*
 * The out-of-memory test requests about 2^62 bytes from malloc, and under
 * AddressSanitizer that must return NULL instead of aborting.
 */
const char *__asan_default_options(void);

const char *
__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

/* Bounds stated in include/singdiv/contrastive.h and measured against the references. */
#define ROW_MAX_ULP 4.0
#define COLUMN_MAX_ULP 8.0
#define SIGMOID_MAX_ULP 4.0

static singdiv_infonce_options
options(double temperature)
{
    singdiv_infonce_options opt;

    opt.temperature = temperature;
    opt.weight_floor = 0.0;
    opt.cosine_band = 0.1;
    opt.normalize = 0;
    return opt;
}

/* softplus(x) = log(1 + exp(x)) for x <= 0, the loss of a row with one negative. */
static double
softplus_nonpositive(double x)
{
    return log1p(exp(x));
}

/* ---- deterministic random numbers (splitmix64, Box-Muller) ---- */

static uint64_t
next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* A uniform double in (0, 1). */
static double
uniform(uint64_t *state)
{
    return ((double)(next_random(state) >> 11) + 0.5) * 0x1p-53;
}

static double
gaussian(uint64_t *state)
{
    double u = uniform(state);
    double v = uniform(state);

    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

static double *
gaussian_array(size_t count, uint64_t *state)
{
    double *x = malloc(count * sizeof *x);

    assert_non_null(x);
    for (size_t k = 0; k < count; k++) {
        x[k] = gaussian(state);
    }
    return x;
}

/* ---- closed forms ---- */

/*
 * S = [[0.75, 0.25], [-0.5, 0.6]], T = 0.5. With one negative per row the
 * loss is log(1 + exp((s_neg - s_pos) / T)) = softplus((s_neg - s_pos) / T):
 *   row 0:    (0.25 - 0.75) / 0.5 = -1
 *   row 1:    (-0.5 - 0.6) / 0.5  = -2.2
 *   column 0: (-0.5 - 0.75) / 0.5 = -2.5
 *   column 1: (0.25 - 0.6) / 0.5  = -0.7
 * p_00 = 1 / (1 + e^-1), the one negative has weight e^-1 / (1 + e^-1), and
 * the effective number of one negative is 1.
 */
static void
infonce_2x2_closed_form(void **state)
{
    static const double s[4] = { 0.75, 0.25, -0.5, 0.6 };
    singdiv_infonce_options opt = options(0.5);
    singdiv_infonce_row rows[2];
    singdiv_infonce_report r;
    double row0 = softplus_nonpositive(-1.0);
    double row1 = softplus_nonpositive((-0.5 - 0.6) / 0.5);
    double col0 = softplus_nonpositive(-2.5);
    double col1 = softplus_nonpositive((0.25 - 0.6) / 0.5);

    (void)state;
    check_status(singdiv_infonce_matrix(s, 2, &opt, rows, &r), SINGDIV_OK);
    check_ulp(rows[0].loss, row0, 2.0);
    check_ulp(rows[1].loss, row1, 4.0);
    check_ulp(rows[0].column_loss, col0, 2.0);
    check_ulp(rows[1].column_loss, col1, 4.0);
    check_ulp(r.row_loss, (row0 + row1) / 2.0, 4.0);
    check_ulp(r.column_loss, (col0 + col1) / 2.0, 4.0);
    check_ulp(rows[0].positive_probability, 1.0 / (1.0 + exp(-1.0)), 4.0);
    check_ulp(rows[0].max_negative_weight, exp(-1.0) / (1.0 + exp(-1.0)), 4.0);
    check_identical(rows[0].effective_negatives, 1.0);
    check_identical(r.min_effective_negatives, 1.0);
    check_size(r.infinite_rows, 0);
}

/*
 * S with s_ii = 0.8 and s_ij = 0.1 for i != j, n = 3, T = 0.25. Every row
 * and column is the same: with g = (0.1 - 0.8) / 0.25 = -2.8,
 *   loss = log(e^0 + 2 e^g) = log1p(2 e^g),
 *   p_ii = 1 / (1 + 2 e^g), each negative p_ij = e^g / (1 + 2 e^g),
 *   the two negatives are equal, so w = (1/2, 1/2) and 1 / sum w^2 = 2.
 */
static void
infonce_3x3_equal_negatives(void **state)
{
    static const double s[9] = { 0.8, 0.1, 0.1, 0.1, 0.8, 0.1, 0.1, 0.1, 0.8 };
    singdiv_infonce_options opt = options(0.25);
    singdiv_infonce_report r;
    double e = exp((0.1 - 0.8) / 0.25);

    (void)state;
    check_status(singdiv_infonce_matrix(s, 3, &opt, NULL, &r), SINGDIV_OK);
    check_ulp(r.row_loss, log1p(2.0 * e), 4.0);
    check_ulp(r.column_loss, log1p(2.0 * e), 4.0);
    check_ulp(r.symmetric_loss, log1p(2.0 * e), 4.0);
    check_ulp(r.mean_positive_probability, 1.0 / (1.0 + 2.0 * e), 4.0);
    check_ulp(r.max_negative_weight, e / (1.0 + 2.0 * e), 4.0);
    check_identical(r.mean_effective_negatives, 2.0);
    check_identical(r.min_effective_negatives, 2.0);
    /* The off-diagonal values are all 0.1: mean 0.1, variance 0. */
    check_size(r.mismatched_pairs, 6);
    check_ulp(r.mismatched_mean, 0.1, 1.0);
    check_identical(r.mismatched_variance, 0.0);
    check_identical(r.band_share, 1.0);
}

/*
 * Row 0 of S = [[0.9, 0.3, -0.2], ...] at T = 1:
 *   loss = log(e^0.9 + e^0.3 + e^-0.2) - 0.9 = log1p(e^-0.6 + e^-1.1),
 *   negative weights p_01 = e^-0.6 / Z, p_02 = e^-1.1 / Z with Z = 1 + e^-0.6 + e^-1.1,
 *   effective number (e^-0.6 + e^-1.1)^2 / (e^-1.2 + e^-2.2).
 * Column 2 (entries -0.2, 0.4, 0.7, positive 0.7):
 *   loss = log1p(e^(-0.2 - 0.7) + e^(0.4 - 0.7)).
 * The differences such as 0.3 - 0.9 are rounded in the expected values
 * and exact in the library, hence a few ulp of tolerance.
 */
static void
infonce_3x3_distinct_entries(void **state)
{
    static const double s[9] = { 0.9, 0.3, -0.2, 0.1, 0.5, 0.4, -0.6, 0.2, 0.7 };
    singdiv_infonce_options opt = options(1.0);
    singdiv_infonce_row rows[3];
    singdiv_infonce_report r;
    double e1 = exp(0.3 - 0.9);
    double e2 = exp(-0.2 - 0.9);

    (void)state;
    check_status(singdiv_infonce_matrix(s, 3, &opt, rows, &r), SINGDIV_OK);
    check_ulp(rows[0].loss, log1p(e1 + e2), 4.0);
    check_ulp(rows[0].max_negative_weight, e1 / (1.0 + e1 + e2), 4.0);
    check_ulp(rows[0].effective_negatives, (e1 + e2) * (e1 + e2) / (e1 * e1 + e2 * e2), 4.0);
    check_ulp(rows[2].column_loss, log1p(exp(-0.2 - 0.7) + exp(0.4 - 0.7)), 4.0);
}

/* symmetric_loss is (row_loss + column_loss) / 2, and each is the mean of the per-row values. */
static void
symmetric_is_mean_of_directions(void **state)
{
    uint64_t seed = 11;
    double *s = gaussian_array(25, &seed);
    singdiv_infonce_options opt = options(0.3);
    singdiv_infonce_row rows[5];
    singdiv_infonce_report r;
    double rows_sum = 0.0;
    double columns_sum = 0.0;

    (void)state;
    check_status(singdiv_infonce_matrix(s, 5, &opt, rows, &r), SINGDIV_OK);
    for (size_t i = 0; i < 5; i++) {
        rows_sum += rows[i].loss;
        columns_sum += rows[i].column_loss;
    }
    check_ulp(r.symmetric_loss, (r.row_loss + r.column_loss) / 2.0, 1.0);
    check_ulp(r.row_loss, rows_sum / 5.0, 4.0);
    check_ulp(r.column_loss, columns_sum / 5.0, 4.0);
    free(s);
}

/*
 * Transposing the matrix swaps the two directions, so the online column
 * reduction must agree with the direct row reduction. n = 257 lets the
 * running maximum grow many times. T = 0.05 makes the rescaling factors
 * span many orders of magnitude, and T = 3 makes the log-sum-exp part
 * dominate the loss.
 */
static void
transpose_swaps_directions(void **state)
{
    static const size_t sizes[3] = { 9, 257, 257 };
    static const double temperatures[3] = { 0.2, 0.05, 3.0 };
    uint64_t seed = 12;

    (void)state;
    for (size_t c = 0; c < 3; c++) {
        size_t n = sizes[c];
        double *s = gaussian_array(n * n, &seed);
        double *st = malloc(n * n * sizeof *st);
        singdiv_infonce_row *rows = malloc(n * sizeof *rows);
        singdiv_infonce_row *rows_t = malloc(n * sizeof *rows_t);
        singdiv_infonce_options opt = options(temperatures[c]);
        singdiv_infonce_report r;
        singdiv_infonce_report rt;
        double worst = 0.0;

        assert_non_null(st);
        assert_non_null(rows);
        assert_non_null(rows_t);
        for (size_t i = 0; i < n; i++) {
            for (size_t j = 0; j < n; j++) {
                st[j * n + i] = s[i * n + j];
            }
        }
        check_status(singdiv_infonce_matrix(s, n, &opt, rows, &r), SINGDIV_OK);
        check_status(singdiv_infonce_matrix(st, n, &opt, rows_t, &rt), SINGDIV_OK);
        for (size_t i = 0; i < n; i++) {
            check_ulp(rows_t[i].loss, rows[i].column_loss, COLUMN_MAX_ULP);
            worst = fmax(worst, (double)check_ulp_distance(rows_t[i].loss, rows[i].column_loss));
        }
        check_ulp(rt.row_loss, r.column_loss, COLUMN_MAX_ULP);
        check_ulp(rt.symmetric_loss, r.symmetric_loss, COLUMN_MAX_ULP);
        printf("n = %zu: column against transposed row, worst %.0f ulp\n", n, worst);
        free(s);
        free(st);
        free(rows);
        free(rows_t);
    }
}

/* Each row loss is the class-index cross-entropy of the row against softmax(row / T). */
static void
rows_match_logits_cross_entropy(void **state)
{
    enum { N = 12 };
    uint64_t seed = 13;
    double *s = gaussian_array(N * N, &seed);
    singdiv_infonce_options opt = options(0.07);
    singdiv_infonce_row rows[N];
    singdiv_infonce_report r;
    singdiv_report ce;

    (void)state;
    check_status(singdiv_infonce_matrix(s, N, &opt, rows, &r), SINGDIV_OK);
    for (size_t i = 0; i < N; i++) {
        check_status(singdiv_logits_cross_entropy_index(i, s + i * N, N, 0.07, NULL, &ce),
                     SINGDIV_OK);
        check_ulp(rows[i].loss, ce.value, 2.0);
    }
    free(s);
}

/* ---- temperature limits ---- */

/*
 * As T -> 0, T * loss_i -> max(0, max_{j != i} s_ij - s_ii), a hinge:
 * loss_i = (m - s_ii) / T + log(sum_j exp((s_ij - m) / T)) with m the row
 * maximum, and the log term lies in [0, log n]. Row 0 has its positive on
 * top (hinge 0), row 1 loses by 0.5 - (-0.25) = 0.75.
 */
static void
small_temperature_gives_hinge(void **state)
{
    static const double s[4] = { 0.5, 0.25, 0.5, -0.25 };
    singdiv_infonce_options opt = options(1e-3);
    singdiv_infonce_row rows[2];
    singdiv_infonce_report r;

    (void)state;
    check_status(singdiv_infonce_matrix(s, 2, &opt, rows, &r), SINGDIV_OK);
    assert_true(1e-3 * rows[0].loss <= 1e-3 * log(2.0));
    assert_true(fabs(1e-3 * rows[1].loss - 0.75) <= 1e-3 * log(2.0));

    opt.temperature = 1e-300;
    check_status(singdiv_infonce_matrix(s, 2, &opt, rows, &r), SINGDIV_OK);
    check_identical(rows[0].loss, 0.0);
    check_rel(1e-300 * rows[1].loss, 0.75, 4.0 * DBL_EPSILON);
    check_identical(rows[1].positive_probability, 0.0);
    check_size(r.infinite_rows, 0);
}

/*
 * As T -> infinity, every s / T -> 0 and each loss -> log n; the error is
 * at most 2 max|s| / T. At T = 1e300 the loss is log n to a few ulp.
 */
static void
large_temperature_gives_log_n(void **state)
{
    enum { N = 6 };
    uint64_t seed = 14;
    double *s = gaussian_array(N * N, &seed);
    singdiv_infonce_options opt = options(1e6);
    singdiv_infonce_report r;

    (void)state;
    check_status(singdiv_infonce_matrix(s, N, &opt, NULL, &r), SINGDIV_OK);
    assert_true(fabs(r.row_loss - log((double)N)) <= 2.0 * 10.0 / 1e6);
    check_rel(r.mean_effective_negatives, (double)(N - 1), 1e-5);

    opt.temperature = 1e300;
    check_status(singdiv_infonce_matrix(s, N, &opt, NULL, &r), SINGDIV_OK);
    check_ulp(r.row_loss, log((double)N), 2.0);
    check_ulp(r.column_loss, log((double)N), 2.0);
    check_ulp(r.mean_positive_probability, 1.0 / N, 4.0);
    free(s);
}

/* ---- masking ---- */

/*
 * A masked negative is removed exactly: in S = [[0.4, 0.1, -inf], ...] row 0
 * is the 2-class row (0.4, 0.1), loss softplus((0.1 - 0.4) / T), with one
 * effective negative; the masked one counts below any positive floor.
 */
static void
masked_negative_removes_pair(void **state)
{
    static const double s[9] = { 0.4, 0.1, -HUGE_VAL, 0.2, 0.3, 0.0, -0.1, 0.6, 0.5 };
    singdiv_infonce_options opt = options(0.5);
    singdiv_infonce_row rows[3];
    singdiv_infonce_report r;

    (void)state;
    opt.weight_floor = 1e-9;
    check_status(singdiv_infonce_matrix(s, 3, &opt, rows, &r), SINGDIV_OK);
    check_ulp(rows[0].loss, softplus_nonpositive((0.1 - 0.4) / 0.5), 4.0);
    check_identical(rows[0].effective_negatives, 1.0);
    check_size(rows[0].below_floor, 1);
    /* Column 2 contains -inf, 0.0, 0.5: its loss ignores the masked entry. */
    check_ulp(rows[2].column_loss, softplus_nonpositive((0.0 - 0.5) / 0.5), 4.0);
    check_size(r.mismatched_pairs, 5);
    check_size(r.masked_positives, 0);
}

/* A masked positive makes its row and column +inf, counted, with no NaN anywhere. */
static void
masked_positive_is_infinite(void **state)
{
    static const double s[9] = { 0.4, 0.1, 0.3, 0.2, -HUGE_VAL, 0.0, -0.1, 0.6, 0.5 };
    singdiv_infonce_options opt = options(0.5);
    singdiv_infonce_row rows[3];
    singdiv_infonce_report r;

    (void)state;
    check_status(singdiv_infonce_matrix(s, 3, &opt, rows, &r), SINGDIV_OK);
    check_identical(rows[1].loss, HUGE_VAL);
    check_identical(rows[1].column_loss, HUGE_VAL);
    check_identical(rows[1].positive_probability, 0.0);
    assert_true(!isnan(rows[1].effective_negatives));
    assert_true(!isnan(rows[1].max_negative_weight));
    assert_true(isfinite(rows[0].loss));
    assert_true(isfinite(rows[2].column_loss));
    check_identical(r.row_loss, HUGE_VAL);
    check_identical(r.column_loss, HUGE_VAL);
    check_identical(r.symmetric_loss, HUGE_VAL);
    check_size(r.masked_positives, 1);
    check_size(r.infinite_rows, 1);
    check_size(r.infinite_columns, 1);
    assert_true(!isnan(r.mean_positive_probability));
}

/* A row that is all -inf: loss +inf, zero weights, every negative below a positive floor. */
static void
fully_masked_row_is_infinite(void **state)
{
    static const double s[9] = { 0.4, 0.1, 0.3, -HUGE_VAL, -HUGE_VAL, -HUGE_VAL, -0.1, 0.6, 0.5 };
    singdiv_infonce_options opt = options(0.5);
    singdiv_infonce_row rows[3];
    singdiv_infonce_report r;

    (void)state;
    opt.weight_floor = 0.01;
    check_status(singdiv_infonce_matrix(s, 3, &opt, rows, &r), SINGDIV_OK);
    check_identical(rows[1].loss, HUGE_VAL);
    check_identical(rows[1].max_negative_weight, 0.0);
    check_identical(rows[1].effective_negatives, 0.0);
    check_size(rows[1].below_floor, 2);
    check_identical(r.min_effective_negatives, 0.0);
    check_size(r.infinite_columns, 1);
}

/*
 * Similarities 1e300 apart at T = 1e-10 give losses beyond DBL_MAX: +inf,
 * counted as infinite rows and columns but not as masked positives.
 */
static void
loss_beyond_dbl_max_is_infinite(void **state)
{
    static const double s[4] = { 0.0, 1e300, 1e300, 0.0 };
    singdiv_infonce_options opt = options(1e-10);
    singdiv_infonce_row rows[2];
    singdiv_infonce_report r;

    (void)state;
    check_status(singdiv_infonce_matrix(s, 2, &opt, rows, &r), SINGDIV_OK);
    check_identical(rows[0].loss, HUGE_VAL);
    check_identical(rows[0].positive_probability, 0.0);
    check_identical(rows[0].max_negative_weight, 1.0);
    check_size(r.infinite_rows, 2);
    check_size(r.infinite_columns, 2);
    check_size(r.masked_positives, 0);
}

/*
 * S = [[0, 3], [3, 0]] at T = DBL_MIN = 2^-1022: every row and column
 * loss is log1p(exp(-3 / T)) + 3 / T, and exp(-3 * 2^1022) is 0 in
 * double, so each loss is 3 * 2^1022 = 0x1.8p1023 exactly and so are
 * the means, although the sum of the two losses (6 * 2^1022) overflows.
 * With S = [[0, 5], [5, 0]] the gap 5 / T = 1.25 * 2^1024 is beyond
 * DBL_MAX, so every loss and mean is +inf.
 */
static void
tiny_temperature_means_are_exact(void **state)
{
    static const double near_limit[4] = { 0.0, 3.0, 3.0, 0.0 };
    static const double beyond_limit[4] = { 0.0, 5.0, 5.0, 0.0 };
    singdiv_infonce_options opt = options(DBL_MIN);
    singdiv_infonce_row rows[2];
    singdiv_infonce_report r;

    (void)state;
    check_status(singdiv_infonce_matrix(near_limit, 2, &opt, rows, &r), SINGDIV_OK);
    check_identical(rows[0].loss, 0x1.8p1023);
    check_identical(rows[1].column_loss, 0x1.8p1023);
    check_identical(r.row_loss, 0x1.8p1023);
    check_identical(r.column_loss, 0x1.8p1023);
    check_identical(r.symmetric_loss, 0x1.8p1023);
    check_size(r.infinite_rows, 0);

    check_status(singdiv_infonce_matrix(beyond_limit, 2, &opt, rows, &r), SINGDIV_OK);
    check_identical(rows[0].loss, HUGE_VAL);
    check_identical(r.row_loss, HUGE_VAL);
    check_identical(r.column_loss, HUGE_VAL);
    check_identical(r.symmetric_loss, HUGE_VAL);
    check_size(r.infinite_rows, 2);
}

/*
 * Row 0 = (a, DBL_MAX) with a = 0x1.0ffffffffffffp1022 at T = 2048: the
 * gap a - DBL_MAX rounds to -0x1.78p1023, and the error term of the
 * two-sum overflowed in between and was NaN. The exact loss is
 * (DBL_MAX - a) / T = 0x1.78p1012 + 2^959 (exp of the gap is 0), a tie
 * that rounds to even: 0x1.78p1012.
 */
static void
gap_near_dbl_max_is_finite(void **state)
{
    static const double s[4] = { 0x1.0ffffffffffffp1022, DBL_MAX, 0.0, 0.0 };
    singdiv_infonce_options opt = options(2048.0);
    singdiv_infonce_row rows[2];
    singdiv_infonce_report r;

    (void)state;
    check_status(singdiv_infonce_matrix(s, 2, &opt, rows, &r), SINGDIV_OK);
    check_ulp(rows[0].loss, 0x1.78p1012, ROW_MAX_ULP);
}

/* ---- diagnostics ---- */

/*
 * Row 0 of S at T = 1 has logits (2, 1, 0, -3): p_0j = e^(s_j - 2) / Z with
 * Z = 1 + e^-1 + e^-2 + e^-5 = 1.5072..., so p_01 = 0.2441, p_02 = 0.0898,
 * p_03 = 0.00447. A floor of 0.05 counts one negative (p_03), a floor of
 * 0.1 counts two.
 */
static void
floor_counts_small_weights(void **state)
{
    static const double s[16] = { 2.0, 1.0, 0.0, -3.0, 0.0, 2.0, 0.0, 0.0,
                                  0.0, 0.0, 2.0, 0.0, 0.0, 0.0, 0.0, 2.0 };
    singdiv_infonce_options opt = options(1.0);
    singdiv_infonce_row rows[4];
    singdiv_infonce_report r;

    (void)state;
    opt.weight_floor = 0.05;
    check_status(singdiv_infonce_matrix(s, 4, &opt, rows, &r), SINGDIV_OK);
    check_size(rows[0].below_floor, 1);
    opt.weight_floor = 0.1;
    check_status(singdiv_infonce_matrix(s, 4, &opt, rows, &r), SINGDIV_OK);
    check_size(rows[0].below_floor, 2);
    /* Rows 1..3 have three negatives of weight 1 / (e^2 + 3) = 0.0963 each. */
    check_size(rows[1].below_floor, 3);
    check_size(r.below_floor, 11);
    check_ulp(r.below_floor_share, 11.0 / 12.0, 1.0);
    opt.weight_floor = 0.0;
    check_status(singdiv_infonce_matrix(s, 4, &opt, rows, &r), SINGDIV_OK);
    check_size(r.below_floor, 0);
}

/*
 * When the positive dominates so much that every exp((s_ij - s_ii) / T)
 * underflows, the negatives are still weighed against each other: two
 * equal negatives give an effective number of exactly 2.
 */
static void
effective_number_survives_underflow(void **state)
{
    static const double s[9] = { 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0 };
    singdiv_infonce_options opt = options(1e-3);
    singdiv_infonce_report r;

    (void)state;
    check_status(singdiv_infonce_matrix(s, 3, &opt, NULL, &r), SINGDIV_OK);
    check_identical(r.row_loss, 0.0);
    check_identical(r.max_negative_weight, 0.0);
    check_identical(r.min_effective_negatives, 2.0);
}

/* Off-diagonal values 0.05, -0.05, 0.1, -0.5, 0.2, 0.0 with a band of 0.1 (inclusive): 4 of 6. */
static void
band_share_counts_inclusive(void **state)
{
    static const double s[9] = { 1.0, 0.05, -0.05, 0.1, 1.0, -0.5, 0.2, 0.0, 1.0 };
    singdiv_infonce_options opt = options(1.0);
    singdiv_infonce_report r;
    /* Mean -0.2 / 6; the variance from the six values by hand. */
    double v[6] = { 0.05, -0.05, 0.1, -0.5, 0.2, 0.0 };
    double mean = (0.05 - 0.05 + 0.1 - 0.5 + 0.2 + 0.0) / 6.0;
    double m2 = 0.0;

    (void)state;
    for (size_t k = 0; k < 6; k++) {
        m2 += (v[k] - mean) * (v[k] - mean);
    }
    check_status(singdiv_infonce_matrix(s, 3, &opt, NULL, &r), SINGDIV_OK);
    check_ulp(r.band_share, 4.0 / 6.0, 1.0);
    check_ulp(r.mismatched_mean, mean, 8.0);
    check_ulp(r.mismatched_variance, m2 / 5.0, 8.0);
    assert_true(isnan(r.modality_gap));
}

/*
 * Rows of a alternate between e1 and e2 and every row of b is e3 (d = 4),
 * so the centroids are (1/2, 1/2, 0, 0) and (0, 0, 1, 0) and the modality
 * gap is sqrt(1/4 + 1/4 + 1) = sqrt(3/2). Scaling a row changes nothing.
 */
static void
modality_gap_of_fixed_sets(void **state)
{
    double a[4 * 4] = { 0 };
    double b[4 * 4] = { 0 };
    singdiv_infonce_options opt = options(1.0);
    singdiv_infonce_report r;

    (void)state;
    for (size_t i = 0; i < 4; i++) {
        a[i * 4 + i % 2] = i == 3 ? 7.5 : 1.0;
        b[i * 4 + 2] = i == 0 ? 1e-200 : 1.0;
    }
    check_status(singdiv_infonce_embeddings(a, b, 4, 4, &opt, NULL, &r), SINGDIV_OK);
    check_ulp(r.modality_gap, sqrt(1.5), 2.0);
    check_identical(r.mismatched_mean, 0.0);
}

/*
 * Random unit vectors in d dimensions: the cosine x of a mismatched pair
 * is distributed like one coordinate of a uniform unit vector, so
 * E x = 0, E x^2 = 1/d and E x^4 = 3 / (d (d + 2)). The N = n (n - 1)
 * pairs are not independent, but any two of them are uncorrelated, and so
 * are their squares: for pairs sharing a_i, conditioning on a_i gives
 * E[(a.b_j)^2 (a.b_k)^2 | a] = 1/d^2. Hence the variance of the mean of the
 * N squares is Var(x^2) / N = (3 / (d (d + 2)) - 1/d^2) / N
 * = 2 (d - 1) / (N d^2 (d + 2)), and subtracting the sample mean changes
 * the estimate by O(1 / (d N)). With n = 256, d = 16 the standard
 * deviation is 0.51% of 1/d; the test allows 5 standard deviations plus
 * the O(1 / (d N)) bias. The mean has standard deviation sqrt(1 / (d N)).
 */
static void
cosine_variance_is_one_over_d(void **state)
{
    enum { N = 256, D = 16 };
    uint64_t seed = 20261204;
    double *a = gaussian_array(N * D, &seed);
    double *b = gaussian_array(N * D, &seed);
    singdiv_infonce_options opt = options(0.07);
    singdiv_infonce_report r;
    double pairs = (double)N * (N - 1);
    double sd = sqrt(2.0 * (D - 1) / (pairs * D * D * (D + 2.0)));

    (void)state;
    opt.normalize = 1;
    check_status(singdiv_infonce_embeddings(a, b, N, D, &opt, NULL, &r), SINGDIV_OK);
    printf("seed 20261204: variance %.6g, 1/d %.6g, sd %.3g, mean %.3g\n",
           r.mismatched_variance, 1.0 / D, sd, r.mismatched_mean);
    check_size(r.mismatched_pairs, (size_t)pairs);
    assert_true(fabs(r.mismatched_variance - 1.0 / D) <= 5.0 * sd + 1.0 / (D * pairs));
    assert_true(fabs(r.mismatched_mean) <= 5.0 * sqrt(1.0 / (D * pairs)));
    /* Two independent sets: |c_a - c_b|^2 has mean 2 / n. */
    assert_true(r.modality_gap > 0.3 * sqrt(2.0 / N));
    assert_true(r.modality_gap < 2.0 * sqrt(2.0 / N));
    free(a);
    free(b);
}

/* ---- matrix and embedding paths ---- */

/* Fills a row of d = 4 with a unit vector whose dot products with the others are exact. */
static void
exact_unit_row(double *row, uint64_t *seed)
{
    uint64_t k = next_random(seed) % 12;

    for (size_t c = 0; c < 4; c++) {
        row[c] = 0.0;
    }
    if (k < 8) {
        row[k % 4] = k < 4 ? 1.0 : -1.0;
        return;
    }
    for (size_t c = 0; c < 4; c++) {
        row[c] = (next_random(seed) & 1) ? 0.5 : -0.5;
    }
}

static double
dot4(const double *x, const double *y)
{
    return x[0] * y[0] + x[1] * y[1] + x[2] * y[2] + x[3] * y[3];
}

/*
 * With similarities that are exact in double (unit rows of +-1 and +-1/2
 * entries), the embedding path reduces the same numbers as the matrix
 * path, so every loss and diagnostic is bitwise identical. n = 37 spans
 * three strips, the last one partial.
 */
static void
matrix_and_embeddings_identical(void **state)
{
    enum { N = 37, D = 4 };
    uint64_t seed = 15;
    double a[N * D];
    double b[N * D];
    double s[N * N];
    singdiv_infonce_options opt = options(0.1);
    singdiv_infonce_row rows_m[N];
    singdiv_infonce_row rows_e[N];
    singdiv_infonce_report m;
    singdiv_infonce_report e;

    (void)state;
    for (size_t i = 0; i < N; i++) {
        exact_unit_row(a + i * D, &seed);
        exact_unit_row(b + i * D, &seed);
    }
    for (size_t i = 0; i < N; i++) {
        for (size_t j = 0; j < N; j++) {
            s[i * N + j] = dot4(a + i * D, b + j * D);
        }
    }
    opt.normalize = 1;
    opt.weight_floor = 0.01;
    check_status(singdiv_infonce_matrix(s, N, &opt, rows_m, &m), SINGDIV_OK);
    check_status(singdiv_infonce_embeddings(a, b, N, D, &opt, rows_e, &e), SINGDIV_OK);
    check_identical(e.row_loss, m.row_loss);
    check_identical(e.column_loss, m.column_loss);
    check_identical(e.symmetric_loss, m.symmetric_loss);
    check_identical(e.mean_positive_probability, m.mean_positive_probability);
    check_identical(e.mean_max_negative_weight, m.mean_max_negative_weight);
    check_identical(e.mean_effective_negatives, m.mean_effective_negatives);
    check_size(e.below_floor, m.below_floor);
    check_identical(e.mismatched_mean, m.mismatched_mean);
    check_identical(e.mismatched_variance, m.mismatched_variance);
    check_identical(e.band_share, m.band_share);
    for (size_t i = 0; i < N; i++) {
        check_identical(rows_e[i].loss, rows_m[i].loss);
        check_identical(rows_e[i].column_loss, rows_m[i].column_loss);
        check_identical(rows_e[i].effective_negatives, rows_m[i].effective_negatives);
    }
}

/*
 * Random Gaussian embeddings without normalisation: the matrix of dot
 * products formed here differs from the library's fma-accumulated ones by
 * rounding only, so the losses agree to about 1e-14 relative.
 */
static void
matrix_and_embeddings_agree(void **state)
{
    enum { N = 50, D = 8 };
    uint64_t seed = 16;
    double *a = gaussian_array(N * D, &seed);
    double *b = gaussian_array(N * D, &seed);
    double *s = malloc(N * N * sizeof *s);
    singdiv_infonce_options opt = options(0.5);
    singdiv_infonce_report m;
    singdiv_infonce_report e;

    (void)state;
    assert_non_null(s);
    for (size_t i = 0; i < N; i++) {
        for (size_t j = 0; j < N; j++) {
            double acc = 0.0;

            for (size_t k = 0; k < D; k++) {
                acc += a[i * D + k] * b[j * D + k];
            }
            s[i * N + j] = acc;
        }
    }
    check_status(singdiv_infonce_matrix(s, N, &opt, NULL, &m), SINGDIV_OK);
    check_status(singdiv_infonce_embeddings(a, b, N, D, &opt, NULL, &e), SINGDIV_OK);
    check_rel(e.row_loss, m.row_loss, 1e-13);
    check_rel(e.column_loss, m.column_loss, 1e-13);
    check_rel(e.mean_effective_negatives, m.mean_effective_negatives, 1e-13);
    free(a);
    free(b);
    free(s);
}

/* Rows with entries near 1e-300 or 1e300 are scaled exactly: the cosines match the unscaled ones. */
static void
extreme_row_scales_are_exact(void **state)
{
    static const double base[3 * 2] = { 0.6, 0.8, -1.0, 0.25, 0.3, -0.7 };
    static const double scale[3] = { 1e-300, 1e300, 1.0 };
    double a[3 * 2];
    singdiv_infonce_options opt = options(0.2);
    singdiv_infonce_report plain;
    singdiv_infonce_report scaled;

    (void)state;
    for (size_t k = 0; k < 6; k++) {
        a[k] = base[k] * scale[k / 2];
    }
    opt.normalize = 1;
    check_status(singdiv_infonce_embeddings(base, base, 3, 2, &opt, NULL, &plain), SINGDIV_OK);
    check_status(singdiv_infonce_embeddings(a, base, 3, 2, &opt, NULL, &scaled), SINGDIV_OK);
    check_rel(scaled.row_loss, plain.row_loss, 64.0 * DBL_EPSILON);
    check_rel(scaled.column_loss, plain.column_loss, 64.0 * DBL_EPSILON);
}

/* ---- references ---- */

typedef struct reference_line {
    char kind[16];
    char name[64];
    size_t n;
    double t;
    double bias;
    double s[64];
    double expected[3];
} reference_line;

/* Parses one data line; returns 0 for a comment. */
static int
parse_line(char *line, reference_line *c)
{
    char *token = strtok(line, " \n");

    if (token == NULL || token[0] == '#') {
        return 0;
    }
    snprintf(c->kind, sizeof c->kind, "%s", token);
    snprintf(c->name, sizeof c->name, "%s", strtok(NULL, " \n"));
    c->n = (size_t)strtoul(strtok(NULL, " \n"), NULL, 10);
    assert_true(c->n * c->n <= 64);
    c->t = strtod(strtok(NULL, " \n"), NULL);
    c->bias = strcmp(c->kind, "sigmoid") == 0 ? strtod(strtok(NULL, " \n"), NULL) : 0.0;
    for (size_t k = 0; k < c->n * c->n; k++) {
        c->s[k] = strtod(strtok(NULL, " \n"), NULL);
    }
    for (size_t k = 0; k < 3; k++) {
        c->expected[k] = strtod(strtok(NULL, " \n"), NULL);
    }
    return 1;
}

/* Returns the ulp distance, 0 when both are equal infinities or NaN, for the summary line. */
static double
ulps(double actual, double expected)
{
    if (actual == expected || (isnan(actual) && isnan(expected))) {
        return 0.0;
    }
    if (!isfinite(actual) || !isfinite(expected)) {
        return HUGE_VAL;
    }
    return (double)check_ulp_distance(actual, expected);
}

static void
check_reference_line(const reference_line *c, double *worst_sigmoid, double *worst_infonce)
{
    if (strcmp(c->kind, "sigmoid") == 0) {
        singdiv_sigmoid_report r;

        check_status(singdiv_sigmoid_loss_matrix(c->s, c->n, c->t, c->bias, &r), SINGDIV_OK);
        check_ulp(r.loss, c->expected[0], SIGMOID_MAX_ULP);
        check_ulp(r.positive_loss, c->expected[1], SIGMOID_MAX_ULP);
        if (c->n > 1) {
            check_ulp(r.negative_loss, c->expected[2], SIGMOID_MAX_ULP);
            *worst_sigmoid = fmax(*worst_sigmoid, ulps(r.negative_loss, c->expected[2]));
        } else {
            assert_true(isnan(r.negative_loss));
        }
        *worst_sigmoid = fmax(*worst_sigmoid, ulps(r.loss, c->expected[0]));
        *worst_sigmoid = fmax(*worst_sigmoid, ulps(r.positive_loss, c->expected[1]));
    } else {
        singdiv_infonce_options opt = options(c->t);
        singdiv_infonce_report r;

        check_status(singdiv_infonce_matrix(c->s, c->n, &opt, NULL, &r), SINGDIV_OK);
        check_ulp(r.row_loss, c->expected[0], ROW_MAX_ULP);
        check_ulp(r.column_loss, c->expected[1], COLUMN_MAX_ULP);
        check_ulp(r.symmetric_loss, c->expected[2], COLUMN_MAX_ULP);
        *worst_infonce = fmax(*worst_infonce, ulps(r.row_loss, c->expected[0]));
        *worst_infonce = fmax(*worst_infonce, ulps(r.column_loss, c->expected[1]));
    }
}

static void
losses_match_references(void **state)
{
    FILE *f = fopen(SINGDIV_TEST_DATA "/contrastive_reference.txt", "r");
    char line[4096];
    size_t cases = 0;
    double worst_sigmoid = 0.0;
    double worst_infonce = 0.0;

    (void)state;
    assert_non_null(f);
    while (fgets(line, sizeof line, f) != NULL) {
        reference_line c;

        if (!parse_line(line, &c)) {
            continue;
        }
        check_reference_line(&c, &worst_sigmoid, &worst_infonce);
        cases++;
    }
    fclose(f);
    printf("%zu reference cases; worst sigmoid %.0f ulp, worst InfoNCE %.0f ulp\n", cases,
           worst_sigmoid, worst_infonce);
    assert_true(cases >= 60);
}

/* ---- sigmoid loss ---- */

/*
 * 2 x 2 with t = 2, b = -1: x_ij = 2 s_ij - 1. S = [[0.75, 0.25], [-inf, 0.5]]:
 * positives softplus(-(0.5)) and softplus(-(0)), negatives softplus(-0.5)
 * and the masked pair's exact 0. Mean over 4 pairs.
 */
static void
sigmoid_masked_negative_adds_zero(void **state)
{
    static const double s[4] = { 0.75, 0.25, -HUGE_VAL, 0.5 };
    singdiv_sigmoid_report r;
    double positive = log1p(exp(-0.5)) + log(2.0);
    double negative = log1p(exp(-0.5));

    (void)state;
    check_status(singdiv_sigmoid_loss_matrix(s, 2, 2.0, -1.0, &r), SINGDIV_OK);
    check_ulp(r.loss, (positive + negative) / 4.0, 4.0);
    check_ulp(r.positive_loss, positive / 2.0, 4.0);
    check_ulp(r.negative_loss, negative / 2.0, 4.0);
    check_size(r.masked_positives, 0);
}

/*
 * t = b = DBL_MAX and every s_ij = s in [-1/2, -1/4]: x = (1 + s) DBL_MAX is
 * finite, but the TwoSum of t s and b can overflow inside. Positives give
 * softplus(-x) = 0 and negatives softplus(x) = x, so over the 2 x 2 pairs
 * the loss is x / 2, the positive loss 0 and the negative loss x.
 */
static void
sigmoid_logit_near_dbl_max_is_finite(void **state)
{
    static const double shares[5] = { -0.5, -0.46875, -0.4375, -0.375, -0.3125 };
    singdiv_sigmoid_report r;

    (void)state;
    for (size_t c = 0; c < 5; c++) {
        double s[4] = { shares[c], shares[c], shares[c], shares[c] };
        double x = (1.0 + shares[c]) * DBL_MAX;

        check_status(singdiv_sigmoid_loss_matrix(s, 2, DBL_MAX, DBL_MAX, &r), SINGDIV_OK);
        check_ulp(r.loss, x / 2.0, 4.0);
        check_identical(r.positive_loss, 0.0);
        check_ulp(r.negative_loss, x, 4.0);
    }
}

static void
sigmoid_masked_positive_is_infinite(void **state)
{
    static const double s[4] = { -HUGE_VAL, 0.25, 0.1, 0.5 };
    singdiv_sigmoid_report r;

    (void)state;
    check_status(singdiv_sigmoid_loss_matrix(s, 2, 10.0, -10.0, &r), SINGDIV_OK);
    check_identical(r.loss, HUGE_VAL);
    check_identical(r.positive_loss, HUGE_VAL);
    assert_true(isfinite(r.negative_loss));
    check_size(r.masked_positives, 1);
}

/* The sigmoid loss from exact unit embeddings equals the loss from their cosine matrix bitwise. */
static void
sigmoid_matrix_and_embeddings_identical(void **state)
{
    enum { N = 37, D = 4 };
    uint64_t seed = 17;
    double a[N * D];
    double b[N * D];
    double s[N * N];
    singdiv_sigmoid_report m;
    singdiv_sigmoid_report e;

    (void)state;
    for (size_t i = 0; i < N; i++) {
        exact_unit_row(a + i * D, &seed);
        exact_unit_row(b + i * D, &seed);
    }
    for (size_t i = 0; i < N; i++) {
        for (size_t j = 0; j < N; j++) {
            s[i * N + j] = dot4(a + i * D, b + j * D);
        }
    }
    check_status(singdiv_sigmoid_loss_matrix(s, N, 10.0, -10.0, &m), SINGDIV_OK);
    check_status(singdiv_sigmoid_loss_embeddings(a, b, N, D, 1, 10.0, -10.0, &e), SINGDIV_OK);
    check_identical(e.loss, m.loss);
    check_identical(e.positive_loss, m.positive_loss);
    check_identical(e.negative_loss, m.negative_loss);
    check_status(singdiv_sigmoid_loss_embeddings(a, b, 1, D, 0, 10.0, -10.0, &e), SINGDIV_OK);
    assert_true(isnan(e.negative_loss));
}

static void
sigmoid_embedding_statuses(void **state)
{
    static const double a[4] = { 0.5, 0.1, 0.2, 0.4 };
    static const double huge[4] = { 1e200, 1.0, 1.0, 1.0 };
    double bad[4] = { 0.5, 0.1, 0.2, 0.4 };
    double work[128];
    singdiv_sigmoid_report r;
    size_t needed;

    (void)state;
    check_status(singdiv_sigmoid_loss_embeddings(a, a, 2, 2, 1, 1.0, 0.0, NULL), SINGDIV_ERR_NULL);
    check_status(singdiv_sigmoid_loss_embeddings(NULL, a, 2, 2, 1, 1.0, 0.0, &r),
                 SINGDIV_ERR_NULL);
    check_status(singdiv_sigmoid_loss_embeddings(a, NULL, 2, 2, 1, 1.0, 0.0, &r),
                 SINGDIV_ERR_NULL);
    assert_string_equal(r.error.argument, "b");
    check_status(singdiv_sigmoid_loss_embeddings_workspace(a, a, 2, 2, 1, 1.0, 0.0, NULL, 0, &r),
                 SINGDIV_ERR_NULL);
    check_status(singdiv_sigmoid_loss_embeddings(a, a, 2, 2, 1, -1.0, 0.0, &r),
                 SINGDIV_ERR_DOMAIN);
    assert_string_equal(r.error.argument, "t");
    check_status(singdiv_sigmoid_loss_embeddings(a, a, 0, 2, 1, 1.0, 0.0, &r), SINGDIV_ERR_EMPTY);
    check_status(singdiv_sigmoid_loss_embeddings(a, a, 2, 0, 1, 1.0, 0.0, &r), SINGDIV_ERR_EMPTY);
    assert_string_equal(r.error.argument, "d");
    check_status(singdiv_sigmoid_loss_embeddings(a, a, 2, SIZE_MAX / 2, 1, 1.0, 0.0, &r),
                 SINGDIV_ERR_SIZE_OVERFLOW);
    check_status(singdiv_infonce_workspace_size(2, 2, &needed), SINGDIV_OK);
    check_status(singdiv_sigmoid_loss_embeddings_workspace(a, a, 2, 2, 1, 1.0, 0.0, work,
                                                           needed - 1, &r),
                 SINGDIV_ERR_WORKSPACE);
    check_status(singdiv_sigmoid_loss_embeddings_workspace(a, a, 2, 2, 1, 1.0, 0.0, work, needed,
                                                           &r),
                 SINGDIV_OK);
    bad[3] = (double)NAN;
    check_status(singdiv_sigmoid_loss_embeddings(a, bad, 2, 2, 1, 1.0, 0.0, &r), SINGDIV_ERR_NAN);
    check_size(r.error.index, 3);
    bad[2] = 0.0;
    bad[3] = 0.0;
    check_status(singdiv_sigmoid_loss_embeddings(bad, a, 2, 2, 1, 1.0, 0.0, &r),
                 SINGDIV_ERR_ZERO_MASS);
    check_size(r.error.index, 1);
    check_status(singdiv_sigmoid_loss_embeddings(huge, huge, 2, 2, 0, 1.0, 0.0, &r),
                 SINGDIV_ERR_INFINITE);
    check_size(r.error.index, 0);
    assert_true(isnan(r.loss));
    if (sizeof(size_t) >= 8) {
        check_status(singdiv_sigmoid_loss_embeddings(a, a, 2, (size_t)1 << 57, 1, 1.0, 0.0, &r),
                     SINGDIV_ERR_NO_MEMORY);
    }
}

/* ---- statuses ---- */

static void
matrix_statuses(void **state)
{
    static const double s[4] = { 0.5, 0.1, 0.2, 0.4 };
    double bad[4] = { 0.5, 0.1, 0.2, 0.4 };
    double work[6];
    singdiv_infonce_options opt = options(1.0);
    singdiv_infonce_options wrong = options(1.0);
    singdiv_infonce_report r;

    (void)state;
    check_status(singdiv_infonce_matrix(s, 2, &opt, NULL, NULL), SINGDIV_ERR_NULL);
    check_status(singdiv_infonce_matrix(NULL, 2, &opt, NULL, &r), SINGDIV_ERR_NULL);
    assert_string_equal(r.error.argument, "similarity");
    check_status(singdiv_infonce_matrix(s, 2, NULL, NULL, &r), SINGDIV_ERR_NULL);
    check_status(singdiv_infonce_matrix_workspace(s, 2, &opt, NULL, 6, NULL, &r),
                 SINGDIV_ERR_NULL);
    assert_string_equal(r.error.argument, "work");

    wrong.temperature = 0.0;
    check_status(singdiv_infonce_matrix(s, 2, &wrong, NULL, &r), SINGDIV_ERR_DOMAIN);
    assert_string_equal(r.error.argument, "opt->temperature");
    wrong.temperature = HUGE_VAL;
    check_status(singdiv_infonce_matrix(s, 2, &wrong, NULL, &r), SINGDIV_ERR_DOMAIN);
    wrong.temperature = (double)NAN;
    check_status(singdiv_infonce_matrix(s, 2, &wrong, NULL, &r), SINGDIV_ERR_DOMAIN);
    wrong = opt;
    wrong.weight_floor = 1.5;
    check_status(singdiv_infonce_matrix(s, 2, &wrong, NULL, &r), SINGDIV_ERR_DOMAIN);
    assert_string_equal(r.error.argument, "opt->weight_floor");
    wrong = opt;
    wrong.cosine_band = -0.1;
    check_status(singdiv_infonce_matrix(s, 2, &wrong, NULL, &r), SINGDIV_ERR_DOMAIN);
    assert_string_equal(r.error.argument, "opt->cosine_band");

    check_status(singdiv_infonce_matrix(s, 0, &opt, NULL, &r), SINGDIV_ERR_EMPTY);
    check_status(singdiv_infonce_matrix(s, 1, &opt, NULL, &r), SINGDIV_ERR_TOO_FEW_SAMPLES);
    check_status(singdiv_infonce_matrix(s, SIZE_MAX / 2, &opt, NULL, &r),
                 SINGDIV_ERR_SIZE_OVERFLOW);
    check_status(singdiv_infonce_matrix_workspace(s, 2, &opt, work, 5, NULL, &r),
                 SINGDIV_ERR_WORKSPACE);

    bad[2] = (double)NAN;
    check_status(singdiv_infonce_matrix(bad, 2, &opt, NULL, &r), SINGDIV_ERR_NAN);
    check_size(r.error.index, 2);
    assert_true(isnan(r.row_loss));
    bad[2] = 0.2;
    bad[3] = HUGE_VAL;
    check_status(singdiv_infonce_matrix(bad, 2, &opt, NULL, &r), SINGDIV_ERR_INFINITE);
    check_size(r.error.index, 3);
    check_status(singdiv_infonce_matrix_workspace(s, 2, &opt, work, 6, NULL, &r), SINGDIV_OK);
}

static void
embedding_statuses(void **state)
{
    static const double a[4] = { 0.5, 0.1, 0.2, 0.4 };
    double bad[4] = { 0.5, 0.1, 0.2, 0.4 };
    double work[128];
    singdiv_infonce_options opt = options(1.0);
    singdiv_infonce_report r;
    size_t needed;

    (void)state;
    check_status(singdiv_infonce_embeddings(a, a, 2, 2, &opt, NULL, NULL), SINGDIV_ERR_NULL);
    check_status(singdiv_infonce_embeddings(NULL, a, 2, 2, &opt, NULL, &r), SINGDIV_ERR_NULL);
    assert_string_equal(r.error.argument, "a");
    check_status(singdiv_infonce_embeddings(a, NULL, 2, 2, &opt, NULL, &r), SINGDIV_ERR_NULL);
    assert_string_equal(r.error.argument, "b");
    check_status(singdiv_infonce_embeddings(a, a, 2, 2, NULL, NULL, &r), SINGDIV_ERR_NULL);
    check_status(singdiv_infonce_embeddings_workspace(a, a, 2, 2, &opt, NULL, 0, NULL, &r),
                 SINGDIV_ERR_NULL);
    check_status(singdiv_infonce_embeddings(a, a, 0, 2, &opt, NULL, &r), SINGDIV_ERR_EMPTY);
    assert_string_equal(r.error.argument, "n");
    check_status(singdiv_infonce_embeddings(a, a, 2, 0, &opt, NULL, &r), SINGDIV_ERR_EMPTY);
    assert_string_equal(r.error.argument, "d");
    check_status(singdiv_infonce_embeddings(a, a, 1, 4, &opt, NULL, &r),
                 SINGDIV_ERR_TOO_FEW_SAMPLES);
    check_status(singdiv_infonce_embeddings(a, a, 2, SIZE_MAX / 2, &opt, NULL, &r),
                 SINGDIV_ERR_SIZE_OVERFLOW);

    check_status(singdiv_infonce_workspace_size(2, 2, &needed), SINGDIV_OK);
    check_size(needed, (2 * SINGDIV_CONTRASTIVE_TILE_ROWS + 8) * 2 + 4 * 2);
    check_status(singdiv_infonce_embeddings_workspace(a, a, 2, 2, &opt, work, needed - 1, NULL,
                                                      &r),
                 SINGDIV_ERR_WORKSPACE);
    check_status(singdiv_infonce_embeddings_workspace(a, a, 2, 2, &opt, work, needed, NULL, &r),
                 SINGDIV_OK);

    bad[1] = (double)NAN;
    check_status(singdiv_infonce_embeddings(a, bad, 2, 2, &opt, NULL, &r), SINGDIV_ERR_NAN);
    assert_string_equal(r.error.argument, "b");
    check_size(r.error.index, 1);
    bad[1] = -HUGE_VAL;
    check_status(singdiv_infonce_embeddings(bad, a, 2, 2, &opt, NULL, &r), SINGDIV_ERR_INFINITE);
    assert_string_equal(r.error.argument, "a");
    bad[1] = 0.1;
    bad[2] = 0.0;
    bad[3] = 0.0;
    check_status(singdiv_infonce_embeddings(a, bad, 2, 2, &opt, NULL, &r), SINGDIV_ERR_ZERO_MASS);
    check_size(r.error.index, 1);
}

/* Without normalisation, a dot product beyond DBL_MAX is rejected with its pair's flat index. */
static void
overflowing_dot_product_is_infinite(void **state)
{
    static const double a[4] = { 1e200, 1.0, 1.0, 1.0 };
    static const double b[4] = { 1.0, 1.0, 1e200, 0.0 };
    singdiv_infonce_options opt = options(1.0);
    singdiv_infonce_report r;

    (void)state;
    check_status(singdiv_infonce_embeddings(a, b, 2, 2, &opt, NULL, &r), SINGDIV_ERR_INFINITE);
    check_size(r.error.index, 1);
    assert_true(isnan(r.row_loss));
    opt.normalize = 1;
    check_status(singdiv_infonce_embeddings(a, b, 2, 2, &opt, NULL, &r), SINGDIV_OK);
}

/* A workspace of about 2^62 bytes cannot be allocated; nothing is read before. */
static void
huge_workspace_is_no_memory(void **state)
{
    static const double a[1] = { 1.0 };
    size_t d = (size_t)1 << 57;
    singdiv_infonce_options opt = options(1.0);
    singdiv_infonce_report r;

    (void)state;
    if (sizeof(size_t) < 8) {
        skip();
    }
    check_status(singdiv_infonce_embeddings(a, a, 2, d, &opt, NULL, &r), SINGDIV_ERR_NO_MEMORY);
}

static void
workspace_size_statuses(void **state)
{
    size_t count = 1;

    (void)state;
    check_status(singdiv_infonce_workspace_size(4, 0, NULL), SINGDIV_ERR_NULL);
    check_status(singdiv_infonce_workspace_size(4, 0, &count), SINGDIV_OK);
    check_size(count, 12);
    check_status(singdiv_infonce_workspace_size(SIZE_MAX / 2, 0, &count),
                 SINGDIV_ERR_SIZE_OVERFLOW);
    check_size(count, 0);
    check_status(singdiv_infonce_workspace_size(2, SIZE_MAX / 2, &count),
                 SINGDIV_ERR_SIZE_OVERFLOW);
}

static void
sigmoid_statuses(void **state)
{
    double s[4] = { 0.5, 0.1, 0.2, 0.4 };
    singdiv_sigmoid_report r;

    (void)state;
    check_status(singdiv_sigmoid_loss_matrix(s, 2, 1.0, 0.0, NULL), SINGDIV_ERR_NULL);
    check_status(singdiv_sigmoid_loss_matrix(NULL, 2, 1.0, 0.0, &r), SINGDIV_ERR_NULL);
    check_status(singdiv_sigmoid_loss_matrix(s, 2, 0.0, 0.0, &r), SINGDIV_ERR_DOMAIN);
    assert_string_equal(r.error.argument, "t");
    check_status(singdiv_sigmoid_loss_matrix(s, 2, HUGE_VAL, 0.0, &r), SINGDIV_ERR_DOMAIN);
    check_status(singdiv_sigmoid_loss_matrix(s, 2, 1.0, (double)NAN, &r), SINGDIV_ERR_DOMAIN);
    assert_string_equal(r.error.argument, "bias");
    check_status(singdiv_sigmoid_loss_matrix(s, 2, 1.0, -HUGE_VAL, &r), SINGDIV_ERR_DOMAIN);
    check_status(singdiv_sigmoid_loss_matrix(s, 0, 1.0, 0.0, &r), SINGDIV_ERR_EMPTY);
    check_status(singdiv_sigmoid_loss_matrix(s, SIZE_MAX / 2, 1.0, 0.0, &r),
                 SINGDIV_ERR_SIZE_OVERFLOW);
    s[1] = (double)NAN;
    check_status(singdiv_sigmoid_loss_matrix(s, 2, 1.0, 0.0, &r), SINGDIV_ERR_NAN);
    check_size(r.error.index, 1);
    assert_true(isnan(r.loss));
    s[1] = HUGE_VAL;
    check_status(singdiv_sigmoid_loss_matrix(s, 2, 1.0, 0.0, &r), SINGDIV_ERR_INFINITE);
    check_size(r.error.index, 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(infonce_2x2_closed_form),
        cmocka_unit_test(infonce_3x3_equal_negatives),
        cmocka_unit_test(infonce_3x3_distinct_entries),
        cmocka_unit_test(symmetric_is_mean_of_directions),
        cmocka_unit_test(transpose_swaps_directions),
        cmocka_unit_test(rows_match_logits_cross_entropy),
        cmocka_unit_test(small_temperature_gives_hinge),
        cmocka_unit_test(large_temperature_gives_log_n),
        cmocka_unit_test(masked_negative_removes_pair),
        cmocka_unit_test(masked_positive_is_infinite),
        cmocka_unit_test(fully_masked_row_is_infinite),
        cmocka_unit_test(loss_beyond_dbl_max_is_infinite),
        cmocka_unit_test(tiny_temperature_means_are_exact),
        cmocka_unit_test(gap_near_dbl_max_is_finite),
        cmocka_unit_test(floor_counts_small_weights),
        cmocka_unit_test(effective_number_survives_underflow),
        cmocka_unit_test(band_share_counts_inclusive),
        cmocka_unit_test(modality_gap_of_fixed_sets),
        cmocka_unit_test(cosine_variance_is_one_over_d),
        cmocka_unit_test(matrix_and_embeddings_identical),
        cmocka_unit_test(matrix_and_embeddings_agree),
        cmocka_unit_test(extreme_row_scales_are_exact),
        cmocka_unit_test(losses_match_references),
        cmocka_unit_test(sigmoid_masked_negative_adds_zero),
        cmocka_unit_test(sigmoid_logit_near_dbl_max_is_finite),
        cmocka_unit_test(sigmoid_masked_positive_is_infinite),
        cmocka_unit_test(sigmoid_matrix_and_embeddings_identical),
        cmocka_unit_test(sigmoid_embedding_statuses),
        cmocka_unit_test(matrix_statuses),
        cmocka_unit_test(embedding_statuses),
        cmocka_unit_test(overflowing_dot_product_is_infinite),
        cmocka_unit_test(huge_workspace_is_no_memory),
        cmocka_unit_test(workspace_size_statuses),
        cmocka_unit_test(sigmoid_statuses),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
