/*
 * The median heuristic bandwidth: the median pairwise distance of the
 * pooled sample, by expected linear-time selection.
 */
#include <stdlib.h>

#include "mmd_internal.h"

/* Fixed seed of the pivot choices, so that the work done is reproducible. */
#define SD_SELECT_SEED UINT64_C(0x6d656469616e)

singdiv_status
singdiv_median_bandwidth_workspace_size(size_t n, size_t m, size_t max_points,
                                        size_t *count)
{
    size_t points;
    size_t a;
    size_t b;

    if (count == NULL) {
        return SINGDIV_ERR_NULL;
    }
    if (n > SIZE_MAX - m) {
        return SINGDIV_ERR_SIZE_OVERFLOW;
    }
    if (n + m == 0) {
        return SINGDIV_ERR_EMPTY;
    }
    if (max_points == 1) {
        return SINGDIV_ERR_DOMAIN;
    }
    points = max_points != 0 && n + m > max_points ? max_points : n + m;

    /* P = points (points - 1) / 2, halving whichever factor is even. */
    a = points % 2 == 0 ? points / 2 : points;
    b = points % 2 == 0 ? points - 1 : (points - 1) / 2;
    if (b != 0 && a > (size_t)PTRDIFF_MAX / sizeof(double) / b) {
        return SINGDIV_ERR_SIZE_OVERFLOW;
    }
    *count = a * b;
    return SINGDIV_OK;
}

static void
swap_doubles(double *v, size_t i, size_t j)
{
    double t = v[i];

    v[i] = v[j];
    v[j] = t;
}

/*
 * Rearranges v so that v[kth] is the (kth + 1)-th smallest value, smaller
 * ones before it and larger or equal ones after it, and returns it.
 * Three-way partitioning keeps ties linear.
 */
static double
select_kth(double *v, size_t len, size_t kth, singdiv__rng *rng)
{
    size_t lo = 0;
    size_t hi = len;

    while (hi - lo > 1) {
        double pivot = v[lo + singdiv__rng_below(rng, hi - lo)];
        size_t lt = lo;
        size_t gt = hi;
        size_t i = lo;

        while (i < gt) {
            if (v[i] < pivot) {
                swap_doubles(v, lt++, i++);
            } else if (v[i] > pivot) {
                swap_doubles(v, i, --gt);
            } else {
                i++;
            }
        }
        if (kth < lt) {
            hi = lt;
        } else if (kth >= gt) {
            lo = gt;
        } else {
            return pivot;
        }
    }
    return v[kth];
}

/* Returns the median of sqrt(v[i]); reorders v. */
static double
median_sqrt(double *v, size_t len, singdiv__rng *rng)
{
    size_t kth = (len - 1) / 2;
    double lower = select_kth(v, len, kth, rng);
    double upper;

    if (len % 2 == 1) {
        return sqrt(lower);
    }
    upper = v[kth + 1];
    for (size_t i = kth + 2; i < len; i++) {
        upper = v[i] < upper ? v[i] : upper;
    }
    return (sqrt(lower) + sqrt(upper)) / 2;
}

/* Returns the largest half-range max_k (hi_k - lo_k) / 2 over the pooled points. */
static double
pooled_half_range(const double *x, size_t n, const double *y, size_t m, size_t d)
{
    double reach = 0.0;

    for (size_t k = 0; k < d; k++) {
        double lo = x[k];
        double hi = x[k];

        for (size_t i = 0; i < n + m; i++) {
            double v = i < n ? x[i * d + k] : y[(i - n) * d + k];

            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        reach = hi / 2 - lo / 2 > reach ? hi / 2 - lo / 2 : reach;
    }
    return reach;
}

/* Returns pooled point i: a row of x for i < n, else of y. */
static const double *
pooled_point(const double *x, size_t n, const double *y, size_t d, size_t i)
{
    return i < n ? x + i * d : y + (i - n) * d;
}

/*
 * Squared distance between a and b in units of 2^exponent: the
 * coordinates are scaled before subtracting when exponent > 0, so that
 * neither the difference nor its square overflows, and after otherwise.
 */
static double
scaled_distance2(const double *a, const double *b, size_t d, int exponent)
{
    double s = 0.0;

    for (size_t k = 0; k < d; k++) {
        double t = exponent > 0 ? ldexp(a[k], -exponent) - ldexp(b[k], -exponent)
                                : ldexp(a[k] - b[k], -exponent);

        s += t * t;
    }
    return s;
}

/* Fills dist with the scaled squared distances of the chosen points and takes the median. */
static singdiv_status
median_distance(const double *x, size_t n, const double *y, size_t m, size_t d,
                size_t points, double *dist, double *out, singdiv_error *err)
{
    size_t total = n + m;
    size_t step = total / points;
    size_t rest = total % points;
    size_t len = 0;
    int exponent;
    singdiv__rng rng;
    double median;

    (void)frexp(pooled_half_range(x, n, y, m, d), &exponent);
    for (size_t i = 0; i < points; i++) {
        const double *a = pooled_point(x, n, y, d, i * step + i * rest / points);

        for (size_t j = i + 1; j < points; j++) {
            const double *b = pooled_point(x, n, y, d, j * step + j * rest / points);

            dist[len++] = scaled_distance2(a, b, d, exponent);
        }
    }

    singdiv__rng_seed(&rng, SD_SELECT_SEED);
    median = median_sqrt(dist, len, &rng);
    if (median == 0.0) {
        /* More than half of the pairs coincide: use the pairs that do not. */
        size_t nonzero = 0;

        for (size_t i = 0; i < len; i++) {
            if (dist[i] != 0.0) {
                dist[nonzero++] = dist[i];
            }
        }
        if (nonzero == 0) {
            return singdiv__fail(err, SINGDIV_ERR_DOMAIN, "x", SINGDIV_NO_INDEX, 0.0);
        }
        median = median_sqrt(dist, nonzero, &rng);
    }
    median = ldexp(median, exponent);
    if (!isfinite(median)) {
        return singdiv__fail(err, SINGDIV_ERR_DOMAIN, "x", SINGDIV_NO_INDEX, median);
    }
    *out = median;
    return SINGDIV_OK;
}

/* Validation shared by both entry points; stores the pairs needed in *count. */
static singdiv_status
check_bandwidth_args(const double *x, size_t n, const double *y, size_t m, size_t d,
                     size_t max_points, const double *out, size_t *count,
                     singdiv_error *err)
{
    singdiv_status status;

    if (x == NULL || y == NULL || out == NULL) {
        const char *name = x == NULL ? "x" : y == NULL ? "y" : "out";

        return singdiv__fail(err, SINGDIV_ERR_NULL, name, SINGDIV_NO_INDEX, (double)NAN);
    }
    if (n == 0 || m == 0 || d == 0) {
        const char *name = n == 0 ? "n" : m == 0 ? "m" : "d";

        return singdiv__fail(err, SINGDIV_ERR_EMPTY, name, SINGDIV_NO_INDEX, (double)NAN);
    }
    status = singdiv__check_size(n, d, "x", err);
    if (status == SINGDIV_OK) {
        status = singdiv__check_size(m, d, "y", err);
    }
    if (status == SINGDIV_OK) {
        status = singdiv__check_finite(x, n * d, "x", err);
    }
    if (status == SINGDIV_OK) {
        status = singdiv__check_finite(y, m * d, "y", err);
    }
    if (status != SINGDIV_OK) {
        return status;
    }
    status = singdiv_median_bandwidth_workspace_size(n, m, max_points, count);
    if (status != SINGDIV_OK) {
        const char *name = status == SINGDIV_ERR_DOMAIN ? "max_points" : "n";

        return singdiv__fail(err, status, name, SINGDIV_NO_INDEX, (double)max_points);
    }
    return SINGDIV_OK;
}

singdiv_status
singdiv_median_bandwidth_ex(const double *x, size_t n, const double *y, size_t m,
                            size_t d, size_t max_points, double *work,
                            size_t work_count, double *out, singdiv_error *err)
{
    size_t count;
    size_t points;
    singdiv_status status;

    singdiv__clear_error(err);
    status = check_bandwidth_args(x, n, y, m, d, max_points, out, &count, err);
    if (status != SINGDIV_OK) {
        return status;
    }
    if (work == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, "work", SINGDIV_NO_INDEX, (double)NAN);
    }
    if (work_count < count) {
        return singdiv__fail(err, SINGDIV_ERR_WORKSPACE, "work_count", SINGDIV_NO_INDEX,
                             (double)work_count);
    }

    points = max_points != 0 && n + m > max_points ? max_points : n + m;
    return median_distance(x, n, y, m, d, points, work, out, err);
}

singdiv_status
singdiv_median_bandwidth(const double *x, size_t n, const double *y, size_t m,
                         size_t d, double *out)
{
    size_t count;
    double *work;
    singdiv_status status;

    status = check_bandwidth_args(x, n, y, m, d, 0, out, &count, NULL);
    if (status != SINGDIV_OK) {
        return status;
    }
    work = malloc(count * sizeof(double));
    if (work == NULL) {
        return SINGDIV_ERR_NO_MEMORY;
    }
    status = median_distance(x, n, y, m, d, n + m, work, out, NULL);
    free(work);
    return status;
}
