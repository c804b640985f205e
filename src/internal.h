/*
 * libsingdiv internals shared between source files: error-free
 * transformations, compensated sums, input validation and the deviance
 * kernel. Nothing here is installed.
 */
#ifndef SINGDIV_INTERNAL_H
#define SINGDIV_INTERNAL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include <singdiv/singdiv.h>

/* An unevaluated sum hi + lo with |lo| <= ulp(hi) / 2 (double-double). */
typedef struct singdiv__dd {
    double hi;
    double lo;
} singdiv__dd;

/* Returns a + b as an exact double-double (Knuth's TwoSum, 6 flops). */
static inline singdiv__dd
singdiv__two_sum(double a, double b)
{
    singdiv__dd r;
    double bb;

    r.hi = a + b;
    bb = r.hi - a;
    r.lo = (a - (r.hi - bb)) + (b - bb);
    return r;
}

/* Returns a * b as an exact double-double, barring underflow (TwoProduct with fma). */
static inline singdiv__dd
singdiv__two_prod(double a, double b)
{
    singdiv__dd r;

    r.hi = a * b;
    r.lo = fma(a, b, -r.hi);
    return r;
}

/* Adds x to the double-double *s; the running error stays below 2 ulp of the sum. */
static inline void
singdiv__dd_add(singdiv__dd *s, double x)
{
    singdiv__dd t = singdiv__two_sum(s->hi, x);

    t.lo += s->lo;
    s->hi = t.hi + t.lo;
    s->lo = t.lo - (s->hi - t.hi);
}

/*
 * Neumaier's compensated sum: the error of the result is about one
 * rounding of the total plus n * eps^2 times the sum of |terms|.
 */
typedef struct singdiv__sum {
    double sum;
    double comp;
} singdiv__sum;

static inline void
singdiv__sum_add(singdiv__sum *s, double x)
{
    double t = s->sum + x;

    if (fabs(s->sum) >= fabs(x)) {
        s->comp += (s->sum - t) + x;
    } else {
        s->comp += (x - t) + s->sum;
    }
    s->sum = t;
}

static inline double
singdiv__sum_value(const singdiv__sum *s)
{
    return s->sum + s->comp;
}

/*
 * Fills *err (if not NULL) and returns status. value is the rejected value
 * or NaN; index is SINGDIV_NO_INDEX when no single entry is at fault.
 */
singdiv_status
singdiv__fail(singdiv_error *err, singdiv_status status, const char *argument,
              size_t index, double value);

/* Marks *err (if not NULL) as success. */
void
singdiv__clear_error(singdiv_error *err);

/*
 * Copies *opt, or the defaults when opt is NULL, into *resolved after
 * checking base and sum_tolerance (SINGDIV_ERR_DOMAIN).
 */
singdiv_status
singdiv__resolve_options(const singdiv_options *opt, singdiv_options *resolved,
                         singdiv_error *err);

/* Converts a value in nats to the resolved base: nats / log(base), one rounding. */
double
singdiv__in_base(double nats, const singdiv_options *resolved);

/*
 * Checks that n * elem_size bytes of doubles can exist: returns
 * SINGDIV_ERR_SIZE_OVERFLOW, naming argument, when n * elem_count
 * * sizeof(double) exceeds PTRDIFF_MAX.
 */
singdiv_status
singdiv__check_size(size_t n, size_t elem_count, const char *argument,
                    singdiv_error *err);

/*
 * Checks that the n entries of x are finite (SINGDIV_ERR_NAN,
 * SINGDIV_ERR_INFINITE, naming the first offender). For sample values.
 */
singdiv_status
singdiv__check_finite(const double *x, size_t n, const char *argument,
                      singdiv_error *err);

/*
 * A mean of non-negative terms: a compensated sum, a second one scaled by
 * 2^-64 for when the first overflows, and whether a term is +inf. With
 * 2^-64, count * DBL_MAX stays finite for any count that fits in memory.
 * The scaled sum is read only when the plain one overflows, so the bits
 * that the scaling drops from tiny terms do not matter.
 */
typedef struct singdiv__mean_sum {
    singdiv__sum plain;
    singdiv__sum scaled;
    int infinite;
} singdiv__mean_sum;

/* Adds a term >= 0 (+inf included) to the mean. */
void
singdiv__mean_add(singdiv__mean_sum *m, double term);

/*
 * Returns the sum of the terms divided by count: +inf after a +inf term,
 * otherwise finite even when the plain sum overflows.
 */
double
singdiv__mean_value(const singdiv__mean_sum *m, double count);

/*
 * Sums the n entries of x into *sum when every entry is finite and >= 0,
 * and returns 1; returns 0 (with *sum unspecified) when it meets any other
 * entry. Eight interleaved Neumaier sums, folded into a double-double: the
 * error is about n eps^2 times the sum, the entries being non-negative.
 * The AVX2 copy gives the same bits. The fast path of the validators,
 * which leave every rejection to the entry-by-entry check.
 */
int
singdiv__scan_nonnegative(const double *x, size_t n, singdiv__dd *sum);

/*
 * Runs singdiv__scan_nonnegative() on p and on q, reading both in one
 * loop. Returns 1 when both are clean.
 */
int
singdiv__scan_pair(const double *p, const double *q, size_t n, singdiv__dd *sum_p,
                   singdiv__dd *sum_q);

/*
 * Checks that the n entries of x are finite and >= 0 and not all zero
 * (SINGDIV_ERR_NAN, SINGDIV_ERR_INFINITE, SINGDIV_ERR_NEGATIVE with the
 * first offender, then SINGDIV_ERR_ZERO_MASS), and stores their sum in
 * *sum as a double-double. A sum that overflows is SINGDIV_ERR_INFINITE
 * with SINGDIV_NO_INDEX. For weights, counts and probabilities; x may not
 * be NULL and n must be >= 1.
 */
singdiv_status
singdiv__check_nonnegative(const double *x, size_t n, const char *argument,
                           singdiv_error *err, singdiv__dd *sum);

/*
 * Validates a probability vector (or counts, when resolved->normalize is
 * set): NULL, n == 0 and the size first, then the entries as
 * singdiv__check_nonnegative() does, then the sum against
 * resolved->sum_tolerance (SINGDIV_ERR_NOT_NORMALIZED, value = the sum).
 * Stores the exact sum in *sum.
 */
singdiv_status
singdiv__check_distribution(const double *x, size_t n,
                            const singdiv_options *resolved,
                            const char *argument, singdiv_error *err,
                            singdiv__dd *sum);

/*
 * Runs singdiv__check_distribution() on p (argument "p"), then on q
 * ("q"), with the same statuses and error reports. Valid inputs are read
 * in one loop. p and q must not be NULL.
 */
singdiv_status
singdiv__check_distribution_pair(const double *p, const double *q, size_t n,
                                 const singdiv_options *resolved, singdiv_error *err,
                                 singdiv__dd *sum_p, singdiv__dd *sum_q);

/*
 * A distribution scaled by a power of two so that its sum lies in [1, 2):
 * entry i is x[i] * scale exactly (barring underflow of entries below
 * 2^-1022 times the sum), and total is the scaled exact sum.
 */
typedef struct singdiv__scaled {
    double scale;
    singdiv__dd total;
} singdiv__scaled;

/* Returns the power-of-two scaling of a distribution with exact sum `sum`. */
singdiv__scaled
singdiv__scale_for(singdiv__dd sum);

/*
 * Returns A log(A / B) - D, where D = A - B is supplied already computed
 * without cancellation. A >= 0, B >= 0, not both 0. This is the
 * non-negative KL term written (A + B) h(v) with v = D / (A + B) and
 * h(v) = (1 + v) atanh(v) - v; for |v| <= 1/2 h comes from its series,
 * which keeps full relative accuracy as A and B approach each other.
 * Returns A - D = B when A == 0 and +inf when B == 0 < A.
 */
double
singdiv__deviance(double a, double b, double d);

/* Returns h(v) = (1 + v) atanh(v) - v for |v| <= 1/2, from its series. */
double
singdiv__deviance_series(double v);

/*
 * Two validated distributions, each scaled by a power of two so that its
 * exact sum lies in [1, 2). For entry i, a = p_i Q and b = q_i P (scaled)
 * satisfy p_i / P - q_i / Q = (a - b) / (P Q), and a - b is formed from
 * exact products, so near-identical distributions lose no digits.
 */
typedef struct singdiv__pair {
    singdiv_options options;
    singdiv__scaled p;
    singdiv__scaled q;
    double pq; /* the product of the two scaled sums, to one rounding */
} singdiv__pair;

/* a = p_i Q, b = q_i P and their difference, in the scaled units of struct pair. */
typedef struct singdiv__cross_terms {
    double a;
    double b;
    double diff;
} singdiv__cross_terms;

static inline singdiv__cross_terms
singdiv__cross_terms_of(const singdiv__pair *c, double pi, double qi)
{
    singdiv__cross_terms t;
    double ps = pi * c->p.scale;
    double qs = qi * c->q.scale;
    singdiv__dd a = singdiv__two_prod(ps, c->q.total.hi);
    singdiv__dd b = singdiv__two_prod(qs, c->p.total.hi);

    t.a = a.hi;
    t.b = b.hi;
    /* a.hi - b.hi is exact when the two are within a factor 2 (Sterbenz). */
    t.diff = (a.hi - b.hi) + ((a.lo - b.lo) + (ps * c->q.total.lo - qs * c->p.total.lo));
    return t;
}

/*
 * Validates options, p and q (in that order, filling *err) and prepares
 * their scaling: the exact sums P and Q scaled by powers of two into [1, 2).
 */
singdiv_status
singdiv__pair_prepare(const double *p, const double *q, size_t n,
                      const singdiv_options *opt, singdiv_error *err,
                      singdiv__pair *c);

/*
 * Returns log(x / total) for 0 < x <= total, accurate where the quotient is
 * close to 1: there x - total is exact and log1p keeps its digits.
 */
static inline double
singdiv__log_share(double x, singdiv__dd total, double inverse_total)
{
    if (x >= 0.5 * total.hi) {
        return log1p(((x - total.hi) - total.lo) / total.hi);
    }
    return log(x * inverse_total);
}

/*
 * Returns log(x / total) for an entry x of a distribution scaled by *s
 * (x = raw * s->scale), also where raw * s->scale underflows below DBL_MIN
 * and loses digits or becomes 0: there the logarithms of raw and of the
 * power of two are added instead, to an absolute error of about
 * 2^-52 |log raw|. raw > 0.
 */
static inline double
singdiv__log_share_of(double raw, const singdiv__scaled *s, double inverse_total)
{
    /* log 2 split so that k * hi is exact for |k| < 2^20. */
    const double ln2_hi = 0x1.62e42feep-1;
    const double ln2_lo = 0x1.a39ef35793c76p-33;
    double x = raw * s->scale;
    int k;
    double mantissa;

    if (x >= 0x1p-1022) {
        return singdiv__log_share(x, s->total, inverse_total);
    }
    mantissa = frexp(raw, &k);
    k += ilogb(s->scale);
    return (k * ln2_hi + (log(mantissa) + k * ln2_lo))
           - (log(s->total.hi) + s->total.lo / s->total.hi);
}

#endif /* SINGDIV_INTERNAL_H */
