/*
 * libsingdiv: the singularity map. For every divergence in the library and
 * a pair (p, q), it reports whether the value is finite, which set makes
 * it infinite, and how fast the value grows when the zeros are smoothed
 * away by mixing with the uniform distribution u = 1/n:
 *     q_eps = (1 - eps) q + eps u     (SINGDIV_SMOOTH_Q, the model only), or
 *     p_eps = (1 - eps) p + eps u and q_eps as above (SINGDIV_SMOOTH_BOTH).
 * docs/singularity-map.md tabulates the same facts with their derivations.
 */
#ifndef SINGDIV_SINGULARITY_H
#define SINGDIV_SINGULARITY_H

#include <stddef.h>

#include <singdiv/common.h>
#include <singdiv/options.h>
#include <singdiv/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Identifiers of the divergences between two discrete distributions. The
 * numbers are part of the ABI and new identifiers are added at the end.
 * The entropy is not listed because it takes one distribution.
 */
typedef enum singdiv_divergence {
    SINGDIV_DIVERGENCE_CROSS_ENTROPY = 0,            /* singdiv_cross_entropy() */
    SINGDIV_DIVERGENCE_KL = 1,                       /* singdiv_kl() */
    SINGDIV_DIVERGENCE_JS = 2,                       /* singdiv_js() */
    SINGDIV_DIVERGENCE_JS_DISTANCE = 3,              /* singdiv_js_distance() */
    SINGDIV_DIVERGENCE_W1 = 4,                       /* Wasserstein-1 on the real line */
    SINGDIV_DIVERGENCE_MMD = 5,                      /* maximum mean discrepancy */
    SINGDIV_DIVERGENCE_RENYI = 6,                    /* singdiv_renyi(), order alpha */
    SINGDIV_DIVERGENCE_RENYI_MAX = 7,                /* singdiv_renyi_max() */
    SINGDIV_DIVERGENCE_PEARSON_CHI2 = 8,             /* singdiv_pearson_chi2() */
    SINGDIV_DIVERGENCE_NEYMAN_CHI2 = 9,              /* singdiv_neyman_chi2() */
    SINGDIV_DIVERGENCE_JEFFREYS = 10,                /* singdiv_jeffreys() */
    SINGDIV_DIVERGENCE_PSI = 11,                     /* singdiv_psi() */
    SINGDIV_DIVERGENCE_TOTAL_VARIATION = 12,         /* singdiv_total_variation() */
    SINGDIV_DIVERGENCE_HELLINGER = 13,               /* singdiv_hellinger() */
    SINGDIV_DIVERGENCE_HELLINGER_SQUARED = 14,       /* singdiv_hellinger_squared() */
    SINGDIV_DIVERGENCE_BHATTACHARYYA_COEFFICIENT = 15, /* singdiv_bhattacharyya_coefficient() */
    SINGDIV_DIVERGENCE_BHATTACHARYYA_ANGLE = 16,     /* singdiv_bhattacharyya_angle() */
    SINGDIV_DIVERGENCE_SKEW_JS = 17                  /* singdiv_skew_js(), weight pi */
} singdiv_divergence;

/* One past the largest divergence identifier. */
#define SINGDIV_DIVERGENCE_COUNT 18

/* The set whose presence makes a divergence infinite. */
typedef enum singdiv_singular_cause {
    SINGDIV_CAUSE_NONE = 0,      /* the value is finite */
    SINGDIV_CAUSE_VIOLATING = 1, /* V = {p > 0, q = 0} is non-empty */
    SINGDIV_CAUSE_REVERSE = 2,   /* F = {q > 0, p = 0} is non-empty */
    SINGDIV_CAUSE_BOTH = 3,      /* V and F are both non-empty */
    SINGDIV_CAUSE_DISJOINT = 4   /* no i has p_i > 0 and q_i > 0 */
} singdiv_singular_cause;

/* How the smoothed value grows as eps -> 0 when the unsmoothed value is infinite. */
typedef enum singdiv_growth {
    SINGDIV_GROWTH_NONE = 0,      /* the value is finite; rate is 0 */
    SINGDIV_GROWTH_LOG = 1,       /* value = rate * log(1/eps) + O(1), in the report's base */
    SINGDIV_GROWTH_INVERSE = 2,   /* value = rate / eps + O(1) */
    SINGDIV_GROWTH_UNREPAIRED = 3 /* +inf for every eps in (0, 1); rate is +inf */
} singdiv_growth;

/* Which distributions are mixed with the uniform distribution. */
typedef enum singdiv_smoothing {
    SINGDIV_SMOOTH_Q = 0,   /* the model q only, as in additive smoothing of a model */
    SINGDIV_SMOOTH_BOTH = 1 /* p and q with the same eps, as drift monitors do for PSI */
} singdiv_smoothing;

/*
 * The singular structure of one divergence at one pair (p, q).
 *
 * finite:          1 when the divergence of (p, q) is finite, else 0.
 * cause:           which set makes it infinite (SINGDIV_CAUSE_NONE if finite).
 * growth, rate:    the leading behaviour of the divergence of the smoothed
 *                  pair as eps -> 0 (see singdiv_growth); for logarithmic
 *                  growth, rate is the coefficient of log(1/eps) in nats
 *                  divided by log(opt->base).
 * violating_mass, violating_count, reverse_mass, reverse_count: as in
 *                  singdiv_report.
 * error:           on failure, what was rejected.
 * On failure the numbers are NaN, the counts 0 and the enums NONE.
 */
typedef struct singdiv_singularity {
    int finite;
    singdiv_singular_cause cause;
    singdiv_growth growth;
    double rate;
    double violating_mass;
    size_t violating_count;
    double reverse_mass;
    size_t reverse_count;
    singdiv_error error;
} singdiv_singularity;

/*
 * Fills *out with the singular structure of `divergence` at (p, q).
 *
 * order: alpha for SINGDIV_DIVERGENCE_RENYI (> 0, +inf allowed, 1 means
 * KL), pi for SINGDIV_DIVERGENCE_SKEW_JS (0 < pi < 1); ignored otherwise.
 * p, q, n, opt: validated as by the divergences (singdiv/discrete.h); for
 * W1 and MMD they are the weights of two distributions on the same n
 * points. opt->base scales logarithmic rates.
 *
 * The map, with x = p / sum(p), y = q / sum(q), m_V = mass of x on V,
 * q(F) = mass of y on F:
 * - cross-entropy, KL, Rényi of order 1: infinite iff V is non-empty;
 *   logarithmic, rate m_V (either smoothing).
 * - Rényi of order alpha > 1 and +inf: infinite iff V is non-empty;
 *   logarithmic, rate 1 (either smoothing): the V terms of
 *   sum x^alpha q_eps^(1 - alpha) grow like eps^(1 - alpha).
 * - Rényi of order alpha < 1: infinite iff the supports are disjoint;
 *   logarithmic, rate 1 when smoothing q, and min(alpha, 1 - alpha) /
 *   (1 - alpha) when smoothing both (the terms on the support of q then
 *   grow like eps^alpha).
 * - Pearson chi-square: infinite iff V is non-empty; grows like
 *   rate / eps with rate = n * sum over V of x_i^2 (either smoothing).
 * - Neyman chi-square: infinite iff F is non-empty; smoothing q never
 *   repairs it (SINGDIV_GROWTH_UNREPAIRED); smoothing both gives
 *   rate / eps with rate = n * sum over F of y_i^2.
 * - Jeffreys and PSI: infinite iff V or F is non-empty. Smoothing q:
 *   unrepaired if p has a zero entry (q_eps > 0 there), else logarithmic
 *   with rate m_V. Smoothing both: logarithmic, rate m_V + q(F).
 * - JS, JS distance, skewed JS, W1, MMD, total variation, Hellinger,
 *   squared Hellinger, Bhattacharyya coefficient and angle: always finite.
 * growth and rate describe infinite values only. Smoothing q can itself
 * make a finite Neyman chi-square, Jeffreys or PSI infinite, because q_eps
 * is positive wherever p is zero; the map then still reports the pair as
 * finite with SINGDIV_GROWTH_NONE.
 *
 * Returns SINGDIV_OK, or: SINGDIV_ERR_NULL (out NULL: nothing written);
 * SINGDIV_ERR_DOMAIN for an unknown divergence (error.argument
 * "divergence") or smoothing ("smoothing"), or an order outside its domain
 * ("order"); and the input errors of singdiv/discrete.h, in its order,
 * which are checked after the divergence and smoothing but before the order.
 * Cost: O(n), no allocation.
 */
SINGDIV_EXPORT singdiv_status
singdiv_singularity_map(singdiv_divergence divergence, const double *p, const double *q,
                        size_t n, double order, singdiv_smoothing smoothing,
                        const singdiv_options *opt, singdiv_singularity *out);

/*
 * Returns the lower-case name of a divergence, for example "kl" or
 * "pearson_chi2", or NULL for a number that is no identifier. The string
 * is static.
 */
SINGDIV_EXPORT const char *
singdiv_divergence_name(singdiv_divergence divergence);

#ifdef __cplusplus
}
#endif

#endif /* SINGDIV_SINGULARITY_H */
