/*
 * Contract test: every public function against bad input. Each function is
 * described once (its array arguments and how each is validated, its
 * length argument, its scalar parameter, whether it takes options and
 * whether it reports error details), and every applicable mutation of a
 * valid baseline is applied in turn: NULL pointers, n = 0, a length whose
 * size in bytes overflows, NaN, +-inf, negative entries, all-zero
 * vectors, sums off 1, invalid options and scalars out of range. Each call
 * must return the documented status and error detail (argument name and
 * index), must leave its inputs unchanged and must write nothing outside
 * its output (guard bytes surround it); a NULL output pointer must leave
 * the whole output area untouched.
 *
 * Functions whose arguments do not fit that shape (MMD, accumulators,
 * batches, the singularity map, the sets) have their own tables below.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define LEN 6       /* baseline length */
#define CAP 16      /* capacity of every input array */
#define DIM 2       /* MMD dimension */
#define GUARD 64
#define AREA 1024
#define GUARD_BYTE 0xa5
#define ANY_INDEX (SIZE_MAX - 1)

/* How a function validates one array argument. */
typedef enum role {
    ROLE_NONE = 0,
    ROLE_DIST,          /* probability vector: finite, >= 0, not all zero, sums to 1 */
    ROLE_DIST_OPTIONAL, /* like ROLE_DIST, and NULL means the uniform distribution */
    ROLE_COUNTS,        /* finite, >= 0, not all zero, any sum */
    ROLE_LOGITS,        /* not NaN, not +inf; -inf allowed */
    ROLE_SAMPLE,        /* finite, any sign */
    ROLE_SORTED,        /* finite, non-decreasing */
    ROLE_WEIGHTS,       /* NULL allowed; finite, >= 0, not all zero, any sum */
    ROLE_SUPPORT        /* finite and strictly increasing */
} role;

/* The valid range of a function's scalar parameter. */
typedef enum scalar_kind {
    SCALAR_NONE = 0,
    SCALAR_ORDER,       /* > 0, +inf allowed (Rényi alpha) */
    SCALAR_OPEN_UNIT,   /* in (0, 1) (eps, pi) */
    SCALAR_POSITIVE,    /* finite and > 0 (Lidstone alpha, temperature, bandwidth) */
    SCALAR_AT_LEAST_ONE /* >= 1, +inf allowed (Wasserstein order k) */
} scalar_kind;

typedef struct call_args {
    const double *in[4];
    size_t n;
    const singdiv_options *opt;
    double scalar;
    void *out;          /* NULL to test a NULL output */
    singdiv_error *err; /* receives the error detail, when the function has one */
} call_args;

typedef singdiv_status (*adapter)(const call_args *a);

typedef struct api_entry {
    const char *function;
    adapter call;
    role roles[4];
    const char *names[4];
    const char *size_name;
    scalar_kind scalar;
    const char *scalar_name;
    double scalar_value; /* a valid value for the baseline */
    int takes_opt;
    int has_detail;
} api_entry;

/* ---- adapters: one line per function, mapping call_args to its arguments ---- */

#define REPORT_ADAPTER(name, expr)                    \
    static singdiv_status name(const call_args *a)    \
    {                                                 \
        singdiv_report *r = a->out;                   \
        singdiv_status s = (expr);                    \
        if (r != NULL) {                              \
            *a->err = r->error;                       \
        }                                             \
        return s;                                     \
    }

#define PLAIN_ADAPTER(name, type, expr)               \
    static singdiv_status name(const call_args *a)    \
    {                                                 \
        type *r = a->out;                             \
        return (expr);                                \
    }

REPORT_ADAPTER(call_entropy, singdiv_entropy(a->in[0], a->n, a->opt, r))
REPORT_ADAPTER(call_cross_entropy, singdiv_cross_entropy(a->in[0], a->in[1], a->n, a->opt, r))
REPORT_ADAPTER(call_kl, singdiv_kl(a->in[0], a->in[1], a->n, a->opt, r))
REPORT_ADAPTER(call_js, singdiv_js(a->in[0], a->in[1], a->n, a->opt, r))
REPORT_ADAPTER(call_js_distance, singdiv_js_distance(a->in[0], a->in[1], a->n, a->opt, r))
REPORT_ADAPTER(call_renyi, singdiv_renyi(a->in[0], a->in[1], a->n, a->scalar, a->opt, r))
REPORT_ADAPTER(call_renyi_max, singdiv_renyi_max(a->in[0], a->in[1], a->n, a->opt, r))
REPORT_ADAPTER(call_pearson, singdiv_pearson_chi2(a->in[0], a->in[1], a->n, a->opt, r))
REPORT_ADAPTER(call_neyman, singdiv_neyman_chi2(a->in[0], a->in[1], a->n, a->opt, r))
REPORT_ADAPTER(call_jeffreys, singdiv_jeffreys(a->in[0], a->in[1], a->n, a->opt, r))
REPORT_ADAPTER(call_psi, singdiv_psi(a->in[0], a->in[1], a->n, a->opt, r))
REPORT_ADAPTER(call_tv, singdiv_total_variation(a->in[0], a->in[1], a->n, a->opt, r))
REPORT_ADAPTER(call_hellinger, singdiv_hellinger(a->in[0], a->in[1], a->n, a->opt, r))
REPORT_ADAPTER(call_hellinger2, singdiv_hellinger_squared(a->in[0], a->in[1], a->n, a->opt, r))
REPORT_ADAPTER(call_bc, singdiv_bhattacharyya_coefficient(a->in[0], a->in[1], a->n, a->opt, r))
REPORT_ADAPTER(call_angle, singdiv_bhattacharyya_angle(a->in[0], a->in[1], a->n, a->opt, r))
REPORT_ADAPTER(call_skew_js, singdiv_skew_js(a->in[0], a->in[1], a->n, a->scalar, a->opt, r))
REPORT_ADAPTER(call_smoothed_ce, singdiv_smoothed_cross_entropy(a->in[0], a->in[1], a->in[2],
                                                                a->n, a->scalar, a->opt, r))
REPORT_ADAPTER(call_smoothed_kl, singdiv_smoothed_kl(a->in[0], a->in[1], a->in[2], a->n,
                                                     a->scalar, a->opt, r))
REPORT_ADAPTER(call_lidstone_ce, singdiv_lidstone_cross_entropy(a->in[0], a->in[1], a->n,
                                                                a->scalar, a->opt, r))
REPORT_ADAPTER(call_lidstone_kl, singdiv_lidstone_kl(a->in[0], a->in[1], a->n, a->scalar,
                                                     a->opt, r))
REPORT_ADAPTER(call_target_ce, singdiv_target_smoothed_cross_entropy(a->in[0], a->in[1],
                                                                     a->in[2], a->n, a->scalar,
                                                                     a->opt, r))
REPORT_ADAPTER(call_logits_ce, singdiv_logits_cross_entropy(a->in[0], a->in[1], a->n,
                                                            a->scalar, a->opt, r))
REPORT_ADAPTER(call_logits_kl, singdiv_logits_kl(a->in[0], a->in[1], a->n, a->scalar, a->opt,
                                                 r))
REPORT_ADAPTER(call_logits_index, singdiv_logits_cross_entropy_index(1, a->in[0], a->n,
                                                                     a->scalar, a->opt, r))

PLAIN_ADAPTER(call_smoothing_slope, double,
              singdiv_smoothing_slope(a->in[0], a->in[1], a->in[2], a->n, a->scalar, a->opt, r))
PLAIN_ADAPTER(call_expansion, singdiv_expansion,
              singdiv_smoothing_expansion(a->in[0], a->in[1], a->in[2], a->n, a->opt, r))
PLAIN_ADAPTER(call_expansion_kl, singdiv_expansion,
              singdiv_smoothing_expansion_kl(a->in[0], a->in[1], a->in[2], a->n, a->opt, r))
PLAIN_ADAPTER(call_decompose, singdiv_smoothing_parts,
              singdiv_smoothing_decompose(a->in[0], a->in[1], a->in[2], a->n, a->scalar,
                                          SINGDIV_SMOOTHED_KL, a->opt, r))
PLAIN_ADAPTER(call_lidstone_slope, double,
              singdiv_lidstone_slope(a->in[0], a->in[1], a->n, a->scalar, a->opt, r))
PLAIN_ADAPTER(call_lidstone_expansion, singdiv_expansion,
              singdiv_lidstone_expansion(a->in[0], a->in[1], a->n,
                                         SINGDIV_SMOOTHED_CROSS_ENTROPY, a->opt, r))
PLAIN_ADAPTER(call_w1_hist, double,
              singdiv_w1_hist(a->in[0], a->in[1], a->in[2], a->n, a->opt, r))
PLAIN_ADAPTER(call_w1, double,
              singdiv_w1_samples(a->in[0], a->in[1], a->n, a->in[2], a->in[3], a->n, r))
PLAIN_ADAPTER(call_wk, double,
              singdiv_wk_samples(a->in[0], a->in[1], a->n, a->in[2], a->in[3], a->n,
                                 a->scalar, r))
PLAIN_ADAPTER(call_cdf, double,
              singdiv_cdf_distance_samples(a->in[0], a->in[1], a->n, a->in[2], a->in[3], a->n,
                                           a->scalar, r))

static singdiv_status
call_check_distribution(const call_args *a)
{
    return singdiv_check_distribution(a->in[0], a->n, a->opt, a->err);
}

static singdiv_status
call_check_samples(const call_args *a)
{
    return singdiv_check_samples(a->in[0], a->in[1], a->n, a->err);
}

static singdiv_status
call_check_support(const call_args *a)
{
    return singdiv_check_support(a->in[0], a->n, a->err);
}

static singdiv_status
call_logsumexp(const call_args *a)
{
    return singdiv_logsumexp(a->in[0], a->n, a->scalar, a->out, a->err);
}

/* Workspace for the Wasserstein workspace variants, sized in main() for the baseline. */
static void *w_space;
static size_t w_space_size;

static singdiv_status
call_w1_workspace(const call_args *a)
{
    return singdiv_w1_samples_workspace(a->in[0], a->in[1], a->n, a->in[2], a->in[3], a->n,
                                        w_space, w_space_size, a->out, a->err);
}

static singdiv_status
call_w1_sorted(const call_args *a)
{
    return singdiv_w1_samples_sorted(a->in[0], a->in[1], a->n, a->in[2], a->in[3], a->n,
                                     a->out, a->err);
}

static singdiv_status
call_wk_workspace(const call_args *a)
{
    return singdiv_wk_samples_workspace(a->in[0], a->in[1], a->n, a->in[2], a->in[3], a->n,
                                        a->scalar, w_space, w_space_size, a->out, a->err);
}

static singdiv_status
call_cdf_workspace(const call_args *a)
{
    return singdiv_cdf_distance_samples_workspace(a->in[0], a->in[1], a->n, a->in[2],
                                                  a->in[3], a->n, a->scalar, w_space,
                                                  w_space_size, a->out, a->err);
}

/*
 * float32 entry points: the double arrays are converted to float first
 * (NaN and infinities survive the conversion). A length beyond the
 * buffers is passed with the unconverted buffers, which the function must
 * reject before reading them.
 */
typedef singdiv_status (*f32_pair)(const float *, const float *, size_t,
                                   const singdiv_options *, singdiv_report *);

static singdiv_status
call_f32_pair(const call_args *a, f32_pair function, int single)
{
    float x[CAP], y[CAP];
    singdiv_report *r = a->out;
    singdiv_status s;

    memset(x, 0, sizeof x);
    memset(y, 0, sizeof y);
    for (size_t i = 0; i < CAP; i++) {
        if (a->in[0] != NULL) {
            x[i] = (float)a->in[0][i];
        }
        if (!single && a->in[1] != NULL) {
            y[i] = (float)a->in[1][i];
        }
    }
    s = function(a->in[0] == NULL ? NULL : x, single || a->in[1] == NULL ? NULL : y, a->n,
                 a->opt, r);
    if (r != NULL) {
        *a->err = r->error;
    }
    return s;
}

static singdiv_status
entropy_f32_as_pair(const float *p, const float *q, size_t n, const singdiv_options *opt,
                    singdiv_report *out)
{
    (void)q;
    return singdiv_entropy_f32(p, n, opt, out);
}

static singdiv_status
call_entropy_f32(const call_args *a)
{
    return call_f32_pair(a, entropy_f32_as_pair, 1);
}

static singdiv_status
call_ce_f32(const call_args *a)
{
    return call_f32_pair(a, singdiv_cross_entropy_f32, 0);
}

static singdiv_status
call_kl_f32(const call_args *a)
{
    return call_f32_pair(a, singdiv_kl_f32, 0);
}

static singdiv_status
call_js_f32(const call_args *a)
{
    return call_f32_pair(a, singdiv_js_f32, 0);
}

static singdiv_status
call_js_distance_f32(const call_args *a)
{
    return call_f32_pair(a, singdiv_js_distance_f32, 0);
}

/* ---- the functions and how each validates its arguments ---- */

#define PQ {ROLE_DIST, ROLE_DIST}, {"p", "q"}, "n"
#define PQR {ROLE_DIST, ROLE_DIST, ROLE_DIST_OPTIONAL}, {"p", "q", "r"}, "n"
#define SAMPLES {ROLE_SAMPLE, ROLE_WEIGHTS, ROLE_SAMPLE, ROLE_WEIGHTS}, \
                {"u", "u_weights", "v", "v_weights"}, "nu"

static const api_entry entries[] = {
    {"singdiv_entropy", call_entropy, {ROLE_DIST}, {"p"}, "n", SCALAR_NONE, NULL, 0, 1, 1},
    {"singdiv_cross_entropy", call_cross_entropy, PQ, SCALAR_NONE, NULL, 0, 1, 1},
    {"singdiv_kl", call_kl, PQ, SCALAR_NONE, NULL, 0, 1, 1},
    {"singdiv_js", call_js, PQ, SCALAR_NONE, NULL, 0, 1, 1},
    {"singdiv_js_distance", call_js_distance, PQ, SCALAR_NONE, NULL, 0, 1, 1},
    {"singdiv_check_distribution", call_check_distribution, {ROLE_DIST}, {"p"}, "n",
     SCALAR_NONE, NULL, 0, 1, 1},
    {"singdiv_renyi", call_renyi, PQ, SCALAR_ORDER, "alpha", 0.5, 1, 1},
    {"singdiv_renyi_max", call_renyi_max, PQ, SCALAR_NONE, NULL, 0, 1, 1},
    {"singdiv_pearson_chi2", call_pearson, PQ, SCALAR_NONE, NULL, 0, 1, 1},
    {"singdiv_neyman_chi2", call_neyman, PQ, SCALAR_NONE, NULL, 0, 1, 1},
    {"singdiv_jeffreys", call_jeffreys, PQ, SCALAR_NONE, NULL, 0, 1, 1},
    {"singdiv_psi", call_psi, PQ, SCALAR_NONE, NULL, 0, 1, 1},
    {"singdiv_total_variation", call_tv, PQ, SCALAR_NONE, NULL, 0, 1, 1},
    {"singdiv_hellinger", call_hellinger, PQ, SCALAR_NONE, NULL, 0, 1, 1},
    {"singdiv_hellinger_squared", call_hellinger2, PQ, SCALAR_NONE, NULL, 0, 1, 1},
    {"singdiv_bhattacharyya_coefficient", call_bc, PQ, SCALAR_NONE, NULL, 0, 1, 1},
    {"singdiv_bhattacharyya_angle", call_angle, PQ, SCALAR_NONE, NULL, 0, 1, 1},
    {"singdiv_skew_js", call_skew_js, PQ, SCALAR_OPEN_UNIT, "pi", 0.3, 1, 1},
    {"singdiv_smoothed_cross_entropy", call_smoothed_ce, PQR, SCALAR_OPEN_UNIT, "eps", 1e-3, 1,
     1},
    {"singdiv_smoothed_kl", call_smoothed_kl, PQR, SCALAR_OPEN_UNIT, "eps", 1e-3, 1, 1},
    {"singdiv_smoothing_slope", call_smoothing_slope, PQR, SCALAR_OPEN_UNIT, "eps", 1e-3, 1,
     0},
    {"singdiv_smoothing_expansion", call_expansion, PQR, SCALAR_NONE, NULL, 0, 1, 0},
    {"singdiv_smoothing_expansion_kl", call_expansion_kl, PQR, SCALAR_NONE, NULL, 0, 1, 0},
    {"singdiv_smoothing_decompose", call_decompose, PQR, SCALAR_OPEN_UNIT, "eps", 1e-3, 1, 0},
    {"singdiv_lidstone_cross_entropy", call_lidstone_ce, {ROLE_DIST, ROLE_COUNTS}, {"p", "c"},
     "n", SCALAR_POSITIVE, "alpha", 0.5, 1, 1},
    {"singdiv_lidstone_kl", call_lidstone_kl, {ROLE_DIST, ROLE_COUNTS}, {"p", "c"}, "n",
     SCALAR_POSITIVE, "alpha", 0.5, 1, 1},
    {"singdiv_lidstone_slope", call_lidstone_slope, {ROLE_DIST, ROLE_COUNTS}, {"p", "c"}, "n",
     SCALAR_POSITIVE, "alpha", 0.5, 1, 0},
    {"singdiv_lidstone_expansion", call_lidstone_expansion, {ROLE_DIST, ROLE_COUNTS},
     {"p", "c"}, "n", SCALAR_NONE, NULL, 0, 1, 0},
    {"singdiv_target_smoothed_cross_entropy", call_target_ce,
     {ROLE_DIST, ROLE_DIST, ROLE_DIST_OPTIONAL}, {"p", "q", "u"}, "n", SCALAR_OPEN_UNIT, "eps",
     0.1, 1, 1},
    {"singdiv_logsumexp", call_logsumexp, {ROLE_LOGITS}, {"logits"}, "k", SCALAR_POSITIVE,
     "temperature", 1.5, 0, 1},
    {"singdiv_logits_cross_entropy", call_logits_ce, {ROLE_DIST, ROLE_LOGITS},
     {"p", "logits"}, "k", SCALAR_POSITIVE, "temperature", 1.5, 1, 1},
    {"singdiv_logits_kl", call_logits_kl, {ROLE_DIST, ROLE_LOGITS}, {"p", "logits"}, "k",
     SCALAR_POSITIVE, "temperature", 1.5, 1, 1},
    {"singdiv_logits_cross_entropy_index", call_logits_index, {ROLE_LOGITS}, {"logits"}, "k",
     SCALAR_POSITIVE, "temperature", 1.5, 1, 1},
    {"singdiv_entropy_f32", call_entropy_f32, {ROLE_DIST}, {"p"}, "n", SCALAR_NONE, NULL, 0, 1,
     1},
    {"singdiv_cross_entropy_f32", call_ce_f32, PQ, SCALAR_NONE, NULL, 0, 1, 1},
    {"singdiv_kl_f32", call_kl_f32, PQ, SCALAR_NONE, NULL, 0, 1, 1},
    {"singdiv_js_f32", call_js_f32, PQ, SCALAR_NONE, NULL, 0, 1, 1},
    {"singdiv_js_distance_f32", call_js_distance_f32, PQ, SCALAR_NONE, NULL, 0, 1, 1},
    {"singdiv_check_samples", call_check_samples, {ROLE_SAMPLE, ROLE_WEIGHTS},
     {"values", "weights"}, "n", SCALAR_NONE, NULL, 0, 0, 1},
    {"singdiv_check_support", call_check_support, {ROLE_SUPPORT}, {"x"}, "n", SCALAR_NONE,
     NULL, 0, 0, 1},
    {"singdiv_w1_hist", call_w1_hist, {ROLE_SUPPORT, ROLE_DIST, ROLE_DIST}, {"x", "p", "q"},
     "n", SCALAR_NONE, NULL, 0, 1, 0},
    {"singdiv_w1_samples", call_w1, SAMPLES, SCALAR_NONE, NULL, 0, 0, 0},
    {"singdiv_w1_samples_workspace", call_w1_workspace, SAMPLES, SCALAR_NONE, NULL, 0, 0, 1},
    {"singdiv_w1_samples_sorted", call_w1_sorted,
     {ROLE_SORTED, ROLE_WEIGHTS, ROLE_SORTED, ROLE_WEIGHTS}, {"u", "u_weights", "v", "v_weights"},
     "nu", SCALAR_NONE, NULL, 0, 0, 1},
    {"singdiv_wk_samples", call_wk, SAMPLES, SCALAR_AT_LEAST_ONE, "k", 2.0, 0, 0},
    {"singdiv_wk_samples_workspace", call_wk_workspace, SAMPLES, SCALAR_AT_LEAST_ONE, "k", 2.0,
     0, 1},
    {"singdiv_cdf_distance_samples", call_cdf, SAMPLES, SCALAR_AT_LEAST_ONE, "k", 2.0, 0, 0},
    {"singdiv_cdf_distance_samples_workspace", call_cdf_workspace, SAMPLES,
     SCALAR_AT_LEAST_ONE, "k", 2.0, 0, 1},
};
#define ENTRY_COUNT (sizeof entries / sizeof entries[0])

/* ---- baseline inputs and mutations ---- */

static void
fill_baseline(role r, double *x)
{
    static const double dist[LEN] = {0.1, 0.2, 0.3, 0.0, 0.25, 0.15};
    static const double counts[LEN] = {3.0, 0.0, 5.0, 1.0, 2.0, 7.0};
    static const double logits[LEN] = {0.5, -1.25, 2.0, -HUGE_VAL, 0.75, -3.0};
    static const double sample[LEN] = {3.5, -1.0, 2.25, 5.0, 0.0, 4.75};

    for (size_t i = 0; i < CAP; i++) {
        size_t j = i % LEN;

        switch (r) {
        case ROLE_DIST:
        case ROLE_DIST_OPTIONAL: x[i] = i < LEN ? dist[j] : 0.0; break;
        case ROLE_COUNTS:
        case ROLE_WEIGHTS: x[i] = counts[j]; break;
        case ROLE_LOGITS: x[i] = logits[j]; break;
        case ROLE_SAMPLE: x[i] = sample[j]; break;
        case ROLE_SORTED: x[i] = j < 2 ? -1.0 + 0.5 * (double)j : (double)i; break;
        case ROLE_SUPPORT: x[i] = (double)i * 0.5; break;
        default: x[i] = 0.0; break;
        }
    }
}

typedef enum mutation {
    MUT_NONE,
    MUT_NULL,
    MUT_NAN,
    MUT_POS_INF,
    MUT_NEG_INF,
    MUT_NEGATIVE,
    MUT_NEGATIVE_ZERO,
    MUT_ALL_ZERO,
    MUT_SUM_OFF,
    MUT_SUBNORMAL,
    MUT_COUNT
} mutation;

static const char *const mutation_names[MUT_COUNT] = {
    "none", "NULL", "NaN", "+inf", "-inf", "negative", "-0.0", "all zero", "sum 1.5",
    "subnormal"};

/* The entry that each mutation changes, and so the index an error must name. */
static const size_t mutated_index[MUT_COUNT] = {
    0, SINGDIV_NO_INDEX, 2, 2, 2, 1, 3, SINGDIV_NO_INDEX, SINGDIV_NO_INDEX, 4};

typedef struct expectation {
    singdiv_status status;
    size_t index;
} expectation;

/* What a function must return when array argument of role r is mutated. */
static expectation
expect_for(role r, mutation m)
{
    expectation ok = {SINGDIV_OK, SINGDIV_NO_INDEX};
    expectation e = {SINGDIV_OK, mutated_index[m]};

    switch (m) {
    case MUT_NULL:
        e.status = (r == ROLE_DIST_OPTIONAL || r == ROLE_WEIGHTS) ? SINGDIV_OK : SINGDIV_ERR_NULL;
        return e;
    case MUT_NAN: e.status = SINGDIV_ERR_NAN; return e;
    case MUT_POS_INF: e.status = SINGDIV_ERR_INFINITE; return e;
    case MUT_NEG_INF:
        e.status = r == ROLE_LOGITS ? SINGDIV_OK : SINGDIV_ERR_INFINITE;
        return e;
    case MUT_NEGATIVE:
        if (r == ROLE_LOGITS || r == ROLE_SAMPLE || r == ROLE_SORTED) {
            return ok;
        }
        e.status = r == ROLE_SUPPORT ? SINGDIV_ERR_UNSORTED : SINGDIV_ERR_NEGATIVE;
        return e;
    case MUT_NEGATIVE_ZERO:
        e.status = (r == ROLE_SUPPORT || r == ROLE_SORTED) ? SINGDIV_ERR_UNSORTED : SINGDIV_OK;
        return e;
    case MUT_ALL_ZERO:
        if (r == ROLE_LOGITS || r == ROLE_SAMPLE || r == ROLE_SORTED) {
            return ok;
        }
        if (r == ROLE_SUPPORT) {
            e.status = SINGDIV_ERR_UNSORTED;
            e.index = 1;
            return e;
        }
        e.status = SINGDIV_ERR_ZERO_MASS;
        return e;
    case MUT_SUM_OFF:
        e.status = (r == ROLE_DIST || r == ROLE_DIST_OPTIONAL) ? SINGDIV_ERR_NOT_NORMALIZED
                                                              : SINGDIV_OK;
        return e;
    default:
        return ok;
    }
}

static void
apply(mutation m, double *x)
{
    switch (m) {
    case MUT_NAN: x[2] = (double)NAN; break;
    case MUT_POS_INF: x[2] = HUGE_VAL; break;
    case MUT_NEG_INF: x[2] = -HUGE_VAL; break;
    case MUT_NEGATIVE: x[1] = -0.25; break;
    case MUT_NEGATIVE_ZERO: x[3] = -0.0; break;
    case MUT_ALL_ZERO: memset(x, 0, CAP * sizeof x[0]); break;
    case MUT_SUM_OFF:
        for (size_t i = 0; i < CAP; i++) {
            x[i] *= 1.5;
        }
        break;
    case MUT_SUBNORMAL: x[4] = x[4] == 0.0 ? DBL_TRUE_MIN : x[4]; break;
    default: break;
    }
}

/* ---- running one call with guards ---- */

typedef struct harness {
    const api_entry *entry;
    double arrays[4][CAP];
    double copies[4][CAP];
    const double *pointers[4];
    singdiv_options options;
    const singdiv_options *opt;
    size_t n;
    double scalar;
    int null_out;
    int failures;
} harness;

static void
reset(harness *h, const api_entry *e)
{
    h->entry = e;
    for (int s = 0; s < 4; s++) {
        fill_baseline(e->roles[s], h->arrays[s]);
        h->pointers[s] = e->roles[s] == ROLE_NONE ? NULL : h->arrays[s];
    }
    singdiv_options_init(&h->options);
    h->opt = e->takes_opt ? &h->options : NULL;
    h->n = LEN;
    h->scalar = e->scalar_value;
    h->null_out = 0;
}

static int
guard_intact(const unsigned char *bytes, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        if (bytes[i] != GUARD_BYTE) {
            return 0;
        }
    }
    return 1;
}

/*
 * Calls the function of h and checks the status, the error detail, the
 * guard bytes and the inputs. expected_argument NULL skips the name check.
 */
static void
run(harness *h, const char *what, singdiv_status expected, const char *expected_argument,
    size_t expected_index)
{
    static _Alignas(max_align_t) unsigned char area[GUARD + AREA + GUARD];
    singdiv_error err;
    call_args a;
    singdiv_status s;
    const api_entry *e = h->entry;

    memcpy(h->copies, h->arrays, sizeof h->arrays);
    memset(area, GUARD_BYTE, sizeof area);
    memset(&err, 0, sizeof err);
    err.status = (singdiv_status)-1;
    for (int i = 0; i < 4; i++) {
        a.in[i] = h->pointers[i];
    }
    a.n = h->n;
    a.opt = h->opt;
    a.scalar = h->scalar;
    a.out = h->null_out ? NULL : area + GUARD;
    a.err = &err;

    s = e->call(&a);

    if (s != expected) {
        print_error("%s, %s: returned %s, expected %s\n", e->function, what,
                    singdiv_status_name(s), singdiv_status_name(expected));
        h->failures++;
    }
    if (memcmp(h->copies, h->arrays, sizeof h->arrays) != 0) {
        print_error("%s, %s: an input array was modified\n", e->function, what);
        h->failures++;
    }
    if (h->null_out) {
        if (!guard_intact(area, 0, sizeof area)) {
            print_error("%s, %s: wrote through a NULL output\n", e->function, what);
            h->failures++;
        }
        return;
    }
    if (!guard_intact(area, 0, GUARD)) {
        print_error("%s, %s: wrote before its output\n", e->function, what);
        h->failures++;
    }
    /* The largest output struct ends well before AREA: the tail must be untouched. */
    if (!guard_intact(area, GUARD + 256, sizeof area)) {
        print_error("%s, %s: wrote past its output\n", e->function, what);
        h->failures++;
    }
    if (!e->has_detail || s != expected) {
        return;
    }
    if (err.status != s) {
        print_error("%s, %s: error.status %s differs from the returned %s\n", e->function, what,
                    singdiv_status_name(err.status), singdiv_status_name(s));
        h->failures++;
    }
    if (s == SINGDIV_OK) {
        if (err.argument != NULL) {
            print_error("%s, %s: success names argument %s\n", e->function, what,
                        err.argument);
            h->failures++;
        }
        return;
    }
    if (err.argument == NULL ||
        (expected_argument != NULL && strcmp(err.argument, expected_argument) != 0)) {
        print_error("%s, %s: error names argument %s, expected %s\n", e->function, what,
                    err.argument == NULL ? "(null)" : err.argument,
                    expected_argument == NULL ? "a parameter" : expected_argument);
        h->failures++;
    }
    if (expected_index != ANY_INDEX && err.index != expected_index) {
        print_error("%s, %s: error index %zu, expected %zu\n", e->function, what, err.index,
                    expected_index);
        h->failures++;
    }
}

static void
check_arrays(harness *h)
{
    const api_entry *e = h->entry;
    char what[96];

    for (int s = 0; s < 4; s++) {
        if (e->roles[s] == ROLE_NONE) {
            continue;
        }
        for (int m = MUT_NULL; m < MUT_COUNT; m++) {
            expectation x = expect_for(e->roles[s], (mutation)m);

            reset(h, e);
            if (m == MUT_NULL) {
                h->pointers[s] = NULL;
            } else {
                apply((mutation)m, h->arrays[s]);
            }
            snprintf(what, sizeof what, "%s %s", e->names[s], mutation_names[m]);
            run(h, what, x.status, e->names[s], x.index);
        }
    }
}

static void
check_sizes_and_options(harness *h)
{
    const api_entry *e = h->entry;

    reset(h, e);
    run(h, "baseline", SINGDIV_OK, NULL, ANY_INDEX);

    reset(h, e);
    h->null_out = 1;
    if (e->call != call_check_distribution && e->call != call_check_samples &&
        e->call != call_check_support) {
        run(h, "NULL output", SINGDIV_ERR_NULL, NULL, ANY_INDEX);
    }

    reset(h, e);
    h->n = 0;
    run(h, "length 0", SINGDIV_ERR_EMPTY, NULL, SINGDIV_NO_INDEX);

    /* n doubles need more than PTRDIFF_MAX bytes: rejected before any entry is read. */
    reset(h, e);
    h->n = (size_t)PTRDIFF_MAX / sizeof(double) + 1;
    run(h, "length overflowing", SINGDIV_ERR_SIZE_OVERFLOW, NULL, SINGDIV_NO_INDEX);

    if (e->takes_opt) {
        static const double bad_bases[] = {1.0, -2.0, (double)NAN, HUGE_VAL};

        for (size_t i = 0; i < sizeof bad_bases / sizeof bad_bases[0]; i++) {
            reset(h, e);
            h->options.base = bad_bases[i];
            run(h, "invalid opt->base", SINGDIV_ERR_DOMAIN, "opt->base", SINGDIV_NO_INDEX);
        }
        reset(h, e);
        h->options.sum_tolerance = (double)NAN;
        run(h, "NaN opt->sum_tolerance", SINGDIV_ERR_DOMAIN, "opt->sum_tolerance",
            SINGDIV_NO_INDEX);
        reset(h, e);
        h->options.sum_tolerance = -1e-3;
        run(h, "negative opt->sum_tolerance", SINGDIV_ERR_DOMAIN, "opt->sum_tolerance",
            SINGDIV_NO_INDEX);
        reset(h, e);
        h->options.base = 2.0;
        run(h, "base 2", SINGDIV_OK, NULL, ANY_INDEX);
        reset(h, e);
        h->options.normalize = 1;
        for (int s = 0; s < 4; s++) {
            if (e->roles[s] == ROLE_DIST || e->roles[s] == ROLE_DIST_OPTIONAL) {
                apply(MUT_SUM_OFF, h->arrays[s]);
            }
        }
        run(h, "sums off 1 with normalize", SINGDIV_OK, NULL, ANY_INDEX);
    }
}

static void
check_scalar(harness *h)
{
    const api_entry *e = h->entry;
    const double bad_order[] = {0.0, -1.0, (double)NAN, -HUGE_VAL};
    const double bad_unit[] = {0.0, 1.0, -0.5, 1.5, (double)NAN, HUGE_VAL};
    const double bad_positive[] = {0.0, -1.0, (double)NAN, HUGE_VAL, -HUGE_VAL};
    const double bad_k[] = {0.5, 0.0, -2.0, (double)NAN, -HUGE_VAL};
    const double *bad = NULL;
    size_t count = 0;

    switch (e->scalar) {
    case SCALAR_ORDER: bad = bad_order; count = sizeof bad_order / sizeof bad_order[0]; break;
    case SCALAR_OPEN_UNIT: bad = bad_unit; count = sizeof bad_unit / sizeof bad_unit[0]; break;
    case SCALAR_POSITIVE:
        bad = bad_positive;
        count = sizeof bad_positive / sizeof bad_positive[0];
        break;
    case SCALAR_AT_LEAST_ONE: bad = bad_k; count = sizeof bad_k / sizeof bad_k[0]; break;
    default: return;
    }
    for (size_t i = 0; i < count; i++) {
        char what[64];

        reset(h, e);
        h->scalar = bad[i];
        snprintf(what, sizeof what, "%s = %g", e->scalar_name, bad[i]);
        run(h, what, SINGDIV_ERR_DOMAIN, e->scalar_name, SINGDIV_NO_INDEX);
    }
    /* Valid extremes: the smallest subnormal where it is in range, +inf where allowed. */
    reset(h, e);
    h->scalar = e->scalar == SCALAR_AT_LEAST_ONE ? HUGE_VAL : DBL_TRUE_MIN;
    if (e->scalar == SCALAR_ORDER) {
        h->scalar = HUGE_VAL;
    }
    run(h, "extreme valid scalar", SINGDIV_OK, NULL, ANY_INDEX);
}

static void
contract_of_entry(void **state)
{
    const api_entry *e = *state;
    harness h;

    memset(&h, 0, sizeof h);
    h.entry = e;
    check_sizes_and_options(&h);
    check_arrays(&h);
    check_scalar(&h);
    if (h.failures != 0) {
        print_error("%s: %d contract violations\n", e->function, h.failures);
    }
    assert_int_equal(h.failures, 0);
}

/* ---- MMD: samples of LEN points in DIM dimensions ---- */

typedef struct mmd_inputs {
    double x[CAP * DIM];
    double y[CAP * DIM];
    size_t n, m, d;
    singdiv_kernel kernel;
    singdiv_mmd_estimator estimator;
} mmd_inputs;

static void
mmd_reset(mmd_inputs *in)
{
    for (size_t i = 0; i < CAP * DIM; i++) {
        in->x[i] = sin((double)i * 0.7);
        in->y[i] = cos((double)i * 0.4) + 0.3;
    }
    in->n = LEN;
    in->m = LEN - 1;
    in->d = DIM;
    in->kernel.type = SINGDIV_KERNEL_GAUSSIAN;
    in->kernel.bandwidth = 0.9;
    in->estimator = SINGDIV_MMD_UNBIASED;
}

typedef struct mmd_case {
    const char *what;
    singdiv_status status;
    const char *argument;
    size_t index;
} mmd_case;

/* Applies case number c to in and returns its expectation. */
static mmd_case
mmd_mutate(int c, mmd_inputs *in)
{
    switch (c) {
    case 0: return (mmd_case){"baseline", SINGDIV_OK, NULL, ANY_INDEX};
    case 1: in->n = 0; return (mmd_case){"n = 0", SINGDIV_ERR_EMPTY, "n", SINGDIV_NO_INDEX};
    case 2: in->m = 0; return (mmd_case){"m = 0", SINGDIV_ERR_EMPTY, "m", SINGDIV_NO_INDEX};
    case 3: in->d = 0; return (mmd_case){"d = 0", SINGDIV_ERR_EMPTY, "d", SINGDIV_NO_INDEX};
    case 4:
        /* n * d overflows size_t itself, not only the byte count. */
        in->n = SIZE_MAX / 2;
        in->d = 3;
        return (mmd_case){"n * d overflows", SINGDIV_ERR_SIZE_OVERFLOW, NULL, SINGDIV_NO_INDEX};
    case 5:
        in->m = (size_t)PTRDIFF_MAX / sizeof(double) / DIM + 1;
        return (mmd_case){"m * d * 8 overflows", SINGDIV_ERR_SIZE_OVERFLOW, NULL,
                          SINGDIV_NO_INDEX};
    case 6: in->x[5] = (double)NAN; return (mmd_case){"x NaN", SINGDIV_ERR_NAN, "x", 5};
    case 7: in->y[3] = HUGE_VAL; return (mmd_case){"y +inf", SINGDIV_ERR_INFINITE, "y", 3};
    case 8: in->x[0] = -HUGE_VAL; return (mmd_case){"x -inf", SINGDIV_ERR_INFINITE, "x", 0};
    case 9:
        in->kernel.bandwidth = 0.0;
        return (mmd_case){"bandwidth 0", SINGDIV_ERR_DOMAIN, "kernel->bandwidth",
                          SINGDIV_NO_INDEX};
    case 10:
        in->kernel.bandwidth = -1.0;
        return (mmd_case){"bandwidth < 0", SINGDIV_ERR_DOMAIN, "kernel->bandwidth",
                          SINGDIV_NO_INDEX};
    case 11:
        in->kernel.bandwidth = (double)NAN;
        return (mmd_case){"bandwidth NaN", SINGDIV_ERR_DOMAIN, "kernel->bandwidth",
                          SINGDIV_NO_INDEX};
    case 12:
        in->kernel.bandwidth = HUGE_VAL;
        return (mmd_case){"bandwidth +inf", SINGDIV_ERR_DOMAIN, "kernel->bandwidth",
                          SINGDIV_NO_INDEX};
    case 13:
        in->kernel.type = (singdiv_kernel_type)7;
        return (mmd_case){"unknown kernel", SINGDIV_ERR_DOMAIN, NULL, SINGDIV_NO_INDEX};
    case 14:
        in->estimator = (singdiv_mmd_estimator)5;
        return (mmd_case){"unknown estimator", SINGDIV_ERR_DOMAIN, NULL, SINGDIV_NO_INDEX};
    case 15:
        in->m = 1;
        return (mmd_case){"unbiased with m = 1", SINGDIV_ERR_TOO_FEW_SAMPLES, NULL,
                          SINGDIV_NO_INDEX};
    case 16:
        in->kernel.bandwidth = DBL_TRUE_MIN;
        in->x[2] = 1e300;
        return (mmd_case){"bandwidth too small for the data", SINGDIV_ERR_DOMAIN,
                          "kernel->bandwidth", SINGDIV_NO_INDEX};
    default: return (mmd_case){NULL, SINGDIV_OK, NULL, 0};
    }
}

static int
check_detail(const char *function, const char *what, singdiv_status s, const mmd_case *c,
             const singdiv_error *err)
{
    int failures = 0;

    if (s != c->status) {
        print_error("%s, %s: returned %s, expected %s\n", function, what,
                    singdiv_status_name(s), singdiv_status_name(c->status));
        return 1;
    }
    if (err == NULL) {
        return 0;
    }
    if (err->status != s) {
        print_error("%s, %s: error.status differs\n", function, what);
        failures++;
    }
    if (s == SINGDIV_OK) {
        return failures + (err->argument != NULL);
    }
    if (err->argument == NULL || (c->argument != NULL && strcmp(err->argument, c->argument))) {
        print_error("%s, %s: error names %s, expected %s\n", function, what,
                    err->argument == NULL ? "(null)" : err->argument,
                    c->argument == NULL ? "a parameter" : c->argument);
        failures++;
    }
    if (c->index != ANY_INDEX && err->index != c->index) {
        print_error("%s, %s: error index %zu, expected %zu\n", function, what, err->index,
                    c->index);
        failures++;
    }
    return failures;
}

static void
mmd_functions_reject_bad_input(void **state)
{
    static double work[1 << 14];
    int failures = 0;

    (void)state;
    for (int c = 0;; c++) {
        mmd_inputs in;
        mmd_case expect;
        singdiv_error err;
        double out = -1.0;
        singdiv_mmd_test_result test;
        size_t count = 0;

        mmd_reset(&in);
        expect = mmd_mutate(c, &in);
        if (expect.what == NULL) {
            break;
        }
        failures += check_detail("singdiv_mmd2", expect.what,
                                 singdiv_mmd2(in.x, in.n, in.y, in.m, in.d, &in.kernel,
                                              in.estimator, &out),
                                 &expect, NULL);
        if (expect.status != SINGDIV_OK && out != -1.0) {
            print_error("singdiv_mmd2, %s: wrote *out on failure\n", expect.what);
            failures++;
        }
        failures += check_detail("singdiv_mmd2_ex", expect.what,
                                 singdiv_mmd2_ex(in.x, in.n, in.y, in.m, in.d, &in.kernel,
                                                 in.estimator, work,
                                                 sizeof work / sizeof work[0], &out, &err),
                                 &expect, &err);
        failures += check_detail("singdiv_mmd_test", expect.what,
                                 singdiv_mmd_test(in.x, in.n, in.y, in.m, in.d, &in.kernel,
                                                  in.estimator, 9, 42u, SIZE_MAX, &test, &err),
                                 &expect, &err);
        if (c == 13 || c == 14 || c == 15 || c == 16) {
            continue; /* the kernel and estimator do not concern the bandwidth rule */
        }
        if (c >= 9) {
            expect = (mmd_case){"kernel ignored", SINGDIV_OK, NULL, ANY_INDEX};
        }
        failures += check_detail("singdiv_median_bandwidth", expect.what,
                                 singdiv_median_bandwidth(in.x, in.n, in.y, in.m, in.d, &out),
                                 &expect, NULL);
        (void)singdiv_median_bandwidth_workspace_size(LEN, LEN, 0, &count);
        failures += check_detail("singdiv_median_bandwidth_ex", expect.what,
                                 singdiv_median_bandwidth_ex(in.x, in.n, in.y, in.m, in.d, 0,
                                                             work, sizeof work / sizeof work[0],
                                                             &out, &err),
                                 &expect, &err);
    }
    assert_int_equal(failures, 0);
}

static void
mmd_null_and_workspace_errors(void **state)
{
    mmd_inputs in;
    double work[4];
    double out = 0.0;
    size_t count = 0;
    singdiv_error err;
    singdiv_mmd_test_result test;

    (void)state;
    mmd_reset(&in);
    check_status(singdiv_mmd2(NULL, in.n, in.y, in.m, in.d, &in.kernel, in.estimator, &out),
                 SINGDIV_ERR_NULL);
    check_status(singdiv_mmd2(in.x, in.n, NULL, in.m, in.d, &in.kernel, in.estimator, &out),
                 SINGDIV_ERR_NULL);
    check_status(singdiv_mmd2(in.x, in.n, in.y, in.m, in.d, NULL, in.estimator, &out),
                 SINGDIV_ERR_NULL);
    check_status(singdiv_mmd2(in.x, in.n, in.y, in.m, in.d, &in.kernel, in.estimator, NULL),
                 SINGDIV_ERR_NULL);
    check_status(singdiv_mmd_test(in.x, in.n, in.y, in.m, in.d, &in.kernel, in.estimator, 9, 1,
                                  0, NULL, &err),
                 SINGDIV_ERR_NULL);
    check_status(singdiv_mmd_test(in.x, in.n, in.y, in.m, in.d, &in.kernel, in.estimator, 0, 1,
                                  0, &test, &err),
                 SINGDIV_ERR_DOMAIN);
    check_status(singdiv_mmd2_ex(in.x, in.n, in.y, in.m, in.d, &in.kernel, in.estimator, work,
                                 4, &out, &err),
                 SINGDIV_ERR_WORKSPACE);
    check_status(singdiv_mmd2_ex(in.x, in.n, in.y, in.m, in.d, &in.kernel, in.estimator, NULL,
                                 0, &out, &err),
                 SINGDIV_OK);
    check_status(singdiv_mmd2_workspace_size(DIM, NULL), SINGDIV_ERR_NULL);
    check_status(singdiv_mmd2_workspace_size(0, &count), SINGDIV_ERR_EMPTY);
    check_status(singdiv_mmd2_workspace_size(SIZE_MAX, &count), SINGDIV_ERR_SIZE_OVERFLOW);
    check_status(singdiv_median_bandwidth_workspace_size(0, 0, 0, &count), SINGDIV_ERR_EMPTY);
    check_status(singdiv_median_bandwidth_workspace_size(5, 5, 1, &count), SINGDIV_ERR_DOMAIN);
    check_status(singdiv_median_bandwidth_workspace_size(SIZE_MAX / 2, 2, 0, &count),
                 SINGDIV_ERR_SIZE_OVERFLOW);
    check_status(singdiv_median_bandwidth_workspace_size(5, 5, 0, NULL), SINGDIV_ERR_NULL);
    check_status(singdiv_median_bandwidth_ex(in.x, in.n, in.y, in.m, in.d, 0, work, 4, &out,
                                             &err),
                 SINGDIV_ERR_WORKSPACE);
    /* All points equal: no scale for the median rule. */
    memset(in.x, 0, sizeof in.x);
    memset(in.y, 0, sizeof in.y);
    check_status(singdiv_median_bandwidth(in.x, in.n, in.y, in.m, in.d, &out),
                 SINGDIV_ERR_DOMAIN);
}

static void
mmd_weighted_rejects_bad_input(void **state)
{
    double p[LEN] = {0.1, 0.2, 0.3, 0.0, 0.25, 0.15};
    double q[LEN] = {0.2, 0.2, 0.2, 0.2, 0.1, 0.1};
    double z[LEN * DIM];
    singdiv_kernel kernel = {SINGDIV_KERNEL_LAPLACIAN, 1.5};
    singdiv_options opt;
    singdiv_error err;
    double out = 0.0;

    (void)state;
    for (size_t i = 0; i < LEN * DIM; i++) {
        z[i] = (double)i * 0.25;
    }
    singdiv_options_init(&opt);
    check_status(singdiv_mmd2_weighted(p, q, z, LEN, DIM, &kernel, &opt, &out, &err),
                 SINGDIV_OK);
    check_status(singdiv_mmd2_weighted(NULL, q, z, LEN, DIM, &kernel, &opt, &out, &err),
                 SINGDIV_ERR_NULL);
    check_status(singdiv_mmd2_weighted(p, q, NULL, LEN, DIM, &kernel, &opt, &out, &err),
                 SINGDIV_ERR_NULL);
    check_status(singdiv_mmd2_weighted(p, q, z, 0, DIM, &kernel, &opt, &out, &err),
                 SINGDIV_ERR_EMPTY);
    check_status(singdiv_mmd2_weighted(p, q, z, SIZE_MAX / 2, 3, &kernel, &opt, &out, &err),
                 SINGDIV_ERR_SIZE_OVERFLOW);
    p[4] = (double)NAN;
    check_status(singdiv_mmd2_weighted(p, q, z, LEN, DIM, &kernel, &opt, &out, &err),
                 SINGDIV_ERR_NAN);
    assert_string_equal(err.argument, "p");
    check_size(err.index, 4);
    p[4] = 0.25;
    q[1] = -0.2;
    check_status(singdiv_mmd2_weighted(p, q, z, LEN, DIM, &kernel, &opt, &out, &err),
                 SINGDIV_ERR_NEGATIVE);
    assert_string_equal(err.argument, "q");
    check_size(err.index, 1);
    q[1] = 0.2;
    z[7] = HUGE_VAL;
    check_status(singdiv_mmd2_weighted(p, q, z, LEN, DIM, &kernel, &opt, &out, &err),
                 SINGDIV_ERR_INFINITE);
    assert_string_equal(err.argument, "z");
    check_size(err.index, 7);
    z[7] = 1.0;
    q[0] = 0.5;
    check_status(singdiv_mmd2_weighted(p, q, z, LEN, DIM, &kernel, &opt, &out, &err),
                 SINGDIV_ERR_NOT_NORMALIZED);
    assert_string_equal(err.argument, "q");
    q[0] = 0.2;
    kernel.bandwidth = -3.0;
    check_status(singdiv_mmd2_weighted(p, q, z, LEN, DIM, &kernel, &opt, &out, &err),
                 SINGDIV_ERR_DOMAIN);
    assert_string_equal(err.argument, "kernel->bandwidth");
}

/* ---- functions with their own argument shapes ---- */

static void
sets_reject_bad_input_and_respect_capacity(void **state)
{
    const double p[LEN] = {0.1, 0.2, 0.3, 0.0, 0.25, 0.15};
    const double q[LEN] = {0.0, 0.4, 0.0, 0.3, 0.3, 0.0};
    const double bad[LEN] = {0.1, (double)NAN, 0.3, 0.0, 0.25, 0.15};
    size_t indices[8];
    size_t count = 99;

    (void)state;
    for (size_t i = 0; i < 8; i++) {
        indices[i] = 777;
    }
    /* V = {0, 2, 5}: a capacity of 2 writes two indices and reports 3. */
    check_status(singdiv_violating_set(p, q, LEN, NULL, indices, 2, &count), SINGDIV_OK);
    check_size(count, 3);
    check_size(indices[0], 0);
    check_size(indices[1], 2);
    check_size(indices[2], 777);
    check_status(singdiv_violating_set(p, q, LEN, NULL, NULL, 0, &count), SINGDIV_OK);
    check_size(count, 3);
    check_status(singdiv_reverse_set(p, q, LEN, NULL, indices, 8, &count), SINGDIV_OK);
    check_size(count, 1);
    check_size(indices[0], 3);
    check_status(singdiv_violating_set(NULL, q, LEN, NULL, indices, 8, &count),
                 SINGDIV_ERR_NULL);
    check_status(singdiv_violating_set(p, q, LEN, NULL, indices, 8, NULL), SINGDIV_ERR_NULL);
    check_status(singdiv_violating_set(p, q, LEN, NULL, NULL, 4, &count), SINGDIV_ERR_NULL);
    check_status(singdiv_reverse_set(p, q, 0, NULL, indices, 8, &count), SINGDIV_ERR_EMPTY);
    check_status(singdiv_reverse_set(p, bad, LEN, NULL, indices, 8, &count), SINGDIV_ERR_NAN);
    check_status(singdiv_reverse_set(p, q, (size_t)PTRDIFF_MAX, NULL, indices, 8, &count),
                 SINGDIV_ERR_SIZE_OVERFLOW);
}

static void
report_compare_rejects_null_and_nan(void **state)
{
    singdiv_report a, b;
    int order = 5;

    (void)state;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    a.violating_mass = 0.5;
    a.finite_part = 1.0;
    a.value = HUGE_VAL;
    b.violating_mass = 0.25;
    b.finite_part = 9.0;
    b.value = HUGE_VAL;
    check_status(singdiv_report_compare(&a, &b, &order), SINGDIV_OK);
    assert_int_equal(order, 1);
    check_status(singdiv_report_compare(NULL, &b, &order), SINGDIV_ERR_NULL);
    check_status(singdiv_report_compare(&a, NULL, &order), SINGDIV_ERR_NULL);
    check_status(singdiv_report_compare(&a, &b, NULL), SINGDIV_ERR_NULL);
    a.violating_mass = (double)NAN;
    check_status(singdiv_report_compare(&a, &b, &order), SINGDIV_ERR_NAN);
}

static void
small_queries_accept_any_value(void **state)
{
    (void)state;
    singdiv_options_init(NULL);
    assert_string_equal(singdiv_status_name((singdiv_status)-1), "SINGDIV_UNKNOWN_STATUS");
    assert_string_equal(singdiv_status_name((singdiv_status)SINGDIV_STATUS_COUNT),
                        "SINGDIV_UNKNOWN_STATUS");
    assert_non_null(singdiv_strerror((singdiv_status)1000));
    assert_null(singdiv_divergence_name((singdiv_divergence)SINGDIV_DIVERGENCE_COUNT));
    assert_null(singdiv_divergence_name((singdiv_divergence)-3));
    assert_int_equal(singdiv_version_number(), SINGDIV_VERSION_NUMBER);
    assert_non_null(singdiv_version_string());
    assert_true(singdiv_w1_samples_workspace_size(SIZE_MAX, SIZE_MAX) == SIZE_MAX);
}

static void
logits_reject_all_minus_infinity_and_bad_target(void **state)
{
    const double logits[3] = {-HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
    const double ok_logits[3] = {0.5, 1.0, -HUGE_VAL};
    const double p[3] = {0.5, 0.5, 0.0};
    singdiv_report r;
    singdiv_error err;
    double lse;

    (void)state;
    check_status(singdiv_logsumexp(logits, 3, 1.0, &lse, &err), SINGDIV_ERR_ZERO_MASS);
    check_status(singdiv_logits_cross_entropy(p, logits, 3, 1.0, NULL, &r),
                 SINGDIV_ERR_ZERO_MASS);
    check_status(singdiv_logits_cross_entropy_index(3, ok_logits, 3, 1.0, NULL, &r),
                 SINGDIV_ERR_INDEX);
    assert_string_equal(r.error.argument, "target");
    check_status(singdiv_logits_cross_entropy_index(SIZE_MAX, ok_logits, 3, 1.0, NULL, &r),
                 SINGDIV_ERR_INDEX);
    check_status(singdiv_logits_cross_entropy_index(2, ok_logits, 3, 1.0, NULL, &r),
                 SINGDIV_OK);
    assert_true(isinf(r.value));
    check_status(singdiv_logsumexp(ok_logits, 3, 1.0, NULL, &err), SINGDIV_ERR_NULL);
}

static void
batch_reports_row_and_flat_index(void **state)
{
    /* Two rows of width 3; the NaN sits in row 1, column 2 (flat index 5). */
    double p[6] = {0.5, 0.5, 0.0, 0.2, 0.3, 0.5};
    double logits[6] = {0.1, 0.2, 0.3, 1.0, 2.0, (double)NAN};
    size_t targets[2] = {0, 2};
    unsigned char ignore[2] = {1, 1};
    singdiv_report rows[2];
    singdiv_batch_summary summary;

    (void)state;
    check_status(singdiv_logits_cross_entropy_batch(p, logits, 2, 3, 1.0, NULL, NULL, rows,
                                                    &summary),
                 SINGDIV_ERR_NAN);
    assert_string_equal(summary.mean.error.argument, "logits");
    check_size(summary.mean.error.index, 5);
    check_status(singdiv_logits_cross_entropy_batch(p, logits, 2, 3, 1.0, ignore, NULL, rows,
                                                    &summary),
                 SINGDIV_ERR_EMPTY);
    ignore[0] = 0;
    check_status(singdiv_logits_cross_entropy_batch(p, logits, 2, 3, 1.0, ignore, NULL, rows,
                                                    &summary),
                 SINGDIV_OK);
    check_size(summary.rows, 1);
    check_size(summary.ignored_rows, 1);
    check_status(singdiv_logits_cross_entropy_batch(p, logits, 0, 3, 1.0, NULL, NULL, rows,
                                                    &summary),
                 SINGDIV_ERR_EMPTY);
    check_status(singdiv_logits_cross_entropy_batch(p, logits, SIZE_MAX / 2, 3, 1.0, NULL, NULL,
                                                    rows, &summary),
                 SINGDIV_ERR_SIZE_OVERFLOW);
    check_status(singdiv_logits_cross_entropy_batch(NULL, logits, 2, 3, 1.0, NULL, NULL, rows,
                                                    &summary),
                 SINGDIV_ERR_NULL);
    check_status(singdiv_logits_cross_entropy_batch(p, logits, 2, 3, 1.0, NULL, NULL, rows,
                                                    NULL),
                 SINGDIV_ERR_NULL);
    targets[1] = 3;
    logits[5] = 0.0;
    check_status(singdiv_logits_cross_entropy_index_batch(targets, logits, 2, 3, 1.0, NULL,
                                                          NULL, rows, &summary),
                 SINGDIV_ERR_INDEX);
    check_size(summary.mean.error.index, 1);
    check_status(singdiv_logits_cross_entropy_index_batch(NULL, logits, 2, 3, 1.0, NULL, NULL,
                                                          rows, &summary),
                 SINGDIV_ERR_NULL);
    {
        const float pf[6] = {0.5f, 0.5f, 0.0f, 0.2f, 0.3f, 0.5f};
        const float lf[6] = {0.1f, 0.2f, 0.3f, 1.0f, 2.0f, NAN};

        check_status(singdiv_logits_cross_entropy_batch_f32(pf, lf, 2, 3, 1.0, NULL, NULL, rows,
                                                            &summary),
                     SINGDIV_ERR_NAN);
        check_size(summary.mean.error.index, 5);
        check_status(singdiv_logits_cross_entropy_batch_f32(NULL, lf, 2, 3, 1.0, NULL, NULL,
                                                            rows, &summary),
                     SINGDIV_ERR_NULL);
        check_status(singdiv_logits_cross_entropy_batch_f32(pf, lf, 0, 3, 1.0, NULL, NULL, rows,
                                                            &summary),
                     SINGDIV_ERR_EMPTY);
        check_status(singdiv_logits_cross_entropy_index_batch_f32(targets, lf, 2, 3, 0.0, NULL,
                                                                  NULL, rows, &summary),
                     SINGDIV_ERR_DOMAIN);
        check_status(singdiv_logits_cross_entropy_index_batch_f32(targets, lf, SIZE_MAX / 2, 3,
                                                                  1.0, NULL, NULL, rows,
                                                                  &summary),
                     SINGDIV_ERR_SIZE_OVERFLOW);
    }
}

static void
singularity_map_rejects_bad_input(void **state)
{
    const double p[LEN] = {0.1, 0.2, 0.3, 0.0, 0.25, 0.15};
    const double q[LEN] = {0.2, 0.2, 0.2, 0.2, 0.1, 0.1};
    const double bad[LEN] = {0.1, 0.2, -0.3, 0.0, 0.25, 0.15};
    singdiv_singularity map;

    (void)state;
    check_status(singdiv_singularity_map(SINGDIV_DIVERGENCE_KL, p, q, LEN, 0.0,
                                         SINGDIV_SMOOTH_Q, NULL, &map),
                 SINGDIV_OK);
    check_status(singdiv_singularity_map(SINGDIV_DIVERGENCE_KL, p, q, LEN, 0.0,
                                         SINGDIV_SMOOTH_Q, NULL, NULL),
                 SINGDIV_ERR_NULL);
    check_status(singdiv_singularity_map((singdiv_divergence)SINGDIV_DIVERGENCE_COUNT, p, q,
                                         LEN, 0.0, SINGDIV_SMOOTH_Q, NULL, &map),
                 SINGDIV_ERR_DOMAIN);
    assert_string_equal(map.error.argument, "divergence");
    check_status(singdiv_singularity_map(SINGDIV_DIVERGENCE_KL, p, q, LEN, 0.0,
                                         (singdiv_smoothing)2, NULL, &map),
                 SINGDIV_ERR_DOMAIN);
    assert_string_equal(map.error.argument, "smoothing");
    check_status(singdiv_singularity_map(SINGDIV_DIVERGENCE_RENYI, p, q, LEN, -1.0,
                                         SINGDIV_SMOOTH_Q, NULL, &map),
                 SINGDIV_ERR_DOMAIN);
    assert_string_equal(map.error.argument, "order");
    check_status(singdiv_singularity_map(SINGDIV_DIVERGENCE_SKEW_JS, p, q, LEN, 1.0,
                                         SINGDIV_SMOOTH_Q, NULL, &map),
                 SINGDIV_ERR_DOMAIN);
    check_status(singdiv_singularity_map(SINGDIV_DIVERGENCE_JS, p, bad, LEN, 0.0,
                                         SINGDIV_SMOOTH_BOTH, NULL, &map),
                 SINGDIV_ERR_NEGATIVE);
    assert_string_equal(map.error.argument, "q");
    check_size(map.error.index, 2);
    check_status(singdiv_singularity_map(SINGDIV_DIVERGENCE_JS, NULL, q, LEN, 0.0,
                                         SINGDIV_SMOOTH_BOTH, NULL, &map),
                 SINGDIV_ERR_NULL);
    check_status(singdiv_singularity_map(SINGDIV_DIVERGENCE_JS, p, q, 0, 0.0,
                                         SINGDIV_SMOOTH_BOTH, NULL, &map),
                 SINGDIV_ERR_EMPTY);
    assert_true(isnan(map.rate));
}

static void
accumulator_rejects_bad_input_and_leaves_state(void **state)
{
    const double p[4] = {0.25, 0.25, 0.5, 0.0};
    const double q[4] = {0.5, 0.0, 0.25, 0.25};
    const double bad[4] = {0.25, -0.25, 0.5, 0.0};
    singdiv_accumulator acc, before, other;
    unsigned char bytes[SINGDIV_ACCUMULATOR_STATE_SIZE];
    singdiv_report r;
    singdiv_error err;
    double lse;

    (void)state;
    check_status(singdiv_accumulator_init(NULL, SINGDIV_ACCUMULATE_KL, NULL, &err),
                 SINGDIV_ERR_NULL);
    check_status(singdiv_accumulator_init(&acc, SINGDIV_ACCUMULATE_LOGSUMEXP, NULL, &err),
                 SINGDIV_ERR_DOMAIN);
    check_status(singdiv_accumulator_init(&acc, (singdiv_accumulator_kind)99, NULL, &err),
                 SINGDIV_ERR_DOMAIN);
    check_status(singdiv_accumulator_init_logits(&acc, SINGDIV_ACCUMULATE_LOGSUMEXP, 0, 0.0,
                                                 NULL, &err),
                 SINGDIV_ERR_DOMAIN);
    check_status(singdiv_accumulator_init_logits(&acc, SINGDIV_ACCUMULATE_KL, 0, 1.0, NULL,
                                                 &err),
                 SINGDIV_ERR_DOMAIN);
    check_status(singdiv_accumulator_init(&acc, SINGDIV_ACCUMULATE_KL, NULL, &err), SINGDIV_OK);
    check_status(singdiv_accumulator_finalize(&acc, &r), SINGDIV_ERR_EMPTY);

    check_status(singdiv_accumulator_add(&acc, p, q, 2, 0, &err), SINGDIV_OK);
    before = acc;
    check_status(singdiv_accumulator_add(&acc, bad, q, 4, 10, &err), SINGDIV_ERR_NEGATIVE);
    assert_string_equal(err.argument, "p");
    check_size(err.index, 11);
    assert_memory_equal(&acc, &before, sizeof acc);
    check_status(singdiv_accumulator_add(&acc, p, q, 2, SIZE_MAX, &err),
                 SINGDIV_ERR_SIZE_OVERFLOW);
    check_status(singdiv_accumulator_add(&acc, NULL, q, 2, 2, &err), SINGDIV_ERR_NULL);
    check_status(singdiv_accumulator_add(&acc, NULL, NULL, 0, 2, &err), SINGDIV_OK);
    check_status(singdiv_accumulator_add_logits(&acc, p, q, 2, 2, &err), SINGDIV_ERR_DOMAIN);

    /* A gap (entries 2 and 3 missing, 5 added) is detected at finalisation. */
    check_status(singdiv_accumulator_add(&acc, p + 2, q + 2, 1, 5, &err), SINGDIV_OK);
    check_status(singdiv_accumulator_finalize(&acc, &r), SINGDIV_ERR_INDEX);
    check_status(singdiv_accumulator_logsumexp(&acc, &lse, &err), SINGDIV_ERR_DOMAIN);

    check_status(singdiv_accumulator_init(&other, SINGDIV_ACCUMULATE_CROSS_ENTROPY, NULL, &err),
                 SINGDIV_OK);
    before = acc;
    check_status(singdiv_accumulator_merge(&acc, &other, &err), SINGDIV_ERR_DOMAIN);
    assert_memory_equal(&acc, &before, sizeof acc);
    check_status(singdiv_accumulator_merge(&acc, NULL, &err), SINGDIV_ERR_NULL);

    check_status(singdiv_accumulator_serialize(&acc, bytes, sizeof bytes - 1, &err),
                 SINGDIV_ERR_WORKSPACE);
    check_status(singdiv_accumulator_serialize(&acc, bytes, sizeof bytes, &err), SINGDIV_OK);
    check_status(singdiv_accumulator_deserialize(&other, bytes, sizeof bytes - 1, &err),
                 SINGDIV_ERR_WORKSPACE);
    bytes[0] = (unsigned char)(SINGDIV_ACCUMULATOR_VERSION + 1);
    before = other;
    check_status(singdiv_accumulator_deserialize(&other, bytes, sizeof bytes, &err),
                 SINGDIV_ERR_DOMAIN);
    assert_string_equal(err.argument, "bytes");
    check_size(err.index, 0);
    assert_memory_equal(&other, &before, sizeof other);
    check_status(singdiv_accumulator_deserialize(&other, NULL, sizeof bytes, &err),
                 SINGDIV_ERR_NULL);
}

static void
contrastive_functions_reject_bad_input(void **state)
{
    /* A 3 x 3 similarity matrix; the NaN case puts NaN at row 1, column 2 (index 5). */
    double s[9] = {0.9, 0.1, -0.2, 0.3, 0.8, 0.0, -HUGE_VAL, 0.2, 0.7};
    double a[6] = {1.0, 0.0, 0.5, 0.5, 0.0, 1.0};
    double b[6] = {0.9, 0.1, 0.4, 0.6, 0.1, 0.9};
    singdiv_infonce_options opt = {0.07, 1e-3, 0.1, 1};
    singdiv_infonce_report r;
    singdiv_sigmoid_report g;
    double work[8];
    size_t count = 0;

    (void)state;
    check_status(singdiv_infonce_matrix(s, 3, &opt, NULL, &r), SINGDIV_OK);
    check_status(singdiv_infonce_matrix(NULL, 3, &opt, NULL, &r), SINGDIV_ERR_NULL);
    check_status(singdiv_infonce_matrix(s, 3, NULL, NULL, &r), SINGDIV_ERR_NULL);
    check_status(singdiv_infonce_matrix(s, 3, &opt, NULL, NULL), SINGDIV_ERR_NULL);
    check_status(singdiv_infonce_matrix(s, 0, &opt, NULL, &r), SINGDIV_ERR_EMPTY);
    check_status(singdiv_infonce_matrix(s, 1, &opt, NULL, &r), SINGDIV_ERR_TOO_FEW_SAMPLES);
    check_status(singdiv_infonce_matrix(s, SIZE_MAX / 2, &opt, NULL, &r),
                 SINGDIV_ERR_SIZE_OVERFLOW);
    check_status(singdiv_infonce_matrix_workspace(s, 3, &opt, work, 2, NULL, &r),
                 SINGDIV_ERR_WORKSPACE);
    opt.temperature = 0.0;
    check_status(singdiv_infonce_matrix(s, 3, &opt, NULL, &r), SINGDIV_ERR_DOMAIN);
    assert_string_equal(r.error.argument, "opt->temperature");
    opt.temperature = 0.07;
    opt.weight_floor = 1.5;
    check_status(singdiv_infonce_matrix(s, 3, &opt, NULL, &r), SINGDIV_ERR_DOMAIN);
    opt.weight_floor = 1e-3;
    opt.cosine_band = (double)NAN;
    check_status(singdiv_infonce_matrix(s, 3, &opt, NULL, &r), SINGDIV_ERR_DOMAIN);
    opt.cosine_band = 0.1;
    s[5] = (double)NAN;
    check_status(singdiv_infonce_matrix(s, 3, &opt, NULL, &r), SINGDIV_ERR_NAN);
    assert_string_equal(r.error.argument, "similarity");
    check_size(r.error.index, 5);
    check_status(singdiv_sigmoid_loss_matrix(s, 3, 10.0, -10.0, &g), SINGDIV_ERR_NAN);
    check_size(g.error.index, 5);
    s[5] = HUGE_VAL;
    check_status(singdiv_infonce_matrix(s, 3, &opt, NULL, &r), SINGDIV_ERR_INFINITE);
    s[5] = 0.0;
    check_status(singdiv_sigmoid_loss_matrix(s, 3, 0.0, -10.0, &g), SINGDIV_ERR_DOMAIN);
    assert_string_equal(g.error.argument, "t");
    check_status(singdiv_sigmoid_loss_matrix(s, 3, 10.0, (double)NAN, &g), SINGDIV_ERR_DOMAIN);
    assert_string_equal(g.error.argument, "bias");
    check_status(singdiv_sigmoid_loss_matrix(NULL, 3, 10.0, -10.0, &g), SINGDIV_ERR_NULL);
    check_status(singdiv_sigmoid_loss_matrix(s, 0, 10.0, -10.0, &g), SINGDIV_ERR_EMPTY);

    check_status(singdiv_infonce_embeddings(a, b, 3, 2, &opt, NULL, &r), SINGDIV_OK);
    check_status(singdiv_infonce_embeddings(a, b, 3, 0, &opt, NULL, &r), SINGDIV_ERR_EMPTY);
    assert_string_equal(r.error.argument, "d");
    check_status(singdiv_infonce_embeddings(a, NULL, 3, 2, &opt, NULL, &r), SINGDIV_ERR_NULL);
    check_status(singdiv_infonce_embeddings(a, b, SIZE_MAX / 2, 3, &opt, NULL, &r),
                 SINGDIV_ERR_SIZE_OVERFLOW);
    a[2] = 0.0;
    a[3] = 0.0;
    check_status(singdiv_infonce_embeddings(a, b, 3, 2, &opt, NULL, &r), SINGDIV_ERR_ZERO_MASS);
    check_status(singdiv_sigmoid_loss_embeddings(a, b, 3, 2, 1, 10.0, -10.0, &g),
                 SINGDIV_ERR_ZERO_MASS);
    a[2] = 0.5;
    b[4] = -HUGE_VAL;
    check_status(singdiv_sigmoid_loss_embeddings(a, b, 3, 2, 1, 10.0, -10.0, &g),
                 SINGDIV_ERR_INFINITE);
    assert_string_equal(g.error.argument, "b");
    check_size(g.error.index, 4);
    check_status(singdiv_infonce_workspace_size(3, 2, NULL), SINGDIV_ERR_NULL);
    check_status(singdiv_infonce_workspace_size(SIZE_MAX, 2, &count), SINGDIV_ERR_SIZE_OVERFLOW);
    check_status(singdiv_sigmoid_loss_embeddings_workspace(a, b, 3, 2, 1, 10.0, -10.0, work, 1,
                                                           &g),
                 SINGDIV_ERR_WORKSPACE);
}

int
main(void)
{
    struct CMUnitTest tests[ENTRY_COUNT + 11];
    size_t count = 0;
    int failed;

    w_space_size = singdiv_w1_samples_workspace_size(LEN, LEN);
    w_space = malloc(w_space_size);
    if (w_space == NULL) {
        return 1;
    }

    for (size_t i = 0; i < ENTRY_COUNT; i++) {
        tests[count].name = entries[i].function;
        tests[count].test_func = contract_of_entry;
        tests[count].setup_func = NULL;
        tests[count].teardown_func = NULL;
        tests[count].initial_state = (void *)(uintptr_t)&entries[i];
        count++;
    }
    {
        const struct CMUnitTest others[] = {
            cmocka_unit_test(mmd_functions_reject_bad_input),
            cmocka_unit_test(mmd_null_and_workspace_errors),
            cmocka_unit_test(mmd_weighted_rejects_bad_input),
            cmocka_unit_test(sets_reject_bad_input_and_respect_capacity),
            cmocka_unit_test(report_compare_rejects_null_and_nan),
            cmocka_unit_test(small_queries_accept_any_value),
            cmocka_unit_test(logits_reject_all_minus_infinity_and_bad_target),
            cmocka_unit_test(batch_reports_row_and_flat_index),
            cmocka_unit_test(singularity_map_rejects_bad_input),
            cmocka_unit_test(contrastive_functions_reject_bad_input),
        };

        for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
            tests[count++] = others[i];
        }
    }
    tests[count++] = (struct CMUnitTest)cmocka_unit_test(
        accumulator_rejects_bad_input_and_leaves_state);
    failed = _cmocka_run_group_tests("contract", tests, count, NULL, NULL);
    free(w_space);
    return failed;
}
