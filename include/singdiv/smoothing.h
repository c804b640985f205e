/*
 * libsingdiv: what smoothing does to an infinite cross-entropy or KL.
 *
 * When the model q gives probability 0 to a symbol that the truth p can
 * produce (the violating set V = {i : p_i > 0, q_i = 0}, of mass m_V),
 * CE(p, q) and KL(p || q) are +inf. Smoothing q makes them finite, and the
 * functions here state exactly how the finite number depends on the
 * smoothing constant, so a smoothed score can be read for what it is.
 *
 * Mixture smoothing with a reference distribution r:
 *
 *     q_eps = (1 - eps) q + eps r,  0 < eps < 1,
 *     CE(p, q_eps) = m_V log(1/eps) + C + eps D + eps^2 E + O(eps^3),
 *     C = -sum_{i in V} p_i log r_i - sum_{i in S \ V} p_i log q_i,
 *     D = sum_{i in S \ V} p_i (1 - r_i / q_i),
 *     E = sum_{i in S \ V} p_i (r_i / q_i - 1)^2 / 2,
 *
 * where S = {i : p_i > 0}. On V, log q_eps,i = log eps + log r_i exactly;
 * on S \ V, log q_eps,i = log q_i + log1p(z_i) with z_i = eps (r_i/q_i - 1),
 * and expanding log1p gives D and E. KL(p || q_eps) = CE(p, q_eps) - H(p)
 * has the same expansion with finite part C - H(p).
 * The exact local slope in log(1/eps) is
 *
 *     s(eps) = dCE(p, q_eps) / dlog(1/eps)
 *            = m_V + eps sum_{i in S \ V} p_i (r_i - q_i) / q_eps,i
 *            = eps sum_i (p_i - q_eps,i) (r_i - q_i) / q_eps,i,
 *
 * the second line because each term on V is p_i, the third because
 * sum_i (r_i - q_i) = 0. It tends to m_V as eps
 * tends to 0, and KL has the same slope because H(p) does not depend on
 * eps. Derivations: docs/smoothing.md.
 *
 * Conventions of every function here, beyond those of singdiv/discrete.h
 * (validation of p and q, normalisation, opt->base, the report):
 * - r is validated like p and q (error argument "r"); r == NULL means the
 *   uniform distribution on the n symbols.
 * - eps must lie in the open interval (0, 1); any other value, NaN
 *   included, is SINGDIV_ERR_DOMAIN with argument "eps" and the value.
 *   Every positive double below 1 is accepted, subnormals included.
 * - If r_i = 0 at some i in V, then q_eps,i = 0 for every eps: no amount of
 *   smoothing with r makes CE finite. Such i form the uncovered set
 *   U = {i : p_i > 0, q_i = 0, r_i = 0}, and the values are +inf.
 * - Logarithms in opt->base (nats by default). Slopes are ratios of two
 *   logarithms in the same base and do not depend on it.
 * - Cost: O(n) time, a few logarithms per entry, no allocation; safe to
 *   call from many threads.
 *
 * Errors, in the order they are checked. Where the output has an error
 * member (singdiv_report), it names the argument, the index and the value.
 * - SINGDIV_ERR_NULL: the output pointer is NULL; nothing is written.
 * - SINGDIV_ERR_DOMAIN: opt->base or opt->sum_tolerance is invalid.
 * - SINGDIV_ERR_NULL, SINGDIV_ERR_EMPTY, SINGDIV_ERR_SIZE_OVERFLOW,
 *   SINGDIV_ERR_NAN, SINGDIV_ERR_INFINITE, SINGDIV_ERR_NEGATIVE,
 *   SINGDIV_ERR_ZERO_MASS, SINGDIV_ERR_NOT_NORMALIZED: as in
 *   singdiv/discrete.h, for p, then q (or the counts c), then r.
 * - SINGDIV_ERR_DOMAIN: eps outside (0, 1) or alpha not finite and > 0.
 */
#ifndef SINGDIV_SMOOTHING_H
#define SINGDIV_SMOOTHING_H

#include <stddef.h>

#include <singdiv/common.h>
#include <singdiv/options.h>
#include <singdiv/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The small-eps expansion value(eps) = slope log(1/eps) + finite_part
 * + eps first_order + eps^2 second_order + O(eps^3) of a smoothed
 * cross-entropy or KL (for Lidstone smoothing, eps is the pseudo-count
 * alpha). The members are in the requested base, except the masses, the
 * counts and threshold.
 *
 * slope:           m_V, the limit of the exact slope s(eps) as eps -> 0.
 * finite_part:     C for the cross-entropy, C - H(p) for KL.
 * first_order:     D, the coefficient of eps.
 * second_order:    E, the coefficient of eps^2. D and E overflow to +-inf
 *                  when some q_i on S \ V is far below r_i.
 * threshold:       min over i in S \ V with r_i > 0 of q_i / r_i, or +inf
 *                  when there is no such i. For eps < threshold every
 *                  |z_i| < 1, so the power series in eps converges (the
 *                  radius of convergence is at least threshold). For
 *                  eps <= min(threshold, 1) / 2 the error of the three
 *                  terms up to first_order is below
 *                  eps^2 sum p_i (r_i/q_i - 1)^2.
 *                  Above it, nothing guarantees that the expansion
 *                  describes the value.
 * violating_mass:  m_V, the mass of p on V = {p > 0, q = 0}.
 * violating_count: |V|.
 * uncovered_mass:  the mass of p on U = {p > 0, q = 0, r = 0}.
 * uncovered_count: |U|. When it is not 0, every smoothed value is +inf,
 *                  so slope and finite_part are +inf, first_order and
 *                  second_order are NaN and threshold is 0: no finite
 *                  expansion describes the value at any eps.
 *
 * On failure every double member is NaN and the counts are 0.
 */
typedef struct singdiv_expansion {
    double slope;
    double finite_part;
    double first_order;
    double second_order;
    double threshold;
    double violating_mass;
    size_t violating_count;
    double uncovered_mass;
    size_t uncovered_count;
} singdiv_expansion;

/*
 * The split of a smoothed value into the part set by the smoothing
 * constant and the rest, for tools that must warn when a score mostly
 * measures eps (for example drift monitors that fill empty bins).
 *
 * value:          the exact smoothed value at eps, in the requested base.
 * epsilon_part:   m_V log(1/eps): what the violating set contributes only
 *                 because of eps. 0 when V is empty.
 * remainder:      value - epsilon_part, which tends to the finite part of
 *                 the expansion as eps -> 0. For KL it can be negative.
 * epsilon_share:  epsilon_part / value, 0 when V is empty (+inf for a KL
 *                 of exactly 0 with V not empty). 0.93 reads "93% of this
 *                 score comes from the smoothing constant". Above 1 for KL
 *                 when remainder < 0: then the score is smaller than the
 *                 eps term alone, and all of it is an artefact of eps.
 * slope:          the exact local slope s(eps): dividing eps by 10 raises
 *                 the score by about slope * log(10), in the requested
 *                 base.
 * violating_mass: m_V of the unsmoothed pair (p, q).
 * uncovered_mass: the mass of p on U = {p > 0, q = 0, r = 0}. When it is
 *                 not 0, value and slope are +inf and epsilon_part,
 *                 remainder and epsilon_share are NaN (no finite split
 *                 exists).
 *
 * On failure every member is NaN.
 */
typedef struct singdiv_smoothing_parts {
    double value;
    double epsilon_part;
    double remainder;
    double epsilon_share;
    double slope;
    double violating_mass;
    double uncovered_mass;
} singdiv_smoothing_parts;

/* Which divergence of p and the smoothed q a function evaluates. */
typedef enum singdiv_smoothed_divergence {
    SINGDIV_SMOOTHED_CROSS_ENTROPY = 0,
    SINGDIV_SMOOTHED_KL = 1
} singdiv_smoothed_divergence;

/*
 * Computes CE(p, q_eps) = -sum p_i log q_eps,i with
 * q_eps = (1 - eps) q + eps r, in the requested base.
 *
 * q_eps is never formed and then passed to log: on V, log q_eps,i is
 * log eps + log r_i; elsewhere log q_i + log1p(-eps) + log1p(w) with
 * w = eps r_i / ((1 - eps) q_i) when that is at most 1, else
 * log eps + log r_i + log1p(1 / w), and log1p(-(1 - q_eps,i)) with
 * 1 - q_eps,i = (1 - eps)(1 - q_i) + eps (1 - r_i) near 1. Every term is
 * >= 0, so the sum keeps full relative accuracy.
 *
 * The report describes the pair (p, q_eps): value (finite unless U is
 * non-empty), finite_part (the sum over the entries where q_eps > 0, equal
 * to value when that is finite), violating_mass and violating_count (of
 * U = {p > 0, q = 0, r = 0}, the entries that q_eps still misses; 0 when r
 * has no zeros, as the uniform r), reverse_mass and reverse_count (of
 * {p = 0, q_eps > 0}, mass measured by q_eps).
 *
 * Accuracy: within 8 ulp of the exact value of the normalised inputs
 * (checked against a 50-digit reference for eps from 1 - 2^-30 down to
 * 1e-300 and at the subnormal eps 1e-310 and 5e-324; the worst error seen
 * is 2 ulp).
 * NOTE: entries whose normalised value is below 2^-1022 lose relative
 * precision, as in the discrete core. The value keeps its accuracy unless
 * such entries dominate it.
 */
SINGDIV_EXPORT singdiv_status
singdiv_smoothed_cross_entropy(const double *p, const double *q, const double *r, size_t n,
                               double eps, const singdiv_options *opt, singdiv_report *out);

/*
 * Computes KL(p || q_eps) = sum p_i log(p_i / q_eps,i) >= 0 with
 * q_eps = (1 - eps) q + eps r, in the requested base, as the sum of the
 * non-negative deviance terms p_i log(p_i / q_eps,i) + q_eps,i - p_i.
 * The difference p_i - q_eps,i = (p_i - q_i) + eps (q_i - r_i) is formed in
 * double-double from exact products, so p close to q_eps keeps its digits.
 * When p equals q_eps exactly, the result is +0.0 if those products are
 * exact in double-double (short dyadic inputs, as in the tests). Otherwise
 * the products' relative error of about 2^-104 bounds the result by about
 * 2^-200, an estimate from that bound rather than a measurement.
 *
 * The report is that of singdiv_smoothed_cross_entropy(); finite_part is
 * the sum of p_i log(p_i / q_eps,i) over the entries where q_eps > 0.
 * Accuracy: within 8 ulp of the exact value, as the cross-entropy.
 */
SINGDIV_EXPORT singdiv_status
singdiv_smoothed_kl(const double *p, const double *q, const double *r, size_t n,
                    double eps, const singdiv_options *opt, singdiv_report *out);

/*
 * Computes the exact local slope s(eps) = dCE(p, q_eps) / dlog(1/eps), which
 * is also dKL(p || q_eps) / dlog(1/eps), in closed form:
 * s(eps) = eps sum_i (p_i - q_eps,i) (r_i - q_i) / q_eps,i. On V each term
 * is p_i - eps r_i, so s(eps) -> m_V. Stores +inf in *slope when U is not
 * empty (the value is +inf for every eps, so no finite rate describes it).
 *
 * Accuracy: each term has a relative error of a few ulp, so *slope is
 * within a few ulp of the sum of |terms|; when p = q the terms share one
 * sign and the tiny slope -eps^2 sum (r_i - q_i)^2 / q_eps,i keeps its
 * digits. Errors: those listed at the top of this header.
 */
SINGDIV_EXPORT singdiv_status
singdiv_smoothing_slope(const double *p, const double *q, const double *r, size_t n,
                        double eps, const singdiv_options *opt, double *slope);

/*
 * Computes the small-eps expansion of CE(p, q_eps), q_eps = (1 - eps) q +
 * eps r (see singdiv_expansion): slope m_V, finite_part C, first_order D,
 * second_order E and the threshold below which they describe the value.
 * Each member is within a few ulp of the sum of the absolute values of its
 * terms.
 */
SINGDIV_EXPORT singdiv_status
singdiv_smoothing_expansion(const double *p, const double *q, const double *r, size_t n,
                            const singdiv_options *opt, singdiv_expansion *out);

/*
 * As singdiv_smoothing_expansion(), for KL(p || q_eps): the same slope,
 * first_order, second_order and threshold, and finite_part
 * C - H(p) = sum_{V} p_i log(p_i / r_i) + sum_{S \ V} p_i log(p_i / q_i).
 */
SINGDIV_EXPORT singdiv_status
singdiv_smoothing_expansion_kl(const double *p, const double *q, const double *r, size_t n,
                               const singdiv_options *opt, singdiv_expansion *out);

/*
 * Splits the smoothed cross-entropy or KL (chosen by divergence) at eps
 * into epsilon_part = m_V log(1/eps) and the remainder, and reports the
 * share of the score that the smoothing constant sets (see
 * singdiv_smoothing_parts). value is that of
 * singdiv_smoothed_cross_entropy() or singdiv_smoothed_kl(); remainder is
 * value - epsilon_part, exact to within a few ulp of the larger of the two.
 * Errors: those listed at the top of this header, reported by the status
 * alone because out has no error member, and SINGDIV_ERR_DOMAIN for an
 * unknown divergence.
 */
SINGDIV_EXPORT singdiv_status
singdiv_smoothing_decompose(const double *p, const double *q, const double *r, size_t n,
                            double eps, singdiv_smoothed_divergence divergence,
                            const singdiv_options *opt, singdiv_smoothing_parts *out);

/*
 * Additive (Lidstone) smoothing of counts. The model is estimated from the
 * counts c_i >= 0 with pseudo-count alpha > 0:
 *
 *     q_i = (c_i + alpha) / (N + n alpha),  N = sum c_i,
 *
 * which is mixture smoothing of c / N with the uniform r and
 * eps = n alpha / (N + n alpha), 1 - eps = N / (N + n alpha). The functions
 * evaluate it so, with eps carried in double-double and log eps,
 * log(1 - eps) taken from alpha and N directly, so tiny alpha loses
 * nothing. From the mixture expansion, with log(1/eps) = log(1/alpha) +
 * log(N / n) + n alpha / N + O(alpha^2) and eps = n alpha / N + O(alpha^2):
 *
 *     CE(p, q) = m_V log(1/alpha) + C_L + alpha D_L + alpha^2 E_L + O(alpha^3),
 *     C_L = m_V log N - sum_{i in S \ V} p_i log(c_i / N),
 *     D_L = n / N - sum_{i in S \ V} p_i / c_i,
 *     E_L = sum_{i in S \ V} p_i / (2 c_i^2) - n^2 / (2 N^2),
 *
 * where V = {p_i > 0, c_i = 0}; the same follows from differentiating
 * -sum_V p_i log alpha - sum_{S \ V} p_i log(c_i + alpha) + log(N + n alpha).
 * The exact slope in log(1/alpha) is
 *
 *     dCE / dlog(1/alpha) = -alpha dCE/dalpha
 *         = m_V + alpha sum_{S \ V} p_i / (c_i + alpha) - n alpha / (N + n alpha)
 *         = (1 - eps) s(eps),
 *
 * because dlog(eps) / dlog(alpha) = 1 - eps. KL has the same slope and
 * finite part C_L - H(p).
 *
 * The counts are always divided by their sum, whatever the value of
 * opt->normalize, and alpha is in count units (it is not rescaled). p follows
 * opt->normalize. alpha must be finite and > 0, else SINGDIV_ERR_DOMAIN
 * with argument "alpha". Errors on the counts name the argument "c".
 * The report of the value is that of singdiv_smoothed_cross_entropy():
 * U is always empty, so the value is finite.
 */
SINGDIV_EXPORT singdiv_status
singdiv_lidstone_cross_entropy(const double *p, const double *c, size_t n, double alpha,
                               const singdiv_options *opt, singdiv_report *out);

/* KL(p || q) for the Lidstone estimate q above, as singdiv_smoothed_kl(). */
SINGDIV_EXPORT singdiv_status
singdiv_lidstone_kl(const double *p, const double *c, size_t n, double alpha,
                    const singdiv_options *opt, singdiv_report *out);

/* Computes the exact slope dCE / dlog(1/alpha) = (1 - eps) s(eps) of the Lidstone estimate. */
SINGDIV_EXPORT singdiv_status
singdiv_lidstone_slope(const double *p, const double *c, size_t n, double alpha,
                       const singdiv_options *opt, double *slope);

/*
 * Computes the expansion in alpha of the Lidstone cross-entropy (divergence
 * SINGDIV_SMOOTHED_CROSS_ENTROPY) or KL (SINGDIV_SMOOTHED_KL): slope m_V,
 * finite_part C_L (or C_L - H(p)), first_order D_L, second_order E_L, and
 * threshold = min(N / n, min over S \ V of c_i), in count units, below
 * which the series of every log(c_i + alpha) and of log(N + n alpha)
 * converges. uncovered_mass is always 0.
 */
SINGDIV_EXPORT singdiv_status
singdiv_lidstone_expansion(const double *p, const double *c, size_t n,
                           singdiv_smoothed_divergence divergence,
                           const singdiv_options *opt, singdiv_expansion *out);

/*
 * Computes CE(p_eps, q) with the target smoothed instead of the model:
 * p_eps = (1 - eps) p + eps u (label smoothing; u == NULL is uniform).
 * Wherever q_i = 0 and u_i > 0, p_eps,i > 0, so the violating set of
 * (p_eps, q) is every zero of q that u covers, whatever p was: smoothing
 * the target never repairs a zero in q, it creates violations. The value
 * is +inf as soon as that set is non-empty, finite_part is
 * -sum over {q > 0} of p_eps,i log q_i, and violating_mass is
 * (1 - eps) m_V(p, q) + eps u({q = 0}). Arguments and errors as for
 * singdiv_smoothed_cross_entropy(), with u validated like r (argument "u").
 * Accuracy: within a few ulp of the exact value, as singdiv_cross_entropy().
 */
SINGDIV_EXPORT singdiv_status
singdiv_target_smoothed_cross_entropy(const double *p, const double *q, const double *u,
                                      size_t n, double eps, const singdiv_options *opt,
                                      singdiv_report *out);

#ifdef __cplusplus
}
#endif

#endif /* SINGDIV_SMOOTHING_H */
