/*
 * Computes InfoNCE, the sigmoid pairwise loss and their diagnostics on
 * two synthetic embedding sets, for batch sizes from N_MIN to N_MAX
 * (doubling).
 *
 *     contrastive [N_MIN N_MAX [D [GAP [T [NOISE]]]]]
 *
 * Pair i shares a Gaussian latent z_i in D dimensions:
 *     a_i = z_i + NOISE e_i + GAP u,   b_i = z_i + NOISE f_i - GAP u,
 * with e_i, f_i independent Gaussian noise and u the first axis, so GAP
 * moves the two sets apart (a modality gap) without changing which pairs
 * match. Rows are L2-normalised by the library, and InfoNCE uses the
 * temperature T. The sigmoid loss uses the cosines too, with t = 1 / T
 * and the bias -10.
 *
 * Defaults: 64 4096 64 2 0.07 0.5. The random numbers come from a
 * seeded splitmix64 generator, so the output is reproducible. One line
 * per n, columns as named in the header line (for gnuplot).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <singdiv/singdiv.h>

#define SEED 20261204u
#define SIGMOID_BIAS (-10.0)
#define WEIGHT_FLOOR 1e-6
#define COSINE_BAND 0.1

static uint64_t
next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* A standard normal number (Box-Muller on two uniforms in (0, 1)). */
static double
gaussian(uint64_t *state)
{
    double u = ((double)(next_random(state) >> 11) + 0.5) * 0x1p-53;
    double v = ((double)(next_random(state) >> 11) + 0.5) * 0x1p-53;

    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* Fills the n x d sets a and b as described at the top of this file. */
static void
make_pairs(double *a, double *b, size_t n, size_t d, double gap, double noise, uint64_t *state)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < d; k++) {
            double z = gaussian(state);
            double shift = k == 0 ? gap : 0.0;

            a[i * d + k] = z + noise * gaussian(state) + shift;
            b[i * d + k] = z + noise * gaussian(state) - shift;
        }
    }
}

/* Returns the sigmoid loss on the cosine similarities, or (double)NAN when it fails. */
static double
sigmoid_loss(const double *a, const double *b, size_t n, size_t d, double t)
{
    singdiv_sigmoid_report r;

    if (singdiv_sigmoid_loss_embeddings(a, b, n, d, 1, t, SIGMOID_BIAS, &r) != SINGDIV_OK) {
        return (double)NAN;
    }
    return r.loss;
}

/* Runs one batch size and prints its line; returns 0 on success. */
static int
run(size_t n, size_t d, double gap, double temperature, double noise, uint64_t *state)
{
    singdiv_infonce_options opt = { temperature, WEIGHT_FLOOR, COSINE_BAND, 1 };
    singdiv_infonce_report r;
    singdiv_status status;
    double *a = calloc(n * d, sizeof *a);
    double *b = calloc(n * d, sizeof *b);

    if (a == NULL || b == NULL) {
        fprintf(stderr, "contrastive: cannot allocate the embeddings for n = %zu, d = %zu;"
                        " use a smaller N_MAX or D\n", n, d);
        free(a);
        free(b);
        return 1;
    }
    make_pairs(a, b, n, d, gap, noise, state);
    status = singdiv_infonce_embeddings(a, b, n, d, &opt, NULL, &r);
    if (status != SINGDIV_OK) {
        fprintf(stderr, "contrastive: InfoNCE failed for n = %zu: %s (argument %s)\n", n,
                singdiv_strerror(status), r.error.argument ? r.error.argument : "-");
        free(a);
        free(b);
        return 1;
    }
    printf("%6zu %4zu %5.3f %6.4f %9.5f %9.5f %9.5f %9.3e %9.3e %10.3f %9.3f %8.5f %9.5f %9.3e %9.3e"
           " %8.5f %8.5f %9.5f\n",
           n, d, gap, temperature, r.row_loss, r.column_loss, r.symmetric_loss,
           r.mean_positive_probability, r.mean_max_negative_weight, r.mean_effective_negatives,
           r.min_effective_negatives, r.below_floor_share, r.mismatched_mean,
           r.mismatched_variance, 1.0 / (double)d, r.band_share, r.modality_gap,
           sigmoid_loss(a, b, n, d, 1.0 / temperature));
    free(a);
    free(b);
    return 0;
}

/* Parses argument `index` as a number, or returns the default. */
static double
argument(int argc, char **argv, int index, double fallback)
{
    return argc > index ? strtod(argv[index], NULL) : fallback;
}

int
main(int argc, char **argv)
{
    size_t n_min = (size_t)argument(argc, argv, 1, 64.0);
    size_t n_max = (size_t)argument(argc, argv, 2, 4096.0);
    size_t d = (size_t)argument(argc, argv, 3, 64.0);
    double gap = argument(argc, argv, 4, 2.0);
    double temperature = argument(argc, argv, 5, 0.07);
    double noise = argument(argc, argv, 6, 0.5);
    uint64_t state = SEED;

    if (n_min < 2 || n_max < n_min || d < 1 || !(temperature > 0.0)) {
        fprintf(stderr, "usage: contrastive [N_MIN N_MAX [D [GAP [T [NOISE]]]]]\n"
                        "  with 2 <= N_MIN <= N_MAX, D >= 1 and T > 0\n");
        return 2;
    }
    printf("# n d gap T row_loss column_loss symmetric_loss positive_probability"
           " max_negative_weight effective_negatives min_effective_negatives"
           " below_floor_share cosine_mean cosine_variance one_over_d band_share"
           " modality_gap sigmoid_loss\n");
    printf("# weight floor %g, cosine band %g, noise %g, sigmoid t = 1/T and bias %g\n",
           WEIGHT_FLOOR, COSINE_BAND, noise, SIGMOID_BIAS);
    for (size_t n = n_min; n <= n_max; n *= 2) {
        if (run(n, d, gap, temperature, noise, &state) != 0) {
            return 1;
        }
    }
    return 0;
}
