/*
 * float32 entry points: each converts its inputs to double and calls the
 * double function, so the results are those of the double path.
 */
#include <stdlib.h>

#include "internal.h"

/* Inputs up to this length are converted on the stack. */
#define STACK_ENTRIES 256

/* A float input converted to double. */
typedef struct widened {
    double stack[STACK_ENTRIES];
    double *heap;
    const double *data; /* NULL when the input is NULL */
} widened;

/* A non-NULL pointer for n == 0 and oversized inputs, which are never read. */
static const double unread = 0.0;

/*
 * Converts x[0 .. n-1] to double. NULL stays NULL; a length that is 0 or
 * too large for the size check is passed on unconverted, because the
 * double function rejects it before reading. Returns SINGDIV_ERR_NO_MEMORY
 * when the copy cannot be allocated.
 */
static singdiv_status
widen(const float *x, size_t n, widened *w)
{
    double *target = w->stack;

    w->heap = NULL;
    w->data = NULL;
    if (x == NULL) {
        return SINGDIV_OK;
    }
    if (n == 0 || singdiv__check_size(n, 1, NULL, NULL) != SINGDIV_OK) {
        w->data = &unread;
        return SINGDIV_OK;
    }
    if (n > STACK_ENTRIES) {
        w->heap = malloc(n * sizeof *w->heap);
        if (w->heap == NULL) {
            return SINGDIV_ERR_NO_MEMORY;
        }
        target = w->heap;
    }
    for (size_t i = 0; i < n; i++) {
        target[i] = (double)x[i];
    }
    w->data = target;
    return SINGDIV_OK;
}

static void
no_memory(singdiv_report *out, const char *argument)
{
    out->value = (double)NAN;
    out->finite_part = (double)NAN;
    out->violating_mass = (double)NAN;
    out->violating_count = 0;
    out->reverse_mass = (double)NAN;
    out->reverse_count = 0;
    (void)singdiv__fail(&out->error, SINGDIV_ERR_NO_MEMORY, argument, SINGDIV_NO_INDEX, (double)NAN);
}

/* Converts both inputs of a pair, failing on the first that cannot be copied. */
static singdiv_status
widen_pair(const float *p, const float *q, size_t n, const char *q_name, widened *wp,
           widened *wq, singdiv_report *out)
{
    if (widen(p, n, wp) != SINGDIV_OK) {
        no_memory(out, "p");
        return SINGDIV_ERR_NO_MEMORY;
    }
    if (widen(q, n, wq) != SINGDIV_OK) {
        free(wp->heap);
        no_memory(out, q_name);
        return SINGDIV_ERR_NO_MEMORY;
    }
    return SINGDIV_OK;
}

typedef singdiv_status (*pair_function)(const double *p, const double *q, size_t n,
                                        const singdiv_options *opt, singdiv_report *out);

static singdiv_status
call_pair(pair_function f, const float *p, const float *q, size_t n,
          const singdiv_options *opt, singdiv_report *out)
{
    widened wp;
    widened wq;
    singdiv_status status;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    status = widen_pair(p, q, n, "q", &wp, &wq, out);
    if (status != SINGDIV_OK) {
        return status;
    }

    status = f(wp.data, wq.data, n, opt, out);

    free(wp.heap);
    free(wq.heap);
    return status;
}

singdiv_status
singdiv_entropy_f32(const float *p, size_t n, const singdiv_options *opt,
                    singdiv_report *out)
{
    widened wp;
    singdiv_status status;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    if (widen(p, n, &wp) != SINGDIV_OK) {
        no_memory(out, "p");
        return SINGDIV_ERR_NO_MEMORY;
    }

    status = singdiv_entropy(wp.data, n, opt, out);

    free(wp.heap);
    return status;
}

singdiv_status
singdiv_cross_entropy_f32(const float *p, const float *q, size_t n,
                          const singdiv_options *opt, singdiv_report *out)
{
    return call_pair(singdiv_cross_entropy, p, q, n, opt, out);
}

singdiv_status
singdiv_kl_f32(const float *p, const float *q, size_t n,
               const singdiv_options *opt, singdiv_report *out)
{
    return call_pair(singdiv_kl, p, q, n, opt, out);
}

singdiv_status
singdiv_js_f32(const float *p, const float *q, size_t n,
               const singdiv_options *opt, singdiv_report *out)
{
    return call_pair(singdiv_js, p, q, n, opt, out);
}

singdiv_status
singdiv_js_distance_f32(const float *p, const float *q, size_t n,
                        const singdiv_options *opt, singdiv_report *out)
{
    return call_pair(singdiv_js_distance, p, q, n, opt, out);
}

typedef singdiv_status (*logits_function)(const double *p, const double *logits, size_t k,
                                          double temperature, const singdiv_options *opt,
                                          singdiv_report *out);

static singdiv_status
call_logits(logits_function f, const float *p, const float *logits, size_t k,
            double temperature, const singdiv_options *opt, singdiv_report *out)
{
    widened wp;
    widened wl;
    singdiv_status status;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    status = widen_pair(p, logits, k, "logits", &wp, &wl, out);
    if (status != SINGDIV_OK) {
        return status;
    }

    status = f(wp.data, wl.data, k, temperature, opt, out);

    free(wp.heap);
    free(wl.heap);
    return status;
}

singdiv_status
singdiv_logits_cross_entropy_f32(const float *p, const float *logits, size_t k,
                                 double temperature, const singdiv_options *opt,
                                 singdiv_report *out)
{
    return call_logits(singdiv_logits_cross_entropy, p, logits, k, temperature, opt, out);
}

singdiv_status
singdiv_logits_kl_f32(const float *p, const float *logits, size_t k,
                      double temperature, const singdiv_options *opt,
                      singdiv_report *out)
{
    return call_logits(singdiv_logits_kl, p, logits, k, temperature, opt, out);
}

singdiv_status
singdiv_logits_cross_entropy_index_f32(size_t target, const float *logits, size_t k,
                                       double temperature, const singdiv_options *opt,
                                       singdiv_report *out)
{
    widened wl;
    singdiv_status status;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    if (widen(logits, k, &wl) != SINGDIV_OK) {
        no_memory(out, "logits");
        return SINGDIV_ERR_NO_MEMORY;
    }

    status = singdiv_logits_cross_entropy_index(target, wl.data, k, temperature, opt, out);

    free(wl.heap);
    return status;
}
