/*
 * Additive (Lidstone) smoothing of counts, q_i = (c_i + alpha) / (N + n alpha),
 * evaluated as the mixture of c / N with the uniform distribution and
 * eps = n alpha / (N + n alpha). The expansion in alpha follows from the
 * mixture expansion; the derivation is in include/singdiv/smoothing.h.
 */
#include "smoothing_core.h"

/* Returns SINGDIV_ERR_DOMAIN (argument "alpha") unless alpha is finite and > 0. */
static singdiv_status
check_alpha(double alpha, singdiv_error *err)
{
    if (!(isfinite(alpha) && alpha > 0.0)) {
        return singdiv__fail(err, SINGDIV_ERR_DOMAIN, "alpha", SINGDIV_NO_INDEX, alpha);
    }
    return SINGDIV_OK;
}

/*
 * Sets eps = A / (N + A) with A = n alpha as a double-double, and
 * log(eps) = -log1p(N / A), log(1 - eps) = -log1p(A / N), which stay
 * accurate when eps underflows or 1 - eps rounds to 1.
 */
static void
set_lidstone_eps(singdiv__mixture *m, double alpha)
{
    singdiv__dd pseudo = singdiv__two_prod((double)m->n, alpha);
    singdiv__dd total = singdiv__two_sum(m->q_sum.hi, pseudo.hi);
    double counts_per_pseudo = m->q_sum.hi / pseudo.hi;
    double pseudo_per_counts = pseudo.hi / m->q_sum.hi;
    double eps_hi;
    double eps_lo;
    double log_eps;
    double log1m_eps;

    if (!isfinite(pseudo.hi) || !isfinite(total.hi)) {
        /*
         * n alpha or N + n alpha overflows: with t = (N / n) / alpha,
         * eps = 1 / (1 + t) and 1 - eps = t / (1 + t), each a ratio of
         * terms that stay finite.
         */
        double t = (m->q_sum.hi / (double)m->n) / alpha;

        singdiv__mixture_set_eps(m, 1.0 / (1.0 + t), 0.0, -log1p(t), log(t) - log1p(t));
        /* 1 - eps = t / (1 + t), which stays positive when eps rounds to 1. */
        m->one_minus_eps = t / (1.0 + t);
        return;
    }
    total.lo += m->q_sum.lo + pseudo.lo;
    total = singdiv__two_sum(total.hi, total.lo);
    eps_hi = pseudo.hi / total.hi;
    /* The remainder pseudo - eps_hi total, divided by the total, is the low part. */
    eps_lo = (fma(-eps_hi, total.hi, pseudo.hi) - eps_hi * total.lo + pseudo.lo) / total.hi;

    if (isfinite(counts_per_pseudo)) {
        log_eps = -log1p(counts_per_pseudo);
    } else {
        log_eps = log(pseudo.hi) - log(m->q_sum.hi);
    }
    if (isfinite(pseudo_per_counts)) {
        log1m_eps = -log1p(pseudo_per_counts);
    } else {
        log1m_eps = log(m->q_sum.hi) - log(pseudo.hi);
    }
    singdiv__mixture_set_eps(m, eps_hi, eps_lo, log_eps, log1m_eps);
    if (eps_hi > 0.5) {
        /*
         * 1 - eps = N / (N + A) directly: when A dwarfs N, eps_lo loses N
         * to the rounding error of n alpha, and 1 - eps formed from eps
         * would be 0.
         */
        m->one_minus_eps = m->q_sum.hi / total.hi;
    }
}

/* Validates the arguments of a Lidstone function and prepares the mixture. */
static singdiv_status
prepare_lidstone(const double *p, const double *c, size_t n, double alpha,
                 const singdiv_options *opt, singdiv_error *err, singdiv__mixture *m)
{
    singdiv_status status;

    status = singdiv__mixture_prepare(p, c, NULL, n, opt, 1, "c", "r", err, m);
    if (status != SINGDIV_OK) {
        return status;
    }
    status = check_alpha(alpha, err);
    if (status != SINGDIV_OK) {
        return status;
    }
    set_lidstone_eps(m, alpha);
    return SINGDIV_OK;
}

/* Computes the Lidstone CE (kl == 0) or KL into *out. */
static singdiv_status
lidstone_value(const double *p, const double *c, size_t n, double alpha,
               const singdiv_options *opt, int kl, singdiv_report *out)
{
    singdiv__mixture m;
    singdiv__smoothed_sums s;
    singdiv_status status;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    singdiv__smoothing_report_reset(out);
    status = prepare_lidstone(p, c, n, alpha, opt, &out->error, &m);
    if (status != SINGDIV_OK) {
        return status;
    }

    s = singdiv__mixture_sums(&m, kl ? SINGDIV__SUM_KL : SINGDIV__SUM_CE);

    singdiv__mixture_report(&m, &s, kl, out);
    return SINGDIV_OK;
}

singdiv_status
singdiv_lidstone_cross_entropy(const double *p, const double *c, size_t n, double alpha,
                               const singdiv_options *opt, singdiv_report *out)
{
    return lidstone_value(p, c, n, alpha, opt, 0, out);
}

singdiv_status
singdiv_lidstone_kl(const double *p, const double *c, size_t n, double alpha,
                    const singdiv_options *opt, singdiv_report *out)
{
    return lidstone_value(p, c, n, alpha, opt, 1, out);
}

singdiv_status
singdiv_lidstone_slope(const double *p, const double *c, size_t n, double alpha,
                       const singdiv_options *opt, double *slope)
{
    singdiv__mixture m;
    singdiv__smoothed_sums s;
    singdiv_status status;

    if (slope == NULL) {
        return SINGDIV_ERR_NULL;
    }
    *slope = (double)NAN;
    status = prepare_lidstone(p, c, n, alpha, opt, NULL, &m);
    if (status != SINGDIV_OK) {
        return status;
    }

    s = singdiv__mixture_sums(&m, SINGDIV__SUM_SLOPE);

    /* dlog(eps) / dlog(alpha) = 1 - eps. */
    *slope = m.one_minus_eps * singdiv__sum_value(&s.slope);
    return SINGDIV_OK;
}

singdiv_status
singdiv_lidstone_expansion(const double *p, const double *c, size_t n,
                           singdiv_smoothed_divergence divergence,
                           const singdiv_options *opt, singdiv_expansion *out)
{
    singdiv__mixture m;
    singdiv__expansion_sums s;
    singdiv_status status;
    double counts;
    double log_counts;
    double finite;
    double per_count;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    singdiv__expansion_reset(out);
    status = singdiv__mixture_prepare(p, c, NULL, n, opt, 1, "c", "r", NULL, &m);
    if (status != SINGDIV_OK) {
        return status;
    }
    if (divergence != SINGDIV_SMOOTHED_CROSS_ENTROPY && divergence != SINGDIV_SMOOTHED_KL) {
        return SINGDIV_ERR_DOMAIN;
    }

    s = singdiv__mixture_expansion_sums(&m);

    counts = m.q_sum.hi + m.q_sum.lo;
    log_counts = log(m.q_sum.hi) + m.q_sum.lo / m.q_sum.hi;
    per_count = (double)n / counts;
    if (divergence == SINGDIV_SMOOTHED_KL) {
        finite = s.violating_mass * log_counts + (s.covered_kl + s.violating_log_p);
    } else {
        finite = s.violating_mass * log_counts + s.covered_ce;
    }
    out->slope = s.violating_mass;
    out->finite_part = singdiv__in_base(finite, &m.options);
    /* D_L = (n / N)(m_V + D) and E_L = (n / N)^2 (sum x (rr / y)^2 / 2 - 1 / 2), rr = 1 / n. */
    out->first_order = singdiv__in_base(per_count * (s.violating_mass + s.first_order), &m.options);
    out->second_order = singdiv__in_base(per_count * per_count * (s.inverse_square - 0.5),
                                         &m.options);
    out->threshold = fmin(counts / (double)n, s.min_covered_q * counts);
    out->violating_mass = s.violating_mass;
    out->violating_count = s.violating_count;
    out->uncovered_mass = 0.0;
    out->uncovered_count = 0;
    return SINGDIV_OK;
}
