/*
 * LSD radix sort of doubles. A double's bit pattern becomes an unsigned key
 * with the same order: negative numbers have all bits flipped (larger
 * magnitude, smaller key), non-negative ones only the sign bit.
 *
 * Only the 32 bits of the key below its highest varying bit are sorted by
 * radix passes, 8 bits at a time: bits above are the same in every key, and
 * 32 bits separate the values of typical data. Keys that agree on those 32
 * bits end up next to each other, and a last scan sorts each such run by
 * the rest of the key (by insertion when it is short, else by a second
 * round of radix passes on the run). The sort moves the doubles themselves
 * and recomputes the key in each pass, which costs a few integer
 * instructions and saves a decoding pass.
 */
#include <stdint.h>
#include <string.h>

#include "radix_sort.h"

#define RADIX_SIZE ((size_t)1 << SINGDIV__RADIX_BITS)
#define RADIX_MASK ((uint64_t)RADIX_SIZE - 1)

/* The width of the part of the key sorted by radix passes. */
#define WINDOW_BITS 32

/* Below this length insertion sort beats clearing the counters. */
#define INSERTION_MAX 64

/* An array of values and, when sorting weighted values, their weights. */
typedef struct buffers {
    double *x;
    double *w;
} buffers;

/* The same, read only. */
typedef struct values {
    const double *x;
    const double *w;
} values;

static inline uint64_t
key_of(double x)
{
    uint64_t bits;
    uint64_t mask;

    memcpy(&bits, &x, sizeof bits);
    mask = ((uint64_t)0 - (bits >> 63)) | ((uint64_t)1 << 63);
    return bits ^ mask;
}

/* Sorts x (and w) in place by insertion. */
static void
insertion_sort(double *x, double *w, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        double value = x[i];
        double weight = w != NULL ? w[i] : 0.0;
        uint64_t key = key_of(value);
        size_t j = i;

        while (j > 0 && key_of(x[j - 1]) > key) {
            x[j] = x[j - 1];
            if (w != NULL) {
                w[j] = w[j - 1];
            }
            j--;
        }
        x[j] = value;
        if (w != NULL) {
            w[j] = weight;
        }
    }
}

/* Returns the position of the highest bit in which some key differs from the first, or -1. */
static int
highest_varying_bit(const double *x, size_t n)
{
    uint64_t first = key_of(x[0]);
    uint64_t differ = 0;
    int bit = -1;

    for (size_t i = 1; i < n; i++) {
        differ |= key_of(x[i]) ^ first;
    }
    while (differ != 0) {
        differ >>= 1;
        bit++;
    }
    return bit;
}

/*
 * Counts the digits of the keys at shifts low, low + 8, ... below high and
 * turns the counts of the digits that vary into starting offsets. Stores
 * the shifts of those digits in shifts[] and returns how many there are.
 */
static size_t
plan_passes(const double *x, size_t n, unsigned low, unsigned digits, size_t *counts,
            unsigned *shifts)
{
    uint64_t first = key_of(x[0]);
    size_t passes = 0;

    memset(counts, 0, ((size_t)digits << SINGDIV__RADIX_BITS) * sizeof *counts);
    for (size_t i = 0; i < n; i++) {
        uint64_t key = key_of(x[i]) >> low;

        for (unsigned d = 0; d < digits; d++) {
            counts[((size_t)d << SINGDIV__RADIX_BITS) + ((key >> (d * SINGDIV__RADIX_BITS)) & RADIX_MASK)]++;
        }
    }

    for (unsigned d = 0; d < digits; d++) {
        size_t *c = counts + ((size_t)d << SINGDIV__RADIX_BITS);
        unsigned shift = low + d * SINGDIV__RADIX_BITS;
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

/*
 * One stable pass on the digit at shift. The loop loads four values before
 * it stores any, which lets the processor overlap the counter updates.
 */
static void
scatter(const double *src, size_t n, double *dst, size_t *offsets, unsigned shift)
{
    size_t i = 0;

    for (; i + 4 <= n; i += 4) {
        double a = src[i];
        double b = src[i + 1];
        double c = src[i + 2];
        double d = src[i + 3];

        dst[offsets[(key_of(a) >> shift) & RADIX_MASK]++] = a;
        dst[offsets[(key_of(b) >> shift) & RADIX_MASK]++] = b;
        dst[offsets[(key_of(c) >> shift) & RADIX_MASK]++] = c;
        dst[offsets[(key_of(d) >> shift) & RADIX_MASK]++] = d;
    }
    for (; i < n; i++) {
        double a = src[i];

        dst[offsets[(key_of(a) >> shift) & RADIX_MASK]++] = a;
    }
}

static void
scatter_weighted(const double *src, const double *src_w, size_t n, double *dst,
                 double *dst_w, size_t *offsets, unsigned shift)
{
    size_t i = 0;

    for (; i + 2 <= n; i += 2) {
        double a = src[i];
        double b = src[i + 1];
        double wa = src_w[i];
        double wb = src_w[i + 1];
        size_t slot = offsets[(key_of(a) >> shift) & RADIX_MASK]++;

        dst[slot] = a;
        dst_w[slot] = wa;
        slot = offsets[(key_of(b) >> shift) & RADIX_MASK]++;
        dst[slot] = b;
        dst_w[slot] = wb;
    }
    for (; i < n; i++) {
        size_t slot = offsets[(key_of(src[i]) >> shift) & RADIX_MASK]++;

        dst[slot] = src[i];
        dst_w[slot] = src_w[i];
    }
}

/*
 * Runs the planned passes from src through first and second alternately
 * and returns the buffer that holds the result.
 */
static values
run_passes(values src, size_t n, buffers first, buffers second, size_t *counts,
           const unsigned *shifts, size_t passes)
{
    buffers dst = first;

    for (size_t p = 0; p < passes; p++) {
        size_t *offsets = counts + (p << SINGDIV__RADIX_BITS);

        if (src.w != NULL) {
            scatter_weighted(src.x, src.w, n, dst.x, dst.w, offsets, shifts[p]);
        } else {
            scatter(src.x, n, dst.x, offsets, shifts[p]);
        }
        src.x = dst.x;
        src.w = dst.w;
        dst = dst.x == first.x ? second : first;
    }
    return src;
}

/*
 * Sorts by the window of WINDOW_BITS bits below the highest varying bit.
 * The result lands in out; tmp is scratch. src may be out itself, in which
 * case the first pass writes to tmp. Returns the lowest bit of the window.
 */
static unsigned
sort_window(values src, size_t n, buffers out, buffers tmp, size_t *counts, int high)
{
    unsigned shifts[WINDOW_BITS / SINGDIV__RADIX_BITS];
    unsigned low = high >= WINDOW_BITS ? (unsigned)(high - WINDOW_BITS + 1) : 0;
    unsigned digits = ((unsigned)high - low) / SINGDIV__RADIX_BITS + 1;
    size_t passes = plan_passes(src.x, n, low, digits, counts, shifts);
    int in_place = src.x == out.x;
    values result;

    /* Compact the offsets of the passes to run so that pass p uses block p. */
    for (size_t p = 0; p < passes; p++) {
        size_t d = (shifts[p] - low) / SINGDIV__RADIX_BITS;

        if (d != p) {
            memmove(counts + (p << SINGDIV__RADIX_BITS), counts + (d << SINGDIV__RADIX_BITS),
                    RADIX_SIZE * sizeof *counts);
        }
    }

    /* Start where the last pass lands in out, unless src is out. */
    if (!in_place && passes % 2 == 1) {
        result = run_passes(src, n, out, tmp, counts, shifts, passes);
    } else {
        result = run_passes(src, n, tmp, out, counts, shifts, passes);
    }
    if (result.x != out.x) {
        memcpy(out.x, result.x, n * sizeof *out.x);
        if (src.w != NULL) {
            memcpy(out.w, result.w, n * sizeof *out.w);
        }
    }
    return low;
}

static void sort_buffers(values src, size_t n, buffers out, buffers tmp, size_t *counts);

/* Sorts, by the whole key, each run of out whose keys agree above bit low. */
static void
sort_runs(buffers out, size_t n, buffers tmp, size_t *counts, unsigned low)
{
    size_t start = 0;

    while (start < n) {
        uint64_t top = key_of(out.x[start]) >> low;
        size_t end = start + 1;

        while (end < n && key_of(out.x[end]) >> low == top) {
            end++;
        }
        if (end - start > 1) {
            buffers run = { out.x + start, out.w != NULL ? out.w + start : NULL };
            buffers scratch = { tmp.x + start, tmp.w != NULL ? tmp.w + start : NULL };
            values unsorted = { run.x, run.w };

            sort_buffers(unsorted, end - start, run, scratch, counts);
        }
        start = end;
    }
}

static void
sort_buffers(values src, size_t n, buffers out, buffers tmp, size_t *counts)
{
    int high;
    unsigned low;

    if (n <= INSERTION_MAX) {
        if (src.x != out.x) {
            memcpy(out.x, src.x, n * sizeof *out.x);
            if (src.w != NULL) {
                memcpy(out.w, src.w, n * sizeof *out.w);
            }
        }
        insertion_sort(out.x, out.w, n);
        return;
    }
    high = highest_varying_bit(src.x, n);
    if (high < 0) {
        high = 0;
    }
    low = sort_window(src, n, out, tmp, counts, high);
    if (low > 0) {
        sort_runs(out, n, tmp, counts, low);
    }
}

void
singdiv__radix_sort(const double *x, const double *w, size_t n, double *out,
                    double *out_w, double *tmp, double *tmp_w, size_t *counts)
{
    values src = { x, w };
    buffers result = { out, w != NULL ? out_w : NULL };
    buffers scratch = { tmp, w != NULL ? tmp_w : NULL };

    sort_buffers(src, n, result, scratch, counts);
}
