/*
 * Helpers shared by the InfoNCE functions: the row and column reductions
 * that both the matrix and the embedding paths feed. Nothing here is
 * installed.
 */
#ifndef SINGDIV_CONTRASTIVE_INTERNAL_H
#define SINGDIV_CONTRASTIVE_INTERNAL_H

#include <singdiv/contrastive.h>

#include "logits_internal.h"

/*
 * Running state of one InfoNCE call. Rows are fed in order 0 .. n-1; the
 * columns are reduced online in the three arrays of n doubles, which the
 * caller's workspace provides.
 */
typedef struct singdiv__infonce_state {
    size_t n;
    double temperature;
    double log_floor; /* log(weight_floor), -inf for a floor of 0 */
    double band;

    double *column_max;  /* the running maximum of column j, -inf before any entry */
    double *column_rest; /* sum of exp((s_kj - max) / T) over the entries but the maximum */
    double *column_comp; /* the Neumaier compensation of column_rest */

    singdiv__mean_sum row_loss; /* over the row losses */
    singdiv__sum positive;
    singdiv__sum max_weight;
    singdiv__sum effective;
    double max_weight_max;
    double effective_min;
    size_t masked_positives;
    size_t infinite_rows;
    size_t below_floor;

    /* Mismatched pairs: count, mean and sum of squared deviations (Chan's merge). */
    double pairs;
    double pair_mean;
    double pair_m2;
    size_t band_count;
} singdiv__infonce_state;

/*
 * Checks opt: NULL, then temperature, weight_floor and cosine_band
 * (SINGDIV_ERR_DOMAIN, naming "opt->temperature" and so on).
 */
singdiv_status
singdiv__infonce_check_options(const singdiv_infonce_options *opt, singdiv_error *err);

/* Prepares the state for batch size n, taking 3 n doubles of work. */
void
singdiv__infonce_begin(singdiv__infonce_state *state, size_t n,
                       const singdiv_infonce_options *opt, double *work);

/*
 * Reduces row i: similarities[j] is s_ij and geometry[j] the value whose
 * statistics the report gives for pair (i, j) (the similarity itself, or
 * the cosine). Fills *row_out when it is not NULL.
 */
void
singdiv__infonce_add_row(singdiv__infonce_state *state, size_t i, const double *similarities,
                         const double *geometry, singdiv_infonce_row *row_out);

/*
 * Finishes the column losses, with s_jj = diagonal[j * stride], and fills
 * the report (all members but error and modality_gap) and, when rows is
 * not NULL, rows[j].column_loss.
 */
void
singdiv__infonce_finish(singdiv__infonce_state *state, const double *diagonal, size_t stride,
                        singdiv_infonce_row *rows, singdiv_infonce_report *out);

/* Sets every value of the report to NaN and every count to 0, and clears the error. */
void
singdiv__infonce_report_reset(singdiv_infonce_report *out);

/* Running state of one sigmoid loss; rows are fed in any order, each once. */
typedef struct singdiv__sigmoid_state {
    size_t n;
    double t;
    double bias;
    singdiv__mean_sum all;
    singdiv__mean_sum positives;
    singdiv__mean_sum negatives;
    size_t masked_positives;
} singdiv__sigmoid_state;

/* Checks t (finite, > 0) and bias (finite): SINGDIV_ERR_DOMAIN. */
singdiv_status
singdiv__sigmoid_check_parameters(double t, double bias, singdiv_error *err);

/* Sets the values of the report to NaN and the count to 0, and clears the error. */
void
singdiv__sigmoid_report_reset(singdiv_sigmoid_report *out);

void
singdiv__sigmoid_begin(singdiv__sigmoid_state *state, size_t n, double t, double bias);

/* Adds the n terms of row i, similarities[j] = s_ij. */
void
singdiv__sigmoid_add_row(singdiv__sigmoid_state *state, size_t i, const double *similarities);

/* Fills the report's losses and count. */
void
singdiv__sigmoid_finish(const singdiv__sigmoid_state *state, singdiv_sigmoid_report *out);

#endif /* SINGDIV_CONTRASTIVE_INTERNAL_H */
