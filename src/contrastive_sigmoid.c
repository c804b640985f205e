/*
 * The sigmoid pairwise loss: the mean of softplus(-z_ij (t s_ij + b)) over
 * all pairs, with the logit formed as a double-double.
 */
#include <float.h>

#include "contrastive_internal.h"

/* Returns t s + b as a double-double, or NaN parts when an intermediate overflows. */
static singdiv__dd
logit_parts(double t, double s, double b)
{
    singdiv__dd p = singdiv__two_prod(t, s);
    singdiv__dd x = singdiv__two_sum(p.hi, b);

    x.lo += p.lo;
    if (!isfinite(p.hi)) {
        x.lo = (double)NAN;
    }
    return x;
}

/* Returns x = t s + b as a double-double; +-inf when the exact x is beyond +-DBL_MAX. */
static singdiv__dd
pair_logit(double t, double s, double b)
{
    double rounded = fma(t, s, b);
    double factor = 1.0;
    singdiv__dd x;
    double hi;

    if (isinf(rounded)) {
        x.hi = rounded;
        x.lo = 0.0;
        return x;
    }
    x = logit_parts(t, s, b);
    if (!(isfinite(x.hi) && isfinite(x.lo))) {
        /*
         * t s, or an intermediate of TwoSum (such as (t s + b) - t s when
         * both are near DBL_MAX), overflows although t s + b is finite:
         * the halves stay in range and the halving is exact.
         */
        x = logit_parts(0.5 * t, s, 0.5 * b);
        factor = 2.0;
    }
    /* Renormalise: after cancellation p.lo can exceed half an ulp of x.hi. */
    hi = x.hi + x.lo;
    x.lo -= hi - x.hi;
    x.hi = hi * factor;
    x.lo = isinf(x.hi) ? 0.0 : x.lo * factor;
    return x;
}

/*
 * Returns softplus(y) = log(1 + exp(y)) for y = hi + lo, as
 * max(y, 0) + log1p(exp(-|y|)): both parts are non-negative, so the
 * result is within a few ulp of the exact value.
 */
static double
softplus_dd(singdiv__dd y)
{
    if (y.hi == HUGE_VAL) {
        return HUGE_VAL;
    }
    if (y.hi > 0.0) {
        double e = exp(-y.hi);

        /* exp(-hi - lo) = exp(-hi) (1 - lo) to second order in lo. */
        return y.hi + (y.lo + log1p(fma(e, -y.lo, e)));
    }
    return log1p(singdiv__exp_dd(y));
}

singdiv_status
singdiv__sigmoid_check_parameters(double t, double bias, singdiv_error *err)
{
    if (!(isfinite(t) && t > 0.0)) {
        return singdiv__fail(err, SINGDIV_ERR_DOMAIN, "t", SINGDIV_NO_INDEX, t);
    }
    if (!isfinite(bias)) {
        return singdiv__fail(err, SINGDIV_ERR_DOMAIN, "bias", SINGDIV_NO_INDEX, bias);
    }
    return SINGDIV_OK;
}

void
singdiv__sigmoid_report_reset(singdiv_sigmoid_report *out)
{
    out->loss = (double)NAN;
    out->positive_loss = (double)NAN;
    out->negative_loss = (double)NAN;
    out->masked_positives = 0;
    singdiv__clear_error(&out->error);
}

void
singdiv__sigmoid_begin(singdiv__sigmoid_state *state, size_t n, double t, double bias)
{
    singdiv__mean_sum zero = { { 0.0, 0.0 }, { 0.0, 0.0 }, 0 };

    state->n = n;
    state->t = t;
    state->bias = bias;
    state->all = zero;
    state->positives = zero;
    state->negatives = zero;
    state->masked_positives = 0;
}

void
singdiv__sigmoid_add_row(singdiv__sigmoid_state *state, size_t i, const double *similarities)
{
    for (size_t j = 0; j < state->n; j++) {
        double s = similarities[j];
        double term;

        if (s == -HUGE_VAL) {
            /* A masked pair: probability 0 of a match, exact for both labels. */
            term = i == j ? HUGE_VAL : 0.0;
        } else {
            singdiv__dd x = pair_logit(state->t, s, state->bias);

            if (i == j) {
                x.hi = -x.hi;
                x.lo = -x.lo;
            }
            term = softplus_dd(x);
        }
        state->masked_positives += i == j && s == -HUGE_VAL;
        singdiv__mean_add(&state->all, term);
        singdiv__mean_add(i == j ? &state->positives : &state->negatives, term);
    }
}

void
singdiv__sigmoid_finish(const singdiv__sigmoid_state *state, singdiv_sigmoid_report *out)
{
    double count = (double)state->n;

    out->loss = singdiv__mean_value(&state->all, count * count);
    out->positive_loss = singdiv__mean_value(&state->positives, count);
    out->negative_loss = state->n == 1
                             ? (double)NAN
                             : singdiv__mean_value(&state->negatives, count * (count - 1.0));
    out->masked_positives = state->masked_positives;
}

static singdiv_status
check_sigmoid_arguments(const double *similarity, size_t n, double t, double bias,
                        singdiv_error *err)
{
    singdiv_status status;

    if (similarity == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, "similarity", SINGDIV_NO_INDEX, (double)NAN);
    }
    status = singdiv__sigmoid_check_parameters(t, bias, err);
    if (status != SINGDIV_OK) {
        return status;
    }
    if (n == 0) {
        return singdiv__fail(err, SINGDIV_ERR_EMPTY, "n", SINGDIV_NO_INDEX, 0.0);
    }
    status = singdiv__check_size(n, n, "similarity", err);
    if (status != SINGDIV_OK) {
        return status;
    }
    return singdiv__check_logits(similarity, n * n, 0, "similarity", err);
}

singdiv_status
singdiv_sigmoid_loss_matrix(const double *similarity, size_t n, double t, double bias,
                            singdiv_sigmoid_report *out)
{
    singdiv__sigmoid_state state;
    singdiv_status status;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    singdiv__sigmoid_report_reset(out);
    status = check_sigmoid_arguments(similarity, n, t, bias, &out->error);
    if (status != SINGDIV_OK) {
        return status;
    }

    singdiv__sigmoid_begin(&state, n, t, bias);
    for (size_t i = 0; i < n; i++) {
        singdiv__sigmoid_add_row(&state, i, similarity + i * n);
    }
    singdiv__sigmoid_finish(&state, out);
    return SINGDIV_OK;
}
