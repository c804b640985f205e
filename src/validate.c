/*
 * Input validation and options shared by every module.
 */
#include <float.h>
#include <stdint.h>

#include "internal.h"

singdiv_status
singdiv__fail(singdiv_error *err, singdiv_status status, const char *argument,
              size_t index, double value)
{
    if (err != NULL) {
        err->status = status;
        err->argument = argument;
        err->index = index;
        err->value = value;
    }
    return status;
}

void
singdiv__clear_error(singdiv_error *err)
{
    if (err != NULL) {
        err->status = SINGDIV_OK;
        err->argument = NULL;
        err->index = SINGDIV_NO_INDEX;
        err->value = (double)NAN;
    }
}

void
singdiv_options_init(singdiv_options *opt)
{
    if (opt == NULL) {
        return;
    }
    opt->normalize = 0;
    opt->base = 0.0;
    opt->sum_tolerance = SINGDIV_DEFAULT_SUM_TOLERANCE;
}

singdiv_status
singdiv__resolve_options(const singdiv_options *opt, singdiv_options *resolved,
                         singdiv_error *err)
{
    if (opt == NULL) {
        singdiv_options_init(resolved);
        return SINGDIV_OK;
    }
    *resolved = *opt;

    /*
     * base 0 means e. A base in (0, 1) would flip the sign of every result
     * (a KL of -inf), so only bases above 1 are units of information.
     */
    if (opt->base != 0.0 && !(isfinite(opt->base) && opt->base > 1.0)) {
        return singdiv__fail(err, SINGDIV_ERR_DOMAIN, "opt->base", SINGDIV_NO_INDEX, opt->base);
    }
    if (!(isfinite(opt->sum_tolerance) && opt->sum_tolerance >= 0.0)) {
        return singdiv__fail(err, SINGDIV_ERR_DOMAIN, "opt->sum_tolerance", SINGDIV_NO_INDEX,
                             opt->sum_tolerance);
    }
    return SINGDIV_OK;
}

double
singdiv__in_base(double nats, const singdiv_options *resolved)
{
    if (resolved->base == 0.0) {
        return nats;
    }
    return nats / log(resolved->base);
}

singdiv_status
singdiv__check_size(size_t n, size_t elem_count, const char *argument,
                    singdiv_error *err)
{
    size_t max_doubles = (size_t)PTRDIFF_MAX / sizeof(double);

    if (elem_count != 0 && n > max_doubles / elem_count) {
        return singdiv__fail(err, SINGDIV_ERR_SIZE_OVERFLOW, argument, SINGDIV_NO_INDEX,
                             (double)n);
    }
    return SINGDIV_OK;
}

/* Classifies one non-finite value as SINGDIV_ERR_NAN or SINGDIV_ERR_INFINITE. */
static singdiv_status
reject_nonfinite(double x, size_t i, const char *argument, singdiv_error *err)
{
    singdiv_status status = isnan(x) ? SINGDIV_ERR_NAN : SINGDIV_ERR_INFINITE;

    return singdiv__fail(err, status, argument, i, x);
}

singdiv_status
singdiv__check_finite(const double *x, size_t n, const char *argument,
                      singdiv_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i])) {
            return reject_nonfinite(x[i], i, argument, err);
        }
    }
    return SINGDIV_OK;
}

/* Returns 1 for the sum of a scan that singdiv__check_nonnegative() accepts. */
static int
is_valid_sum(singdiv__dd sum)
{
    return sum.hi > 0.0 && sum.hi <= DBL_MAX;
}

/* Checks a valid sum against resolved->sum_tolerance unless resolved->normalize is set. */
static singdiv_status
check_total(singdiv__dd sum, const singdiv_options *resolved, const char *argument,
            singdiv_error *err)
{
    singdiv__dd off;

    if (!resolved->normalize) {
        /* sum - 1 is exact in double-double, so the tolerance is applied exactly. */
        off = singdiv__two_sum(sum.hi, -1.0);
        off.hi += off.lo + sum.lo;
        if (fabs(off.hi) > resolved->sum_tolerance) {
            return singdiv__fail(err, SINGDIV_ERR_NOT_NORMALIZED, argument, SINGDIV_NO_INDEX,
                                 sum.hi + sum.lo);
        }
    }
    return SINGDIV_OK;
}

singdiv_status
singdiv__check_nonnegative(const double *x, size_t n, const char *argument,
                           singdiv_error *err, singdiv__dd *sum)
{
    singdiv__dd s = { 0.0, 0.0 };

    /* The fast scan accepts only valid input; every rejection comes from the loop below. */
    if (singdiv__scan_nonnegative(x, n, &s) && is_valid_sum(s)) {
        *sum = s;
        return SINGDIV_OK;
    }
    s.hi = 0.0;
    s.lo = 0.0;
    for (size_t i = 0; i < n; i++) {
        double v = x[i];

        if (!isfinite(v)) {
            return reject_nonfinite(v, i, argument, err);
        }
        if (v < 0.0) {
            return singdiv__fail(err, SINGDIV_ERR_NEGATIVE, argument, i, v);
        }
        singdiv__dd_add(&s, v);
    }

    if (s.hi == 0.0) {
        return singdiv__fail(err, SINGDIV_ERR_ZERO_MASS, argument, SINGDIV_NO_INDEX, 0.0);
    }
    if (!isfinite(s.hi)) {
        /* NOTE: entries whose sum exceeds DBL_MAX are rejected, not rescaled. */
        return singdiv__fail(err, SINGDIV_ERR_INFINITE, argument, SINGDIV_NO_INDEX, s.hi);
    }
    *sum = s;
    return SINGDIV_OK;
}

singdiv_status
singdiv__check_distribution(const double *x, size_t n,
                            const singdiv_options *resolved,
                            const char *argument, singdiv_error *err,
                            singdiv__dd *sum)
{
    singdiv_status status;

    if (x == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, argument, SINGDIV_NO_INDEX, (double)NAN);
    }
    if (n == 0) {
        return singdiv__fail(err, SINGDIV_ERR_EMPTY, argument, SINGDIV_NO_INDEX, (double)NAN);
    }
    status = singdiv__check_size(n, 1, argument, err);
    if (status != SINGDIV_OK) {
        return status;
    }
    status = singdiv__check_nonnegative(x, n, argument, err, sum);
    if (status != SINGDIV_OK) {
        return status;
    }

    return check_total(*sum, resolved, argument, err);
}

singdiv_status
singdiv__check_distribution_pair(const double *p, const double *q, size_t n,
                                 const singdiv_options *resolved, singdiv_error *err,
                                 singdiv__dd *sum_p, singdiv__dd *sum_q)
{
    singdiv_status status;

    if (n > 0 && singdiv__check_size(n, 1, "p", NULL) == SINGDIV_OK &&
        singdiv__scan_pair(p, q, n, sum_p, sum_q) && is_valid_sum(*sum_p) &&
        is_valid_sum(*sum_q)) {
        status = check_total(*sum_p, resolved, "p", err);
        return status != SINGDIV_OK ? status : check_total(*sum_q, resolved, "q", err);
    }
    status = singdiv__check_distribution(p, n, resolved, "p", err, sum_p);
    if (status != SINGDIV_OK) {
        return status;
    }
    return singdiv__check_distribution(q, n, resolved, "q", err, sum_q);
}

singdiv__scaled
singdiv__scale_for(singdiv__dd sum)
{
    singdiv__scaled s;
    int exponent;

    /*
     * frexp gives hi = m * 2^exponent with m in [0.5, 1); scale to [1, 2).
     * A subnormal sum needs a factor above DBL_MAX, so it is scaled by
     * 2^1023 only, which still lifts it to at least 2^-51.
     */
    (void)frexp(sum.hi, &exponent);
    s.scale = ldexp(1.0, exponent < -1022 ? 1023 : 1 - exponent);
    s.total.hi = sum.hi * s.scale;
    s.total.lo = sum.lo * s.scale;
    return s;
}

singdiv_status
singdiv_check_distribution(const double *p, size_t n,
                           const singdiv_options *opt, singdiv_error *err)
{
    singdiv_options resolved;
    singdiv__dd sum;
    singdiv_status status;

    singdiv__clear_error(err);
    if (p == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, "p", SINGDIV_NO_INDEX, (double)NAN);
    }
    status = singdiv__resolve_options(opt, &resolved, err);
    if (status != SINGDIV_OK) {
        return status;
    }
    return singdiv__check_distribution(p, n, &resolved, "p", err, &sum);
}
