/*
 * The bounded divergences: total variation, Hellinger distance, the
 * Bhattacharyya coefficient and the Bhattacharyya angle. All are finite
 * for every pair and reach their extreme at disjoint supports.
 *
 * With x = p / P, y = q / Q and the scaled a = p_i Q, b = q_i P of
 * singdiv__pair (x = a / PQ, y = b / PQ):
 *     TV  = 1/2 sum |x - y|                 = sum |diff| / (2 PQ),
 *     H^2 = 1/2 sum (sqrt x - sqrt y)^2     = sum diff^2 / (a + b + 2 sqrt(a b)) / (2 PQ),
 *           since sqrt a - sqrt b = diff / (sqrt a + sqrt b),
 *     BC  = sum sqrt(x y) = 1 - H^2,
 *     angle = arccos(BC) = 2 asin(sqrt(H^2 / 2)).
 * Every sum has non-negative terms built from diff, which is formed from
 * exact products, so near-identical inputs keep their digits. Where
 * H^2 <= 1/2, BC and the angle come from H^2 (near BC = 1, 1 - BC and
 * arccos would cancel); elsewhere H^2 and the angle come from the direct
 * sum of sqrt(a b), which is then at most 1/2 and accurate.
 */
#include "family_internal.h"
#include <singdiv/family.h>

/* pi / 2 rounded to nearest. */
static const double half_pi = 0x1.921fb54442d18p+0;

typedef struct bounded_sums {
    double total_variation;
    double hellinger_squared;
    double coefficient; /* sum sqrt(x y), summed directly */
    singdiv__tally tally;
} bounded_sums;

/* Returns sqrt(a b) for a, b >= 0 without underflow of the product. */
static double
geometric_mean(double a, double b)
{
    double product = a * b;

    if (product >= 0x1p-969) {
        return sqrt(product);
    }
    return sqrt(a) * sqrt(b);
}

/*
 * Stores sqrt(a b) and (sqrt a - sqrt b)^2 for the exact cross terms. The
 * square is formed as diff^2 / (a + b + 2 sqrt(a b)), which does not
 * cancel. Both are corrected to first order for the rounding of a and b.
 */
static void
root_terms(const singdiv__cross_terms *t, const singdiv__cross_errors *e, double *product,
           double *square)
{
    double mean = geometric_mean(t->a, t->b);
    double denominator = t->a + t->b + 2.0 * mean;
    double error = (t->a * e->a_error + t->b * e->b_error + mean * (e->a_error + e->b_error))
                   / denominator;
    double quotient = t->diff * (t->diff / denominator);

    *product = fma(mean, 0.5 * (e->a_error + e->b_error), mean);
    *square = fma(-quotient, error, quotient);
}

static bounded_sums
bounded_pass(const singdiv__pair *c, const double *p, const double *q, size_t n)
{
    bounded_sums s;
    singdiv__sum absolute = { 0.0, 0.0 };
    singdiv__sum squares = { 0.0, 0.0 };
    singdiv__sum products = { 0.0, 0.0 };

    s.tally = singdiv__tally_empty();
    for (size_t i = 0; i < n; i++) {
        singdiv__cross_terms t = singdiv__cross_terms_of(c, p[i], q[i]);

        singdiv__tally_add(&s.tally, p[i], q[i], t);
        if (p[i] > 0.0 || q[i] > 0.0) {
            singdiv__cross_errors e = singdiv__cross_errors_of(c, p[i], q[i], &t);
            double product;
            double square;

            root_terms(&t, &e, &product, &square);
            singdiv__sum_add(&absolute, fabs(t.diff));
            singdiv__sum_add(&squares, square);
            singdiv__sum_add(&products, product);
        }
    }

    /* The exact values are at most 1; rounding must not push them above. */
    s.total_variation = fmin(0.5 * singdiv__sum_value(&absolute) / c->pq, 1.0);
    s.hellinger_squared = fmin(0.5 * singdiv__sum_value(&squares) / c->pq, 1.0);
    s.coefficient = fmin(singdiv__sum_value(&products) / c->pq, 1.0);
    if (s.tally.shared_count == 0) {
        /* Disjoint supports: the extremes hold exactly. */
        s.total_variation = 1.0;
        s.hellinger_squared = 1.0;
        s.coefficient = 0.0;
    }
    return s;
}

/* Which quantity a public function reports. */
typedef enum bounded_kind {
    BOUNDED_TOTAL_VARIATION,
    BOUNDED_HELLINGER,
    BOUNDED_HELLINGER_SQUARED,
    BOUNDED_COEFFICIENT,
    BOUNDED_ANGLE
} bounded_kind;

static double
bounded_value(const bounded_sums *s, bounded_kind kind)
{
    int near_identical = s->hellinger_squared <= 0.5;

    switch (kind) {
    case BOUNDED_TOTAL_VARIATION:
        return s->total_variation;
    case BOUNDED_HELLINGER:
        return sqrt(near_identical ? s->hellinger_squared : 1.0 - s->coefficient);
    case BOUNDED_HELLINGER_SQUARED:
        return near_identical ? s->hellinger_squared : 1.0 - s->coefficient;
    case BOUNDED_COEFFICIENT:
        return near_identical ? 1.0 - s->hellinger_squared : s->coefficient;
    case BOUNDED_ANGLE:
        if (s->tally.shared_count == 0) {
            return half_pi;
        }
        return near_identical ? 2.0 * asin(sqrt(0.5 * s->hellinger_squared))
                              : acos(s->coefficient);
    }
    return (double)NAN;
}

static singdiv_status
bounded(const double *p, const double *q, size_t n, bounded_kind kind,
        const singdiv_options *opt, singdiv_report *out)
{
    singdiv__pair c;
    bounded_sums s;
    singdiv_status status;

    status = singdiv__family_prepare(p, q, n, opt, out, &c);
    if (status != SINGDIV_OK) {
        return status;
    }

    s = bounded_pass(&c, p, q, n);

    singdiv__family_masses(out, &c, &s.tally);
    out->value = bounded_value(&s, kind);
    out->finite_part = out->value;
    return SINGDIV_OK;
}

singdiv_status
singdiv_total_variation(const double *p, const double *q, size_t n,
                        const singdiv_options *opt, singdiv_report *out)
{
    return bounded(p, q, n, BOUNDED_TOTAL_VARIATION, opt, out);
}

singdiv_status
singdiv_hellinger(const double *p, const double *q, size_t n,
                  const singdiv_options *opt, singdiv_report *out)
{
    return bounded(p, q, n, BOUNDED_HELLINGER, opt, out);
}

singdiv_status
singdiv_hellinger_squared(const double *p, const double *q, size_t n,
                          const singdiv_options *opt, singdiv_report *out)
{
    return bounded(p, q, n, BOUNDED_HELLINGER_SQUARED, opt, out);
}

singdiv_status
singdiv_bhattacharyya_coefficient(const double *p, const double *q, size_t n,
                                  const singdiv_options *opt, singdiv_report *out)
{
    return bounded(p, q, n, BOUNDED_COEFFICIENT, opt, out);
}

singdiv_status
singdiv_bhattacharyya_angle(const double *p, const double *q, size_t n,
                            const singdiv_options *opt, singdiv_report *out)
{
    return bounded(p, q, n, BOUNDED_ANGLE, opt, out);
}
