/*
 * libsingdiv: Wasserstein distances between distributions on the real line.
 *
 * W1 is finite for any two distributions with a finite first moment,
 * whatever their supports: it has no singularity. With F_u, F_v the
 * cumulative distribution functions and Q_u, Q_v their quantile functions,
 *
 *     W1(u, v) = integral |F_u(x) - F_v(x)| dx = integral_0^1 |Q_u(t) - Q_v(t)| dt
 *
 * and the distance of order k >= 1 couples the quantiles:
 *
 *     Wk(u, v) = (integral_0^1 |Q_u(t) - Q_v(t)|^k dt)^(1/k).
 *
 * Results are in the unit of the sample values.
 *
 * Conventions for the sample functions (singdiv_*_samples*):
 * - u and v are samples of lengths nu, nv >= 1, entries finite, in any
 *   order; ties are allowed.
 * - u_weights and v_weights give each sample's weight; NULL means equal
 *   weights. Weights must be finite and >= 0, not all zero; zero weights
 *   are allowed. Each side is divided by its own exact total, so the two
 *   totals need not match (counts are accepted as weights).
 * - The sample form and the histogram form differ: singdiv_w1_samples()
 *   reads u as sample values, singdiv_w1_hist() reads p as masses placed
 *   on points x. Passing a histogram's masses as sample values is a
 *   different question with a different answer.
 * - Identical inputs give exactly +0.0.
 *
 * Accuracy: sums are compensated and differences of sample values are
 * formed between neighbours in the coupling, never from absolute positions,
 * so samples far from zero (for example 1e9 plus small offsets) lose
 * nothing. Unweighted W1 and Wk are within 4 ulp of the exact value for
 * the given doubles; weighted ones within 4 ulp unless the weights are so
 * close to each other that the coupled masses cancel below 2^-100 of the
 * totals. Checked against exact rational references (tests/data/w1_*).
 * Weights may span the whole exponent range (2^-1074 beside 1, say): the
 * masses are lifted by a power of two before they could round in the
 * subnormal range.
 * NOTE: a weight more than about 2^-2000 below its side's total still
 * rounds there. The totals are double-doubles, so weights whose exact sum
 * needs more than about 106 bits (1, 0.3 and 2^-1074) lose the smallest
 * from the total, and W1 of samples that differ only there loses its
 * relative accuracy.
 *
 * Cost: the sample functions sort both samples with an LSD radix sort on
 * the bit patterns of the doubles, O(nu + nv) time and
 * singdiv_w1_samples_workspace_size(nu, nv) bytes of scratch space. The
 * singdiv_*_workspace variants take that space from the caller and never
 * allocate; the plain variants allocate it with malloc and free it before
 * returning. singdiv_w1_samples_sorted() needs no scratch space. All are
 * safe to call from many threads at once.
 *
 * Errors, in the order they are checked. The functions with a
 * singdiv_error argument fill it (it may be NULL); callers of the others
 * can pass the same inputs to singdiv_check_samples() to learn the
 * argument, the index and the value that were rejected.
 * - SINGDIV_ERR_NULL: u, v or out is NULL, or the workspace pointer is
 *   NULL (out NULL: nothing is written).
 * - SINGDIV_ERR_DOMAIN: k is NaN or below 1.
 * - SINGDIV_ERR_EMPTY: nu or nv is 0.
 * - SINGDIV_ERR_SIZE_OVERFLOW: the length of u or v times sizeof(double)
 *   exceeds PTRDIFF_MAX.
 * - SINGDIV_ERR_WORKSPACE: the workspace is smaller than
 *   singdiv_w1_samples_workspace_size(nu, nv) or not aligned for double
 *   and size_t.
 * - SINGDIV_ERR_NAN, SINGDIV_ERR_INFINITE: the first such entry of u, then
 *   of u_weights, then of v, then of v_weights.
 * - SINGDIV_ERR_NEGATIVE: the first negative weight.
 * - SINGDIV_ERR_ZERO_MASS: a weight vector is all zero.
 * - SINGDIV_ERR_INFINITE without an index: a weight vector's sum exceeds
 *   DBL_MAX.
 * - SINGDIV_ERR_UNSORTED: only singdiv_w1_samples_sorted(), an entry of u
 *   or v smaller than the one before it (the index is the later one).
 * - SINGDIV_ERR_NO_MEMORY: only the allocating variants.
 * On failure *out is NaN.
 */
#ifndef SINGDIV_WASSERSTEIN_H
#define SINGDIV_WASSERSTEIN_H

#include <stddef.h>

#include <singdiv/common.h>
#include <singdiv/options.h>
#include <singdiv/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Validates one weighted sample as the sample functions do: values not
 * NULL (SINGDIV_ERR_NULL), n >= 1 (SINGDIV_ERR_EMPTY), n doubles
 * addressable (SINGDIV_ERR_SIZE_OVERFLOW), every value finite
 * (SINGDIV_ERR_NAN, SINGDIV_ERR_INFINITE), then, unless weights is NULL,
 * every weight finite and >= 0 (SINGDIV_ERR_NEGATIVE) and not all zero
 * (SINGDIV_ERR_ZERO_MASS). Fills *err, which may be NULL, with the
 * argument ("values" or "weights"), the index and the value rejected.
 * Returns SINGDIV_OK for a valid sample. O(n), no allocation.
 */
SINGDIV_EXPORT singdiv_status
singdiv_check_samples(const double *values, const double *weights, size_t n,
                      singdiv_error *err);

/*
 * Validates the support points of a histogram as singdiv_w1_hist() does:
 * x not NULL, n >= 1, every x_i finite, and x strictly increasing
 * (SINGDIV_ERR_UNSORTED at the first i with x_i <= x_{i-1}). Fills *err,
 * which may be NULL, with the argument "x", the index and the value.
 */
SINGDIV_EXPORT singdiv_status
singdiv_check_support(const double *x, size_t n, singdiv_error *err);

/*
 * Computes W1 between the weighted samples u and v (see the top of this
 * file) and stores it in *out. Allocates its scratch space: returns
 * SINGDIV_ERR_NO_MEMORY when malloc fails. +inf only when the exact value
 * exceeds DBL_MAX, which needs samples near +-DBL_MAX.
 */
SINGDIV_EXPORT singdiv_status
singdiv_w1_samples(const double *u, const double *u_weights, size_t nu,
                   const double *v, const double *v_weights, size_t nv,
                   double *out);

/*
 * Returns the number of bytes of scratch space that the workspace variants
 * need for samples of lengths nu and nv, weighted or not, or SIZE_MAX when
 * that number does not fit in a size_t. Memory from malloc is suitably
 * aligned.
 */
SINGDIV_EXPORT size_t
singdiv_w1_samples_workspace_size(size_t nu, size_t nv);

/*
 * Computes W1 like singdiv_w1_samples() in the caller's workspace of
 * workspace_size bytes, and never allocates. The workspace's contents on
 * entry do not matter and on return are unspecified. err may be NULL.
 */
SINGDIV_EXPORT singdiv_status
singdiv_w1_samples_workspace(const double *u, const double *u_weights, size_t nu,
                             const double *v, const double *v_weights, size_t nv,
                             void *workspace, size_t workspace_size,
                             double *out, singdiv_error *err);

/*
 * Computes W1 like singdiv_w1_samples() for samples that the caller has
 * already sorted in non-decreasing order (each weight staying with its
 * value), with no scratch space and no allocation: O(nu + nv). An entry
 * smaller than its predecessor is SINGDIV_ERR_UNSORTED with its index.
 * err may be NULL.
 */
SINGDIV_EXPORT singdiv_status
singdiv_w1_samples_sorted(const double *u, const double *u_weights, size_t nu,
                          const double *v, const double *v_weights, size_t nv,
                          double *out, singdiv_error *err);

/*
 * Computes W1 between two histograms p and q on the same support points x:
 * W1 = sum over i < n - 1 of |P_i - Q_i| (x_{i+1} - x_i), with P_i and
 * Q_i the cumulative masses of p / sum(p) and q / sum(q) up to point i.
 *
 * x: n finite, strictly increasing points (SINGDIV_ERR_UNSORTED for an
 * unsorted or repeated point). p, q: validated like the discrete
 * divergences, honouring opt->normalize and opt->sum_tolerance; opt NULL
 * means the defaults. opt->base does not apply (W1 is in the unit of x)
 * but must be valid. n = 1 gives 0.
 *
 * The cumulative difference P_i Q - Q_i P is accumulated in double-double
 * from exact products, so histograms that differ in the last digits keep
 * their relative accuracy: within 4 ulp of the exact value, checked
 * against exact rational references. Shares that would be subnormal (an
 * entry of 2^-1074 beside entries near 1) are first lifted by a power of
 * two, within the limits given for weights at the top of this file. On
 * x86-64 processors with AVX2 and FMA a vectorised copy of the pass runs,
 * and it returns the same bits as the portable copy.
 *
 * Errors, in the order they are checked: SINGDIV_ERR_NULL when out or x
 * is NULL. Then opt and p and q as singdiv/discrete.h checks them:
 * SINGDIV_ERR_DOMAIN, then for p and then q SINGDIV_ERR_NULL,
 * SINGDIV_ERR_EMPTY, SINGDIV_ERR_SIZE_OVERFLOW, SINGDIV_ERR_NAN,
 * SINGDIV_ERR_INFINITE, SINGDIV_ERR_NEGATIVE, SINGDIV_ERR_ZERO_MASS and
 * SINGDIV_ERR_NOT_NORMALIZED. Last, the entries of x: SINGDIV_ERR_NAN,
 * SINGDIV_ERR_INFINITE and SINGDIV_ERR_UNSORTED. singdiv_check_distribution()
 * and singdiv_check_support() report the index. O(n), no allocation.
 */
SINGDIV_EXPORT singdiv_status
singdiv_w1_hist(const double *x, const double *p, const double *q, size_t n,
                const singdiv_options *opt, double *out);

/*
 * Computes the Wasserstein distance of order k between the weighted samples
 * u and v through the quantile coupling (see the top of this file).
 * k: >= 1, or +inf for W_inf = the largest |Q_u(t) - Q_v(t)|; NaN or k < 1
 * is SINGDIV_ERR_DOMAIN. k = 1 gives exactly singdiv_w1_samples().
 *
 * The powers are taken of |Q_u - Q_v| / M, with M the largest difference
 * that the coupling uses, so no power underflows or overflows for any k
 * (k = 540 and beyond included): Wk = M (sum m_i (d_i / M)^k)^(1/k).
 * Accurate to 8 ulp for unweighted samples. +inf only when the exact
 * value exceeds DBL_MAX. Allocates like singdiv_w1_samples().
 */
SINGDIV_EXPORT singdiv_status
singdiv_wk_samples(const double *u, const double *u_weights, size_t nu,
                   const double *v, const double *v_weights, size_t nv,
                   double k, double *out);

/*
 * Computes Wk like singdiv_wk_samples() in the caller's workspace (size
 * from singdiv_w1_samples_workspace_size()); never allocates.
 */
SINGDIV_EXPORT singdiv_status
singdiv_wk_samples_workspace(const double *u, const double *u_weights, size_t nu,
                             const double *v, const double *v_weights, size_t nv,
                             double k, void *workspace, size_t workspace_size,
                             double *out, singdiv_error *err);

/*
 * Computes the L^k distance between the two cumulative distribution
 * functions, (integral |F_u(x) - F_v(x)|^k dx)^(1/k), for k >= 1, or
 * sup |F_u - F_v| (the Kolmogorov-Smirnov statistic) for k = +inf. For
 * k = 1 it equals W1; for k = 2 it is the energy distance divided by
 * sqrt(2). Unlike Wk it couples the CDFs, not the quantiles, so the two
 * differ for k > 1.
 *
 * The powers are taken of |F_u - F_v| / M, with M the largest difference,
 * so large k neither underflows nor overflows, and the result is +inf
 * only when the exact value exceeds DBL_MAX. Inputs, errors and
 * allocation as for singdiv_wk_samples().
 */
SINGDIV_EXPORT singdiv_status
singdiv_cdf_distance_samples(const double *u, const double *u_weights, size_t nu,
                             const double *v, const double *v_weights, size_t nv,
                             double k, double *out);

/*
 * Computes the CDF distance like singdiv_cdf_distance_samples() in the
 * caller's workspace (size from singdiv_w1_samples_workspace_size());
 * never allocates.
 */
SINGDIV_EXPORT singdiv_status
singdiv_cdf_distance_samples_workspace(const double *u, const double *u_weights,
                                       size_t nu, const double *v,
                                       const double *v_weights, size_t nv,
                                       double k, void *workspace,
                                       size_t workspace_size, double *out,
                                       singdiv_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SINGDIV_WASSERSTEIN_H */
