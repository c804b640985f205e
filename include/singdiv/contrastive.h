/*
 * libsingdiv: contrastive objectives (InfoNCE with its CLIP-style
 * symmetric form, and the sigmoid pairwise loss) with diagnostics of the
 * softmax weights and of the embedding geometry.
 *
 * Definitions. A batch contains n pairs. s_ij is the similarity of item i
 * of the first set (row i) with item j of the second set (column j), and
 * pair (i, i) is the positive. Similarity matrices are row-major:
 * s_ij = similarity[i*n + j]. Embeddings are row-major n x d arrays:
 * row i of a is a[i*d] .. a[i*d + d - 1].
 * - InfoNCE, row direction, with temperature T > 0: row i is a softmax
 *   over the n columns, p_ij = exp(s_ij / T) / sum_k exp(s_ik / T), and
 *   its loss is -log p_ii = log(sum_k exp(s_ik / T)) - s_ii / T.
 *   The column direction does the same down column j:
 *   -log(exp(s_jj / T) / sum_k exp(s_kj / T)).
 *   row_loss and column_loss are the means over the n rows and the n
 *   columns, and symmetric_loss = (row_loss + column_loss) / 2 is the
 *   loss of CLIP.
 * - Sigmoid pairwise loss with scale t > 0 and bias b (as in SigLIP):
 *   the mean over all n^2 pairs of softplus(-z_ij (t s_ij + b)) with
 *   softplus(x) = log(1 + exp(x)), z_ii = +1 and z_ij = -1 for i != j.
 *   Note that t multiplies the similarity here, as in SigLIP, while T
 *   divides it in InfoNCE, as in CLIP.
 * All losses are in nats.
 *
 * Masking. A similarity of -inf removes the pair exactly: it has softmax
 * probability 0 and adds nothing to any sum. A masked positive s_ii = -inf
 * makes row i and column i of InfoNCE +inf (never NaN), and the sigmoid
 * term of that pair +inf; these are successes, counted in the reports.
 * A similarity of +inf or NaN is an error.
 *
 * Memory. The embedding functions never form the n x n matrix: they
 * compute strips of SINGDIV_CONTRASTIVE_TILE_ROWS rows of similarities and
 * reduce the columns with a running maximum (online log-sum-exp), so they
 * need O(n * SINGDIV_CONTRASTIVE_TILE_ROWS + d) doubles: about 21 MB at
 * n = 65536. Nothing limits n beyond the size checks.
 *
 * No global state; every function is safe to call from many threads.
 */
#ifndef SINGDIV_CONTRASTIVE_H
#define SINGDIV_CONTRASTIVE_H

#include <stddef.h>

#include <singdiv/common.h>
#include <singdiv/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Rows of similarities computed at once from embeddings. */
#define SINGDIV_CONTRASTIVE_TILE_ROWS 16

/* Parameters of InfoNCE and of its diagnostics. */
typedef struct singdiv_infonce_options {
    /* T: similarities are divided by it; finite and > 0. */
    double temperature;
    /*
     * Negatives whose softmax probability p_ij is below this floor are
     * counted, because there a negative adds almost nothing to the
     * gradient. In [0, 1]; 0 counts nothing.
     */
    double weight_floor;
    /* Mismatched pairs with |cosine| <= cosine_band are counted; finite and >= 0. */
    double cosine_band;
    /*
     * Embedding functions only: nonzero divides each row by its Euclidean
     * norm, so s_ij is the cosine similarity; 0 uses the dot product
     * a_i . b_j as s_ij.
     */
    int normalize;
} singdiv_infonce_options;

/* Diagnostics of one row i of InfoNCE (and the loss of column i). */
typedef struct singdiv_infonce_row {
    /* -log p_ii in nats; +inf when s_ii is -inf. */
    double loss;
    /* The loss of column i, -log(exp(s_ii / T) / sum_k exp(s_ki / T)). */
    double column_loss;
    /* p_ii, the softmax probability on the positive. */
    double positive_probability;
    /* max over j != i of p_ij, the largest weight of a negative in the gradient. */
    double max_negative_weight;
    /*
     * 1 / sum_{j != i} w_j^2 with w_j = p_ij / sum_{k != i} p_ik, the
     * negatives' weights normalised to sum 1: between 1 (one negative
     * takes all the weight) and the number of unmasked negatives (all
     * equal). 0 when every negative is masked.
     */
    double effective_negatives;
    /* The number of j != i with p_ij < weight_floor, masked negatives included. */
    size_t below_floor;
} singdiv_infonce_row;

/* Losses and diagnostics of one InfoNCE call. */
typedef struct singdiv_infonce_report {
    double row_loss;       /* mean over rows; +inf when a row loss is +inf */
    double column_loss;    /* mean over columns; +inf when a column loss is +inf */
    double symmetric_loss; /* (row_loss + column_loss) / 2 */
    size_t masked_positives; /* the number of i with s_ii = -inf */
    size_t infinite_rows;    /* rows with loss +inf (masked positives included) */
    size_t infinite_columns; /* columns with loss +inf */

    /* Means over rows (and extremes) of the per-row diagnostics. */
    double mean_positive_probability;
    double mean_max_negative_weight;
    double max_negative_weight;      /* the maximum over rows */
    double mean_effective_negatives;
    double min_effective_negatives;
    size_t below_floor;              /* the total over rows */
    double below_floor_share;        /* below_floor / (n (n - 1)) */

    /*
     * Geometry of the mismatched pairs (i != j, unmasked). With
     * embeddings these are cosine similarities, whatever the normalize
     * flag. With a matrix they are the given similarities, which are
     * cosines only when the caller formed them so.
     */
    size_t mismatched_pairs;    /* the number of pairs in the statistics below */
    double mismatched_mean;     /* their mean */
    double mismatched_variance; /* their sample variance (denominator count - 1); NaN below 2 pairs */
    double band_share;          /* the share with |s| <= cosine_band; NaN with no pair */
    /*
     * |c_a - c_b|, the Euclidean distance between the centroids of the
     * L2-normalised rows of a and of b (the modality gap). NaN with a
     * matrix.
     */
    double modality_gap;

    singdiv_error error;
} singdiv_infonce_report;

/*
 * Stores in *count the number of doubles of workspace that
 * singdiv_infonce_matrix_workspace() (d == 0), or
 * singdiv_infonce_embeddings_workspace() and
 * singdiv_sigmoid_loss_embeddings_workspace() (d >= 1), need for batch
 * size n:
 * 3 n for a matrix, (2 SINGDIV_CONTRASTIVE_TILE_ROWS + 8) n + 4 d for
 * embeddings. Returns SINGDIV_ERR_NULL (count NULL) or
 * SINGDIV_ERR_SIZE_OVERFLOW when the size in bytes exceeds PTRDIFF_MAX
 * (*count is then 0).
 */
SINGDIV_EXPORT singdiv_status
singdiv_infonce_workspace_size(size_t n, size_t d, size_t *count);

/*
 * Computes InfoNCE in both directions, its symmetric form and the
 * diagnostics from the n x n similarity matrix `similarity`.
 *
 * Method: each row is reduced in three passes: the maximum, the sums of
 * exp((s_ij - max) / T) with the exponent formed exactly as a
 * double-double, and the counts against the floor. Its loss is
 * log1p(sum over the non-maximal entries) + (max - s_ii) / T, two
 * non-negative parts. Columns are reduced online with a running maximum,
 * and the running sum is rescaled when the maximum grows. Means use
 * compensated sums.
 *
 * Special values: -inf entries are masked pairs (see the file comment);
 * a row whose entries are all -inf has loss +inf, positive probability
 * 0, maximum negative weight 0 and effective number 0. A loss also
 * becomes +inf when (max - s_ii) / T exceeds DBL_MAX (for example
 * similarities 1e300 apart at T = 1e-10); such rows count as infinite
 * but not as masked.
 *
 * Accuracy: each row loss is within a few ulp of the exact value for the
 * given doubles, like singdiv_logits_cross_entropy_index() (the tests
 * allow 4 ulp). A column loss adds about one rounding each time the
 * running maximum grows, which happens about ln n times on random data
 * (the tests allow 8 ulp). Means add one rounding. Against the 50-digit
 * references (n <= 7) the worst error measured is 1 ulp. The diagnostics are accurate to a few ulp relative, except
 * that the floor comparison is made in the log domain and may count an
 * entry within a few ulp of the floor either way.
 *
 * rows: NULL, or an array of n entries that receives each row's
 * diagnostics. work, work_count: a buffer of at least
 * singdiv_infonce_workspace_size(n, 0) doubles. n >= 2.
 * Cost: O(n^2) time, no allocation.
 *
 * Errors, in the order they are checked (out->error names the argument,
 * the index and the value; when out is NULL only the status is returned):
 * - SINGDIV_ERR_NULL: out, opt, similarity or work is NULL.
 * - SINGDIV_ERR_DOMAIN: opt->temperature is not finite and > 0,
 *   opt->weight_floor is not in [0, 1], or opt->cosine_band is NaN,
 *   infinite or negative.
 * - SINGDIV_ERR_EMPTY: n == 0. SINGDIV_ERR_TOO_FEW_SAMPLES: n == 1 (a
 *   row needs a negative).
 * - SINGDIV_ERR_SIZE_OVERFLOW: n * n doubles exceed PTRDIFF_MAX bytes.
 * - SINGDIV_ERR_WORKSPACE: work_count is too small (value = work_count).
 * - SINGDIV_ERR_NAN, SINGDIV_ERR_INFINITE: the first NaN or +inf
 *   similarity, index i*n + j.
 */
SINGDIV_EXPORT singdiv_status
singdiv_infonce_matrix_workspace(const double *similarity, size_t n,
                                 const singdiv_infonce_options *opt,
                                 double *work, size_t work_count,
                                 singdiv_infonce_row *rows, singdiv_infonce_report *out);

/*
 * Computes the same as singdiv_infonce_matrix_workspace() with a
 * workspace of 3 n doubles allocated here, and returns in addition
 * SINGDIV_ERR_NO_MEMORY when that allocation fails.
 */
SINGDIV_EXPORT singdiv_status
singdiv_infonce_matrix(const double *similarity, size_t n,
                       const singdiv_infonce_options *opt,
                       singdiv_infonce_row *rows, singdiv_infonce_report *out);

/*
 * Computes InfoNCE, its symmetric form and the diagnostics from two n x d
 * embedding arrays a (rows) and b (columns), s_ij = a_i . b_j, or the
 * cosine of the two rows when opt->normalize is nonzero. The n x n
 * matrix is never formed. Similarities are computed in strips of
 * SINGDIV_CONTRASTIVE_TILE_ROWS rows, and each row is reduced like a
 * matrix row. The geometry is gathered on the way: the cosines of the
 * mismatched pairs (two passes within a row, Chan's merge across rows)
 * and the centroids of the normalised rows (compensated sums).
 *
 * Dot products accumulate with fma in index order. Rows whose largest
 * entry is outside [2^-400, 2^400] in magnitude are scaled by a power of
 * two first, so neither the norms nor the cosines overflow or underflow.
 * Given a matrix of the same similarities,
 * singdiv_infonce_matrix_workspace() returns bitwise the same losses and
 * weight diagnostics, and with normalize the same geometry too (tested).
 * The similarities themselves carry the rounding error of the dot
 * product (about d eps sum_k |a_ik b_jk|) and, with normalize, of one
 * product of norms and one division.
 *
 * Every row of a and of b must have a nonzero norm, with or without
 * normalize, because the geometry uses cosines.
 *
 * work, work_count: a buffer of at least
 * singdiv_infonce_workspace_size(n, d) doubles. rows: as for the matrix.
 * Cost: O(n^2 d) time, no allocation.
 *
 * Errors, in the order they are checked:
 * - SINGDIV_ERR_NULL: out, opt, a, b or work is NULL.
 * - SINGDIV_ERR_DOMAIN: as for the matrix.
 * - SINGDIV_ERR_EMPTY: n == 0 (argument "n") or d == 0 (argument "d").
 *   SINGDIV_ERR_TOO_FEW_SAMPLES: n == 1.
 * - SINGDIV_ERR_SIZE_OVERFLOW: n * d doubles, or the workspace, exceed
 *   PTRDIFF_MAX bytes.
 * - SINGDIV_ERR_WORKSPACE: work_count is too small.
 * - SINGDIV_ERR_NAN, SINGDIV_ERR_INFINITE: the first non-finite entry of
 *   a, then of b, index i*d + k.
 * - SINGDIV_ERR_ZERO_MASS: a row of a, then of b, is all zero (index =
 *   the row).
 * - SINGDIV_ERR_INFINITE: without normalize, a dot product a_i . b_j
 *   exceeds DBL_MAX in magnitude (argument "a", index i*n + j, value the
 *   overflowed product). Nothing of the report is then valid.
 */
SINGDIV_EXPORT singdiv_status
singdiv_infonce_embeddings_workspace(const double *a, const double *b, size_t n, size_t d,
                                     const singdiv_infonce_options *opt,
                                     double *work, size_t work_count,
                                     singdiv_infonce_row *rows, singdiv_infonce_report *out);

/*
 * Computes the same as singdiv_infonce_embeddings_workspace() with a
 * workspace of singdiv_infonce_workspace_size(n, d) doubles (about
 * 320 n + 32 d bytes) allocated here, and returns in addition
 * SINGDIV_ERR_NO_MEMORY when that allocation fails.
 */
SINGDIV_EXPORT singdiv_status
singdiv_infonce_embeddings(const double *a, const double *b, size_t n, size_t d,
                           const singdiv_infonce_options *opt,
                           singdiv_infonce_row *rows, singdiv_infonce_report *out);

/* The sigmoid pairwise loss and its two parts. */
typedef struct singdiv_sigmoid_report {
    double loss;            /* the mean over all n^2 pairs */
    double positive_loss;   /* the mean over the n positives */
    double negative_loss;   /* the mean over the n (n - 1) negatives; NaN for n = 1 */
    size_t masked_positives; /* the number of i with s_ii = -inf (each term +inf) */
    singdiv_error error;
} singdiv_sigmoid_report;

/*
 * Computes the sigmoid pairwise loss
 *     (1 / n^2) sum_{i,j} softplus(-z_ij (t s_ij + bias))
 * (z_ii = +1, z_ij = -1 otherwise) from the n x n similarity matrix, with
 * softplus(x) = max(x, 0) + log1p(exp(-|x|)).
 *
 * x = t s_ij + bias is formed as a double-double (exact product with fma,
 * exact sum), so each term is within a few ulp of the softplus of the
 * exact x, for |x| up to DBL_MAX (measured: at most 1 ulp on the
 * 50-digit references, |x| up to 1e300). When the exact x is beyond
 * +-DBL_MAX the term is +inf if the pair is on the losing side and 0 if
 * it is on the winning side. That is the exact result rounded, not an
 * error. The means are compensated sums, rescaled when
 * the plain sum would overflow.
 *
 * Masking: an off-diagonal -inf pair adds exactly 0 and still counts in
 * the n^2 of the mean; a diagonal -inf makes the loss +inf and is
 * counted in masked_positives.
 *
 * n >= 1. Cost: O(n^2) time, no allocation.
 * Errors, in the order they are checked:
 * - SINGDIV_ERR_NULL: out or similarity is NULL.
 * - SINGDIV_ERR_DOMAIN: t is not finite and > 0 (argument "t"), or bias
 *   is not finite (argument "bias").
 * - SINGDIV_ERR_EMPTY: n == 0.
 * - SINGDIV_ERR_SIZE_OVERFLOW: n * n doubles exceed PTRDIFF_MAX bytes.
 * - SINGDIV_ERR_NAN, SINGDIV_ERR_INFINITE: the first NaN or +inf
 *   similarity, index i*n + j.
 */
SINGDIV_EXPORT singdiv_status
singdiv_sigmoid_loss_matrix(const double *similarity, size_t n, double t, double bias,
                            singdiv_sigmoid_report *out);

/*
 * Computes the sigmoid pairwise loss of singdiv_sigmoid_loss_matrix()
 * from two n x d embedding arrays, s_ij = a_i . b_j, or the cosine of the
 * two rows when normalize is nonzero, without forming the n x n matrix.
 * The similarities are computed as in
 * singdiv_infonce_embeddings_workspace(), in strips of
 * SINGDIV_CONTRASTIVE_TILE_ROWS rows, so given a matrix of the same
 * similarities singdiv_sigmoid_loss_matrix() returns bitwise the same
 * report. Every row of a and of b must have a nonzero norm.
 *
 * work, work_count: a buffer of at least singdiv_infonce_workspace_size(n, d)
 * doubles (the same workspace as InfoNCE). n >= 1.
 * Cost: O(n^2 d) time, no allocation.
 *
 * Errors, in the order they are checked:
 * - SINGDIV_ERR_NULL: out, work, a or b is NULL.
 * - SINGDIV_ERR_DOMAIN: t or bias, as for the matrix.
 * - SINGDIV_ERR_EMPTY: n == 0 (argument "n") or d == 0 (argument "d").
 * - SINGDIV_ERR_SIZE_OVERFLOW: n * d doubles, or the workspace, exceed
 *   PTRDIFF_MAX bytes.
 * - SINGDIV_ERR_WORKSPACE: work_count is too small.
 * - SINGDIV_ERR_NAN, SINGDIV_ERR_INFINITE, SINGDIV_ERR_ZERO_MASS: entries
 *   and rows of a and b, as for InfoNCE.
 * - SINGDIV_ERR_INFINITE: without normalize, a dot product a_i . b_j
 *   exceeds DBL_MAX in magnitude (argument "a", index i*n + j).
 */
SINGDIV_EXPORT singdiv_status
singdiv_sigmoid_loss_embeddings_workspace(const double *a, const double *b, size_t n, size_t d,
                                          int normalize, double t, double bias,
                                          double *work, size_t work_count,
                                          singdiv_sigmoid_report *out);

/*
 * Computes the same as singdiv_sigmoid_loss_embeddings_workspace() with a
 * workspace allocated here, and returns in addition SINGDIV_ERR_NO_MEMORY
 * when that allocation fails.
 */
SINGDIV_EXPORT singdiv_status
singdiv_sigmoid_loss_embeddings(const double *a, const double *b, size_t n, size_t d,
                                int normalize, double t, double bias,
                                singdiv_sigmoid_report *out);

#ifdef __cplusplus
}
#endif

#endif /* SINGDIV_CONTRASTIVE_H */
