/*
 * Entropy, cross-entropy, KL and Jensen-Shannon between discrete
 * distributions, with the violating set V = {p > 0, q = 0} and the
 * reverse set F = {q > 0, p = 0}.
 *
 * KL and JS are sums over i of deviance terms a log(a / b) - (a - b) >= 0
 * in the scaled units of singdiv__pair (a = p_i Q, b = q_i P), divided by
 * P Q once at the end.
 */
#include <float.h>

#include "internal.h"
#include "simd_discrete.h"

/* log 2, correctly rounded. */
static const double ln2 = 0x1.62e42fefa39efp-1;

static void
report_reset(singdiv_report *out)
{
    out->value = (double)NAN;
    out->finite_part = (double)NAN;
    out->violating_mass = (double)NAN;
    out->violating_count = 0;
    out->reverse_mass = (double)NAN;
    out->reverse_count = 0;
    singdiv__clear_error(&out->error);
}

/* Returns part / total for a part of the total, never above 1 from rounding. */
static double
share_of(const singdiv__sum *part, double total)
{
    return fmin(singdiv__sum_value(part) / total, 1.0);
}

static void
report_masses(singdiv_report *out, const singdiv__pair *c, const singdiv__ce_sums *s)
{
    out->violating_mass = share_of(&s->violating, c->p.total.hi);
    out->violating_count = s->violating_count;
    out->reverse_mass = share_of(&s->reverse, c->q.total.hi);
    out->reverse_count = s->reverse_count;
}

singdiv_status
singdiv__cross_entropy_on(const double *p, const double *q, size_t n,
                          const singdiv_options *opt, singdiv_report *out,
                          singdiv__path path)
{
    singdiv__pair c;
    singdiv__ce_sums s;
    singdiv_status status;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    report_reset(out);
    status = singdiv__pair_prepare(p, q, n, opt, &out->error, &c);
    if (status != SINGDIV_OK) {
        return status;
    }

    s = singdiv__cross_entropy_pass(&c, p, q, n, path);

    report_masses(out, &c, &s);
    out->finite_part = singdiv__in_base(singdiv__sum_value(&s.covered) / c.p.total.hi, &c.options);
    out->value = s.violating_count > 0 ? HUGE_VAL : out->finite_part;
    return SINGDIV_OK;
}

singdiv_status
singdiv__entropy_on(const double *p, size_t n, const singdiv_options *opt,
                    singdiv_report *out, singdiv__path path)
{
    singdiv__pair c;
    singdiv__ce_sums s;
    singdiv_status status;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    report_reset(out);
    status = singdiv__pair_prepare(p, p, n, opt, &out->error, &c);
    if (status != SINGDIV_OK) {
        return status;
    }

    s = singdiv__cross_entropy_pass(&c, p, p, n, path);

    report_masses(out, &c, &s);
    out->value = singdiv__in_base(singdiv__sum_value(&s.covered) / c.p.total.hi, &c.options);
    out->finite_part = out->value;
    return SINGDIV_OK;
}

singdiv_status
singdiv__kl_on(const double *p, const double *q, size_t n,
               const singdiv_options *opt, singdiv_report *out, singdiv__path path)
{
    singdiv__pair c;
    singdiv__kl_sums s;
    singdiv__sum finite = { 0.0, 0.0 };
    singdiv_status status;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    report_reset(out);
    status = singdiv__pair_prepare(p, q, n, opt, &out->error, &c);
    if (status != SINGDIV_OK) {
        return status;
    }

    s = singdiv__kl_pass(&c, p, q, n, path);

    /*
     * Over S \ V, sum p log(p/q) = sum (deviance) - sum q + sum p, and those
     * two sums are 1 - q(F) and 1 - m_V. With V empty this is a sum of
     * non-negative terms.
     */
    singdiv__sum_add(&finite, s.covered.sum);
    singdiv__sum_add(&finite, s.reverse.sum);
    singdiv__sum_add(&finite, -s.violating.sum);
    singdiv__sum_add(&finite, s.covered.comp + s.reverse.comp - s.violating.comp);

    out->violating_mass = share_of(&s.violating, c.pq);
    out->violating_count = s.violating_count;
    out->reverse_mass = share_of(&s.reverse, c.pq);
    out->reverse_count = s.reverse_count;
    out->finite_part = singdiv__in_base(singdiv__sum_value(&finite) / c.pq, &c.options);
    out->value = s.violating_count > 0 ? HUGE_VAL : out->finite_part;
    return SINGDIV_OK;
}

singdiv_status
singdiv__js_on(const double *p, const double *q, size_t n,
               const singdiv_options *opt, singdiv_report *out, singdiv__path path)
{
    singdiv__pair c;
    singdiv__kl_sums s;
    singdiv_status status;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    report_reset(out);
    status = singdiv__pair_prepare(p, q, n, opt, &out->error, &c);
    if (status != SINGDIV_OK) {
        return status;
    }

    s = singdiv__js_pass(&c, p, q, n, path);

    out->violating_mass = share_of(&s.violating, c.pq);
    out->violating_count = s.violating_count;
    out->reverse_mass = share_of(&s.reverse, c.pq);
    out->reverse_count = s.reverse_count;
    if (s.shared_count == 0) {
        /* Disjoint supports: JS is log 2 exactly, not log 2 up to rounding. */
        out->value = singdiv__in_base(ln2, &c.options);
    } else {
        /* The exact value is at most log 2; rounding must not push it above. */
        out->value = singdiv__in_base(fmin(0.5 * singdiv__sum_value(&s.covered) / c.pq, ln2),
                                      &c.options);
    }
    out->finite_part = out->value;
    return SINGDIV_OK;
}

singdiv_status
singdiv_entropy(const double *p, size_t n, const singdiv_options *opt,
                singdiv_report *out)
{
    return singdiv__entropy_on(p, n, opt, out, SINGDIV__PATH_AUTO);
}

singdiv_status
singdiv_cross_entropy(const double *p, const double *q, size_t n,
                      const singdiv_options *opt, singdiv_report *out)
{
    return singdiv__cross_entropy_on(p, q, n, opt, out, SINGDIV__PATH_AUTO);
}

singdiv_status
singdiv_kl(const double *p, const double *q, size_t n,
           const singdiv_options *opt, singdiv_report *out)
{
    return singdiv__kl_on(p, q, n, opt, out, SINGDIV__PATH_AUTO);
}

singdiv_status
singdiv_js(const double *p, const double *q, size_t n,
           const singdiv_options *opt, singdiv_report *out)
{
    return singdiv__js_on(p, q, n, opt, out, SINGDIV__PATH_AUTO);
}

singdiv_status
singdiv_js_distance(const double *p, const double *q, size_t n,
                    const singdiv_options *opt, singdiv_report *out)
{
    singdiv_status status = singdiv_js(p, q, n, opt, out);

    if (status != SINGDIV_OK) {
        return status;
    }
    out->value = sqrt(out->value);
    out->finite_part = out->value;
    return SINGDIV_OK;
}

/* Lists the indices where `first` is positive and `second` is zero. */
static singdiv_status
list_uncovered(const double *p, const double *q, size_t n, const singdiv_options *opt,
               int reverse, size_t *indices, size_t capacity, size_t *count)
{
    singdiv__pair c;
    singdiv_status status;
    size_t found = 0;

    if (count == NULL || (indices == NULL && capacity > 0)) {
        return SINGDIV_ERR_NULL;
    }
    *count = 0;
    status = singdiv__pair_prepare(p, q, n, opt, NULL, &c);
    if (status != SINGDIV_OK) {
        return status;
    }

    for (size_t i = 0; i < n; i++) {
        double first = reverse ? q[i] : p[i];
        double second = reverse ? p[i] : q[i];

        if (first > 0.0 && second == 0.0) {
            if (found < capacity) {
                indices[found] = i;
            }
            found++;
        }
    }
    *count = found;
    return SINGDIV_OK;
}

singdiv_status
singdiv_violating_set(const double *p, const double *q, size_t n,
                      const singdiv_options *opt, size_t *indices,
                      size_t capacity, size_t *count)
{
    return list_uncovered(p, q, n, opt, 0, indices, capacity, count);
}

singdiv_status
singdiv_reverse_set(const double *p, const double *q, size_t n,
                    const singdiv_options *opt, size_t *indices,
                    size_t capacity, size_t *count)
{
    return list_uncovered(p, q, n, opt, 1, indices, capacity, count);
}

/* Returns the rate of an extended value: the violating mass if infinite, else 0. */
static double
extended_rate(const singdiv_report *r)
{
    return isinf(r->value) ? r->violating_mass : 0.0;
}

singdiv_status
singdiv_report_compare(const singdiv_report *a, const singdiv_report *b, int *order)
{
    double rate_a;
    double rate_b;

    if (a == NULL || b == NULL || order == NULL) {
        return SINGDIV_ERR_NULL;
    }
    rate_a = extended_rate(a);
    rate_b = extended_rate(b);
    if (isnan(rate_a) || isnan(rate_b) || isnan(a->finite_part) || isnan(b->finite_part)) {
        return SINGDIV_ERR_NAN;
    }

    if (rate_a != rate_b) {
        *order = rate_a < rate_b ? -1 : 1;
    } else if (a->finite_part != b->finite_part) {
        *order = a->finite_part < b->finite_part ? -1 : 1;
    } else {
        *order = 0;
    }
    return SINGDIV_OK;
}
