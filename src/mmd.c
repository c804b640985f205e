/*
 * MMD^2 between two samples and between two discrete distributions on
 * common support points.
 */
#include <stdlib.h>
#include <string.h>

#include "mmd_internal.h"

singdiv_status
singdiv_mmd2_workspace_size(size_t d, size_t *count)
{
    size_t tile;

    if (count == NULL) {
        return SINGDIV_ERR_NULL;
    }
    if (d == 0) {
        return SINGDIV_ERR_EMPTY;
    }
    if (singdiv__mmd_tile_doubles(d, &tile) != SINGDIV_OK ||
        tile > ((size_t)PTRDIFF_MAX / sizeof(double) - d) / 2) {
        return SINGDIV_ERR_SIZE_OVERFLOW;
    }
    *count = d + 2 * tile;
    return SINGDIV_OK;
}

/*
 * Points *work at a workspace of at least `need` doubles: the caller's, or
 * a new allocation stored in *owned (freed by the caller).
 */
static singdiv_status
acquire_workspace(double **work, size_t work_count, size_t need, double **owned,
                  singdiv_error *err)
{
    *owned = NULL;
    if (*work == NULL && work_count == 0) {
        *owned = malloc(need * sizeof(double));
        if (*owned == NULL) {
            return singdiv__fail(err, SINGDIV_ERR_NO_MEMORY, "work", SINGDIV_NO_INDEX,
                                 (double)need);
        }
        *work = *owned;
        return SINGDIV_OK;
    }
    if (*work == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, "work", SINGDIV_NO_INDEX, (double)NAN);
    }
    if (work_count < need) {
        return singdiv__fail(err, SINGDIV_ERR_WORKSPACE, "work_count", SINGDIV_NO_INDEX,
                             (double)work_count);
    }
    return SINGDIV_OK;
}

/* Computes the sums over ordered pairs and combines them; work is validated. */
static singdiv_status
mmd2_compute(const double *x, size_t n, const double *y, size_t m, size_t d,
             const singdiv_kernel *kernel, singdiv_mmd_estimator estimator,
             size_t threads, double *work, double *out, singdiv_error *err)
{
    singdiv__mmd_plan plan;
    singdiv__mmd_tile ta;
    singdiv__mmd_tile tb;
    singdiv__mmd_points px;
    singdiv__mmd_points py;
    double sums[3];
    size_t tile_doubles;
    singdiv_status status;

    status = singdiv__mmd_plan_init(&plan, kernel, x, n, y, m, d, work, err);
    if (status != SINGDIV_OK) {
        return status;
    }
    (void)singdiv__mmd_tile_doubles(d, &tile_doubles);
    singdiv__mmd_tile_init(&ta, work + d, d);
    singdiv__mmd_tile_init(&tb, work + d + tile_doubles, d);
    singdiv__mmd_points_init(&px, x, n);
    singdiv__mmd_points_init(&py, y, m);

    /* Each unordered pair is computed once; ordered pairs i != j count it twice. */
    singdiv__mmd_sample_sums(&plan, &px, &py, threads, &ta, &tb, sums);
    *out = singdiv__mmd_estimate(2.0 * sums[0], 2.0 * sums[1], sums[2], n, m, estimator);
    return SINGDIV_OK;
}

/* singdiv_mmd2_ex() with a thread count (see singdiv_mmd2_parallel()). */
static singdiv_status
mmd2_run(const double *x, size_t n, const double *y, size_t m, size_t d,
         const singdiv_kernel *kernel, singdiv_mmd_estimator estimator, size_t threads,
         double *work, size_t work_count, double *out, singdiv_error *err)
{
    size_t need;
    double *owned;
    singdiv_status status;

    singdiv__clear_error(err);
    if (out == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, "out", SINGDIV_NO_INDEX, (double)NAN);
    }
    status = singdiv__mmd_check_samples(x, n, y, m, d, kernel, estimator, err);
    if (status != SINGDIV_OK) {
        return status;
    }
    if (singdiv_mmd2_workspace_size(d, &need) != SINGDIV_OK) {
        return singdiv__fail(err, SINGDIV_ERR_SIZE_OVERFLOW, "d", SINGDIV_NO_INDEX,
                             (double)d);
    }

    /* A caller's workspace is checked even when the shortcut below needs none. */
    if (work != NULL || work_count != 0) {
        status = acquire_workspace(&work, work_count, need, &owned, err);
        if (status != SINGDIV_OK) {
            return status;
        }
    }

    /* The V-statistic of a sample against itself is exactly 0. */
    if (estimator == SINGDIV_MMD_BIASED && n == m && memcmp(x, y, n * d * sizeof(double)) == 0) {
        *out = 0.0;
        return SINGDIV_OK;
    }

    status = acquire_workspace(&work, work_count, need, &owned, err);
    if (status == SINGDIV_OK) {
        status = mmd2_compute(x, n, y, m, d, kernel, estimator, threads, work, out, err);
    }
    free(owned);
    return status;
}

singdiv_status
singdiv_mmd2_ex(const double *x, size_t n, const double *y, size_t m, size_t d,
                const singdiv_kernel *kernel, singdiv_mmd_estimator estimator,
                double *work, size_t work_count, double *out, singdiv_error *err)
{
    return mmd2_run(x, n, y, m, d, kernel, estimator, 1, work, work_count, out, err);
}

singdiv_status
singdiv_mmd2_parallel(const double *x, size_t n, const double *y, size_t m, size_t d,
                      const singdiv_kernel *kernel, singdiv_mmd_estimator estimator,
                      size_t threads, double *out, singdiv_error *err)
{
    return mmd2_run(x, n, y, m, d, kernel, estimator, threads, NULL, 0, out, err);
}

singdiv_status
singdiv_mmd2(const double *x, size_t n, const double *y, size_t m, size_t d,
             const singdiv_kernel *kernel, singdiv_mmd_estimator estimator,
             double *out)
{
    return singdiv_mmd2_ex(x, n, y, m, d, kernel, estimator, NULL, 0, out, NULL);
}

/* Validates the arguments of singdiv_mmd2_weighted() and stores the exact sums. */
static singdiv_status
check_weighted(const double *p, const double *q, const double *z, size_t k, size_t d,
               const singdiv_kernel *kernel, const singdiv_options *opt,
               singdiv__dd *sum_p, singdiv__dd *sum_q, singdiv_error *err)
{
    singdiv_options resolved;
    singdiv_status status;

    if (p == NULL || q == NULL || z == NULL || kernel == NULL) {
        const char *name = p == NULL ? "p" : q == NULL ? "q" : z == NULL ? "z" : "kernel";

        return singdiv__fail(err, SINGDIV_ERR_NULL, name, SINGDIV_NO_INDEX, (double)NAN);
    }
    if (k == 0 || d == 0) {
        return singdiv__fail(err, SINGDIV_ERR_EMPTY, k == 0 ? "k" : "d", SINGDIV_NO_INDEX,
                             (double)NAN);
    }
    status = singdiv__check_size(k, d, "z", err);
    if (status == SINGDIV_OK) {
        status = singdiv__resolve_options(opt, &resolved, err);
    }
    if (status == SINGDIV_OK) {
        status = singdiv__check_distribution(p, k, &resolved, "p", err, sum_p);
    }
    if (status == SINGDIV_OK) {
        status = singdiv__check_distribution(q, k, &resolved, "q", err, sum_q);
    }
    if (status == SINGDIV_OK) {
        status = singdiv__check_finite(z, k * d, "z", err);
    }
    if (status == SINGDIV_OK) {
        status = singdiv__mmd_check_kernel(kernel, err);
    }
    return status;
}

/* Computes sum_i w_i^2 + 2 sum_{i<j} w_i w_j K_ij; work is validated. */
static singdiv_status
weighted_compute(singdiv__mmd_points *pts, size_t d, const singdiv_kernel *kernel,
                 double *work, double *out, singdiv_error *err)
{
    singdiv__mmd_plan plan;
    singdiv__mmd_tile ta;
    singdiv__mmd_tile tb;
    singdiv__sum total = { 0.0, 0.0 };
    singdiv__sum pairs;
    size_t tile_doubles;
    singdiv_status status;
    double value;

    status = singdiv__mmd_plan_init(&plan, kernel, pts->x, pts->n, NULL, 0, d, work, err);
    if (status != SINGDIV_OK) {
        return status;
    }
    (void)singdiv__mmd_tile_doubles(d, &tile_doubles);
    singdiv__mmd_tile_init(&ta, work + d, d);
    singdiv__mmd_tile_init(&tb, work + d + tile_doubles, d);

    /* The diagonal: k(z, z) = 1. Each packed tile holds the signed weights. */
    for (size_t i0 = 0; i0 < pts->n; i0 += plan.tile) {
        size_t ni = pts->n - i0 < plan.tile ? pts->n - i0 : plan.tile;

        singdiv__mmd_pack(&plan, pts, i0, ni, &ta);
        for (size_t i = 0; i < ni; i++) {
            singdiv__sum_add(&total, ta.weights[i] * ta.weights[i]);
        }
    }
    pairs = singdiv__mmd_self_sum(&plan, pts, &ta, &tb);
    singdiv__sum_add(&total, 2.0 * pairs.sum);
    singdiv__sum_add(&total, 2.0 * pairs.comp);

    /* The kernels are positive definite, so a negative value is rounding. */
    value = singdiv__sum_value(&total);
    *out = value > 0.0 ? value : 0.0;
    return SINGDIV_OK;
}

singdiv_status
singdiv_mmd2_weighted(const double *p, const double *q, const double *z,
                      size_t k, size_t d, const singdiv_kernel *kernel,
                      const singdiv_options *opt, double *out, singdiv_error *err)
{
    singdiv__dd sum_p;
    singdiv__dd sum_q;
    singdiv__scaled sp;
    singdiv__scaled sq;
    singdiv__mmd_points pts;
    double *work = NULL;
    double *owned;
    size_t need;
    singdiv_status status;

    singdiv__clear_error(err);
    if (out == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, "out", SINGDIV_NO_INDEX, (double)NAN);
    }
    status = check_weighted(p, q, z, k, d, kernel, opt, &sum_p, &sum_q, err);
    if (status != SINGDIV_OK) {
        return status;
    }
    if (singdiv_mmd2_workspace_size(d, &need) != SINGDIV_OK) {
        return singdiv__fail(err, SINGDIV_ERR_SIZE_OVERFLOW, "d", SINGDIV_NO_INDEX,
                             (double)d);
    }

    sp = singdiv__scale_for(sum_p);
    sq = singdiv__scale_for(sum_q);
    singdiv__mmd_points_init(&pts, z, k);
    pts.weight = p;
    pts.wq = q;
    pts.scale_p = sp.scale;
    pts.scale_q = sq.scale;
    pts.wscale_p = sp.total;
    pts.wscale_q = sq.total;

    status = acquire_workspace(&work, 0, need, &owned, err);
    if (status == SINGDIV_OK) {
        status = weighted_compute(&pts, d, kernel, work, out, err);
    }
    free(owned);
    return status;
}
