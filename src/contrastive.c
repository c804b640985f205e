/*
 * InfoNCE from a similarity matrix, and the workspace size of the InfoNCE
 * functions.
 */
#include <stdint.h>
#include <stdlib.h>

#include "contrastive_internal.h"

/* Stores a * b + c in *out, or returns 0 when it overflows size_t. */
static int
size_mul_add(size_t a, size_t b, size_t c, size_t *out)
{
    if (b != 0 && a > (SIZE_MAX - c) / b) {
        return 0;
    }
    *out = a * b + c;
    return 1;
}

singdiv_status
singdiv_infonce_workspace_size(size_t n, size_t d, size_t *count)
{
    size_t doubles;
    size_t centroids;

    if (count == NULL) {
        return SINGDIV_ERR_NULL;
    }
    *count = 0;
    if (d == 0) {
        if (!size_mul_add(n, 3, 0, &doubles)) {
            return SINGDIV_ERR_SIZE_OVERFLOW;
        }
    } else {
        if (!size_mul_add(d, 4, 0, &centroids)
            || !size_mul_add(n, 2 * SINGDIV_CONTRASTIVE_TILE_ROWS + 8, centroids, &doubles)) {
            return SINGDIV_ERR_SIZE_OVERFLOW;
        }
    }
    if (doubles > (size_t)PTRDIFF_MAX / sizeof(double)) {
        return SINGDIV_ERR_SIZE_OVERFLOW;
    }
    *count = doubles;
    return SINGDIV_OK;
}

/* Checks n: SINGDIV_ERR_EMPTY for 0, SINGDIV_ERR_TOO_FEW_SAMPLES for 1. */
static singdiv_status
check_batch_size(size_t n, singdiv_error *err)
{
    if (n == 0) {
        return singdiv__fail(err, SINGDIV_ERR_EMPTY, "n", SINGDIV_NO_INDEX, 0.0);
    }
    if (n == 1) {
        return singdiv__fail(err, SINGDIV_ERR_TOO_FEW_SAMPLES, "n", SINGDIV_NO_INDEX, 1.0);
    }
    return SINGDIV_OK;
}

/* Validates the matrix path's arguments but the workspace, in the documented order. */
static singdiv_status
check_matrix_arguments(const double *similarity, size_t n, const singdiv_infonce_options *opt,
                       singdiv_error *err)
{
    singdiv_status status;

    if (similarity == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, "similarity", SINGDIV_NO_INDEX, (double)NAN);
    }
    status = singdiv__infonce_check_options(opt, err);
    if (status != SINGDIV_OK) {
        return status;
    }
    status = check_batch_size(n, err);
    if (status != SINGDIV_OK) {
        return status;
    }
    return singdiv__check_size(n, n, "similarity", err);
}

singdiv_status
singdiv_infonce_matrix_workspace(const double *similarity, size_t n,
                                 const singdiv_infonce_options *opt,
                                 double *work, size_t work_count,
                                 singdiv_infonce_row *rows, singdiv_infonce_report *out)
{
    singdiv__infonce_state state;
    singdiv_status status;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    singdiv__infonce_report_reset(out);
    if (work == NULL) {
        return singdiv__fail(&out->error, SINGDIV_ERR_NULL, "work", SINGDIV_NO_INDEX, (double)NAN);
    }
    status = check_matrix_arguments(similarity, n, opt, &out->error);
    if (status != SINGDIV_OK) {
        return status;
    }
    if (work_count < 3 * n) {
        return singdiv__fail(&out->error, SINGDIV_ERR_WORKSPACE, "work_count", SINGDIV_NO_INDEX,
                             (double)work_count);
    }
    status = singdiv__check_logits(similarity, n * n, 0, "similarity", &out->error);
    if (status != SINGDIV_OK) {
        return status;
    }

    singdiv__infonce_begin(&state, n, opt, work);
    for (size_t i = 0; i < n; i++) {
        const double *row = similarity + i * n;

        singdiv__infonce_add_row(&state, i, row, row, rows == NULL ? NULL : rows + i);
    }
    singdiv__infonce_finish(&state, similarity, n + 1, rows, out);
    return SINGDIV_OK;
}

singdiv_status
singdiv_infonce_matrix(const double *similarity, size_t n,
                       const singdiv_infonce_options *opt,
                       singdiv_infonce_row *rows, singdiv_infonce_report *out)
{
    double *work;
    singdiv_status status;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    singdiv__infonce_report_reset(out);
    status = check_matrix_arguments(similarity, n, opt, &out->error);
    if (status != SINGDIV_OK) {
        return status;
    }
    work = malloc(3 * n * sizeof(double));
    if (work == NULL) {
        return singdiv__fail(&out->error, SINGDIV_ERR_NO_MEMORY, "work", SINGDIV_NO_INDEX, (double)NAN);
    }
    status = singdiv_infonce_matrix_workspace(similarity, n, opt, work, 3 * n, rows, out);
    free(work);
    return status;
}
