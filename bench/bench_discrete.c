/*
 * Benchmark of entropy, cross-entropy, KL and Jensen-Shannon, one thread.
 *
 * Input: random counts (integers 1 .. 1000 from a fixed-seed generator) in
 * p and q, passed with opt.normalize = 1, at n = 10^5, 10^6 and 10^7; then,
 * at n = 10^6, near-identical inputs, q_i = p_i (1 + u / 100) with u
 * uniform in [-1, 1], as a drift monitor compares them (the library takes
 * shorter forms there; the baselines' time does not depend on the values).
 * Baselines timed in the same run:
 * - roof: summing p[i] + q[i] (the time to read both arrays once), and
 *   summing p[i] alone for the entropy;
 * - naive: a plain C loop with libm log over the same counts (sums first,
 *   then one pass), without compensation or singular cases;
 * - scipy, through /usr/bin/python3 when it can import scipy (skipped
 *   otherwise): rel_entr(p, q).sum(), scipy.stats.entropy(p, q),
 *   scipy.stats.entropy(p) and scipy.spatial.distance.jensenshannon(p, q)
 *   on the same counts divided by their sums.
 *
 * Usage: bench_discrete [SCIPY_SCRIPT]. Prints medians of RUNS timings in
 * ns per element of CPU time (process CPU time here, time.process_time in
 * python, so that other jobs on a shared machine do not count), the library's input bandwidth in GB/s, the
 * ratio of the library's time to the roof (lower is better) and the ratio
 * of each baseline's time to the library's (above 1: the library is
 * faster), then the peak resident memory.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <singdiv/singdiv.h>

#define RUNS 7
#define SCIPY_RUNS 5
#define N_SIZES 3

static const size_t sizes[N_SIZES] = { 100000, 1000000, 10000000 };

/* The index in sizes of the size timed again on near-identical inputs. */
#define NEAR_SIZE 1

enum { ENTROPY, CROSS_ENTROPY, KL, JS, N_KERNELS };

static const char *const kernel_names[N_KERNELS] = { "entropy", "cross-entropy", "KL", "JS" };

enum { REL_ENTR_SUM, STATS_ENTROPY_PQ, STATS_ENTROPY_P, JENSENSHANNON, N_SCIPY };

static const char *const scipy_names[N_SCIPY] = {
    "rel_entr_sum", "stats_entropy_pq", "stats_entropy_p", "jensenshannon",
};

/* Sink for baseline results, so the compiler keeps the loops. */
static volatile double sink;

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

static double
median(double *t, size_t n)
{
    qsort(t, n, sizeof *t, compare_doubles);
    return t[n / 2];
}

/* A fixed-seed generator (splitmix64). */
static uint64_t
next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Fills p and q with counts 1 .. 1000; the first n entries do not depend on n. */
static void
fill_counts(double *p, double *q, size_t n)
{
    uint64_t state = 20261204;

    for (size_t i = 0; i < n; i++) {
        p[i] = (double)(1 + next_random(&state) % 1000);
        q[i] = (double)(1 + next_random(&state) % 1000);
    }
}

/* Fills p with counts 1 .. 1000 and q with p_i (1 + u / 100), u uniform in [-1, 1]. */
static void
fill_near(double *p, double *q, size_t n)
{
    uint64_t state = 20261205;

    for (size_t i = 0; i < n; i++) {
        double u = (double)(next_random(&state) >> 11) * 0x1p-52 - 1.0;

        p[i] = (double)(1 + next_random(&state) % 1000);
        q[i] = p[i] * (1.0 + u / 100.0);
    }
}

static double
roof_two(const double *p, const double *q, size_t n)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    size_t i = 0;

    for (; i + 2 <= n; i += 2) {
        s0 += p[i];
        s1 += q[i];
        s2 += p[i + 1];
        s3 += q[i + 1];
    }
    for (; i < n; i++) {
        s0 += p[i] + q[i];
    }
    return (s0 + s1) + (s2 + s3);
}

static double
roof_one(const double *p, size_t n)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    size_t i = 0;

    for (; i + 4 <= n; i += 4) {
        s0 += p[i];
        s1 += p[i + 1];
        s2 += p[i + 2];
        s3 += p[i + 3];
    }
    for (; i < n; i++) {
        s0 += p[i];
    }
    return (s0 + s1) + (s2 + s3);
}

static double
plain_sum(const double *x, size_t n)
{
    double s = 0.0;

    for (size_t i = 0; i < n; i++) {
        s += x[i];
    }
    return s;
}

/* The naive loops: one pass for the sums, one for the divergence, libm log. */
static double
naive(int kernel, const double *p, const double *q, size_t n)
{
    double inverse_p = 1.0 / plain_sum(p, n);
    double inverse_q = kernel == ENTROPY ? inverse_p : 1.0 / plain_sum(q, n);
    double s = 0.0;

    for (size_t i = 0; i < n; i++) {
        double x = p[i] * inverse_p;
        double y = (kernel == ENTROPY ? p[i] : q[i]) * inverse_q;
        double m = 0.5 * (x + y);

        switch (kernel) {
        case ENTROPY:
            s -= x * log(x);
            break;
        case CROSS_ENTROPY:
            s -= x * log(y);
            break;
        case KL:
            s += x * log(x / y);
            break;
        default:
            s += 0.5 * (x * log(x / m) + y * log(y / m));
            break;
        }
    }
    return s;
}

static double
library(int kernel, const double *p, const double *q, size_t n, const singdiv_options *opt)
{
    singdiv_report r;
    singdiv_status status;

    switch (kernel) {
    case ENTROPY:
        status = singdiv_entropy(p, n, opt, &r);
        break;
    case CROSS_ENTROPY:
        status = singdiv_cross_entropy(p, q, n, opt, &r);
        break;
    case KL:
        status = singdiv_kl(p, q, n, opt, &r);
        break;
    default:
        status = singdiv_js(p, q, n, opt, &r);
        break;
    }
    return status == SINGDIV_OK ? r.value : (double)NAN;
}

/* Median times in ns for one size, per kernel and for the baselines. */
typedef struct timings {
    double lib[N_KERNELS];
    double naive[N_KERNELS];
    double value[N_KERNELS]; /* the library's results, printed as a check */
    double roof_two;
    double roof_one;
    double scipy[N_SCIPY]; /* negative when not measured */
} timings;

static void
time_c(const double *p, const double *q, size_t n, timings *t)
{
    singdiv_options opt;
    double samples[3][RUNS];

    singdiv_options_init(&opt);
    opt.normalize = 1;
    for (int k = 0; k < N_KERNELS; k++) {
        for (int r = 0; r < RUNS; r++) {
            double start = now_ns();

            t->value[k] = library(k, p, q, n, &opt);
            samples[0][r] = now_ns() - start;
            start = now_ns();
            sink = naive(k, p, q, n);
            samples[1][r] = now_ns() - start;
        }
        t->lib[k] = median(samples[0], RUNS);
        t->naive[k] = median(samples[1], RUNS);
    }
    for (int r = 0; r < RUNS; r++) {
        double start = now_ns();

        sink = roof_two(p, q, n);
        samples[0][r] = now_ns() - start;
        start = now_ns();
        sink = roof_one(p, n);
        samples[1][r] = now_ns() - start;
    }
    t->roof_two = median(samples[0], RUNS);
    t->roof_one = median(samples[1], RUNS);
}

static int
scipy_available(void)
{
    return system("/usr/bin/python3 -c 'import scipy.special, scipy.stats, scipy.spatial' "
                  ">/dev/null 2>&1") == 0;
}

static int
write_doubles(const char *path, const double *x, size_t n)
{
    FILE *f = fopen(path, "wb");
    int ok;

    if (f == NULL) {
        return 0;
    }
    ok = fwrite(x, sizeof *x, n, f) == n;
    return fclose(f) == 0 && ok;
}

/* Runs the scipy script on the largest size's counts; fills all[size][call] in ns. */
static int
time_scipy(const char *script, double all[N_SIZES][N_SCIPY])
{
    size_t n = sizes[N_SIZES - 1];
    double *p = malloc(n * sizeof *p);
    double *q = malloc(n * sizeof *q);
    char dir[] = "/tmp/bench_discrete_XXXXXX";
    char path_p[64];
    char path_q[64];
    char command[1024];
    char name[64];
    size_t size;
    double seconds;
    double value;
    FILE *out;
    int ok = 0;

    if (p == NULL || q == NULL || mkdtemp(dir) == NULL) {
        free(p);
        free(q);
        return 0;
    }
    fill_counts(p, q, n);
    snprintf(path_p, sizeof path_p, "%s/p", dir);
    snprintf(path_q, sizeof path_q, "%s/q", dir);
    if (write_doubles(path_p, p, n) && write_doubles(path_q, q, n)) {
        snprintf(command, sizeof command,
                 "OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 '%s' %s %s %d %zu %zu %zu",
                 script, path_p, path_q, SCIPY_RUNS, sizes[0], sizes[1], sizes[2]);
        out = popen(command, "r");
        while (out != NULL && fscanf(out, "%63s %zu %lf %lf", name, &size, &seconds, &value) == 4) {
            for (int s = 0; s < N_SIZES; s++) {
                for (int c = 0; c < N_SCIPY; c++) {
                    if (sizes[s] == size && strcmp(name, scipy_names[c]) == 0) {
                        all[s][c] = seconds * 1e9;
                        ok = 1;
                    }
                }
            }
        }
        if (out != NULL && pclose(out) != 0) {
            ok = 0;
        }
    }
    remove(path_p);
    remove(path_q);
    remove(dir);
    free(p);
    free(q);
    return ok;
}

static double
peak_memory_mib(void)
{
    struct rusage usage;

    getrusage(RUSAGE_SELF, &usage);
    return (double)usage.ru_maxrss / 1024.0;
}

static void
print_size(size_t n, const timings *t, int with_scipy)
{
    double per = (double)n;

    printf("\nn = %zu: roof (read p and q once) %.3f ns/element, %.2f GB/s; "
           "read p alone %.3f ns/element\n",
           n, t->roof_two / per, 16.0 * per / t->roof_two, t->roof_one / per);
    printf("%-14s %9s %7s %7s %9s %7s", "kernel", "ns/elem", "GB/s", "x roof", "naive ns", "naive/");
    if (with_scipy) {
        printf(" %9s %9s %9s", "rel_entr/", "entropy/", "js_dist/");
    }
    printf("\n");
    for (int k = 0; k < N_KERNELS; k++) {
        double bytes = (k == ENTROPY ? 8.0 : 16.0) * per;
        double roof = k == ENTROPY ? t->roof_one : t->roof_two;

        printf("%-14s %9.3f %7.2f %7.2f %9.3f %7.2f", kernel_names[k], t->lib[k] / per,
               bytes / t->lib[k], t->lib[k] / roof, t->naive[k] / per, t->naive[k] / t->lib[k]);
        if (with_scipy) {
            double entropy = k == ENTROPY ? t->scipy[STATS_ENTROPY_P] : t->scipy[STATS_ENTROPY_PQ];

            printf(" %9.2f %9.2f", t->scipy[REL_ENTR_SUM] / t->lib[k], entropy / t->lib[k]);
            if (k == JS) {
                printf(" %9.2f", t->scipy[JENSENSHANNON] / t->lib[k]);
            } else {
                printf(" %9s", "-");
            }
        }
        printf("\n");
    }
    if (with_scipy) {
        printf("scipy ns/elem: rel_entr(p, q).sum() %.3f, entropy(p, q) %.3f, entropy(p) %.3f, "
               "jensenshannon %.3f\n",
               t->scipy[REL_ENTR_SUM] / per, t->scipy[STATS_ENTROPY_PQ] / per,
               t->scipy[STATS_ENTROPY_P] / per, t->scipy[JENSENSHANNON] / per);
    }
    printf("values: entropy %.17g, CE %.17g, KL %.17g, JS %.17g\n", t->value[ENTROPY],
           t->value[CROSS_ENTROPY], t->value[KL], t->value[JS]);
}

/* Returns ns per element, or -1 for a time that was not measured (negative). */
static double
per_element(double ns, size_t n)
{
    return ns < 0.0 ? -1.0 : ns / (double)n;
}

/* Allocates, fills with fill and times one size; returns 0 when out of memory. */
static int
run_size(size_t n, void (*fill)(double *, double *, size_t), timings *t)
{
    double *p = malloc(n * sizeof *p);
    double *q = malloc(n * sizeof *q);

    if (p == NULL || q == NULL) {
        fprintf(stderr, "bench_discrete: out of memory at n = %zu\n", n);
        free(p);
        free(q);
        return 0;
    }
    fill(p, q, n);
    time_c(p, q, n, t);
    free(p);
    free(q);
    return 1;
}

int
main(int argc, char **argv)
{
    static timings all[N_SIZES];
    timings near;
    double scipy_ns[N_SIZES][N_SCIPY];
    double peak_mib[N_SIZES];
    int with_scipy = 0;

    /* The C timings run first, so that peak memory grows with n as the arrays do. */
    for (int s = 0; s < N_SIZES; s++) {
        if (!run_size(sizes[s], fill_counts, &all[s])) {
            return 1;
        }
        peak_mib[s] = peak_memory_mib();
    }
    if (!run_size(sizes[NEAR_SIZE], fill_near, &near)) {
        return 1;
    }

    for (int s = 0; s < N_SIZES; s++) {
        for (int c = 0; c < N_SCIPY; c++) {
            scipy_ns[s][c] = -1.0;
        }
    }
    if (argc < 2) {
        printf("# scipy: skipped (no script path given)\n");
    } else if (!scipy_available()) {
        printf("# scipy: skipped (/usr/bin/python3 cannot import scipy; install python3-scipy)\n");
    } else {
        with_scipy = time_scipy(argv[1], scipy_ns);
        printf("# scipy: %s\n", with_scipy ? "measured through /usr/bin/python3, median of 5 calls"
                                           : "skipped (the script failed)");
    }
    printf("# medians of %d runs, CPU time, one thread; x roof: lower is better; "
           "baseline/library ratios: above 1 means the library is faster\n", RUNS);

    for (int s = 0; s < N_SIZES; s++) {
        memcpy(all[s].scipy, scipy_ns[s], sizeof all[s].scipy);
        print_size(sizes[s], &all[s], with_scipy);
        printf("peak resident memory after the C timings: %.1f MiB (inputs: %.1f MiB)\n",
               peak_mib[s], 16.0 * (double)sizes[s] / 1048576.0);
    }
    memcpy(near.scipy, scipy_ns[NEAR_SIZE], sizeof near.scipy);
    printf("\n# near-identical inputs, q_i = p_i (1 + u / 100); scipy times from the random counts\n");
    print_size(sizes[NEAR_SIZE], &near, with_scipy);
    printf("\n# table: n kernel library_ns naive_ns roof_ns rel_entr_ns stats_entropy_ns "
           "jensenshannon_ns (per element; -1: not measured)\n");
    for (int s = 0; s < N_SIZES; s++) {
        for (int k = 0; k < N_KERNELS; k++) {
            double per = (double)sizes[s];
            double entropy = k == ENTROPY ? scipy_ns[s][STATS_ENTROPY_P] : scipy_ns[s][STATS_ENTROPY_PQ];

            printf("data %zu %s %.4f %.4f %.4f %.4f %.4f %.4f\n", sizes[s],
                   k == CROSS_ENTROPY ? "CE" : kernel_names[k], all[s].lib[k] / per,
                   all[s].naive[k] / per, (k == ENTROPY ? all[s].roof_one : all[s].roof_two) / per,
                   per_element(scipy_ns[s][REL_ENTR_SUM], sizes[s]), per_element(entropy, sizes[s]),
                   per_element(scipy_ns[s][JENSENSHANNON], sizes[s]));
        }
    }
    return 0;
}
