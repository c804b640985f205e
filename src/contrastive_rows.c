/*
 * The row and column reductions of InfoNCE, shared by the matrix and the
 * embedding paths.
 *
 * A row is reduced like the cross-entropy of a class index against
 * softmax(logits / T) (see logits.c): with m the row maximum and
 * g_j = (s_j - m) / T <= 0 formed as a double-double,
 * -log p_ii = log1p(sum over j != argmax of exp(g_j)) - g_i, two
 * non-negative parts. The negatives are also summed against their own
 * maximum m', so that the effective number (sum e)^2 / sum e^2 keeps its
 * digits when the positive dominates and every exp(g_j) underflows.
 */
#include "contrastive_internal.h"

singdiv_status
singdiv__infonce_check_options(const singdiv_infonce_options *opt, singdiv_error *err)
{
    if (opt == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, "opt", SINGDIV_NO_INDEX, (double)NAN);
    }
    if (!(isfinite(opt->temperature) && opt->temperature > 0.0)) {
        return singdiv__fail(err, SINGDIV_ERR_DOMAIN, "opt->temperature", SINGDIV_NO_INDEX,
                             opt->temperature);
    }
    if (!(opt->weight_floor >= 0.0 && opt->weight_floor <= 1.0)) {
        return singdiv__fail(err, SINGDIV_ERR_DOMAIN, "opt->weight_floor", SINGDIV_NO_INDEX,
                             opt->weight_floor);
    }
    if (!(isfinite(opt->cosine_band) && opt->cosine_band >= 0.0)) {
        return singdiv__fail(err, SINGDIV_ERR_DOMAIN, "opt->cosine_band", SINGDIV_NO_INDEX,
                             opt->cosine_band);
    }
    return SINGDIV_OK;
}

void
singdiv__infonce_report_reset(singdiv_infonce_report *out)
{
    out->row_loss = (double)NAN;
    out->column_loss = (double)NAN;
    out->symmetric_loss = (double)NAN;
    out->masked_positives = 0;
    out->infinite_rows = 0;
    out->infinite_columns = 0;
    out->mean_positive_probability = (double)NAN;
    out->mean_max_negative_weight = (double)NAN;
    out->max_negative_weight = (double)NAN;
    out->mean_effective_negatives = (double)NAN;
    out->min_effective_negatives = (double)NAN;
    out->below_floor = 0;
    out->below_floor_share = (double)NAN;
    out->mismatched_pairs = 0;
    out->mismatched_mean = (double)NAN;
    out->mismatched_variance = (double)NAN;
    out->band_share = (double)NAN;
    out->modality_gap = (double)NAN;
    singdiv__clear_error(&out->error);
}

void
singdiv__infonce_begin(singdiv__infonce_state *state, size_t n,
                       const singdiv_infonce_options *opt, double *work)
{
    singdiv__sum zero = { 0.0, 0.0 };
    singdiv__mean_sum zero_mean = { { 0.0, 0.0 }, { 0.0, 0.0 }, 0 };

    state->n = n;
    state->temperature = opt->temperature;
    state->log_floor = log(opt->weight_floor);
    state->band = opt->cosine_band;
    state->column_max = work;
    state->column_rest = work + n;
    state->column_comp = work + 2 * n;
    for (size_t j = 0; j < n; j++) {
        state->column_max[j] = -HUGE_VAL;
        state->column_rest[j] = 0.0;
        state->column_comp[j] = 0.0;
    }
    state->row_loss = zero_mean;
    state->positive = zero;
    state->max_weight = zero;
    state->effective = zero;
    state->max_weight_max = 0.0;
    state->effective_min = HUGE_VAL;
    state->masked_positives = 0;
    state->infinite_rows = 0;
    state->below_floor = 0;
    state->pairs = 0.0;
    state->pair_mean = 0.0;
    state->pair_m2 = 0.0;
    state->band_count = 0;
}

/* Adds the finite entry s to the online log-sum-exp of column j. */
static void
column_add(singdiv__infonce_state *state, size_t j, double s)
{
    double max = state->column_max[j];
    singdiv__sum rest;

    if (max == -HUGE_VAL) {
        state->column_max[j] = s;
        return;
    }
    if (s > max) {
        /* The old maximum joins the rest; everything is rescaled to the new one. */
        double factor = singdiv__exp_dd(singdiv__scaled_gap(max, s, state->temperature));

        state->column_rest[j] = (state->column_rest[j] + state->column_comp[j] + 1.0) * factor;
        state->column_comp[j] = 0.0;
        state->column_max[j] = s;
        return;
    }
    rest.sum = state->column_rest[j];
    rest.comp = state->column_comp[j];
    singdiv__sum_add(&rest, singdiv__exp_dd(singdiv__scaled_gap(s, max, state->temperature)));
    state->column_rest[j] = rest.sum;
    state->column_comp[j] = rest.comp;
}

/* The maxima of one row: over all finite entries, and over the finite negatives. */
typedef struct row_scan {
    double max;
    size_t argmax;
    double negative_max; /* -inf when every negative is masked */
    size_t masked_negatives;
} row_scan;

static row_scan
scan_row(const double *s, size_t n, size_t i)
{
    row_scan r = { -HUGE_VAL, 0, -HUGE_VAL, 0 };

    for (size_t j = 0; j < n; j++) {
        if (s[j] == -HUGE_VAL) {
            r.masked_negatives += j != i;
            continue;
        }
        if (r.max == -HUGE_VAL || s[j] > r.max) {
            r.max = s[j];
            r.argmax = j;
        }
        if (j != i && s[j] > r.negative_max) {
            r.negative_max = s[j];
        }
    }
    return r;
}

/* Sums of one row: the partition function minus its maximal term, and the negatives' weights. */
typedef struct row_sums {
    double rest;          /* sum over finite j != argmax of exp((s_j - max) / T) */
    double negative_sum;  /* sum over finite negatives of exp((s_j - negative_max) / T), >= 1 */
    double negative_sq;   /* the same with the terms squared */
} row_sums;

/* Sums row i, feeding each finite entry to its column. */
static row_sums
sum_row(singdiv__infonce_state *state, const double *s, size_t i, const row_scan *r)
{
    singdiv__sum rest = { 0.0, 0.0 };
    singdiv__sum negative = { 0.0, 0.0 };
    singdiv__sum squares = { 0.0, 0.0 };
    double t = state->temperature;
    double factor = 0.0;
    row_sums out;

    if (r->negative_max != -HUGE_VAL) {
        factor = singdiv__exp_dd(singdiv__scaled_gap(r->negative_max, r->max, t));
    }
    for (size_t j = 0; j < state->n; j++) {
        double e;

        if (s[j] == -HUGE_VAL) {
            continue;
        }
        column_add(state, j, s[j]);
        if (j == i) {
            e = singdiv__exp_dd(singdiv__scaled_gap(s[j], r->max, t));
        } else {
            double w = singdiv__exp_dd(singdiv__scaled_gap(s[j], r->negative_max, t));

            singdiv__sum_add(&negative, w);
            singdiv__sum_add(&squares, w * w);
            e = w * factor;
        }
        if (j != r->argmax) {
            singdiv__sum_add(&rest, e);
        }
    }
    out.rest = singdiv__sum_value(&rest);
    out.negative_sum = singdiv__sum_value(&negative);
    out.negative_sq = singdiv__sum_value(&squares);
    return out;
}

/* Counts the negatives with log p_ij = g_j - log_partition below the log of the floor. */
static size_t
count_below_floor(const singdiv__infonce_state *state, const double *s, size_t i,
                  const row_scan *r, double log_partition)
{
    size_t count = r->masked_negatives;

    if (state->log_floor == -HUGE_VAL) {
        return 0;
    }
    for (size_t j = 0; j < state->n; j++) {
        singdiv__dd g;

        if (j == i || s[j] == -HUGE_VAL) {
            continue;
        }
        g = singdiv__scaled_gap(s[j], r->max, state->temperature);
        if ((g.hi - log_partition) + g.lo < state->log_floor) {
            count++;
        }
    }
    return count;
}

/* Fills the diagnostics of row i; the row has at least one finite entry. */
static void
finish_row(const singdiv__infonce_state *state, const double *s, size_t i, const row_scan *r,
           const row_sums *sums, singdiv_infonce_row *row)
{
    double log_partition = log1p(sums->rest);
    double t = state->temperature;

    if (s[i] == -HUGE_VAL) {
        row->loss = HUGE_VAL;
        row->positive_probability = 0.0;
    } else {
        singdiv__dd g = singdiv__scaled_gap(s[i], r->max, t);

        /* Two non-negative parts; -g.hi is +inf when the gap exceeds DBL_MAX. */
        row->loss = isinf(g.hi) ? HUGE_VAL : log_partition - g.hi - g.lo;
        row->positive_probability = exp(-row->loss);
    }

    row->max_negative_weight = 0.0;
    row->effective_negatives = 0.0;
    if (r->negative_max != -HUGE_VAL) {
        singdiv__dd g = singdiv__scaled_gap(r->negative_max, r->max, t);
        singdiv__dd log_weight = singdiv__two_sum(g.hi, -log_partition);

        log_weight.lo += g.lo;
        row->max_negative_weight = isinf(g.hi) ? 0.0 : singdiv__exp_dd(log_weight);
        row->effective_negatives = sums->negative_sum * (sums->negative_sum / sums->negative_sq);
    }
    row->below_floor = count_below_floor(state, s, i, r, log_partition);
}

/* Adds the mismatched values of row i (unmasked, j != i) to the geometry statistics. */
static void
add_geometry(singdiv__infonce_state *state, const double *s, const double *g, size_t i)
{
    singdiv__sum total = { 0.0, 0.0 };
    singdiv__sum squares = { 0.0, 0.0 };
    double count = 0.0;
    double mean;
    double m2;
    double delta;
    double merged;

    for (size_t j = 0; j < state->n; j++) {
        if (j != i && s[j] != -HUGE_VAL) {
            singdiv__sum_add(&total, g[j]);
            count += 1.0;
            state->band_count += fabs(g[j]) <= state->band;
        }
    }
    if (count == 0.0) {
        return;
    }
    /* Two passes within the row, then Chan's merge with the rows before it. */
    mean = singdiv__sum_value(&total) / count;
    for (size_t j = 0; j < state->n; j++) {
        if (j != i && s[j] != -HUGE_VAL) {
            double dev = g[j] - mean;

            singdiv__sum_add(&squares, dev * dev);
        }
    }
    m2 = singdiv__sum_value(&squares);
    merged = state->pairs + count;
    delta = mean - state->pair_mean;
    state->pair_mean += delta * (count / merged);
    state->pair_m2 += m2 + delta * delta * (state->pairs * (count / merged));
    state->pairs = merged;
}

void
singdiv__infonce_add_row(singdiv__infonce_state *state, size_t i, const double *similarities,
                         const double *geometry, singdiv_infonce_row *row_out)
{
    row_scan r = scan_row(similarities, state->n, i);
    singdiv_infonce_row row;

    if (r.max == -HUGE_VAL) {
        /* Every entry masked: no probability anywhere. */
        row.loss = HUGE_VAL;
        row.positive_probability = 0.0;
        row.max_negative_weight = 0.0;
        row.effective_negatives = 0.0;
        row.below_floor = state->log_floor == -HUGE_VAL ? 0 : state->n - 1;
    } else {
        row_sums sums = sum_row(state, similarities, i, &r);

        finish_row(state, similarities, i, &r, &sums, &row);
    }
    row.column_loss = (double)NAN;
    add_geometry(state, similarities, geometry, i);

    state->masked_positives += similarities[i] == -HUGE_VAL;
    if (isinf(row.loss)) {
        state->infinite_rows++;
    }
    singdiv__mean_add(&state->row_loss, row.loss);
    singdiv__sum_add(&state->positive, row.positive_probability);
    singdiv__sum_add(&state->max_weight, row.max_negative_weight);
    singdiv__sum_add(&state->effective, row.effective_negatives);
    state->max_weight_max = fmax(state->max_weight_max, row.max_negative_weight);
    state->effective_min = fmin(state->effective_min, row.effective_negatives);
    state->below_floor += row.below_floor;
    if (row_out != NULL) {
        *row_out = row;
    }
}

/* Returns the loss of column j from its online reduction. */
static double
column_loss(const singdiv__infonce_state *state, size_t j, double diagonal)
{
    double max = state->column_max[j];
    singdiv__dd g;

    if (diagonal == -HUGE_VAL || max == -HUGE_VAL) {
        return HUGE_VAL;
    }
    g = singdiv__scaled_gap(diagonal, max, state->temperature);
    if (isinf(g.hi)) {
        return HUGE_VAL;
    }
    return log1p(state->column_rest[j] + state->column_comp[j]) - g.hi - g.lo;
}

void
singdiv__infonce_finish(singdiv__infonce_state *state, const double *diagonal, size_t stride,
                        singdiv_infonce_row *rows, singdiv_infonce_report *out)
{
    singdiv__mean_sum columns = { { 0.0, 0.0 }, { 0.0, 0.0 }, 0 };
    size_t infinite_columns = 0;
    double n = (double)state->n;

    for (size_t j = 0; j < state->n; j++) {
        double loss = column_loss(state, j, diagonal[j * stride]);

        if (isinf(loss)) {
            infinite_columns++;
        }
        singdiv__mean_add(&columns, loss);
        if (rows != NULL) {
            rows[j].column_loss = loss;
        }
    }

    /* Row and column losses near DBL_MAX (T near DBL_MIN) can overflow a plain sum. */
    out->row_loss = singdiv__mean_value(&state->row_loss, n);
    out->column_loss = singdiv__mean_value(&columns, n);
    out->symmetric_loss = 0.5 * out->row_loss + 0.5 * out->column_loss;
    out->masked_positives = state->masked_positives;
    out->infinite_rows = state->infinite_rows;
    out->infinite_columns = infinite_columns;
    out->mean_positive_probability = singdiv__sum_value(&state->positive) / n;
    out->mean_max_negative_weight = singdiv__sum_value(&state->max_weight) / n;
    out->max_negative_weight = state->max_weight_max;
    out->mean_effective_negatives = singdiv__sum_value(&state->effective) / n;
    out->min_effective_negatives = state->effective_min;
    out->below_floor = state->below_floor;
    out->below_floor_share = (double)state->below_floor / (n * (n - 1.0));
    out->mismatched_pairs = (size_t)state->pairs;
    out->mismatched_mean = state->pairs > 0.0 ? state->pair_mean : (double)NAN;
    out->mismatched_variance = state->pairs > 1.0 ? state->pair_m2 / (state->pairs - 1.0) : (double)NAN;
    out->band_share = state->pairs > 0.0 ? (double)state->band_count / state->pairs : (double)NAN;
}
