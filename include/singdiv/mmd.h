/*
 * libsingdiv: maximum mean discrepancy (MMD) between two samples or two
 * discrete distributions, the median bandwidth rule and a permutation
 * two-sample test.
 *
 * Definitions. For a kernel k and samples x_1..x_n, y_1..y_m in R^d,
 *     MMD^2 = E k(X, X') + E k(Y, Y') - 2 E k(X, Y).
 * With a characteristic kernel (all three below are characteristic) it is
 * 0 exactly when the two distributions are equal, and it is finite for
 * every pair of distributions, disjoint supports included.
 *
 * Conventions (all functions here):
 * - Samples are row-major: point i of x is x[i*d] .. x[i*d + d - 1].
 *   Every coordinate must be finite. The first non-finite one is rejected
 *   with SINGDIV_ERR_NAN or SINGDIV_ERR_INFINITE, and error.index is its
 *   position in the flat array (i*d + coordinate).
 * - Values are dimensionless (kernels take values in (0, 1]).
 * - Reproducibility: results depend only on the inputs, never on the CPU's
 *   vector width, the number of threads or the run. The kernel code has
 *   its own exponential and rounds each fused multiply-add once (FMA3
 *   instructions or fma()), so the AVX2 path and the portable path give
 *   identical bits (on platforms with FLT_EVAL_METHOD 0).
 * - No global state; every function is safe to call from many threads.
 */
#ifndef SINGDIV_MMD_H
#define SINGDIV_MMD_H

#include <stddef.h>
#include <stdint.h>

#include <singdiv/common.h>
#include <singdiv/options.h>
#include <singdiv/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Kernel families; r = |x - y| is the Euclidean distance and h the bandwidth. */
typedef enum singdiv_kernel_type {
    SINGDIV_KERNEL_GAUSSIAN = 0,             /* exp(-r^2 / (2 h^2)) */
    SINGDIV_KERNEL_LAPLACIAN = 1,            /* exp(-r / h) */
    SINGDIV_KERNEL_INVERSE_MULTIQUADRIC = 2  /* (1 + r^2 / h^2)^(-1/2) */
} singdiv_kernel_type;

/*
 * A translation-invariant kernel: its type and its bandwidth h, which must
 * be finite and > 0 (else SINGDIV_ERR_DOMAIN). k(x, x) = 1 for every type.
 */
typedef struct singdiv_kernel {
    singdiv_kernel_type type;
    double bandwidth;
} singdiv_kernel;

/* Estimators of MMD^2 from samples. */
typedef enum singdiv_mmd_estimator {
    /*
     * The V-statistic
     *   1/n^2 sum_{i,j} k(x_i, x_j) + 1/m^2 sum_{i,j} k(y_i, y_j)
     *   - 2/(n m) sum_{i,j} k(x_i, y_j),
     * which is the exact MMD^2 between the two empirical distributions and
     * is >= 0. Biased upwards by O(1/n + 1/m).
     */
    SINGDIV_MMD_BIASED = 0,
    /*
     * The U-statistic
     *   1/(n(n-1)) sum_{i != j} k(x_i, x_j) + 1/(m(m-1)) sum_{i != j} k(y_i, y_j)
     *   - 2/(n m) sum_{i,j} k(x_i, y_j),
     * an unbiased estimate of the population MMD^2. It does not use the
     * diagonal k(x_i, x_i), needs n >= 2 and m >= 2, and is negative for
     * some samples: it is returned as computed, never clipped at 0.
     */
    SINGDIV_MMD_UNBIASED = 1
} singdiv_mmd_estimator;

/*
 * Computes the MMD^2 estimate between the samples x (n points) and y
 * (m points) in R^d.
 *
 * Identical inputs (n == m and x, y bitwise equal) give exactly +0.0 with
 * SINGDIV_MMD_BIASED. A biased estimate that rounding makes negative is
 * returned as +0.0, because the exact V-statistic is >= 0.
 *
 * Method: the points are centred on the midrange of the pooled sample and
 * divided by h, then processed in tiles of at most 512 points; no n x m
 * matrix is formed. Squared distances come from |u|^2 + |v|^2 - 2 u.v
 * (negative roundings clamped to 0, and equal points give exactly 0)
 * when the kernel is Gaussian or inverse multiquadric, d > 4 and every
 * centred point lies within 32 bandwidths of the centre; otherwise from
 * the difference form sum (u_k - v_k)^2, which is always used for the
 * Laplacian kernel because its square root would magnify the cancellation
 * at small distances.
 *
 * Accuracy: the scaled squared distances carry an absolute error of about
 * (d + 3) * eps * (|u|^2 + |v|^2) <= 2048 (d + 3) eps in the first form and
 * a relative error of about (d + 3) eps in the difference form
 * (eps = 2^-53), and the exponential is within 2 ulp. Block sums of at most
 * 512^2 kernel values are added with Neumaier's compensated sum, row of
 * blocks by row, and the row sums again with Neumaier's sum. The
 * estimate therefore has an absolute error of a few times
 * eps * (mean k(x,x') + mean k(y,y') + 2 mean k(x,y)) plus the distance
 * error above; a value smaller than that is rounding noise.
 * Kernel values below 2^-1074 (distances beyond about 38.6 bandwidths for
 * the Gaussian kernel, 744 for the Laplacian) are 0; for the inverse
 * multiquadric kernel, distances above about 1.3e154 bandwidths give 0
 * where the exact value is below 7.5e-155.
 *
 * Cost: O((n + m)^2 d) time, counting each symmetric pair once;
 * allocates singdiv_mmd2_workspace_size(d) doubles, independent of n and
 * m: 8 d bytes plus at most 256 KB for d <= 2046 (148 KB for d = 16), and
 * about 136 d bytes above.
 *
 * Errors, in the order they are checked:
 * - SINGDIV_ERR_NULL: x, y, kernel or out is NULL.
 * - SINGDIV_ERR_EMPTY: n, m or d is 0.
 * - SINGDIV_ERR_SIZE_OVERFLOW: n * d or m * d doubles exceed PTRDIFF_MAX bytes.
 * - SINGDIV_ERR_NAN, SINGDIV_ERR_INFINITE: a coordinate of x, then of y.
 * - SINGDIV_ERR_DOMAIN: an unknown kernel->type or estimator, a bandwidth
 *   that is not finite and > 0, or a bandwidth so small that a centred
 *   coordinate divided by it overflows (argument "kernel->bandwidth").
 * - SINGDIV_ERR_TOO_FEW_SAMPLES: SINGDIV_MMD_UNBIASED with n < 2 or m < 2.
 * - SINGDIV_ERR_NO_MEMORY: the workspace could not be allocated.
 * *out is written only on success.
 */
SINGDIV_EXPORT singdiv_status
singdiv_mmd2(const double *x, size_t n, const double *y, size_t m, size_t d,
             const singdiv_kernel *kernel, singdiv_mmd_estimator estimator,
             double *out);

/*
 * Stores in *count the number of doubles of workspace that
 * singdiv_mmd2_ex() and singdiv_mmd2_weighted() need for dimension d.
 * It depends on d only. Returns SINGDIV_ERR_NULL, SINGDIV_ERR_EMPTY
 * (d == 0) or SINGDIV_ERR_SIZE_OVERFLOW.
 */
SINGDIV_EXPORT singdiv_status
singdiv_mmd2_workspace_size(size_t d, size_t *count);

/*
 * Computes the same value as singdiv_mmd2(), with a caller-provided
 * workspace and error details.
 *
 * work, work_count: a buffer of at least singdiv_mmd2_workspace_size(d)
 * doubles (any alignment), else SINGDIV_ERR_WORKSPACE. With work NULL and
 * work_count 0 the function allocates the workspace itself. err may be
 * NULL; on failure it names the rejected argument, index and value.
 */
SINGDIV_EXPORT singdiv_status
singdiv_mmd2_ex(const double *x, size_t n, const double *y, size_t m, size_t d,
                const singdiv_kernel *kernel, singdiv_mmd_estimator estimator,
                double *work, size_t work_count, double *out, singdiv_error *err);

/*
 * Computes the same value as singdiv_mmd2(), bit for bit, on up to
 * `threads` threads (the calling one included).
 *
 * threads: 0 uses one thread per online processor; any other value is the
 * number of threads, capped at the number of rows of tiles (about
 * 2 n / 512 + m / 512 for d <= 30). The work is split into rows of tile
 * pairs that idle threads take in turn. Each row sum is stored in its own
 * slot and the rows are added in a fixed order, so the result does not
 * depend on the thread count or on the scheduling.
 *
 * Threads are used only when the library was built with the meson option
 * -Dthreads=true (POSIX threads); otherwise, and when threads is 1, the
 * whole computation runs on the calling thread. A thread that cannot be
 * created, or cannot allocate its workspace, leaves its share to the
 * others, which changes the time but not the result.
 *
 * Memory: the workspace of singdiv_mmd2() for each thread, plus one double
 * per row of tiles. err may be NULL.
 *
 * Errors: as singdiv_mmd2() (SINGDIV_ERR_NO_MEMORY when the calling
 * thread's workspace cannot be allocated).
 */
SINGDIV_EXPORT singdiv_status
singdiv_mmd2_parallel(const double *x, size_t n, const double *y, size_t m, size_t d,
                      const singdiv_kernel *kernel, singdiv_mmd_estimator estimator,
                      size_t threads, double *out, singdiv_error *err);

/*
 * Computes MMD^2 between two discrete distributions p and q on the same k
 * support points z (row-major, k x d):
 *     MMD^2 = (p - q)^T K (p - q),  K_ij = k(z_i, z_j),
 * with p and q normalised by their exact sums. This is the exact MMD^2 of
 * the two distributions; it is finite for disjoint supports and equal to
 * the biased sample estimate when p and q are point masses 1/n and 1/m on
 * the pooled sample points.
 *
 * p and q are validated like the discrete divergences (see discrete.h):
 * entries finite and >= 0, not all zero, and, unless opt->normalize is
 * set, summing to 1 within opt->sum_tolerance. opt may be NULL (defaults);
 * opt->base is validated but ignored, because MMD has no logarithm.
 *
 * The weights w_i = p_i / P - q_i / Q are formed in double-double so that
 * nearly equal p and q keep their difference; p == q gives exactly +0.0.
 * The sum runs over each pair once, in tiles like singdiv_mmd2(), with the
 * same distance accuracy. Because every kernel here is positive definite
 * the exact value is >= 0, and a negative rounding is returned as +0.0.
 *
 * Cost: O(k^2 d) time; allocates singdiv_mmd2_workspace_size(d) doubles.
 *
 * Errors, in the order they are checked: SINGDIV_ERR_NULL (p, q, z,
 * kernel, out), SINGDIV_ERR_EMPTY (k or d is 0), SINGDIV_ERR_SIZE_OVERFLOW
 * (k * d), SINGDIV_ERR_DOMAIN (opt->base, opt->sum_tolerance), then for p
 * and for q SINGDIV_ERR_NAN, SINGDIV_ERR_INFINITE, SINGDIV_ERR_NEGATIVE,
 * SINGDIV_ERR_ZERO_MASS, SINGDIV_ERR_NOT_NORMALIZED; then SINGDIV_ERR_NAN,
 * SINGDIV_ERR_INFINITE for a coordinate of z, SINGDIV_ERR_DOMAIN for the
 * kernel (as in singdiv_mmd2()), SINGDIV_ERR_NO_MEMORY.
 */
SINGDIV_EXPORT singdiv_status
singdiv_mmd2_weighted(const double *p, const double *q, const double *z,
                      size_t k, size_t d, const singdiv_kernel *kernel,
                      const singdiv_options *opt, double *out, singdiv_error *err);

/*
 * Computes the median heuristic bandwidth: the median of the Euclidean
 * distances |z_i - z_j| over all N (N - 1) / 2 pairs i < j of the pooled
 * sample z = (x_1..x_n, y_1..y_m), N = n + m. For an even number of pairs
 * the median is the mean of the two middle distances.
 *
 * Ties: when that median is 0 (more than half of the pairs coincide), the
 * result is the median of the non-zero distances instead, which is the
 * scale of the points that do differ. When all points coincide there is no
 * scale and the function returns SINGDIV_ERR_DOMAIN (argument "x").
 *
 * Accuracy: each distance is computed from the coordinate differences with
 * power-of-two scaling against overflow and underflow, to within about
 * (d + 4) / 2 ulp; the median is then exact up to that.
 *
 * Cost: O(N^2 d) time (expected linear-time selection). The exact median
 * needs all N (N - 1) / 2 distances: this function allocates
 * 4 N (N - 1) bytes, for example 8 MB for N = 1448 and 800 MB for
 * N = 14143. For larger samples use singdiv_median_bandwidth_ex() with a
 * caller-provided buffer or a bounded subsample.
 *
 * Errors: SINGDIV_ERR_NULL, SINGDIV_ERR_EMPTY (n, m or d is 0),
 * SINGDIV_ERR_SIZE_OVERFLOW (n * d, m * d or the number of pairs),
 * SINGDIV_ERR_NAN, SINGDIV_ERR_INFINITE (a coordinate of x, then of y),
 * SINGDIV_ERR_DOMAIN (all points coincide, or the median distance exceeds
 * DBL_MAX), SINGDIV_ERR_NO_MEMORY.
 */
SINGDIV_EXPORT singdiv_status
singdiv_median_bandwidth(const double *x, size_t n, const double *y, size_t m,
                         size_t d, double *out);

/*
 * Stores in *count the number of doubles of workspace that
 * singdiv_median_bandwidth_ex() needs: P = N' (N' - 1) / 2 with
 * N' = min(n + m, max_points) (N' = n + m when max_points is 0).
 * Returns SINGDIV_ERR_NULL, SINGDIV_ERR_EMPTY (n + m == 0),
 * SINGDIV_ERR_DOMAIN (max_points == 1) or SINGDIV_ERR_SIZE_OVERFLOW.
 */
SINGDIV_EXPORT singdiv_status
singdiv_median_bandwidth_workspace_size(size_t n, size_t m, size_t max_points,
                                        size_t *count);

/*
 * Computes the median heuristic bandwidth like singdiv_median_bandwidth(),
 * on a bounded subsample and with a caller-provided buffer.
 *
 * max_points: 0 uses all N = n + m pooled points. Otherwise, when
 * N > max_points, the median is taken over the max_points pooled points
 * with indices floor(j N / max_points), j = 0 .. max_points - 1 (evenly
 * spaced, deterministic); max_points must then be >= 2
 * (SINGDIV_ERR_DOMAIN for 1).
 * work, work_count: at least singdiv_median_bandwidth_workspace_size()
 * doubles, else SINGDIV_ERR_WORKSPACE; this function never allocates.
 * err may be NULL.
 */
SINGDIV_EXPORT singdiv_status
singdiv_median_bandwidth_ex(const double *x, size_t n, const double *y, size_t m,
                            size_t d, size_t max_points, double *work,
                            size_t work_count, double *out, singdiv_error *err);

/* The result of singdiv_mmd_test(). */
typedef struct singdiv_mmd_test_result {
    /* The MMD^2 estimate of the observed split, as singdiv_mmd2() defines it. */
    double statistic;
    /* (1 + exceed_count) / (1 + permutations), in (0, 1]. */
    double p_value;
    /* The number of permuted statistics >= statistic. */
    size_t exceed_count;
    /* The number of random permutations B. */
    size_t permutations;
    /* 1 when the pooled kernel matrix was stored and reused, 0 when tiles were recomputed. */
    int kernel_matrix_stored;
} singdiv_mmd_test_result;

/*
 * Runs a permutation two-sample test of H0: x and y come from the same
 * distribution, with the MMD^2 estimate as statistic.
 *
 * Each of the B = permutations rounds draws a uniformly random split of
 * the pooled sample into groups of sizes n and m and recomputes the
 * statistic; p_value = (1 + #{permuted >= observed}) / (1 + B), which is
 * never 0 and is a valid p-value for any B >= 1.
 *
 * Random numbers: xoshiro256** seeded through splitmix64 from seed,
 * private to the call, with exactly uniform integers (rejection sampling).
 * The same inputs, seed, B and memory_budget give the same result on every
 * run and platform.
 *
 * memory_budget: bytes the function may use for the pooled N x N kernel
 * matrix, N = n + m. When 8 N^2 <= memory_budget (and the allocation
 * succeeds) the matrix is computed once and every round costs
 * O(min(n, m)^2) additions. Otherwise each round recomputes the kernel
 * values within the smaller group in tiles, O(min(n, m)^2 d). In both
 * cases the statistic of a split is derived from the within-group sum of
 * the smaller group, the pooled row sums and the pooled total, so that
 * the observed and the permuted statistics are computed the same way;
 * the observed statistic can therefore differ from singdiv_mmd2() by
 * rounding (absolute error about eps times the pooled kernel total over
 * n^2). The two memory paths may differ in the last bits and so, rarely,
 * in a tie.
 * Besides the matrix, memory is O(N + tile): the row sums, two index
 * arrays and the tile workspace.
 *
 * Errors: as singdiv_mmd2() (SINGDIV_ERR_NULL also for out,
 * SINGDIV_ERR_TOO_FEW_SAMPLES for the unbiased estimator with n < 2 or
 * m < 2), plus SINGDIV_ERR_DOMAIN when permutations is 0.
 * err may be NULL.
 */
SINGDIV_EXPORT singdiv_status
singdiv_mmd_test(const double *x, size_t n, const double *y, size_t m, size_t d,
                 const singdiv_kernel *kernel, singdiv_mmd_estimator estimator,
                 size_t permutations, uint64_t seed, size_t memory_budget,
                 singdiv_mmd_test_result *out, singdiv_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SINGDIV_MMD_H */
