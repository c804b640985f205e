/*
 * Permutation two-sample test with the MMD^2 statistic.
 *
 * For a split of the pooled sample into a small group S (size s =
 * min(n, m)) and a large group L, with the off-diagonal kernel row sums r_i
 * and their total T fixed across splits:
 *     sum_{i != j in S} K_ij = 2 U,  U = sum_{i < j in S} K_ij,
 *     sum_{i in S, j in L} K_ij = sum_{i in S} r_i - 2 U,
 *     sum_{i != j in L} K_ij = T - 2 U - 2 (sum_{i in S} r_i - 2 U),
 * so each round only needs U, O(s^2) work.
 */
#include <stdlib.h>
#include <string.h>

#include "mmd_internal.h"

/* Shared state of one test. */
typedef struct test_state {
    const singdiv__mmd_plan *plan;
    singdiv__mmd_points pooled;
    size_t n;
    size_t m;
    size_t small;          /* min(n, m) */
    singdiv_mmd_estimator estimator;
    size_t *order;         /* pooled indices; the first `small` form S */
    size_t *sorted;        /* S sorted, for a cache-friendly walk over kmat */
    double *row_sums;      /* r_i, off-diagonal */
    double total;          /* T */
    double *kmat;          /* N x N kernel matrix, or NULL */
    singdiv__mmd_tile *ta;
    singdiv__mmd_tile *tb;
} test_state;

static int
compare_size(const void *a, const void *b)
{
    size_t u = *(const size_t *)a;
    size_t v = *(const size_t *)b;

    return (u > v) - (u < v);
}

/* Returns U = sum over pairs i < j within the small group. */
static double
small_group_pairs(test_state *st)
{
    size_t s = st->small;
    size_t big_n = st->n + st->m;
    singdiv__sum total = { 0.0, 0.0 };
    singdiv__mmd_points group = st->pooled;

    memcpy(st->sorted, st->order, s * sizeof(size_t));
    qsort(st->sorted, s, sizeof(size_t), compare_size);
    if (st->kmat == NULL) {
        group.index = st->sorted;
        group.n = s;
        total = singdiv__mmd_self_sum(st->plan, &group, st->ta, st->tb);
        return singdiv__sum_value(&total);
    }
    for (size_t a = 0; a + 1 < s; a++) {
        const double *row = st->kmat + st->sorted[a] * big_n;
        double partial = 0.0;

        for (size_t b = a + 1; b < s; b++) {
            partial += row[st->sorted[b]];
        }
        singdiv__sum_add(&total, partial);
    }
    return singdiv__sum_value(&total);
}

/* Returns the statistic of the split held in st->order. */
static double
split_statistic(test_state *st)
{
    singdiv__sum rs = { 0.0, 0.0 };
    double within_small;
    double cross;
    double within_large;

    for (size_t i = 0; i < st->small; i++) {
        singdiv__sum_add(&rs, st->row_sums[st->order[i]]);
    }
    within_small = 2.0 * small_group_pairs(st);
    cross = singdiv__sum_value(&rs) - within_small;
    within_large = (st->total - within_small) - 2.0 * cross;
    if (st->n <= st->m) {
        return singdiv__mmd_estimate(within_small, within_large, cross, st->n, st->m,
                                     st->estimator);
    }
    return singdiv__mmd_estimate(within_large, within_small, cross, st->n, st->m,
                                 st->estimator);
}

/* Fills the kernel matrix (when stored) or the row sums from tiles. */
static void
pooled_row_sums(test_state *st)
{
    size_t big_n = st->n + st->m;
    size_t t = st->plan->tile;
    singdiv__sum total = { 0.0, 0.0 };

    memset(st->row_sums, 0, big_n * sizeof(double));
    for (size_t i0 = 0; i0 < big_n; i0 += t) {
        size_t ni = big_n - i0 < t ? big_n - i0 : t;

        singdiv__mmd_pack(st->plan, &st->pooled, i0, ni, st->ta);
        for (size_t j0 = i0; j0 < big_n; j0 += t) {
            size_t nj = big_n - j0 < t ? big_n - j0 : t;
            int symmetric = j0 == i0;

            if (!symmetric) {
                singdiv__mmd_pack(st->plan, &st->pooled, j0, nj, st->tb);
            }
            if (st->kmat != NULL) {
                singdiv__mmd_tile_store(st->plan, st->ta, symmetric ? st->ta : st->tb,
                                        symmetric, st->kmat, big_n, i0, j0);
            } else {
                singdiv__mmd_tile_row_sums(st->plan, st->ta, symmetric ? st->ta : st->tb,
                                           symmetric, st->row_sums + i0,
                                           st->row_sums + j0);
            }
        }
    }
    if (st->kmat != NULL) {
        for (size_t i = 0; i < big_n; i++) {
            singdiv__sum row = { 0.0, 0.0 };

            st->kmat[i * big_n + i] = 1.0;
            for (size_t j = 0; j < big_n; j++) {
                singdiv__sum_add(&row, j == i ? 0.0 : st->kmat[i * big_n + j]);
            }
            st->row_sums[i] = singdiv__sum_value(&row);
        }
    }
    for (size_t i = 0; i < big_n; i++) {
        singdiv__sum_add(&total, st->row_sums[i]);
    }
    st->total = singdiv__sum_value(&total);
}

/* Draws the next split: a partial Fisher-Yates shuffle of the first `small` positions. */
static void
draw_split(test_state *st, singdiv__rng *rng)
{
    size_t big_n = st->n + st->m;

    for (size_t i = 0; i < st->small; i++) {
        size_t j = i + (size_t)singdiv__rng_below(rng, (uint64_t)(big_n - i));
        size_t t = st->order[i];

        st->order[i] = st->order[j];
        st->order[j] = t;
    }
}

/* Runs the observed split and the B permuted ones; the state is set up. */
static void
run_rounds(test_state *st, size_t permutations, uint64_t seed,
           singdiv_mmd_test_result *out)
{
    singdiv__rng rng;
    size_t big_n = st->n + st->m;
    size_t first_small = st->n <= st->m ? 0 : st->n;
    size_t exceed = 0;
    double observed;

    /* The observed split: the small group first, then the others, in pooled order. */
    for (size_t i = 0; i < big_n; i++) {
        st->order[i] = (first_small + i) % big_n;
    }
    pooled_row_sums(st);
    observed = split_statistic(st);

    singdiv__rng_seed(&rng, seed);
    for (size_t b = 0; b < permutations; b++) {
        draw_split(st, &rng);
        if (split_statistic(st) >= observed) {
            exceed++;
        }
    }

    out->statistic = observed;
    out->exceed_count = exceed;
    out->permutations = permutations;
    out->p_value = (1.0 + (double)exceed) / (1.0 + (double)permutations);
    out->kernel_matrix_stored = st->kmat != NULL;
}

/*
 * Allocates the kernel matrix when 8 N^2 bytes fit in memory_budget;
 * returns NULL (the tiled path) otherwise or when the allocation fails.
 */
static double *
allocate_kernel_matrix(size_t big_n, size_t memory_budget)
{
    if (big_n > memory_budget / sizeof(double) / big_n) {
        return NULL;
    }
    return malloc(big_n * big_n * sizeof(double));
}

singdiv_status
singdiv_mmd_test(const double *x, size_t n, const double *y, size_t m, size_t d,
                 const singdiv_kernel *kernel, singdiv_mmd_estimator estimator,
                 size_t permutations, uint64_t seed, size_t memory_budget,
                 singdiv_mmd_test_result *out, singdiv_error *err)
{
    singdiv__mmd_plan plan;
    singdiv__mmd_tile ta;
    singdiv__mmd_tile tb;
    test_state st;
    size_t work_count;
    size_t tile_doubles;
    size_t big_n = n + m;
    double *work;
    singdiv_status status;

    singdiv__clear_error(err);
    if (out == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, "out", SINGDIV_NO_INDEX, (double)NAN);
    }
    status = singdiv__mmd_check_samples(x, n, y, m, d, kernel, estimator, err);
    if (status != SINGDIV_OK) {
        return status;
    }
    if (permutations == 0) {
        return singdiv__fail(err, SINGDIV_ERR_DOMAIN, "permutations", SINGDIV_NO_INDEX, 0.0);
    }
    if (singdiv_mmd2_workspace_size(d, &work_count) != SINGDIV_OK ||
        work_count > (size_t)PTRDIFF_MAX / sizeof(double) - big_n ||
        big_n > (size_t)PTRDIFF_MAX / (2 * sizeof(size_t))) {
        return singdiv__fail(err, SINGDIV_ERR_SIZE_OVERFLOW, "d", SINGDIV_NO_INDEX,
                             (double)d);
    }

    /* One block: center and tiles, then the row sums; two index arrays. */
    work = malloc((work_count + big_n) * sizeof(double));
    st.order = malloc(2 * big_n * sizeof(size_t));
    if (work == NULL || st.order == NULL) {
        free(work);
        free(st.order);
        return singdiv__fail(err, SINGDIV_ERR_NO_MEMORY, "work", SINGDIV_NO_INDEX,
                             (double)(work_count + big_n));
    }
    status = singdiv__mmd_plan_init(&plan, kernel, x, n, y, m, d, work, err);
    if (status == SINGDIV_OK) {
        (void)singdiv__mmd_tile_doubles(d, &tile_doubles);
        singdiv__mmd_tile_init(&ta, work + d, d);
        singdiv__mmd_tile_init(&tb, work + d + tile_doubles, d);
        singdiv__mmd_points_init(&st.pooled, x, big_n);
        st.pooled.x2 = y;
        st.pooled.split = n;
        st.plan = &plan;
        st.n = n;
        st.m = m;
        st.small = n <= m ? n : m;
        st.estimator = estimator;
        st.sorted = st.order + big_n;
        st.row_sums = work + work_count;
        st.kmat = allocate_kernel_matrix(big_n, memory_budget);
        st.ta = &ta;
        st.tb = &tb;
        run_rounds(&st, permutations, seed, out);
        free(st.kmat);
    }
    free(work);
    free(st.order);
    return status;
}
