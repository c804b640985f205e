/*
 * InfoNCE from two embedding arrays, in strips of similarities so that
 * the n x n matrix is never formed, with the cosine geometry and the
 * modality gap gathered on the way.
 */
#include <stdlib.h>

#include "contrastive_internal.h"

#define TILE SINGDIV_CONTRASTIVE_TILE_ROWS

/* Pointers into the caller's workspace; the order matches the documented size. */
typedef struct embedding_work {
    double *columns;   /* 3 n: the online column reduction */
    double *diagonal;  /* n: s_ii */
    double *norm_a;    /* n: |a_i| scale_a[i] */
    double *norm_b;    /* n */
    double *scale_a;   /* n: a power of two bringing row i's largest entry near 1, or 1 */
    double *scale_b;   /* n */
    double *strip;     /* TILE n: similarities of the current rows */
    double *cosines;   /* TILE n: their cosines */
    double *centroid_a; /* 2 d: compensated sums of the unit rows of a */
    double *centroid_b; /* 2 d */
} embedding_work;

static embedding_work
split_work(double *work, size_t n, size_t d)
{
    embedding_work w;

    w.columns = work;
    w.diagonal = w.columns + 3 * n;
    w.norm_a = w.diagonal + n;
    w.norm_b = w.norm_a + n;
    w.scale_a = w.norm_b + n;
    w.scale_b = w.scale_a + n;
    w.strip = w.scale_b + n;
    w.cosines = w.strip + TILE * n;
    w.centroid_a = w.cosines + TILE * n;
    w.centroid_b = w.centroid_a + 2 * d;
    return w;
}

/*
 * Stores the scaled norm of each row, |x_i| scale[i], rejecting an all-zero
 * row with SINGDIV_ERR_ZERO_MASS (index = the row).
 */
static singdiv_status
row_norms(const double *x, size_t n, size_t d, const char *argument, double *norms,
          double *scales, singdiv_error *err)
{
    for (size_t i = 0; i < n; i++) {
        const double *row = x + i * d;
        double largest = 0.0;
        double squares = 0.0;
        double scale = 1.0;

        for (size_t k = 0; k < d; k++) {
            largest = fmax(largest, fabs(row[k]));
        }
        if (largest == 0.0) {
            return singdiv__fail(err, SINGDIV_ERR_ZERO_MASS, argument, i, 0.0);
        }
        /* Scaling by a power of two is exact, and keeps squares and dot products in range. */
        if (largest < 0x1p-400 || largest > 0x1p400) {
            scale = ldexp(1.0, -ilogb(largest));
        }
        for (size_t k = 0; k < d; k++) {
            double v = row[k] * scale;

            squares = fma(v, v, squares);
        }
        norms[i] = sqrt(squares);
        scales[i] = scale;
    }
    return SINGDIV_OK;
}

/* Adds the unit rows x_i / |x_i| to the compensated centroid sums (d sums, then d compensations). */
static void
add_unit_rows(const double *x, size_t n, size_t d, const double *norms, const double *scales,
              double *centroid)
{
    for (size_t k = 0; k < 2 * d; k++) {
        centroid[k] = 0.0;
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < d; k++) {
            singdiv__sum s = { centroid[k], centroid[d + k] };

            singdiv__sum_add(&s, x[i * d + k] * scales[i] / norms[i]);
            centroid[k] = s.sum;
            centroid[d + k] = s.comp;
        }
    }
}

/* Returns |c_a - c_b| from the centroid sums of n unit rows each. */
static double
centroid_distance(const double *centroid_a, const double *centroid_b, size_t n, size_t d)
{
    singdiv__sum squares = { 0.0, 0.0 };

    for (size_t k = 0; k < d; k++) {
        double ca = centroid_a[k] + centroid_a[d + k];
        double cb = centroid_b[k] + centroid_b[d + k];
        double diff = (ca - cb) / (double)n;

        singdiv__sum_add(&squares, diff * diff);
    }
    return sqrt(singdiv__sum_value(&squares));
}

/* Returns sum_k (x_k sx)(y_k sy), accumulated with fma in index order. */
static double
scaled_dot(const double *x, const double *y, size_t d, double sx, double sy)
{
    double acc = 0.0;

    if (sx == 1.0 && sy == 1.0) {
        for (size_t k = 0; k < d; k++) {
            acc = fma(x[k], y[k], acc);
        }
        return acc;
    }
    for (size_t k = 0; k < d; k++) {
        acc = fma(x[k] * sx, y[k] * sy, acc);
    }
    return acc;
}

/* Read-only inputs of the strip computation. */
typedef struct embedding_problem {
    const double *a;
    const double *b;
    size_t n;
    size_t d;
    int normalize;
} embedding_problem;

/*
 * Fills the strip of rows first .. first + count - 1: similarities, cosines
 * and the diagonal. Column j is the outer loop so that b_j stays in cache
 * across the strip's rows.
 */
static singdiv_status
fill_strip(const embedding_problem *p, const embedding_work *w, size_t first, size_t count,
           singdiv_error *err)
{
    for (size_t j = 0; j < p->n; j++) {
        const double *bj = p->b + j * p->d;

        for (size_t r = 0; r < count; r++) {
            size_t i = first + r;
            double dot = scaled_dot(p->a + i * p->d, bj, p->d, w->scale_a[i], w->scale_b[j]);
            double cosine = dot / (w->norm_a[i] * w->norm_b[j]);
            double s = p->normalize ? cosine : dot / (w->scale_a[i] * w->scale_b[j]);

            if (!isfinite(s)) {
                return singdiv__fail(err, SINGDIV_ERR_INFINITE, "a", i * p->n + j, s);
            }
            w->strip[r * p->n + j] = s;
            w->cosines[r * p->n + j] = cosine;
            if (i == j) {
                w->diagonal[i] = s;
            }
        }
    }
    return SINGDIV_OK;
}

/* Validates the embedding path's arguments but the workspace, in the documented order. */
static singdiv_status
check_embedding_arguments(const double *a, const double *b, size_t n, size_t d,
                          const singdiv_infonce_options *opt, singdiv_error *err)
{
    singdiv_status status;

    if (a == NULL || b == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, a == NULL ? "a" : "b", SINGDIV_NO_INDEX,
                             (double)NAN);
    }
    status = singdiv__infonce_check_options(opt, err);
    if (status != SINGDIV_OK) {
        return status;
    }
    if (n == 0) {
        return singdiv__fail(err, SINGDIV_ERR_EMPTY, "n", SINGDIV_NO_INDEX, 0.0);
    }
    if (d == 0) {
        return singdiv__fail(err, SINGDIV_ERR_EMPTY, "d", SINGDIV_NO_INDEX, 0.0);
    }
    if (n == 1) {
        return singdiv__fail(err, SINGDIV_ERR_TOO_FEW_SAMPLES, "n", SINGDIV_NO_INDEX, 1.0);
    }
    return singdiv__check_size(n, d, "a", err);
}

/* Checks the entries and the norms of a and b, and fills norms, scales and centroids. */
static singdiv_status
prepare_rows(const embedding_problem *p, const embedding_work *w, singdiv_error *err)
{
    singdiv_status status = singdiv__check_finite(p->a, p->n * p->d, "a", err);

    if (status == SINGDIV_OK) {
        status = singdiv__check_finite(p->b, p->n * p->d, "b", err);
    }
    if (status == SINGDIV_OK) {
        status = row_norms(p->a, p->n, p->d, "a", w->norm_a, w->scale_a, err);
    }
    if (status == SINGDIV_OK) {
        status = row_norms(p->b, p->n, p->d, "b", w->norm_b, w->scale_b, err);
    }
    if (status != SINGDIV_OK) {
        return status;
    }
    add_unit_rows(p->a, p->n, p->d, w->norm_a, w->scale_a, w->centroid_a);
    add_unit_rows(p->b, p->n, p->d, w->norm_b, w->scale_b, w->centroid_b);
    return SINGDIV_OK;
}

/* Runs the strips through the row reduction and fills the report. */
static singdiv_status
reduce_strips(const embedding_problem *p, const embedding_work *w,
              const singdiv_infonce_options *opt, singdiv_infonce_row *rows,
              singdiv_infonce_report *out)
{
    singdiv__infonce_state state;

    singdiv__infonce_begin(&state, p->n, opt, w->columns);
    for (size_t first = 0; first < p->n; first += TILE) {
        size_t count = p->n - first < TILE ? p->n - first : TILE;
        singdiv_status status = fill_strip(p, w, first, count, &out->error);

        if (status != SINGDIV_OK) {
            return status;
        }
        for (size_t r = 0; r < count; r++) {
            size_t i = first + r;

            singdiv__infonce_add_row(&state, i, w->strip + r * p->n, w->cosines + r * p->n,
                                     rows == NULL ? NULL : rows + i);
        }
    }
    singdiv__infonce_finish(&state, w->diagonal, 1, rows, out);
    out->modality_gap = centroid_distance(w->centroid_a, w->centroid_b, p->n, p->d);
    return SINGDIV_OK;
}

singdiv_status
singdiv_infonce_embeddings_workspace(const double *a, const double *b, size_t n, size_t d,
                                     const singdiv_infonce_options *opt,
                                     double *work, size_t work_count,
                                     singdiv_infonce_row *rows, singdiv_infonce_report *out)
{
    embedding_problem p = { a, b, n, d, 0 };
    embedding_work w;
    size_t needed;
    singdiv_status status;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    singdiv__infonce_report_reset(out);
    if (work == NULL) {
        return singdiv__fail(&out->error, SINGDIV_ERR_NULL, "work", SINGDIV_NO_INDEX, (double)NAN);
    }
    status = check_embedding_arguments(a, b, n, d, opt, &out->error);
    if (status != SINGDIV_OK) {
        return status;
    }
    if (singdiv_infonce_workspace_size(n, d, &needed) != SINGDIV_OK) {
        return singdiv__fail(&out->error, SINGDIV_ERR_SIZE_OVERFLOW, "n", SINGDIV_NO_INDEX,
                             (double)n);
    }
    if (work_count < needed) {
        return singdiv__fail(&out->error, SINGDIV_ERR_WORKSPACE, "work_count", SINGDIV_NO_INDEX,
                             (double)work_count);
    }
    p.normalize = opt->normalize != 0;
    w = split_work(work, n, d);
    status = prepare_rows(&p, &w, &out->error);
    if (status != SINGDIV_OK) {
        return status;
    }

    status = reduce_strips(&p, &w, opt, rows, out);
    if (status != SINGDIV_OK) {
        /* A dot product overflowed midway: drop the partial results, keep the error. */
        singdiv_error error = out->error;

        singdiv__infonce_report_reset(out);
        out->error = error;
    }
    return status;
}

singdiv_status
singdiv_infonce_embeddings(const double *a, const double *b, size_t n, size_t d,
                           const singdiv_infonce_options *opt,
                           singdiv_infonce_row *rows, singdiv_infonce_report *out)
{
    double *work;
    size_t needed;
    singdiv_status status;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    singdiv__infonce_report_reset(out);
    status = check_embedding_arguments(a, b, n, d, opt, &out->error);
    if (status != SINGDIV_OK) {
        return status;
    }
    if (singdiv_infonce_workspace_size(n, d, &needed) != SINGDIV_OK) {
        return singdiv__fail(&out->error, SINGDIV_ERR_SIZE_OVERFLOW, "n", SINGDIV_NO_INDEX,
                             (double)n);
    }
    work = malloc(needed * sizeof(double));
    if (work == NULL) {
        return singdiv__fail(&out->error, SINGDIV_ERR_NO_MEMORY, "work", SINGDIV_NO_INDEX, (double)NAN);
    }
    status = singdiv_infonce_embeddings_workspace(a, b, n, d, opt, work, needed, rows, out);
    free(work);
    return status;
}

/* Validates the sigmoid embedding path's arguments but the workspace, in the documented order. */
static singdiv_status
check_sigmoid_embedding_arguments(const double *a, const double *b, size_t n, size_t d,
                                  double t, double bias, singdiv_error *err)
{
    singdiv_status status;

    if (a == NULL || b == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, a == NULL ? "a" : "b", SINGDIV_NO_INDEX,
                             (double)NAN);
    }
    status = singdiv__sigmoid_check_parameters(t, bias, err);
    if (status != SINGDIV_OK) {
        return status;
    }
    if (n == 0) {
        return singdiv__fail(err, SINGDIV_ERR_EMPTY, "n", SINGDIV_NO_INDEX, 0.0);
    }
    if (d == 0) {
        return singdiv__fail(err, SINGDIV_ERR_EMPTY, "d", SINGDIV_NO_INDEX, 0.0);
    }
    return singdiv__check_size(n, d, "a", err);
}

/* Runs the strips through the sigmoid terms and fills the report. */
static singdiv_status
sigmoid_strips(const embedding_problem *p, const embedding_work *w, double t, double bias,
               singdiv_sigmoid_report *out)
{
    singdiv__sigmoid_state state;

    singdiv__sigmoid_begin(&state, p->n, t, bias);
    for (size_t first = 0; first < p->n; first += TILE) {
        size_t count = p->n - first < TILE ? p->n - first : TILE;
        singdiv_status status = fill_strip(p, w, first, count, &out->error);

        if (status != SINGDIV_OK) {
            return status;
        }
        for (size_t r = 0; r < count; r++) {
            singdiv__sigmoid_add_row(&state, first + r, w->strip + r * p->n);
        }
    }
    singdiv__sigmoid_finish(&state, out);
    return SINGDIV_OK;
}

singdiv_status
singdiv_sigmoid_loss_embeddings_workspace(const double *a, const double *b, size_t n, size_t d,
                                          int normalize, double t, double bias,
                                          double *work, size_t work_count,
                                          singdiv_sigmoid_report *out)
{
    embedding_problem p = { a, b, n, d, normalize != 0 };
    embedding_work w;
    size_t needed;
    singdiv_status status;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    singdiv__sigmoid_report_reset(out);
    if (work == NULL) {
        return singdiv__fail(&out->error, SINGDIV_ERR_NULL, "work", SINGDIV_NO_INDEX, (double)NAN);
    }
    status = check_sigmoid_embedding_arguments(a, b, n, d, t, bias, &out->error);
    if (status != SINGDIV_OK) {
        return status;
    }
    if (singdiv_infonce_workspace_size(n, d, &needed) != SINGDIV_OK) {
        return singdiv__fail(&out->error, SINGDIV_ERR_SIZE_OVERFLOW, "n", SINGDIV_NO_INDEX,
                             (double)n);
    }
    if (work_count < needed) {
        return singdiv__fail(&out->error, SINGDIV_ERR_WORKSPACE, "work_count", SINGDIV_NO_INDEX,
                             (double)work_count);
    }
    w = split_work(work, n, d);
    status = prepare_rows(&p, &w, &out->error);
    if (status != SINGDIV_OK) {
        return status;
    }

    status = sigmoid_strips(&p, &w, t, bias, out);
    if (status != SINGDIV_OK) {
        singdiv_error error = out->error;

        singdiv__sigmoid_report_reset(out);
        out->error = error;
    }
    return status;
}

singdiv_status
singdiv_sigmoid_loss_embeddings(const double *a, const double *b, size_t n, size_t d,
                                int normalize, double t, double bias,
                                singdiv_sigmoid_report *out)
{
    double *work;
    size_t needed;
    singdiv_status status;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    singdiv__sigmoid_report_reset(out);
    status = check_sigmoid_embedding_arguments(a, b, n, d, t, bias, &out->error);
    if (status != SINGDIV_OK) {
        return status;
    }
    if (singdiv_infonce_workspace_size(n, d, &needed) != SINGDIV_OK) {
        return singdiv__fail(&out->error, SINGDIV_ERR_SIZE_OVERFLOW, "n", SINGDIV_NO_INDEX,
                             (double)n);
    }
    work = malloc(needed * sizeof(double));
    if (work == NULL) {
        return singdiv__fail(&out->error, SINGDIV_ERR_NO_MEMORY, "work", SINGDIV_NO_INDEX, (double)NAN);
    }
    status = singdiv_sigmoid_loss_embeddings_workspace(a, b, n, d, normalize, t, bias, work,
                                                       needed, out);
    free(work);
    return status;
}
