/*
 * AVX2 + FMA block kernels of the discrete passes, written with
 * intrinsics: four entries per register, two registers per block of eight.
 *
 * Each kernel repeats, operation for operation, the portable block code of
 * simd_discrete.c (cross terms, deviance polynomial, logarithm), with
 * _mm256_fmadd_pd exactly where that code calls fma() and a plain multiply
 * or add everywhere else (the build passes -ffp-contract=off). The
 * compensated sums compute the same exact errors as the portable ones by
 * other operations (see compensated_add()). IEEE arithmetic is
 * elementwise, so the sums are bit-identical to the portable copy;
 * tests/test_fast_paths.c checks that. A kernel runs blocks while every
 * entry of a block takes the plain path and returns where the first other
 * block starts, for the caller to finish entry by entry.
 *
 * Pipelining: the work of a block has two stages, up to the division and
 * from the polynomial on. Each step of a kernel runs the first stage of
 * block i + 8, then the second stage of block i. On a core that splits
 * 256-bit operations in two, such as Zen 1, one block is a dependency
 * chain about as long as the out-of-order window, so blocks done one after
 * the other left the units idle. There the two-stage loop made entropy,
 * cross-entropy and KL 7-17% faster; JS, with four chains per block
 * already, gained about 1%. The sums see the blocks in the same order.
 */
#include "simd_discrete.h"

#if SINGDIV_HAVE_AVX2_KERNELS

#include <float.h>
#include <immintrin.h>

#include "deviance_kernel.h"
#include "fastlog.h"

#define AVX2 __attribute__((target("avx2,fma")))
#define AVX2_INLINE static inline __attribute__((always_inline, target("avx2,fma")))

/*
 * The eight Neumaier lanes of a pass: sum_low and comp_low for the first
 * four entries of a block, sum_high and comp_high for the other four.
 * Named members rather than arrays, and no loops over the two halves, so
 * that -O2 keeps everything in registers without unrolling.
 */
typedef struct lanes8 {
    __m256d sum_low;
    __m256d comp_low;
    __m256d sum_high;
    __m256d comp_high;
} lanes8;

AVX2_INLINE lanes8
lanes_load(const singdiv__sum lanes[8])
{
    lanes8 v;
    const singdiv__sum *l = lanes;

    v.sum_low = _mm256_setr_pd(l[0].sum, l[1].sum, l[2].sum, l[3].sum);
    v.comp_low = _mm256_setr_pd(l[0].comp, l[1].comp, l[2].comp, l[3].comp);
    v.sum_high = _mm256_setr_pd(l[4].sum, l[5].sum, l[6].sum, l[7].sum);
    v.comp_high = _mm256_setr_pd(l[4].comp, l[5].comp, l[6].comp, l[7].comp);
    return v;
}

AVX2_INLINE void
lanes_store(const lanes8 *v, singdiv__sum lanes[8])
{
    double sum[8];
    double comp[8];

    _mm256_storeu_pd(sum, v->sum_low);
    _mm256_storeu_pd(sum + 4, v->sum_high);
    _mm256_storeu_pd(comp, v->comp_low);
    _mm256_storeu_pd(comp + 4, v->comp_high);
    for (int k = 0; k < 8; k++) {
        lanes[k].sum = sum[k];
        lanes[k].comp = comp[k];
    }
}

AVX2_INLINE __m256d
vabs(__m256d x)
{
    return _mm256_andnot_pd(_mm256_set1_pd(-0.0), x);
}

/*
 * singdiv__sum_add() on four lanes whose sum and term are >= 0, as in
 * every pass here. For such operands the larger magnitude is the larger
 * value, so Fast2Sum on max and min gives the exact error of the addition.
 * The portable code's branch computes the same exact error, so the bits
 * agree, here with two fewer operations and no blend.
 */
AVX2_INLINE void
compensated_add(__m256d *sum, __m256d *comp, __m256d x)
{
    __m256d t = _mm256_add_pd(*sum, x);
    __m256d big = _mm256_max_pd(*sum, x);
    __m256d small = _mm256_min_pd(*sum, x);

    *comp = _mm256_add_pd(*comp, _mm256_sub_pd(small, _mm256_sub_pd(t, big)));
    *sum = t;
}

/* Adds the eight terms of a block to the lanes. */
AVX2_INLINE void
lanes_add(lanes8 *acc, __m256d low, __m256d high)
{
    compensated_add(&acc->sum_low, &acc->comp_low, low);
    compensated_add(&acc->sum_high, &acc->comp_high, high);
}

/* Returns 1 when every lane of the mask is set. */
AVX2_INLINE int
all_set(__m256d mask)
{
    return _mm256_movemask_pd(mask) == 0xf;
}

/*
 * singdiv__fastlog_n() for normal positive x, without an exponent offset,
 * in two stages: log_reduce() up to the division, log_finish() from the
 * polynomial on (see pipelining above).
 */
typedef struct log4 {
    __m256d k; /* the exponent */
    __m256d f; /* m - 1 */
    __m256d s; /* f / (2 + f) */
} log4;

AVX2_INLINE log4
log_reduce(__m256d x)
{
    __m256i bits = _mm256_castpd_si256(x);
    __m256i e = _mm256_srli_epi64(_mm256_add_epi64(bits, _mm256_set1_epi64x(0x00095f619980c433)), 52);
    __m256d m = _mm256_castsi256_pd(_mm256_add_epi64(_mm256_sub_epi64(bits, _mm256_slli_epi64(e, 52)),
                                                     _mm256_set1_epi64x(0x3ff0000000000000)));
    __m256d k_biased = _mm256_castsi256_pd(_mm256_or_si256(e, _mm256_set1_epi64x(0x4330000000000000)));
    log4 v;

    v.k = _mm256_sub_pd(k_biased, _mm256_set1_pd(0x1.00000000003ffp+52));
    v.f = _mm256_sub_pd(m, _mm256_set1_pd(1.0));
    v.s = _mm256_div_pd(v.f, _mm256_add_pd(_mm256_set1_pd(2.0), v.f));
    return v;
}

AVX2_INLINE __m256d
log_finish(log4 v)
{
    __m256d z = _mm256_mul_pd(v.s, v.s);
    __m256d z2 = _mm256_mul_pd(z, z);
    const double *c = fastlog_poly;
    __m256d r = _mm256_fmadd_pd(
        _mm256_fmadd_pd(_mm256_set1_pd(c[0]), z2, _mm256_fmadd_pd(_mm256_set1_pd(c[1]), z, _mm256_set1_pd(c[2]))),
        _mm256_mul_pd(z2, z2),
        _mm256_fmadd_pd(_mm256_fmadd_pd(_mm256_set1_pd(c[3]), z, _mm256_set1_pd(c[4])), z2,
                        _mm256_fmadd_pd(_mm256_set1_pd(c[5]), z, _mm256_set1_pd(c[6]))));
    __m256d half_f2 = _mm256_mul_pd(_mm256_mul_pd(_mm256_set1_pd(0.5), v.f), v.f);
    __m256d tail = _mm256_add_pd(_mm256_mul_pd(v.s, _mm256_add_pd(half_f2, _mm256_mul_pd(r, z))),
                                 _mm256_mul_pd(v.k, _mm256_set1_pd(fastlog_ln2_tail)));

    return _mm256_add_pd(_mm256_mul_pd(v.k, _mm256_set1_pd(fastlog_ln2_head)),
                         _mm256_sub_pd(v.f, _mm256_sub_pd(half_f2, tail)));
}

/* Returns c * w + d for the constants c and d. */
AVX2_INLINE __m256d
pair_term(double c, __m256d w, double d)
{
    return _mm256_fmadd_pd(_mm256_set1_pd(c), w, _mm256_set1_pd(d));
}

/* Returns g * w + c for the constant c. */
AVX2_INLINE __m256d
horner_step(__m256d g, __m256d w, double c)
{
    return _mm256_fmadd_pd(g, w, _mm256_set1_pd(c));
}

/* deviance_poly_estrin() of simd_discrete.c on four lanes. */
AVX2_INLINE __m256d
deviance_poly4(__m256d w)
{
    const double *c = deviance_poly;
    __m256d w2 = _mm256_mul_pd(w, w);
    __m256d w4 = _mm256_mul_pd(w2, w2);
    __m256d high = _mm256_fmadd_pd(pair_term(c[0], w, c[1]), w2, pair_term(c[2], w, c[3]));
    __m256d mid = _mm256_fmadd_pd(pair_term(c[4], w, c[5]), w2, pair_term(c[6], w, c[7]));
    __m256d g = _mm256_fmadd_pd(_mm256_fmadd_pd(high, w4, mid), w2, pair_term(c[8], w, c[9]));

    g = horner_step(g, w, c[10]);
    g = horner_step(g, w, c[11]);
    g = horner_step(g, w, c[12]);
    return horner_step(g, w, c[13]);
}

/*
 * deviance_reduced() of simd_discrete.c on four lanes, both forms and then
 * a select, in two stages like the logarithm: deviance_reduce() up to the
 * division, deviance_finish() from the polynomial on.
 */
typedef struct deviance4 {
    __m256d a;
    __m256d d;    /* a - b */
    __m256d k;    /* the exponent of the far form */
    __m256d u;    /* the ratio of the form chosen by near */
    __m256d near; /* lanes that take the near form */
} deviance4;

/* Returns the lanes where 2 |d| <= sum, those that take the near form. */
AVX2_INLINE __m256d
near_mask(__m256d d, __m256d sum)
{
    return _mm256_cmp_pd(_mm256_add_pd(vabs(d), vabs(d)), sum, _CMP_LE_OQ);
}

/* The first stage for a, b, d = a - b, sum = a + b and near = near_mask(d, sum). */
AVX2_INLINE deviance4
deviance_reduce(__m256d a, __m256d b, __m256d d, __m256d sum, __m256d near)
{
    __m256i e = _mm256_srli_epi64(_mm256_add_epi64(_mm256_sub_epi64(_mm256_castpd_si256(a),
                                                                    _mm256_castpd_si256(b)),
                                                   _mm256_set1_epi64x(0x4008000000000000)),
                                  52);
    __m256d two_k = _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_sub_epi64(e, _mm256_set1_epi64x(1)), 52));
    __m256d b_k = _mm256_mul_pd(b, two_k);
    deviance4 v;

    v.a = a;
    v.d = d;
    v.near = near;
    v.k = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(e, _mm256_set1_epi64x(0x4330000000000000))),
                        _mm256_set1_pd(0x1.0000000000400p+52));
    v.u = _mm256_div_pd(_mm256_blendv_pd(_mm256_sub_pd(a, b_k), d, near),
                        _mm256_blendv_pd(_mm256_add_pd(a, b_k), sum, near));
    return v;
}

/* The near form of deviance_finish() alone, from d and u = d / (a + b). */
AVX2_INLINE __m256d
deviance_near4(__m256d d, __m256d u)
{
    __m256d g = deviance_poly4(_mm256_mul_pd(u, u));

    return _mm256_mul_pd(_mm256_fmadd_pd(_mm256_fmadd_pd(u, u, u), g, _mm256_set1_pd(1.0)),
                         _mm256_mul_pd(d, u));
}

AVX2_INLINE __m256d
deviance_finish(const deviance4 *v)
{
    __m256d u = v->u;
    __m256d w = _mm256_mul_pd(u, u);
    __m256d g = deviance_poly4(w);
    __m256d near_term = deviance_near4(v->d, u);
    __m256d two_u = _mm256_add_pd(u, u);
    __m256d log_ratio = _mm256_add_pd(
        _mm256_mul_pd(v->k, _mm256_set1_pd(fastlog_ln2_head)),
        _mm256_add_pd(two_u, _mm256_add_pd(_mm256_mul_pd(v->k, _mm256_set1_pd(fastlog_ln2_tail)),
                                           _mm256_mul_pd(two_u, _mm256_mul_pd(w, g)))));
    __m256d far_term = _mm256_sub_pd(_mm256_mul_pd(v->a, log_ratio), v->d);

    return _mm256_blendv_pd(far_term, near_term, v->near);
}

/*
 * Returns 1 when every lane of the four registers is in the reducible range
 * of simd_discrete.c, tested on the extremes of the block.
 */
AVX2_INLINE int
all_reducible(__m256d a_low, __m256d a_high, __m256d b_low, __m256d b_high)
{
    __m256d low = _mm256_min_pd(_mm256_min_pd(a_low, a_high), _mm256_min_pd(b_low, b_high));
    __m256d high = _mm256_max_pd(_mm256_max_pd(a_low, a_high), _mm256_max_pd(b_low, b_high));

    return all_set(_mm256_and_pd(_mm256_cmp_pd(low, _mm256_set1_pd(0x1p-1000), _CMP_GE_OQ),
                                 _mm256_cmp_pd(high, _mm256_set1_pd(0x1p1000), _CMP_LE_OQ)));
}

/* The scaled sums of a pair, broadcast. */
typedef struct pair4 {
    __m256d p_scale;
    __m256d q_scale;
    __m256d p_hi;
    __m256d p_lo;
    __m256d q_hi;
    __m256d q_lo;
} pair4;

AVX2_INLINE pair4
pair_broadcast(const singdiv__pair *c)
{
    pair4 v;

    v.p_scale = _mm256_set1_pd(c->p.scale);
    v.q_scale = _mm256_set1_pd(c->q.scale);
    v.p_hi = _mm256_set1_pd(c->p.total.hi);
    v.p_lo = _mm256_set1_pd(c->p.total.lo);
    v.q_hi = _mm256_set1_pd(c->q.total.hi);
    v.q_lo = _mm256_set1_pd(c->q.total.lo);
    return v;
}

/* singdiv__cross_terms_of() on four entries: a = p_i Q, b = q_i P and a - b. */
typedef struct cross4 {
    __m256d a;
    __m256d b;
    __m256d diff;
} cross4;

/*
 * Returns the cross terms of the four entries at p and q. A zero entry
 * gives a = 0 or b = 0, which fails the range test of the block.
 */
AVX2_INLINE cross4
cross_terms4(const pair4 *c, const double *p, const double *q)
{
    __m256d ps = _mm256_mul_pd(_mm256_loadu_pd(p), c->p_scale);
    __m256d qs = _mm256_mul_pd(_mm256_loadu_pd(q), c->q_scale);
    __m256d a_hi = _mm256_mul_pd(ps, c->q_hi);
    __m256d b_hi = _mm256_mul_pd(qs, c->p_hi);
    __m256d a_lo = _mm256_fmsub_pd(ps, c->q_hi, a_hi);
    __m256d b_lo = _mm256_fmsub_pd(qs, c->p_hi, b_hi);
    __m256d tails = _mm256_sub_pd(_mm256_mul_pd(ps, c->q_lo), _mm256_mul_pd(qs, c->p_lo));
    cross4 t;

    t.a = a_hi;
    t.b = b_hi;
    t.diff = _mm256_add_pd(_mm256_sub_pd(a_hi, b_hi), _mm256_add_pd(_mm256_sub_pd(a_lo, b_lo), tails));
    return t;
}

/* Returns 1 when the eight entries at x are finite and >= 0. */
AVX2_INLINE int
all_clean(__m256d low, __m256d high)
{
    __m256d zero = _mm256_setzero_pd();
    __m256d largest = _mm256_set1_pd(DBL_MAX);
    __m256d clean_low = _mm256_and_pd(_mm256_cmp_pd(low, zero, _CMP_GE_OQ),
                                      _mm256_cmp_pd(low, largest, _CMP_LE_OQ));
    __m256d clean_high = _mm256_and_pd(_mm256_cmp_pd(high, zero, _CMP_GE_OQ),
                                       _mm256_cmp_pd(high, largest, _CMP_LE_OQ));

    return all_set(_mm256_and_pd(clean_low, clean_high));
}

AVX2 size_t
singdiv__scan_blocks_avx2(const double *x, size_t n, singdiv__sum lanes[8])
{
    lanes8 acc = lanes_load(lanes);
    size_t i = 0;

    for (; i + 8 <= n; i += 8) {
        __m256d low = _mm256_loadu_pd(x + i);
        __m256d high = _mm256_loadu_pd(x + i + 4);

        if (!all_clean(low, high)) {
            break;
        }
        lanes_add(&acc, low, high);
    }
    lanes_store(&acc, lanes);
    return i;
}

AVX2 size_t
singdiv__scan_pair_blocks_avx2(const double *p, const double *q, size_t n,
                               singdiv__sum lanes_p[8], singdiv__sum lanes_q[8])
{
    lanes8 acc_p = lanes_load(lanes_p);
    lanes8 acc_q = lanes_load(lanes_q);
    size_t i = 0;

    for (; i + 8 <= n; i += 8) {
        __m256d p_low = _mm256_loadu_pd(p + i);
        __m256d p_high = _mm256_loadu_pd(p + i + 4);
        __m256d q_low = _mm256_loadu_pd(q + i);
        __m256d q_high = _mm256_loadu_pd(q + i + 4);

        if (!all_clean(p_low, p_high) || !all_clean(q_low, q_high)) {
            break;
        }
        lanes_add(&acc_p, p_low, p_high);
        lanes_add(&acc_q, q_low, q_high);
    }
    lanes_store(&acc_p, lanes_p);
    lanes_store(&acc_q, lanes_q);
    return i;
}

/*
 * The first stage of a KL block. When every entry takes the near form
 * (2 |d| <= a + b), only d and u of each half are set, and the second
 * stage skips the far form, whose lanes the select would drop.
 */
typedef struct kl_stage {
    int near;
    deviance4 low;
    deviance4 high;
} kl_stage;

/* Runs the first stage of the block at p, q into *st. Returns 0, leaving *st unset, unless it is reducible. */
AVX2_INLINE int
kl_reduce(const pair4 *cv, const double *p, const double *q, kl_stage *st)
{
    cross4 low = cross_terms4(cv, p, q);
    cross4 high = cross_terms4(cv, p + 4, q + 4);

    __m256d sum_low;
    __m256d sum_high;
    __m256d near_low;
    __m256d near_high;

    if (!all_reducible(low.a, high.a, low.b, high.b)) {
        return 0;
    }
    sum_low = _mm256_add_pd(low.a, low.b);
    sum_high = _mm256_add_pd(high.a, high.b);
    near_low = near_mask(low.diff, sum_low);
    near_high = near_mask(high.diff, sum_high);
    st->near = all_set(_mm256_and_pd(near_low, near_high));
    if (st->near) {
        st->low.d = low.diff;
        st->high.d = high.diff;
        st->low.u = _mm256_div_pd(low.diff, sum_low);
        st->high.u = _mm256_div_pd(high.diff, sum_high);
        return 1;
    }
    st->low = deviance_reduce(low.a, low.b, low.diff, sum_low, near_low);
    st->high = deviance_reduce(high.a, high.b, high.diff, sum_high, near_high);
    return 1;
}

AVX2_INLINE void
kl_finish(lanes8 *acc, const kl_stage *st)
{
    if (st->near) {
        lanes_add(acc, deviance_near4(st->low.d, st->low.u), deviance_near4(st->high.d, st->high.u));
        return;
    }
    lanes_add(acc, deviance_finish(&st->low), deviance_finish(&st->high));
}

AVX2 size_t
singdiv__kl_blocks_avx2(const singdiv__pair *c, const double *p, const double *q, size_t n,
                        size_t i, singdiv__sum lanes[8])
{
    pair4 cv = pair_broadcast(c);
    kl_stage current = { 0 }; /* zeroed for GCC's uninitialised-use analysis: see kl_stage */
    kl_stage next = { 0 };
    lanes8 acc;

    if (i + 8 > n || !kl_reduce(&cv, p + i, q + i, &current)) {
        return i;
    }
    acc = lanes_load(lanes);
    for (; i + 16 <= n && kl_reduce(&cv, p + i + 8, q + i + 8, &next); i += 8) {
        kl_finish(&acc, &current);
        current = next;
    }
    kl_finish(&acc, &current);
    lanes_store(&acc, lanes);
    return i + 8;
}

/* js_poly_estrin() of simd_discrete.c on four lanes. */
AVX2_INLINE __m256d
js_poly4(__m256d w)
{
    const double *c = js_poly;
    __m256d w2 = _mm256_mul_pd(w, w);
    __m256d w4 = _mm256_mul_pd(w2, w2);
    __m256d low = _mm256_fmadd_pd(pair_term(c[9], w, c[10]), w2, pair_term(c[11], w, c[12]));
    __m256d mid = _mm256_fmadd_pd(pair_term(c[5], w, c[6]), w2, pair_term(c[7], w, c[8]));
    __m256d high = _mm256_fmadd_pd(pair_term(c[1], w, c[2]), w2, pair_term(c[3], w, c[4]));

    return _mm256_fmadd_pd(_mm256_fmadd_pd(_mm256_set1_pd(c[0]), w4, high), _mm256_mul_pd(w4, w4),
                           _mm256_fmadd_pd(mid, w4, low));
}

/* js_near() of simd_discrete.c on four lanes, from d and t = d / (a + b). */
AVX2_INLINE __m256d
js_near4(__m256d d, __m256d t)
{
    __m256d w = _mm256_mul_pd(t, t);
    __m256d x = _mm256_mul_pd(d, t);

    return _mm256_mul_pd(_mm256_set1_pd(0.5), _mm256_fmadd_pd(x, _mm256_mul_pd(w, js_poly4(w)), x));
}

/*
 * The first stage of a JS block. When every entry has 2 |d| <= a + b, the
 * block takes js_near() and keeps d and t = d / (a + b); otherwise it
 * keeps the kernel of each half against m = (a + b) / 2, with
 * a - m = (a - b) / 2.
 */
typedef struct js_stage {
    int near;
    union {
        struct {
            __m256d d_low;
            __m256d d_high;
            __m256d t_low;
            __m256d t_high;
        } one;
        struct {
            deviance4 a_low;
            deviance4 a_high;
            deviance4 b_low;
            deviance4 b_high;
        } two;
    } form;
} js_stage;

/* The first stage of the kernel of one JS half, x against m with d = x - m. */
AVX2_INLINE deviance4
js_half_reduce(__m256d x, __m256d m, __m256d d)
{
    __m256d sum = _mm256_add_pd(x, m);

    return deviance_reduce(x, m, d, sum, near_mask(d, sum));
}

/* Runs the first stage of the block at p, q into *st. Returns 0, leaving *st unset, unless it is reducible. */
AVX2_INLINE int
js_reduce(const pair4 *cv, const double *p, const double *q, js_stage *st)
{
    __m256d half = _mm256_set1_pd(0.5);
    __m256d minus_half = _mm256_set1_pd(-0.5);
    cross4 low = cross_terms4(cv, p, q);
    cross4 high = cross_terms4(cv, p + 4, q + 4);
    __m256d m_low = _mm256_mul_pd(half, _mm256_add_pd(low.a, low.b));
    __m256d m_high = _mm256_mul_pd(half, _mm256_add_pd(high.a, high.b));

    __m256d sum_low = _mm256_add_pd(low.a, low.b);
    __m256d sum_high = _mm256_add_pd(high.a, high.b);

    if (!all_reducible(low.a, high.a, m_low, m_high) || !all_reducible(low.b, high.b, m_low, m_high)) {
        return 0;
    }
    st->near = all_set(_mm256_and_pd(near_mask(low.diff, sum_low), near_mask(high.diff, sum_high)));
    if (st->near) {
        st->form.one.d_low = low.diff;
        st->form.one.d_high = high.diff;
        st->form.one.t_low = _mm256_div_pd(low.diff, sum_low);
        st->form.one.t_high = _mm256_div_pd(high.diff, sum_high);
        return 1;
    }
    st->form.two.a_low = js_half_reduce(low.a, m_low, _mm256_mul_pd(half, low.diff));
    st->form.two.a_high = js_half_reduce(high.a, m_high, _mm256_mul_pd(half, high.diff));
    st->form.two.b_low = js_half_reduce(low.b, m_low, _mm256_mul_pd(minus_half, low.diff));
    st->form.two.b_high = js_half_reduce(high.b, m_high, _mm256_mul_pd(minus_half, high.diff));
    return 1;
}

/* Adds the terms of a block. The two JS terms of an entry go into its lane, the half of a first. */
AVX2_INLINE void
js_finish(lanes8 *acc, const js_stage *st)
{
    if (st->near) {
        lanes_add(acc, js_near4(st->form.one.d_low, st->form.one.t_low),
                  js_near4(st->form.one.d_high, st->form.one.t_high));
        return;
    }
    lanes_add(acc, deviance_finish(&st->form.two.a_low), deviance_finish(&st->form.two.a_high));
    lanes_add(acc, deviance_finish(&st->form.two.b_low), deviance_finish(&st->form.two.b_high));
}

AVX2 size_t
singdiv__js_blocks_avx2(const singdiv__pair *c, const double *p, const double *q, size_t n,
                        size_t i, singdiv__sum lanes[8])
{
    pair4 cv = pair_broadcast(c);
    js_stage current = { 0 }; /* zeroed for GCC's uninitialised-use analysis: a stage sets one form */
    js_stage next = { 0 };
    lanes8 acc;

    if (i + 8 > n || !js_reduce(&cv, p + i, q + i, &current)) {
        return i;
    }
    acc = lanes_load(lanes);
    for (; i + 16 <= n && js_reduce(&cv, p + i + 8, q + i + 8, &next); i += 8) {
        js_finish(&acc, &current);
        current = next;
    }
    js_finish(&acc, &current);
    lanes_store(&acc, lanes);
    return i + 8;
}

/* The first stage of a cross-entropy block: -(p_i s) and the reduced shares. */
typedef struct ce_stage {
    __m256d weight_low;
    __m256d weight_high;
    log4 log_low;
    log4 log_high;
} ce_stage;

/* The constants of the cross-entropy kernel, broadcast. */
typedef struct ce_consts {
    __m256d q_scale;
    __m256d minus_p_scale;
    __m256d half_total;
    __m256d inverse;
} ce_consts;

/*
 * Runs the first stage of the block at p, q into *st. Returns 0, leaving
 * *st unset, unless each entry has p_i > 0, q_i s < Q / 2 and a normal
 * share, which is the portable test per entry.
 */
AVX2_INLINE int
ce_reduce(const ce_consts *k, const double *p, const double *q, ce_stage *st)
{
    __m256d p_low = _mm256_loadu_pd(p);
    __m256d p_high = _mm256_loadu_pd(p + 4);
    __m256d qs_low = _mm256_mul_pd(_mm256_loadu_pd(q), k->q_scale);
    __m256d qs_high = _mm256_mul_pd(_mm256_loadu_pd(q + 4), k->q_scale);
    __m256d share_low = _mm256_mul_pd(qs_low, k->inverse);
    __m256d share_high = _mm256_mul_pd(qs_high, k->inverse);
    __m256d p_min = _mm256_min_pd(p_low, p_high);
    __m256d qs_max = _mm256_max_pd(qs_low, qs_high);
    __m256d share_min = _mm256_min_pd(share_low, share_high);
    __m256d plain = _mm256_and_pd(_mm256_cmp_pd(p_min, _mm256_setzero_pd(), _CMP_GT_OQ),
                                  _mm256_and_pd(_mm256_cmp_pd(qs_max, k->half_total, _CMP_LT_OQ),
                                                _mm256_cmp_pd(share_min, _mm256_set1_pd(DBL_MIN),
                                                              _CMP_GE_OQ)));

    if (!all_set(plain)) {
        return 0;
    }
    /* -(p_i s) equals p_i (-s) exactly, s being a power of two. */
    st->weight_low = _mm256_mul_pd(p_low, k->minus_p_scale);
    st->weight_high = _mm256_mul_pd(p_high, k->minus_p_scale);
    st->log_low = log_reduce(share_low);
    st->log_high = log_reduce(share_high);
    return 1;
}

AVX2_INLINE void
ce_finish(lanes8 *acc, const ce_stage *st)
{
    lanes_add(acc, _mm256_mul_pd(st->weight_low, log_finish(st->log_low)),
              _mm256_mul_pd(st->weight_high, log_finish(st->log_high)));
}

AVX2 size_t
singdiv__cross_entropy_blocks_avx2(const singdiv__pair *c, const double *p, const double *q,
                                   size_t n, size_t i, double inverse_q, singdiv__sum lanes[8])
{
    ce_consts k;
    ce_stage current;
    ce_stage next;
    lanes8 acc;

    k.q_scale = _mm256_set1_pd(c->q.scale);
    k.minus_p_scale = _mm256_set1_pd(-c->p.scale);
    k.half_total = _mm256_set1_pd(0.5 * c->q.total.hi);
    k.inverse = _mm256_set1_pd(inverse_q);
    if (i + 8 > n || !ce_reduce(&k, p + i, q + i, &current)) {
        return i;
    }
    acc = lanes_load(lanes);
    for (; i + 16 <= n && ce_reduce(&k, p + i + 8, q + i + 8, &next); i += 8) {
        ce_finish(&acc, &current);
        current = next;
    }
    ce_finish(&acc, &current);
    lanes_store(&acc, lanes);
    return i + 8;
}

#endif /* SINGDIV_HAVE_AVX2_KERNELS */
