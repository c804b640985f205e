/*
 * The pass of the histogram W1 (see w1_hist.h).
 *
 * The running difference D_i is a prefix sum, one long dependency chain
 * if walked in order. Here the terms go in blocks of LANES spans of SPAN
 * consecutive entries. Pass A walks the spans side by side, lane k
 * holding the running sum of its own span from zero, and keeps those
 * local sums in a buffer on the stack. The carry into each span is then
 * known (the carry into the block plus the totals of the spans before
 * it), and pass B adds it to the local sums, forms |D_i| times the width
 * and sums the terms in compensated lanes. Every lane is an independent
 * chain, and the AVX2 copy keeps the four lanes in one register. Inputs
 * are read once; the buffer stays in the L1 cache.
 *
 * Steps: a_i - b_i with a_i = p_i (fp Q) and b_i = q_i (fq P). The
 * factors fp Q and fq P are formed once. They are exact because fp and fq
 * are powers of two and the pass runs only when no factor overflows or
 * underflows, so the products equal those of the scaled shares p_i fp
 * and q_i fq. The
 * products with the high parts of the factors are split exactly by fma
 * (TwoProduct) and their high parts subtracted by TwoSum. The low part
 * of a step adds the products with the low parts of the factors, with
 * roundings near 2^-106 of a_i + b_i.
 * Local sums keep an exact high-part chain (TwoSum) and collect the
 * errors in an unnormalised low part, which over SPAN = 64 steps stays
 * within 64 ulp of the high part.
 */
#include "w1_hist.h"

#include <float.h>
#include <stdint.h>
#include <string.h>

#if SINGDIV_HAVE_AVX2_KERNELS
#include <immintrin.h>
#define W1_X86_DISPATCH 1
#define W1_AVX2 __attribute__((target("avx2,fma")))
#else
#define W1_X86_DISPATCH 0
#endif

enum { LANES = 4, SPAN = 64, BLOCK = LANES * SPAN };

/*
 * Nonzero products below this lose bits to subnormal rounding: the low
 * half of a TwoProduct is 2^-106 of the product and must stay >= 2^-1074.
 * A product p_i fp Q_hi with Q_hi in [1, 2) is below it when the share
 * p_i fp is below 2^-968, and only when p_i fp is below 2^-967.
 */
#define TINY_PRODUCT 0x1p-967

/* The factors of the steps: a_i = p_i (a_hi + a_lo), b_i = q_i (b_hi + b_lo). */
typedef struct step_factors {
    double a_hi;
    double a_lo;
    double b_hi;
    double b_lo;
} step_factors;

/* The local sums of one block, row t holding entry t of each span. */
typedef struct block_buffer {
    double gap_hi[SPAN][LANES];
    double gap_lo[SPAN][LANES];
    double width[SPAN][LANES];
} block_buffer;

/* The state carried from block to block; both copies keep it the same way. */
typedef struct sweep_state {
    singdiv__dd carry;          /* D at the end of the blocks done, normalised */
    double span_hi[LANES];      /* local sums of the spans of the current block */
    double span_lo[LANES];
    double sum_hi[2][LANES];    /* term sums: even rows, odd rows */
    double sum_lo[2][LANES];
    double smallest[LANES];     /* min of below() of the high parts of a_i, b_i */
    double narrowest[LANES];    /* min of the widths; NaN widths show in the sums */
    double reach[LANES];        /* max |local sum| in the current block, AVX2 copy only */
} sweep_state;

/*
 * Returns the double whose bit pattern is that of x >= 0 minus one: for
 * x > 0 a double just below x, and for x = 0 a NaN. A minimum that keeps
 * its accumulator when the new value is NaN therefore skips the zeros,
 * and yields the smallest nonzero entry with two operations.
 */
static inline double
below(double x)
{
    uint64_t bits;

    memcpy(&bits, &x, sizeof bits);
    bits -= 1;
    memcpy(&x, &bits, sizeof x);
    return x;
}

/* Returns y < acc ? y : acc, which is _mm256_min_pd(y, acc): acc when y is NaN. */
static inline double
min_keep(double y, double acc)
{
    return y < acc ? y : acc;
}

/*
 * Returns a - b as an exact double-double: TwoSum of a and -b, written
 * with subtractions so that the AVX2 copy needs no sign flip.
 */
static inline singdiv__dd
two_diff(double a, double b)
{
    singdiv__dd r;
    double bb;

    r.hi = a - b;
    bb = a - r.hi;
    r.lo = (a - (r.hi + bb)) - (b - bb);
    return r;
}

/* Stores step i as hi + lo and folds its products into *smallest (see below()). */
static inline void
step_at(const singdiv__w1_hist_input *in, const step_factors *f, size_t i, double *hi,
        double *lo, double *smallest)
{
    double p = in->p[i];
    double q = in->q[i];
    singdiv__dd a = singdiv__two_prod(p, f->a_hi);
    singdiv__dd b = singdiv__two_prod(q, f->b_hi);
    singdiv__dd s = two_diff(a.hi, b.hi);
    double a_low = fma(p, f->a_lo, a.lo);
    double b_low = fma(q, f->b_lo, b.lo);

    *hi = s.hi;
    *lo = s.lo + (a_low - b_low);
    *smallest = min_keep(below(b.hi), min_keep(below(a.hi), *smallest));
}

/* Returns x_{i+1} - x_i and folds it into the narrowest width *narrowest. */
static inline double
width_at(const double *x, size_t i, double *narrowest)
{
    double dx = x[i + 1] - x[i];

    *narrowest = *narrowest < dx ? *narrowest : dx;
    return dx;
}

/*
 * Adds term >= 0 to the compensated pair (*hi, *lo), *hi >= 0. The larger
 * of the two goes first, so Fast2Sum (three additions) recovers the error
 * exactly. The selections are those of _mm256_max_pd and _mm256_min_pd,
 * and a NaN term leaves a NaN in *lo.
 */
static inline void
add_term(double *hi, double *lo, double term)
{
    double big = *hi > term ? *hi : term;
    double small = *hi < term ? *hi : term;
    double sum = big + small;

    *lo += small - (sum - big);
    *hi = sum;
}

/* Pass A of the portable copy: the local sums of the block starting at base. */
static void
local_sums_scalar(const singdiv__w1_hist_input *in, const step_factors *f, size_t base,
                  sweep_state *st, block_buffer *buf)
{
    for (int k = 0; k < LANES; k++) {
        st->span_hi[k] = 0.0;
        st->span_lo[k] = 0.0;
    }
    for (int t = 0; t < SPAN; t++) {
        for (int k = 0; k < LANES; k++) {
            size_t i = base + (size_t)k * SPAN + (size_t)t;
            double hi;
            double lo;
            singdiv__dd s;

            step_at(in, f, i, &hi, &lo, &st->smallest[k]);
            buf->width[t][k] = width_at(in->x, i, &st->narrowest[k]);
            s = singdiv__two_sum(st->span_hi[k], hi);
            st->span_hi[k] = s.hi;
            st->span_lo[k] = st->span_lo[k] + (s.lo + lo);
            buf->gap_hi[t][k] = st->span_hi[k];
            buf->gap_lo[t][k] = st->span_lo[k];
        }
    }
}

/* Returns a + b for two double-doubles, normalised. */
static inline singdiv__dd
dd_add_dd(singdiv__dd a, singdiv__dd b)
{
    singdiv__dd s = singdiv__two_sum(a.hi, b.hi);

    s.lo += a.lo + b.lo;
    return singdiv__two_sum(s.hi, s.lo);
}

/* Stores the carry into each span of the block and advances the block carry. */
static void
span_carries(sweep_state *st, singdiv__dd carry[LANES])
{
    carry[0] = st->carry;
    for (int k = 1; k < LANES; k++) {
        singdiv__dd span = { st->span_hi[k - 1], st->span_lo[k - 1] };

        carry[k] = dd_add_dd(carry[k - 1], span);
    }
    {
        singdiv__dd last = { st->span_hi[LANES - 1], st->span_lo[LANES - 1] };

        st->carry = dd_add_dd(carry[LANES - 1], last);
    }
}

/* Pass B of the portable copy: adds the carries and sums the terms. */
static void
terms_scalar(sweep_state *st, const singdiv__dd carry[LANES], const block_buffer *buf)
{
    for (int t = 0; t < SPAN; t++) {
        for (int k = 0; k < LANES; k++) {
            singdiv__dd s = singdiv__two_sum(carry[k].hi, buf->gap_hi[t][k]);
            double d = s.hi + (s.lo + (carry[k].lo + buf->gap_lo[t][k]));

            add_term(&st->sum_hi[t & 1][k], &st->sum_lo[t & 1][k], fabs(d) * buf->width[t][k]);
        }
    }
}

#if W1_X86_DISPATCH

/* TwoSum on four lanes, in the operation order of singdiv__two_sum(). */
W1_AVX2 static inline __m256d
two_sum4(__m256d a, __m256d b, __m256d *lo)
{
    __m256d hi = _mm256_add_pd(a, b);
    __m256d bb = _mm256_sub_pd(hi, a);

    *lo = _mm256_add_pd(_mm256_sub_pd(a, _mm256_sub_pd(hi, bb)), _mm256_sub_pd(b, bb));
    return hi;
}

/* The step factors in registers. */
typedef struct wide_factors {
    __m256d a_hi, a_lo, b_hi, b_lo;
} wide_factors;

/* below() on four lanes. */
W1_AVX2 static inline __m256d
below4(__m256d x)
{
    return _mm256_castsi256_pd(_mm256_sub_epi64(_mm256_castpd_si256(x), _mm256_set1_epi64x(1)));
}

/* Computes step_at() on four lanes: returns the high part, folds the products into *smallest. */
W1_AVX2 static inline __m256d
step4(const wide_factors *f, __m256d p, __m256d q, __m256d *lo, __m256d *smallest)
{
    __m256d a_hi = _mm256_mul_pd(p, f->a_hi);
    __m256d a_lo = _mm256_fmsub_pd(p, f->a_hi, a_hi);
    __m256d b_hi = _mm256_mul_pd(q, f->b_hi);
    __m256d b_lo = _mm256_fmsub_pd(q, f->b_hi, b_hi);
    __m256d s_hi = _mm256_sub_pd(a_hi, b_hi);
    __m256d bb = _mm256_sub_pd(a_hi, s_hi);
    __m256d s_lo = _mm256_sub_pd(_mm256_sub_pd(a_hi, _mm256_add_pd(s_hi, bb)),
                                 _mm256_sub_pd(b_hi, bb));
    __m256d a_low = _mm256_fmadd_pd(p, f->a_lo, a_lo);
    __m256d b_low = _mm256_fmadd_pd(q, f->b_lo, b_lo);

    *smallest = _mm256_min_pd(below4(b_hi), _mm256_min_pd(below4(a_hi), *smallest));
    *lo = _mm256_add_pd(s_lo, _mm256_sub_pd(a_low, b_low));
    return s_hi;
}

/*
 * Loads entries t to t + 3 of each span and transposes them, so that r[j]
 * contains entry t + j of spans 0 to 3. The halves are loaded into place and paired
 * with unpack, which avoids the cross-lane permutes that are slow on some
 * processors.
 */
W1_AVX2 static inline void
load_rows(const double *a, size_t base, size_t t, __m256d r[4])
{
    const double *s0 = a + base + t;
    const double *s1 = s0 + SPAN;
    const double *s2 = s1 + SPAN;
    const double *s3 = s2 + SPAN;

    for (int h = 0; h < 2; h++) {
        __m256d even = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(s0 + 2 * h)),
                                            _mm_loadu_pd(s2 + 2 * h), 1);
        __m256d odd = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(s1 + 2 * h)),
                                           _mm_loadu_pd(s3 + 2 * h), 1);

        r[2 * h] = _mm256_unpacklo_pd(even, odd);
        r[2 * h + 1] = _mm256_unpackhi_pd(even, odd);
    }
}

/*
 * The widths x_{i+1} - x_i for entries t to t + 3 of each span, as rows.
 * *row contains the points at entry t on entry and at entry t + 4 on return,
 * so each point is loaded once.
 */
W1_AVX2 static inline void
width_rows(const double *x, size_t base, size_t t, __m256d *row, __m256d r[4],
           __m256d *narrowest)
{
    __m256d next[4];

    load_rows(x, base, t + 1, next);
    for (int j = 0; j < 4; j++) {
        r[j] = _mm256_sub_pd(next[j], j == 0 ? *row : next[j - 1]);
        *narrowest = _mm256_min_pd(*narrowest, r[j]);
    }
    *row = next[3];
}

/* Asks for the cache lines at offset i of each span of the next block, a block ahead. */
W1_AVX2 static inline void
prefetch_next_block(const singdiv__w1_hist_input *in, size_t i)
{
    for (int k = 0; k < LANES; k++) {
        size_t at = i + (size_t)k * SPAN;

        _mm_prefetch((const char *)(in->p + at), _MM_HINT_T0);
        _mm_prefetch((const char *)(in->q + at), _MM_HINT_T0);
        _mm_prefetch((const char *)(in->x + at), _MM_HINT_T0);
    }
}

/* Pass A of the AVX2 copy, operation for operation local_sums_scalar(). */
W1_AVX2 static void
local_sums_avx2(const singdiv__w1_hist_input *in, const wide_factors *f, size_t base,
                size_t terms, sweep_state *st, block_buffer *buf)
{
    __m256d span_hi = _mm256_setzero_pd();
    __m256d span_lo = _mm256_setzero_pd();
    const __m256d magnitude = _mm256_castsi256_pd(_mm256_set1_epi64x(INT64_MAX));
    __m256d reach = _mm256_setzero_pd();
    __m256d smallest = _mm256_loadu_pd(st->smallest);
    __m256d narrowest = _mm256_loadu_pd(st->narrowest);
    const double *x = in->x + base;
    __m256d x_row = _mm256_setr_pd(x[0], x[SPAN], x[2 * SPAN], x[3 * SPAN]);

    for (size_t t = 0; t < SPAN; t += 4) {
        __m256d p[4];
        __m256d q[4];
        __m256d dx[4];

        if (t % 8 == 0 && base + 2 * BLOCK <= terms) {
            prefetch_next_block(in, base + BLOCK + t);
        }
        load_rows(in->p, base, t, p);
        load_rows(in->q, base, t, q);
        width_rows(in->x, base, t, &x_row, dx, &narrowest);
        for (int j = 0; j < 4; j++) {
            __m256d lo;
            __m256d hi = step4(f, p[j], q[j], &lo, &smallest);
            __m256d s_lo;

            span_hi = two_sum4(span_hi, hi, &s_lo);
            span_lo = _mm256_add_pd(span_lo, _mm256_add_pd(s_lo, lo));
            reach = _mm256_max_pd(reach, _mm256_and_pd(span_hi, magnitude));
            _mm256_storeu_pd(buf->gap_hi[t + (size_t)j], span_hi);
            _mm256_storeu_pd(buf->gap_lo[t + (size_t)j], span_lo);
            _mm256_storeu_pd(buf->width[t + (size_t)j], dx[j]);
        }
    }
    _mm256_storeu_pd(st->span_hi, span_hi);
    _mm256_storeu_pd(st->span_lo, span_lo);
    _mm256_storeu_pd(st->reach, reach);
    _mm256_storeu_pd(st->smallest, smallest);
    _mm256_storeu_pd(st->narrowest, narrowest);
}

/* The carries of a block in registers. */
typedef struct wide_carry {
    __m256d hi, lo;
} wide_carry;

/*
 * Adds the term of row t into the compensated pair (*sum_hi, *sum_lo), as
 * terms_scalar() does. With ordered set, every |carry| is at least every
 * |local sum| of its span, so Fast2Sum gives the same two parts as TwoSum
 * with half the additions.
 */
W1_AVX2 static inline void
add_row(const wide_carry *c, const block_buffer *buf, size_t t, int ordered,
        __m256d *sum_hi, __m256d *sum_lo)
{
    const __m256d magnitude = _mm256_castsi256_pd(_mm256_set1_epi64x(INT64_MAX));
    __m256d gap_hi = _mm256_loadu_pd(buf->gap_hi[t]);
    __m256d s_lo;
    __m256d s_hi;

    if (ordered) {
        s_hi = _mm256_add_pd(c->hi, gap_hi);
        s_lo = _mm256_sub_pd(gap_hi, _mm256_sub_pd(s_hi, c->hi));
    } else {
        s_hi = two_sum4(c->hi, gap_hi, &s_lo);
    }
    __m256d low = _mm256_add_pd(c->lo, _mm256_loadu_pd(buf->gap_lo[t]));
    __m256d d = _mm256_add_pd(s_hi, _mm256_add_pd(s_lo, low));
    __m256d term = _mm256_mul_pd(_mm256_and_pd(d, magnitude), _mm256_loadu_pd(buf->width[t]));
    __m256d big = _mm256_max_pd(*sum_hi, term);
    __m256d small = _mm256_min_pd(*sum_hi, term);
    __m256d sum = _mm256_add_pd(big, small);

    *sum_lo = _mm256_add_pd(*sum_lo, _mm256_sub_pd(small, _mm256_sub_pd(sum, big)));
    *sum_hi = sum;
}

/* Pass B of the AVX2 copy: even rows into the first pair of sums, odd rows into the second. */
W1_AVX2 static void
terms_avx2(sweep_state *st, const singdiv__dd carry[LANES], const block_buffer *buf)
{
    int ordered = 1;
    wide_carry c = { _mm256_setr_pd(carry[0].hi, carry[1].hi, carry[2].hi, carry[3].hi),
                     _mm256_setr_pd(carry[0].lo, carry[1].lo, carry[2].lo, carry[3].lo) };
    __m256d even_hi = _mm256_loadu_pd(st->sum_hi[0]);
    __m256d even_lo = _mm256_loadu_pd(st->sum_lo[0]);
    __m256d odd_hi = _mm256_loadu_pd(st->sum_hi[1]);
    __m256d odd_lo = _mm256_loadu_pd(st->sum_lo[1]);

    for (int k = 0; k < LANES; k++) {
        ordered &= fabs(carry[k].hi) >= st->reach[k];
    }
    if (ordered) {
        for (size_t t = 0; t < SPAN; t += 2) {
            add_row(&c, buf, t, 1, &even_hi, &even_lo);
            add_row(&c, buf, t + 1, 1, &odd_hi, &odd_lo);
        }
    } else {
        for (size_t t = 0; t < SPAN; t += 2) {
            add_row(&c, buf, t, 0, &even_hi, &even_lo);
            add_row(&c, buf, t + 1, 0, &odd_hi, &odd_lo);
        }
    }
    _mm256_storeu_pd(st->sum_hi[0], even_hi);
    _mm256_storeu_pd(st->sum_lo[0], even_lo);
    _mm256_storeu_pd(st->sum_hi[1], odd_hi);
    _mm256_storeu_pd(st->sum_lo[1], odd_lo);
}

/* The full blocks on the AVX2 copy; returns where the tail starts. */
W1_AVX2 static size_t
blocks_avx2(const singdiv__w1_hist_input *in, const step_factors *f, size_t terms,
            sweep_state *st)
{
    wide_factors w = { _mm256_set1_pd(f->a_hi), _mm256_set1_pd(f->a_lo),
                       _mm256_set1_pd(f->b_hi), _mm256_set1_pd(f->b_lo) };
    block_buffer buf;
    singdiv__dd carry[LANES];
    size_t base = 0;

    for (; base + BLOCK <= terms; base += BLOCK) {
        local_sums_avx2(in, &w, base, terms, st, &buf);
        span_carries(st, carry);
        terms_avx2(st, carry, &buf);
    }
    return base;
}

#endif /* W1_X86_DISPATCH */

/* The full blocks on the portable copy; returns where the tail starts. */
static size_t
blocks_scalar(const singdiv__w1_hist_input *in, const step_factors *f, size_t terms,
              sweep_state *st)
{
    block_buffer buf;
    singdiv__dd carry[LANES];
    size_t base = 0;

    for (; base + BLOCK <= terms; base += BLOCK) {
        local_sums_scalar(in, f, base, st, &buf);
        span_carries(st, carry);
        terms_scalar(st, carry, &buf);
    }
    return base;
}

/*
 * The entries after the last full block, one at a time, into the first
 * lane. Every 64 entries the low part is folded into the high part, as at
 * the end of a span, so that its own rounding errors stay small.
 */
static void
tail(const singdiv__w1_hist_input *in, const step_factors *f, size_t from, size_t terms,
     sweep_state *st)
{
    singdiv__dd gap = st->carry;

    for (size_t i = from; i < terms; i++) {
        double hi;
        double lo;
        double dx = width_at(in->x, i, &st->narrowest[0]);
        singdiv__dd s;

        step_at(in, f, i, &hi, &lo, &st->smallest[0]);
        s = singdiv__two_sum(gap.hi, hi);
        gap.hi = s.hi;
        gap.lo += s.lo + lo;
        if ((i - from) % SPAN == SPAN - 1) {
            gap = singdiv__two_sum(gap.hi, gap.lo);
        }
        add_term(&st->sum_hi[0][0], &st->sum_lo[0][0], fabs(gap.hi + gap.lo) * dx);
    }
}

/* Returns 1 when x = scale * y (scale a power of two) is exact: neither overflow nor underflow. */
static int
scaled_exactly(double x, double y)
{
    return fabs(x) >= DBL_MIN ? isfinite(x) : y == 0.0;
}

/* Forms the step factors fp Q and fq P, and returns 1 when all four parts are exact. */
static int
fold_factors(const singdiv__w1_hist_input *in, step_factors *f)
{
    f->a_hi = in->fp * in->q_total.hi;
    f->a_lo = in->fp * in->q_total.lo;
    f->b_hi = in->fq * in->p_total.hi;
    f->b_lo = in->fq * in->p_total.lo;
    return scaled_exactly(f->a_hi, in->q_total.hi) && scaled_exactly(f->a_lo, in->q_total.lo)
           && scaled_exactly(f->b_hi, in->p_total.hi) && scaled_exactly(f->b_lo, in->p_total.lo);
}

singdiv__w1_hist_sums
singdiv__w1_hist_pass(const singdiv__w1_hist_input *in, singdiv__path path)
{
    sweep_state st = { { 0.0, 0.0 }, { 0.0 }, { 0.0 }, { { 0.0 } }, { { 0.0 } },
                       { HUGE_VAL, HUGE_VAL, HUGE_VAL, HUGE_VAL },
                       { HUGE_VAL, HUGE_VAL, HUGE_VAL, HUGE_VAL }, { 0.0 } };
    singdiv__w1_hist_sums out;
    singdiv__sum total = { 0.0, 0.0 };
    size_t terms = in->n > 0 ? in->n - 1 : 0;
    double smallest = HUGE_VAL;
    double narrowest = HUGE_VAL;
    step_factors f;
    size_t from;

    if (!fold_factors(in, &f)) {
        out.sum.hi = (double)NAN;
        out.sum.lo = (double)NAN;
        out.bad_support = 1;
        out.tiny_share = 1;
        return out;
    }
#if W1_X86_DISPATCH
    if (singdiv__path_uses_avx2(path)) {
        from = blocks_avx2(in, &f, terms, &st);
    } else {
        from = blocks_scalar(in, &f, terms, &st);
    }
#else
    (void)path;
    from = blocks_scalar(in, &f, terms, &st);
#endif
    tail(in, &f, from, terms, &st);

    for (int j = 0; j < 2; j++) {
        for (int k = 0; k < LANES; k++) {
            singdiv__sum_add(&total, st.sum_hi[j][k]);
            total.comp += st.sum_lo[j][k];
        }
    }
    for (int k = 0; k < LANES; k++) {
        smallest = min_keep(st.smallest[k], smallest);
        narrowest = min_keep(st.narrowest[k], narrowest);
    }

    /*
     * A NaN or infinite width makes a term NaN or infinite, and that stays
     * in the sum; a width <= 0 shows in the narrowest. The sum of valid
     * terms stays below 2^1020 for points below 2^1016 in magnitude.
     */
    out.sum.hi = total.sum;
    out.sum.lo = total.comp;
    out.bad_support = !(narrowest > 0.0) || !isfinite(total.sum) || !isfinite(total.comp);
    out.tiny_share = smallest < below(TINY_PRODUCT);
    return out;
}
