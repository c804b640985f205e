/*
 * The deviance kernel A log(A / B) - (A - B), the building block of KL
 * and Jensen-Shannon written as sums of non-negative terms, out of line
 * for the other modules. The derivation, the polynomial and the error
 * budget are in deviance_kernel.h.
 */
#include "deviance_kernel.h"
#include "internal.h"

double
singdiv__deviance_series(double v)
{
    return (v * v) * singdiv__deviance_factor(v);
}

double
singdiv__deviance(double a, double b, double d)
{
    if (a == 0.0) {
        return b;
    }
    if (b == 0.0) {
        return HUGE_VAL;
    }
    return singdiv__deviance_positive(a, b, d);
}
