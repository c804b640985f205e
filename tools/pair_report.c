/*
 * Computing the divergence report of two distributions through the public API.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "pair_report.h"

typedef singdiv_status (*set_lister)(const double *, const double *, size_t,
                                     const singdiv_options *, size_t *, size_t, size_t *);

typedef singdiv_status (*pair_function)(const double *, const double *, size_t,
                                        const singdiv_options *, singdiv_report *);

/* Explains why a file was rejected, in the words of the command's user. */
static int
input_error(const char *file, const singdiv_error *err, const singdiv_options *opt)
{
    switch (err->status) {
    case SINGDIV_ERR_ZERO_MASS:
        cli_error("%s: all values are 0; a distribution needs some positive mass", file);
        break;
    case SINGDIV_ERR_NOT_NORMALIZED:
        cli_error("%s: values sum to %.17g, not 1 (tolerance %g); "
                  "pass --normalize to treat them as counts", file, err->value, opt->sum_tolerance);
        break;
    case SINGDIV_ERR_INFINITE:
        cli_error("%s: the values are too large: their sum overflows a double", file);
        break;
    default:
        cli_error("%s: %s (entry %zu, value %g)", file, singdiv_strerror(err->status),
                  err->index, err->value);
        break;
    }
    return CLI_EXIT_USAGE;
}

/* Neumaier-compensated sum, for the masses of single entries. */
static double
compensated_sum(const double *x, size_t n)
{
    double sum = 0.0;
    double correction = 0.0;

    for (size_t i = 0; i < n; i++) {
        double t = sum + x[i];

        correction += fabs(sum) >= fabs(x[i]) ? (sum - t) + x[i] : (x[i] - t) + sum;
        sum = t;
    }
    return sum + correction;
}

/* Whether entry a goes before b: larger mass first, then smaller index. */
static int
heavier(const cli_entry *a, const cli_entry *b)
{
    return a->mass > b->mass || (a->mass == b->mass && a->index < b->index);
}

/* Restores the heap order (the lightest entry at the root) below position i. */
static void
sift_down(cli_entry *heap, size_t size, size_t i)
{
    for (;;) {
        size_t lightest = i;
        size_t left = 2 * i + 1;
        size_t right = left + 1;
        cli_entry t;

        if (left < size && heavier(&heap[lightest], &heap[left])) {
            lightest = left;
        }
        if (right < size && heavier(&heap[lightest], &heap[right])) {
            lightest = right;
        }
        if (lightest == i) {
            return;
        }
        t = heap[i];
        heap[i] = heap[lightest];
        heap[lightest] = t;
        i = lightest;
    }
}

/* Restores the heap order above position i after an insertion there. */
static void
sift_up(cli_entry *heap, size_t i)
{
    while (i > 0 && heavier(&heap[(i - 1) / 2], &heap[i])) {
        cli_entry t = heap[i];

        heap[i] = heap[(i - 1) / 2];
        heap[(i - 1) / 2] = t;
        i = (i - 1) / 2;
    }
}

/*
 * Keeps the top heaviest of the entries indices[0..count) of x / sum in
 * out->top, with a heap: O(count log top) time.
 */
static void
select_top(const double *x, double sum, const size_t *indices, size_t count, size_t top,
           cli_set_summary *out)
{
    size_t size = 0;

    for (size_t k = 0; k < count; k++) {
        cli_entry e = {indices[k], x[indices[k]] / sum};

        if (size < top) {
            out->top[size++] = e;
            sift_up(out->top, size - 1);
        } else if (size > 0 && heavier(&e, &out->top[0])) {
            out->top[0] = e;
            sift_down(out->top, size, 0);
        }
    }

    /* Heap sort: move the lightest to the end until the array runs heaviest first. */
    for (size_t end = size; end > 1; end--) {
        cli_entry t = out->top[0];

        out->top[0] = out->top[end - 1];
        out->top[end - 1] = t;
        sift_down(out->top, end - 1, 0);
    }
    out->top_count = size;
}

static int
summarize_set(set_lister list, const cli_pair_view *view, const singdiv_options *opt,
              const double *x, double sum, size_t top, cli_set_summary *out)
{
    size_t count = 0;
    size_t *indices;
    singdiv_status s = list(view->p, view->q, view->n, opt, NULL, 0, &count);

    if (s != SINGDIV_OK) {
        return cli_library_failure("listing the violating or reverse set", s);
    }
    out->count = count;
    indices = malloc((count > 0 ? count : 1) * sizeof(size_t));
    out->top = malloc((top > 0 ? top : 1) * sizeof(cli_entry));
    if (indices == NULL || out->top == NULL) {
        free(indices);
        return cli_out_of_memory();
    }
    s = list(view->p, view->q, view->n, opt, indices, count, &count);
    if (s != SINGDIV_OK) {
        free(indices);
        return cli_library_failure("listing the violating or reverse set", s);
    }
    select_top(x, sum, indices, count, top, out);
    free(indices);
    return 0;
}

static int
run_pair(pair_function f, const char *name, const double *a, const double *b, size_t n,
         const singdiv_options *opt, singdiv_report *out)
{
    singdiv_status s = f(a, b, n, opt, out);

    return s == SINGDIV_OK ? 0 : cli_library_failure(name, s);
}

static int
run_entropy(const double *x, size_t n, const singdiv_options *opt, singdiv_report *out)
{
    singdiv_status s = singdiv_entropy(x, n, opt, out);

    return s == SINGDIV_OK ? 0 : cli_library_failure("singdiv_entropy", s);
}

/* Computes W1 between p and q placed on the points 0, 1, ..., n - 1. */
static int
compute_w1_index(const cli_pair_view *view, const singdiv_options *opt, double *out)
{
    double *x = malloc(view->n * sizeof(double));
    singdiv_status s;

    if (x == NULL) {
        return cli_out_of_memory();
    }
    for (size_t i = 0; i < view->n; i++) {
        x[i] = (double)i;
    }
    s = singdiv_w1_hist(x, view->p, view->q, view->n, opt, out);
    free(x);
    return s == SINGDIV_OK ? 0 : cli_library_failure("singdiv_w1_hist", s);
}

/* Computes the small-eps expansions of CE and KL under smoothing towards the uniform distribution. */
static int
compute_expansions(const cli_pair_view *view, const singdiv_options *opt, cli_pair_values *out)
{
    singdiv_status s = singdiv_smoothing_expansion(view->p, view->q, NULL, view->n, opt,
                                                   &out->expansion_ce);

    if (s == SINGDIV_OK) {
        s = singdiv_smoothing_expansion_kl(view->p, view->q, NULL, view->n, opt,
                                           &out->expansion_kl);
    }
    return s == SINGDIV_OK ? 0 : cli_library_failure("singdiv_smoothing_expansion", s);
}

int
cli_compute_pair(const cli_pair_view *view, const singdiv_options *opt, size_t top,
                 const cli_family_request *family, cli_pair_values *out)
{
    singdiv_error err;
    const double *p = view->p;
    const double *q = view->q;
    size_t n = view->n;
    int status = 0;

    memset(out, 0, sizeof *out);
    if (singdiv_check_distribution(p, n, opt, &err) != SINGDIV_OK) {
        return input_error(view->p_name, &err, opt);
    }
    if (singdiv_check_distribution(q, n, opt, &err) != SINGDIV_OK) {
        return input_error(view->q_name, &err, opt);
    }

    status = run_entropy(p, n, opt, &out->entropy_p);
    status = status ? status : run_entropy(q, n, opt, &out->entropy_q);
    status = status ? status : run_pair(singdiv_cross_entropy, "singdiv_cross_entropy", p, q, n,
                                        opt, &out->cross_entropy);
    status = status ? status : run_pair(singdiv_kl, "singdiv_kl", p, q, n, opt, &out->kl_pq);
    status = status ? status : run_pair(singdiv_kl, "singdiv_kl", q, p, n, opt, &out->kl_qp);
    status = status ? status : run_pair(singdiv_js, "singdiv_js", p, q, n, opt, &out->js);
    status = status ? status : run_pair(singdiv_js_distance, "singdiv_js_distance", p, q, n,
                                        opt, &out->js_distance);
    if (status == 0) {
        status = compute_expansions(view, opt, out);
    }
    if (status == 0 && family != NULL) {
        status = cli_compute_family(p, q, n, opt, family, &out->family);
    }
    if (status == 0 && view->labels == NULL) {
        out->has_w1 = 1;
        status = compute_w1_index(view, opt, &out->w1_index);
    }
    if (status != 0) {
        return status;
    }

    out->p_sum = compensated_sum(p, n);
    out->q_sum = compensated_sum(q, n);
    out->violating.mass = out->kl_pq.violating_mass;
    out->reverse.mass = out->kl_pq.reverse_mass;
    status = summarize_set(singdiv_violating_set, view, opt, p, out->p_sum, top, &out->violating);
    if (status == 0) {
        status = summarize_set(singdiv_reverse_set, view, opt, q, out->q_sum, top, &out->reverse);
    }
    return status;
}

void
cli_pair_values_free(cli_pair_values *values)
{
    free(values->violating.top);
    free(values->reverse.top);
    values->violating.top = NULL;
    values->reverse.top = NULL;
}

const char *
cli_entry_name(const cli_pair_view *view, size_t i, char *buf, size_t size)
{
    if (view->labels != NULL) {
        return cli_labels_text(view->labels, i);
    }
    snprintf(buf, size, "index %zu", i);
    return buf;
}
