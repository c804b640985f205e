/*
 * The per-element passes of the discrete divergences, with a scalar copy
 * and an AVX2 + FMA copy of each (see simd_discrete.h). Hardware fma is
 * what the AVX2 copy gains most: the cross terms and the deviance
 * polynomial are chains of fma, which the portable build calls in libm.
 */
#include "simd_discrete.h"

#include <float.h>
#include <stdint.h>
#include <string.h>

#include "deviance_kernel.h"
#include "fastlog.h"

#if SINGDIV_HAVE_AVX2_KERNELS
#define SINGDIV_X86_DISPATCH 1
#define SINGDIV_INLINE static inline __attribute__((always_inline))
#define SINGDIV_AVX2 __attribute__((target("avx2,fma")))
#else
#define SINGDIV_X86_DISPATCH 0
#define SINGDIV_INLINE static inline
#endif

/*
 * The block kernels of discrete_avx2.c run first in the AVX2 copy (wide
 * set); each returns where it met a block the portable code must handle.
 */
SINGDIV_INLINE size_t
kl_wide(int wide, const singdiv__pair *c, const double *p, const double *q, size_t n,
        size_t i, singdiv__sum *lanes)
{
#if SINGDIV_X86_DISPATCH
    if (wide) {
        return singdiv__kl_blocks_avx2(c, p, q, n, i, lanes);
    }
#endif
    (void)wide, (void)c, (void)p, (void)q, (void)n, (void)lanes;
    return i;
}

SINGDIV_INLINE size_t
js_wide(int wide, const singdiv__pair *c, const double *p, const double *q, size_t n,
        size_t i, singdiv__sum *lanes)
{
#if SINGDIV_X86_DISPATCH
    if (wide) {
        return singdiv__js_blocks_avx2(c, p, q, n, i, lanes);
    }
#endif
    (void)wide, (void)c, (void)p, (void)q, (void)n, (void)lanes;
    return i;
}

SINGDIV_INLINE size_t
cross_entropy_wide(int wide, const singdiv__pair *c, const double *p, const double *q,
                   size_t n, size_t i, double inverse_q, singdiv__sum *lanes)
{
#if SINGDIV_X86_DISPATCH
    if (wide) {
        return singdiv__cross_entropy_blocks_avx2(c, p, q, n, i, inverse_q, lanes);
    }
#endif
    (void)wide, (void)c, (void)p, (void)q, (void)n, (void)inverse_q, (void)lanes;
    return i;
}

int
singdiv__path_uses_avx2(singdiv__path path)
{
#if SINGDIV_X86_DISPATCH
    return path == SINGDIV__PATH_AUTO && __builtin_cpu_supports("avx2")
           && __builtin_cpu_supports("fma");
#else
    (void)path;
    return 0;
#endif
}

/* Independent lanes: blocks of LANES entries, one compensated sum per lane. */
enum { LANES = 8 };

/* Adds the lanes' sums into one, in lane order. */
SINGDIV_INLINE singdiv__sum
fold_lanes(const singdiv__sum lanes[LANES])
{
    singdiv__sum total = lanes[0];

    for (int k = 1; k < LANES; k++) {
        total.comp += lanes[k].comp;
        singdiv__sum_add(&total, lanes[k].sum);
    }
    return total;
}

/* Returns log(x) for finite x > 0: inline where x is normal, libm otherwise. */
SINGDIV_INLINE double
log_normal(double x)
{
    return x >= DBL_MIN ? singdiv__fastlog(x) : log(x);
}

/*
 * Returns log(x / total) for 0 < x <= total like singdiv__log_share(), with
 * the inline logarithm: log1p keeps the digits where x is close to total.
 */
SINGDIV_INLINE double
log_share(double x, singdiv__dd total, double inverse_total)
{
    if (x >= 0.5 * total.hi) {
        return log1p(((x - total.hi) - total.lo) / total.hi);
    }
    return log_normal(x * inverse_total);
}

/*
 * Returns g(w) of deviance_kernel.h with a shorter dependent chain than
 * Horner's fourteen steps. The terms of degree 4 to 13 go by Estrin's
 * scheme (pairs, then powers w^2, w^4). The four leading terms, which
 * carry the result's digits, go by Horner's rule on top of them.
 */
SINGDIV_INLINE double
deviance_poly_estrin(double w)
{
    const double *c = deviance_poly; /* c[13 - j] multiplies w^j */
    double w2 = w * w;
    double w4 = w2 * w2;
    double high = fma(fma(c[0], w, c[1]), w2, fma(c[2], w, c[3]));
    double mid = fma(fma(c[4], w, c[5]), w2, fma(c[6], w, c[7]));
    double tail = fma(fma(high, w4, mid), w2, fma(c[8], w, c[9]));
    double g = tail;

    for (int i = 10; i < 14; i++) {
        g = fma(g, w, c[i]);
    }
    return g;
}

/* js_poly(w) of deviance_kernel.h by Estrin's scheme. */
SINGDIV_INLINE double
js_poly_estrin(double w)
{
    const double *c = js_poly; /* c[12 - j] multiplies w^j */
    double w2 = w * w;
    double w4 = w2 * w2;
    double low = fma(fma(c[9], w, c[10]), w2, fma(c[11], w, c[12]));
    double mid = fma(fma(c[5], w, c[6]), w2, fma(c[7], w, c[8]));
    double high = fma(fma(c[1], w, c[2]), w2, fma(c[3], w, c[4]));

    return fma(fma(c[0], w4, high), w4 * w4, fma(mid, w4, low));
}

/*
 * Returns the Jensen-Shannon term of an entry with 2 |d| <= a + b, both
 * halves at once: m phi(t) = (x + x w j(w)) / 2 for t = d / (a + b) and
 * x = d t (deviance_kernel.h). This takes one division and one polynomial
 * where the two halves take two of each. One fma adds the small product
 * x w j(w) to x, so the factor 1 + w j(w) is never rounded.
 */
SINGDIV_INLINE double
js_near(double a, double b, double d)
{
    double t = d / (a + b);
    double w = t * t;
    double x = d * t;

    return 0.5 * fma(x, w * js_poly_estrin(w), x);
}

/*
 * The range of a and b where deviance_reduced() applies: wide enough for
 * every entry of the scaled units but a tiny share, narrow enough that
 * 2^k below stays normal.
 */
SINGDIV_INLINE int
reducible(double x)
{
    return x >= 0x1p-1000 && x <= 0x1p1000;
}

/*
 * Returns the deviance kernel a log(a / b) - d for a, b in the reducible
 * range and d = a - b computed without cancellation, with one division.
 *
 * Near a = b (2 |d| <= a + b, so |v| <= 1/2 for v = d / (a + b)) it is
 * the kernel of deviance_kernel.h, d v (1 + v (1 + v) g(v^2)). Elsewhere
 * k = round(log2(a / b)) comes from the bits of a and b, so that b' = b 2^k
 * is exact and a / b' lies in [2/3, 3/2]; then a - b' is exact (Sterbenz),
 * u = (a - b') / (a + b') has |u| <= 1/5, and
 *     log(a / b) = k log 2 + 2 atanh(u) = k log 2 + 2 u + 2 u w g(w),
 * w = u^2, with the same polynomial g. There |k| >= 2, so the sum does not
 * cancel, and a log(a / b) - d cancels at most a factor 2.5.
 */
SINGDIV_INLINE double
deviance_reduced(double a, double b, double d)
{
    double sum = a + b;
    int near = fabs(d) + fabs(d) <= sum;
    uint64_t bits_a;
    uint64_t bits_b;
    uint64_t e;
    double two_k;
    double k;
    double b_k;
    double u;
    double w;
    double g;
    double two_u;
    double log_ratio;

    memcpy(&bits_a, &a, sizeof bits_a);
    memcpy(&bits_b, &b, sizeof bits_b);
    /* e = k + 1024: adding 2^51 rounds the mantissa difference, 2^62 keeps e positive. */
    e = (bits_a - bits_b + 0x4008000000000000u) >> 52;
    bits_b = (e - 1) << 52;
    memcpy(&two_k, &bits_b, sizeof two_k);
    e |= 0x4330000000000000u;
    memcpy(&k, &e, sizeof k);
    k -= 0x1.0000000000400p+52;
    b_k = b * two_k;

    u = near ? d / sum : (a - b_k) / (a + b_k);
    w = u * u;
    g = deviance_poly_estrin(w);
    if (near) {
        return fma(fma(u, u, u), g, 1.0) * (d * u);
    }
    two_u = u + u;
    log_ratio = k * fastlog_ln2_head + (two_u + (k * fastlog_ln2_tail + two_u * (w * g)));
    return a * log_ratio - d;
}

/* The deviance kernel of deviance_kernel.h for a, b > 0, with one division where it can. */
SINGDIV_INLINE double
deviance(double a, double b, double d)
{
    double v;
    double r;

    if (reducible(a) && reducible(b)) {
        return deviance_reduced(a, b, d);
    }
    v = d / (a + b);
    if (fabs(v) <= 0.5) {
        return (d * v) * singdiv__deviance_factor(v);
    }
    r = a / b;
    if (r >= DBL_MIN && r <= DBL_MAX) {
        return a * singdiv__fastlog(r) - d;
    }
    return a * (log(a) - log(b)) - d;
}

/*
 * Returns the kernel for LANES pairs a, b > 0 with the bits of deviance(),
 * or 0 without writing term when an a or b leaves the reducible range.
 */
SINGDIV_INLINE int
deviance_lanes(const double *a, const double *b, const double *d, double *term)
{
    int in_range = 1;

    for (int k = 0; k < LANES; k++) {
        in_range &= reducible(a[k]) & reducible(b[k]);
    }
    if (!in_range) {
        return 0;
    }
    for (int k = 0; k < LANES; k++) {
        term[k] = deviance_reduced(a[k], b[k], d[k]);
    }
    return 1;
}

/*
 * Returns log(x / total) for an entry x > 0 whose scaled value x * scale
 * underflows, from the raw values: log x - log T with T = total / scale
 * the raw sum (the scale is a power of two, so T.hi is exact). Both
 * logarithms are finite for any positive x, and the result, below
 * log(2^-1021), keeps its relative accuracy through the subtraction.
 */
SINGDIV_INLINE double
log_share_raw(double x, singdiv__scaled s)
{
    return (log(x) - log(s.total.hi / s.scale)) - s.total.lo / s.total.hi;
}

/* Returns log(x_i / total) for x_i > 0 with scaled value scaled = x_i * s.scale. */
SINGDIV_INLINE double
log_share_of(double raw, double scaled, singdiv__scaled s, double inverse_total)
{
    if (scaled < DBL_MIN) {
        return log_share_raw(raw, s);
    }
    return log_share(scaled, s.total, inverse_total);
}

SINGDIV_INLINE void
cross_entropy_element(const singdiv__pair *c, double pi, double qi, double inverse_q,
                      singdiv__sum *covered, singdiv__ce_sums *s)
{
    double ps = pi * c->p.scale;
    double qs = qi * c->q.scale;

    if (pi > 0.0 && qi > 0.0) {
        /* A p_i that underflows adds -0 or a subnormal: no larger than its exact term, 1e-305. */
        singdiv__sum_add(covered, -ps * log_share_of(qi, qs, c->q, inverse_q));
    } else if (pi > 0.0) {
        singdiv__sum_add(&s->violating, ps);
        s->violating_count++;
    } else if (qi > 0.0) {
        singdiv__sum_add(&s->reverse, qs);
        s->reverse_count++;
    }
}

/* Adds the terms of a block where every p_i, q_i > 0 and every share is normal and below 1/2. */
SINGDIV_INLINE int
cross_entropy_block(const singdiv__pair *c, const double *p, const double *q,
                    double inverse_q, singdiv__sum *lanes)
{
    double share[LANES];
    int plain = 1;

    for (int k = 0; k < LANES; k++) {
        double qs = q[k] * c->q.scale;

        share[k] = qs * inverse_q;
        plain &= p[k] > 0.0 && qs < 0.5 * c->q.total.hi && share[k] >= DBL_MIN;
    }
    if (!plain) {
        return 0;
    }
    singdiv__fastlog_n(share, share, LANES);
    for (int k = 0; k < LANES; k++) {
        singdiv__sum_add(&lanes[k], -(p[k] * c->p.scale) * share[k]);
    }
    return 1;
}

SINGDIV_INLINE singdiv__ce_sums
cross_entropy_body(const singdiv__pair *c, const double *p, const double *q, size_t n,
                   int wide)
{
    singdiv__ce_sums s = { { 0.0, 0.0 }, { 0.0, 0.0 }, { 0.0, 0.0 }, 0, 0 };
    singdiv__sum lanes[LANES] = { { 0.0, 0.0 } };
    double inverse_q = 1.0 / c->q.total.hi;
    size_t i = 0;

    for (; i + LANES <= n; i += LANES) {
        i = cross_entropy_wide(wide, c, p, q, n, i, inverse_q, lanes);
        if (i + LANES > n) {
            break;
        }
        if (!cross_entropy_block(c, p + i, q + i, inverse_q, lanes)) {
            for (int k = 0; k < LANES; k++) {
                cross_entropy_element(c, p[i + (size_t)k], q[i + (size_t)k], inverse_q,
                                      &lanes[k], &s);
            }
        }
    }
    for (; i < n; i++) {
        cross_entropy_element(c, p[i], q[i], inverse_q, &lanes[0], &s);
    }
    s.covered = fold_lanes(lanes);
    return s;
}

/*
 * The KL term a log(a / b) - d of an entry with p_i, q_i > 0 where a, b or
 * a scaled entry underflows. The logarithm comes from the shares
 * log(p_i / P) - log(q_i / Q), each from raw values where its scaled entry
 * underflowed, so it is finite; a = 0 leaves -d = b, the exact limit.
 */
SINGDIV_INLINE double
kl_underflow_term(const singdiv__pair *c, double pi, double qi, singdiv__cross_terms t)
{
    double ps = pi * c->p.scale;
    double qs = qi * c->q.scale;
    double ratio = log_share_of(pi, ps, c->p, 1.0 / c->p.total.hi)
                   - log_share_of(qi, qs, c->q, 1.0 / c->q.total.hi);

    if (t.a == 0.0) {
        return -t.diff;
    }
    return t.a * ratio - t.diff;
}

/* Returns 1 when an entry or a cross term of an entry with p_i, q_i > 0 underflows. */
SINGDIV_INLINE int
kl_underflows(const singdiv__pair *c, double pi, double qi, singdiv__cross_terms t)
{
    return pi * c->p.scale < DBL_MIN || qi * c->q.scale < DBL_MIN || t.a < DBL_MIN
           || t.b < DBL_MIN;
}

SINGDIV_INLINE void
kl_element(const singdiv__pair *c, double pi, double qi, singdiv__sum *covered,
           singdiv__kl_sums *s)
{
    singdiv__cross_terms t = singdiv__cross_terms_of(c, pi, qi);

    if (pi > 0.0 && qi > 0.0) {
        if (kl_underflows(c, pi, qi, t)) {
            singdiv__sum_add(covered, kl_underflow_term(c, pi, qi, t));
        } else {
            singdiv__sum_add(covered, deviance(t.a, t.b, t.diff));
        }
        s->shared_count++;
    } else if (pi > 0.0) {
        singdiv__sum_add(&s->violating, t.a);
        s->violating_count++;
    } else if (qi > 0.0) {
        singdiv__sum_add(&s->reverse, t.b);
        s->reverse_count++;
    }
}

/*
 * Adds the terms of a block where every a and b is in the reducible range,
 * and returns 0 (nothing added) otherwise. A zero p_i or q_i gives a = 0
 * or b = 0, so such a block is left to the entry-by-entry code.
 */
SINGDIV_INLINE int
kl_block(const singdiv__pair *c, const double *p, const double *q, singdiv__sum *lanes)
{
    double a[LANES];
    double b[LANES];
    double d[LANES];
    double term[LANES];
    for (int k = 0; k < LANES; k++) {
        singdiv__cross_terms t = singdiv__cross_terms_of(c, p[k], q[k]);

        a[k] = t.a;
        b[k] = t.b;
        d[k] = t.diff;
    }
    if (!deviance_lanes(a, b, d, term)) {
        return 0;
    }
    for (int k = 0; k < LANES; k++) {
        singdiv__sum_add(&lanes[k], term[k]);
    }
    return 1;
}

SINGDIV_INLINE singdiv__kl_sums
kl_body(const singdiv__pair *c, const double *p, const double *q, size_t n, int wide)
{
    singdiv__kl_sums s = { { 0.0, 0.0 }, { 0.0, 0.0 }, { 0.0, 0.0 }, 0, 0, 0 };
    singdiv__sum lanes[LANES] = { { 0.0, 0.0 } };
    size_t i = 0;

    for (; i + LANES <= n; i += LANES) {
        size_t next = kl_wide(wide, c, p, q, n, i, lanes);

        s.shared_count += next - i;
        i = next;
        if (i + LANES > n) {
            break;
        }
        if (kl_block(c, p + i, q + i, lanes)) {
            s.shared_count += LANES;
            continue;
        }
        for (int k = 0; k < LANES; k++) {
            kl_element(c, p[i + (size_t)k], q[i + (size_t)k], &lanes[k], &s);
        }
    }
    for (; i < n; i++) {
        kl_element(c, p[i], q[i], &lanes[0], &s);
    }
    s.covered = fold_lanes(lanes);
    return s;
}

/*
 * Each half of JS is a KL against m = (a + b) / 2, and a - m = (a - b) / 2.
 * Where one side is 0 its term is m - 0 = m, and the other side's is
 * a log 2 - a / 2 from the kernel.
 */
/*
 * The kernel of one JS half, a log(a / m) - d, also where a = 0 from an
 * underflowed entry: then the term is its limit m, as for a zero entry.
 */
SINGDIV_INLINE double
js_half(double a, double m, double d)
{
    if (a == 0.0) {
        return m;
    }
    return deviance(a, m, d);
}

SINGDIV_INLINE void
js_element(const singdiv__pair *c, double pi, double qi, singdiv__sum *covered,
           singdiv__kl_sums *s)
{
    singdiv__cross_terms t = singdiv__cross_terms_of(c, pi, qi);
    double m = 0.5 * (t.a + t.b);

    if (pi > 0.0 && qi > 0.0) {
        singdiv__sum_add(covered, js_half(t.a, m, 0.5 * t.diff));
        singdiv__sum_add(covered, js_half(t.b, m, -0.5 * t.diff));
        s->shared_count++;
    } else if (pi > 0.0) {
        singdiv__sum_add(&s->violating, t.a);
        s->violating_count++;
        singdiv__sum_add(covered, js_half(t.a, m, 0.5 * t.diff));
        singdiv__sum_add(covered, m);
    } else if (qi > 0.0) {
        singdiv__sum_add(&s->reverse, t.b);
        s->reverse_count++;
        singdiv__sum_add(covered, m);
        singdiv__sum_add(covered, js_half(t.b, m, -0.5 * t.diff));
    }
}

/*
 * Adds the JS terms of a block like kl_block(), against m = (a + b) / 2.
 * A block where every entry has 2 |a - b| <= a + b takes js_near(); the
 * AVX2 kernel makes the same choice per block, so the copies agree.
 */
SINGDIV_INLINE int
js_block(const singdiv__pair *c, const double *p, const double *q, singdiv__sum *lanes)
{
    double a[LANES];
    double b[LANES];
    double m[LANES];
    double diff[LANES];
    int in_range = 1;
    int near = 1;

    for (int k = 0; k < LANES; k++) {
        singdiv__cross_terms t = singdiv__cross_terms_of(c, p[k], q[k]);

        a[k] = t.a;
        b[k] = t.b;
        m[k] = 0.5 * (t.a + t.b);
        diff[k] = t.diff;
        in_range &= reducible(a[k]) & reducible(b[k]) & reducible(m[k]);
        near &= fabs(t.diff) + fabs(t.diff) <= t.a + t.b;
    }
    if (!in_range) {
        return 0;
    }
    for (int k = 0; k < LANES; k++) {
        if (near) {
            singdiv__sum_add(&lanes[k], js_near(a[k], b[k], diff[k]));
        } else {
            singdiv__sum_add(&lanes[k], deviance_reduced(a[k], m[k], 0.5 * diff[k]));
            singdiv__sum_add(&lanes[k], deviance_reduced(b[k], m[k], -0.5 * diff[k]));
        }
    }
    return 1;
}

SINGDIV_INLINE singdiv__kl_sums
js_body(const singdiv__pair *c, const double *p, const double *q, size_t n, int wide)
{
    singdiv__kl_sums s = { { 0.0, 0.0 }, { 0.0, 0.0 }, { 0.0, 0.0 }, 0, 0, 0 };
    singdiv__sum lanes[LANES] = { { 0.0, 0.0 } };
    size_t i = 0;

    for (; i + LANES <= n; i += LANES) {
        size_t next = js_wide(wide, c, p, q, n, i, lanes);

        s.shared_count += next - i;
        i = next;
        if (i + LANES > n) {
            break;
        }
        if (js_block(c, p + i, q + i, lanes)) {
            s.shared_count += LANES;
            continue;
        }
        for (int k = 0; k < LANES; k++) {
            js_element(c, p[i + (size_t)k], q[i + (size_t)k], &lanes[k], &s);
        }
    }
    for (; i < n; i++) {
        js_element(c, p[i], q[i], &lanes[0], &s);
    }
    s.covered = fold_lanes(lanes);
    return s;
}

/*
 * Finishes the scan of singdiv__scan_nonnegative_on() from entry i, with
 * the lanes of the entries before it: one Neumaier lane per entry of a
 * block. Returns 0 at the first block with an entry that is not finite
 * and >= 0.
 */
SINGDIV_INLINE int
scan_rest(const double *x, size_t n, size_t i, singdiv__sum lanes[LANES], singdiv__dd *sum)
{
    singdiv__dd total = { 0.0, 0.0 };
    int clean = 1;

    /* A NaN fails both comparisons, and +inf fails the second. */
    for (; i + LANES <= n; i += LANES) {
        for (size_t k = 0; k < LANES; k++) {
            clean &= (x[i + k] >= 0.0) & (x[i + k] <= DBL_MAX);
            singdiv__sum_add(&lanes[k], x[i + k]);
        }
        if (!clean) {
            return 0;
        }
    }
    for (; i < n; i++) {
        clean &= (x[i] >= 0.0) & (x[i] <= DBL_MAX);
        singdiv__sum_add(&lanes[0], x[i]);
    }

    for (size_t k = 0; k < LANES; k++) {
        singdiv__dd_add(&total, lanes[k].sum);
        singdiv__dd_add(&total, lanes[k].comp);
    }
    *sum = total;
    return clean;
}

/* The scan of singdiv__scan_nonnegative_on(), the AVX2 kernel first when wide is set. */
SINGDIV_INLINE int
scan_body(const double *x, size_t n, singdiv__dd *sum, int wide)
{
    singdiv__sum lanes[LANES] = { { 0.0, 0.0 } };
    size_t i = 0;

#if SINGDIV_X86_DISPATCH
    if (wide) {
        i = singdiv__scan_blocks_avx2(x, n, lanes);
    }
#endif
    (void)wide;
    return scan_rest(x, n, i, lanes, sum);
}

/*
 * The scan of singdiv__scan_pair_on(). The AVX2 kernel reads p and q in
 * one loop, because that streams both from memory faster than two loops
 * do. The sums are those of two single scans.
 */
SINGDIV_INLINE int
scan_pair_body(const double *p, const double *q, size_t n, singdiv__dd *sum_p,
               singdiv__dd *sum_q, int wide)
{
    singdiv__sum lanes_p[LANES] = { { 0.0, 0.0 } };
    singdiv__sum lanes_q[LANES] = { { 0.0, 0.0 } };
    size_t i = 0;

#if SINGDIV_X86_DISPATCH
    if (wide) {
        i = singdiv__scan_pair_blocks_avx2(p, q, n, lanes_p, lanes_q);
    }
#endif
    (void)wide;
    return scan_rest(p, n, i, lanes_p, sum_p) & scan_rest(q, n, i, lanes_q, sum_q);
}

static int
scan_scalar(const double *x, size_t n, singdiv__dd *sum)
{
    return scan_body(x, n, sum, 0);
}

static int
scan_pair_scalar(const double *p, const double *q, size_t n, singdiv__dd *sum_p,
                 singdiv__dd *sum_q)
{
    return scan_pair_body(p, q, n, sum_p, sum_q, 0);
}

#if SINGDIV_X86_DISPATCH
SINGDIV_AVX2 static int
scan_avx2(const double *x, size_t n, singdiv__dd *sum)
{
    return scan_body(x, n, sum, 1);
}

SINGDIV_AVX2 static int
scan_pair_avx2(const double *p, const double *q, size_t n, singdiv__dd *sum_p,
               singdiv__dd *sum_q)
{
    return scan_pair_body(p, q, n, sum_p, sum_q, 1);
}
#endif

int
singdiv__scan_nonnegative_on(const double *x, size_t n, singdiv__dd *sum, singdiv__path path)
{
#if SINGDIV_X86_DISPATCH
    if (singdiv__path_uses_avx2(path)) {
        return scan_avx2(x, n, sum);
    }
#endif
    (void)path;
    return scan_scalar(x, n, sum);
}

int
singdiv__scan_nonnegative(const double *x, size_t n, singdiv__dd *sum)
{
    return singdiv__scan_nonnegative_on(x, n, sum, SINGDIV__PATH_AUTO);
}

int
singdiv__scan_pair_on(const double *p, const double *q, size_t n, singdiv__dd *sum_p,
                      singdiv__dd *sum_q, singdiv__path path)
{
#if SINGDIV_X86_DISPATCH
    if (singdiv__path_uses_avx2(path)) {
        return scan_pair_avx2(p, q, n, sum_p, sum_q);
    }
#endif
    (void)path;
    return scan_pair_scalar(p, q, n, sum_p, sum_q);
}

int
singdiv__scan_pair(const double *p, const double *q, size_t n, singdiv__dd *sum_p,
                   singdiv__dd *sum_q)
{
    return singdiv__scan_pair_on(p, q, n, sum_p, sum_q, SINGDIV__PATH_AUTO);
}

static singdiv__ce_sums
cross_entropy_scalar(const singdiv__pair *c, const double *p, const double *q, size_t n)
{
    return cross_entropy_body(c, p, q, n, 0);
}

static singdiv__kl_sums
kl_scalar(const singdiv__pair *c, const double *p, const double *q, size_t n)
{
    return kl_body(c, p, q, n, 0);
}

static singdiv__kl_sums
js_scalar(const singdiv__pair *c, const double *p, const double *q, size_t n)
{
    return js_body(c, p, q, n, 0);
}

#if SINGDIV_X86_DISPATCH
SINGDIV_AVX2 static singdiv__ce_sums
cross_entropy_avx2(const singdiv__pair *c, const double *p, const double *q, size_t n)
{
    return cross_entropy_body(c, p, q, n, 1);
}

SINGDIV_AVX2 static singdiv__kl_sums
kl_avx2(const singdiv__pair *c, const double *p, const double *q, size_t n)
{
    return kl_body(c, p, q, n, 1);
}

SINGDIV_AVX2 static singdiv__kl_sums
js_avx2(const singdiv__pair *c, const double *p, const double *q, size_t n)
{
    return js_body(c, p, q, n, 1);
}
#endif

singdiv__ce_sums
singdiv__cross_entropy_pass(const singdiv__pair *c, const double *p, const double *q,
                            size_t n, singdiv__path path)
{
#if SINGDIV_X86_DISPATCH
    if (singdiv__path_uses_avx2(path)) {
        return cross_entropy_avx2(c, p, q, n);
    }
#endif
    (void)path;
    return cross_entropy_scalar(c, p, q, n);
}

singdiv__kl_sums
singdiv__kl_pass(const singdiv__pair *c, const double *p, const double *q, size_t n,
                 singdiv__path path)
{
#if SINGDIV_X86_DISPATCH
    if (singdiv__path_uses_avx2(path)) {
        return kl_avx2(c, p, q, n);
    }
#endif
    (void)path;
    return kl_scalar(c, p, q, n);
}

singdiv__kl_sums
singdiv__js_pass(const singdiv__pair *c, const double *p, const double *q, size_t n,
                 singdiv__path path)
{
#if SINGDIV_X86_DISPATCH
    if (singdiv__path_uses_avx2(path)) {
        return js_avx2(c, p, q, n);
    }
#endif
    (void)path;
    return js_scalar(c, p, q, n);
}
