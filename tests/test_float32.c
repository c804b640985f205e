/*
 * Tests of the float32 entry points: every report must be bit-identical to
 * the double function's on the same values, including subnormal floats,
 * FLT_MAX, -0.0f, long inputs that take the heap path, and the errors.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/*
 * The out-of-memory test requests about PTRDIFF_MAX bytes from malloc, and under
 * AddressSanitizer that must return NULL instead of aborting.
 */
const char *__asan_default_options(void);

const char *
__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

static void
check_same(const singdiv_report *a, const singdiv_report *b)
{
    check_identical(a->value, b->value);
    check_identical(a->finite_part, b->finite_part);
    check_identical(a->violating_mass, b->violating_mass);
    check_identical(a->reverse_mass, b->reverse_mass);
    check_size(a->violating_count, b->violating_count);
    check_size(a->reverse_count, b->reverse_count);
    check_status(a->error.status, b->error.status);
    check_size(a->error.index, b->error.index);
}

static void
widen(const float *x, double *y, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        y[i] = (double)x[i];
    }
}

/* Runs every float32 function and its double twin on the same values. */
static void
check_all_functions(const float *p, const float *q, size_t n, const singdiv_options *opt)
{
    double *pd = malloc(n * sizeof *pd);
    double *qd = malloc(n * sizeof *qd);
    singdiv_report a;
    singdiv_report b;

    assert_non_null(pd);
    assert_non_null(qd);
    widen(p, pd, n);
    widen(q, qd, n);

    check_status(singdiv_entropy_f32(p, n, opt, &a), singdiv_entropy(pd, n, opt, &b));
    check_same(&a, &b);
    check_status(singdiv_cross_entropy_f32(p, q, n, opt, &a), singdiv_cross_entropy(pd, qd, n, opt, &b));
    check_same(&a, &b);
    check_status(singdiv_kl_f32(p, q, n, opt, &a), singdiv_kl(pd, qd, n, opt, &b));
    check_same(&a, &b);
    check_status(singdiv_js_f32(p, q, n, opt, &a), singdiv_js(pd, qd, n, opt, &b));
    check_same(&a, &b);
    check_status(singdiv_js_distance_f32(p, q, n, opt, &a), singdiv_js_distance(pd, qd, n, opt, &b));
    check_same(&a, &b);
    /* q doubles as logits. */
    check_status(singdiv_logits_cross_entropy_f32(p, q, n, 0.7, opt, &a),
                 singdiv_logits_cross_entropy(pd, qd, n, 0.7, opt, &b));
    check_same(&a, &b);
    check_status(singdiv_logits_kl_f32(p, q, n, 1.3, opt, &a),
                 singdiv_logits_kl(pd, qd, n, 1.3, opt, &b));
    check_same(&a, &b);
    check_status(singdiv_logits_cross_entropy_index_f32(n / 2, q, n, 2.0, opt, &a),
                 singdiv_logits_cross_entropy_index(n / 2, qd, n, 2.0, opt, &b));
    check_same(&a, &b);
    free(pd);
    free(qd);
}

static void
random_floats_match_double_path(void **state)
{
    enum { N = 1000 };
    static float p[N];
    static float q[N];
    singdiv_options opt;
    uint32_t x = 20261205u;

    (void)state;
    singdiv_options_init(&opt);
    opt.normalize = 1;
    for (size_t n = 1; n <= N; n = n * 3 + 1) {
        for (size_t i = 0; i < n; i++) {
            x = x * 1664525u + 1013904223u;
            p[i] = (float)(x >> 8) * 0x1.0p-24f;
            x = x * 1664525u + 1013904223u;
            q[i] = (x >> 28) == 0 ? 0.0f : (float)(x >> 8) * 0x1.0p-24f;
        }
        /* n = 1, 4, 13, 40, 121, 364: 364 takes the heap path. */
        check_all_functions(p, q, n, &opt);
    }
}

static void
edge_values_match_double_path(void **state)
{
    static const float p[5] = { 0x1p-149f, FLT_MAX, -0.0f, 0x1.fffffep-127f, 1.0f };
    static const float q[5] = { FLT_MAX, 0x1p-149f, 0.5f, -0.0f, 0x1p-126f };
    singdiv_options opt;
    singdiv_report r;

    (void)state;
    singdiv_options_init(&opt);
    opt.normalize = 1;
    check_all_functions(p, q, 5, &opt);
    /* -0.0f is a zero, not a negative entry. */
    check_status(singdiv_entropy_f32(p, 5, &opt, &r), SINGDIV_OK);
}

/* Known fault: float32 inputs made scipy take sqrt of a negative JS; here it is 1.7883362019890852e-4. */
static void
float32_js_distance_known_fault(void **state)
{
    static const float p[2] = { 0.02750147506594658f, 0.05520229786634445f };
    static const float q[2] = { 0.027537677437067032f, 0.05533434823155403f };
    singdiv_options opt;
    singdiv_report r;

    (void)state;
    singdiv_options_init(&opt);
    opt.normalize = 1;
    check_status(singdiv_js_distance_f32(p, q, 2, &opt, &r), SINGDIV_OK);
    check_rel(r.value, 0.00017883362019890852, 1e-11);
}

static void
errors_match_double_path(void **state)
{
    float p[3] = { 0.25f, 0.25f, 0.5f };
    float bad[3] = { 0.25f, NAN, 0.5f };
    singdiv_options opt;

    (void)state;
    singdiv_options_init(&opt);
    check_all_functions(p, bad, 3, &opt);
    check_all_functions(bad, p, 3, &opt);
    bad[1] = -INFINITY;
    check_all_functions(p, bad, 3, &opt);
    bad[1] = -0.25f;
    check_all_functions(bad, p, 3, &opt);
    opt.base = -2.0;
    check_all_functions(p, p, 3, &opt);
}

static void
null_empty_and_oversized_inputs(void **state)
{
    static const float p[2] = { 0.5f, 0.5f };
    singdiv_report r;

    (void)state;
    check_status(singdiv_kl_f32(p, p, 2, NULL, NULL), SINGDIV_ERR_NULL);
    check_status(singdiv_kl_f32(NULL, p, 2, NULL, &r), SINGDIV_ERR_NULL);
    assert_string_equal(r.error.argument, "p");
    check_status(singdiv_kl_f32(p, NULL, 2, NULL, &r), SINGDIV_ERR_NULL);
    assert_string_equal(r.error.argument, "q");
    check_status(singdiv_entropy_f32(NULL, 2, NULL, &r), SINGDIV_ERR_NULL);
    check_status(singdiv_entropy_f32(p, 2, NULL, NULL), SINGDIV_ERR_NULL);
    check_status(singdiv_kl_f32(p, p, 0, NULL, &r), SINGDIV_ERR_EMPTY);
    check_status(singdiv_entropy_f32(p, 0, NULL, &r), SINGDIV_ERR_EMPTY);
    check_status(singdiv_js_f32(p, p, SIZE_MAX, NULL, &r), SINGDIV_ERR_SIZE_OVERFLOW);
    check_status(singdiv_logits_cross_entropy_f32(p, p, 2, 1.0, NULL, NULL), SINGDIV_ERR_NULL);
    check_status(singdiv_logits_cross_entropy_index_f32(0, p, 2, 1.0, NULL, NULL), SINGDIV_ERR_NULL);
    check_status(singdiv_logits_cross_entropy_index_f32(0, NULL, 2, 1.0, NULL, &r),
                 SINGDIV_ERR_NULL);
    check_status(singdiv_logits_cross_entropy_index_f32(2, p, 2, 1.0, NULL, &r), SINGDIV_ERR_INDEX);
}

/*
 * A length that passes the size check but whose copy cannot be allocated
 * (about PTRDIFF_MAX bytes) gives SINGDIV_ERR_NO_MEMORY before any entry
 * is read.
 */
static void
failed_copy_is_no_memory(void **state)
{
    static const float p[1] = { 1.0f };
    size_t n = (size_t)PTRDIFF_MAX / sizeof(double);
    singdiv_report r;

    (void)state;
    check_status(singdiv_kl_f32(p, p, n, NULL, &r), SINGDIV_ERR_NO_MEMORY);
    assert_string_equal(r.error.argument, "p");
    check_status(singdiv_entropy_f32(p, n, NULL, &r), SINGDIV_ERR_NO_MEMORY);
    check_status(singdiv_logits_cross_entropy_index_f32(0, p, n, 1.0, NULL, &r),
                 SINGDIV_ERR_NO_MEMORY);
    assert_string_equal(r.error.argument, "logits");
    assert_true(isnan(r.value));
}

/* Batches: the summary and every row report equal the double batch's, ignored rows included. */
static void
batches_match_double_path(void **state)
{
    enum { N = 5, K = 300 };
    static float p[N * K];
    static float logits[N * K];
    static double pd[N * K];
    static double logits_d[N * K];
    static const size_t labels[N] = { 0, 299, 17, 150, 3 };
    static const unsigned char ignore[N] = { 0, 0, 1, 0, 0 };
    singdiv_report rows_f[N];
    singdiv_report rows_d[N];
    singdiv_batch_summary sf;
    singdiv_batch_summary sd;
    uint32_t x = 7u;

    (void)state;
    for (size_t i = 0; i < N * K; i++) {
        x = x * 1664525u + 1013904223u;
        logits[i] = (float)(x >> 8) * 0x1.0p-20f - 8.0f;
        p[i] = (float)(x >> 20) * 0x1.0p-12f;
    }
    logits[2 * K + 5] = NAN; /* in an ignored row */
    logits[3 * K + 150] = -INFINITY;
    p[3 * K + 150] = 0.25f; /* target mass on a -inf logit: row 3 is singular */
    widen(p, pd, N * K);
    widen(logits, logits_d, N * K);
    for (int target = 0; target < 2; target++) {
        singdiv_options opt;

        singdiv_options_init(&opt);
        opt.normalize = 1;
        if (target) {
            check_status(singdiv_logits_cross_entropy_batch_f32(p, logits, N, K, 0.9, ignore, &opt,
                                                                rows_f, &sf),
                         SINGDIV_OK);
            check_status(singdiv_logits_cross_entropy_batch(pd, logits_d, N, K, 0.9, ignore, &opt,
                                                            rows_d, &sd),
                         SINGDIV_OK);
        } else {
            check_status(singdiv_logits_cross_entropy_index_batch_f32(labels, logits, N, K, 0.9,
                                                                      ignore, &opt, rows_f, &sf),
                         SINGDIV_OK);
            check_status(singdiv_logits_cross_entropy_index_batch(labels, logits_d, N, K, 0.9,
                                                                  ignore, &opt, rows_d, &sd),
                         SINGDIV_OK);
        }
        check_same(&sf.mean, &sd.mean);
        check_size(sf.singular_rows, sd.singular_rows);
        check_identical(sf.total_violating_mass, sd.total_violating_mass);
        for (int r = 0; r < N; r++) {
            check_same(&rows_f[r], &rows_d[r]);
        }
    }
    check_size(sf.singular_rows, 1);
    check_size(sd.ignored_rows, 1);
}

static void
batch_errors_and_no_memory(void **state)
{
    static const float logits[4] = { 0.0f, 1.0f, NAN, 2.0f };
    static const size_t labels[2] = { 0, 1 };
    size_t huge = (size_t)PTRDIFF_MAX / sizeof(double);
    singdiv_batch_summary s;

    (void)state;
    check_status(singdiv_logits_cross_entropy_index_batch_f32(labels, logits, 2, 2, 1.0, NULL,
                                                              NULL, NULL, &s),
                 SINGDIV_ERR_NAN);
    check_size(s.mean.error.index, 2);
    check_status(singdiv_logits_cross_entropy_index_batch_f32(labels, NULL, 2, 2, 1.0, NULL, NULL,
                                                              NULL, &s),
                 SINGDIV_ERR_NULL);
    check_status(singdiv_logits_cross_entropy_batch_f32(NULL, logits, 2, 2, 1.0, NULL, NULL, NULL,
                                                        &s),
                 SINGDIV_ERR_NULL);
    check_status(singdiv_logits_cross_entropy_index_batch_f32(labels, logits, 2, 2, 1.0, NULL,
                                                              NULL, NULL, NULL),
                 SINGDIV_ERR_NULL);
    /* One row of about PTRDIFF_MAX / 8 logits passes the size check, but its buffer cannot exist. */
    check_status(singdiv_logits_cross_entropy_index_batch_f32(labels, logits, 1, huge, 1.0, NULL,
                                                              NULL, NULL, &s),
                 SINGDIV_ERR_NO_MEMORY);
    check_status(singdiv_logits_cross_entropy_batch_f32(logits, logits, 1, huge / 2, 1.0, NULL,
                                                        NULL, NULL, &s),
                 SINGDIV_ERR_NO_MEMORY);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_floats_match_double_path),
        cmocka_unit_test(edge_values_match_double_path),
        cmocka_unit_test(float32_js_distance_known_fault),
        cmocka_unit_test(errors_match_double_path),
        cmocka_unit_test(null_empty_and_oversized_inputs),
        cmocka_unit_test(failed_copy_is_no_memory),
        cmocka_unit_test(batches_match_double_path),
        cmocka_unit_test(batch_errors_and_no_memory),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
