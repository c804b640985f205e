/*
 * The deviance kernel A log(A / B) - (A - B), the building block of KL
 * and Jensen-Shannon written as sums of non-negative terms.
 *
 * With s = A + B and v = (A - B) / s, A = s (1 + v) / 2 and B = s (1 - v) / 2,
 * so A log(A / B) - (A - B) = s h(v) with h(v) = (1 + v) atanh(v) - v >= 0.
 * Expanding atanh,
 *     h(v) = v^2 (1 + w/3 + w^2/5 + ...) + v^3 (1/3 + w/5 + w^2/7 + ...),
 * w = v^2: both series have positive coefficients 1 / (2k + 1), and for
 * |v| <= 1/2 the odd part is at most 1/6 of the even part, so h keeps full
 * relative accuracy however small v is. Outside that range the direct form
 * loses at most a factor 2.5 to cancellation (at A / B = 3 or 1/3).
 */
#include <float.h>

#include "internal.h"

/* 1 / (2k + 1) for k = 0 .. 28, each correctly rounded. */
static const double inverse_odd[29] = {
    1.0,      1.0 / 3,  1.0 / 5,  1.0 / 7,  1.0 / 9,  1.0 / 11, 1.0 / 13, 1.0 / 15,
    1.0 / 17, 1.0 / 19, 1.0 / 21, 1.0 / 23, 1.0 / 25, 1.0 / 27, 1.0 / 29, 1.0 / 31,
    1.0 / 33, 1.0 / 35, 1.0 / 37, 1.0 / 39, 1.0 / 41, 1.0 / 43, 1.0 / 45, 1.0 / 47,
    1.0 / 49, 1.0 / 51, 1.0 / 53, 1.0 / 55, 1.0 / 57,
};

/*
 * Evaluates sum_{k=0}^{terms-1} w^k / (2k + 1 + 2 shift) by Horner's rule.
 * The truncation error is below w^terms / (1 - w) relative to the first term.
 */
static inline double
odd_reciprocal_series(double w, int terms, int shift)
{
    double r = inverse_odd[terms - 1 + shift];

    for (int k = terms - 2; k >= 0; k--) {
        r = fma(r, w, inverse_odd[k + shift]);
    }
    return r;
}

double
singdiv__deviance_series(double v)
{
    double w = v * v;
    double a;
    double b;
    int terms;

    /* Fewest terms with w^terms below 2^-56: w < 2^-14 needs 4, w < 2^-8 needs 7. */
    if (w < 0x1p-14) {
        terms = 4;
    } else if (w < 0x1p-8) {
        terms = 7;
    } else if (w < 0x1p-4) {
        terms = 14;
    } else {
        terms = 28;
    }
    a = odd_reciprocal_series(w, terms, 0);
    b = odd_reciprocal_series(w, terms, 1);
    return w * fma(v, b, a);
}

/* Returns log(a / b) for a, b > 0, also where a / b over- or underflows. */
static double
log_ratio(double a, double b)
{
    double r = a / b;

    if (r >= DBL_MIN && r <= DBL_MAX) {
        return log(r);
    }
    return log(a) - log(b);
}

double
singdiv__deviance(double a, double b, double d)
{
    double s;
    double v;

    if (a == 0.0) {
        return b;
    }
    if (b == 0.0) {
        return HUGE_VAL;
    }

    s = a + b;
    v = d / s;
    if (fabs(v) <= 0.5) {
        return s * singdiv__deviance_series(v);
    }
    return a * log_ratio(a, b) - d;
}
