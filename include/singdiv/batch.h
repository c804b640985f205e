/*
 * libsingdiv: cross-entropy of a batch of logits rows, one report per row
 * and a summary of the batch.
 *
 * Conventions (all functions here):
 * - logits contains n rows of width k in row-major order, and row r starts
 *   at logits + r * k. Each row is a softmax model as in singdiv/logits.h,
 *   with the same temperature for every row.
 * - ignore, when not NULL, has n entries; a row with ignore[r] != 0 is not
 *   read, not validated and not counted: its inputs may hold anything,
 *   and its report (if rows is not NULL) is reset (NaN values, zero
 *   counts, error status SINGDIV_OK).
 * - rows, when not NULL, receives one report per row, as the single-row
 *   function would write it.
 * - The summary describes the mean cross-entropy over the rows that were
 *   not ignored, which is the cross-entropy of the pooled distribution that
 *   puts 1 / rows on each (row, class) pair: it is +inf exactly when some
 *   row is, and its violating mass is the mean of the rows' violating
 *   masses.
 * - Cost: O(n k) time, no allocation; safe to call from many threads.
 *
 * Errors (the summary's error member names the argument and, for an entry,
 * its index in the whole array: r * k + i for logits and p, r for targets;
 * an error about a whole row, such as a zero or unnormalised target row or
 * a row of -inf logits, has index r * k):
 * - SINGDIV_ERR_NULL: summary, logits, or p / targets is NULL (summary NULL:
 *   nothing written).
 * - SINGDIV_ERR_EMPTY: n == 0 or k == 0, or every row is ignored
 *   (argument "ignore").
 * - SINGDIV_ERR_SIZE_OVERFLOW: n * k * sizeof(double) exceeds PTRDIFF_MAX.
 * - Any error of the single-row function on the first invalid row; that
 *   row's report carries the error with its index inside the row, the
 *   reports before it hold their results and those after it are reset.
 */
#ifndef SINGDIV_BATCH_H
#define SINGDIV_BATCH_H

#include <stddef.h>

#include <singdiv/common.h>
#include <singdiv/options.h>
#include <singdiv/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Summary of a batch.
 *
 * mean:                  the mean over the rows that were not ignored: its
 *                        value and finite_part are the means of the rows'
 *                        values and finite parts (value +inf when a row is
 *                        +inf), violating_mass and reverse_mass the means of
 *                        the rows' masses, violating_count and
 *                        reverse_count the totals over those rows, error
 *                        what was rejected.
 * rows:                  the number of rows that were not ignored.
 * ignored_rows:          the number of ignored rows.
 * singular_rows:         the rows whose value is +inf because of a
 *                        non-empty violating set.
 * total_violating_mass:  the sum of the rows' violating masses.
 */
typedef struct singdiv_batch_summary {
    singdiv_report mean;
    size_t rows;
    size_t ignored_rows;
    size_t singular_rows;
    double total_violating_mass;
} singdiv_batch_summary;

/*
 * Computes singdiv_logits_cross_entropy() for each row r of p (n rows of
 * width k, row-major, each validated like p with opt) against row r of
 * logits, and the summary of the batch. Accuracy: each row as the
 * single-row function; the means add one rounding after a compensated sum.
 */
SINGDIV_EXPORT singdiv_status
singdiv_logits_cross_entropy_batch(const double *p, const double *logits, size_t n,
                                   size_t k, double temperature,
                                   const unsigned char *ignore,
                                   const singdiv_options *opt, singdiv_report *rows,
                                   singdiv_batch_summary *summary);

/*
 * Computes singdiv_logits_cross_entropy_index() for each row r with class
 * targets[r] against row r of logits, and the summary of the batch. The
 * mean is the usual mean negative log-likelihood of the labels.
 */
SINGDIV_EXPORT singdiv_status
singdiv_logits_cross_entropy_index_batch(const size_t *targets, const double *logits,
                                         size_t n, size_t k, double temperature,
                                         const unsigned char *ignore,
                                         const singdiv_options *opt,
                                         singdiv_report *rows,
                                         singdiv_batch_summary *summary);

#ifdef __cplusplus
}
#endif

#endif /* SINGDIV_BATCH_H */
