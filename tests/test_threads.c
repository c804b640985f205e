/*
 * Concurrency test: many threads call every public function at once on
 * the same read-only inputs, and every result must be bitwise identical
 * to the one computed by a single thread beforehand. The library promises
 * no global mutable state, so any difference (or a ThreadSanitizer report,
 * in the build with -Db_sanitize=thread) is a bug.
 *
 * Each case calls one or a few functions and records its outputs (status,
 * doubles as bit patterns, counts, error details) as a list of 64-bit
 * words; the threads compare their words with the single-thread ones.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define N 200
#define NU 300
#define NV 250
#define DIM 3
#define MMD_N 40
#define MMD_M 30
#define ROWS 8
#define WIDTH 50
#define THREADS 8
#define ROUNDS 3
#define MAX_WORDS 64

typedef struct result {
    uint64_t words[MAX_WORDS];
    size_t count;
} result;

typedef void (*case_function)(result *r);

/* Shared inputs, written once before any thread starts. */
static double p[N], q[N], r_ref[N], counts[N], logits[N], support[N];
static float p32[N], q32[N], logits32[N];
static double u[NU], u_weights[NU], v[NV], v_weights[NV], u_sorted[NU], v_sorted[NV];
static double mmd_x[MMD_N * DIM], mmd_y[MMD_M * DIM];
static double batch_p[ROWS * WIDTH], batch_logits[ROWS * WIDTH];
static float batch_p32[ROWS * WIDTH], batch_logits32[ROWS * WIDTH];
static size_t batch_targets[ROWS];
static unsigned char batch_ignore[ROWS];

static void
push_word(result *r, uint64_t w)
{
    if (r->count < MAX_WORDS) {
        r->words[r->count] = w;
    }
    r->count++;
}

static void
push_double(result *r, double x)
{
    uint64_t bits;

    memcpy(&bits, &x, sizeof bits);
    push_word(r, bits);
}

static void
push_error(result *r, const singdiv_error *e)
{
    push_word(r, (uint64_t)e->status);
    push_word(r, (uint64_t)e->index);
    push_word(r, (uint64_t)(uintptr_t)e->argument);
}

static void
push_report(result *r, singdiv_status s, const singdiv_report *rep)
{
    push_word(r, (uint64_t)s);
    push_double(r, rep->value);
    push_double(r, rep->finite_part);
    push_double(r, rep->violating_mass);
    push_word(r, rep->violating_count);
    push_double(r, rep->reverse_mass);
    push_word(r, rep->reverse_count);
    push_error(r, &rep->error);
}

static void
push_expansion(result *r, singdiv_status s, const singdiv_expansion *e)
{
    push_word(r, (uint64_t)s);
    push_double(r, e->slope);
    push_double(r, e->finite_part);
    push_double(r, e->first_order);
    push_double(r, e->second_order);
    push_double(r, e->threshold);
    push_double(r, e->violating_mass);
    push_word(r, e->violating_count);
    push_double(r, e->uncovered_mass);
    push_word(r, e->uncovered_count);
}

/* Defines a case that runs one report-returning pair divergence. */
#define PAIR_CASE(name, call)                         \
    static void name(result *res)                     \
    {                                                 \
        singdiv_report rep;                           \
        singdiv_status s = call;                      \
        push_report(res, s, &rep);                    \
    }

PAIR_CASE(case_entropy, singdiv_entropy(p, N, NULL, &rep))
PAIR_CASE(case_cross_entropy, singdiv_cross_entropy(p, q, N, NULL, &rep))
PAIR_CASE(case_kl, singdiv_kl(p, q, N, NULL, &rep))
PAIR_CASE(case_js, singdiv_js(p, q, N, NULL, &rep))
PAIR_CASE(case_js_distance, singdiv_js_distance(p, q, N, NULL, &rep))
PAIR_CASE(case_renyi, singdiv_renyi(p, q, N, 0.7, NULL, &rep))
PAIR_CASE(case_renyi_max, singdiv_renyi_max(p, q, N, NULL, &rep))
PAIR_CASE(case_pearson, singdiv_pearson_chi2(p, q, N, NULL, &rep))
PAIR_CASE(case_neyman, singdiv_neyman_chi2(p, q, N, NULL, &rep))
PAIR_CASE(case_jeffreys, singdiv_jeffreys(p, q, N, NULL, &rep))
PAIR_CASE(case_psi, singdiv_psi(p, q, N, NULL, &rep))
PAIR_CASE(case_total_variation, singdiv_total_variation(p, q, N, NULL, &rep))
PAIR_CASE(case_hellinger, singdiv_hellinger(p, q, N, NULL, &rep))
PAIR_CASE(case_hellinger_squared, singdiv_hellinger_squared(p, q, N, NULL, &rep))
PAIR_CASE(case_bhattacharyya, singdiv_bhattacharyya_coefficient(p, q, N, NULL, &rep))
PAIR_CASE(case_bhattacharyya_angle, singdiv_bhattacharyya_angle(p, q, N, NULL, &rep))
PAIR_CASE(case_skew_js, singdiv_skew_js(p, q, N, 0.3, NULL, &rep))
PAIR_CASE(case_smoothed_ce, singdiv_smoothed_cross_entropy(p, q, r_ref, N, 1e-6, NULL, &rep))
PAIR_CASE(case_smoothed_kl, singdiv_smoothed_kl(p, q, NULL, N, 1e-3, NULL, &rep))
PAIR_CASE(case_lidstone_ce, singdiv_lidstone_cross_entropy(p, counts, N, 0.5, NULL, &rep))
PAIR_CASE(case_lidstone_kl, singdiv_lidstone_kl(p, counts, N, 1e-9, NULL, &rep))
PAIR_CASE(case_target_smoothed, singdiv_target_smoothed_cross_entropy(p, q, NULL, N, 0.1,
                                                                      NULL, &rep))
PAIR_CASE(case_logits_ce, singdiv_logits_cross_entropy(p, logits, N, 0.8, NULL, &rep))
PAIR_CASE(case_logits_index, singdiv_logits_cross_entropy_index(17, logits, N, 1.0, NULL,
                                                                &rep))
PAIR_CASE(case_logits_kl, singdiv_logits_kl(p, logits, N, 1.5, NULL, &rep))
PAIR_CASE(case_entropy_f32, singdiv_entropy_f32(p32, N, NULL, &rep))
PAIR_CASE(case_cross_entropy_f32, singdiv_cross_entropy_f32(p32, q32, N, NULL, &rep))
PAIR_CASE(case_kl_f32, singdiv_kl_f32(p32, q32, N, NULL, &rep))
PAIR_CASE(case_js_f32, singdiv_js_f32(p32, q32, N, NULL, &rep))
PAIR_CASE(case_js_distance_f32, singdiv_js_distance_f32(p32, q32, N, NULL, &rep))
PAIR_CASE(case_logits_ce_f32, singdiv_logits_cross_entropy_f32(p32, logits32, N, 0.8, NULL,
                                                                &rep))
PAIR_CASE(case_logits_kl_f32, singdiv_logits_kl_f32(p32, logits32, N, 1.5, NULL, &rep))
PAIR_CASE(case_logits_index_f32, singdiv_logits_cross_entropy_index_f32(17, logits32, N, 1.0,
                                                                        NULL, &rep))

static void
case_small_queries(result *res)
{
    singdiv_options opt;
    singdiv_report a, b;
    int order = 7;

    push_word(res, (uint64_t)singdiv_version_number());
    push_word(res, (uint64_t)(uintptr_t)singdiv_version_string());
    push_word(res, (uint64_t)(uintptr_t)singdiv_status_name(SINGDIV_ERR_NAN));
    push_word(res, (uint64_t)(uintptr_t)singdiv_strerror(SINGDIV_ERR_DOMAIN));
    push_word(res, (uint64_t)(uintptr_t)singdiv_divergence_name(SINGDIV_DIVERGENCE_PSI));
    singdiv_options_init(&opt);
    push_double(res, opt.sum_tolerance);
    (void)singdiv_kl(p, q, N, &opt, &a);
    (void)singdiv_cross_entropy(p, q, N, &opt, &b);
    push_word(res, (uint64_t)singdiv_report_compare(&a, &b, &order));
    push_word(res, (uint64_t)(int64_t)order);
}

static void
case_sets(result *res)
{
    size_t indices[N];
    size_t count = 0;
    singdiv_error err;

    push_word(res, (uint64_t)singdiv_violating_set(p, q, N, NULL, indices, N, &count));
    push_word(res, count);
    for (size_t i = 0; i < count && i < 8; i++) {
        push_word(res, indices[i]);
    }
    push_word(res, (uint64_t)singdiv_reverse_set(p, q, N, NULL, indices, 4, &count));
    push_word(res, count);
    push_word(res, indices[0]);
    push_word(res, (uint64_t)singdiv_check_distribution(p, N, NULL, &err));
    push_error(res, &err);
}

static void
case_singularity_map(result *res)
{
    singdiv_singularity map;

    for (int id = 0; id < SINGDIV_DIVERGENCE_COUNT; id++) {
        double order = id == SINGDIV_DIVERGENCE_RENYI ? 2.0 : 0.25;
        singdiv_status s = singdiv_singularity_map((singdiv_divergence)id, p, q, N, order,
                                                   SINGDIV_SMOOTH_BOTH, NULL, &map);

        push_word(res, (uint64_t)s);
        push_double(res, map.rate);
        push_word(res, (uint64_t)map.cause);
    }
}

static void
case_smoothing_analysis(result *res)
{
    singdiv_expansion e;
    singdiv_smoothing_parts parts;
    double slope;
    singdiv_status s;

    s = singdiv_smoothing_slope(p, q, r_ref, N, 1e-4, NULL, &slope);
    push_word(res, (uint64_t)s);
    push_double(res, slope);
    s = singdiv_smoothing_expansion(p, q, NULL, N, NULL, &e);
    push_expansion(res, s, &e);
    s = singdiv_smoothing_expansion_kl(p, q, r_ref, N, NULL, &e);
    push_expansion(res, s, &e);
    s = singdiv_smoothing_decompose(p, q, NULL, N, 1e-8, SINGDIV_SMOOTHED_KL, NULL, &parts);
    push_word(res, (uint64_t)s);
    push_double(res, parts.value);
    push_double(res, parts.epsilon_share);
    s = singdiv_lidstone_slope(p, counts, N, 0.25, NULL, &slope);
    push_word(res, (uint64_t)s);
    push_double(res, slope);
    s = singdiv_lidstone_expansion(p, counts, N, SINGDIV_SMOOTHED_CROSS_ENTROPY, NULL, &e);
    push_expansion(res, s, &e);
}

static void
case_wasserstein(result *res)
{
    size_t size = singdiv_w1_samples_workspace_size(NU, NV);
    void *ws = malloc(size);
    singdiv_error err;
    double out = 0.0;
    singdiv_options opt;

    push_word(res, size);
    push_word(res, (uint64_t)singdiv_check_samples(u, u_weights, NU, &err));
    push_word(res, (uint64_t)singdiv_check_support(support, N, &err));
    push_word(res, (uint64_t)singdiv_w1_samples(u, u_weights, NU, v, NULL, NV, &out));
    push_double(res, out);
    push_word(res, (uint64_t)singdiv_w1_samples_workspace(u, NULL, NU, v, v_weights, NV, ws,
                                                          size, &out, &err));
    push_double(res, out);
    push_word(res, (uint64_t)singdiv_w1_samples_sorted(u_sorted, NULL, NU, v_sorted, NULL, NV,
                                                       &out, &err));
    push_double(res, out);
    singdiv_options_init(&opt);
    opt.normalize = 1;
    push_word(res, (uint64_t)singdiv_w1_hist(support, p, counts, N, &opt, &out));
    push_double(res, out);
    push_word(res, (uint64_t)singdiv_wk_samples(u, u_weights, NU, v, v_weights, NV, 2.5, &out));
    push_double(res, out);
    push_word(res, (uint64_t)singdiv_wk_samples_workspace(u, NULL, NU, v, NULL, NV, HUGE_VAL,
                                                          ws, size, &out, &err));
    push_double(res, out);
    push_word(res, (uint64_t)singdiv_cdf_distance_samples(u, NULL, NU, v, v_weights, NV, 2.0,
                                                          &out));
    push_double(res, out);
    push_word(res, (uint64_t)singdiv_cdf_distance_samples_workspace(
                       u, u_weights, NU, v, NULL, NV, HUGE_VAL, ws, size, &out, &err));
    push_double(res, out);
    free(ws);
}

static void
case_mmd(result *res)
{
    singdiv_kernel gauss = {SINGDIV_KERNEL_GAUSSIAN, 0.8};
    singdiv_kernel laplace = {SINGDIV_KERNEL_LAPLACIAN, 1.3};
    singdiv_mmd_test_result test;
    singdiv_error err;
    size_t count = 0, bw_count = 0;
    double *work, *bw_work;
    double out = 0.0;
    singdiv_options opt;

    singdiv_options_init(&opt);
    opt.normalize = 1;
    push_word(res, (uint64_t)singdiv_mmd2(mmd_x, MMD_N, mmd_y, MMD_M, DIM, &gauss,
                                          SINGDIV_MMD_UNBIASED, &out));
    push_double(res, out);
    push_word(res, (uint64_t)singdiv_mmd2_workspace_size(DIM, &count));
    push_word(res, (uint64_t)singdiv_median_bandwidth_workspace_size(MMD_N, MMD_M, 32,
                                                                     &bw_count));
    work = malloc(count * sizeof *work);
    bw_work = malloc(bw_count * sizeof *bw_work);
    push_word(res, (uint64_t)singdiv_mmd2_ex(mmd_x, MMD_N, mmd_y, MMD_M, DIM, &laplace,
                                             SINGDIV_MMD_BIASED, work, count, &out, &err));
    push_double(res, out);
    push_word(res, (uint64_t)singdiv_mmd2_weighted(p, counts, support, N, 1, &gauss, &opt,
                                                   &out, &err));
    push_double(res, out);
    push_word(res, (uint64_t)singdiv_median_bandwidth(mmd_x, MMD_N, mmd_y, MMD_M, DIM, &out));
    push_double(res, out);
    push_word(res, (uint64_t)singdiv_median_bandwidth_ex(mmd_x, MMD_N, mmd_y, MMD_M, DIM, 32,
                                                         bw_work, bw_count, &out, &err));
    push_double(res, out);
    push_word(res, (uint64_t)singdiv_mmd_test(mmd_x, MMD_N, mmd_y, MMD_M, DIM, &gauss,
                                              SINGDIV_MMD_BIASED, 20, 12345u, SIZE_MAX, &test,
                                              &err));
    push_double(res, test.statistic);
    push_double(res, test.p_value);
    push_word(res, test.exceed_count);
    free(work);
    free(bw_work);
}

static void
case_logsumexp_and_batch(result *res)
{
    singdiv_report rows[ROWS];
    singdiv_batch_summary summary;
    singdiv_error err;
    double lse = 0.0;

    push_word(res, (uint64_t)singdiv_logsumexp(logits, N, 0.5, &lse, &err));
    push_double(res, lse);
    push_report(res, singdiv_logits_cross_entropy_batch(batch_p, batch_logits, ROWS, WIDTH, 1.0,
                                                        batch_ignore, NULL, rows, &summary),
                &summary.mean);
    push_double(res, rows[ROWS - 1].value);
    push_report(res, singdiv_logits_cross_entropy_index_batch(batch_targets, batch_logits, ROWS,
                                                              WIDTH, 2.0, NULL, NULL, rows,
                                                              &summary),
                &summary.mean);
    push_word(res, summary.singular_rows);
    push_report(res, singdiv_logits_cross_entropy_batch_f32(batch_p32, batch_logits32, ROWS,
                                                            WIDTH, 1.0, batch_ignore, NULL,
                                                            rows, &summary),
                &summary.mean);
    push_report(res, singdiv_logits_cross_entropy_index_batch_f32(batch_targets, batch_logits32,
                                                                  ROWS, WIDTH, 0.5, NULL, NULL,
                                                                  rows, &summary),
                &summary.mean);
}

static void
case_accumulator(result *res)
{
    singdiv_accumulator a, b, c, lse_acc;
    unsigned char bytes[SINGDIV_ACCUMULATOR_STATE_SIZE];
    singdiv_report rep;
    singdiv_error err;
    double lse = 0.0;

    push_word(res, (uint64_t)singdiv_accumulator_init(&a, SINGDIV_ACCUMULATE_KL, NULL, &err));
    b = a;
    push_word(res, (uint64_t)singdiv_accumulator_add(&a, p, q, N / 2, 0, &err));
    push_word(res, (uint64_t)singdiv_accumulator_add(&b, p + N / 2, q + N / 2, N - N / 2, N / 2,
                                                     &err));
    push_word(res, (uint64_t)singdiv_accumulator_merge(&a, &b, &err));
    push_word(res, (uint64_t)singdiv_accumulator_serialize(&a, bytes, sizeof bytes, &err));
    push_word(res, (uint64_t)singdiv_accumulator_deserialize(&c, bytes, sizeof bytes, &err));
    push_report(res, singdiv_accumulator_finalize(&c, &rep), &rep);

    push_word(res, (uint64_t)singdiv_accumulator_init_logits(
                       &lse_acc, SINGDIV_ACCUMULATE_LOGITS_CROSS_ENTROPY, 0, 0.8, NULL, &err));
    push_word(res, (uint64_t)singdiv_accumulator_add_logits(&lse_acc, p, logits, N, 0, &err));
    push_report(res, singdiv_accumulator_finalize(&lse_acc, &rep), &rep);
    push_word(res, (uint64_t)singdiv_accumulator_logsumexp(&lse_acc, &lse, &err));
    push_double(res, lse);
}

static void
case_contrastive(result *res)
{
    singdiv_infonce_options opt = {0.1, 1e-3, 0.2, 1};
    singdiv_infonce_report report;
    singdiv_sigmoid_report sigmoid;
    double similarity[WIDTH * WIDTH / 4];
    size_t n = WIDTH / 2;
    size_t count = 0;

    for (size_t i = 0; i < n * n; i++) {
        similarity[i] = batch_logits[i % (ROWS * WIDTH)];
    }
    push_word(res, (uint64_t)singdiv_infonce_matrix(similarity, n, &opt, NULL, &report));
    push_double(res, report.symmetric_loss);
    push_double(res, report.mean_effective_negatives);
    push_word(res, (uint64_t)singdiv_infonce_embeddings(mmd_x, mmd_y, MMD_M, DIM, &opt, NULL,
                                                        &report));
    push_double(res, report.row_loss);
    push_double(res, report.modality_gap);
    push_word(res, (uint64_t)singdiv_sigmoid_loss_matrix(similarity, n, 10.0, -10.0, &sigmoid));
    push_double(res, sigmoid.loss);
    push_word(res, (uint64_t)singdiv_sigmoid_loss_embeddings(mmd_x, mmd_y, MMD_M, DIM, 1, 10.0,
                                                             -10.0, &sigmoid));
    push_double(res, sigmoid.loss);
    push_word(res, (uint64_t)singdiv_infonce_workspace_size(n, DIM, &count));
    push_word(res, count);
}

static const case_function cases[] = {
    case_entropy, case_cross_entropy, case_kl, case_js, case_js_distance, case_renyi,
    case_renyi_max, case_pearson, case_neyman, case_jeffreys, case_psi,
    case_total_variation, case_hellinger, case_hellinger_squared, case_bhattacharyya,
    case_bhattacharyya_angle, case_skew_js, case_smoothed_ce, case_smoothed_kl,
    case_lidstone_ce, case_lidstone_kl, case_target_smoothed, case_logits_ce,
    case_logits_index, case_logits_kl, case_entropy_f32, case_cross_entropy_f32,
    case_kl_f32, case_js_f32, case_js_distance_f32, case_logits_ce_f32,
    case_logits_kl_f32, case_logits_index_f32, case_small_queries, case_sets,
    case_singularity_map, case_smoothing_analysis, case_wasserstein, case_mmd,
    case_logsumexp_and_batch, case_accumulator, case_contrastive,
};
#define CASE_COUNT (sizeof cases / sizeof cases[0])

static result expected[CASE_COUNT];

typedef struct worker {
    pthread_t thread;
    size_t id;
    size_t mismatches;
    size_t first_mismatch;
} worker;

static void *
run_worker(void *arg)
{
    worker *w = arg;

    w->first_mismatch = SIZE_MAX;
    for (size_t round = 0; round < ROUNDS; round++) {
        for (size_t k = 0; k < CASE_COUNT; k++) {
            /* Each thread starts at a different case, so different functions overlap. */
            size_t c = (k + w->id * 5 + round) % CASE_COUNT;
            result got;

            got.count = 0;
            cases[c](&got);
            if (got.count != expected[c].count ||
                memcmp(got.words, expected[c].words,
                       (got.count < MAX_WORDS ? got.count : MAX_WORDS) * sizeof got.words[0]) != 0) {
                if (w->mismatches == 0) {
                    w->first_mismatch = c;
                }
                w->mismatches++;
            }
        }
    }
    return NULL;
}

/* Fills the shared inputs from a fixed-seed generator (xorshift64*). */
static void
make_inputs(void)
{
    uint64_t state = 0x9e3779b97f4a7c15u;
    double p_sum = 0.0, q_sum = 0.0, r_sum = 0.0;

    for (size_t i = 0; i < N; i++) {
        double a, b;

        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        a = (double)((state * 0x2545f4914f6cdd1du) >> 11) * 0x1p-53;
        b = (double)(state >> 11) * 0x1p-53;
        p[i] = i % 7 == 3 ? 0.0 : a + 0.01;
        q[i] = i % 11 == 5 ? 0.0 : b + 0.01;
        r_ref[i] = 1.0 + (double)(i % 5);
        counts[i] = (double)((state >> 3) % 9);
        logits[i] = i % 13 == 4 ? -HUGE_VAL : 6.0 * a - 3.0;
        support[i] = (double)i * 0.37 + 1.0;
        p_sum += p[i];
        q_sum += q[i];
        r_sum += r_ref[i];
    }
    for (size_t i = 0; i < N; i++) {
        p[i] /= p_sum;
        q[i] /= q_sum;
        r_ref[i] /= r_sum;
        p32[i] = (float)p[i];
        q32[i] = (float)q[i];
        logits32[i] = (float)logits[i];
    }
    for (size_t i = 0; i < NU; i++) {
        u[i] = sin((double)i * 1.7) * 10.0;
        u_weights[i] = 1.0 + (double)(i % 4);
        u_sorted[i] = (double)i * 0.1;
    }
    for (size_t i = 0; i < NV; i++) {
        v[i] = cos((double)i * 0.9) * 8.0 + 1.0;
        v_weights[i] = (double)(i % 3);
        v_sorted[i] = (double)i * 0.13 - 2.0;
    }
    for (size_t i = 0; i < MMD_N * DIM; i++) {
        mmd_x[i] = sin((double)i * 0.31);
    }
    for (size_t i = 0; i < MMD_M * DIM; i++) {
        mmd_y[i] = cos((double)i * 0.27) + 0.2;
    }
    for (size_t row = 0; row < ROWS; row++) {
        double sum = 0.0;

        for (size_t i = 0; i < WIDTH; i++) {
            batch_p[row * WIDTH + i] = (double)((row + i) % 4);
            batch_logits[row * WIDTH + i] = (row + i) % 9 == 0 ? -HUGE_VAL
                                                               : sin((double)(row * 31 + i));
            sum += batch_p[row * WIDTH + i];
        }
        for (size_t i = 0; i < WIDTH; i++) {
            batch_p[row * WIDTH + i] /= sum;
        }
        for (size_t i = 0; i < WIDTH; i++) {
            batch_p32[row * WIDTH + i] = (float)batch_p[row * WIDTH + i];
            batch_logits32[row * WIDTH + i] = (float)batch_logits[row * WIDTH + i];
        }
        batch_targets[row] = (row * 7) % WIDTH;
        batch_ignore[row] = row == 2;
    }
}

static void
threads_match_single_thread(void **state)
{
    worker workers[THREADS];
    size_t total = 0;

    (void)state;
    make_inputs();
    for (size_t c = 0; c < CASE_COUNT; c++) {
        expected[c].count = 0;
        cases[c](&expected[c]);
        assert_true(expected[c].count <= MAX_WORDS);
        /* Every other case records a status first, and its inputs are valid. */
        if (cases[c] != case_small_queries && cases[c] != case_wasserstein) {
            assert_int_equal(expected[c].words[0], SINGDIV_OK);
        }
    }
    for (size_t t = 0; t < THREADS; t++) {
        workers[t].id = t;
        workers[t].mismatches = 0;
        assert_int_equal(pthread_create(&workers[t].thread, NULL, run_worker, &workers[t]), 0);
    }
    for (size_t t = 0; t < THREADS; t++) {
        assert_int_equal(pthread_join(workers[t].thread, NULL), 0);
        if (workers[t].mismatches != 0) {
            print_error("thread %zu: %zu mismatches, first in case %zu\n", t,
                        workers[t].mismatches, workers[t].first_mismatch);
        }
        total += workers[t].mismatches;
    }
    assert_int_equal(total, 0);
}

static void
threads_inputs_are_valid(void **state)
{
    singdiv_report rep;

    (void)state;
    make_inputs();
    /* The shared inputs exercise the singular paths: V and F are non-empty. */
    check_status(singdiv_kl(p, q, N, NULL, &rep), SINGDIV_OK);
    assert_true(rep.violating_count > 0);
    assert_true(rep.reverse_count > 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(threads_inputs_are_valid),
        cmocka_unit_test(threads_match_single_thread),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
