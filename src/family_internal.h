/*
 * Internals shared by the divergence-family sources (Rényi, chi-square,
 * Jeffreys and PSI, the bounded divergences, skewed Jensen-Shannon and the
 * singularity map): preparing a report and tallying the violating set
 * V = {p > 0, q = 0} and the reverse set F = {q > 0, p = 0}.
 */
#ifndef SINGDIV_FAMILY_INTERNAL_H
#define SINGDIV_FAMILY_INTERNAL_H

#include <float.h>

#include "internal.h"

/* Masses of V and F in the scaled units of singdiv__pair (a = p_i Q, b = q_i P). */
typedef struct singdiv__tally {
    singdiv__sum violating; /* sum over V of a */
    singdiv__sum reverse;   /* sum over F of b */
    size_t violating_count;
    size_t reverse_count;
    size_t shared_count; /* entries with p_i > 0 and q_i > 0 */
} singdiv__tally;

/* Counts entry i, with cross terms t, into V, F or the common support. */
static inline void
singdiv__tally_add(singdiv__tally *s, double pi, double qi, singdiv__cross_terms t)
{
    if (pi > 0.0 && qi > 0.0) {
        s->shared_count++;
    } else if (pi > 0.0) {
        singdiv__sum_add(&s->violating, t.a);
        s->violating_count++;
    } else if (qi > 0.0) {
        singdiv__sum_add(&s->reverse, t.b);
        s->reverse_count++;
    }
}

/*
 * The rounding errors of the cross terms relative to their values:
 * p_i Q = t.a (1 + a_error) and q_i P = t.b (1 + b_error) for the exact
 * sums P and Q (each |error| <= about 2^-52). singdiv__cross_terms_of()
 * keeps only the rounded products; the divergences here correct for these
 * errors to first order, which is worth one to three ulp of the result when
 * the sums are not powers of two.
 */
typedef struct singdiv__cross_errors {
    double a_error;
    double b_error;
} singdiv__cross_errors;

static inline singdiv__cross_errors
singdiv__cross_errors_of(const singdiv__pair *c, double pi, double qi,
                         const singdiv__cross_terms *t)
{
    singdiv__cross_errors e = { 0.0, 0.0 };
    double ps = pi * c->p.scale;
    double qs = qi * c->q.scale;

    if (t->a > 0.0) {
        e.a_error = (fma(ps, c->q.total.hi, -t->a) + ps * c->q.total.lo) / t->a;
    }
    if (t->b > 0.0) {
        e.b_error = (fma(qs, c->p.total.hi, -t->b) + qs * c->p.total.lo) / t->b;
    }
    return e;
}

/*
 * Returns log(a / b) for a, b > 0 and the exact cross terms, by log1p of
 * diff / b where a and b are close, else from the rounded quotient plus
 * the first-order correction a_error - b_error.
 */
static inline double
singdiv__log_quotient(const singdiv__cross_terms *t, const singdiv__cross_errors *e)
{
    double ratio;

    if (fabs(t->diff) <= 0.5 * t->b) {
        double u = t->diff / t->b;

        return log1p(fma(-u, e->b_error, u));
    }
    ratio = t->a / t->b;
    if (ratio >= DBL_MIN && ratio <= DBL_MAX) {
        return log(ratio) + (e->a_error - e->b_error);
    }
    /* a / b over- or underflows: subtract the logarithms instead. */
    return (log(t->a) - log(t->b)) + (e->a_error - e->b_error);
}

/*
 * Returns r = log(x_i / y_i) for p_i > 0 and q_i > 0: singdiv__log_quotient()
 * while both cross terms are normal, else (a share underflowed to a
 * subnormal or to 0 in the scaled units) the difference of the two
 * logarithms computed from the raw entries, never NaN.
 */
static inline double
singdiv__family_log_ratio(const singdiv__pair *c, double pi, double qi,
                          const singdiv__cross_terms *t, const singdiv__cross_errors *e)
{
    if (t->a >= DBL_MIN && t->b >= DBL_MIN) {
        return singdiv__log_quotient(t, e);
    }
    return singdiv__log_share_of(pi, &c->p, 1.0 / c->p.total.hi)
           - singdiv__log_share_of(qi, &c->q, 1.0 / c->q.total.hi);
}

/* Returns an empty tally. */
singdiv__tally
singdiv__tally_empty(void);

/*
 * Checks out (SINGDIV_ERR_NULL when NULL, nothing written), fills it with
 * the failure values (NaN, counts 0), then validates options, p and q as
 * singdiv__pair_prepare() does, recording a rejection in out->error.
 */
singdiv_status
singdiv__family_prepare(const double *p, const double *q, size_t n,
                        const singdiv_options *opt, singdiv_report *out,
                        singdiv__pair *c);

/* Stores the masses (each at most 1) and counts of V and F in *out. */
void
singdiv__family_masses(singdiv_report *out, const singdiv__pair *c,
                       const singdiv__tally *s);

/* Rejects a scalar parameter with SINGDIV_ERR_DOMAIN, naming it in out->error. */
singdiv_status
singdiv__family_domain_error(singdiv_report *out, const char *argument, double value);

#endif /* SINGDIV_FAMILY_INTERNAL_H */
