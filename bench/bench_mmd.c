/*
 * Benchmark of singdiv_mmd2 (unbiased estimate, Gaussian kernel) against
 * two baselines measured in the same run: a naive triple loop over all
 * ordered pairs with libm's exp, and scipy's cdist plus numpy (through
 * /usr/bin/python3, skipped when scipy cannot be imported).
 *
 * Usage: bench_mmd [SCIPY_SCRIPT]. Everything runs on one thread.
 * Prints milliseconds of CPU time (best of three for the library and
 * scipy, one run for the naive loop) and the speed-up of the library over
 * each baseline. CPU time rather than wall-clock time keeps the ratios
 * meaningful on a machine shared with other jobs.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <singdiv/singdiv.h>

static double
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

/* Uniform doubles in [0, 1) from splitmix64, so the data set is fixed. */
static double
uniform(uint64_t *state)
{
    uint64_t z;

    *state += UINT64_C(0x9e3779b97f4a7c15);
    z = *state;
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1p-53;
}

/* Returns the sum of exp(-|a_i - b_j|^2 / (2 h^2)) over ordered pairs, skipping i == j when same. */
static double
naive_sum(const double *a, size_t na, const double *b, size_t nb, size_t d, double h,
          int same)
{
    double total = 0.0;

    for (size_t i = 0; i < na; i++) {
        for (size_t j = 0; j < nb; j++) {
            double s = 0.0;

            if (same && i == j) {
                continue;
            }
            for (size_t k = 0; k < d; k++) {
                double t = a[i * d + k] - b[j * d + k];

                s += t * t;
            }
            total += exp(-s / (2.0 * h * h));
        }
    }
    return total;
}

static double
naive_mmd2(const double *x, size_t n, const double *y, size_t m, size_t d, double h)
{
    double dn = (double)n;
    double dm = (double)m;

    return naive_sum(x, n, x, n, d, h, 1) / (dn * (dn - 1.0)) +
           naive_sum(y, m, y, m, d, h, 1) / (dm * (dm - 1.0)) -
           2.0 * naive_sum(x, n, y, m, d, h, 0) / (dn * dm);
}

static int
write_doubles(const char *path, const double *v, size_t count)
{
    FILE *f = fopen(path, "wb");
    int ok;

    if (f == NULL) {
        return 0;
    }
    ok = fwrite(v, sizeof(double), count, f) == count;
    return fclose(f) == 0 && ok;
}

/* Runs the scipy baseline; returns its time in ms, or -1 when it fails. */
static double
scipy_ms(const char *script, const double *x, size_t n, const double *y, size_t m,
         size_t d, double h)
{
    char command[1024];
    const char *xf = "bench_mmd_x.bin";
    const char *yf = "bench_mmd_y.bin";
    double ms = -1.0;
    double value;
    FILE *p;

    if (!write_doubles(xf, x, n * d) || !write_doubles(yf, y, m * d)) {
        return -1.0;
    }
    snprintf(command, sizeof command,
             "OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 '%s' %s %s %zu %zu "
             "%zu %.17g",
             script, xf, yf, n, m, d, h);
    p = popen(command, "r");
    if (p != NULL) {
        int status;

        if (fscanf(p, "%lf %lf", &ms, &value) != 2) {
            ms = -1.0;
        }
        status = pclose(p);
        if (ms < 0.0) {
            fprintf(stderr, "bench_mmd: scipy baseline failed for n = %zu, d = %zu (status %d)\n",
                    n, d, status);
        }
    }
    remove(xf);
    remove(yf);
    return ms;
}

static int
scipy_available(const char *script)
{
    if (script == NULL) {
        return 0;
    }
    return system("/usr/bin/python3 -c 'import scipy.spatial, numpy' >/dev/null 2>&1") == 0;
}

int
main(int argc, char **argv)
{
    static const size_t sizes[] = { 1000, 4000 };
    static const size_t dims[] = { 1, 16, 64 };
    const char *script = argc > 1 ? argv[1] : NULL;
    int with_scipy = scipy_available(script);
    uint64_t state = 20261204;

    if (!with_scipy) {
        printf("scipy baseline skipped: /usr/bin/python3 cannot import scipy\n");
    }
    printf("%6s %4s %10s %10s %8s %10s %8s %10s\n", "n=m", "d", "singdiv_ms", "naive_ms",
           "x_naive", "scipy_ms", "x_scipy", "rel_diff");
    for (size_t si = 0; si < 2; si++) {
        for (size_t di = 0; di < 3; di++) {
            size_t n = sizes[si];
            size_t d = dims[di];
            double *x = malloc(n * d * sizeof(double));
            double *y = malloc(n * d * sizeof(double));
            singdiv_kernel kernel = { SINGDIV_KERNEL_GAUSSIAN, sqrt((double)d / 6.0) };
            double best = HUGE_VAL;
            double value = 0.0;
            double naive;
            double t0;
            double naive_time;
            double scipy_time = -1.0;

            if (x == NULL || y == NULL) {
                fprintf(stderr, "bench_mmd: out of memory\n");
                return 1;
            }
            for (size_t i = 0; i < n * d; i++) {
                x[i] = uniform(&state);
                y[i] = uniform(&state) + 0.05;
            }
            for (int rep = 0; rep < 3; rep++) {
                t0 = now_ms();
                if (singdiv_mmd2(x, n, y, n, d, &kernel, SINGDIV_MMD_UNBIASED, &value) !=
                    SINGDIV_OK) {
                    fprintf(stderr, "bench_mmd: singdiv_mmd2 failed\n");
                    return 1;
                }
                best = fmin(best, now_ms() - t0);
            }
            t0 = now_ms();
            naive = naive_mmd2(x, n, y, n, d, kernel.bandwidth);
            naive_time = now_ms() - t0;
            if (with_scipy) {
                scipy_time = scipy_ms(script, x, n, y, n, d, kernel.bandwidth);
            }

            printf("%6zu %4zu %10.2f %10.2f %8.1f", n, d, best, naive_time, naive_time / best);
            if (scipy_time > 0.0) {
                printf(" %10.2f %8.1f", scipy_time, scipy_time / best);
            } else {
                printf(" %10s %8s", "-", "-");
            }
            printf(" %10.2e\n", fabs(value - naive) / fabs(naive));
            free(x);
            free(y);
        }
    }
    return 0;
}
