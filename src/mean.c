/*
 * Means of non-negative terms that stay finite when their plain sum
 * overflows (see singdiv__mean_sum in internal.h).
 */
#include <float.h>

#include "internal.h"

void
singdiv__mean_add(singdiv__mean_sum *m, double term)
{
    if (isinf(term)) {
        m->infinite = 1;
        return;
    }
    singdiv__sum_add(&m->plain, term);
    singdiv__sum_add(&m->scaled, term * 0x1p-64);
}

double
singdiv__mean_value(const singdiv__mean_sum *m, double count)
{
    double plain = singdiv__sum_value(&m->plain);
    double mean;

    if (m->infinite) {
        return HUGE_VAL;
    }
    if (isfinite(plain)) {
        return plain / count;
    }
    /*
     * The mean of terms <= DBL_MAX is <= DBL_MAX; only rounding can carry
     * it past. A comparison, unlike fmin(), lets a NaN through.
     */
    mean = singdiv__sum_value(&m->scaled) / count * 0x1p64;
    return mean > DBL_MAX ? DBL_MAX : mean;
}
