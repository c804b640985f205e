/*
 * Helpers shared by the logits functions and the logits accumulators.
 * Nothing here is installed.
 */
#ifndef SINGDIV_LOGITS_INTERNAL_H
#define SINGDIV_LOGITS_INTERNAL_H

#include "internal.h"

/*
 * Checks that no logit is NaN (SINGDIV_ERR_NAN) or +inf
 * (SINGDIV_ERR_INFINITE), naming the first offender with index
 * offset + i. -inf is valid: an exact zero of the softmax.
 */
singdiv_status
singdiv__check_logits(const double *logits, size_t n, size_t offset, const char *argument,
                      singdiv_error *err);

/*
 * Returns s = (x - max) / temperature as a double-double, for finite
 * x <= max. The difference is exact (TwoSum) unless it overflows, in which
 * case both are halved first; hi is -inf, and lo 0, when s is below
 * -DBL_MAX.
 */
singdiv__dd
singdiv__scaled_gap(double x, double max, double temperature);

/*
 * Returns w 2^w_exp (max - x) / temperature >= 0 for w >= 0 and finite
 * x <= max, given gap = singdiv__scaled_gap(x, max, temperature). The
 * weight, the gap and the temperature are multiplied as mantissas and
 * exponents apart, so the product is finite whenever it is below DBL_MAX,
 * also where the gap is below -DBL_MAX (gap.hi = -inf) or w 2^w_exp is
 * subnormal. Where neither is the case it is exactly -ws (gap.hi + gap.lo)
 * with ws = w 2^w_exp. +inf only when the product exceeds DBL_MAX.
 */
double
singdiv__weighted_gap(double w, int w_exp, singdiv__dd gap, double x, double max,
                      double temperature);

/* Returns exp(hi + lo) as exp(hi) (1 + lo); 0 for hi = -inf. */
static inline double
singdiv__exp_dd(singdiv__dd s)
{
    double e = exp(s.hi);

    return fma(e, s.lo, e);
}

#endif /* SINGDIV_LOGITS_INTERNAL_H */
