/*
 * Fuzzes the Wasserstein and CDF distances (singdiv/wasserstein.h): the
 * allocating, workspace and pre-sorted variants must agree bit for bit,
 * results are >= 0, W1 of identical samples is 0, and the validators
 * return what the distances return.
 */
#include <stdlib.h>

#include "fuzz_common.h"

#define MAX_N 48

static int
compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;

    return (x > y) - (x < y);
}

static int
same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

static double
fuzz_order(fuzz_input *in)
{
    switch (fuzz_byte(in) % 4) {
    case 0: return 1.0;
    case 1: return 1.0 + (double)fuzz_byte(in) / 16.0;
    case 2: return HUGE_VAL;
    default: return fuzz_double(in);
    }
}

/* Fills x with sample values: raw doubles, or small integers spread by a scale. */
static void
fuzz_samples(fuzz_input *in, double *x, size_t n)
{
    double offset, scale;

    if (fuzz_byte(in) % 3 == 0) {
        for (size_t i = 0; i < n; i++) {
            x[i] = fuzz_double(in);
        }
        return;
    }
    offset = fuzz_byte(in) % 2 ? 1e9 : 0.0;
    scale = ldexp(1.0, (int)fuzz_byte(in) % 64 - 32);
    for (size_t i = 0; i < n; i++) {
        x[i] = offset + scale * ((double)fuzz_byte(in) - 128.0);
    }
}

static singdiv_status
check_one_sample(const double *values, const double *weights, size_t n)
{
    const fuzz_arg args[] = {{"values", n}, {"weights", n}, {"n", 0}};
    singdiv_error err;
    singdiv_status s = FUZZ_CALL("singdiv_check_samples", singdiv_check_samples(values, weights, n, &err));

    fuzz_check_error(&err, s, args, sizeof args / sizeof args[0]);
    return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size, 0};
    double u[MAX_N + 1], v[MAX_N + 1];
    /* Zeroed: the histogram form reads nu masses from each, where nu may exceed nv. */
    double uw[MAX_N + 1] = { 0.0 }, vw[MAX_N + 1] = { 0.0 };
    double us[MAX_N + 1], vs[MAX_N + 1];
    size_t nu = fuzz_length(&in, MAX_N);
    size_t nv = fuzz_length(&in, MAX_N);
    const double *uwp, *vwp;
    double w1 = 1.0, w1_ws = 2.0, w1_sorted = 3.0, wk = 4.0, wk_ws = 5.0, cdf = 6.0;
    double k = fuzz_order(&in);
    singdiv_status s, s_ws, s_sorted, s_check;
    singdiv_error err;
    size_t ws_size;
    void *ws;
    const fuzz_arg args[] = {
        {"u", nu}, {"v", nv}, {"u_weights", nu}, {"v_weights", nv}, {"nu", 0}, {"nv", 0},
        {"k", 0}, {"workspace", 0}, {"workspace_size", 0}, {"out", 0}};
    const size_t nargs = sizeof args / sizeof args[0];

    fuzz_samples(&in, u, nu);
    if (fuzz_byte(&in) % 4 == 0 && nu == nv) {
        memcpy(v, u, sizeof u);
    } else {
        fuzz_samples(&in, v, nv);
    }
    fuzz_vector(&in, uw, nu);
    fuzz_vector(&in, vw, nv);
    uwp = fuzz_byte(&in) % 2 ? uw : NULL;
    vwp = fuzz_byte(&in) % 2 ? vw : NULL;

    fuzz_dump("u", u, nu);
    fuzz_dump("u_weights", uwp, uwp == NULL ? 0 : nu);
    fuzz_dump("v", v, nv);
    fuzz_dump("v_weights", vwp, vwp == NULL ? 0 : nv);
    s = FUZZ_CALL("singdiv_w1_samples", singdiv_w1_samples(u, uwp, nu, v, vwp, nv, &w1));
    FUZZ_CHECK(fuzz_is_status(s));
    ws_size = singdiv_w1_samples_workspace_size(nu, nv);
    FUZZ_CHECK(ws_size != SIZE_MAX);
    ws = malloc(ws_size + 1);
    if (ws == NULL) {
        return 0;
    }
    s_ws = FUZZ_CALL("singdiv_w1_samples_workspace", singdiv_w1_samples_workspace(u, uwp, nu, v, vwp, nv, ws, ws_size, &w1_ws, &err));
    fuzz_check_error(&err, s_ws, args, nargs);
    FUZZ_CHECK(s_ws == s);

    s_check = check_one_sample(u, uwp, nu);
    if (s_check == SINGDIV_OK) {
        s_check = check_one_sample(v, vwp, nv);
    }
    /* The validator accepts what the distance accepts; only a weight sum
     * beyond DBL_MAX or a failed allocation separates them. */
    if (s == SINGDIV_OK) {
        FUZZ_CHECK(s_check == SINGDIV_OK);
    } else if (s_check == SINGDIV_OK) {
        FUZZ_CHECK(s == SINGDIV_ERR_INFINITE || s == SINGDIV_ERR_NO_MEMORY);
    }

    if (s == SINGDIV_OK) {
        FUZZ_CHECK(w1 >= 0.0);
        FUZZ_CHECK(same_bits(w1, w1_ws));
        if (nu == nv && uwp == NULL && vwp == NULL && memcmp(u, v, nu * sizeof u[0]) == 0) {
            FUZZ_CHECK(w1 == 0.0);
        }
    } else {
        FUZZ_CHECK(isnan(w1) && isnan(w1_ws));
    }

    /* Pre-sorted variant on sorted copies (equal weights keep their meaning). */
    memcpy(us, u, sizeof u);
    memcpy(vs, v, sizeof v);
    if (s == SINGDIV_OK && uwp == NULL && vwp == NULL) {
        qsort(us, nu, sizeof us[0], compare_doubles);
        qsort(vs, nv, sizeof vs[0], compare_doubles);
    }
    s_sorted = FUZZ_CALL("singdiv_w1_samples_sorted", singdiv_w1_samples_sorted(us, uwp, nu, vs, vwp, nv, &w1_sorted, &err));
    fuzz_check_error(&err, s_sorted, args, nargs);
    if (s == SINGDIV_OK && uwp == NULL && vwp == NULL) {
        FUZZ_CHECK(s_sorted == SINGDIV_OK);
        FUZZ_CHECK(same_bits(w1, w1_sorted));
    }

    s = FUZZ_CALL("singdiv_wk_samples", singdiv_wk_samples(u, uwp, nu, v, vwp, nv, k, &wk));
    s_ws = FUZZ_CALL("singdiv_wk_samples_workspace", singdiv_wk_samples_workspace(u, uwp, nu, v, vwp, nv, k, ws, ws_size, &wk_ws, &err));
    fuzz_check_error(&err, s_ws, args, nargs);
    FUZZ_CHECK(s_ws == s);
    if (s == SINGDIV_OK) {
        FUZZ_CHECK(wk >= 0.0 && same_bits(wk, wk_ws));
        if (k == 1.0) {
            FUZZ_CHECK(same_bits(wk, w1));
        }
    }
    s_ws = FUZZ_CALL("singdiv_wk_samples_workspace", singdiv_wk_samples_workspace(u, uwp, nu, v, vwp, nv, k, ws, ws_size / 2, &wk_ws,
                                        &err));
    fuzz_check_error(&err, s_ws, args, nargs);

    s = FUZZ_CALL("singdiv_cdf_distance_samples", singdiv_cdf_distance_samples(u, uwp, nu, v, vwp, nv, k, &cdf));
    FUZZ_CHECK(fuzz_is_status(s));
    if (s == SINGDIV_OK) {
        FUZZ_CHECK(cdf >= 0.0);
        if (isinf(k)) {
            FUZZ_CHECK(cdf <= 1.0);
        }
    }
    s_ws = FUZZ_CALL("singdiv_cdf_distance_samples_workspace", singdiv_cdf_distance_samples_workspace(u, uwp, nu, v, vwp, nv, k, ws, ws_size,
                                                  &wk_ws, &err));
    fuzz_check_error(&err, s_ws, args, nargs);
    FUZZ_CHECK(s_ws == s);
    if (s == SINGDIV_OK) {
        FUZZ_CHECK(same_bits(cdf, wk_ws));
    }
    free(ws);

    /* Histogram form: u as support points, uw and vw as masses. */
    {
        singdiv_options options;
        const singdiv_options *opt = fuzz_options(&in, &options);
        const fuzz_arg hist_args[] = {
            {"x", nu}, {"p", nu}, {"q", nu}, {"n", 0}, {"opt->base", 0},
            {"opt->sum_tolerance", 0}};
        double w1_hist = 7.0;

        if (fuzz_byte(&in) % 2) {
            qsort(us, nu, sizeof us[0], compare_doubles);
        }
        s = FUZZ_CALL("singdiv_w1_hist", singdiv_w1_hist(us, uw, vw, nu, opt, &w1_hist));
        FUZZ_CHECK(fuzz_is_status(s));
        if (s == SINGDIV_OK) {
            FUZZ_CHECK(w1_hist >= 0.0);
        }
        s_check = FUZZ_CALL("singdiv_check_support", singdiv_check_support(us, nu, &err));
        fuzz_check_error(&err, s_check, hist_args, sizeof hist_args / sizeof hist_args[0]);
        if (s == SINGDIV_OK) {
            FUZZ_CHECK(s_check == SINGDIV_OK);
        }
    }
    return 0;
}
