/*
 * Cross-entropy over a vocabulary of logits sharded across MPI ranks.
 *
 * Each rank keeps a contiguous shard of the logits (and of the target
 * distribution), adds it to a singdiv_accumulator, and the ranks combine
 * their serialised accumulators with MPI_Allreduce and a user-defined
 * operation. Every rank then holds the cross-entropy and violating mass of
 * the whole vocabulary. Rank 0 also computes them in one process from the
 * whole vector and exits with status 1 if the two disagree by more than
 * the bound documented in singdiv/accumulator.h.
 *
 * The target is a label-smoothed one-hot vector, and a few logits are -inf
 * (banned tokens), so the smoothed cross-entropy is +inf and its violating
 * mass is the smoothing mass that falls on banned tokens. The class-index
 * cross-entropy of the label alone is finite.
 *
 * Run: mpirun -np 4 ./mpi_sharded_ce
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mpi.h>

#include <singdiv/singdiv.h>

#define VOCABULARY 50257
#define LABEL 31337
#define SMOOTHING 0.1
#define TEMPERATURE 0.8
#define MAX_ULP 16

/* A logit that depends only on the token, so every rank agrees on it. */
static double
logit_of(size_t token)
{
    uint64_t x = (uint64_t)token * 0x9E3779B97F4A7C15ULL + 12345u;

    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 29;
    if (token % 997 == 13) {
        return -HUGE_VAL; /* banned token */
    }
    if (token == LABEL) {
        return 9.5;
    }
    return 12.0 * ((double)(x >> 11) * 0x1.0p-53 - 0.5);
}

static double
target_of(size_t token)
{
    return SMOOTHING / VOCABULARY + (token == LABEL ? 1.0 - SMOOTHING : 0.0);
}

/* MPI_Op: inout = merge(in, inout), on serialised accumulators. */
static void
merge_states(void *in, void *inout, int *count, MPI_Datatype *type)
{
    unsigned char *a = in;
    unsigned char *b = inout;

    (void)type;
    for (int i = 0; i < *count; i++) {
        singdiv_accumulator left;
        singdiv_accumulator right;
        const size_t size = SINGDIV_ACCUMULATOR_STATE_SIZE;
        size_t at = (size_t)i * size;

        /* The states come from singdiv_accumulator_serialize on the other ranks. */
        if (singdiv_accumulator_deserialize(&left, a + at, size, NULL) != SINGDIV_OK ||
            singdiv_accumulator_deserialize(&right, b + at, size, NULL) != SINGDIV_OK ||
            singdiv_accumulator_merge(&left, &right, NULL) != SINGDIV_OK) {
            MPI_Abort(MPI_COMM_WORLD, 2);
        }
        singdiv_accumulator_serialize(&left, b + at, size, NULL);
    }
}

/* Fills acc with this rank's shard; returns 0 on success. */
static int
accumulate_shard(singdiv_accumulator *acc, singdiv_accumulator_kind kind, int rank, int size)
{
    size_t begin = VOCABULARY * (size_t)rank / (size_t)size;
    size_t end = VOCABULARY * (size_t)(rank + 1) / (size_t)size;
    size_t n = end - begin;
    double *logits = malloc((n > 0 ? n : 1) * sizeof *logits);
    double *p = malloc((n > 0 ? n : 1) * sizeof *p);
    singdiv_options opt;
    int failed;

    if (logits == NULL || p == NULL) {
        free(logits);
        free(p);
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        logits[i] = logit_of(begin + i);
        p[i] = target_of(begin + i);
    }
    singdiv_options_init(&opt);
    failed = singdiv_accumulator_init_logits(acc, kind, LABEL, TEMPERATURE, &opt,
                                             NULL) != SINGDIV_OK;
    if (!failed) {
        failed = singdiv_accumulator_add_logits(acc, p, logits, n, begin, NULL) != SINGDIV_OK;
    }
    free(logits);
    free(p);
    return failed;
}

/* Combines every rank's accumulator into *total on all ranks. */
static int
allreduce(const singdiv_accumulator *mine, singdiv_accumulator *total, MPI_Datatype state_type,
          MPI_Op merge)
{
    unsigned char send[SINGDIV_ACCUMULATOR_STATE_SIZE];
    unsigned char receive[SINGDIV_ACCUMULATOR_STATE_SIZE];

    if (singdiv_accumulator_serialize(mine, send, sizeof send, NULL) != SINGDIV_OK) {
        return 1;
    }
    MPI_Allreduce(send, receive, 1, state_type, merge, MPI_COMM_WORLD);
    return singdiv_accumulator_deserialize(total, receive, sizeof receive, NULL) != SINGDIV_OK;
}

/* Returns the number of doubles between a and b (0 for equal values, infinities included). */
static uint64_t
ulp_distance(double a, double b)
{
    int64_t ia;
    int64_t ib;

    if (a == b) {
        return 0;
    }
    if (isnan(a) || isnan(b)) {
        return UINT64_MAX;
    }
    memcpy(&ia, &a, sizeof ia);
    memcpy(&ib, &b, sizeof ib);
    ia = ia < 0 ? INT64_MIN - ia : ia;
    ib = ib < 0 ? INT64_MIN - ib : ib;
    return ia > ib ? (uint64_t)ia - (uint64_t)ib : (uint64_t)ib - (uint64_t)ia;
}

/* Computes the same quantities in one process; returns 0 when they agree. */
static int
compare_with_single_process(const singdiv_report *smoothed, const singdiv_report *label)
{
    double *logits = malloc(VOCABULARY * sizeof *logits);
    double *p = malloc(VOCABULARY * sizeof *p);
    singdiv_report one_smoothed;
    singdiv_report one_label;
    int differ;

    if (logits == NULL || p == NULL) {
        free(logits);
        free(p);
        return 1;
    }
    for (size_t i = 0; i < VOCABULARY; i++) {
        logits[i] = logit_of(i);
        p[i] = target_of(i);
    }
    differ = singdiv_logits_cross_entropy(p, logits, VOCABULARY, TEMPERATURE, NULL,
                                          &one_smoothed) != SINGDIV_OK ||
             singdiv_logits_cross_entropy_index(LABEL, logits, VOCABULARY, TEMPERATURE, NULL,
                                                &one_label) != SINGDIV_OK;
    free(logits);
    free(p);
    if (differ) {
        return 1;
    }

    printf("one process: smoothed CE %.17g, finite part %.17g, "
           "violating mass %.17g (%zu tokens)\n",
           one_smoothed.value, one_smoothed.finite_part, one_smoothed.violating_mass,
           one_smoothed.violating_count);
    printf("one process: label CE %.17g\n", one_label.value);
    return ulp_distance(smoothed->value, one_smoothed.value) > MAX_ULP ||
           ulp_distance(smoothed->finite_part, one_smoothed.finite_part) > MAX_ULP ||
           ulp_distance(smoothed->violating_mass, one_smoothed.violating_mass) > MAX_ULP / 2 ||
           smoothed->violating_count != one_smoothed.violating_count ||
           ulp_distance(label->value, one_label.value) > MAX_ULP;
}

int
main(int argc, char **argv)
{
    singdiv_accumulator mine;
    singdiv_accumulator total;
    singdiv_report smoothed;
    singdiv_report label;
    MPI_Datatype state_type;
    MPI_Op merge;
    int rank;
    int size;
    int failed;

    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Type_contiguous(SINGDIV_ACCUMULATOR_STATE_SIZE, MPI_BYTE, &state_type);
    MPI_Type_commit(&state_type);
    /* Not commutative, so that every rank merges in the same order and prints the same bits. */
    MPI_Op_create(merge_states, 0, &merge);

    failed = accumulate_shard(&mine, SINGDIV_ACCUMULATE_LOGITS_CROSS_ENTROPY, rank, size) ||
             allreduce(&mine, &total, state_type, merge) ||
             singdiv_accumulator_finalize(&total, &smoothed) != SINGDIV_OK ||
             accumulate_shard(&mine, SINGDIV_ACCUMULATE_LOGITS_CROSS_ENTROPY_INDEX, rank, size) ||
             allreduce(&mine, &total, state_type, merge) ||
             singdiv_accumulator_finalize(&total, &label) != SINGDIV_OK;
    if (!failed && rank == 0) {
        printf("%d ranks:     smoothed CE %.17g, finite part %.17g, "
               "violating mass %.17g (%zu tokens)\n",
               size, smoothed.value, smoothed.finite_part, smoothed.violating_mass,
               smoothed.violating_count);
        printf("%d ranks:     label CE %.17g\n", size, label.value);
        failed = compare_with_single_process(&smoothed, &label);
        printf("%s\n", failed ? "MISMATCH: the ranks disagree with one process"
                               : "agrees with one process");
    }
    MPI_Allreduce(MPI_IN_PLACE, &failed, 1, MPI_INT, MPI_LOR, MPI_COMM_WORLD);

    MPI_Op_free(&merge);
    MPI_Type_free(&state_type);
    MPI_Finalize();
    return failed ? 1 : 0;
}
