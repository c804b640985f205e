/*
 * libsingdiv: entropy, cross-entropy, KL and Jensen-Shannon between
 * discrete distributions, with their singular structure.
 *
 * Conventions (all functions here):
 * - p is the truth, q the model, both of length n >= 1, entries finite and
 *   >= 0, not all zero. With opt->normalize == 0 each must sum to 1 within
 *   opt->sum_tolerance; either way they are divided by their exact sums.
 * - 0 log 0 = 0, 0 log(0/q) = 0 and p log(p/0) = +inf for p > 0.
 * - A singular result is a success: status SINGDIV_OK, value +inf and the
 *   violating set V = {i : p_i > 0, q_i = 0} described in the report.
 * - Identical p and q give exactly +0.0 for KL and JS.
 * - Accuracy: within 4 ulp of the exact value of the normalised inputs
 *   (checked against a 50-digit reference, near-identical inputs with KL
 *   down to 1e-30 included), plus one rounding when a base other than e is
 *   requested.
 * - Cost: O(n) time, no allocation; safe to call from many threads.
 *
 * Errors, in the order they are checked (the report's error member names
 * the argument, the index and the value):
 * - SINGDIV_ERR_NULL: p, q or out is NULL (out NULL: nothing is written).
 * - SINGDIV_ERR_DOMAIN: opt->base or opt->sum_tolerance is invalid.
 * - SINGDIV_ERR_EMPTY: n == 0.
 * - SINGDIV_ERR_SIZE_OVERFLOW: n * sizeof(double) exceeds PTRDIFF_MAX.
 * - Then p is checked whole, then q, each in this order:
 *   SINGDIV_ERR_NAN, SINGDIV_ERR_INFINITE, SINGDIV_ERR_NEGATIVE for the
 *   first such entry; SINGDIV_ERR_ZERO_MASS when it is all zero;
 *   SINGDIV_ERR_INFINITE with SINGDIV_NO_INDEX when its entries are finite
 *   but their sum exceeds DBL_MAX; SINGDIV_ERR_NOT_NORMALIZED when opt->normalize is 0 and its sum is off 1
 *   by more than opt->sum_tolerance (error.value is the sum). So an
 *   all-zero p is reported before a NaN in q.
 */
#ifndef SINGDIV_DISCRETE_H
#define SINGDIV_DISCRETE_H

#include <stddef.h>

#include <singdiv/common.h>
#include <singdiv/options.h>
#include <singdiv/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Computes the Shannon entropy H(p) = -sum p_i log p_i, in [0, log n].
 * The report's masses and counts are 0 and finite_part equals value.
 */
SINGDIV_EXPORT singdiv_status
singdiv_entropy(const double *p, size_t n, const singdiv_options *opt,
                singdiv_report *out);

/*
 * Computes the cross-entropy CE(p, q) = -sum p_i log q_i = H(p) + KL(p || q).
 * +inf exactly when V is non-empty; finite_part is then
 * -sum over S(p) \ V of p_i log q_i.
 */
SINGDIV_EXPORT singdiv_status
singdiv_cross_entropy(const double *p, const double *q, size_t n,
                      const singdiv_options *opt, singdiv_report *out);

/*
 * Computes the Kullback-Leibler divergence KL(p || q) = sum p_i log(p_i / q_i),
 * >= 0. +inf exactly when V is non-empty; finite_part is then
 * sum over S(p) \ V of p_i log(p_i / q_i), which can be negative.
 * Computed as a sum of the non-negative terms p_i log(p_i/q_i) + q_i - p_i,
 * so the result is never negative and keeps its digits when p and q are
 * nearly equal.
 */
SINGDIV_EXPORT singdiv_status
singdiv_kl(const double *p, const double *q, size_t n,
           const singdiv_options *opt, singdiv_report *out);

/*
 * Computes the Jensen-Shannon divergence
 * JS(p, q) = (KL(p || m) + KL(q || m)) / 2 with m = (p + q) / 2.
 * Always finite, symmetric, in [0, log 2], and equal to log 2 exactly when
 * the supports are disjoint. The violating and reverse sets are reported as
 * information; they do not make JS infinite.
 */
SINGDIV_EXPORT singdiv_status
singdiv_js(const double *p, const double *q, size_t n,
           const singdiv_options *opt, singdiv_report *out);

/*
 * Computes the Jensen-Shannon distance sqrt(JS(p, q)), a metric, with JS in
 * the requested base (so 1 for disjoint supports in base 2, sqrt(log 2)
 * in nats). finite_part equals value.
 */
SINGDIV_EXPORT singdiv_status
singdiv_js_distance(const double *p, const double *q, size_t n,
                    const singdiv_options *opt, singdiv_report *out);

/*
 * Lists the violating set V = {i : p_i > 0, q_i = 0}: writes its first
 * min(|V|, capacity) indices in increasing order to indices and |V| to
 * *count, like snprintf. indices may be NULL when capacity is 0, to query
 * the count. Validates p and q like the divergences; opt->base is ignored.
 */
SINGDIV_EXPORT singdiv_status
singdiv_violating_set(const double *p, const double *q, size_t n,
                      const singdiv_options *opt, size_t *indices,
                      size_t capacity, size_t *count);

/*
 * Lists the reverse set F = {i : q_i > 0, p_i = 0} the same way as
 * singdiv_violating_set().
 */
SINGDIV_EXPORT singdiv_status
singdiv_reverse_set(const double *p, const double *q, size_t n,
                    const singdiv_options *opt, size_t *indices,
                    size_t capacity, size_t *count);

/*
 * Validates one distribution (or counts, with opt->normalize) as the
 * divergences do, and fills *err (which may be NULL) with what was
 * rejected. Returns SINGDIV_OK for a valid vector.
 */
SINGDIV_EXPORT singdiv_status
singdiv_check_distribution(const double *p, size_t n,
                           const singdiv_options *opt, singdiv_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SINGDIV_DISCRETE_H */
