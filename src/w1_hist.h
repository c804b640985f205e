/*
 * The pass of singdiv_w1_hist(): the running cross difference of two
 * histograms times the bin widths. It is built twice from one algorithm:
 * portable scalar code, and (on x86-64 with GCC or Clang) an AVX2 + FMA
 * copy that the CPU picks at run time. The copies run the same operations
 * in the same order, so they return bit-identical sums, which the
 * Wasserstein tests check.
 */
#ifndef SINGDIV_W1_HIST_H
#define SINGDIV_W1_HIST_H

#include "internal.h"
#include "simd_discrete.h"

/*
 * The inputs of the pass. Entry i contributes the step
 * a_i - b_i = p_i (fp Q) - q_i (fq P), where fp and fq are powers of two
 * and P and Q are double-doubles; term i is |D_i| (x_{i+1} - x_i) with D_i
 * the sum of the steps up to and including i, for i < n - 1.
 */
typedef struct singdiv__w1_hist_input {
    const double *x;
    const double *p;
    const double *q;
    size_t n;
    double fp;
    double fq;
    singdiv__dd p_total;
    singdiv__dd q_total;
} singdiv__w1_hist_input;

/*
 * The result of the pass: the sum of the terms, and flags for inputs the
 * pass cannot treat. bad_support is set when some width x_{i+1} - x_i is
 * not > 0 or the sum is not finite: NaN or infinite points, unsorted or
 * repeated points, or widths and terms that overflow. The caller sends
 * only points below 2^1016 in magnitude, where valid widths stay finite.
 * tiny_share is set when some nonzero product p_i fp Q_hi or q_i fq P_hi
 * is below 2^-967 (so whenever a share p_i fp or q_i fq is below 2^-968),
 * where the products lose bits to subnormal rounding.
 * When a part of fp Q or fq P overflows or underflows, the pass does not
 * run: it sets both flags, so that the caller validates x itself and
 * takes its careful path.
 */
typedef struct singdiv__w1_hist_sums {
    singdiv__dd sum;
    int bad_support;
    int tiny_share;
} singdiv__w1_hist_sums;

/*
 * Runs the pass with the copy chosen by path. The steps are summed in
 * double-double (every error-free transformation exact while no product
 * underflows), the terms in compensated lanes. No allocation: the blocks
 * live on the stack.
 */
singdiv__w1_hist_sums
singdiv__w1_hist_pass(const singdiv__w1_hist_input *in, singdiv__path path);

/*
 * singdiv_w1_hist() with the copy of the pass chosen by path; the public
 * function passes SINGDIV__PATH_AUTO.
 */
singdiv_status
singdiv__w1_hist_on(const double *x, const double *p, const double *q, size_t n,
                    const singdiv_options *opt, double *out, singdiv__path path);

#endif /* SINGDIV_W1_HIST_H */
