/*
 * Wasserstein distances on the real line.
 *
 * W1 and Wk couple the quantile functions: walking both sorted samples
 * at once, each step pairs the current u value with the current v value
 * for a mass m, the smaller of the two residual masses, so that
 * Wk^k = sum m |u_i - v_j|^k / (total mass). The differences are taken
 * between the paired values themselves, so samples far from zero keep
 * their digits, and every term is non-negative, so a compensated sum of
 * terms that each carry two or three roundings stays within a few ulp.
 *
 * Masses are exact integers when both samples are unweighted (u's values
 * carry nv each and v's carry nu, out of nu nv). With weights, each side is
 * scaled by a power of two so that its exact total lies in [1, 2); a u
 * value then carries w_i V and a v value w_j U, products kept in
 * double-double, and residuals are differences of those, so near-equal
 * masses do not cancel into noise and the error does not grow with n.
 *
 * The CDF distance walks the merged values instead and accumulates
 * F_u - F_v the same way, exactly in integers or in double-double.
 */
#include <float.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

#include "internal.h"
#include "radix_sort.h"
#include "w1_hist.h"

/*
 * The loops that form exact products are compiled twice on x86-64, with
 * and without the FMA instructions, and the loader picks the version the
 * processor supports. Without them fma() is a library call in the inner
 * loop. fma rounds once either way, so both versions give the same bits.
 *
 * Only gcc clones them, because clang 14.0.6 gives the resolver of a
 * static clone external linkage and the shared library would export
 * "w1_sorted.resolver" and the like. Under ThreadSanitizer nothing is
 * cloned, because the resolvers run before the sanitizer's runtime is
 * initialised and crash the program at startup.
 */
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SINGDIV_THREAD_SANITIZER 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define SINGDIV_THREAD_SANITIZER 1
#endif

#if defined(__x86_64__) && defined(__ELF__) && defined(__linux__) && !defined(__clang__) \
    && defined(__GNUC__) && __GNUC__ >= 6 && !defined(SINGDIV_THREAD_SANITIZER)
#define FMA_CLONES __attribute__((target_clones("fma", "default")))
#else
#define FMA_CLONES
#endif

/*
 * A validated sample: values, weights (NULL for equal weights), scaled
 * total. Weighted samples may be lifted (see lift_samples()): then
 * total.scale is the scale times 2^share_lift and total.total the scaled
 * total times 2^total_lift.
 */
typedef struct sample {
    const double *x;
    const double *w;
    size_t n;
    singdiv__scaled total;
    int share_lift;
    int total_lift;
} sample;

typedef enum distance_kind {
    KIND_W1,
    KIND_WK,
    KIND_CDF
} distance_kind;

/* Returns a + b for two double-doubles, normalised. */
static inline singdiv__dd
dd_add_dd(singdiv__dd a, singdiv__dd b)
{
    singdiv__dd s = singdiv__two_sum(a.hi, b.hi);

    s.lo += a.lo + b.lo;
    return singdiv__two_sum(s.hi, s.lo);
}

static inline singdiv__dd
dd_neg(singdiv__dd a)
{
    singdiv__dd r = { -a.hi, -a.lo };

    return r;
}

/* Returns w * total in double-double; the product of the high parts is exact. */
static inline singdiv__dd
dd_scale(double w, singdiv__dd total)
{
    singdiv__dd m = singdiv__two_prod(w, total.hi);

    m.lo += w * total.lo;
    return singdiv__two_sum(m.hi, m.lo);
}

/*
 * Returns the power of two sigma by which differences are multiplied so
 * that no difference of values up to max_abs, times multipliers up to
 * bound, and no sum of such terms overflows; 1 for all ordinary inputs.
 * The difference itself must stay finite too, even when bound is below 1
 * (weights with a subnormal total): an infinite difference times a zero
 * mass would be NaN. So bound counts as at least 1.
 */
static double
overflow_scale(double max_abs, double bound)
{
    int e_x;
    int e_b;
    int excess;

    (void)frexp(max_abs, &e_x);
    (void)frexp(fmax(bound, 1.0), &e_b);
    excess = e_x + e_b + 1 - 1020;
    return excess > 0 ? ldexp(1.0, -excess) : 1.0;
}

/*
 * Returns |a - b| * sigma. With sigma < 1 a difference that overflows is
 * taken of the scaled values instead, which are then large enough for the
 * scaling to be exact.
 * NOTE: with sigma < 1 a difference below 2^-1022 / sigma loses bits to
 * subnormal rounding; that needs samples spanning both ends of the range.
 */
static inline double
scaled_distance(double a, double b, double sigma)
{
    double d = fabs(a - b);

    if (sigma != 1.0) {
        d = isinf(d) ? fabs(a * sigma - b * sigma) : d * sigma;
    }
    return d;
}

/*
 * Returns x^(1/k) for x > 0. 1/k is rounded, so pow's result is off by
 * the factor x^(1/k - r) = exp((1/k - r) log x) ~ 1 + (1/k - r) log x,
 * which is applied as a correction.
 */
static double
kth_root(double x, double k)
{
    double r = 1.0 / k;
    double residual = fma(-k, r, 1.0) / k;
    double y = pow(x, r);

    return fma(y, residual * log(x), y);
}

/*
 * Returns (num / den)^(1/k) as y 2^*n for num, den > 0, also where the
 * quotient is below the normal range. The quotient is taken as m 2^e with
 * m in (1/2, 2), and 2^(e/k) as 2^n times 2^f, f in [0, 1). The rounding
 * errors of e r and of r = 1/k are corrected to first order, as in kth_root().
 */
static double
kth_root_of_ratio(double num, double den, double k, int *n)
{
    const double ln2 = 0x1.62e42fefa39efp-1;
    int e = ilogb(num) - ilogb(den);
    double m = scalbn(num, -ilogb(num)) / scalbn(den, -ilogb(den));
    double r = 1.0 / k;
    double residual = fma(-k, r, 1.0) / k;
    double t = (double)e * r;
    double t_lo = fma((double)e, r, -t);
    double whole = floor(t);
    double y = pow(m, r) * exp2(t - whole);

    *n = (int)whole;
    return fma(y, residual * (log(m) + (double)e * ln2) + t_lo * ln2, y);
}

/* Returns a b 2^e with no intermediate overflow or underflow, for finite a, b. */
static double
product_pow2(double a, double b, int e)
{
    int e_a;
    int e_b;
    double m_a = frexp(a, &e_a);
    double m_b = frexp(b, &e_b);

    return ldexp(m_a * m_b, e_a + e_b + e);
}

/* Returns the exponent of the smallest nonzero entry of x times scale; INT_MAX for none. */
static int
smallest_share_exponent(const double *x, size_t n, double scale)
{
    double smallest = HUGE_VAL;

    for (size_t i = 0; i < n; i++) {
        if (x[i] > 0.0 && x[i] < smallest) {
            smallest = x[i];
        }
    }
    return isinf(smallest) ? INT_MAX : ilogb(smallest) + ilogb(scale);
}

/* Returns the lift that a value of exponent e needs to reach 2^-968, at least 0. */
static int
lift_for(int e)
{
    return e < -968 ? -968 - e : 0;
}

static int
max_int(int a, int b)
{
    return a > b ? a : b;
}

static int
min_int(int a, int b)
{
    return a < b ? a : b;
}

/* Returns the lift that the low part lo of a raw total needs once scaled by scale (0 for lo = 0). */
static int
low_part_lift(double lo, double scale)
{
    return lo != 0.0 ? lift_for(ilogb(lo) + ilogb(scale)) : 0;
}

/*
 * Caps the share lift *ls and the total lift *lt: each keeps values whose
 * scale has exponent top below 2^1022, and together they stop at 2^1000.
 */
static void
cap_lifts(int top, int *ls, int *lt)
{
    *ls = min_int(min_int(*ls, 1022 - top), 1000);
    *lt = min_int(min_int(*lt, 1022 - top), 1000 - *ls);
}


static double
sample_max_abs(const sample *u, const sample *v)
{
    return fmax(fmax(fabs(u->x[0]), fabs(u->x[u->n - 1])),
                fmax(fabs(v->x[0]), fabs(v->x[v->n - 1])));
}

/* Masses are integers when both samples are unweighted and nu nv <= 2^62. */
static int
exact_masses(const sample *u, const sample *v)
{
    return u->w == NULL && v->w == NULL
           && (uint64_t)u->n <= ((uint64_t)1 << 62) / (uint64_t)v->n;
}

/*
 * Returns the weight of entry i times the side's scale (weight 1 when unweighted).
 * NOTE: a weight far below the side's total gives a subnormal mass here or
 * in dd_scale(), which rounds to a multiple of 2^-1074 and loses relative
 * accuracy.
 */
static inline double
weight_at(const sample *s, size_t i)
{
    return s->w != NULL ? s->w[i] * s->total.scale : s->total.scale;
}

/*
 * The quantile coupling of two sorted samples, one step at a time: the
 * current pair (u_i, v_j) carries the smaller of the two residual masses.
 */
typedef struct coupling {
    const sample *u;
    const sample *v;
    size_t i;
    size_t j;
    int exact;
    uint64_t ru_count; /* residuals in units of 1 / (nu nv) */
    uint64_t rv_count;
    singdiv__dd ru;    /* residuals in units of 1 / (U V), scaled totals */
    singdiv__dd rv;
    double total;      /* the total mass in those units, to one rounding */
} coupling;

static void
coupling_init(coupling *c, const sample *u, const sample *v)
{
    const singdiv__dd *ut = &u->total.total;
    const singdiv__dd *vt = &v->total.total;

    c->u = u;
    c->v = v;
    c->i = 0;
    c->j = 0;
    c->exact = exact_masses(u, v);
    c->ru_count = (uint64_t)v->n;
    c->rv_count = (uint64_t)u->n;
    c->ru = dd_scale(weight_at(u, 0), *vt);
    c->rv = dd_scale(weight_at(v, 0), *ut);
    if (c->exact) {
        c->total = (double)u->n * (double)v->n;
    } else {
        /* Both totals carry 2^total_lift, the masses 2^(share_lift + total_lift). */
        c->total = ldexp(fma(ut->hi, vt->hi, ut->hi * vt->lo + ut->lo * vt->hi),
                         u->share_lift - u->total_lift);
    }
}

/* Stores the next pair's mass and values; returns 0 when the coupling is exhausted. */
static inline int
coupling_next(coupling *c, double *mass, double *a, double *b)
{
    singdiv__dd diff;

    if (c->i >= c->u->n || c->j >= c->v->n) {
        return 0;
    }
    *a = c->u->x[c->i];
    *b = c->v->x[c->j];

    if (c->exact) {
        uint64_t m = c->ru_count < c->rv_count ? c->ru_count : c->rv_count;

        *mass = (double)m;
        c->ru_count -= m;
        c->rv_count -= m;
        if (c->ru_count == 0) {
            c->i++;
            c->ru_count = (uint64_t)c->v->n;
        }
        if (c->rv_count == 0) {
            c->j++;
            c->rv_count = (uint64_t)c->u->n;
        }
        return 1;
    }

    /*
     * The side whose residual is smaller moves on; the other keeps the
     * difference. The difference is left unnormalised (its low part may
     * exceed half an ulp of its high part), which keeps the dependency
     * chain from one step to the next short; its value hi + lo is still
     * exact to about 2^-104 of the residuals.
     */
    diff = singdiv__two_sum(c->ru.hi, -c->rv.hi);
    diff.lo += c->ru.lo - c->rv.lo;
    if (diff.hi + diff.lo <= 0.0) {
        *mass = c->ru.hi + c->ru.lo;
        c->rv = dd_neg(diff);
        if (++c->i < c->u->n) {
            c->ru = dd_scale(weight_at(c->u, c->i), c->v->total.total);
        }
    } else {
        *mass = c->rv.hi + c->rv.lo;
        c->ru = diff;
        if (++c->j < c->v->n) {
            c->rv = dd_scale(weight_at(c->v, c->j), c->u->total.total);
        }
    }
    return 1;
}

/* W1 of two unweighted samples of equal length: the mean of |u_i - v_i|. */
static double
w1_equal_lengths(const sample *u, const sample *v, double sigma)
{
    singdiv__sum s = { 0.0, 0.0 };

    for (size_t i = 0; i < u->n; i++) {
        singdiv__sum_add(&s, scaled_distance(u->x[i], v->x[i], sigma));
    }
    return (singdiv__sum_value(&s) / (double)u->n) / sigma;
}

FMA_CLONES
static double
w1_sorted(const sample *u, const sample *v)
{
    coupling c;
    singdiv__sum s = { 0.0, 0.0 };
    double mass;
    double a;
    double b;
    double sigma;
    double sum;

    coupling_init(&c, u, v);
    sigma = overflow_scale(sample_max_abs(u, v), c.total);
    if (c.exact && u->n == v->n) {
        return w1_equal_lengths(u, v, sigma);
    }

    while (coupling_next(&c, &mass, &a, &b)) {
        singdiv__sum_add(&s, mass * scaled_distance(a, b, sigma));
    }
    /*
     * With a tiny mass beside a huge one the quotient can fall below
     * 2^-1022 before 1 / sigma would lift it back. Then the quotient of
     * the mantissas is scaled once by the combined power of two.
     */
    sum = singdiv__sum_value(&s);
    if (sum > 0.0 && sum / c.total < DBL_MIN) {
        return ldexp(scalbn(sum, -ilogb(sum)) / scalbn(c.total, -ilogb(c.total)),
                     ilogb(sum) - ilogb(c.total) - ilogb(sigma));
    }
    return (sum / c.total) / sigma;
}

/* Returns the largest scaled |u_i - v_j| over the pairs that carry mass. */
FMA_CLONES
static double
coupling_max_distance(const sample *u, const sample *v, double sigma)
{
    coupling c;
    double largest = 0.0;
    double mass;
    double a;
    double b;

    coupling_init(&c, u, v);
    while (coupling_next(&c, &mass, &a, &b)) {
        double d = scaled_distance(a, b, sigma);

        if (mass > 0.0 && d > largest) {
            largest = d;
        }
    }
    return largest;
}

FMA_CLONES
static double
wk_sorted(const sample *u, const sample *v, double k)
{
    coupling c;
    singdiv__sum s = { 0.0, 0.0 };
    double sigma = overflow_scale(sample_max_abs(u, v), 1.0);
    double largest = coupling_max_distance(u, v, sigma);
    double mass;
    double a;
    double b;
    double sum;
    double y;
    int n;

    if (largest == 0.0) {
        return 0.0;
    }
    if (isinf(k)) {
        return largest / sigma;
    }

    /* Each ratio is at most 1 and the largest is exactly 1, so nothing overflows. */
    coupling_init(&c, u, v);
    while (coupling_next(&c, &mass, &a, &b)) {
        /* A pair without mass may be farther apart than largest: its power could be inf. */
        if (mass > 0.0) {
            singdiv__sum_add(&s, mass * pow(scaled_distance(a, b, sigma) / largest, k));
        }
    }
    /*
     * With a tiny mass beside a huge one (weights 2^-140 and DBL_MAX) the
     * quotient can fall below 2^-1022 while its k-th root is normal. Taken
     * plainly it loses its digits, or it is 0 and kth_root() returns NaN.
     */
    sum = singdiv__sum_value(&s);
    if (sum / c.total >= DBL_MIN) {
        return (largest * kth_root(sum / c.total, k)) / sigma;
    }
    y = kth_root_of_ratio(sum, c.total, k, &n);
    return product_pow2(largest, y, n - ilogb(sigma));
}

/*
 * The merged walk over both sorted samples for the CDF distance: each step
 * passes one value and reports the segment before it, with the gap
 * |F_u - F_v| on that segment (in units of 1 / total) and its length.
 */
typedef struct cdf_walk {
    const sample *u;
    const sample *v;
    size_t i;
    size_t j;
    int exact;
    int64_t gap_count;  /* i nv - j nu */
    singdiv__dd gap;    /* C_u V - C_v U in scaled units */
    double position;    /* the value passed last */
    double sigma;
    double total;
} cdf_walk;

static void
cdf_walk_init(cdf_walk *c, const sample *u, const sample *v, double sigma)
{
    coupling units;

    coupling_init(&units, u, v);
    c->u = u;
    c->v = v;
    c->i = 0;
    c->j = 0;
    c->exact = units.exact;
    c->gap_count = 0;
    c->gap.hi = 0.0;
    c->gap.lo = 0.0;
    c->position = fmin(u->x[0], v->x[0]);
    c->sigma = sigma;
    c->total = units.total;
}

static inline int
cdf_walk_next(cdf_walk *c, double *gap, double *length)
{
    int from_u;
    double next;

    if (c->i >= c->u->n && c->j >= c->v->n) {
        return 0;
    }
    from_u = c->j >= c->v->n || (c->i < c->u->n && c->u->x[c->i] <= c->v->x[c->j]);
    next = from_u ? c->u->x[c->i] : c->v->x[c->j];
    *length = scaled_distance(next, c->position, c->sigma);
    *gap = c->exact ? fabs((double)c->gap_count) : fabs(c->gap.hi + c->gap.lo);
    c->position = next;

    if (c->exact) {
        c->gap_count += from_u ? (int64_t)c->v->n : -(int64_t)c->u->n;
    } else if (from_u) {
        c->gap = dd_add_dd(c->gap, dd_scale(weight_at(c->u, c->i), c->v->total.total));
    } else {
        c->gap = dd_add_dd(c->gap, dd_neg(dd_scale(weight_at(c->v, c->j), c->u->total.total)));
    }
    if (from_u) {
        c->i++;
    } else {
        c->j++;
    }
    return 1;
}

FMA_CLONES
static double
cdf_sorted(const sample *u, const sample *v, double k)
{
    double sigma = overflow_scale(sample_max_abs(u, v), 1.0);
    cdf_walk c;
    singdiv__sum s = { 0.0, 0.0 };
    double largest = 0.0;
    double gap;
    double length;
    double root;
    double unscale;

    cdf_walk_init(&c, u, v, sigma);
    while (cdf_walk_next(&c, &gap, &length)) {
        if (length > 0.0 && gap > largest) {
            largest = gap;
        }
    }
    if (largest == 0.0) {
        return 0.0;
    }
    if (isinf(k)) {
        return largest / c.total;
    }

    /* Ratios at most 1 times lengths that sum to the scaled range: no overflow. */
    cdf_walk_init(&c, u, v, sigma);
    while (cdf_walk_next(&c, &gap, &length)) {
        /* Between tied values the gap may exceed largest over a length of 0. */
        if (length > 0.0) {
            singdiv__sum_add(&s, pow(gap / largest, k) * length);
        }
    }
    /*
     * The sum is in units of sigma: undo that last, after the factor
     * largest / total (at most 1), so that the product overflows only when
     * the distance itself exceeds DBL_MAX.
     */
    root = kth_root(singdiv__sum_value(&s), k);
    unscale = sigma != 1.0 ? pow(2.0, -log2(sigma) / k) : 1.0;
    /*
     * A tiny mass beside a huge one can put largest / total below 2^-1022.
     * Then its mantissa and exponent are applied separately.
     */
    if (largest / c.total < DBL_MIN) {
        double mantissa = scalbn(largest, -ilogb(largest)) / scalbn(c.total, -ilogb(c.total));

        return product_pow2(unscale * mantissa, root, ilogb(largest) - ilogb(c.total));
    }
    root *= largest / c.total;
    if (sigma != 1.0) {
        root *= unscale;
    }
    return root;
}

static double
distance_sorted(distance_kind kind, double k, const sample *u, const sample *v)
{
    if (kind == KIND_CDF) {
        return cdf_sorted(u, v, k);
    }
    if (kind == KIND_WK && k != 1.0) {
        return wk_sorted(u, v, k);
    }
    return w1_sorted(u, v);
}

/* Checks the entries of one sample and stores the exact total of its weights. */
static singdiv_status
check_entries(const double *x, const double *w, size_t n, const char *x_name,
              const char *w_name, singdiv_error *err, singdiv__dd *total)
{
    singdiv_status status = singdiv__check_finite(x, n, x_name, err);

    if (status != SINGDIV_OK) {
        return status;
    }
    if (w != NULL) {
        return singdiv__check_nonnegative(w, n, w_name, err, total);
    }
    total->hi = (double)n;
    total->lo = (double)(n - (size_t)total->hi);
    return SINGDIV_OK;
}

static singdiv_status
check_length(size_t n, const char *name, singdiv_error *err)
{
    if (n == 0) {
        return singdiv__fail(err, SINGDIV_ERR_EMPTY, name, SINGDIV_NO_INDEX, (double)NAN);
    }
    return singdiv__check_size(n, 1, name, err);
}

static singdiv_status
check_order(const double *x, size_t n, const char *name, singdiv_error *err)
{
    for (size_t i = 1; i < n; i++) {
        if (x[i] < x[i - 1]) {
            return singdiv__fail(err, SINGDIV_ERR_UNSORTED, name, i, x[i]);
        }
    }
    return SINGDIV_OK;
}

singdiv_status
singdiv_check_samples(const double *values, const double *weights, size_t n,
                      singdiv_error *err)
{
    singdiv__dd total;
    singdiv_status status;

    singdiv__clear_error(err);
    if (values == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, "values", SINGDIV_NO_INDEX, (double)NAN);
    }
    status = check_length(n, "values", err);
    if (status != SINGDIV_OK) {
        return status;
    }
    return check_entries(values, weights, n, "values", "weights", err, &total);
}

singdiv_status
singdiv_check_support(const double *x, size_t n, singdiv_error *err)
{
    singdiv_status status;

    singdiv__clear_error(err);
    if (x == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, "x", SINGDIV_NO_INDEX, (double)NAN);
    }
    status = check_length(n, "x", err);
    if (status == SINGDIV_OK) {
        status = singdiv__check_finite(x, n, "x", err);
    }
    if (status != SINGDIV_OK) {
        return status;
    }
    for (size_t i = 1; i < n; i++) {
        if (!(x[i] > x[i - 1])) {
            return singdiv__fail(err, SINGDIV_ERR_UNSORTED, "x", i, x[i]);
        }
    }
    return SINGDIV_OK;
}

/* The arguments of a sample distance. */
typedef struct request {
    distance_kind kind;
    double k;
    const double *u;
    const double *u_weights;
    size_t nu;
    const double *v;
    const double *v_weights;
    size_t nv;
} request;

/* Checks k, then the lengths and sizes of u and v. */
static singdiv_status
check_shape(const request *r, singdiv_error *err)
{
    singdiv_status status;

    if (r->kind != KIND_W1 && !(r->k >= 1.0)) {
        return singdiv__fail(err, SINGDIV_ERR_DOMAIN, "k", SINGDIV_NO_INDEX, r->k);
    }
    status = check_length(r->nu, "u", err);
    if (status == SINGDIV_OK) {
        status = check_length(r->nv, "v", err);
    }
    return status;
}

/* Returns the exponent of the smallest mass of s in units of 1 / (U V), other's total in [1, 2). */
static int
smallest_mass_exponent(const sample *s, const sample *other)
{
    int e = s->w != NULL ? smallest_share_exponent(s->w, s->n, s->total.scale)
                         : ilogb(s->total.scale);

    return e == INT_MAX ? e : e + ilogb(other->total.total.hi);
}

/*
 * Lifts the masses of weighted samples so that none is subnormal: a
 * weight far below its side's total (2^-1074 beside 1, say) would
 * otherwise round to a multiple of 2^-1074 in w V and lose its relative
 * accuracy. The shares are lifted by 2^share_lift until the smallest mass
 * reaches 2^-968, where a TwoProduct keeps all its bits, and the totals,
 * rebuilt from the raw sums u_sum and v_sum, by 2^total_lift until their
 * low parts do. Both lifts together stop at 2^1000.
 * NOTE: masses more than 2^1000 below 2^-968 still round.
 */
static void
lift_samples(sample *u, sample *v, singdiv__dd u_sum, singdiv__dd v_sum)
{
    int e_u = smallest_mass_exponent(u, v);
    int e_v = smallest_mass_exponent(v, u);
    int top = max_int(ilogb(u->total.scale), ilogb(v->total.scale));
    int ls = lift_for(min_int(e_u, e_v));
    int lt = max_int(low_part_lift(u_sum.lo, u->total.scale),
                     low_part_lift(v_sum.lo, v->total.scale));

    cap_lifts(top, &ls, &lt);
    if (ls == 0 && lt == 0) {
        return;
    }

    u->total.total.hi = u_sum.hi * ldexp(u->total.scale, lt);
    u->total.total.lo = u_sum.lo * ldexp(u->total.scale, lt);
    v->total.total.hi = v_sum.hi * ldexp(v->total.scale, lt);
    v->total.total.lo = v_sum.lo * ldexp(v->total.scale, lt);
    u->total.scale = ldexp(u->total.scale, ls);
    v->total.scale = ldexp(v->total.scale, ls);
    u->share_lift = v->share_lift = ls;
    u->total_lift = v->total_lift = lt;
}

/* Checks the entries of u, u_weights, v and v_weights and fills the two samples. */
static singdiv_status
check_values(const request *r, singdiv_error *err, sample *u, sample *v)
{
    singdiv__dd u_sum;
    singdiv__dd v_sum;
    singdiv_status status;

    status = check_entries(r->u, r->u_weights, r->nu, "u", "u_weights", err, &u_sum);
    if (status != SINGDIV_OK) {
        return status;
    }
    u->x = r->u;
    u->w = r->u_weights;
    u->n = r->nu;
    u->total = singdiv__scale_for(u_sum);
    u->share_lift = 0;
    u->total_lift = 0;

    status = check_entries(r->v, r->v_weights, r->nv, "v", "v_weights", err, &v_sum);
    if (status != SINGDIV_OK) {
        return status;
    }
    v->x = r->v;
    v->w = r->v_weights;
    v->n = r->nv;
    v->total = singdiv__scale_for(v_sum);
    v->share_lift = 0;
    v->total_lift = 0;

    if (u->w != NULL || v->w != NULL) {
        lift_samples(u, v, u_sum, v_sum);
    }
    return SINGDIV_OK;
}

/*
 * Returns the bytes of scratch space: the radix counters, then the sorted
 * values of both sides and one scratch array as long as the longer side,
 * then the same three arrays for the weights when weighted is set.
 * SIZE_MAX when the size does not fit in a size_t.
 */
static size_t
scratch_bytes(size_t nu, size_t nv, int weighted)
{
    size_t counts_bytes = SINGDIV__RADIX_COUNTS * sizeof(size_t);
    size_t limit = (SIZE_MAX - counts_bytes) / sizeof(double) / 6;
    size_t longer = nu > nv ? nu : nv;

    if (longer > limit) {
        return SIZE_MAX;
    }
    return counts_bytes + (weighted ? 2 : 1) * (nu + nv + longer) * sizeof(double);
}

size_t
singdiv_w1_samples_workspace_size(size_t nu, size_t nv)
{
    return scratch_bytes(nu, nv, 1);
}

static int
workspace_fits(const void *workspace, size_t size, size_t nu, size_t nv)
{
    uintptr_t address = (uintptr_t)workspace;

    return size >= singdiv_w1_samples_workspace_size(nu, nv)
           && address % _Alignof(double) == 0 && address % _Alignof(size_t) == 0;
}

/* Sorts both samples into the workspace and points u and v at the sorted copies. */
static void
sort_into(void *workspace, sample *u, sample *v)
{
    size_t *counts = workspace;
    size_t longer = u->n > v->n ? u->n : v->n;
    double *sorted_u = (double *)(counts + SINGDIV__RADIX_COUNTS);
    double *sorted_v = sorted_u + u->n;
    double *tmp = sorted_v + v->n;
    double *sorted_u_w = tmp + longer;
    double *sorted_v_w = sorted_u_w + u->n;
    double *tmp_w = sorted_v_w + v->n;

    singdiv__radix_sort(u->x, u->w, u->n, sorted_u, sorted_u_w, tmp, tmp_w, counts);
    singdiv__radix_sort(v->x, v->w, v->n, sorted_v, sorted_v_w, tmp, tmp_w, counts);
    u->x = sorted_u;
    u->w = u->w != NULL ? sorted_u_w : NULL;
    v->x = sorted_v;
    v->w = v->w != NULL ? sorted_v_w : NULL;
}

/*
 * Validates, sorts and computes a sample distance. With allocate set the
 * scratch space comes from malloc; otherwise it is the caller's workspace.
 */
static singdiv_status
run(const request *r, void *workspace, size_t workspace_size, int allocate,
    double *out, singdiv_error *err)
{
    sample u;
    sample v;
    singdiv_status status;

    singdiv__clear_error(err);
    if (out == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, "out", SINGDIV_NO_INDEX, (double)NAN);
    }
    *out = (double)NAN;
    if (r->u == NULL || r->v == NULL || (!allocate && workspace == NULL)) {
        const char *name = r->u == NULL ? "u" : r->v == NULL ? "v" : "workspace";

        return singdiv__fail(err, SINGDIV_ERR_NULL, name, SINGDIV_NO_INDEX, (double)NAN);
    }
    status = check_shape(r, err);
    if (status != SINGDIV_OK) {
        return status;
    }
    if (!allocate && !workspace_fits(workspace, workspace_size, r->nu, r->nv)) {
        return singdiv__fail(err, SINGDIV_ERR_WORKSPACE, "workspace", SINGDIV_NO_INDEX,
                             (double)workspace_size);
    }
    status = check_values(r, err, &u, &v);
    if (status != SINGDIV_OK) {
        return status;
    }

    if (allocate) {
        /* Unweighted samples need only the first half of the documented size. */
        workspace = malloc(scratch_bytes(r->nu, r->nv, u.w != NULL || v.w != NULL));
        if (workspace == NULL) {
            return singdiv__fail(err, SINGDIV_ERR_NO_MEMORY, "workspace", SINGDIV_NO_INDEX, (double)NAN);
        }
    }
    sort_into(workspace, &u, &v);
    *out = distance_sorted(r->kind, r->k, &u, &v);
    if (allocate) {
        free(workspace);
    }
    return SINGDIV_OK;
}

singdiv_status
singdiv_w1_samples(const double *u, const double *u_weights, size_t nu,
                   const double *v, const double *v_weights, size_t nv,
                   double *out)
{
    request r = { KIND_W1, 1.0, u, u_weights, nu, v, v_weights, nv };

    return run(&r, NULL, 0, 1, out, NULL);
}

singdiv_status
singdiv_w1_samples_workspace(const double *u, const double *u_weights, size_t nu,
                             const double *v, const double *v_weights, size_t nv,
                             void *workspace, size_t workspace_size,
                             double *out, singdiv_error *err)
{
    request r = { KIND_W1, 1.0, u, u_weights, nu, v, v_weights, nv };

    return run(&r, workspace, workspace_size, 0, out, err);
}

singdiv_status
singdiv_wk_samples(const double *u, const double *u_weights, size_t nu,
                   const double *v, const double *v_weights, size_t nv,
                   double k, double *out)
{
    request r = { KIND_WK, k, u, u_weights, nu, v, v_weights, nv };

    return run(&r, NULL, 0, 1, out, NULL);
}

singdiv_status
singdiv_wk_samples_workspace(const double *u, const double *u_weights, size_t nu,
                             const double *v, const double *v_weights, size_t nv,
                             double k, void *workspace, size_t workspace_size,
                             double *out, singdiv_error *err)
{
    request r = { KIND_WK, k, u, u_weights, nu, v, v_weights, nv };

    return run(&r, workspace, workspace_size, 0, out, err);
}

singdiv_status
singdiv_cdf_distance_samples(const double *u, const double *u_weights, size_t nu,
                             const double *v, const double *v_weights, size_t nv,
                             double k, double *out)
{
    request r = { KIND_CDF, k, u, u_weights, nu, v, v_weights, nv };

    return run(&r, NULL, 0, 1, out, NULL);
}

singdiv_status
singdiv_cdf_distance_samples_workspace(const double *u, const double *u_weights,
                                       size_t nu, const double *v,
                                       const double *v_weights, size_t nv,
                                       double k, void *workspace,
                                       size_t workspace_size, double *out,
                                       singdiv_error *err)
{
    request r = { KIND_CDF, k, u, u_weights, nu, v, v_weights, nv };

    return run(&r, workspace, workspace_size, 0, out, err);
}

singdiv_status
singdiv_w1_samples_sorted(const double *u, const double *u_weights, size_t nu,
                          const double *v, const double *v_weights, size_t nv,
                          double *out, singdiv_error *err)
{
    request r = { KIND_W1, 1.0, u, u_weights, nu, v, v_weights, nv };
    sample su;
    sample sv;
    singdiv_status status;

    singdiv__clear_error(err);
    if (out == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, "out", SINGDIV_NO_INDEX, (double)NAN);
    }
    *out = (double)NAN;
    if (u == NULL || v == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, u == NULL ? "u" : "v", SINGDIV_NO_INDEX, (double)NAN);
    }
    status = check_shape(&r, err);
    if (status == SINGDIV_OK) {
        status = check_values(&r, err, &su, &sv);
    }
    if (status == SINGDIV_OK) {
        status = check_order(u, nu, "u", err);
    }
    if (status == SINGDIV_OK) {
        status = check_order(v, nv, "v", err);
    }
    if (status != SINGDIV_OK) {
        return status;
    }

    *out = w1_sorted(&su, &sv);
    return SINGDIV_OK;
}

/* The scaling of the careful histogram sweep, filled by hist_scaling_for(). */
typedef struct hist_scaling {
    double fp;        /* p_i fp is the lifted share of entry i */
    double fq;
    singdiv__dd p_total; /* the lifted scaled totals */
    singdiv__dd q_total;
    int lift;         /* D is computed times 2^lift */
} hist_scaling;

/*
 * Computes W1 of two validated histograms on rare inputs, one entry at a
 * time: the cumulative difference D_i = sum_{m <= i} (p_m fp Q - q_m fq P)
 * in double-double from exact products, and W1 = sum |D_i| (x_{i+1} - x_i)
 * / (P Q 2^lift). sigma keeps the sum finite for points near DBL_MAX.
 */
FMA_CLONES
static double
w1_hist_careful(const double *x, const double *p, const double *q, size_t n,
                const singdiv__pair *c, const hist_scaling *h)
{
    double sigma = overflow_scale(fmax(fabs(x[0]), fabs(x[n - 1])), ldexp(4.0, h->lift));
    singdiv__dd gap = { 0.0, 0.0 };
    singdiv__sum s = { 0.0, 0.0 };

    for (size_t i = 0; i + 1 < n; i++) {
        double ps = p[i] * h->fp;
        double qs = q[i] * h->fq;
        singdiv__dd a = singdiv__two_prod(ps, h->q_total.hi);
        singdiv__dd b = singdiv__two_prod(qs, h->p_total.hi);
        singdiv__dd step = singdiv__two_sum(a.hi, -b.hi);
        singdiv__dd t;

        /* step.hi is exact; the low parts are below ulp(a) and round once. */
        step.lo += (a.lo - b.lo) + (ps * h->q_total.lo - qs * h->p_total.lo);

        /*
         * Cascaded sum: only gap.hi + step.hi is on the dependency chain, its
         * exact error joins gap.lo, and every 64 points gap.lo is folded back
         * so that it stays below 64 ulp of gap.hi.
         */
        t = singdiv__two_sum(gap.hi, step.hi);
        gap.hi = t.hi;
        gap.lo += t.lo + step.lo;
        if (i % 64 == 63) {
            gap = singdiv__two_sum(gap.hi, gap.lo);
        }
        singdiv__sum_add(&s, fabs(gap.hi + gap.lo) * scaled_distance(x[i + 1], x[i], sigma));
    }
    /* One rounding for 2^-lift / sigma, a power of two. */
    return ldexp(singdiv__sum_value(&s) / c->pq, -h->lift - ilogb(sigma));
}

/* Returns 1 when a low part of a scaled total is nonzero and below 2^-968. */
static int
tiny_low_part(double lo)
{
    return lo != 0.0 && fabs(lo) < 0x1p-968;
}

/*
 * Fills the scaling of the careful sweep. The shares are lifted by 2^ls so
 * that the smallest nonzero share reaches 2^-968, where products keep all
 * their bits. The totals are recomputed from the raw sums, because a
 * scaled low part may have underflowed, and lifted by 2^lt so that their
 * low parts reach 2^-968 too. D then carries 2^(ls + lt), which stops at 2^1000.
 * NOTE: shares or low parts more than 2^1000 below 2^-968 still round in
 * the subnormal range.
 */
static void
hist_scaling_for(const double *p, const double *q, size_t n, const singdiv__pair *c,
                 hist_scaling *h)
{
    singdiv__dd raw_p = c->p.total;
    singdiv__dd raw_q = c->q.total;
    int e_p = smallest_share_exponent(p, n, c->p.scale);
    int e_q = smallest_share_exponent(q, n, c->q.scale);
    int top = max_int(ilogb(c->p.scale), ilogb(c->q.scale));
    int ls = lift_for(min_int(e_p, e_q));
    int lt;

    /* p and q are valid, so these only recompute the raw sums. */
    (void)singdiv__check_nonnegative(p, n, "p", NULL, &raw_p);
    (void)singdiv__check_nonnegative(q, n, "q", NULL, &raw_q);
    lt = max_int(low_part_lift(raw_p.lo, c->p.scale), low_part_lift(raw_q.lo, c->q.scale));
    cap_lifts(top, &ls, &lt);

    h->fp = ldexp(c->p.scale, ls);
    h->fq = ldexp(c->q.scale, ls);
    h->p_total.hi = raw_p.hi * ldexp(c->p.scale, lt);
    h->p_total.lo = raw_p.lo * ldexp(c->p.scale, lt);
    h->q_total.hi = raw_q.hi * ldexp(c->q.scale, lt);
    h->q_total.lo = raw_q.lo * ldexp(c->q.scale, lt);
    h->lift = ls + lt;
}

/* The careful sweep with its scaling. */
static double
w1_hist_rare(const double *x, const double *p, const double *q, size_t n,
             const singdiv__pair *c)
{
    hist_scaling h;

    hist_scaling_for(p, q, n, c, &h);
    return w1_hist_careful(x, p, q, n, c, &h);
}

/*
 * Computes W1 of validated histograms with the copy of the pass chosen by
 * path. The blocked pass handles points below 2^1016 in magnitude and
 * shares that are not tiny. It also checks the widths, so the support is
 * validated separately only when the pass flags a width or cannot run.
 */
static singdiv_status
w1_hist_validated(const double *x, const double *p, const double *q, size_t n,
                  const singdiv__pair *c, singdiv__path path, double *out)
{
    singdiv__w1_hist_input in = { x, p, q, n, c->p.scale, c->q.scale, c->p.total, c->q.total };
    singdiv__w1_hist_sums sums;
    singdiv_status status;

    if (n < 2 || !(fmax(fabs(x[0]), fabs(x[n - 1])) < 0x1p1016)) {
        status = singdiv_check_support(x, n, NULL);
        if (status == SINGDIV_OK) {
            *out = n < 2 ? 0.0 : w1_hist_rare(x, p, q, n, c);
        }
        return status;
    }

    sums = singdiv__w1_hist_pass(&in, path);
    if (sums.bad_support) {
        status = singdiv_check_support(x, n, NULL);
        if (status != SINGDIV_OK) {
            return status;
        }
    }
    if (sums.bad_support || sums.tiny_share || tiny_low_part(c->p.total.lo)
        || tiny_low_part(c->q.total.lo)) {
        *out = w1_hist_rare(x, p, q, n, c);
    } else {
        *out = (sums.sum.hi + sums.sum.lo) / c->pq;
    }
    return SINGDIV_OK;
}

singdiv_status
singdiv__w1_hist_on(const double *x, const double *p, const double *q, size_t n,
                    const singdiv_options *opt, double *out, singdiv__path path)
{
    singdiv__pair c;
    singdiv_status status;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    *out = (double)NAN;
    if (x == NULL) {
        return SINGDIV_ERR_NULL;
    }
    status = singdiv__pair_prepare(p, q, n, opt, NULL, &c);
    if (status != SINGDIV_OK) {
        return status;
    }
    return w1_hist_validated(x, p, q, n, &c, path, out);
}

singdiv_status
singdiv_w1_hist(const double *x, const double *p, const double *q, size_t n,
                const singdiv_options *opt, double *out)
{
    return singdiv__w1_hist_on(x, p, q, n, opt, out, SINGDIV__PATH_AUTO);
}
