/*
 * Report handling shared by the divergence family: validation, failure
 * values and the masses of the violating and reverse sets.
 */
#include "family_internal.h"

singdiv__tally
singdiv__tally_empty(void)
{
    singdiv__tally s = { { 0.0, 0.0 }, { 0.0, 0.0 }, 0, 0, 0 };

    return s;
}

singdiv_status
singdiv__family_prepare(const double *p, const double *q, size_t n,
                        const singdiv_options *opt, singdiv_report *out,
                        singdiv__pair *c)
{
    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    out->value = (double)NAN;
    out->finite_part = (double)NAN;
    out->violating_mass = (double)NAN;
    out->violating_count = 0;
    out->reverse_mass = (double)NAN;
    out->reverse_count = 0;
    singdiv__clear_error(&out->error);
    return singdiv__pair_prepare(p, q, n, opt, &out->error, c);
}

void
singdiv__family_masses(singdiv_report *out, const singdiv__pair *c,
                       const singdiv__tally *s)
{
    /* a and b carry a factor P Q; rounding must not push a share above 1. */
    out->violating_mass = fmin(singdiv__sum_value(&s->violating) / c->pq, 1.0);
    out->violating_count = s->violating_count;
    out->reverse_mass = fmin(singdiv__sum_value(&s->reverse) / c->pq, 1.0);
    out->reverse_count = s->reverse_count;
}

singdiv_status
singdiv__family_domain_error(singdiv_report *out, const char *argument, double value)
{
    return singdiv__fail(&out->error, SINGDIV_ERR_DOMAIN, argument, SINGDIV_NO_INDEX, value);
}
