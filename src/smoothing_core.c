/*
 * Entry-by-entry evaluation of the mixture q_eps = (1 - eps) q + eps r:
 * its logarithm, its gap to p and the terms of CE, KL and the slope.
 *
 * The double-double helpers below (product, difference) are local to this
 * file: internal.h has the error-free transformations but no double-double
 * product, and three-way products P Q R need one.
 */
#include <float.h>

#include "smoothing_core.h"

/* Returns hi + lo renormalised so that |lo| <= ulp(hi) / 2; needs |hi| >= |lo|. */
static singdiv__dd
dd_renormalize(double hi, double lo)
{
    singdiv__dd r;

    r.hi = hi + lo;
    r.lo = lo - (r.hi - hi);
    return r;
}

/* Returns a * b for a double-double a and a double b, to about 2^-104 relative. */
static singdiv__dd
dd_mul_double(singdiv__dd a, double b)
{
    singdiv__dd t = singdiv__two_prod(a.hi, b);

    return dd_renormalize(t.hi, fma(a.lo, b, t.lo));
}

/* Returns a * b for two double-doubles, to about 2^-104 relative. */
static singdiv__dd
dd_mul(singdiv__dd a, singdiv__dd b)
{
    singdiv__dd t = singdiv__two_prod(a.hi, b.hi);

    return dd_renormalize(t.hi, t.lo + (a.hi * b.lo + a.lo * b.hi));
}

/* Returns a - b for two double-doubles; exact up to one rounding of the low parts. */
static singdiv__dd
dd_sub(singdiv__dd a, singdiv__dd b)
{
    singdiv__dd t = singdiv__two_sum(a.hi, -b.hi);

    return dd_renormalize(t.hi, t.lo + (a.lo - b.lo));
}

/* Returns a + b for two double-doubles. */
static singdiv__dd
dd_add(singdiv__dd a, singdiv__dd b)
{
    singdiv__dd t = singdiv__two_sum(a.hi, b.hi);

    return dd_renormalize(t.hi, t.lo + (a.lo + b.lo));
}

singdiv_status
singdiv__mixture_prepare(const double *p, const double *q, const double *r, size_t n,
                         const singdiv_options *opt, int q_counts, const char *q_name,
                         const char *r_name, singdiv_error *err, singdiv__mixture *m)
{
    singdiv_options q_options;
    singdiv__dd p_sum;
    singdiv__dd r_sum = { (double)n, 0.0 };
    singdiv_status status;

    status = singdiv__resolve_options(opt, &m->options, err);
    if (status != SINGDIV_OK) {
        return status;
    }
    status = singdiv__check_distribution(p, n, &m->options, "p", err, &p_sum);
    if (status != SINGDIV_OK) {
        return status;
    }
    q_options = m->options;
    if (q_counts) {
        q_options.normalize = 1;
    }
    status = singdiv__check_distribution(q, n, &q_options, q_name, err, &m->q_sum);
    if (status != SINGDIV_OK) {
        return status;
    }
    if (r != NULL) {
        status = singdiv__check_distribution(r, n, &m->options, r_name, err, &r_sum);
        if (status != SINGDIV_OK) {
            return status;
        }
    }

    m->p = p;
    m->q = q;
    m->r = r;
    m->n = n;
    m->p_scaled = singdiv__scale_for(p_sum);
    m->q_scaled = singdiv__scale_for(m->q_sum);
    m->r_scaled = singdiv__scale_for(r_sum);
    m->qr = dd_mul(m->q_scaled.total, m->r_scaled.total);
    m->pr = dd_mul(m->p_scaled.total, m->r_scaled.total);
    m->pq = dd_mul(m->p_scaled.total, m->q_scaled.total);
    m->pqr = dd_mul(m->pq, m->r_scaled.total);
    m->inverse_p = 1.0 / m->p_scaled.total.hi;
    m->inverse_q = 1.0 / m->q_scaled.total.hi;
    m->inverse_r = 1.0 / m->r_scaled.total.hi;
    return SINGDIV_OK;
}

void
singdiv__mixture_set_eps(singdiv__mixture *m, double eps_hi, double eps_lo, double log_eps,
                         double log1m_eps)
{
    m->eps = eps_hi;
    m->eps_lo = eps_lo;
    /* 1 - eps_hi is exact for eps_hi >= 1/2 (Sterbenz), else one rounding. */
    m->one_minus_eps = (1.0 - eps_hi) - eps_lo;
    m->log_eps = log_eps;
    m->log1m_eps = log1m_eps;
}

void
singdiv__mixture_set_eps_double(singdiv__mixture *m, double eps)
{
    singdiv__mixture_set_eps(m, eps, 0.0, log(eps), log1p(-eps));
}

singdiv__entry
singdiv__mixture_entry(const singdiv__mixture *m, size_t i)
{
    singdiv__entry e;
    double ri = m->r != NULL ? m->r[i] : 1.0;

    e.p_raw = m->p[i];
    e.q_raw = m->q[i];
    e.r_raw = ri;
    e.ps = m->p[i] * m->p_scaled.scale;
    e.qs = m->q[i] * m->q_scaled.scale;
    e.rs = ri * m->r_scaled.scale;
    e.x = e.ps * m->inverse_p;
    e.y = e.qs * m->inverse_q;
    e.rr = e.rs * m->inverse_r;
    e.xu = dd_mul_double(m->qr, e.ps);
    e.yu = dd_mul_double(m->pr, e.qs);
    e.ru = dd_mul_double(m->pq, e.rs);

    if (m->p[i] > 0.0) {
        if (m->q[i] > 0.0) {
            e.kind = SINGDIV__COVERED;
        } else {
            e.kind = ri > 0.0 ? SINGDIV__VIOLATING : SINGDIV__UNCOVERED;
        }
    } else {
        e.kind = (m->q[i] > 0.0 || ri > 0.0) ? SINGDIV__REVERSE : SINGDIV__EMPTY;
    }
    return e;
}

double
singdiv__mixture_per_unit(const singdiv__mixture *m, singdiv__dd d)
{
    double quotient = d.hi / m->pqr.hi;
    double residual = fma(-quotient, m->pqr.hi, d.hi) - quotient * m->pqr.lo + d.lo;

    return quotient + residual / m->pqr.hi;
}

/* Returns log q_eps,i for q_i > 0 and q_eps,i >= 1/2, from 1 - q_eps,i without cancellation. */
static double
log_near_one(const singdiv__mixture *m, const singdiv__entry *e)
{
    /* 1 - q_eps = (1 - eps)(1 - y) + eps (1 - rr): two non-negative terms. */
    double one_minus_y = ((m->q_scaled.total.hi - e->qs) + m->q_scaled.total.lo) * m->inverse_q;
    double one_minus_r = ((m->r_scaled.total.hi - e->rs) + m->r_scaled.total.lo) * m->inverse_r;
    double gap = fma(-m->eps, one_minus_y, one_minus_y) + m->eps * one_minus_r;

    return log1p(-gap);
}

/* Returns log y_i = log(q_i / Q), also where the scaled q_i underflows. */
static double
log_y(const singdiv__mixture *m, const singdiv__entry *e)
{
    return singdiv__log_share_of(e->q_raw, &m->q_scaled, m->inverse_q);
}

/* Returns log rr_i = log(r_i / R), also where the scaled r_i underflows. */
static double
log_rr(const singdiv__mixture *m, const singdiv__entry *e)
{
    return singdiv__log_share_of(e->r_raw, &m->r_scaled, m->inverse_r);
}

/*
 * Returns log q_eps,i like singdiv__mixture_log() where the scaled q_i is
 * below DBL_MIN or rr / y overflows: there eps rr / y can be inf, or NaN
 * with an eps that underflowed to 0. The weight w = eps rr / ((1 - eps) y)
 * is then formed as a logarithm from log(eps) and the logarithms of the
 * raw entries, which stay finite.
 */
static double
log_mixture_wide(const singdiv__mixture *m, const singdiv__entry *e)
{
    double log_q = log_y(m, e);
    double log_r = log_rr(m, e);
    double log_weight = (m->log_eps - m->log1m_eps) + (log_r - log_q);

    if (log_weight <= 0.0) {
        return log_q + (m->log1m_eps + log1p(exp(log_weight)));
    }
    return m->log_eps + log_r + log1p(exp(-log_weight));
}

double
singdiv__mixture_log(const singdiv__mixture *m, const singdiv__entry *e)
{
    double ratio;
    double weight;

    if (e->kind == SINGDIV__UNCOVERED || e->kind == SINGDIV__EMPTY) {
        return -HUGE_VAL;
    }
    if (e->q_raw == 0.0) {
        /* q_eps = eps r exactly: two non-positive logarithms add without cancellation. */
        return m->log_eps + log_rr(m, e);
    }
    if (e->r_raw == 0.0) {
        /* q_eps = (1 - eps) y exactly. */
        return m->log1m_eps + log_y(m, e);
    }
    if (m->one_minus_eps * e->y + m->eps * e->rr >= 0.5) {
        return log_near_one(m, e);
    }

    /*
     * q_eps = (1 - eps) y (1 + w) with w = eps rr / ((1 - eps) y) when w <= 1,
     * else eps rr (1 + 1 / w). Below 1/2 the logarithm of the larger part
     * dominates the log1p term, so the sum loses at most a factor 2.
     */
    ratio = e->ru.hi / e->yu.hi;
    if (e->qs < DBL_MIN || isinf(ratio)) {
        return log_mixture_wide(m, e);
    }
    weight = m->eps * ratio;
    if (weight <= m->one_minus_eps) {
        return singdiv__log_share(e->qs, m->q_scaled.total, m->inverse_q)
               + (m->log1m_eps + log1p(weight / m->one_minus_eps));
    }
    return m->log_eps + log_rr(m, e) + log1p(m->one_minus_eps / weight);
}

double
singdiv__mixture_value(const singdiv__mixture *m, const singdiv__entry *e)
{
    return fma(m->one_minus_eps, e->y, (m->eps + m->eps_lo) * e->rr);
}

double
singdiv__mixture_gap(const singdiv__mixture *m, const singdiv__entry *e)
{
    singdiv__dd eps = { m->eps, m->eps_lo };
    singdiv__dd d = dd_add(dd_sub(e->xu, e->yu), dd_mul(eps, dd_sub(e->yu, e->ru)));

    return singdiv__mixture_per_unit(m, d);
}

/* Returns log(x / q_eps,i) for x > 0 and q_eps,i > 0, also where the ratio over- or underflows. */
static double
log_ratio_smoothed(const singdiv__mixture *m, const singdiv__entry *e, double smoothed)
{
    double ratio = e->x / smoothed;

    if (smoothed >= DBL_MIN && ratio >= DBL_MIN && ratio <= DBL_MAX) {
        return log(ratio);
    }
    return singdiv__log_share_of(e->p_raw, &m->p_scaled, m->inverse_p)
           - singdiv__mixture_log(m, e);
}

double
singdiv__mixture_deviance(const singdiv__mixture *m, const singdiv__entry *e)
{
    double smoothed;
    double gap;
    double sum;
    double v;

    switch (e->kind) {
    case SINGDIV__UNCOVERED:
        return HUGE_VAL;
    case SINGDIV__EMPTY:
        return 0.0;
    case SINGDIV__REVERSE:
        return singdiv__mixture_value(m, e);
    default:
        break;
    }

    smoothed = singdiv__mixture_value(m, e);
    gap = singdiv__mixture_gap(m, e);
    if (e->x == 0.0) {
        /* p_i > 0 but x underflowed to 0: x log(x / q_eps) - gap tends to -gap. */
        return -gap;
    }
    sum = e->x + smoothed;
    v = gap / sum;
    if (fabs(v) <= 0.5) {
        return sum * singdiv__deviance_series(v);
    }
    /* |v| > 1/2: the ratio is at least 3 or at most 1/3, so this loses at most a factor 2.5. */
    return e->x * log_ratio_smoothed(m, e, smoothed) - gap;
}

/*
 * Returns the slope factor eps (rr - y) / q_eps for q_i, r_i > 0 where y or
 * rr is too small in the units of U to divide by. With the weight
 * w = eps rr / ((1 - eps) y), taken from the logarithms of the raw
 * entries, the factor is (w - eps / (1 - eps)) / (1 + w).
 */
static double
slope_factor_wide(const singdiv__mixture *m, const singdiv__entry *e)
{
    double log_weight = (m->log_eps - m->log1m_eps) + (log_rr(m, e) - log_y(m, e));
    double c = m->eps / m->one_minus_eps;

    if (log_weight <= 0.0) {
        double w = exp(log_weight);

        return (w - c) / (1.0 + w);
    }
    /* w > 1: divide through by w. */
    return (1.0 - c * exp(-log_weight)) / (1.0 + exp(-log_weight));
}

double
singdiv__mixture_slope_term(const singdiv__mixture *m, const singdiv__entry *e)
{
    double gap;
    double difference;
    double factor;

    if (e->kind == SINGDIV__UNCOVERED) {
        return HUGE_VAL;
    }
    if (e->kind == SINGDIV__EMPTY) {
        return 0.0;
    }
    gap = singdiv__mixture_gap(m, e);
    if (e->q_raw == 0.0) {
        /* eps (rr - 0) / (eps rr) = 1. */
        return gap;
    }
    if (e->r_raw == 0.0) {
        /* eps (0 - y) / ((1 - eps) y). */
        return gap * (-m->eps / m->one_minus_eps);
    }
    if (!(e->yu.hi >= DBL_MIN && e->ru.hi >= DBL_MIN)) {
        return gap * slope_factor_wide(m, e);
    }

    /*
     * factor = eps (rr - y) / q_eps, in [-eps / (1 - eps), 1]; dividing by
     * the larger of y and rr keeps every intermediate in range.
     */
    difference = e->ru.hi - e->yu.hi + (e->ru.lo - e->yu.lo);
    if (e->yu.hi >= e->ru.hi) {
        factor = m->eps * (difference / e->yu.hi)
                 / (m->one_minus_eps + m->eps * (e->ru.hi / e->yu.hi));
    } else {
        double quotient = e->yu.hi / e->ru.hi;
        double inverse_weight = m->one_minus_eps * quotient / m->eps;

        if (!(quotient >= DBL_MIN && m->eps >= DBL_MIN)) {
            /* y / rr or eps is subnormal or 0: take (1 - eps) y / (eps rr) from logarithms. */
            inverse_weight = exp((m->log1m_eps - m->log_eps) + (log(e->yu.hi) - log(e->ru.hi)));
        }
        factor = (difference / e->ru.hi) / (inverse_weight + 1.0);
    }
    return gap * factor;
}
