/*
 * LSD radix sort of doubles. A double's bit pattern becomes an unsigned key
 * with the same order: negative numbers have all bits flipped (larger
 * magnitude, smaller key), non-negative ones only the sign bit. The sort
 * moves the doubles themselves and recomputes the key in each pass, which
 * costs a few integer instructions and saves a decoding pass.
 */
#include <stdint.h>
#include <string.h>

#include "radix_sort.h"

#define RADIX_SIZE ((size_t)1 << SINGDIV__RADIX_BITS)
#define RADIX_MASK ((uint64_t)RADIX_SIZE - 1)

/* Below this length insertion sort beats clearing the counters. */
#define INSERTION_MAX 64

static inline uint64_t
key_of(double x)
{
    uint64_t bits;
    uint64_t mask;

    memcpy(&bits, &x, sizeof bits);
    mask = ((uint64_t)0 - (bits >> 63)) | ((uint64_t)1 << 63);
    return bits ^ mask;
}

static void
insertion_sort(const double *x, const double *w, size_t n, double *out, double *out_w)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t key = key_of(x[i]);
        size_t j = i;

        while (j > 0 && key_of(out[j - 1]) > key) {
            out[j] = out[j - 1];
            if (w != NULL) {
                out_w[j] = out_w[j - 1];
            }
            j--;
        }
        out[j] = x[i];
        if (w != NULL) {
            out_w[j] = w[i];
        }
    }
}

/*
 * Counts every digit of every key in one pass, then turns the counts of the
 * digits that vary into starting offsets. Stores the shifts of those digits
 * in shifts[] and returns how many there are.
 */
static size_t
plan_passes(const double *x, size_t n, size_t *counts, unsigned *shifts)
{
    uint64_t first = key_of(x[0]);
    size_t passes = 0;

    memset(counts, 0, SINGDIV__RADIX_COUNTS * sizeof *counts);
    for (size_t i = 0; i < n; i++) {
        uint64_t key = key_of(x[i]);

        for (unsigned d = 0; d < SINGDIV__RADIX_DIGITS; d++) {
            counts[(d << SINGDIV__RADIX_BITS) + ((key >> (d * SINGDIV__RADIX_BITS)) & RADIX_MASK)]++;
        }
    }

    for (unsigned d = 0; d < SINGDIV__RADIX_DIGITS; d++) {
        size_t *c = counts + ((size_t)d << SINGDIV__RADIX_BITS);
        unsigned shift = d * SINGDIV__RADIX_BITS;
        size_t offset = 0;

        /* A digit shared by every key leaves the order unchanged. */
        if (c[(first >> shift) & RADIX_MASK] == n) {
            continue;
        }
        for (size_t b = 0; b < RADIX_SIZE; b++) {
            size_t count = c[b];

            c[b] = offset;
            offset += count;
        }
        shifts[passes++] = shift;
    }
    return passes;
}

static void
scatter(const double *src, size_t n, double *dst, size_t *offsets, unsigned shift)
{
    for (size_t i = 0; i < n; i++) {
        double value = src[i];

        dst[offsets[(key_of(value) >> shift) & RADIX_MASK]++] = value;
    }
}

static void
scatter_weighted(const double *src, const double *src_w, size_t n, double *dst,
                 double *dst_w, size_t *offsets, unsigned shift)
{
    for (size_t i = 0; i < n; i++) {
        double value = src[i];
        size_t slot = offsets[(key_of(value) >> shift) & RADIX_MASK]++;

        dst[slot] = value;
        dst_w[slot] = src_w[i];
    }
}

void
singdiv__radix_sort(const double *x, const double *w, size_t n, double *out,
                    double *out_w, double *tmp, double *tmp_w, size_t *counts)
{
    unsigned shifts[SINGDIV__RADIX_DIGITS];
    size_t passes;
    const double *src = x;
    const double *src_w = w;
    double *dst;
    double *dst_w;

    if (n <= INSERTION_MAX) {
        insertion_sort(x, w, n, out, out_w);
        return;
    }

    passes = plan_passes(x, n, counts, shifts);
    if (passes == 0) {
        memcpy(out, x, n * sizeof *out);
        if (w != NULL) {
            memcpy(out_w, w, n * sizeof *out_w);
        }
        return;
    }

    /* Start in the buffer that makes the last pass land in out. */
    dst = passes % 2 == 1 ? out : tmp;
    dst_w = passes % 2 == 1 ? out_w : tmp_w;
    for (size_t p = 0; p < passes; p++) {
        size_t *offsets = counts + ((size_t)(shifts[p] / SINGDIV__RADIX_BITS) << SINGDIV__RADIX_BITS);

        if (w != NULL) {
            scatter_weighted(src, src_w, n, dst, dst_w, offsets, shifts[p]);
        } else {
            scatter(src, n, dst, offsets, shifts[p]);
        }
        src = dst;
        src_w = dst_w;
        dst = dst == out ? tmp : out;
        dst_w = dst_w == out_w ? tmp_w : out_w;
    }
}
