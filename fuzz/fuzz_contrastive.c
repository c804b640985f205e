/*
 * Fuzzes the contrastive objectives (singdiv/contrastive.h): InfoNCE and
 * the sigmoid pairwise loss from a similarity matrix and from embeddings,
 * with -inf masks, any temperature, scale and bias. Losses must be >= 0,
 * probabilities and shares in [0, 1], the symmetric loss the mean of the
 * two directions, and the workspace and allocating variants must agree
 * bit for bit.
 */
#include <stdlib.h>

#include "fuzz_common.h"

#define MAX_N 10
#define MAX_D 4

static int
same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

static int
is_share(double x)
{
    return isnan(x) || (x >= 0.0 && x <= 1.0);
}

/*
 * The largest index an error about a or b may carry: an entry's position
 * (n * d), or for an overflowing dot product the pair's position i * n + j,
 * as singdiv/contrastive.h documents.
 */
static size_t
embedding_index_bound(size_t n, size_t d)
{
    size_t entries = n * (d > 0 ? d : n);

    return entries > n * n ? entries : n * n;
}

static void
check_infonce(const singdiv_infonce_report *r, singdiv_status s, size_t n, size_t d,
              const singdiv_infonce_row *rows)
{
    const fuzz_arg args[] = {
        {"similarity", n * n}, {"a", embedding_index_bound(n, d)},
        {"b", embedding_index_bound(n, d)},
        {"n", 0}, {"d", 0}, {"opt", 0}, {"opt->temperature", 0}, {"opt->weight_floor", 0},
        {"opt->cosine_band", 0}, {"work", 0}, {"work_count", 0}, {"out", 0}};

    FUZZ_CHECK(fuzz_is_status(s));
    fuzz_check_error(&r->error, s, args, sizeof args / sizeof args[0]);
    if (s != SINGDIV_OK) {
        return;
    }
    FUZZ_CHECK(r->row_loss >= 0.0 && r->column_loss >= 0.0);
    FUZZ_CHECK(r->symmetric_loss >= 0.0);
    if (isfinite(r->row_loss) && isfinite(r->column_loss)) {
        double mean = (r->row_loss + r->column_loss) / 2;

        /* Subnormal losses carry an absolute rounding error of a few DBL_TRUE_MIN. */
        FUZZ_CHECK(fabs(r->symmetric_loss - mean) <= 4 * DBL_EPSILON * mean + 4 * DBL_TRUE_MIN);
    } else {
        FUZZ_CHECK(isinf(r->symmetric_loss));
    }
    FUZZ_CHECK(r->masked_positives <= n);
    FUZZ_CHECK(r->infinite_rows >= r->masked_positives && r->infinite_rows <= n);
    FUZZ_CHECK(r->infinite_columns <= n);
    FUZZ_CHECK(isinf(r->row_loss) == (r->infinite_rows != 0));
    FUZZ_CHECK(fuzz_is_mass(r->mean_positive_probability));
    FUZZ_CHECK(fuzz_is_mass(r->max_negative_weight));
    FUZZ_CHECK(is_share(r->below_floor_share));
    FUZZ_CHECK(is_share(r->band_share));
    FUZZ_CHECK(r->mismatched_pairs <= n * (n - 1));
    if (rows != NULL) {
        for (size_t i = 0; i < n; i++) {
            FUZZ_CHECK(rows[i].loss >= 0.0 && rows[i].column_loss >= 0.0);
            FUZZ_CHECK(fuzz_is_mass(rows[i].positive_probability));
            FUZZ_CHECK(fuzz_is_mass(rows[i].max_negative_weight));
            FUZZ_CHECK(rows[i].effective_negatives >= 0.0 &&
                       rows[i].effective_negatives <= (double)(n - 1) * (1 + 1e-12));
            FUZZ_CHECK(rows[i].below_floor <= n - 1);
        }
    }
}

static void
check_sigmoid(const singdiv_sigmoid_report *r, singdiv_status s, size_t n, size_t d)
{
    const fuzz_arg args[] = {
        {"similarity", n * n}, {"a", embedding_index_bound(n, d)},
        {"b", embedding_index_bound(n, d)},
        {"n", 0}, {"d", 0}, {"t", 0}, {"bias", 0}, {"work", 0}, {"work_count", 0}, {"out", 0}};

    FUZZ_CHECK(fuzz_is_status(s));
    fuzz_check_error(&r->error, s, args, sizeof args / sizeof args[0]);
    if (s != SINGDIV_OK) {
        return;
    }
    FUZZ_CHECK(r->loss >= 0.0 && r->positive_loss >= 0.0);
    FUZZ_CHECK(n == 1 ? isnan(r->negative_loss) : r->negative_loss >= 0.0);
    FUZZ_CHECK(r->masked_positives <= n);
    FUZZ_CHECK(isinf(r->positive_loss) || r->masked_positives == 0);
}

static double
fuzz_similarity(fuzz_input *in)
{
    uint8_t b = fuzz_byte(in);

    if (b < 16) {
        return fuzz_double(in);
    }
    if (b < 40) {
        return -HUGE_VAL;
    }
    return ((double)b - 148.0) / 100.0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size, 0};
    double s[MAX_N * MAX_N + 1], a[MAX_N * MAX_D + 1], b[MAX_N * MAX_D + 1];
    singdiv_infonce_row rows[MAX_N + 1], rows_ws[MAX_N + 1];
    singdiv_infonce_report r1, r2;
    singdiv_sigmoid_report g1, g2;
    singdiv_infonce_options opt;
    size_t n = fuzz_length(&in, MAX_N);
    size_t d = fuzz_length(&in, MAX_D);
    size_t count = 0;
    double t, bias;
    double *work;
    singdiv_status s1, s2;

    opt.temperature = fuzz_byte(&in) % 4 == 0 ? fuzz_double(&in)
                                               : ldexp(1.0, (int)(fuzz_byte(&in) % 24) - 12);
    opt.weight_floor = fuzz_byte(&in) % 4 == 0 ? fuzz_double(&in) : 1e-3;
    opt.cosine_band = fuzz_byte(&in) % 4 == 0 ? fuzz_double(&in) : 0.1;
    opt.normalize = fuzz_byte(&in) % 2;
    t = fuzz_byte(&in) % 4 == 0 ? fuzz_double(&in) : 10.0;
    bias = fuzz_byte(&in) % 4 == 0 ? fuzz_double(&in) : -10.0;
    for (size_t i = 0; i < n * n; i++) {
        s[i] = fuzz_similarity(&in);
    }
    for (size_t i = 0; i < n * d; i++) {
        a[i] = fuzz_byte(&in) % 16 == 0 ? fuzz_double(&in) : ((double)fuzz_byte(&in) - 128) / 64;
        b[i] = fuzz_byte(&in) % 16 == 0 ? fuzz_double(&in) : ((double)fuzz_byte(&in) - 128) / 64;
    }

    fuzz_dump("similarity", s, n * n);
    fuzz_dump("temperature, floor, band", (const double[]){opt.temperature, opt.weight_floor,
                                                           opt.cosine_band}, 3);
    fuzz_dump("t, bias", (const double[]){t, bias}, 2);
    if (FUZZ_CALL("singdiv_infonce_workspace_size",
                  singdiv_infonce_workspace_size(n, d, &count)) != SINGDIV_OK) {
        return 0;
    }
    work = malloc((count + 1) * sizeof *work);
    if (work == NULL) {
        return 0;
    }

    s1 = FUZZ_CALL("singdiv_infonce_matrix", singdiv_infonce_matrix(s, n, &opt, rows, &r1));
    check_infonce(&r1, s1, n, 0, rows);
    if (singdiv_infonce_workspace_size(n, 0, &count) == SINGDIV_OK) {
        s2 = FUZZ_CALL("singdiv_infonce_matrix_workspace",
                       singdiv_infonce_matrix_workspace(s, n, &opt, work, count, rows_ws, &r2));
        check_infonce(&r2, s2, n, 0, rows_ws);
        FUZZ_CHECK(s1 == s2);
        if (s1 == SINGDIV_OK) {
            FUZZ_CHECK(same_bits(r1.row_loss, r2.row_loss));
            FUZZ_CHECK(same_bits(r1.column_loss, r2.column_loss));
        }
    }

    (void)singdiv_infonce_workspace_size(n, d, &count);
    s1 = FUZZ_CALL("singdiv_infonce_embeddings",
                   singdiv_infonce_embeddings(a, b, n, d, &opt, rows, &r1));
    check_infonce(&r1, s1, n, d, rows);
    s2 = FUZZ_CALL("singdiv_infonce_embeddings_workspace",
                   singdiv_infonce_embeddings_workspace(a, b, n, d, &opt, work, count, NULL,
                                                        &r2));
    check_infonce(&r2, s2, n, d, NULL);
    FUZZ_CHECK(s1 == s2);
    if (s1 == SINGDIV_OK) {
        FUZZ_CHECK(same_bits(r1.symmetric_loss, r2.symmetric_loss));
    }

    s1 = FUZZ_CALL("singdiv_sigmoid_loss_matrix",
                   singdiv_sigmoid_loss_matrix(s, n, t, bias, &g1));
    check_sigmoid(&g1, s1, n, 0);
    s1 = FUZZ_CALL("singdiv_sigmoid_loss_embeddings",
                   singdiv_sigmoid_loss_embeddings(a, b, n, d, opt.normalize, t, bias, &g1));
    check_sigmoid(&g1, s1, n, d);
    s2 = FUZZ_CALL("singdiv_sigmoid_loss_embeddings_workspace",
                   singdiv_sigmoid_loss_embeddings_workspace(a, b, n, d, opt.normalize, t, bias,
                                                             work, count, &g2));
    check_sigmoid(&g2, s2, n, d);
    FUZZ_CHECK(s1 == s2);
    if (s1 == SINGDIV_OK) {
        FUZZ_CHECK(same_bits(g1.loss, g2.loss));
    }
    free(work);
    return 0;
}
