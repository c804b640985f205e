/*
 * Target (label) smoothing: CE(p_eps, q) with p_eps = (1 - eps) p + eps u.
 * CE is linear in its first argument, so each term is
 * -((1 - eps) x + eps u) log y and p_eps is never stored. Every zero of q
 * where u > 0 becomes a violating entry.
 */
#include "smoothing_core.h"

singdiv_status
singdiv_target_smoothed_cross_entropy(const double *p, const double *q, const double *u,
                                      size_t n, double eps, const singdiv_options *opt,
                                      singdiv_report *out)
{
    singdiv__mixture m;
    singdiv__sum covered = { 0.0, 0.0 };
    singdiv__sum violating = { 0.0, 0.0 };
    singdiv__sum reverse = { 0.0, 0.0 };
    singdiv_status status;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    singdiv__smoothing_report_reset(out);
    status = singdiv__mixture_prepare(p, q, u, n, opt, 0, "q", "u", &out->error, &m);
    if (status != SINGDIV_OK) {
        return status;
    }
    status = singdiv__check_eps(eps, &out->error);
    if (status != SINGDIV_OK) {
        return status;
    }

    /* Here the mixture's r slot contains u, and rr is u normalised. */
    for (size_t i = 0; i < n; i++) {
        singdiv__entry e = singdiv__mixture_entry(&m, i);
        double weight = fma(1.0 - eps, e.x, eps * e.rr);
        /* The sets come from the raw entries: a scaled share may underflow to 0. */
        int in_target = e.p_raw > 0.0 || e.r_raw > 0.0;

        if (e.q_raw > 0.0 && in_target) {
            singdiv__sum_add(&covered,
                             -weight * singdiv__log_share_of(e.q_raw, &m.q_scaled, m.inverse_q));
        } else if (in_target) {
            singdiv__sum_add(&violating, weight);
            out->violating_count++;
        } else if (e.q_raw > 0.0) {
            singdiv__sum_add(&reverse, e.y);
            out->reverse_count++;
        }
    }

    out->violating_mass = singdiv__sum_value(&violating);
    out->reverse_mass = singdiv__sum_value(&reverse);
    out->finite_part = singdiv__in_base(singdiv__sum_value(&covered), &m.options);
    out->value = out->violating_count > 0 ? HUGE_VAL : out->finite_part;
    return SINGDIV_OK;
}
