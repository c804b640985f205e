/*
 * The per-element passes of entropy, cross-entropy, KL and Jensen-Shannon,
 * each built twice from one source: portable scalar code, and (on x86-64
 * with GCC or Clang) a copy compiled for AVX2 and FMA that the CPU picks at
 * run time. The copies run the same operations in the same order, and fma()
 * is correctly rounded in both, so they return bit-identical sums;
 * tests/test_fast_paths.c checks that.
 */
#ifndef SINGDIV_SIMD_DISCRETE_H
#define SINGDIV_SIMD_DISCRETE_H

#include "internal.h"

/* The AVX2 + FMA copies and the kernels of discrete_avx2.c: x86-64 with GCC or Clang. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SINGDIV_HAVE_AVX2_KERNELS 1
#else
#define SINGDIV_HAVE_AVX2_KERNELS 0
#endif

/* Which copy of a pass runs. */
typedef enum singdiv__path {
    SINGDIV__PATH_AUTO,  /* AVX2 + FMA when the CPU has both, else scalar */
    SINGDIV__PATH_SCALAR /* always the portable scalar copy */
} singdiv__path;

/* Sums of the cross-entropy pass, in units of the scaled sums. */
typedef struct singdiv__ce_sums {
    singdiv__sum covered;   /* -sum over S \ V of p_i log(q_i / Q) */
    singdiv__sum violating; /* sum over V of p_i */
    singdiv__sum reverse;   /* sum over F of q_i */
    size_t violating_count;
    size_t reverse_count;
} singdiv__ce_sums;

/* Sums of the KL and JS passes, in units of P Q. */
typedef struct singdiv__kl_sums {
    singdiv__sum covered;   /* deviance terms (KL: over S \ V; JS: over S(p) u S(q)) */
    singdiv__sum violating; /* sum over V of a = p_i Q */
    singdiv__sum reverse;   /* sum over F of b = q_i P */
    size_t violating_count;
    size_t reverse_count;
    size_t shared_count;    /* entries with p_i > 0 and q_i > 0 */
} singdiv__kl_sums;

/* Returns 1 when path would run the AVX2 + FMA copy on this CPU. */
int
singdiv__path_uses_avx2(singdiv__path path);

/* singdiv__scan_nonnegative() (internal.h) with the copy chosen by path. */
int
singdiv__scan_nonnegative_on(const double *x, size_t n, singdiv__dd *sum, singdiv__path path);

/* singdiv__scan_pair() (internal.h) with the copy chosen by path. */
int
singdiv__scan_pair_on(const double *p, const double *q, size_t n, singdiv__dd *sum_p,
                      singdiv__dd *sum_q, singdiv__path path);

singdiv__ce_sums
singdiv__cross_entropy_pass(const singdiv__pair *c, const double *p, const double *q,
                            size_t n, singdiv__path path);

singdiv__kl_sums
singdiv__kl_pass(const singdiv__pair *c, const double *p, const double *q, size_t n,
                 singdiv__path path);

/* The JS pass: covered holds the sum of both deviance terms against m = (a + b) / 2. */
singdiv__kl_sums
singdiv__js_pass(const singdiv__pair *c, const double *p, const double *q, size_t n,
                 singdiv__path path);

/*
 * The divergences of include/singdiv/discrete.h with the copy of the pass
 * chosen by path; the public functions pass SINGDIV__PATH_AUTO.
 */
singdiv_status
singdiv__entropy_on(const double *p, size_t n, const singdiv_options *opt,
                    singdiv_report *out, singdiv__path path);

singdiv_status
singdiv__cross_entropy_on(const double *p, const double *q, size_t n,
                          const singdiv_options *opt, singdiv_report *out,
                          singdiv__path path);

singdiv_status
singdiv__kl_on(const double *p, const double *q, size_t n,
               const singdiv_options *opt, singdiv_report *out, singdiv__path path);

singdiv_status
singdiv__js_on(const double *p, const double *q, size_t n,
               const singdiv_options *opt, singdiv_report *out, singdiv__path path);

#if SINGDIV_HAVE_AVX2_KERNELS
/*
 * Block kernels of the AVX2 copies (discrete_avx2.c), for CPUs with AVX2
 * and FMA only. Each adds the terms of blocks of eight entries from entry
 * i on, into lanes[k] for the k-th entry of a block, bit for bit as the
 * portable block code of simd_discrete.c would, while the block takes the
 * plain path, and returns the start of the first block it left alone (or
 * the first i with i + 8 > n).
 */
size_t
singdiv__kl_blocks_avx2(const singdiv__pair *c, const double *p, const double *q, size_t n,
                        size_t i, singdiv__sum lanes[8]);

size_t
singdiv__js_blocks_avx2(const singdiv__pair *c, const double *p, const double *q, size_t n,
                        size_t i, singdiv__sum lanes[8]);

/* The scan of singdiv__scan_nonnegative() on blocks of eight entries that are all finite and >= 0. */
size_t
singdiv__scan_blocks_avx2(const double *x, size_t n, singdiv__sum lanes[8]);

/* singdiv__scan_blocks_avx2() on p and q in one loop, up to the first block where either fails. */
size_t
singdiv__scan_pair_blocks_avx2(const double *p, const double *q, size_t n,
                               singdiv__sum lanes_p[8], singdiv__sum lanes_q[8]);

size_t
singdiv__cross_entropy_blocks_avx2(const singdiv__pair *c, const double *p, const double *q,
                                   size_t n, size_t i, double inverse_q, singdiv__sum lanes[8]);
#endif

#endif /* SINGDIV_SIMD_DISCRETE_H */
