/*
 * AVX2 + FMA block kernels of the discrete passes, written with
 * intrinsics: four entries per register, two registers per block of eight.
 *
 * Each kernel repeats, operation for operation, the portable block code of
 * simd_discrete.c (cross terms, deviance polynomial, logarithm, Neumaier
 * lanes), with _mm256_fmadd_pd exactly where that code calls fma() and a
 * plain multiply or add everywhere else (the build passes
 * -ffp-contract=off). IEEE arithmetic is elementwise, so the sums are
 * bit-identical to the portable copy; tests/test_fast_paths.c checks that.
 * A kernel runs blocks while every entry of a block takes the plain path
 * and returns where the first other block starts, for the caller to finish
 * entry by entry.
 */
#include "simd_discrete.h"

#if SINGDIV_HAVE_AVX2_KERNELS

#include <float.h>
#include <immintrin.h>

#include "deviance_kernel.h"
#include "fastlog.h"

#define AVX2 __attribute__((target("avx2,fma")))
#define AVX2_INLINE static inline __attribute__((always_inline, target("avx2,fma")))

/* The eight Neumaier lanes of a pass, as two registers of sums and two of corrections. */
typedef struct lanes8 {
    __m256d sum[2];
    __m256d comp[2];
} lanes8;

AVX2_INLINE lanes8
lanes_load(const singdiv__sum lanes[8])
{
    lanes8 v;

    for (int h = 0; h < 2; h++) {
        const singdiv__sum *l = lanes + 4 * h;

        v.sum[h] = _mm256_setr_pd(l[0].sum, l[1].sum, l[2].sum, l[3].sum);
        v.comp[h] = _mm256_setr_pd(l[0].comp, l[1].comp, l[2].comp, l[3].comp);
    }
    return v;
}

AVX2_INLINE void
lanes_store(const lanes8 *v, singdiv__sum lanes[8])
{
    double sum[8];
    double comp[8];

    _mm256_storeu_pd(sum, v->sum[0]);
    _mm256_storeu_pd(sum + 4, v->sum[1]);
    _mm256_storeu_pd(comp, v->comp[0]);
    _mm256_storeu_pd(comp + 4, v->comp[1]);
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

/* singdiv__sum_add() on four lanes: both corrections, then a select on |sum| >= |x|. */
AVX2_INLINE void
neumaier_add(__m256d *sum, __m256d *comp, __m256d x)
{
    __m256d t = _mm256_add_pd(*sum, x);
    __m256d big_sum = _mm256_cmp_pd(vabs(*sum), vabs(x), _CMP_GE_OQ);
    __m256d if_sum = _mm256_add_pd(_mm256_sub_pd(*sum, t), x);
    __m256d if_x = _mm256_add_pd(_mm256_sub_pd(x, t), *sum);

    *comp = _mm256_add_pd(*comp, _mm256_blendv_pd(if_x, if_sum, big_sum));
    *sum = t;
}

/* Returns 1 when every lane of the mask is set. */
AVX2_INLINE int
all_set(__m256d mask)
{
    return _mm256_movemask_pd(mask) == 0xf;
}

/* singdiv__fastlog_n() for normal positive x, without an exponent offset. */
AVX2_INLINE __m256d
fastlog4(__m256d x)
{
    __m256i bits = _mm256_castpd_si256(x);
    __m256i e = _mm256_srli_epi64(_mm256_add_epi64(bits, _mm256_set1_epi64x(0x00095f619980c433)), 52);
    __m256d m = _mm256_castsi256_pd(_mm256_add_epi64(_mm256_sub_epi64(bits, _mm256_slli_epi64(e, 52)),
                                                     _mm256_set1_epi64x(0x3ff0000000000000)));
    __m256d k_biased = _mm256_castsi256_pd(_mm256_or_si256(e, _mm256_set1_epi64x(0x4330000000000000)));
    __m256d k = _mm256_sub_pd(k_biased, _mm256_set1_pd(0x1.00000000003ffp+52));
    __m256d f = _mm256_sub_pd(m, _mm256_set1_pd(1.0));
    __m256d s = _mm256_div_pd(f, _mm256_add_pd(_mm256_set1_pd(2.0), f));
    __m256d z = _mm256_mul_pd(s, s);
    __m256d z2 = _mm256_mul_pd(z, z);
    const double *c = fastlog_poly;
    __m256d r = _mm256_fmadd_pd(
        _mm256_fmadd_pd(_mm256_set1_pd(c[0]), z2, _mm256_fmadd_pd(_mm256_set1_pd(c[1]), z, _mm256_set1_pd(c[2]))),
        _mm256_mul_pd(z2, z2),
        _mm256_fmadd_pd(_mm256_fmadd_pd(_mm256_set1_pd(c[3]), z, _mm256_set1_pd(c[4])), z2,
                        _mm256_fmadd_pd(_mm256_set1_pd(c[5]), z, _mm256_set1_pd(c[6]))));
    __m256d half_f2;
    __m256d tail;

    half_f2 = _mm256_mul_pd(_mm256_mul_pd(_mm256_set1_pd(0.5), f), f);
    tail = _mm256_add_pd(_mm256_mul_pd(s, _mm256_add_pd(half_f2, _mm256_mul_pd(r, z))),
                         _mm256_mul_pd(k, _mm256_set1_pd(fastlog_ln2_tail)));
    return _mm256_add_pd(_mm256_mul_pd(k, _mm256_set1_pd(fastlog_ln2_head)),
                         _mm256_sub_pd(f, _mm256_sub_pd(half_f2, tail)));
}

/* deviance_poly_estrin() of simd_discrete.c on four lanes. */
AVX2_INLINE __m256d
deviance_poly4(__m256d w)
{
    const double *c = deviance_poly;
    __m256d w2 = _mm256_mul_pd(w, w);
    __m256d w4 = _mm256_mul_pd(w2, w2);
    __m256d pair[5];
    __m256d high;
    __m256d mid;
    __m256d g;

    for (int j = 0; j < 5; j++) {
        pair[j] = _mm256_fmadd_pd(_mm256_set1_pd(c[2 * j]), w, _mm256_set1_pd(c[2 * j + 1]));
    }
    high = _mm256_fmadd_pd(pair[0], w2, pair[1]);
    mid = _mm256_fmadd_pd(pair[2], w2, pair[3]);
    g = _mm256_fmadd_pd(_mm256_fmadd_pd(high, w4, mid), w2, pair[4]);
    for (int i = 10; i < 14; i++) {
        g = _mm256_fmadd_pd(g, w, _mm256_set1_pd(c[i]));
    }
    return g;
}

/* deviance_reduced() of simd_discrete.c on four lanes: both forms, then a select. */
AVX2_INLINE __m256d
deviance_reduced4(__m256d a, __m256d b, __m256d d)
{
    __m256d sum = _mm256_add_pd(a, b);
    __m256d near = _mm256_cmp_pd(_mm256_add_pd(vabs(d), vabs(d)), sum, _CMP_LE_OQ);
    __m256i e = _mm256_srli_epi64(_mm256_add_epi64(_mm256_sub_epi64(_mm256_castpd_si256(a),
                                                                    _mm256_castpd_si256(b)),
                                                   _mm256_set1_epi64x(0x4008000000000000)),
                                  52);
    __m256d two_k = _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_sub_epi64(e, _mm256_set1_epi64x(1)), 52));
    __m256d k = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(e, _mm256_set1_epi64x(0x4330000000000000))),
                              _mm256_set1_pd(0x1.0000000000400p+52));
    __m256d b_k = _mm256_mul_pd(b, two_k);
    __m256d u = _mm256_div_pd(_mm256_blendv_pd(_mm256_sub_pd(a, b_k), d, near),
                              _mm256_blendv_pd(_mm256_add_pd(a, b_k), sum, near));
    __m256d w = _mm256_mul_pd(u, u);
    __m256d g = deviance_poly4(w);
    __m256d near_term = _mm256_mul_pd(_mm256_fmadd_pd(_mm256_fmadd_pd(u, u, u), g, _mm256_set1_pd(1.0)),
                                      _mm256_mul_pd(d, u));
    __m256d two_u = _mm256_add_pd(u, u);
    __m256d log_ratio = _mm256_add_pd(
        _mm256_mul_pd(k, _mm256_set1_pd(fastlog_ln2_head)),
        _mm256_add_pd(two_u, _mm256_add_pd(_mm256_mul_pd(k, _mm256_set1_pd(fastlog_ln2_tail)),
                                           _mm256_mul_pd(two_u, _mm256_mul_pd(w, g)))));
    __m256d far_term = _mm256_sub_pd(_mm256_mul_pd(a, log_ratio), d);

    return _mm256_blendv_pd(far_term, near_term, near);
}

/* deviance_lanes() of simd_discrete.c on eight lanes; returns 0 where that returns 0. */
AVX2_INLINE int
deviance8(const __m256d a[2], const __m256d b[2], const __m256d d[2], __m256d term[2])
{
    /* reducible() of simd_discrete.c for every lane, on the extremes of the block. */
    __m256d low = _mm256_min_pd(_mm256_min_pd(a[0], a[1]), _mm256_min_pd(b[0], b[1]));
    __m256d high = _mm256_max_pd(_mm256_max_pd(a[0], a[1]), _mm256_max_pd(b[0], b[1]));
    __m256d in_range = _mm256_and_pd(_mm256_cmp_pd(low, _mm256_set1_pd(0x1p-1000), _CMP_GE_OQ),
                                     _mm256_cmp_pd(high, _mm256_set1_pd(0x1p1000), _CMP_LE_OQ));

    if (!all_set(in_range)) {
        return 0;
    }
    for (int h = 0; h < 2; h++) {
        term[h] = deviance_reduced4(a[h], b[h], d[h]);
    }
    return 1;
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
AVX2_INLINE void
cross_terms4(const pair4 *c, __m256d p, __m256d q, __m256d *a, __m256d *b, __m256d *diff)
{
    __m256d ps = _mm256_mul_pd(p, c->p_scale);
    __m256d qs = _mm256_mul_pd(q, c->q_scale);
    __m256d a_hi = _mm256_mul_pd(ps, c->q_hi);
    __m256d b_hi = _mm256_mul_pd(qs, c->p_hi);
    __m256d a_lo = _mm256_fmsub_pd(ps, c->q_hi, a_hi);
    __m256d b_lo = _mm256_fmsub_pd(qs, c->p_hi, b_hi);
    __m256d tails = _mm256_sub_pd(_mm256_mul_pd(ps, c->q_lo), _mm256_mul_pd(qs, c->p_lo));

    *a = a_hi;
    *b = b_hi;
    *diff = _mm256_add_pd(_mm256_sub_pd(a_hi, b_hi),
                          _mm256_add_pd(_mm256_sub_pd(a_lo, b_lo), tails));
}

/*
 * Loads a block of p and q. The kernels skip the portable code's test of
 * p_i > 0 and q_i > 0: a zero entry gives a = 0 or b = 0, which fails the
 * range test of deviance8() all the same.
 */
AVX2_INLINE void
block_load(const double *p, const double *q, __m256d pv[2], __m256d qv[2])
{
    for (int h = 0; h < 2; h++) {
        pv[h] = _mm256_loadu_pd(p + 4 * h);
        qv[h] = _mm256_loadu_pd(q + 4 * h);
    }
}

AVX2 size_t
singdiv__scan_blocks_avx2(const double *x, size_t n, singdiv__sum lanes[8])
{
    lanes8 acc = lanes_load(lanes);
    __m256d zero = _mm256_setzero_pd();
    __m256d largest = _mm256_set1_pd(DBL_MAX);
    size_t i = 0;

    for (; i + 8 <= n; i += 8) {
        __m256d xv[2];
        __m256d clean = _mm256_castsi256_pd(_mm256_set1_epi64x(-1));

        for (int h = 0; h < 2; h++) {
            xv[h] = _mm256_loadu_pd(x + i + 4 * h);
            clean = _mm256_and_pd(clean, _mm256_cmp_pd(xv[h], zero, _CMP_GE_OQ));
            clean = _mm256_and_pd(clean, _mm256_cmp_pd(xv[h], largest, _CMP_LE_OQ));
        }
        if (!all_set(clean)) {
            break;
        }
        for (int h = 0; h < 2; h++) {
            neumaier_add(&acc.sum[h], &acc.comp[h], xv[h]);
        }
    }
    lanes_store(&acc, lanes);
    return i;
}

AVX2 size_t
singdiv__kl_blocks_avx2(const singdiv__pair *c, const double *p, const double *q, size_t n,
                        size_t i, singdiv__sum lanes[8])
{
    pair4 cv = pair_broadcast(c);
    lanes8 acc = lanes_load(lanes);

    for (; i + 8 <= n; i += 8) {
        __m256d pv[2], qv[2], a[2], b[2], d[2], term[2];

        block_load(p + i, q + i, pv, qv);
        for (int h = 0; h < 2; h++) {
            cross_terms4(&cv, pv[h], qv[h], &a[h], &b[h], &d[h]);
        }
        if (!deviance8(a, b, d, term)) {
            break;
        }
        for (int h = 0; h < 2; h++) {
            neumaier_add(&acc.sum[h], &acc.comp[h], term[h]);
        }
    }
    lanes_store(&acc, lanes);
    return i;
}

AVX2 size_t
singdiv__js_blocks_avx2(const singdiv__pair *c, const double *p, const double *q, size_t n,
                        size_t i, singdiv__sum lanes[8])
{
    pair4 cv = pair_broadcast(c);
    lanes8 acc = lanes_load(lanes);
    __m256d half = _mm256_set1_pd(0.5);
    __m256d minus_half = _mm256_set1_pd(-0.5);

    for (; i + 8 <= n; i += 8) {
        __m256d pv[2], qv[2], a[2], b[2], m[2], d[2], hd[2], mhd[2], ta[2], tb[2];

        block_load(p + i, q + i, pv, qv);
        for (int h = 0; h < 2; h++) {
            cross_terms4(&cv, pv[h], qv[h], &a[h], &b[h], &d[h]);
            m[h] = _mm256_mul_pd(half, _mm256_add_pd(a[h], b[h]));
            hd[h] = _mm256_mul_pd(half, d[h]);
            mhd[h] = _mm256_mul_pd(minus_half, d[h]);
        }
        if (!deviance8(a, m, hd, ta) || !deviance8(b, m, mhd, tb)) {
            break;
        }
        for (int h = 0; h < 2; h++) {
            neumaier_add(&acc.sum[h], &acc.comp[h], ta[h]);
            neumaier_add(&acc.sum[h], &acc.comp[h], tb[h]);
        }
    }
    lanes_store(&acc, lanes);
    return i;
}

AVX2 size_t
singdiv__cross_entropy_blocks_avx2(const singdiv__pair *c, const double *p, const double *q,
                                   size_t n, size_t i, double inverse_q, singdiv__sum lanes[8])
{
    lanes8 acc = lanes_load(lanes);
    __m256d q_scale = _mm256_set1_pd(c->q.scale);
    __m256d minus_p_scale = _mm256_set1_pd(-c->p.scale);
    __m256d half_total = _mm256_set1_pd(0.5 * c->q.total.hi);
    __m256d inverse = _mm256_set1_pd(inverse_q);
    __m256d zero = _mm256_setzero_pd();

    for (; i + 8 <= n; i += 8) {
        __m256d pv[2], share[2];
        __m256d plain = _mm256_castsi256_pd(_mm256_set1_epi64x(-1));

        for (int h = 0; h < 2; h++) {
            __m256d qs = _mm256_mul_pd(_mm256_loadu_pd(q + i + 4 * h), q_scale);

            pv[h] = _mm256_loadu_pd(p + i + 4 * h);
            share[h] = _mm256_mul_pd(qs, inverse);
            plain = _mm256_and_pd(plain, _mm256_cmp_pd(pv[h], zero, _CMP_GT_OQ));
            plain = _mm256_and_pd(plain, _mm256_cmp_pd(qs, half_total, _CMP_LT_OQ));
            plain = _mm256_and_pd(plain, _mm256_cmp_pd(share[h], _mm256_set1_pd(DBL_MIN),
                                                       _CMP_GE_OQ));
        }
        if (!all_set(plain)) {
            break;
        }
        for (int h = 0; h < 2; h++) {
            /* -(p_i s) equals p_i (-s) exactly, s being a power of two. */
            __m256d weight = _mm256_mul_pd(pv[h], minus_p_scale);

            neumaier_add(&acc.sum[h], &acc.comp[h], _mm256_mul_pd(weight, fastlog4(share[h])));
        }
    }
    lanes_store(&acc, lanes);
    return i;
}

#endif /* SINGDIV_HAVE_AVX2_KERNELS */
