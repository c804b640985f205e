/*
 * libsingdiv: float32 entry points of the discrete divergences and of the
 * logits functions.
 *
 * Each function converts its float inputs to double, which is exact, and
 * calls the double function of the same name without the _f32 suffix. The
 * report is therefore bit-identical to the double path on the same values,
 * with the same conventions, accuracy and error statuses.
 * Subnormal floats, FLT_MAX and -0.0f (a zero) need no special handling.
 *
 * Cost and allocation: O(n) time. Inputs of up to 256 entries are
 * converted on the stack. Longer inputs are copied to memory from malloc,
 * freed before returning, and SINGDIV_ERR_NO_MEMORY (argument the input
 * being copied) is returned when that fails, before any other check. The
 * batches convert one row at a time, into 2 k doubles that come from
 * malloc when k > 256, after the checks of the batch shape.
 * Safe to call from many threads.
 */
#ifndef SINGDIV_FLOAT32_H
#define SINGDIV_FLOAT32_H

#include <stddef.h>

#include <singdiv/batch.h>
#include <singdiv/common.h>
#include <singdiv/options.h>
#include <singdiv/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* singdiv_entropy() of float input. */
SINGDIV_EXPORT singdiv_status
singdiv_entropy_f32(const float *p, size_t n, const singdiv_options *opt,
                    singdiv_report *out);

/* singdiv_cross_entropy() of float input. */
SINGDIV_EXPORT singdiv_status
singdiv_cross_entropy_f32(const float *p, const float *q, size_t n,
                          const singdiv_options *opt, singdiv_report *out);

/* singdiv_kl() of float input. */
SINGDIV_EXPORT singdiv_status
singdiv_kl_f32(const float *p, const float *q, size_t n,
               const singdiv_options *opt, singdiv_report *out);

/* singdiv_js() of float input. */
SINGDIV_EXPORT singdiv_status
singdiv_js_f32(const float *p, const float *q, size_t n,
               const singdiv_options *opt, singdiv_report *out);

/* singdiv_js_distance() of float input. */
SINGDIV_EXPORT singdiv_status
singdiv_js_distance_f32(const float *p, const float *q, size_t n,
                        const singdiv_options *opt, singdiv_report *out);

/* singdiv_logits_cross_entropy() of float target and logits. */
SINGDIV_EXPORT singdiv_status
singdiv_logits_cross_entropy_f32(const float *p, const float *logits, size_t k,
                                 double temperature, const singdiv_options *opt,
                                 singdiv_report *out);

/* singdiv_logits_kl() of float target and logits. */
SINGDIV_EXPORT singdiv_status
singdiv_logits_kl_f32(const float *p, const float *logits, size_t k,
                      double temperature, const singdiv_options *opt,
                      singdiv_report *out);

/* singdiv_logits_cross_entropy_index() of float logits. */
SINGDIV_EXPORT singdiv_status
singdiv_logits_cross_entropy_index_f32(size_t target, const float *logits, size_t k,
                                       double temperature, const singdiv_options *opt,
                                       singdiv_report *out);

/* singdiv_logits_cross_entropy_batch() of float target rows and logits. */
SINGDIV_EXPORT singdiv_status
singdiv_logits_cross_entropy_batch_f32(const float *p, const float *logits, size_t n,
                                       size_t k, double temperature,
                                       const unsigned char *ignore,
                                       const singdiv_options *opt, singdiv_report *rows,
                                       singdiv_batch_summary *summary);

/* singdiv_logits_cross_entropy_index_batch() of float logits. */
SINGDIV_EXPORT singdiv_status
singdiv_logits_cross_entropy_index_batch_f32(const size_t *targets, const float *logits,
                                             size_t n, size_t k, double temperature,
                                             const unsigned char *ignore,
                                             const singdiv_options *opt,
                                             singdiv_report *rows,
                                             singdiv_batch_summary *summary);

#ifdef __cplusplus
}
#endif

#endif /* SINGDIV_FLOAT32_H */
