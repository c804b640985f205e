/*
 * Rényi divergence of order alpha,
 *     D_alpha(p || q) = log(S) / (alpha - 1),  S = sum x_i^alpha y_i^(1 - alpha),
 * with x = p / P and y = q / Q, and its limit alpha -> infinity,
 * D_inf = log max x_i / y_i.
 *
 * Near alpha = 1 and near q = p the sum S is 1 plus a small quantity, so
 * S - 1 is formed directly as (alpha - 1) T with
 *     T = sum over C of y_i psi(alpha, r_i) + q(F) - alpha m_V / (alpha - 1),
 * C = {p > 0, q > 0}, r = log(x / y) and
 *     psi(alpha, r) = (e^(alpha r) - 1 - alpha (e^r - 1)) / (alpha - 1).
 * Every part of T is >= 0 whenever D is finite: psi >= 0 for every
 * alpha > 0 because t^alpha is convex for alpha > 1 and concave for
 * alpha < 1, the m_V part is >= 0 for alpha < 1, and for alpha > 1 a finite
 * D has m_V = 0. So T keeps its relative accuracy, and
 * D = log1p((alpha - 1) T) / (alpha - 1).
 * Where S is far below 1 or the terms overflow, log S comes instead from a
 * log-sum-exp of log x_i^alpha y_i^(1 - alpha), which is accurate there.
 */
#include "family_internal.h"
#include <singdiv/family.h>

/*
 * Returns psi(alpha, r) = alpha sum_{k >= 2} e_{k-1} r^k / k! with
 * e_j = 1 + alpha + ... + alpha^(j-1). For (1 + alpha) |r| <= 1 successive
 * terms shrink by at least 1 / (k + 1), so at most a third of the leading
 * term r^2 / 2 cancels when r < 0. For r > 0 every term is positive, and
 * with (1 + alpha) r <= 3 the terms fall below 2^-60 of the sum within
 * 60 terms.
 */
static double
renyi_psi_series(double alpha, double r)
{
    double power = 0.5 * r * r; /* r^k / k! */
    double geometric = 1.0;     /* e_{k-1} */
    double sum = power;

    for (int k = 3; k < 60; k++) {
        double term;

        power *= r / k;
        geometric = fma(alpha, geometric, 1.0);
        term = geometric * power;
        sum += term;
        if (fabs(term) <= 0x1p-60 * fabs(sum)) {
            break;
        }
    }
    return alpha * sum;
}

/* Returns expm1(z) / z, which is 1 at z = 0. */
static double
expm1_quotient(double z)
{
    return z == 0.0 ? 1.0 : expm1(z) / z;
}

/*
 * Returns a^alpha b^(1 - alpha) for the exact cross terms a = p_i Q and
 * b = q_i P. t->a and t->b are those products rounded; raising a rounded
 * value to the power alpha would multiply its rounding error by alpha, so
 * the product of the pows is corrected to first order by the rounding
 * errors in *e (a_exact^alpha = a^alpha (1 + alpha a_error)). Where pow
 * under- or overflows the result comes from exp of its logarithm
 * log b + alpha r instead, to about |alpha r| eps; log_b is log b, formed
 * from the raw entry where b is subnormal or 0.
 */
static double
weighted_power(const singdiv__cross_terms *t, const singdiv__cross_errors *e, double alpha,
               double r, double log_b)
{
    double power_a = pow(t->a, alpha);
    double power_b = pow(t->b, 1.0 - alpha);
    double product = power_a * power_b;

    if (power_a >= DBL_MIN && power_b >= DBL_MIN && product <= DBL_MAX) {
        double correction = alpha * e->a_error + (1.0 - alpha) * e->b_error;

        return fma(product, correction, product);
    }
    return exp(fma(alpha, r, log_b));
}

/*
 * Returns log b for the cross term b = q_i P with relative rounding error
 * b_error. Where b is subnormal or 0 it uses log y + log(P Q) from the raw q_i.
 */
static double
log_cross_term(const singdiv__pair *c, double raw, double b, double b_error,
               const singdiv__scaled *s)
{
    if (b >= DBL_MIN) {
        return log(b) + b_error;
    }
    return singdiv__log_share_of(raw, s, 1.0 / s->total.hi) + log(c->pq);
}

/*
 * Returns y psi(alpha, r) in the scaled units of singdiv__pair, with
 * r = log(a / b). Three regimes:
 * - (1 + alpha) |r| <= 1, or r > 0 and (1 + alpha) r <= 3: b times the
 *   series, whose terms all have the sign of r^2 when r > 0.
 * - |alpha - 1| <= 1/2: y e^r = x turns y psi into a r E((alpha - 1) r) - diff,
 *   E(z) = expm1(z) / z, which never forms e^r (whose relative error would be
 *   the absolute error of r, up to 744 eps) and never divides a cancelled
 *   difference by alpha - 1.
 * - otherwise the defining form (y t^alpha - y - alpha (x - y)) / (alpha - 1),
 *   with y t^alpha - y = y expm1(alpha r) where |alpha r| <= 1 and
 *   a^alpha b^(1 - alpha) - b (no cancellation) elsewhere.
 * Outside the series range, cancellation costs up to a factor of about 8
 * (an estimate from the worst cases at the regime edges).
 * Overflow gives inf or NaN, which the caller treats as "use the
 * log-sum-exp path".
 */
static double
renyi_term(const singdiv__pair *c, double pi, double qi, const singdiv__cross_terms *t,
           double alpha)
{
    singdiv__cross_errors e = singdiv__cross_errors_of(c, pi, qi, t);
    double r = singdiv__family_log_ratio(c, pi, qi, t, &e);
    double part;

    if ((1.0 + alpha) * fabs(r) <= 1.0 || (r > 0.0 && (1.0 + alpha) * r <= 3.0)) {
        part = t->b * renyi_psi_series(alpha, r);
        return fma(part, e.b_error, part);
    }
    if (fabs(alpha - 1.0) <= 0.5) {
        part = t->a * r * expm1_quotient((alpha - 1.0) * r);
        return fma(part, e.a_error, part) - t->diff;
    }
    if (fabs(alpha * r) <= 1.0) {
        part = t->b * expm1(alpha * r);
        part = fma(part, e.b_error, part);
    } else {
        double log_b = log_cross_term(c, qi, t->b, e.b_error, &c->q);

        part = weighted_power(t, &e, alpha, r, log_b) - fma(t->b, e.b_error, t->b);
    }
    return (part - alpha * t->diff) / (alpha - 1.0);
}

/* Returns T * P Q (see the file comment), summed over C, F and V. */
static double
renyi_excess(const singdiv__pair *c, const double *p, const double *q, size_t n,
             double alpha, singdiv__tally *tally)
{
    singdiv__sum sum = { 0.0, 0.0 };
    int overflow = 0;

    for (size_t i = 0; i < n; i++) {
        singdiv__cross_terms t = singdiv__cross_terms_of(c, p[i], q[i]);

        singdiv__tally_add(tally, p[i], q[i], t);
        if (p[i] > 0.0 && q[i] > 0.0) {
            double term = renyi_term(c, p[i], q[i], &t, alpha);

            /* A compensated sum turns inf into NaN; report overflow as inf. */
            if (!(term <= DBL_MAX)) {
                overflow = 1;
            } else {
                singdiv__sum_add(&sum, term);
            }
        }
    }
    if (overflow) {
        return HUGE_VAL;
    }
    singdiv__sum_add(&sum, singdiv__sum_value(&tally->reverse));
    singdiv__sum_add(&sum, alpha / (1.0 - alpha) * singdiv__sum_value(&tally->violating));
    return singdiv__sum_value(&sum);
}

/*
 * Returns log S over C by a running log-sum-exp of
 * L_i = log(x_i^alpha y_i^(1 - alpha)) = log x_i + (alpha - 1) r_i = log y_i + alpha r_i,
 * taking whichever of the two sums has the smaller terms, since each
 * carries an absolute error of about eps times its largest term.
 */
static double
renyi_log_sum(const singdiv__pair *c, const double *p, const double *q, size_t n,
              double alpha)
{
    double inverse_p = 1.0 / c->p.total.hi;
    double inverse_q = 1.0 / c->q.total.hi;
    double largest = -HUGE_VAL;
    double scaled = 0.0; /* sum of exp(L_i - largest) */

    for (size_t i = 0; i < n; i++) {
        singdiv__cross_terms t;
        singdiv__cross_errors errors;
        double r;
        double log_x;
        double log_y;
        double exponent;

        if (!(p[i] > 0.0 && q[i] > 0.0)) {
            continue;
        }
        t = singdiv__cross_terms_of(c, p[i], q[i]);
        errors = singdiv__cross_errors_of(c, p[i], q[i], &t);
        r = singdiv__family_log_ratio(c, p[i], q[i], &t, &errors);
        log_x = singdiv__log_share_of(p[i], &c->p, inverse_p);
        log_y = singdiv__log_share_of(q[i], &c->q, inverse_q);
        if (fabs(log_x) + fabs((alpha - 1.0) * r) <= fabs(log_y) + fabs(alpha * r)) {
            exponent = fma(alpha - 1.0, r, log_x);
        } else {
            exponent = fma(alpha, r, log_y);
        }
        if (exponent > largest) {
            scaled = scaled * exp(largest - exponent) + 1.0;
            largest = exponent;
        } else {
            scaled += exp(exponent - largest);
        }
    }
    return largest + log(scaled);
}

/*
 * Returns log(S) / (alpha - 1) for alpha > 1 with the largest r = R
 * factored out: log(S) / (alpha - 1) = R + log(T) / (alpha - 1),
 * T = sum over C of x_i e^((alpha - 1)(r_i - R)). Every exponent is <= 0 and
 * T lies in (0, 1], so no power overflows however large alpha is, and the
 * value tends to the max-divergence R as alpha grows.
 */
static double
renyi_nats_factored(const singdiv__pair *c, const double *p, const double *q, size_t n,
                    double alpha)
{
    double inverse_p = 1.0 / c->p.total.hi;
    double largest = -HUGE_VAL;
    double log_top = -HUGE_VAL; /* the largest log x_i + (alpha - 1)(r_i - R) */
    double scaled = 0.0;        /* sum of exp(each of them - log_top) */

    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            singdiv__cross_terms t;
            singdiv__cross_errors e;
            double r;
            double exponent;

            if (!(p[i] > 0.0 && q[i] > 0.0)) {
                continue;
            }
            t = singdiv__cross_terms_of(c, p[i], q[i]);
            e = singdiv__cross_errors_of(c, p[i], q[i], &t);
            r = singdiv__family_log_ratio(c, p[i], q[i], &t, &e);
            if (pass == 0) {
                largest = fmax(largest, r);
                continue;
            }
            /* r - R <= 0, so the exponent is finite or -inf, never NaN. */
            exponent = singdiv__log_share_of(p[i], &c->p, inverse_p)
                       + (r == largest ? 0.0 : (alpha - 1.0) * (r - largest));
            if (exponent > log_top) {
                scaled = scaled * exp(log_top - exponent) + 1.0;
                log_top = exponent;
            } else if (exponent > -HUGE_VAL) {
                scaled += exp(exponent - log_top);
            }
        }
    }
    return largest + (log_top + log(scaled)) / (alpha - 1.0);
}

/* Returns log(S) / (alpha - 1) over the common support C, which is not empty. */
static double
renyi_nats(const singdiv__pair *c, const double *p, const double *q, size_t n,
           double alpha, singdiv__tally *tally)
{
    double b = alpha - 1.0;
    double excess = renyi_excess(c, p, q, n, alpha, tally) / c->pq;
    double s_minus_1 = b * excess;

    /*
     * From S = 1 + (S - 1) the error of log S is eps (1 - S) / S, small
     * against |log S| down to S = 1/4; below that, or after an overflow,
     * the log-sum-exp is more accurate.
     */
    if (s_minus_1 >= -0.75 && s_minus_1 <= DBL_MAX) {
        return log1p(s_minus_1) / b;
    }
    if (alpha > 1.0) {
        double nats = renyi_log_sum(c, p, q, n, alpha) / b;

        /* (alpha - 1) r overflows for alpha near DBL_MAX: factor out the largest r. */
        return isfinite(nats) ? nats : renyi_nats_factored(c, p, q, n, alpha);
    }
    return renyi_log_sum(c, p, q, n, alpha) / b;
}

singdiv_status
singdiv_renyi(const double *p, const double *q, size_t n, double alpha,
              const singdiv_options *opt, singdiv_report *out)
{
    singdiv__pair c;
    singdiv__tally tally = singdiv__tally_empty();
    singdiv_status status;
    double nats;

    status = singdiv__family_prepare(p, q, n, opt, out, &c);
    if (status != SINGDIV_OK) {
        return status;
    }
    if (!(alpha > 0.0)) {
        return singdiv__family_domain_error(out, "alpha", alpha);
    }

    if (alpha == 1.0) {
        return singdiv_kl(p, q, n, opt, out);
    }
    if (alpha == HUGE_VAL) {
        return singdiv_renyi_max(p, q, n, opt, out);
    }

    nats = renyi_nats(&c, p, q, n, alpha, &tally);
    singdiv__family_masses(out, &c, &tally);
    if (tally.shared_count == 0) {
        /* Disjoint supports: S = 0 and log(S) / (alpha - 1) is -inf or +inf. */
        nats = alpha < 1.0 ? HUGE_VAL : -HUGE_VAL;
    }
    if (alpha > 1.0 && tally.violating_count > 0) {
        /* The sum over C alone: V is left out, so it can be below 0. */
        out->finite_part = singdiv__in_base(nats, &c.options);
        out->value = HUGE_VAL;
    } else {
        /* The exact value is >= 0; rounding must not make it negative. */
        out->value = singdiv__in_base(fmax(nats, 0.0), &c.options);
        out->finite_part = out->value;
    }
    return SINGDIV_OK;
}

/* Returns log max over C of x_i / y_i, or -inf when C is empty. */
static double
max_log_ratio(const singdiv__pair *c, const double *p, const double *q, size_t n,
              singdiv__tally *tally)
{
    double largest = -HUGE_VAL;

    for (size_t i = 0; i < n; i++) {
        singdiv__cross_terms t = singdiv__cross_terms_of(c, p[i], q[i]);

        singdiv__tally_add(tally, p[i], q[i], t);
        if (p[i] > 0.0 && q[i] > 0.0) {
            singdiv__cross_errors e = singdiv__cross_errors_of(c, p[i], q[i], &t);

            largest = fmax(largest, singdiv__family_log_ratio(c, p[i], q[i], &t, &e));
        }
    }
    return largest;
}

singdiv_status
singdiv_renyi_max(const double *p, const double *q, size_t n,
                  const singdiv_options *opt, singdiv_report *out)
{
    singdiv__pair c;
    singdiv__tally tally = singdiv__tally_empty();
    singdiv_status status;
    double nats;

    status = singdiv__family_prepare(p, q, n, opt, out, &c);
    if (status != SINGDIV_OK) {
        return status;
    }

    nats = max_log_ratio(&c, p, q, n, &tally);

    singdiv__family_masses(out, &c, &tally);
    if (tally.violating_count > 0) {
        out->finite_part = singdiv__in_base(nats, &c.options);
        out->value = HUGE_VAL;
    } else {
        /* With V empty some x_i >= y_i, so the maximum is >= 0 exactly. */
        out->value = singdiv__in_base(fmax(nats, 0.0), &c.options);
        out->finite_part = out->value;
    }
    return SINGDIV_OK;
}
