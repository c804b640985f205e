/*
 * Tiled kernel sums for MMD: packing of points into 8-point panels, the
 * 4 x 8 block of kernel values, and the reductions over a pair of tiles.
 *
 * Every lane of the vector code performs the same IEEE operations, in the
 * same order, as the scalar code would, and fuses a multiply-add exactly
 * where the scalar code calls fma(). So the AVX2 copy, the SSE2 copy and
 * the portable copy give identical bits.
 */
#include <float.h>
#include <string.h>

#include "mmd_internal.h"

#if defined(__GNUC__) && !defined(SINGDIV_MMD_SCALAR)
#define SD_VECTOR 1
#define SD_ALWAYS_INLINE __attribute__((always_inline))
#define SD_INLINE static inline SD_ALWAYS_INLINE
/* Four doubles; GCC and clang lower them to AVX, SSE2 pairs or scalars. */
typedef double sd_v4 __attribute__((vector_size(32)));
typedef int64_t sd_i4 __attribute__((vector_size(32)));
typedef uint64_t sd_u4 __attribute__((vector_size(32)));
typedef double sd_v4_unaligned __attribute__((vector_size(32), aligned(8), may_alias));
#pragma GCC diagnostic ignored "-Wpsabi"
/* Full unrolling keeps the 8 accumulators of a block in registers. */
#define SD_UNROLL _Pragma("GCC unroll 8")
#define SD_UNROLL_EXP _Pragma("GCC unroll 13")
#else
#define SD_ALWAYS_INLINE
#define SD_UNROLL
#define SD_UNROLL_EXP
#define SD_VECTOR 0
#define SD_INLINE static inline
typedef struct sd_v4 {
    double v[4];
} sd_v4;
#endif

#if SD_VECTOR && defined(__x86_64__)
#define SD_DISPATCH 1
#include <immintrin.h>
#else
#define SD_DISPATCH 0
#endif

/* Largest points per tile; the B tile (512 * d doubles) then stays in L2. */
#define SD_TILE_MAX 512
/* Doubles of one tile budgeted to fit in a typical 256 KB L2 with room to spare. */
#define SD_TILE_BUDGET 16384

/*
 * exp(r) on |r| <= log(2)/2 as a polynomial of degree 11: the Chebyshev
 * fit mpmath.chebyfit(exp, [-1.0001 L, 1.0001 L], 12) with L = log(2)/2 at
 * 50 digits, coefficients rounded to double. Its relative error is below
 * 1.7e-17, a sixth of an ulp, where the Taylor polynomial would need
 * degree 13.
 */
#define SD_EXP_DEGREE 11
#define SD_EXP_COEFFICIENTS(X) \
    X(0x1.0000000000000p+0)    \
    X(0x1.0000000000000p+0)    \
    X(0x1.0000000000011p-1)    \
    X(0x1.555555555555ap-3)    \
    X(0x1.555555554f0bap-5)    \
    X(0x1.111111110f21ep-7)    \
    X(0x1.6c16c1880029fp-10)   \
    X(0x1.a01a01b1461c5p-13)   \
    X(0x1.a01991a10d9aep-16)   \
    X(0x1.71ddf56d8deb5p-19)   \
    X(0x1.28b4101c77212p-22)   \
    X(0x1.af632a0f7e2cep-26)

/* Vectors whose exponentials are evaluated together. */
#define SD_EXP_GROUP 8

#define SD_SCALAR_ENTRY(c) c,
static const double exp_coef[] = { SD_EXP_COEFFICIENTS(SD_SCALAR_ENTRY) };

/* Cody-Waite split of log(2): ln2_hi has 21 trailing zero bits, so k * ln2_hi is exact. */
#define SD_LN2_HI 0x1.62e42fee00000p-1
#define SD_LN2_LO 0x1.a39ef35793c76p-33
#define SD_INV_LN2 0x1.71547652b82fep0
/* Adding 1.5 * 2^52 rounds a double of magnitude < 2^51 to an integer in its low bits. */
#define SD_ROUND_SHIFT 0x1.8p52
/* exp(-746) is below half the smallest subnormal, so clamping there gives 0. */
#define SD_EXP_MIN (-746.0)

/*
 * The constants of the vector code as whole vectors, so that each is one
 * load; GCC's generic tuning otherwise rebuilds splats with two shuffles.
 */
#if SD_VECTOR
#define SD_V4(c) { c, c, c, c }
#else
#define SD_V4(c) { { c, c, c, c } }
#endif
#if SD_VECTOR
#define SD_VECTOR_ENTRY(c) SD_V4(c),
static const sd_v4 vc_exp_coef[] = { SD_EXP_COEFFICIENTS(SD_VECTOR_ENTRY) };
static const sd_v4 vc_exp_min = SD_V4(SD_EXP_MIN);
static const sd_v4 vc_inv_ln2 = SD_V4(SD_INV_LN2);
static const sd_v4 vc_round_shift = SD_V4(SD_ROUND_SHIFT);
static const sd_v4 vc_minus_ln2_hi = SD_V4(-SD_LN2_HI);
static const sd_v4 vc_minus_ln2_lo = SD_V4(-SD_LN2_LO);
#endif
static const sd_v4 vc_zero = SD_V4(0.0);
static const sd_v4 vc_one = SD_V4(1.0);
static const sd_v4 vc_minus_half = SD_V4(-0.5);

static double
bits_to_double(uint64_t bits)
{
    double x;

    memcpy(&x, &bits, sizeof x);
    return x;
}

static int64_t
double_to_bits(double x)
{
    int64_t bits;

    memcpy(&bits, &x, sizeof bits);
    return bits;
}

/*
 * exp(a) for a <= 0: a = k log 2 + r with |r| <= log(2)/2, exp(r) from a
 * polynomial of degree 11, and 2^k applied as two exact powers of two so
 * that subnormal results round once.
 * Measured within 1 ulp of glibc's exp on 200000 points (tests/test_mmd.c).
 */
double
singdiv__mmd_exp(double a)
{
    double t;
    double kd;
    double r;
    double p;
    int64_t j;
    int64_t j1;

    a = a < SD_EXP_MIN ? SD_EXP_MIN : a;
    t = fma(a, SD_INV_LN2, SD_ROUND_SHIFT);
    kd = t - SD_ROUND_SHIFT;
    r = fma(-kd, SD_LN2_HI, a);
    r = fma(-kd, SD_LN2_LO, r);
    p = exp_coef[SD_EXP_DEGREE];
    for (int i = SD_EXP_DEGREE - 1; i >= 0; i--) {
        p = fma(p, r, exp_coef[i]);
    }
    /* j = -k in [0, 1076], split in two halves of at most 538. */
    j = double_to_bits(SD_ROUND_SHIFT) - double_to_bits(t);
    j1 = j >> 1;
    p = p * bits_to_double((uint64_t)(1023 - j1) << 52);
    return p * bits_to_double((uint64_t)(1023 - (j - j1)) << 52);
}

#if SD_VECTOR

/*
 * The vector helpers are macros, not functions: clang rejects passing a
 * 32-byte vector by value in the copy compiled without AVX, even to an
 * inlined function. The statement expressions are a GNU extension that
 * GCC and clang share.
 */
#define v_splat(a) ((sd_v4){ (a), (a), (a), (a) })
#define v_load(p) (*(const sd_v4_unaligned *)(const void *)(p))
#define v_store(p, a) (*(sd_v4_unaligned *)(void *)(p) = (a))
#define v_add(a, b) ((a) + (b))
#define v_sub(a, b) ((a) - (b))
#define v_mul(a, b) ((a) * (b))
#define v_div(a, b) ((a) / (b))

/* a where a > 0, else +0 (rounding can make a squared distance negative). */
#define v_positive(a)                                   \
    __extension__({                                     \
        sd_v4 value_ = (a);                             \
        (sd_v4)((sd_i4)value_ & (value_ > vc_zero));    \
    })

/* a where a < 0, else +0. */
#define v_negative(a)                                   \
    __extension__({                                     \
        sd_v4 value_ = (a);                             \
        (sd_v4)((sd_i4)value_ & (value_ < vc_zero));    \
    })

/* value where index > bound, else 0. */
#define v_keep_greater(value, index, bound)             \
    ((sd_v4)((sd_i4)(value) & ((index) > (bound))))

#if SD_DISPATCH
#define v_sqrt(a)                                                   \
    __extension__({                                                 \
        sd_v4 value_ = (a);                                         \
        __m128d lo_ = _mm_sqrt_pd(_mm_set_pd(value_[1], value_[0])); \
        __m128d hi_ = _mm_sqrt_pd(_mm_set_pd(value_[3], value_[2])); \
        (sd_v4){ lo_[0], lo_[1], hi_[0], hi_[1] };                  \
    })
#else
#define v_sqrt(a)                                                          \
    __extension__({                                                        \
        sd_v4 value_ = (a);                                                \
        (sd_v4){ __builtin_sqrt(value_[0]), __builtin_sqrt(value_[1]),     \
                 __builtin_sqrt(value_[2]), __builtin_sqrt(value_[3]) };   \
    })
#endif

#define v_hsum(a)                                           \
    __extension__({                                         \
        sd_v4 value_ = (a);                                 \
        (value_[0] + value_[1]) + (value_[2] + value_[3]);  \
    })

#define v_lane_index(first)                                         \
    __extension__({                                                 \
        double first_ = (first);                                    \
        (sd_v4){ first_, first_ + 1.0, first_ + 2.0, first_ + 3.0 }; \
    })

#else /* portable scalar lanes */

SD_INLINE sd_v4
v_splat(double a)
{
    sd_v4 v = { { a, a, a, a } };

    return v;
}

SD_INLINE sd_v4
v_load(const double *p)
{
    sd_v4 v;

    memcpy(v.v, p, sizeof v.v);
    return v;
}

SD_INLINE void
v_store(double *p, sd_v4 a)
{
    memcpy(p, a.v, sizeof a.v);
}

#define SD_LANEWISE(name, expr)          \
    SD_INLINE sd_v4                      \
    name(sd_v4 a, sd_v4 b)               \
    {                                    \
        sd_v4 r;                         \
        for (int l = 0; l < 4; l++) {    \
            r.v[l] = expr;               \
        }                                \
        return r;                        \
    }
SD_LANEWISE(v_add, a.v[l] + b.v[l])
SD_LANEWISE(v_sub, a.v[l] - b.v[l])
SD_LANEWISE(v_mul, a.v[l] * b.v[l])
SD_LANEWISE(v_div, a.v[l] / b.v[l])

SD_INLINE sd_v4
v_positive(sd_v4 a)
{
    for (int l = 0; l < 4; l++) {
        a.v[l] = a.v[l] > 0.0 ? a.v[l] : 0.0;
    }
    return a;
}

SD_INLINE sd_v4
v_negative(sd_v4 a)
{
    for (int l = 0; l < 4; l++) {
        a.v[l] = a.v[l] < 0.0 ? a.v[l] : 0.0;
    }
    return a;
}

SD_INLINE sd_v4
v_keep_greater(sd_v4 value, sd_v4 index, sd_v4 bound)
{
    for (int l = 0; l < 4; l++) {
        value.v[l] = index.v[l] > bound.v[l] ? value.v[l] : 0.0;
    }
    return value;
}

SD_INLINE sd_v4
v_sqrt(sd_v4 a)
{
    for (int l = 0; l < 4; l++) {
        a.v[l] = sqrt(a.v[l]);
    }
    return a;
}

SD_INLINE double
v_hsum(sd_v4 a)
{
    return (a.v[0] + a.v[1]) + (a.v[2] + a.v[3]);
}

SD_INLINE sd_v4
v_lane_index(double first)
{
    sd_v4 v = { { first, first + 1.0, first + 2.0, first + 3.0 } };

    return v;
}

#endif /* SD_VECTOR */

size_t
singdiv__mmd_tile_points(size_t d)
{
    size_t t = SD_TILE_BUDGET / (d + 2);

    t -= t % 8;
    if (t < 8) {
        return 8;
    }
    return t > SD_TILE_MAX ? SD_TILE_MAX : t;
}

singdiv_status
singdiv__mmd_tile_doubles(size_t d, size_t *count)
{
    size_t t = singdiv__mmd_tile_points(d);
    size_t max_doubles = (size_t)PTRDIFF_MAX / sizeof(double);

    if (d > max_doubles / t - 2) {
        return SINGDIV_ERR_SIZE_OVERFLOW;
    }
    *count = t * (d + 2);
    return SINGDIV_OK;
}

void
singdiv__mmd_tile_init(singdiv__mmd_tile *tile, double *buf, size_t d)
{
    size_t t = singdiv__mmd_tile_points(d);

    tile->coords = buf;
    tile->norms = buf + t * d;
    tile->weights = tile->norms + t;
    tile->count = 0;
    tile->padded = 0;
    tile->unit = 0;
}

/* Returns the signed weight p_i / P - q_i / Q of point i, in double-double arithmetic. */
static double
signed_weight(const singdiv__mmd_points *pts, size_t i)
{
    double pi = pts->weight[i] * pts->scale_p;
    double qi = pts->wq[i] * pts->scale_q;
    singdiv__dd a = singdiv__two_prod(pi, pts->wscale_q.hi);
    singdiv__dd b = singdiv__two_prod(qi, pts->wscale_p.hi);
    singdiv__dd s = singdiv__two_sum(a.hi, -b.hi);
    double lo;

    /* p_i Q - q_i P, exact up to the products with the low parts of the sums. */
    a.lo += pi * pts->wscale_q.lo;
    b.lo += qi * pts->wscale_p.lo;
    lo = s.lo + (a.lo - b.lo);
    return (s.hi + lo) / (pts->wscale_p.hi * pts->wscale_q.hi);
}

void
singdiv__mmd_points_init(singdiv__mmd_points *pts, const double *x, size_t n)
{
    pts->x = x;
    pts->x2 = NULL;
    pts->split = SIZE_MAX;
    pts->n = n;
    pts->index = NULL;
    pts->weight = NULL;
    pts->wq = NULL;
    pts->scale_p = 1.0;
    pts->scale_q = 1.0;
    pts->wscale_p.hi = 1.0;
    pts->wscale_p.lo = 0.0;
    pts->wscale_q = pts->wscale_p;
}

static double
point_weight(const singdiv__mmd_points *pts, size_t i)
{
    if (pts->weight == NULL) {
        return 1.0;
    }
    if (pts->wq == NULL) {
        return pts->weight[i];
    }
    return signed_weight(pts, i);
}

void
singdiv__mmd_pack(const singdiv__mmd_plan *plan, const singdiv__mmd_points *pts,
                  size_t start, size_t count, singdiv__mmd_tile *tile)
{
    size_t d = plan->d;
    size_t padded = (count + 7) / 8 * 8;

    for (size_t i = 0; i < padded; i++) {
        double *dst = tile->coords + (i / 8) * 8 * d + i % 8;
        double norm = 0.0;

        if (i >= count) {
            for (size_t k = 0; k < d; k++) {
                dst[k * 8] = 0.0;
            }
            tile->norms[i] = 0.0;
            tile->weights[i] = 0.0;
            continue;
        }
        size_t row = pts->index != NULL ? pts->index[start + i] : start + i;
        const double *src = row < pts->split ? pts->x + row * d
                                             : pts->x2 + (row - pts->split) * d;

        for (size_t k = 0; k < d; k++) {
            double u = (src[k] - plan->center[k]) / plan->bandwidth;

            dst[k * 8] = u;
            norm = fma(u, u, norm);
        }
        tile->norms[i] = 0.5 * norm;
        tile->weights[i] = point_weight(pts, start + i);
    }
    tile->unit = pts->weight == NULL;
    tile->count = count;
    tile->padded = padded;
}


#if SD_DISPATCH
#define SD_FN(name) name##_avx2
#define SD_TARGET __attribute__((target("avx2,fma")))
#define SD_FMA_AVX2 1
#include "mmd_kernel.h"
#undef SD_FN
#undef SD_TARGET
#undef SD_FMA_AVX2

/* The AVX2 copy computes the same bits as the generic one, only faster. */
static int
use_avx2(void)
{
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#endif

/*
 * The generic copy. NOTE: on x86-64 without FMA3 (before 2013) each fused
 * multiply-add is a call to libm's fma(), which keeps the bits identical
 * but makes this copy many times slower than the AVX2 one.
 */
#define SD_FN(name) name##_generic
#define SD_TARGET
#define SD_FMA_AVX2 0
#include "mmd_kernel.h"

double
singdiv__mmd_tile_sum(const singdiv__mmd_plan *plan, const singdiv__mmd_tile *a,
                      const singdiv__mmd_tile *b, int symmetric)
{
#if SD_DISPATCH
    if (!plan->portable && use_avx2()) {
        return tile_sum_avx2(plan, a, b, symmetric);
    }
#endif
    return tile_sum_generic(plan, a, b, symmetric);
}

void
singdiv__mmd_tile_row_sums(const singdiv__mmd_plan *plan, const singdiv__mmd_tile *a,
                           const singdiv__mmd_tile *b, int symmetric, double *ra,
                           double *rb)
{
#if SD_DISPATCH
    if (!plan->portable && use_avx2()) {
        tile_row_sums_avx2(plan, a, b, symmetric, ra, rb);
        return;
    }
#endif
    tile_row_sums_generic(plan, a, b, symmetric, ra, rb);
}

void
singdiv__mmd_tile_store(const singdiv__mmd_plan *plan, const singdiv__mmd_tile *a,
                        const singdiv__mmd_tile *b, int symmetric, double *kmat,
                        size_t ld, size_t row0, size_t col0)
{
#if SD_DISPATCH
    if (!plan->portable && use_avx2()) {
        tile_store_avx2(plan, a, b, symmetric, kmat, ld, row0, col0);
        return;
    }
#endif
    tile_store_generic(plan, a, b, symmetric, kmat, ld, row0, col0);
}

void
singdiv__mmd_exp_array(const double *a, double *out, size_t count, int normal)
{
#if SD_DISPATCH
    if (use_avx2()) {
        exp_array_avx2(a, out, count, normal);
        return;
    }
#endif
    exp_array_generic(a, out, count, normal);
}
