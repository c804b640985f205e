/*
 * Cross-entropy of batches of logits rows: one single-row call per row,
 * then compensated means over the rows that were not ignored.
 */
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* float32 rows up to this width are converted on the stack. */
#define STACK_ROW 256

static void
report_reset(singdiv_report *out)
{
    out->value = (double)NAN;
    out->finite_part = (double)NAN;
    out->violating_mass = (double)NAN;
    out->violating_count = 0;
    out->reverse_mass = (double)NAN;
    out->reverse_count = 0;
    singdiv__clear_error(&out->error);
}

/* One batch: the inputs and the single-row function to apply. */
typedef struct batch_job {
    const double *p;
    const size_t *targets;
    const double *logits;
    size_t n;
    size_t k;
    double temperature;
    const singdiv_options *opt;
    const float *p32;      /* float32 rows, converted one row at a time */
    const float *logits32;
    double *row_buffer;    /* 2 k doubles: the converted target and logits rows */
} batch_job;

typedef singdiv_status (*row_function)(const batch_job *job, size_t r, singdiv_report *out);

static singdiv_status
distribution_row(const batch_job *job, size_t r, singdiv_report *out)
{
    return singdiv_logits_cross_entropy(job->p + r * job->k, job->logits + r * job->k, job->k,
                                        job->temperature, job->opt, out);
}

static singdiv_status
index_row(const batch_job *job, size_t r, singdiv_report *out)
{
    return singdiv_logits_cross_entropy_index(job->targets[r], job->logits + r * job->k, job->k,
                                              job->temperature, job->opt, out);
}

static void
widen_row(const float *x, double *y, size_t k)
{
    for (size_t i = 0; i < k; i++) {
        y[i] = (double)x[i];
    }
}

static singdiv_status
distribution_row_f32(const batch_job *job, size_t r, singdiv_report *out)
{
    double *p = job->row_buffer;
    double *logits = job->row_buffer + job->k;

    widen_row(job->p32 + r * job->k, p, job->k);
    widen_row(job->logits32 + r * job->k, logits, job->k);
    return singdiv_logits_cross_entropy(p, logits, job->k, job->temperature, job->opt, out);
}

static singdiv_status
index_row_f32(const batch_job *job, size_t r, singdiv_report *out)
{
    double *logits = job->row_buffer + job->k;

    widen_row(job->logits32 + r * job->k, logits, job->k);
    return singdiv_logits_cross_entropy_index(job->targets[r], logits, job->k, job->temperature,
                                              job->opt, out);
}

/* Running sums over the rows that were not ignored. */
typedef struct batch_sums {
    singdiv__mean_sum value;
    singdiv__mean_sum finite_part;
    singdiv__sum violating_mass;
    singdiv__sum reverse_mass;
} batch_sums;

static void
add_row(batch_sums *s, singdiv_batch_summary *summary, const singdiv_report *row)
{
    summary->rows++;
    summary->mean.violating_count += row->violating_count;
    summary->mean.reverse_count += row->reverse_count;
    if (row->violating_count > 0) {
        summary->singular_rows++;
    }
    /* Values are >= 0 (cross-entropy), so +inf is the only special value. */
    singdiv__mean_add(&s->value, row->value);
    singdiv__mean_add(&s->finite_part, row->finite_part);
    singdiv__sum_add(&s->violating_mass, row->violating_mass);
    singdiv__sum_add(&s->reverse_mass, row->reverse_mass);
}

static void
finish_summary(const batch_sums *s, singdiv_batch_summary *summary)
{
    double rows = (double)summary->rows;

    summary->mean.value = singdiv__mean_value(&s->value, rows);
    summary->mean.finite_part = singdiv__mean_value(&s->finite_part, rows);
    summary->total_violating_mass = singdiv__sum_value(&s->violating_mass);
    summary->mean.violating_mass = summary->total_violating_mass / rows;
    summary->mean.reverse_mass = singdiv__sum_value(&s->reverse_mass) / rows;
}

static void
summary_reset(singdiv_batch_summary *summary)
{
    report_reset(&summary->mean);
    summary->rows = 0;
    summary->ignored_rows = 0;
    summary->singular_rows = 0;
    summary->total_violating_mass = (double)NAN;
}

/* Checks the shape and the pointers common to every batch. */
static singdiv_status
check_batch(const batch_job *job, const void *targets, const char *targets_name,
            const void *logits, singdiv_error *err)
{
    if (targets == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, targets_name, SINGDIV_NO_INDEX, (double)NAN);
    }
    if (logits == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, "logits", SINGDIV_NO_INDEX, (double)NAN);
    }
    if (job->n == 0) {
        return singdiv__fail(err, SINGDIV_ERR_EMPTY, "n", SINGDIV_NO_INDEX, (double)NAN);
    }
    if (job->k == 0) {
        return singdiv__fail(err, SINGDIV_ERR_EMPTY, "k", SINGDIV_NO_INDEX, (double)NAN);
    }
    return singdiv__check_size(job->n, job->k, "logits", err);
}

/* Copies a row's error into the summary, with the index in the whole array. */
static singdiv_status
fail_row(singdiv_batch_summary *summary, const batch_job *job, size_t r,
         const singdiv_error *row_error)
{
    const char *argument = row_error->argument;
    size_t index = row_error->index;

    summary_reset(summary);
    if (argument != NULL && strcmp(argument, "target") == 0) {
        /* The row function's scalar target is entry r of the targets array. */
        argument = "targets";
        index = r;
    } else if (argument != NULL &&
               (strcmp(argument, "p") == 0 || strcmp(argument, "logits") == 0)) {
        /* A whole-row error (zero mass, sum off 1) points at the row's first entry. */
        index = (index == SINGDIV_NO_INDEX ? 0 : index) + r * job->k;
    }
    return singdiv__fail(&summary->mean.error, row_error->status, argument, index,
                         row_error->value);
}

static singdiv_status
run_batch(const batch_job *job, row_function row, const unsigned char *ignore,
          singdiv_report *rows, singdiv_batch_summary *summary)
{
    batch_sums s = { { { 0.0, 0.0 }, { 0.0, 0.0 }, 0 }, { { 0.0, 0.0 }, { 0.0, 0.0 }, 0 },
                     { 0.0, 0.0 }, { 0.0, 0.0 } };
    singdiv_report scratch;

    summary->mean.violating_count = 0;
    summary->mean.reverse_count = 0;
    for (size_t r = 0; r < job->n; r++) {
        singdiv_report *out = rows != NULL ? &rows[r] : &scratch;
        singdiv_status status;

        if (ignore != NULL && ignore[r] != 0) {
            report_reset(out);
            summary->ignored_rows++;
            continue;
        }
        status = row(job, r, out);
        if (status != SINGDIV_OK) {
            for (size_t later = r + 1; rows != NULL && later < job->n; later++) {
                report_reset(&rows[later]);
            }
            return fail_row(summary, job, r, &out->error);
        }
        add_row(&s, summary, out);
    }

    if (summary->rows == 0) {
        summary_reset(summary);
        summary->ignored_rows = job->n;
        return singdiv__fail(&summary->mean.error, SINGDIV_ERR_EMPTY, "ignore", SINGDIV_NO_INDEX,
                             (double)NAN);
    }
    finish_summary(&s, summary);
    return SINGDIV_OK;
}

singdiv_status
singdiv_logits_cross_entropy_batch(const double *p, const double *logits, size_t n,
                                   size_t k, double temperature,
                                   const unsigned char *ignore,
                                   const singdiv_options *opt, singdiv_report *rows,
                                   singdiv_batch_summary *summary)
{
    batch_job job = { p, NULL, logits, n, k, temperature, opt, NULL, NULL, NULL };
    singdiv_status status;

    if (summary == NULL) {
        return SINGDIV_ERR_NULL;
    }
    summary_reset(summary);
    status = check_batch(&job, p, "p", logits, &summary->mean.error);
    if (status != SINGDIV_OK) {
        return status;
    }
    return run_batch(&job, distribution_row, ignore, rows, summary);
}

singdiv_status
singdiv_logits_cross_entropy_index_batch(const size_t *targets, const double *logits,
                                         size_t n, size_t k, double temperature,
                                         const unsigned char *ignore,
                                         const singdiv_options *opt,
                                         singdiv_report *rows,
                                         singdiv_batch_summary *summary)
{
    batch_job job = { NULL, targets, logits, n, k, temperature, opt, NULL, NULL, NULL };
    singdiv_status status;

    if (summary == NULL) {
        return SINGDIV_ERR_NULL;
    }
    summary_reset(summary);
    status = check_batch(&job, targets, "targets", logits, &summary->mean.error);
    if (status != SINGDIV_OK) {
        return status;
    }
    return run_batch(&job, index_row, ignore, rows, summary);
}

/*
 * Runs a float32 batch with a row buffer of 2 k doubles, on the stack for
 * k <= STACK_ROW and from malloc otherwise.
 */
static singdiv_status
run_batch_f32(batch_job *job, row_function row, const unsigned char *ignore,
              singdiv_report *rows, singdiv_batch_summary *summary)
{
    double stack[2 * STACK_ROW];
    double *heap = NULL;
    singdiv_status status;

    job->row_buffer = stack;
    if (job->k > STACK_ROW) {
        /* The batch's size check allows k up to PTRDIFF_MAX / 8, not 2 k doubles. */
        if (job->k <= (size_t)PTRDIFF_MAX / (2 * sizeof *heap)) {
            heap = malloc(2 * job->k * sizeof *heap);
        }
        if (heap == NULL) {
            return singdiv__fail(&summary->mean.error, SINGDIV_ERR_NO_MEMORY, "logits",
                                 SINGDIV_NO_INDEX, (double)NAN);
        }
        job->row_buffer = heap;
    }

    status = run_batch(job, row, ignore, rows, summary);

    free(heap);
    return status;
}

singdiv_status
singdiv_logits_cross_entropy_batch_f32(const float *p, const float *logits, size_t n,
                                       size_t k, double temperature,
                                       const unsigned char *ignore,
                                       const singdiv_options *opt, singdiv_report *rows,
                                       singdiv_batch_summary *summary)
{
    batch_job job = { NULL, NULL, NULL, n, k, temperature, opt, p, logits, NULL };
    singdiv_status status;

    if (summary == NULL) {
        return SINGDIV_ERR_NULL;
    }
    summary_reset(summary);
    status = check_batch(&job, p, "p", logits, &summary->mean.error);
    if (status != SINGDIV_OK) {
        return status;
    }
    return run_batch_f32(&job, distribution_row_f32, ignore, rows, summary);
}

singdiv_status
singdiv_logits_cross_entropy_index_batch_f32(const size_t *targets, const float *logits,
                                             size_t n, size_t k, double temperature,
                                             const unsigned char *ignore,
                                             const singdiv_options *opt,
                                             singdiv_report *rows,
                                             singdiv_batch_summary *summary)
{
    batch_job job = { NULL, targets, NULL, n, k, temperature, opt, NULL, logits, NULL };
    singdiv_status status;

    if (summary == NULL) {
        return SINGDIV_ERR_NULL;
    }
    summary_reset(summary);
    status = check_batch(&job, targets, "targets", logits, &summary->mean.error);
    if (status != SINGDIV_OK) {
        return status;
    }
    return run_batch_f32(&job, index_row_f32, ignore, rows, summary);
}
