/*
 * Mixture smoothing q_eps = (1 - eps) q + eps r: the exact smoothed
 * cross-entropy and KL, the exact slope in log(1/eps) and the split of a
 * smoothed value into the part set by eps and the rest.
 */
#include "smoothing_core.h"

void
singdiv__smoothing_report_reset(singdiv_report *out)
{
    out->value = (double)NAN;
    out->finite_part = (double)NAN;
    out->violating_mass = (double)NAN;
    out->violating_count = 0;
    out->reverse_mass = (double)NAN;
    out->reverse_count = 0;
    singdiv__clear_error(&out->error);
}

singdiv_status
singdiv__check_eps(double eps, singdiv_error *err)
{
    if (!(eps > 0.0 && eps < 1.0)) {
        return singdiv__fail(err, SINGDIV_ERR_DOMAIN, "eps", SINGDIV_NO_INDEX, eps);
    }
    return SINGDIV_OK;
}

/* Adds the terms in `parts` of entry e at the eps set in *m to the sums. */
static void
add_entry(const singdiv__mixture *m, const singdiv__entry *e, unsigned parts,
          singdiv__smoothed_sums *s)
{
    switch (e->kind) {
    case SINGDIV__COVERED:
    case SINGDIV__VIOLATING:
        if (parts & SINGDIV__SUM_CE) {
            singdiv__sum_add(&s->ce, -e->x * singdiv__mixture_log(m, e));
        }
        if (parts & SINGDIV__SUM_KL) {
            singdiv__sum_add(&s->deviance, singdiv__mixture_deviance(m, e));
        }
        if (parts & SINGDIV__SUM_SLOPE) {
            singdiv__sum_add(&s->slope, singdiv__mixture_slope_term(m, e));
        }
        if (e->kind == SINGDIV__VIOLATING) {
            singdiv__sum_add(&s->violating, e->ps);
            s->violating_count++;
        }
        break;
    case SINGDIV__UNCOVERED:
        singdiv__sum_add(&s->uncovered, e->ps);
        s->uncovered_count++;
        break;
    case SINGDIV__REVERSE:
        if (parts & SINGDIV__SUM_KL) {
            singdiv__sum_add(&s->deviance, singdiv__mixture_deviance(m, e));
        }
        if (parts & SINGDIV__SUM_SLOPE) {
            singdiv__sum_add(&s->slope, singdiv__mixture_slope_term(m, e));
        }
        singdiv__sum_add(&s->reverse, singdiv__mixture_value(m, e));
        s->reverse_count++;
        break;
    case SINGDIV__EMPTY:
        break;
    }
}

singdiv__smoothed_sums
singdiv__mixture_sums(const singdiv__mixture *m, unsigned parts)
{
    singdiv__smoothed_sums s = { { 0.0, 0.0 }, { 0.0, 0.0 }, { 0.0, 0.0 }, { 0.0, 0.0 },
                                 { 0.0, 0.0 }, { 0.0, 0.0 }, 0, 0, 0 };

    for (size_t i = 0; i < m->n; i++) {
        singdiv__entry e = singdiv__mixture_entry(m, i);

        add_entry(m, &e, parts, &s);
    }
    return s;
}

void
singdiv__mixture_report(const singdiv__mixture *m, const singdiv__smoothed_sums *s, int kl,
                        singdiv_report *out)
{
    double uncovered_mass = singdiv__sum_value(&s->uncovered) * m->inverse_p;
    double finite;

    if (kl) {
        /*
         * Over the entries where q_eps > 0, sum p log(p / q_eps) is the sum of
         * the deviance terms (those of p = 0 included) minus 1 plus the mass
         * of p there, 1 - uncovered_mass.
         */
        singdiv__sum total = s->deviance;

        singdiv__sum_add(&total, -uncovered_mass);
        finite = singdiv__sum_value(&total);
    } else {
        finite = singdiv__sum_value(&s->ce);
    }

    out->violating_mass = uncovered_mass;
    out->violating_count = s->uncovered_count;
    out->reverse_mass = singdiv__sum_value(&s->reverse);
    out->reverse_count = s->reverse_count;
    out->finite_part = singdiv__in_base(finite, &m->options);
    out->value = s->uncovered_count > 0 ? HUGE_VAL : out->finite_part;
}

/* Validates the arguments of a mixture function and sets eps. */
static singdiv_status
prepare_mixture(const double *p, const double *q, const double *r, size_t n, double eps,
                const singdiv_options *opt, singdiv_error *err, singdiv__mixture *m)
{
    singdiv_status status;

    status = singdiv__mixture_prepare(p, q, r, n, opt, 0, "q", "r", err, m);
    if (status != SINGDIV_OK) {
        return status;
    }
    status = singdiv__check_eps(eps, err);
    if (status != SINGDIV_OK) {
        return status;
    }
    singdiv__mixture_set_eps_double(m, eps);
    return SINGDIV_OK;
}

/* Computes the smoothed CE (kl == 0) or KL into *out. */
static singdiv_status
smoothed_value(const double *p, const double *q, const double *r, size_t n, double eps,
               const singdiv_options *opt, int kl, singdiv_report *out)
{
    singdiv__mixture m;
    singdiv__smoothed_sums s;
    singdiv_status status;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    singdiv__smoothing_report_reset(out);
    status = prepare_mixture(p, q, r, n, eps, opt, &out->error, &m);
    if (status != SINGDIV_OK) {
        return status;
    }

    s = singdiv__mixture_sums(&m, kl ? SINGDIV__SUM_KL : SINGDIV__SUM_CE);

    singdiv__mixture_report(&m, &s, kl, out);
    return SINGDIV_OK;
}

singdiv_status
singdiv_smoothed_cross_entropy(const double *p, const double *q, const double *r, size_t n,
                               double eps, const singdiv_options *opt, singdiv_report *out)
{
    return smoothed_value(p, q, r, n, eps, opt, 0, out);
}

singdiv_status
singdiv_smoothed_kl(const double *p, const double *q, const double *r, size_t n,
                    double eps, const singdiv_options *opt, singdiv_report *out)
{
    return smoothed_value(p, q, r, n, eps, opt, 1, out);
}

singdiv_status
singdiv_smoothing_slope(const double *p, const double *q, const double *r, size_t n,
                        double eps, const singdiv_options *opt, double *slope)
{
    singdiv__mixture m;
    singdiv__smoothed_sums s;
    singdiv_status status;

    if (slope == NULL) {
        return SINGDIV_ERR_NULL;
    }
    *slope = (double)NAN;
    status = prepare_mixture(p, q, r, n, eps, opt, NULL, &m);
    if (status != SINGDIV_OK) {
        return status;
    }

    s = singdiv__mixture_sums(&m, SINGDIV__SUM_SLOPE);

    *slope = s.uncovered_count > 0 ? HUGE_VAL : singdiv__sum_value(&s.slope);
    return SINGDIV_OK;
}

static void
parts_reset(singdiv_smoothing_parts *out)
{
    out->value = (double)NAN;
    out->epsilon_part = (double)NAN;
    out->remainder = (double)NAN;
    out->epsilon_share = (double)NAN;
    out->slope = (double)NAN;
    out->violating_mass = (double)NAN;
    out->uncovered_mass = (double)NAN;
}

singdiv_status
singdiv_smoothing_decompose(const double *p, const double *q, const double *r, size_t n,
                            double eps, singdiv_smoothed_divergence divergence,
                            const singdiv_options *opt, singdiv_smoothing_parts *out)
{
    singdiv__mixture m;
    singdiv__smoothed_sums s;
    singdiv_report report;
    singdiv_status status;
    double violating;
    int kl;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    parts_reset(out);
    status = prepare_mixture(p, q, r, n, eps, opt, NULL, &m);
    if (status != SINGDIV_OK) {
        return status;
    }
    if (divergence != SINGDIV_SMOOTHED_CROSS_ENTROPY && divergence != SINGDIV_SMOOTHED_KL) {
        return SINGDIV_ERR_DOMAIN;
    }

    kl = divergence == SINGDIV_SMOOTHED_KL;
    s = singdiv__mixture_sums(&m, (kl ? SINGDIV__SUM_KL : SINGDIV__SUM_CE) | SINGDIV__SUM_SLOPE);
    singdiv__mixture_report(&m, &s, kl, &report);

    violating = singdiv__sum_value(&s.violating) + singdiv__sum_value(&s.uncovered);
    out->violating_mass = violating * m.inverse_p;
    out->uncovered_mass = report.violating_mass;
    out->value = report.value;
    if (s.uncovered_count > 0) {
        out->slope = HUGE_VAL;
        return SINGDIV_OK;
    }
    out->slope = singdiv__sum_value(&s.slope);
    out->epsilon_part = singdiv__in_base(-out->violating_mass * m.log_eps, &m.options);
    out->remainder = out->value - out->epsilon_part;
    out->epsilon_share = out->epsilon_part == 0.0 ? 0.0 : out->epsilon_part / out->value;
    return SINGDIV_OK;
}
