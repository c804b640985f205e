/*
 * libsingdiv: options and the report shared by the discrete divergences.
 */
#ifndef SINGDIV_OPTIONS_H
#define SINGDIV_OPTIONS_H

#include <stddef.h>

#include <singdiv/common.h>
#include <singdiv/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Default for singdiv_options.sum_tolerance: a vector is accepted as a
 * probability vector when its exact sum is within 1e-6 of 1. That admits
 * probabilities rounded to float32 and long vectors rounded to double, and
 * rejects counts or truncated vectors passed by mistake.
 */
#define SINGDIV_DEFAULT_SUM_TOLERANCE 1e-6

/*
 * Options of the discrete divergences. Fill with singdiv_options_init()
 * and change members afterwards; a NULL options pointer means the defaults.
 *
 * normalize:     0 (default): p and q must be probability vectors, each
 *                summing to 1 within sum_tolerance, else the function
 *                returns SINGDIV_ERR_NOT_NORMALIZED. Non-zero: p and q are
 *                counts or histograms, and each is divided by its sum.
 *                In both cases the division is by the exact sum, so a
 *                vector summing to 1 - 1e-9 is treated as the distribution
 *                it is proportional to.
 * base:          base of the logarithm of the results. 0 (default) means
 *                the natural logarithm (nats); 2 gives bits. Valid: 0, or
 *                finite and > 1 (a base below 1 would make every
 *                divergence negative).
 * sum_tolerance: the largest accepted |sum - 1| when normalize is 0.
 *                Valid: finite and >= 0.
 */
typedef struct singdiv_options {
    int normalize;
    double base;
    double sum_tolerance;
} singdiv_options;

/* Fills *opt with the defaults: normalize 0, base 0 (nats), sum_tolerance 1e-6. */
SINGDIV_EXPORT void
singdiv_options_init(singdiv_options *opt);

/*
 * The result of a divergence between p (the truth) and q (the model), and
 * its singular structure. Masses and counts are those of the normalised
 * vectors p / sum(p) and q / sum(q).
 *
 * value:           the divergence in the requested base; +inf when it is
 *                  infinite (never NaN for valid input).
 * finite_part:     the divergence restricted to the covered support
 *                  S(p) \ V, for example -sum over S(p) \ V of p_i log q_i
 *                  for the cross-entropy. Equal to value when value is
 *                  finite.
 * violating_mass:  m_V, the mass of p on V = {i : p_i > 0, q_i = 0}.
 * violating_count: |V|.
 * reverse_mass:    the mass of q on F = {i : q_i > 0, p_i = 0}.
 * reverse_count:   |F|.
 * error:           on failure, what was rejected; on success its status is
 *                  SINGDIV_OK and its argument NULL.
 *
 * On failure, the numeric members are NaN and the counts 0.
 */
typedef struct singdiv_report {
    double value;
    double finite_part;
    double violating_mass;
    size_t violating_count;
    double reverse_mass;
    size_t reverse_count;
    singdiv_error error;
} singdiv_report;

/*
 * Compares two results as extended values (rate, finite part): an infinite
 * cross-entropy or KL grows like violating_mass * log(1/eps) under
 * smoothing, so a larger violating mass is worse, and equal masses are
 * ordered by finite_part. A finite value has rate 0.
 * Stores -1 in *order if a is smaller (better) than b, 0 if they are
 * equal, +1 if a is larger. Returns SINGDIV_ERR_NULL if a pointer is NULL
 * and SINGDIV_ERR_NAN if a compared member is NaN.
 */
SINGDIV_EXPORT singdiv_status
singdiv_report_compare(const singdiv_report *a, const singdiv_report *b, int *order);

#ifdef __cplusplus
}
#endif

#endif /* SINGDIV_OPTIONS_H */
