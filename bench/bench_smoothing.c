/*
 * Benchmark of the smoothed divergences, one thread.
 *
 * Random p and q of n entries with 1% zeros in q, eps = 1e-6 and the
 * uniform r. Baselines: singdiv_kl() on the unsmoothed pair (which returns
 * +inf but walks the same data with the same kernel), and a naive loop that
 * forms (1 - eps) q_i + eps / n and sums p_i log(p_i / q_eps,i) with no
 * compensation, no scaling and no validation.
 *
 * Usage: bench_smoothing. Prints medians of RUNS timings in ns per entry
 * and the ratio of the library's time to each baseline's (above 1: the
 * library is slower by that factor).
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <singdiv/singdiv.h>

#define RUNS 7
#define N_ENTRIES 1000000
#define EPS 1e-6

static double
now_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int
compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;

    return (x > y) - (x < y);
}

/* A fixed-seed generator (splitmix64) returning uniforms in (0, 1). */
static double
next_uniform(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    z ^= z >> 31;
    return ((double)(z >> 11) + 0.5) * 0x1p-53;
}

typedef enum method { BASE_KL, BASE_NAIVE, SMOOTHED_CE, SMOOTHED_KL, SLOPE, EXPANSION, N_METHOD } method;

static const char *const method_names[N_METHOD] = {
    "singdiv_kl (unsmoothed)", "naive smoothed KL loop", "singdiv_smoothed_cross_entropy",
    "singdiv_smoothed_kl", "singdiv_smoothing_slope", "singdiv_smoothing_expansion",
};

/* Runs one method once and returns its result, so the work cannot be dropped. */
static double
run(method m, const double *p, const double *q, size_t n, const singdiv_options *opt)
{
    singdiv_report report;
    singdiv_expansion ex;
    double value = 0.0;

    switch (m) {
    case BASE_KL:
        singdiv_kl(p, q, n, opt, &report);
        return report.finite_part;
    case BASE_NAIVE:
        for (size_t i = 0; i < n; i++) {
            double smoothed = (1.0 - EPS) * q[i] + EPS / (double)n;

            value += p[i] > 0.0 ? p[i] * log(p[i] / smoothed) : 0.0;
        }
        return value;
    case SMOOTHED_CE:
        singdiv_smoothed_cross_entropy(p, q, NULL, n, EPS, opt, &report);
        return report.value;
    case SMOOTHED_KL:
        singdiv_smoothed_kl(p, q, NULL, n, EPS, opt, &report);
        return report.value;
    case SLOPE:
        singdiv_smoothing_slope(p, q, NULL, n, EPS, opt, &value);
        return value;
    default:
        singdiv_smoothing_expansion(p, q, NULL, n, opt, &ex);
        return ex.finite_part;
    }
}

int
main(void)
{
    double *p = malloc(N_ENTRIES * sizeof *p);
    double *q = malloc(N_ENTRIES * sizeof *q);
    double median[N_METHOD];
    double sink = 0.0;
    uint64_t state = 20261204;
    singdiv_options opt;

    if (p == NULL || q == NULL) {
        return 1;
    }
    for (size_t i = 0; i < N_ENTRIES; i++) {
        p[i] = next_uniform(&state);
        q[i] = next_uniform(&state) < 0.01 ? 0.0 : next_uniform(&state);
    }
    singdiv_options_init(&opt);
    opt.normalize = 1;

    for (int m = 0; m < N_METHOD; m++) {
        double t[RUNS];

        for (int k = 0; k < RUNS; k++) {
            double start = now_ns();

            sink += run((method)m, p, q, N_ENTRIES, &opt);
            t[k] = (now_ns() - start) / N_ENTRIES;
        }
        qsort(t, RUNS, sizeof t[0], compare_doubles);
        median[m] = t[RUNS / 2];
    }

    printf("# n = %d, eps = %g, median of %d runs (checksum %g)\n", N_ENTRIES, EPS, RUNS, sink);
    printf("%-32s %10s %14s %14s\n", "method", "ns/entry", "/ singdiv_kl", "/ naive loop");
    for (int m = 0; m < N_METHOD; m++) {
        printf("%-32s %10.2f %14.2f %14.2f\n", method_names[m], median[m],
               median[m] / median[BASE_KL], median[m] / median[BASE_NAIVE]);
    }
    free(p);
    free(q);
    return 0;
}
