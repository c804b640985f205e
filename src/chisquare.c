/*
 * Pearson and Neyman chi-square divergences,
 *     Pearson: sum (x_i - y_i)^2 / y_i,  Neyman: sum (x_i - y_i)^2 / x_i,
 * with x = p / P and y = q / Q. In the scaled units of singdiv__pair,
 * (x - y)^2 / y = diff^2 / (b P Q) with diff = a - b formed from exact
 * products, so every term is >= 0 and keeps its digits when p and q are
 * nearly equal.
 */
#include <float.h>

#include "family_internal.h"
#include <singdiv/family.h>

/*
 * Returns diff^2 / (denominator (1 + error)), the exact denominator being
 * the rounded one times 1 + error, without overflow in an intermediate step.
 */
static double
squared_over(double diff, double denominator, double error)
{
    double quotient = diff / denominator;
    double square;

    if (quotient <= DBL_MAX && quotient >= -DBL_MAX) {
        square = quotient * diff;
    } else {
        /* diff / denominator overflowed, so diff is not small: diff^2 is exact enough. */
        square = diff * diff / denominator;
    }
    return fma(-square, error, square);
}

/*
 * Returns diff^2 / a in the scaled units for a denominator share (x or y)
 * below DBL_MIN, which the cross term a = share P Q holds with few digits
 * or as 0: from log a = log share + log P Q, where the share's logarithm
 * comes from its raw entry. +inf only when the term exceeds DBL_MAX.
 */
static double
squared_over_tiny(const singdiv__pair *c, double diff, double raw, const singdiv__scaled *s)
{
    double log_a = singdiv__log_share_of(raw, s, 1.0 / s->total.hi) + log(c->pq);

    return diff == 0.0 ? 0.0 : exp(2.0 * log(fabs(diff)) - log_a);
}

/*
 * Computes the chi-square sum with the denominator from q (pearson != 0)
 * or from p. Entries where the denominator is 0 and the numerator is not
 * make the value +inf; finite_part sums the other entries.
 */
static singdiv_status
chi_square(const double *p, const double *q, size_t n, int pearson,
           const singdiv_options *opt, singdiv_report *out)
{
    singdiv__pair c;
    singdiv__tally tally = singdiv__tally_empty();
    singdiv__sum sum = { 0.0, 0.0 };
    singdiv_status status;
    size_t singular;
    int overflow = 0;

    status = singdiv__family_prepare(p, q, n, opt, out, &c);
    if (status != SINGDIV_OK) {
        return status;
    }

    for (size_t i = 0; i < n; i++) {
        singdiv__cross_terms t = singdiv__cross_terms_of(&c, p[i], q[i]);
        singdiv__cross_errors e = singdiv__cross_errors_of(&c, p[i], q[i], &t);
        double denominator = pearson ? t.b : t.a;
        double raw = pearson ? q[i] : p[i];

        singdiv__tally_add(&tally, p[i], q[i], t);
        if (raw > 0.0) {
            double term = denominator >= DBL_MIN
                              ? squared_over(t.diff, denominator,
                                             pearson ? e.b_error : e.a_error)
                              : squared_over_tiny(&c, t.diff, raw, pearson ? &c.q : &c.p);

            /* A compensated sum turns inf into NaN; an overflowed term makes the sum inf. */
            if (term <= DBL_MAX) {
                singdiv__sum_add(&sum, term);
            } else {
                overflow = 1;
            }
        }
    }

    singdiv__family_masses(out, &c, &tally);
    singular = pearson ? tally.violating_count : tally.reverse_count;
    /* NOTE: a finite value above DBL_MAX (q_i subnormal against p_i near 1) is returned as +inf. */
    /* Every term is >= 0, so a sum that is inf (or NaN from the compensation) overflowed. */
    out->finite_part = singdiv__sum_value(&sum) / c.pq;
    if (overflow || !(out->finite_part <= DBL_MAX)) {
        out->finite_part = HUGE_VAL;
    }
    out->value = singular > 0 ? HUGE_VAL : out->finite_part;
    return SINGDIV_OK;
}

singdiv_status
singdiv_pearson_chi2(const double *p, const double *q, size_t n,
                     const singdiv_options *opt, singdiv_report *out)
{
    return chi_square(p, q, n, 1, opt, out);
}

singdiv_status
singdiv_neyman_chi2(const double *p, const double *q, size_t n,
                    const singdiv_options *opt, singdiv_report *out)
{
    return chi_square(p, q, n, 0, opt, out);
}
