/*
 * The small-eps expansion of the smoothed cross-entropy and KL:
 * CE(p, q_eps) = m_V log(1/eps) + C + eps D + eps^2 E + O(eps^3).
 *
 * D = sum_{S \ V} x (1 - rr / y) is summed in the form
 *     D = sum_{S \ V} (x - y) (y - rr) / y + rr(V) + sum_{x = 0} (rr - y),
 * which follows from sum_i (rr_i - y_i) = 0. Its terms vanish with x - y
 * instead of cancelling, so D keeps its digits when p is close to q.
 */
#include <float.h>
#include <string.h>

#include "smoothing_core.h"

/* Running sums of the expansion pass. */
typedef struct expansion_pass {
    singdiv__sum violating;
    singdiv__sum uncovered;
    singdiv__sum covered_ce;
    singdiv__sum covered_deviance;
    singdiv__sum reverse_q;
    singdiv__sum violating_log_r;
    singdiv__sum violating_log_p;
    singdiv__sum first_order;
    singdiv__sum second_order;
    singdiv__sum inverse_square;
    size_t violating_count;
    size_t uncovered_count;
    double threshold;
    double min_covered_q;
} expansion_pass;

/*
 * Adds t to *s and keeps an overflow at +inf or -inf. The first- and
 * second-order terms overflow when q_i is far below r_i, and a plain
 * compensated sum would turn that into NaN.
 */
static void
sum_add_overflowing(singdiv__sum *s, double t)
{
    if (isinf(s->sum)) {
        return;
    }
    if (isinf(t)) {
        s->sum = t;
        s->comp = 0.0;
        return;
    }
    singdiv__sum_add(s, t);
}

/* Returns the raw r_i (1 without r: the uniform distribution). */
static double
raw_r(const singdiv__mixture *m, size_t i)
{
    return m->r != NULL ? m->r[i] : 1.0;
}

/*
 * Adds the terms of a covered entry i whose share x or y is below DBL_MIN,
 * where the scaled products lose digits or are 0. Every term is formed in
 * log space from the raw entries,
 *     (x - y)(y - rr) / y = sign |x - y| |1 - t|,  x (1 - t)^2 / 2,  x t^2 / 2,
 * with t = rr / y = e^l, so a term is +-inf only when its value exceeds
 * DBL_MAX and never NaN.
 */
static void
add_covered_tiny(const singdiv__mixture *m, const singdiv__entry *e, size_t i,
                 double x_minus_y, expansion_pass *s)
{
    double log_x = singdiv__log_share_of(m->p[i], &m->p_scaled, m->inverse_p);
    double log_y = singdiv__log_share_of(m->q[i], &m->q_scaled, m->inverse_q);
    double log_rr = singdiv__log_share_of(raw_r(m, i), &m->r_scaled, m->inverse_r);
    double l = log_rr - log_y;
    /* log |1 - e^l|, without overflow for large l. */
    double log_gap = l > 1.0 ? l + log1p(-exp(-l)) : log(fabs(expm1(l)));
    double first = exp(log(fabs(x_minus_y)) + log_gap);

    singdiv__sum_add(&s->covered_ce, -e->x * log_y);
    singdiv__sum_add(&s->covered_deviance, e->x * (log_x - log_y) - x_minus_y);
    sum_add_overflowing(&s->first_order, (x_minus_y < 0.0) == (l > 0.0) ? first : -first);
    sum_add_overflowing(&s->second_order, 0.5 * exp(log_x + 2.0 * log_gap));
    sum_add_overflowing(&s->inverse_square, 0.5 * exp(log_x + 2.0 * l));
    if (e->rs > 0.0) {
        s->threshold = fmin(s->threshold, e->yu.hi / e->ru.hi);
    }
    s->min_covered_q = fmin(s->min_covered_q, e->y);
}

/* Adds the terms of a covered entry i (p > 0, q > 0). */
static void
add_covered(const singdiv__mixture *m, const singdiv__entry *e, size_t i, expansion_pass *s)
{
    double log_y;
    singdiv__dd x_minus_y_units = { e->xu.hi - e->yu.hi, e->xu.lo - e->yu.lo };
    double x_minus_y = singdiv__mixture_per_unit(m, x_minus_y_units);
    /* (y - rr) / y from the products in units of U; yu.hi - ru.hi is exact when close. */
    double relative = (e->yu.hi - e->ru.hi + (e->yu.lo - e->ru.lo)) / e->yu.hi;
    double ratio = e->ru.hi / e->yu.hi;

    if (!(e->x >= DBL_MIN && e->y >= DBL_MIN && e->yu.hi >= DBL_MIN)) {
        add_covered_tiny(m, e, i, x_minus_y, s);
        return;
    }
    log_y = singdiv__log_share(e->qs, m->q_scaled.total, m->inverse_q);
    singdiv__sum_add(&s->covered_ce, -e->x * log_y);
    singdiv__sum_add(&s->covered_deviance, singdiv__deviance(e->x, e->y, x_minus_y));
    sum_add_overflowing(&s->first_order, x_minus_y * relative);
    sum_add_overflowing(&s->second_order, 0.5 * e->x * relative * relative);
    sum_add_overflowing(&s->inverse_square, 0.5 * e->x * ratio * ratio);
    if (e->rs > 0.0) {
        s->threshold = fmin(s->threshold, e->yu.hi / e->ru.hi);
    }
    s->min_covered_q = fmin(s->min_covered_q, e->y);
}

/*
 * Adds the terms of a violating entry i (p > 0, q = 0, r > 0). The
 * logarithms come from the raw entries, so that a share that underflows
 * to 0 adds 0 log(share) = 0 (its limit) and not NaN.
 */
static void
add_violating(const singdiv__mixture *m, const singdiv__entry *e, size_t i, expansion_pass *s)
{
    double log_r = singdiv__log_share_of(raw_r(m, i), &m->r_scaled, m->inverse_r);
    double log_p = singdiv__log_share_of(m->p[i], &m->p_scaled, m->inverse_p);

    singdiv__sum_add(&s->violating, e->ps);
    s->violating_count++;
    singdiv__sum_add(&s->violating_log_r, -e->x * log_r);
    singdiv__sum_add(&s->violating_log_p, e->x * log_p);
    singdiv__sum_add(&s->first_order, e->rr);
}

/* Adds the terms of an entry with p = 0 to D and to q(F). */
static void
add_reverse(const singdiv__mixture *m, const singdiv__entry *e, expansion_pass *s)
{
    singdiv__dd difference = { e->ru.hi - e->yu.hi, e->ru.lo - e->yu.lo };

    singdiv__sum_add(&s->first_order, singdiv__mixture_per_unit(m, difference));
    singdiv__sum_add(&s->reverse_q, e->y);
}

singdiv__expansion_sums
singdiv__mixture_expansion_sums(const singdiv__mixture *m)
{
    expansion_pass s;
    singdiv__expansion_sums out;
    singdiv__sum covered_kl;

    memset(&s, 0, sizeof s);
    s.threshold = HUGE_VAL;
    s.min_covered_q = HUGE_VAL;
    for (size_t i = 0; i < m->n; i++) {
        singdiv__entry e = singdiv__mixture_entry(m, i);

        if (e.kind == SINGDIV__COVERED) {
            add_covered(m, &e, i, &s);
        } else if (e.kind == SINGDIV__VIOLATING) {
            add_violating(m, &e, i, &s);
        } else if (e.kind == SINGDIV__UNCOVERED) {
            singdiv__sum_add(&s.violating, e.ps);
            singdiv__sum_add(&s.uncovered, e.ps);
            s.violating_count++;
            s.uncovered_count++;
        } else if (e.kind == SINGDIV__REVERSE) {
            add_reverse(m, &e, &s);
        }
    }

    out.violating_mass = singdiv__sum_value(&s.violating) * m->inverse_p;
    out.violating_count = s.violating_count;
    out.uncovered_mass = singdiv__sum_value(&s.uncovered) * m->inverse_p;
    out.uncovered_count = s.uncovered_count;
    out.covered_ce = singdiv__sum_value(&s.covered_ce);
    out.violating_log_r = singdiv__sum_value(&s.violating_log_r);
    out.violating_log_p = singdiv__sum_value(&s.violating_log_p);
    /* Over S \ V, sum x log(x / y) = sum (deviance) - sum y + sum x = ... + q(F) - m_V. */
    covered_kl = s.covered_deviance;
    singdiv__sum_add(&covered_kl, singdiv__sum_value(&s.reverse_q));
    singdiv__sum_add(&covered_kl, -out.violating_mass);
    out.covered_kl = singdiv__sum_value(&covered_kl);
    out.first_order = singdiv__sum_value(&s.first_order);
    out.second_order = singdiv__sum_value(&s.second_order);
    out.inverse_square = singdiv__sum_value(&s.inverse_square);
    out.threshold = s.threshold;
    out.min_covered_q = s.min_covered_q;
    return out;
}

void
singdiv__expansion_reset(singdiv_expansion *out)
{
    out->slope = (double)NAN;
    out->finite_part = (double)NAN;
    out->first_order = (double)NAN;
    out->second_order = (double)NAN;
    out->threshold = (double)NAN;
    out->violating_mass = (double)NAN;
    out->violating_count = 0;
    out->uncovered_mass = (double)NAN;
    out->uncovered_count = 0;
}

void
singdiv__expansion_uncovered(const singdiv__expansion_sums *s, singdiv_expansion *out)
{
    out->slope = HUGE_VAL;
    out->finite_part = HUGE_VAL;
    out->first_order = (double)NAN;
    out->second_order = (double)NAN;
    out->threshold = 0.0;
    out->violating_mass = s->violating_mass;
    out->violating_count = s->violating_count;
    out->uncovered_mass = s->uncovered_mass;
    out->uncovered_count = s->uncovered_count;
}

/* Computes the mixture expansion of CE (kl == 0) or KL into *out. */
static singdiv_status
mixture_expansion(const double *p, const double *q, const double *r, size_t n,
                  const singdiv_options *opt, int kl, singdiv_expansion *out)
{
    singdiv__mixture m;
    singdiv__expansion_sums s;
    singdiv_status status;
    double finite;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    singdiv__expansion_reset(out);
    status = singdiv__mixture_prepare(p, q, r, n, opt, 0, "q", "r", NULL, &m);
    if (status != SINGDIV_OK) {
        return status;
    }

    s = singdiv__mixture_expansion_sums(&m);

    if (s.uncovered_count > 0) {
        singdiv__expansion_uncovered(&s, out);
        return SINGDIV_OK;
    }
    if (kl) {
        /* C - H(p) = sum_V x log(x / rr) + sum_{S \ V} x log(x / y). */
        finite = s.covered_kl + (s.violating_log_p + s.violating_log_r);
    } else {
        finite = s.covered_ce + s.violating_log_r;
    }
    out->slope = s.violating_mass;
    out->finite_part = singdiv__in_base(finite, &m.options);
    out->first_order = singdiv__in_base(s.first_order, &m.options);
    out->second_order = singdiv__in_base(s.second_order, &m.options);
    out->threshold = s.threshold;
    out->violating_mass = s.violating_mass;
    out->violating_count = s.violating_count;
    out->uncovered_mass = 0.0;
    out->uncovered_count = 0;
    return SINGDIV_OK;
}

singdiv_status
singdiv_smoothing_expansion(const double *p, const double *q, const double *r, size_t n,
                            const singdiv_options *opt, singdiv_expansion *out)
{
    return mixture_expansion(p, q, r, n, opt, 0, out);
}

singdiv_status
singdiv_smoothing_expansion_kl(const double *p, const double *q, const double *r, size_t n,
                               const singdiv_options *opt, singdiv_expansion *out)
{
    return mixture_expansion(p, q, r, n, opt, 1, out);
}
