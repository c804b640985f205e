/*
 * The plan of an MMD computation (centre, scale, distance form) and the
 * kernel sums over whole point sets, tile pair by tile pair.
 */
#include <float.h>

#include "mmd_internal.h"

/* Largest |u|^2 (in squared bandwidths) for which |u|^2 + |v|^2 - 2 u.v is used. */
#define SD_NORM_FORM_MAX 1024.0
/* Dimensions up to which the difference form is used whatever the spread. */
#define SD_DIFFERENCE_FORM_MAX_D 4
/*
 * Magnitude of the most negative exponent argument that keeps exp() above
 * DBL_MIN = exp(-708.39...), with a margin for rounding.
 */
#define SD_NORMAL_EXP_MIN 700.0

/* Updates lo and hi with coordinate column col[0], col[d], ... of na rows. */
static void
update_range(const double *col, size_t na, size_t d, double *lo, double *hi)
{
    for (size_t i = 0; i < na; i++) {
        double v = col[i * d];

        *lo = v < *lo ? v : *lo;
        *hi = v > *hi ? v : *hi;
    }
}

/*
 * Whether every exponent argument is above SD_NORMAL_EXP_MIN. Distances
 * are at most 2 sqrt(half_diagonal) bandwidths (every centred point lies
 * within sqrt(half_diagonal)), so the Gaussian argument -r^2/2 is at least
 * -2 half_diagonal and the Laplacian one -r at least -2 sqrt(half_diagonal);
 * the margin covers the rounding of the distances.
 */
static int
normal_exponent(singdiv_kernel_type type, double half_diagonal)
{
    if (type == SINGDIV_KERNEL_GAUSSIAN) {
        return 2.0 * half_diagonal <= SD_NORMAL_EXP_MIN;
    }
    if (type == SINGDIV_KERNEL_LAPLACIAN) {
        return 4.0 * half_diagonal <= SD_NORMAL_EXP_MIN * SD_NORMAL_EXP_MIN;
    }
    return 0;
}

singdiv_status
singdiv__mmd_plan_init(singdiv__mmd_plan *plan, const singdiv_kernel *kernel,
                       const double *a, size_t na, const double *b, size_t nb,
                       size_t d, double *center, singdiv_error *err)
{
    double half_diagonal = 0.0;
    double h = kernel->bandwidth;

    for (size_t k = 0; k < d; k++) {
        double lo = HUGE_VAL;
        double hi = -HUGE_VAL;

        update_range(a + k, na, d, &lo, &hi);
        if (nb > 0) {
            update_range(b + k, nb, d, &lo, &hi);
        }
        /* lo/2 + hi/2 cannot overflow, and |x - center| <= hi/2 - lo/2. */
        center[k] = lo / 2 + hi / 2;
        double reach = (hi / 2 - lo / 2) / h;

        if (!isfinite(reach)) {
            return singdiv__fail(err, SINGDIV_ERR_DOMAIN, "kernel->bandwidth",
                                 SINGDIV_NO_INDEX, h);
        }
        half_diagonal += reach * reach;
    }

    plan->d = d;
    plan->tile = singdiv__mmd_tile_points(d);
    plan->type = kernel->type;
    plan->bandwidth = h;
    plan->center = center;
    plan->norm_form = kernel->type != SINGDIV_KERNEL_LAPLACIAN &&
                      d > SD_DIFFERENCE_FORM_MAX_D && half_diagonal <= SD_NORM_FORM_MAX;
    plan->normal_exp = normal_exponent(kernel->type, half_diagonal);
    plan->portable = 0;
    return SINGDIV_OK;
}

double
singdiv__mmd_self_row(const singdiv__mmd_plan *plan, const singdiv__mmd_points *pts,
                      size_t i0, singdiv__mmd_tile *ta, singdiv__mmd_tile *tb)
{
    singdiv__sum total = { 0.0, 0.0 };
    size_t t = plan->tile;
    size_t ni = pts->n - i0 < t ? pts->n - i0 : t;

    singdiv__mmd_pack(plan, pts, i0, ni, ta);
    singdiv__sum_add(&total, singdiv__mmd_tile_sum(plan, ta, ta, 1));
    for (size_t j0 = i0 + t; j0 < pts->n; j0 += t) {
        size_t nj = pts->n - j0 < t ? pts->n - j0 : t;

        singdiv__mmd_pack(plan, pts, j0, nj, tb);
        singdiv__sum_add(&total, singdiv__mmd_tile_sum(plan, ta, tb, 0));
    }
    return singdiv__sum_value(&total);
}

double
singdiv__mmd_cross_row(const singdiv__mmd_plan *plan, const singdiv__mmd_points *px,
                       const singdiv__mmd_points *py, size_t i0, singdiv__mmd_tile *ta,
                       singdiv__mmd_tile *tb)
{
    singdiv__sum total = { 0.0, 0.0 };
    size_t t = plan->tile;
    size_t ni = px->n - i0 < t ? px->n - i0 : t;

    singdiv__mmd_pack(plan, px, i0, ni, ta);
    for (size_t j0 = 0; j0 < py->n; j0 += t) {
        size_t nj = py->n - j0 < t ? py->n - j0 : t;

        singdiv__mmd_pack(plan, py, j0, nj, tb);
        singdiv__sum_add(&total, singdiv__mmd_tile_sum(plan, ta, tb, 0));
    }
    return singdiv__sum_value(&total);
}

singdiv__sum
singdiv__mmd_self_sum(const singdiv__mmd_plan *plan, const singdiv__mmd_points *pts,
                      singdiv__mmd_tile *ta, singdiv__mmd_tile *tb)
{
    singdiv__sum total = { 0.0, 0.0 };

    for (size_t i0 = 0; i0 < pts->n; i0 += plan->tile) {
        singdiv__sum_add(&total, singdiv__mmd_self_row(plan, pts, i0, ta, tb));
    }
    return total;
}

singdiv__sum
singdiv__mmd_cross_sum(const singdiv__mmd_plan *plan, const singdiv__mmd_points *px,
                       const singdiv__mmd_points *py, singdiv__mmd_tile *ta,
                       singdiv__mmd_tile *tb)
{
    singdiv__sum total = { 0.0, 0.0 };

    for (size_t i0 = 0; i0 < px->n; i0 += plan->tile) {
        singdiv__sum_add(&total, singdiv__mmd_cross_row(plan, px, py, i0, ta, tb));
    }
    return total;
}

double
singdiv__mmd_estimate(double sxx, double syy, double sxy, size_t n, size_t m,
                      singdiv_mmd_estimator estimator)
{
    double dn = (double)n;
    double dm = (double)m;
    singdiv__sum s = { 0.0, 0.0 };
    double value;

    if (estimator == SINGDIV_MMD_UNBIASED) {
        singdiv__sum_add(&s, sxx / (dn * (dn - 1.0)));
        singdiv__sum_add(&s, syy / (dm * (dm - 1.0)));
        singdiv__sum_add(&s, -2.0 * sxy / (dn * dm));
        return singdiv__sum_value(&s);
    }

    /* The diagonal k(x, x) = 1 contributes n / n^2 and m / m^2. */
    singdiv__sum_add(&s, sxx / (dn * dn));
    singdiv__sum_add(&s, 1.0 / dn);
    singdiv__sum_add(&s, syy / (dm * dm));
    singdiv__sum_add(&s, 1.0 / dm);
    singdiv__sum_add(&s, -2.0 * sxy / (dn * dm));
    value = singdiv__sum_value(&s);
    /* The exact V-statistic is >= 0; a negative value is rounding. */
    return value > 0.0 ? value : 0.0;
}

singdiv_status
singdiv__mmd_check_kernel(const singdiv_kernel *kernel, singdiv_error *err)
{
    switch (kernel->type) {
    case SINGDIV_KERNEL_GAUSSIAN:
    case SINGDIV_KERNEL_LAPLACIAN:
    case SINGDIV_KERNEL_INVERSE_MULTIQUADRIC:
        break;
    default:
        return singdiv__fail(err, SINGDIV_ERR_DOMAIN, "kernel->type", SINGDIV_NO_INDEX,
                             (double)kernel->type);
    }
    if (!(isfinite(kernel->bandwidth) && kernel->bandwidth > 0.0)) {
        return singdiv__fail(err, SINGDIV_ERR_DOMAIN, "kernel->bandwidth",
                             SINGDIV_NO_INDEX, kernel->bandwidth);
    }
    return SINGDIV_OK;
}

singdiv_status
singdiv__mmd_check_samples(const double *x, size_t n, const double *y, size_t m,
                           size_t d, const singdiv_kernel *kernel,
                           singdiv_mmd_estimator estimator, singdiv_error *err)
{
    singdiv_status status = SINGDIV_OK;

    if (x == NULL || y == NULL || kernel == NULL) {
        const char *name = x == NULL ? "x" : y == NULL ? "y" : "kernel";

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
    if (status == SINGDIV_OK) {
        status = singdiv__mmd_check_kernel(kernel, err);
    }
    if (status != SINGDIV_OK) {
        return status;
    }

    if (estimator != SINGDIV_MMD_BIASED && estimator != SINGDIV_MMD_UNBIASED) {
        return singdiv__fail(err, SINGDIV_ERR_DOMAIN, "estimator", SINGDIV_NO_INDEX,
                             (double)estimator);
    }
    if (estimator == SINGDIV_MMD_UNBIASED && (n < 2 || m < 2)) {
        return singdiv__fail(err, SINGDIV_ERR_TOO_FEW_SAMPLES, n < 2 ? "n" : "m",
                             SINGDIV_NO_INDEX, (double)(n < 2 ? n : m));
    }
    return SINGDIV_OK;
}
