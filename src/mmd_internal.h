/*
 * Internals of the MMD module: the tiled kernel sums, validation shared by
 * the entry points and the private random number generator.
 */
#ifndef SINGDIV_MMD_INTERNAL_H
#define SINGDIV_MMD_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <singdiv/mmd.h>

#include "internal.h"

/*
 * How kernel values are computed for one call: the points are mapped to
 * u = (x - center) / bandwidth, so that the kernel is a function of
 * |u - v|^2 alone.
 */
typedef struct singdiv__mmd_plan {
    size_t d;
    size_t tile;          /* points per tile, a multiple of 8, from d alone */
    singdiv_kernel_type type;
    int norm_form;        /* 1: |u|^2 + |v|^2 - 2 u.v; 0: sum (u_k - v_k)^2 */
    /*
     * 1 when no kernel value can be below DBL_MIN (every exponent
     * argument is above -708). Then the exponential may apply 2^k by
     * adding to the exponent field, which gives the same bits as the two
     * multiplications that subnormal results need.
     */
    int normal_exp;
    int portable;         /* 1 runs the portable copy even on AVX2 (tests) */
    double bandwidth;
    const double *center; /* d entries */
} singdiv__mmd_plan;

/*
 * A set of points seen through an optional index list: point i is row
 * index[i] (or i when index is NULL) of the row-major array x, or of x2
 * for rows >= split. weight
 * gives each point's weight (1 when NULL). With wq, the weight is
 * p_i / P - q_i / Q for p = weight * scale_p and q = wq * scale_q (exact
 * power-of-two scalings) with sums P = wscale_p and Q = wscale_q in [1, 2),
 * formed in double-double.
 */
typedef struct singdiv__mmd_points {
    const double *x;
    const double *x2; /* rows from split on are rows of x2, for a pooled sample */
    size_t split;
    size_t n;
    const size_t *index;
    const double *weight;
    const double *wq;
    double scale_p;
    double scale_q;
    singdiv__dd wscale_p;
    singdiv__dd wscale_q;
} singdiv__mmd_points;

/* Makes pts the n rows of x, unweighted and unindexed. */
void
singdiv__mmd_points_init(singdiv__mmd_points *pts, const double *x, size_t n);

/* One packed tile: 8-point panels of d coordinates, then norms and weights. */
typedef struct singdiv__mmd_tile {
    double *coords; /* panel j holds coords[(j*d + k)*8 + l] = u_{8j+l,k} */
    double *norms;  /* |u|^2 / 2, |u|^2 summed in coordinate order */
    double *weights;
    int unit;       /* 1 when every real point has weight 1 (padding has 0) */
    size_t count;   /* points in the tile; the rest up to padded are zero */
    size_t padded;  /* count rounded up to a multiple of 8 */
} singdiv__mmd_tile;

/* Returns the number of points per tile for dimension d (a multiple of 8). */
size_t
singdiv__mmd_tile_points(size_t d);

/*
 * Stores in *count the doubles one tile needs (coords, norms, weights);
 * SINGDIV_ERR_SIZE_OVERFLOW when that exceeds PTRDIFF_MAX bytes.
 */
singdiv_status
singdiv__mmd_tile_doubles(size_t d, size_t *count);

/* Carves a tile out of buf, which has singdiv__mmd_tile_doubles() doubles. */
void
singdiv__mmd_tile_init(singdiv__mmd_tile *tile, double *buf, size_t d);

/*
 * Fills the plan for the pooled point sets a and b (b may have n == 0):
 * center = midrange of the pooled coordinates (written to center, d
 * doubles), the tile size and the distance form. Returns
 * SINGDIV_ERR_DOMAIN when a centred coordinate divided by the bandwidth
 * overflows.
 */
singdiv_status
singdiv__mmd_plan_init(singdiv__mmd_plan *plan, const singdiv_kernel *kernel,
                       const double *a, size_t na, const double *b, size_t nb,
                       size_t d, double *center, singdiv_error *err);

/* Packs points start .. start + count - 1 of pts (count <= plan->tile). */
void
singdiv__mmd_pack(const singdiv__mmd_plan *plan, const singdiv__mmd_points *pts,
                  size_t start, size_t count, singdiv__mmd_tile *tile);

/*
 * Returns sum over i in a, j in b of w_i w_j k(u_i, v_j); when a and b are
 * the same tile (symmetric), only over pairs i < j.
 */
double
singdiv__mmd_tile_sum(const singdiv__mmd_plan *plan, const singdiv__mmd_tile *a,
                      const singdiv__mmd_tile *b, int symmetric);

/*
 * Adds the kernel values between a and b to row sums: ra[i] += sum_j
 * w_j k(u_i, v_j) and rb[j] += sum_i w_i k(u_i, v_j), over pairs i < j
 * when symmetric (a == b, ra == rb), over all pairs otherwise. Only the
 * a->count and b->count real points are written.
 */
void
singdiv__mmd_tile_row_sums(const singdiv__mmd_plan *plan, const singdiv__mmd_tile *a,
                           const singdiv__mmd_tile *b, int symmetric, double *ra,
                           double *rb);

/*
 * Writes k(u_i, v_j) to kmat[(row0 + i) * ld + col0 + j] and to its mirror
 * kmat[(col0 + j) * ld + row0 + i]; when symmetric only pairs i < j.
 */
void
singdiv__mmd_tile_store(const singdiv__mmd_plan *plan, const singdiv__mmd_tile *a,
                        const singdiv__mmd_tile *b, int symmetric, double *kmat,
                        size_t ld, size_t row0, size_t col0);

/*
 * Returns the sum over i in the tile of pts that starts at point i0 and
 * j > i in pts of w_i w_j k(z_i, z_j): one row of the tile pairs of
 * singdiv__mmd_self_sum(), added with Neumaier's sum. ta and tb are two
 * tiles of workspace.
 */
double
singdiv__mmd_self_row(const singdiv__mmd_plan *plan, const singdiv__mmd_points *pts,
                      size_t i0, singdiv__mmd_tile *ta, singdiv__mmd_tile *tb);

/* Returns the sum over i in the tile of px from point i0 and all j in py of w_i w_j k(x_i, y_j). */
double
singdiv__mmd_cross_row(const singdiv__mmd_plan *plan, const singdiv__mmd_points *px,
                       const singdiv__mmd_points *py, size_t i0, singdiv__mmd_tile *ta,
                       singdiv__mmd_tile *tb);

/*
 * Returns the compensated sum over pairs i < j of w_i w_j k(z_i, z_j) over
 * the points of pts: the rows of singdiv__mmd_self_row() in order.
 */
singdiv__sum
singdiv__mmd_self_sum(const singdiv__mmd_plan *plan, const singdiv__mmd_points *pts,
                      singdiv__mmd_tile *ta, singdiv__mmd_tile *tb);

/*
 * Returns the compensated sum over all i in px, j in py of w_i w_j
 * k(x_i, y_j): the rows of singdiv__mmd_cross_row() in order.
 */
singdiv__sum
singdiv__mmd_cross_sum(const singdiv__mmd_plan *plan, const singdiv__mmd_points *px,
                       const singdiv__mmd_points *py, singdiv__mmd_tile *ta,
                       singdiv__mmd_tile *tb);

/*
 * Computes the sums of singdiv_mmd2(): sums[0] over pairs i < j of x,
 * sums[1] over pairs i < j of y, sums[2] over all pairs of x and y. Each
 * is the Neumaier sum of its rows in order, whatever the thread count.
 * threads: threads to use including the caller's (0: one per online
 * processor); only builds with -Dthreads=true start any, and a thread or
 * workspace that cannot be created leaves its rows to the others. ta and
 * tb are the calling thread's tiles.
 */
void
singdiv__mmd_sample_sums(const singdiv__mmd_plan *plan, const singdiv__mmd_points *px,
                         const singdiv__mmd_points *py, size_t threads,
                         singdiv__mmd_tile *ta, singdiv__mmd_tile *tb, double sums[3]);

/*
 * Validates what singdiv_mmd2() and singdiv_mmd_test() share, in the
 * documented order, up to and including the estimator's sample counts.
 */
singdiv_status
singdiv__mmd_check_samples(const double *x, size_t n, const double *y, size_t m,
                           size_t d, const singdiv_kernel *kernel,
                           singdiv_mmd_estimator estimator, singdiv_error *err);

/* Checks kernel->type and kernel->bandwidth (SINGDIV_ERR_DOMAIN). */
singdiv_status
singdiv__mmd_check_kernel(const singdiv_kernel *kernel, singdiv_error *err);

/*
 * Combines the within-group sums over ordered pairs i != j (sxx, syy) and
 * the cross sum sxy into the requested estimate; k(x, x) = 1.
 */
double
singdiv__mmd_estimate(double sxx, double syy, double sxy, size_t n, size_t m,
                      singdiv_mmd_estimator estimator);

/* xoshiro256** state; seeded by singdiv__rng_seed(). */
typedef struct singdiv__rng {
    uint64_t s[4];
} singdiv__rng;

/* Seeds the generator from one 64-bit value through splitmix64. */
void
singdiv__rng_seed(singdiv__rng *rng, uint64_t seed);

/* Returns the next 64 uniformly random bits. */
uint64_t
singdiv__rng_next(singdiv__rng *rng);

/* Returns an exactly uniform integer in [0, bound), bound >= 1. */
uint64_t
singdiv__rng_below(singdiv__rng *rng, uint64_t bound);

/* Returns exp(a) for a <= 0 (a = -inf gives 0), the scalar form of the tiled exponential. */
double
singdiv__mmd_exp(double a);

/*
 * Stores singdiv__mmd_exp(a[i]) in out[i] for the count arguments a[i] <= 0,
 * with the vector code of the kernel sums; normal = 1 takes the shortcut of
 * singdiv__mmd_plan.normal_exp and needs every a[i] >= -700. Used by the
 * tests and by bench/bench_mmd.c.
 */
void
singdiv__mmd_exp_array(const double *a, double *out, size_t count, int normal);

#endif /* SINGDIV_MMD_INTERNAL_H */
