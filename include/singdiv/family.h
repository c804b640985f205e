/*
 * libsingdiv: the divergence family beyond KL and Jensen-Shannon: Rényi
 * divergences, Pearson and Neyman chi-square, Jeffreys divergence and the
 * population stability index, total variation, Hellinger distance, the
 * Bhattacharyya coefficient and angle, and skewed Jensen-Shannon.
 *
 * Conventions (all functions here, as in singdiv/discrete.h):
 * - p is the truth, q the model, both of length n >= 1, entries finite and
 *   >= 0, not all zero. With opt->normalize == 0 each must sum to 1 within
 *   opt->sum_tolerance; either way they are divided by their exact sums,
 *   and x = p / sum(p), y = q / sum(q) below are those quotients.
 * - V = {i : p_i > 0, q_i = 0} is the violating set, F = {i : q_i > 0,
 *   p_i = 0} the reverse set. Every report gives the mass of p on V, the
 *   mass of q on F and both counts, also when they do not make the value
 *   infinite.
 * - A singular result is a success: status SINGDIV_OK and value +inf.
 *   finite_part equals value when value is finite. For infinite values,
 *   each function's comment defines finite_part.
 * - Values with a logarithm (Rényi, Jeffreys, PSI, skewed JS) are in the
 *   base opt->base (nats by default). Chi-square, total variation,
 *   Hellinger and Bhattacharyya values have no logarithm; for them
 *   opt->base is checked but does not change the result.
 * - Identical p and q give exactly +0.0 (1 for the Bhattacharyya
 *   coefficient).
 * - Cost: O(n) time, one pass over the data (Rényi takes a second pass
 *   when its sum S is below 1/4 or a term overflows), no allocation; safe
 *   to call from many threads.
 *
 * Accuracy: within 8 ulp for Rényi and 6 ulp for every other value, plus
 * one rounding when a base other than e is requested. tests/test_family.c
 * checks these bounds against 50-digit references on 258 random, sparse,
 * near-identical (relative differences down to 1e-15), wide-range,
 * heavy-tailed and count inputs and prints the worst case (measured: 6 ulp
 * for Rényi and 4 for the others).
 * NOTE: when a normalising sum is not a power of two, x_i - y_i is known
 * only to about 1e-32 absolute (the sums are held in double-double), so a
 * total variation below about 1e-20 from counts keeps fewer digits.
 *
 * Errors, in the order they are checked (the report's error member names
 * the argument, the index and the value):
 * - SINGDIV_ERR_NULL: p, q or out is NULL (out NULL: nothing is written).
 * - SINGDIV_ERR_DOMAIN: opt->base or opt->sum_tolerance is invalid.
 * - SINGDIV_ERR_EMPTY: n == 0.
 * - SINGDIV_ERR_SIZE_OVERFLOW: n * sizeof(double) exceeds PTRDIFF_MAX.
 * - SINGDIV_ERR_NAN, SINGDIV_ERR_INFINITE, SINGDIV_ERR_NEGATIVE: the first
 *   such entry of p, then of q.
 * - SINGDIV_ERR_ZERO_MASS: p or q is all zero.
 * - SINGDIV_ERR_NOT_NORMALIZED: opt->normalize is 0 and a sum is off 1 by
 *   more than opt->sum_tolerance (error.value is the sum).
 * - SINGDIV_ERR_DOMAIN: the order alpha or the weight pi is outside its
 *   domain (error.argument "alpha" or "pi", error.value the rejected value).
 * On failure the report's numbers are NaN and its counts 0.
 */
#ifndef SINGDIV_FAMILY_H
#define SINGDIV_FAMILY_H

#include <stddef.h>

#include <singdiv/common.h>
#include <singdiv/options.h>
#include <singdiv/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Computes the Rényi divergence of order alpha,
 *     D_alpha(p || q) = log(sum x_i^alpha y_i^(1 - alpha)) / (alpha - 1) >= 0,
 * non-decreasing in alpha.
 * alpha: > 0. alpha == 1 gives KL(p || q) (the limit, computed by
 * singdiv_kl()) and alpha == +inf gives singdiv_renyi_max(); NaN and
 * alpha <= 0 are SINGDIV_ERR_DOMAIN.
 * Singular structure: for alpha < 1 the value is +inf exactly when the
 * supports are disjoint (no i with p_i > 0 and q_i > 0); for alpha > 1 it is
 * +inf exactly when V is non-empty. finite_part is then
 * log(sum over the common support) / (alpha - 1): for alpha > 1 with V
 * non-empty the divergence with the V terms left out (it can be negative,
 * and is -inf when the supports are also disjoint); for alpha < 1 with
 * disjoint supports +inf.
 * The accuracy bound also applies near alpha = 1 (the references include
 * alpha = 1 - 1e-6 and 1 + 1e-7) and for near-identical p and q, where the
 * value is about alpha/2 times the Pearson chi-square.
 * NOTE: when alpha < 1 and one entry's ratio x_i / y_i exceeds e^709 while
 * the total sum stays near 1, the log-sum-exp fallback keeps only an
 * absolute accuracy of a few ulp of the largest log-term.
 */
SINGDIV_EXPORT singdiv_status
singdiv_renyi(const double *p, const double *q, size_t n, double alpha,
              const singdiv_options *opt, singdiv_report *out);

/*
 * Computes the Rényi divergence of order infinity (max-divergence),
 * D_inf(p || q) = log max over S(p) of x_i / y_i >= 0, the limit of
 * singdiv_renyi() as alpha -> +inf. +inf exactly when V is non-empty;
 * finite_part is then the logarithm of the largest ratio over the common
 * support (-inf when the supports are disjoint).
 */
SINGDIV_EXPORT singdiv_status
singdiv_renyi_max(const double *p, const double *q, size_t n,
                  const singdiv_options *opt, singdiv_report *out);

/*
 * Computes the Pearson chi-square divergence sum (x_i - y_i)^2 / y_i >= 0
 * (q in the denominator). +inf exactly when V is non-empty; finite_part is
 * then the sum over the entries with q_i > 0. Terms on F add y_i.
 * Under smoothing q_eps = (1 - eps) q + eps / n, the value grows like
 * (n sum over V of x_i^2) / eps: a power of 1/eps, not a logarithm.
 */
SINGDIV_EXPORT singdiv_status
singdiv_pearson_chi2(const double *p, const double *q, size_t n,
                     const singdiv_options *opt, singdiv_report *out);

/*
 * Computes the Neyman chi-square divergence sum (x_i - y_i)^2 / x_i >= 0
 * (p in the denominator), the Pearson chi-square with p and q exchanged.
 * +inf exactly when F is non-empty; finite_part is then the sum over the
 * entries with p_i > 0. Smoothing q does not repair it: q_eps is positive
 * wherever p is zero.
 */
SINGDIV_EXPORT singdiv_status
singdiv_neyman_chi2(const double *p, const double *q, size_t n,
                    const singdiv_options *opt, singdiv_report *out);

/*
 * Computes the Jeffreys divergence J(p, q) = KL(p || q) + KL(q || p)
 * = sum (x_i - y_i) log(x_i / y_i) >= 0, symmetric in p and q.
 * +inf when V or F is non-empty: KL(p || q) is infinite on V and
 * KL(q || p) on F, and one infinite half makes the sum infinite, so with
 * only F non-empty the value is +inf as well. finite_part is the sum over
 * the common support {p_i > 0, q_i > 0} in every case, so J(p, q) and
 * J(q, p) give the same value and finite_part with the two sets exchanged.
 * singdiv_report_compare() orders by violating_mass only and does not fit
 * this symmetric singularity; singdiv_singularity_map() gives its rate.
 */
SINGDIV_EXPORT singdiv_status
singdiv_jeffreys(const double *p, const double *q, size_t n,
                 const singdiv_options *opt, singdiv_report *out);

/*
 * Computes the population stability index used by drift monitors,
 * PSI = sum (x_i - y_i) log(x_i / y_i), with p the current and q the
 * reference distribution. It is the Jeffreys divergence: adding
 * x log(x/y) and y log(y/x) gives (x - y) log(x/y) term by term. The
 * result and report are those of singdiv_jeffreys(), bit for bit.
 * An empty bin on either side makes PSI +inf. This function does not
 * replace zeros by a small constant, because that constant would then
 * decide the score.
 */
SINGDIV_EXPORT singdiv_status
singdiv_psi(const double *p, const double *q, size_t n,
            const singdiv_options *opt, singdiv_report *out);

/*
 * Computes the total variation distance 1/2 sum |x_i - y_i| in [0, 1], a
 * metric; exactly 1 when the supports are disjoint.
 */
SINGDIV_EXPORT singdiv_status
singdiv_total_variation(const double *p, const double *q, size_t n,
                        const singdiv_options *opt, singdiv_report *out);

/*
 * Computes the Hellinger distance H = sqrt(1/2 sum (sqrt x_i - sqrt y_i)^2)
 * = sqrt(1 - BC) in [0, 1], a metric; exactly 1 when the supports are
 * disjoint. With this convention (the factor 1/2 inside),
 *     H^2 <= TV <= sqrt(1 - BC^2) = H sqrt(2 - H^2) <= sqrt(2) H.
 * The square is summed as (x - y)^2 / (sqrt x + sqrt y)^2, so it does not
 * cancel for near-identical inputs.
 */
SINGDIV_EXPORT singdiv_status
singdiv_hellinger(const double *p, const double *q, size_t n,
                  const singdiv_options *opt, singdiv_report *out);

/* Computes the squared Hellinger distance H^2 = 1 - BC in [0, 1], as singdiv_hellinger(). */
SINGDIV_EXPORT singdiv_status
singdiv_hellinger_squared(const double *p, const double *q, size_t n,
                          const singdiv_options *opt, singdiv_report *out);

/*
 * Computes the Bhattacharyya coefficient BC = sum sqrt(x_i y_i) in [0, 1],
 * a similarity: 1 for identical distributions, exactly 0 for disjoint
 * supports. Near 1 it is formed as 1 - H^2. The Bhattacharyya distance
 * -log BC, infinite at disjoint supports, is singdiv_renyi() of order 1/2
 * divided by 2.
 */
SINGDIV_EXPORT singdiv_status
singdiv_bhattacharyya_coefficient(const double *p, const double *q, size_t n,
                                  const singdiv_options *opt, singdiv_report *out);

/*
 * Computes the Bhattacharyya angle arccos(BC) in [0, pi/2], a metric. It is
 * the geodesic distance between sqrt(x) and sqrt(y) on the unit sphere
 * (half the Fisher-Rao distance). For disjoint supports it is pi/2 rounded
 * to nearest, like the angle between two orthogonal unit vectors. Near BC = 1 it
 * is computed as 2 asin(H / sqrt(2)), which keeps its relative accuracy
 * where arccos would lose half the digits.
 */
SINGDIV_EXPORT singdiv_status
singdiv_bhattacharyya_angle(const double *p, const double *q, size_t n,
                            const singdiv_options *opt, singdiv_report *out);

/*
 * Computes the skewed Jensen-Shannon divergence with weight pi,
 *     JS_pi(p, q) = pi KL(x || m) + (1 - pi) KL(y || m),  m = pi x + (1 - pi) y,
 * always finite, in [0, h(pi)] with h(pi) = -pi log pi - (1 - pi) log(1 - pi),
 * and equal to h(pi) exactly when the supports are disjoint.
 * JS_pi(p, q) = JS_(1 - pi)(q, p), and pi = 1/2 gives singdiv_js() (to
 * within 2 ulp). pi: 0 < pi < 1, else SINGDIV_ERR_DOMAIN.
 */
SINGDIV_EXPORT singdiv_status
singdiv_skew_js(const double *p, const double *q, size_t n, double pi,
                const singdiv_options *opt, singdiv_report *out);

#ifdef __cplusplus
}
#endif

#endif /* SINGDIV_FAMILY_H */
