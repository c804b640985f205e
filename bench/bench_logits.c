/*
 * Benchmark of the logits functions and accumulators, one thread.
 *
 * Input: logits uniform in [-8, 8) and a random target distribution from a
 * fixed-seed generator, temperature 1, at k = 10^3, 50257 (a GPT-2
 * vocabulary) and 10^6. Baseline timed in the same run: a plain C
 * log-softmax loop (maximum, sum of exp(l - max), log, then the dot
 * product with the target), without compensation or singular cases.
 *
 * Usage: bench_logits. Prints medians of RUNS wall-clock timings in ns per
 * logit and, for each, the ratio of the baseline's time to the library's
 * (above 1: the library is faster).
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <singdiv/singdiv.h>

#define RUNS 9
#define CHUNKS 8

enum { LABEL_CE, TARGET_CE, LOGSUMEXP, ACCUMULATOR, N_KERNELS };

static const char *const kernel_names[N_KERNELS] = {
    "label CE", "target CE", "log-sum-exp", "accumulator, 8 chunks",
};

/* Sink for results, so the compiler keeps the loops. */
static volatile double sink;

static double
now_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int
compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;

    return (x > y) - (x < y);
}

/* A fixed-seed generator (splitmix64) giving doubles in [0, 1). */
static double
next_uniform(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return (double)((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
}

/* The baseline: -sum p_i log softmax(l)_i with a plain two-pass loop. */
static double
naive_cross_entropy(const double *p, const double *logits, size_t k)
{
    double max = logits[0];
    double sum = 0.0;
    double dot = 0.0;
    double lse;

    for (size_t i = 1; i < k; i++) {
        max = logits[i] > max ? logits[i] : max;
    }
    for (size_t i = 0; i < k; i++) {
        sum += exp(logits[i] - max);
    }
    lse = max + log(sum);
    for (size_t i = 0; i < k; i++) {
        dot += p[i] * (lse - logits[i]);
    }
    return dot;
}

static double
run_kernel(int kernel, const double *p, const double *logits, size_t k)
{
    singdiv_report r;
    singdiv_accumulator empty;
    singdiv_accumulator total;
    double lse = 0.0;

    switch (kernel) {
    case LABEL_CE:
        singdiv_logits_cross_entropy_index(k / 2, logits, k, 1.0, NULL, &r);
        return r.value;
    case TARGET_CE:
        singdiv_logits_cross_entropy(p, logits, k, 1.0, NULL, &r);
        return r.value;
    case LOGSUMEXP:
        singdiv_logsumexp(logits, k, 1.0, &lse, NULL);
        return lse;
    default:
        /* Each chunk goes to a fresh accumulator, merged into the total as another rank's would. */
        singdiv_accumulator_init_logits(&empty, SINGDIV_ACCUMULATE_LOGITS_CROSS_ENTROPY, 0, 1.0,
                                        NULL, NULL);
        total = empty;
        for (size_t c = 0; c < CHUNKS; c++) {
            singdiv_accumulator part = empty;
            size_t begin = k * c / CHUNKS;
            size_t end = k * (c + 1) / CHUNKS;

            singdiv_accumulator_add_logits(&part, p + begin, logits + begin, end - begin, begin,
                                           NULL);
            singdiv_accumulator_merge(&total, &part, NULL);
        }
        if (singdiv_accumulator_finalize(&total, &r) != SINGDIV_OK) {
            fprintf(stderr, "bench_logits: finalising the accumulator failed\n");
            exit(1);
        }
        return r.value;
    }
}

/* Returns the median time in ns per logit of the kernel (or the baseline when kernel < 0). */
static double
time_kernel(int kernel, const double *p, const double *logits, size_t k)
{
    double t[RUNS];

    for (int run = 0; run < RUNS; run++) {
        double start = now_ns();

        sink = kernel < 0 ? naive_cross_entropy(p, logits, k) : run_kernel(kernel, p, logits, k);
        t[run] = (now_ns() - start) / (double)k;
    }
    qsort(t, RUNS, sizeof *t, compare_doubles);
    return t[RUNS / 2];
}

int
main(void)
{
    static const size_t sizes[3] = { 1000, 50257, 1000000 };
    uint64_t state = 20261205u;

    printf("%-24s %10s %14s %16s\n", "kernel", "k", "ns per logit", "naive / library");
    for (int s = 0; s < 3; s++) {
        size_t k = sizes[s];
        double *logits = malloc(k * sizeof *logits);
        double *p = malloc(k * sizeof *p);
        double total = 0.0;
        double naive;

        if (logits == NULL || p == NULL) {
            free(logits);
            free(p);
            return 1;
        }
        for (size_t i = 0; i < k; i++) {
            logits[i] = 16.0 * next_uniform(&state) - 8.0;
            p[i] = next_uniform(&state);
            total += p[i];
        }
        for (size_t i = 0; i < k; i++) {
            p[i] /= total;
        }
        naive = time_kernel(-1, p, logits, k);
        printf("%-24s %10zu %14.2f %16s\n", "naive log-softmax CE", k, naive, "1.00");
        for (int kernel = 0; kernel < N_KERNELS; kernel++) {
            double t = time_kernel(kernel, p, logits, k);

            printf("%-24s %10zu %14.2f %16.2f\n", kernel_names[kernel], k, t, naive / t);
        }
        free(logits);
        free(p);
    }
    return 0;
}
