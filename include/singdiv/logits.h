/*
 * libsingdiv: cross-entropy and KL against the softmax of logits, and the
 * log-sum-exp of logits.
 *
 * Conventions (all functions here):
 * - The model is q = softmax(logits / temperature):
 *   q_i = exp(l_i / T) / sum_j exp(l_j / T). It is computed from the
 *   shifted, scaled logits s_i = (l_i - max_j l_j) / T <= 0, so no logit
 *   overflows or underflows the sum, logits up to +-DBL_MAX are accepted,
 *   and log q_i = s_i - log(sum_j exp(s_j)) without forming q_i.
 * - A logit of -inf is an exact zero of q. A target with mass there makes
 *   the cross-entropy and KL +inf, and that mass is reported as the
 *   violating mass, as in the probability path (p_i > 0 = q_i). A zero
 *   target on a -inf logit contributes exactly 0, never NaN.
 * - A finite logit gives q_i > 0 even when exp(s_i) underflows to 0 in
 *   double, so it is never in the violating set. s_i itself may lie below
 *   -DBL_MAX (for example logits 1e300 apart at temperature 1e-300): the
 *   cross-entropy and KL stay finite and accurate while their exact value
 *   is below DBL_MAX, that is while the target's share there is below
 *   about DBL_MAX / |s_i|, and are +inf with no violating set above. For
 *   the cross-entropy that limit applies to the value in the requested
 *   base: 7.8e307 in base 10 is finite although it is 1.8e308 nats. KL is
 *   +inf once its value in nats exceeds DBL_MAX. A cross-entropy or KL whose
 *   exact value lies within a few ulps of DBL_MAX can round to DBL_MAX or
 *   to +inf, either side of it.
 * - The target p (the truth) is validated like p in the discrete
 *   divergences, with opt->normalize, opt->sum_tolerance and opt->base
 *   having the same meaning; results are in the requested base.
 * - Cost: O(k) time in two passes over the logits, no allocation; safe to
 *   call from many threads.
 *
 * Errors, in the order they are checked (the report's error member names
 * the argument, the index and the value):
 * - SINGDIV_ERR_NULL: out, p or logits is NULL (out NULL: nothing written).
 * - SINGDIV_ERR_DOMAIN: opt->base or opt->sum_tolerance is invalid, or
 *   temperature is not finite and > 0 (argument "temperature").
 * - SINGDIV_ERR_EMPTY: k == 0.
 * - SINGDIV_ERR_SIZE_OVERFLOW: k * sizeof(double) exceeds PTRDIFF_MAX.
 * - Target entries: SINGDIV_ERR_NAN, SINGDIV_ERR_INFINITE,
 *   SINGDIV_ERR_NEGATIVE, SINGDIV_ERR_ZERO_MASS and
 *   SINGDIV_ERR_NOT_NORMALIZED, as for p in the discrete divergences; for
 *   a class index, SINGDIV_ERR_INDEX when target >= k.
 * - Logits: SINGDIV_ERR_NAN and SINGDIV_ERR_INFINITE (+inf) at the first
 *   such entry, then SINGDIV_ERR_ZERO_MASS when every logit is -inf.
 */
#ifndef SINGDIV_LOGITS_H
#define SINGDIV_LOGITS_H

#include <stddef.h>

#include <singdiv/common.h>
#include <singdiv/options.h>
#include <singdiv/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Computes LSE = log(sum_i exp(l_i / temperature)) in nats and stores it
 * in *lse, as max_i(l_i) / T + log1p(sum over i != argmax of exp(s_i)).
 * -inf logits contribute 0; at least one logit must be finite. The result
 * is +inf or -inf when the exact value lies beyond +-DBL_MAX.
 * Accuracy: the two parts are each rounded, so the absolute error is about
 * 2 eps (|max / T| + log k) with eps = 2^-52: a few ulp, except when the
 * result is close to 0 because max / T is close to -log1p(...).
 * err may be NULL. Returns SINGDIV_ERR_NULL (logits or lse NULL),
 * SINGDIV_ERR_DOMAIN (temperature), SINGDIV_ERR_EMPTY (k == 0),
 * SINGDIV_ERR_SIZE_OVERFLOW, SINGDIV_ERR_NAN, SINGDIV_ERR_INFINITE (+inf
 * logit) or SINGDIV_ERR_ZERO_MASS (all logits -inf).
 */
SINGDIV_EXPORT singdiv_status
singdiv_logsumexp(const double *logits, size_t k, double temperature,
                  double *lse, singdiv_error *err);

/*
 * Computes the cross-entropy CE(p, q) = -sum_i (p_i / P) log q_i of the
 * target distribution p (length k, P its exact sum) against
 * q = softmax(logits / temperature), as
 * CE = (1 - m_V) log(sum_j exp(s_j)) - sum over S(p) \ V of (p_i / P) s_i,
 * a sum of non-negative terms. +inf exactly when some p_i > 0 sits on a
 * -inf logit (the violating set V); finite_part is then the sum over
 * S(p) \ V. reverse_mass is the mass of q where p_i = 0.
 * Accuracy: within 6 ulp of the exact value for the given doubles
 * (checked against 50-digit references with logits up to +-1e300 and
 * temperatures from 1e-300 to 1e300), plus one rounding for a base other
 * than e.
 */
SINGDIV_EXPORT singdiv_status
singdiv_logits_cross_entropy(const double *p, const double *logits, size_t k,
                             double temperature, const singdiv_options *opt,
                             singdiv_report *out);

/*
 * Computes the cross-entropy -log q_target of the class index target
 * (0 <= target < k) against q = softmax(logits / temperature), which is
 * also KL(e_target || q). +inf with violating mass 1 when the target's
 * logit is -inf; reverse_mass is 1 - q_target, computed from the other
 * classes without cancellation. opt is used for opt->base only and may be
 * NULL. Accuracy: within 4 ulp, plus one rounding for a base other than e.
 * Returns SINGDIV_ERR_INDEX (target >= k, value = target) after the checks
 * of k and before those of the logits.
 */
SINGDIV_EXPORT singdiv_status
singdiv_logits_cross_entropy_index(size_t target, const double *logits, size_t k,
                                   double temperature, const singdiv_options *opt,
                                   singdiv_report *out);

/*
 * Computes KL(p || q) = sum_i x_i log(x_i / q_i), x = p / P, against
 * q = softmax(logits / temperature), as a sum of the non-negative terms
 * x_i log(x_i / q_i) - x_i + q_i over S(p) \ V plus q(F) - m_V, so the
 * result is never negative. +inf exactly when V is non-empty; finite_part
 * is then the sum over S(p) \ V of x_i log(x_i / q_i), which can be
 * negative.
 * Accuracy: q_i is rounded once to double, so the absolute error is about
 * 4 eps (KL + sum_i (1 + |log q_i|) |x_i - q_i|) with eps = 2^-52. That is
 * a few ulp unless p is within about 1e-8 (relative) of q, where KL is
 * small against that bound and only its leading digits are correct.
 */
SINGDIV_EXPORT singdiv_status
singdiv_logits_kl(const double *p, const double *logits, size_t k,
                  double temperature, const singdiv_options *opt,
                  singdiv_report *out);

#ifdef __cplusplus
}
#endif

#endif /* SINGDIV_LOGITS_H */
