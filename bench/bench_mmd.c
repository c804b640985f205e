/*
 * Benchmark of singdiv_mmd2 (unbiased estimate, Gaussian kernel) against
 * baselines measured in the same run: a naive triple loop over all ordered
 * pairs with libm's exp, scipy's cdist plus numpy (through /usr/bin/python3,
 * skipped when scipy cannot be imported), and the machine limit of the
 * method: the time of the library's vector exp over every pair plus d fused
 * multiply-adds per pair at the measured peak FMA rate.
 *
 * Usage: bench_mmd [SCIPY_SCRIPT]. Prints three tables:
 * 1. milliseconds of CPU time (median of RUNS for the library and scipy,
 *    one run for the naive loop) and each baseline's time over the
 *    library's; x_limit is the library's time over the limit (1 = at the
 *    limit);
 * 2. CPU time and peak resident memory at growing n, each size in a child
 *    process, against a child that only allocates the same inputs, so that the
 *    library's O(tile) memory shows as a constant difference;
 * 3. in builds with -Dthreads=true, the wall-clock time of
 *    singdiv_mmd2_parallel() on 1 and more threads and the speed-up.
 * CPU time rather than wall-clock time keeps tables 1 and 2 meaningful on
 * a machine shared with other jobs.
 */
#define _DEFAULT_SOURCE /* wait4() */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <singdiv/singdiv.h>

#include "mmd_internal.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_FMA_PEAK 1
#else
#define HAVE_FMA_PEAK 0
#endif

#ifdef SINGDIV_THREADS
#define SINGDIV_MMD_BENCH_THREADS 1
#else
#define SINGDIV_MMD_BENCH_THREADS 0
#endif

/* Timed runs of the library and of scipy; the median is printed. */
#define RUNS 5

static double
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static int
compare_double(const void *a, const void *b)
{
    double u = *(const double *)a;
    double v = *(const double *)b;

    return (u > v) - (u < v);
}

static double
median(double *t, size_t count)
{
    qsort(t, count, sizeof(double), compare_double);
    return count % 2 ? t[count / 2] : 0.5 * (t[count / 2 - 1] + t[count / 2]);
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

/* Fills n points of x and of y in [0, 1)^d and [0.05, 1.05)^d. */
static void
fill_samples(uint64_t *state, double *x, double *y, size_t n, size_t d)
{
    for (size_t i = 0; i < n * d; i++) {
        x[i] = uniform(state);
        y[i] = uniform(state) + 0.05;
    }
}

/* Returns the median CPU time of RUNS calls of singdiv_mmd2; stores the value. */
static double
library_ms(const double *x, const double *y, size_t n, size_t d,
           const singdiv_kernel *kernel, double *value)
{
    double t[RUNS];

    for (int rep = 0; rep < RUNS; rep++) {
        double t0 = now_ms();

        if (singdiv_mmd2(x, n, y, n, d, kernel, SINGDIV_MMD_UNBIASED, value) != SINGDIV_OK) {
            fprintf(stderr, "bench_mmd: singdiv_mmd2 failed\n");
            exit(1);
        }
        t[rep] = now_ms() - t0;
    }
    return median(t, RUNS);
}

#if HAVE_FMA_PEAK
/*
 * Runs 8 independent chains of 4-lane FMAs, enough to cover the FMA
 * latency; returns the ns per scalar FMA. The chains are named variables
 * so that they stay in registers.
 */
__attribute__((target("avx2,fma"))) static double
fma_ns(void)
{
    const long iterations = 20000000;
    __m256d mul = _mm256_set1_pd(0.999999);
    __m256d add = _mm256_set1_pd(1e-9);
    __m256d a0 = _mm256_set1_pd(0.0);
    __m256d a1 = _mm256_set1_pd(1.0);
    __m256d a2 = _mm256_set1_pd(2.0);
    __m256d a3 = _mm256_set1_pd(3.0);
    __m256d a4 = _mm256_set1_pd(4.0);
    __m256d a5 = _mm256_set1_pd(5.0);
    __m256d a6 = _mm256_set1_pd(6.0);
    __m256d a7 = _mm256_set1_pd(7.0);
    double t0 = now_ms();
    double ms;
    double sink;

    for (long i = 0; i < iterations; i++) {
        a0 = _mm256_fmadd_pd(a0, mul, add);
        a1 = _mm256_fmadd_pd(a1, mul, add);
        a2 = _mm256_fmadd_pd(a2, mul, add);
        a3 = _mm256_fmadd_pd(a3, mul, add);
        a4 = _mm256_fmadd_pd(a4, mul, add);
        a5 = _mm256_fmadd_pd(a5, mul, add);
        a6 = _mm256_fmadd_pd(a6, mul, add);
        a7 = _mm256_fmadd_pd(a7, mul, add);
    }
    ms = now_ms() - t0;
    sink = a0[0] + a1[0] + a2[0] + a3[0] + a4[0] + a5[0] + a6[0] + a7[0];
    if (sink == 42.0) {
        printf("(sink)\n");
    }
    return ms * 1e6 / ((double)iterations * 32.0);
}
#endif

/* Returns the ns per exponential of the library's vector exp, on arguments in [-4, 0]. */
static double
exp_ns(uint64_t *state)
{
    enum { CHUNK = 4096, REPEAT = 8000 };
    static double arg[CHUNK];
    static double out[CHUNK];
    double t0;
    double ms;
    double sink = 0.0;

    for (size_t i = 0; i < CHUNK; i++) {
        arg[i] = -4.0 * uniform(state);
    }
    t0 = now_ms();
    for (int r = 0; r < REPEAT; r++) {
        singdiv__mmd_exp_array(arg, out, CHUNK, 1);
        sink += out[r % CHUNK];
    }
    ms = now_ms() - t0;
    if (sink < 0.0) {
        printf("(sink)\n");
    }
    return ms * 1e6 / ((double)CHUNK * REPEAT);
}

/* Returns the limit in ms for n = m: one exp and d FMAs per pair the library computes. */
static double
limit_ms(size_t n, size_t d, double per_exp, double per_fma)
{
    double pairs = (double)n * (double)(n - 1) + (double)n * (double)n;

    if (per_fma <= 0.0) {
        return -1.0;
    }
    return pairs * (per_exp + (double)d * per_fma) * 1e-6;
}

/* Table 1: the library against the naive loop, scipy and the limit. */
static void
ratio_table(const char *script, int with_scipy, double per_exp, double per_fma)
{
    static const size_t sizes[] = { 1000, 4000 };
    static const size_t dims[] = { 1, 16, 64 };
    uint64_t state = 20261204;

    printf("%6s %4s %10s %10s %8s %10s %8s %9s %8s %10s\n", "n=m", "d", "singdiv_ms",
           "naive_ms", "x_naive", "scipy_ms", "x_scipy", "limit_ms", "x_limit", "rel_diff");
    for (size_t si = 0; si < 2; si++) {
        for (size_t di = 0; di < 3; di++) {
            size_t n = sizes[si];
            size_t d = dims[di];
            double *x = malloc(n * d * sizeof(double));
            double *y = malloc(n * d * sizeof(double));
            singdiv_kernel kernel = { SINGDIV_KERNEL_GAUSSIAN, sqrt((double)d / 6.0) };
            double value = 0.0;
            double lib;
            double naive;
            double naive_time;
            double scipy_time = -1.0;
            double limit = limit_ms(n, d, per_exp, per_fma);
            double t0;

            if (x == NULL || y == NULL) {
                fprintf(stderr, "bench_mmd: out of memory\n");
                exit(1);
            }
            fill_samples(&state, x, y, n, d);
            lib = library_ms(x, y, n, d, &kernel, &value);
            t0 = now_ms();
            naive = naive_mmd2(x, n, y, n, d, kernel.bandwidth);
            naive_time = now_ms() - t0;
            if (with_scipy) {
                scipy_time = scipy_ms(script, x, n, y, n, d, kernel.bandwidth);
            }

            printf("%6zu %4zu %10.2f %10.2f %8.1f", n, d, lib, naive_time, naive_time / lib);
            if (scipy_time > 0.0) {
                printf(" %10.2f %8.1f", scipy_time, scipy_time / lib);
            } else {
                printf(" %10s %8s", "-", "-");
            }
            if (limit > 0.0) {
                printf(" %9.2f %8.2f", limit, lib / limit);
            } else {
                printf(" %9s %8s", "-", "-");
            }
            printf(" %10.2e\n", fabs(value - naive) / fabs(naive));
            free(x);
            free(y);
        }
    }
}

/*
 * In a child process: allocates and fills the samples, then (when call is
 * set) runs singdiv_mmd2 once. Returns the child's peak resident set in KB
 * and stores its CPU time in *ms, or returns -1.
 */
static long
child_peak_kb(size_t n, size_t d, int call, double *ms)
{
    int fds[2];
    pid_t pid;
    struct rusage usage;
    int status;

    *ms = -1.0;
    if (pipe(fds) != 0) {
        return -1;
    }
    pid = fork();
    if (pid == 0) {
        uint64_t state = 7;
        double *x = malloc(n * d * sizeof(double));
        double *y = malloc(n * d * sizeof(double));
        singdiv_kernel kernel = { SINGDIV_KERNEL_GAUSSIAN, sqrt((double)d / 6.0) };
        double value;
        double t = 0.0;

        close(fds[0]);
        if (x == NULL || y == NULL) {
            _exit(1);
        }
        fill_samples(&state, x, y, n, d);
        if (call) {
            double t0 = now_ms();

            if (singdiv_mmd2(x, n, y, n, d, &kernel, SINGDIV_MMD_UNBIASED, &value) !=
                SINGDIV_OK) {
                _exit(1);
            }
            t = now_ms() - t0;
        }
        if (write(fds[1], &t, sizeof t) != (ssize_t)sizeof t) {
            _exit(1);
        }
        _exit(0);
    }
    close(fds[1]);
    if (pid < 0 || read(fds[0], ms, sizeof *ms) != (ssize_t)sizeof *ms) {
        close(fds[0]);
        return -1;
    }
    close(fds[0]);
    if (wait4(pid, &status, 0, &usage) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        return -1;
    }
    return usage.ru_maxrss;
}

/* Table 2: time and peak memory against n, d = 16. */
static void
memory_table(void)
{
    static const size_t sizes[] = { 1000, 4000, 16000 };
    size_t d = 16;
    size_t work = 0;

    (void)singdiv_mmd2_workspace_size(d, &work);
    printf("\nmemory, d = %zu (workspace of singdiv_mmd2: %.0f KB)\n", d,
           (double)work * sizeof(double) / 1024.0);
    printf("%6s %10s %12s %12s %12s %12s\n", "n=m", "singdiv_ms", "ns_per_pair",
           "inputs_KB", "peak_KB", "extra_KB");
    for (size_t si = 0; si < 3; si++) {
        size_t n = sizes[si];
        double ms;
        double unused;
        long with_call = child_peak_kb(n, d, 1, &ms);
        long without = child_peak_kb(n, d, 0, &unused);
        double pairs = (double)n * (double)(n - 1) + (double)n * (double)n;

        if (with_call < 0 || without < 0) {
            printf("%6zu (child process failed)\n", n);
            continue;
        }
        printf("%6zu %10.2f %12.3f %12.0f %12ld %12ld\n", n, ms, ms * 1e6 / pairs,
               (double)(2 * n * d * sizeof(double)) / 1024.0, with_call,
               with_call - without);
    }
}

#if SINGDIV_MMD_BENCH_THREADS
static double
wall_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

/* Table 3: wall-clock time of singdiv_mmd2_parallel on 1 .. online processors. */
static void
thread_table(void)
{
    size_t n = 4000;
    size_t d = 16;
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    size_t max_threads = online > 1 ? (size_t)online : 2;
    uint64_t state = 20261204;
    double *x = malloc(n * d * sizeof(double));
    double *y = malloc(n * d * sizeof(double));
    singdiv_kernel kernel = { SINGDIV_KERNEL_GAUSSIAN, sqrt((double)d / 6.0) };
    double one_thread_ms = 0.0;
    double serial = 0.0;

    if (x == NULL || y == NULL) {
        fprintf(stderr, "bench_mmd: out of memory\n");
        exit(1);
    }
    fill_samples(&state, x, y, n, d);
    (void)singdiv_mmd2(x, n, y, n, d, &kernel, SINGDIV_MMD_UNBIASED, &serial);
    printf("\nthreads, n = m = %zu, d = %zu, wall-clock ms (median of %d)\n", n, d, RUNS);
    printf("%8s %10s %8s %10s\n", "threads", "wall_ms", "speedup", "identical");
    for (size_t threads = 1; threads <= max_threads; threads++) {
        double t[RUNS];
        double value = 0.0;
        double ms;

        for (int rep = 0; rep < RUNS; rep++) {
            double t0 = wall_ms();

            (void)singdiv_mmd2_parallel(x, n, y, n, d, &kernel, SINGDIV_MMD_UNBIASED,
                                        threads, &value, NULL);
            t[rep] = wall_ms() - t0;
        }
        ms = median(t, RUNS);
        if (threads == 1) {
            one_thread_ms = ms;
        }
        printf("%8zu %10.2f %8.2f %10s\n", threads, ms, one_thread_ms / ms,
               memcmp(&value, &serial, sizeof value) == 0 ? "yes" : "NO");
    }
    free(x);
    free(y);
}
#endif

int
main(int argc, char **argv)
{
    const char *script = argc > 1 ? argv[1] : NULL;
    int with_scipy = scipy_available(script);
    uint64_t state = 99;
    double per_fma = -1.0;
    double per_exp = exp_ns(&state);

#if HAVE_FMA_PEAK
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        per_fma = fma_ns();
    }
#endif
    if (!with_scipy) {
        printf("scipy baseline skipped: /usr/bin/python3 cannot import scipy\n");
    }
    printf("limit: %.3f ns per exp (library's vector exp), %.4f ns per FMA (peak)\n", per_exp,
           per_fma);
    ratio_table(script, with_scipy, per_exp, per_fma);
    memory_table();
#if SINGDIV_MMD_BENCH_THREADS
    thread_table();
#else
    printf("\nthreads: built without -Dthreads=true, singdiv_mmd2_parallel runs on one thread\n");
#endif
    return 0;
}
