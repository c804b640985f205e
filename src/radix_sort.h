/*
 * LSD radix sort of doubles on their bit patterns, carrying a weight with
 * each value. Internal to the library.
 */
#ifndef SINGDIV_RADIX_SORT_H
#define SINGDIV_RADIX_SORT_H

#include <stddef.h>

/* Bits per digit, and digits per round of passes over a 32-bit window of the key. */
#define SINGDIV__RADIX_BITS 8
#define SINGDIV__RADIX_DIGITS 4

/* The number of size_t counters that singdiv__radix_sort() needs. */
#define SINGDIV__RADIX_COUNTS ((size_t)SINGDIV__RADIX_DIGITS << SINGDIV__RADIX_BITS)

/*
 * Sorts the n finite doubles x into out in increasing order, -0.0 before
 * +0.0, in O(n): a scan for the bits that vary, one counting pass, one
 * stable scatter pass per varying 8-bit digit of a 32-bit window of the
 * order-preserving key, and a scan that sorts runs of keys equal in that
 * window by the rest of the key. When w is not NULL, out_w receives the
 * weights in the order of out. tmp and tmp_w (tmp_w only when w is not NULL) are scratch
 * arrays of n doubles and counts holds SINGDIV__RADIX_COUNTS counters; none
 * of the arrays may overlap x or w. Short inputs are sorted by insertion.
 */
void
singdiv__radix_sort(const double *x, const double *w, size_t n, double *out,
                    double *out_w, double *tmp, double *tmp_w, size_t *counts);

#endif /* SINGDIV_RADIX_SORT_H */
