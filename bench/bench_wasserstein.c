/*
 * Benchmark of W1 on the real line, one thread.
 *
 * Samples (n values on each side, unweighted and weighted): the library's
 * allocating call and its workspace variant, against a C baseline that
 * sorts copies with qsort and merges them, and against
 * scipy.stats.wasserstein_distance through /usr/bin/python3 (skipped when
 * scipy cannot be imported). Histograms (n support points): the library
 * against the time to read x, p and q twice, and against scipy. The
 * column check is the time of singdiv_check_distribution() on p and on q,
 * which is the validation part of the library's time.
 *
 * Usage: bench_wasserstein [SCIPY_SCRIPT]. Prints medians of RUNS timings
 * in ns per input value (2n for samples, n for histograms) and the ratio of
 * each baseline's time to the library's (above 1: the library is faster).
 * Times are CPU time of this process (and of the Python process for scipy),
 * so other programs running on the machine disturb them less than they
 * would disturb wall-clock time.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <singdiv/singdiv.h>

#define RUNS 7
#define SCIPY_RUNS 5

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

static double
next_uniform(uint64_t *state)
{
    return ((double)(next_random(state) >> 11) + 0.5) * 0x1p-53;
}

/* A normal variate by Box-Muller. */
static double
next_normal(uint64_t *state)
{
    double r = sqrt(-2.0 * log(next_uniform(state)));

    return r * cos(6.283185307179586 * next_uniform(state));
}

typedef struct weighted_value {
    double value;
    double weight;
} weighted_value;

static int
compare_weighted(const void *a, const void *b)
{
    return compare_doubles(a, b);
}

/*
 * The baseline a C programmer writes first: qsort copies of both samples
 * (with their weights), then merge them, summing |F_u - F_v| dx.
 */
static double
qsort_merge_w1(const double *u, const double *uw, const double *v, const double *vw,
               size_t n, weighted_value *a, weighted_value *b)
{
    double su = 0.0;
    double sv = 0.0;
    double fu = 0.0;
    double fv = 0.0;
    double total = 0.0;
    double x;
    size_t i = 0;
    size_t j = 0;

    for (size_t k = 0; k < n; k++) {
        a[k].value = u[k];
        a[k].weight = uw != NULL ? uw[k] : 1.0;
        b[k].value = v[k];
        b[k].weight = vw != NULL ? vw[k] : 1.0;
        su += a[k].weight;
        sv += b[k].weight;
    }
    qsort(a, n, sizeof *a, compare_weighted);
    qsort(b, n, sizeof *b, compare_weighted);
    x = a[0].value < b[0].value ? a[0].value : b[0].value;
    while (i < n || j < n) {
        int from_u = j >= n || (i < n && a[i].value <= b[j].value);
        double next = from_u ? a[i].value : b[j].value;

        total += fabs(fu - fv) * (next - x);
        x = next;
        if (from_u) {
            fu += a[i++].weight / su;
        } else {
            fv += b[j++].weight / sv;
        }
    }
    return total;
}

static void
write_file(const char *path, const double *x, size_t n)
{
    FILE *f = fopen(path, "wb");

    if (f != NULL) {
        fwrite(x, sizeof *x, n, f);
        fclose(f);
    }
}

static int
scipy_available(const char *script)
{
    if (script == NULL) {
        return 0;
    }
    return system("/usr/bin/python3 -c 'import scipy.stats, numpy' >/dev/null 2>&1") == 0;
}

/*
 * Runs the scipy script on the arrays (NULL weights: none) and returns its
 * median time in ns, or -1 when it fails. Stores the distance in *value.
 */
static double
scipy_ns(const char *script, const double *a, const double *b, const double *aw,
         const double *bw, size_t n, double *value)
{
    char dir[] = "/tmp/bench_w1_XXXXXX";
    char command[1024];
    double ms = -1.0;
    FILE *p;

    if (mkdtemp(dir) == NULL) {
        return -1.0;
    }
    snprintf(command, sizeof command, "%s/a", dir);
    write_file(command, a, n);
    snprintf(command, sizeof command, "%s/b", dir);
    write_file(command, b, n);
    if (aw != NULL) {
        snprintf(command, sizeof command, "%s/aw", dir);
        write_file(command, aw, n);
        snprintf(command, sizeof command, "%s/bw", dir);
        write_file(command, bw, n);
        snprintf(command, sizeof command,
                 "OMP_NUM_THREADS=1 /usr/bin/python3 '%s' %s/a %s/b %s/aw %s/bw %d; rm -rf %s",
                 script, dir, dir, dir, dir, SCIPY_RUNS, dir);
    } else {
        snprintf(command, sizeof command,
                 "OMP_NUM_THREADS=1 /usr/bin/python3 '%s' %s/a %s/b %d; rm -rf %s", script, dir,
                 dir, SCIPY_RUNS, dir);
    }
    p = popen(command, "r");
    if (p == NULL) {
        return -1.0;
    }
    if (fscanf(p, "%lf %lf", &ms, value) != 2) {
        ms = -1.0;
    }
    pclose(p);
    return ms > 0.0 ? ms * 1e6 : -1.0;
}

typedef struct sample_data {
    size_t n;
    double *u;
    double *v;
    double *uw;
    double *vw;
} sample_data;

static sample_data
make_samples(size_t n, uint64_t seed)
{
    sample_data s = { n, malloc(n * sizeof(double)), malloc(n * sizeof(double)),
                      malloc(n * sizeof(double)), malloc(n * sizeof(double)) };

    if (s.u == NULL || s.v == NULL || s.uw == NULL || s.vw == NULL) {
        fprintf(stderr, "bench_wasserstein: out of memory for n = %zu\n", n);
        exit(1);
    }
    for (size_t i = 0; i < n; i++) {
        s.u[i] = next_normal(&seed);
        s.v[i] = 0.25 + 1.5 * next_normal(&seed);
        s.uw[i] = next_uniform(&seed);
        s.vw[i] = next_uniform(&seed);
    }
    return s;
}

/* Times the library (allocating and workspace variants) and the qsort baseline. */
static void
bench_samples(const sample_data *s, int weighted, const char *script, int with_scipy)
{
    const double *uw = weighted ? s->uw : NULL;
    const double *vw = weighted ? s->vw : NULL;
    size_t bytes = singdiv_w1_samples_workspace_size(s->n, s->n);
    void *ws = malloc(bytes);
    weighted_value *a = malloc(s->n * sizeof *a);
    weighted_value *b = malloc(s->n * sizeof *b);
    double lib[RUNS];
    double lib_ws[RUNS];
    double base[RUNS];
    double value = 0.0;
    double base_value = 0.0;
    double scipy_value = (double)NAN;
    double per = 2.0 * (double)s->n;
    double t_lib;
    double t_scipy = -1.0;

    if (ws == NULL || a == NULL || b == NULL) {
        fprintf(stderr, "bench_wasserstein: out of memory\n");
        exit(1);
    }
    for (int r = 0; r < RUNS; r++) {
        double t0 = now_ns();

        singdiv_w1_samples(s->u, uw, s->n, s->v, vw, s->n, &value);
        lib[r] = now_ns() - t0;
        t0 = now_ns();
        singdiv_w1_samples_workspace(s->u, uw, s->n, s->v, vw, s->n, ws, bytes, &value, NULL);
        lib_ws[r] = now_ns() - t0;
        t0 = now_ns();
        base_value = qsort_merge_w1(s->u, uw, s->v, vw, s->n, a, b);
        base[r] = now_ns() - t0;
    }
    t_lib = median(lib, RUNS);
    if (with_scipy) {
        t_scipy = scipy_ns(script, s->u, s->v, uw, vw, s->n, &scipy_value);
    }

    printf("samples %-8s %9zu %9.2f %9.2f %9.2f %8.2f", weighted ? "weighted" : "equal", s->n,
           t_lib / per, median(lib_ws, RUNS) / per, median(base, RUNS) / per,
           median(base, RUNS) / t_lib);
    if (t_scipy > 0.0) {
        printf(" %9.2f %8.2f %9.1e", t_scipy / per, t_scipy / t_lib,
               fabs(scipy_value - value) / value);
    } else {
        printf(" %9s %8s %9s", "-", "-", "-");
    }
    printf("   (qsort rel diff %.1e)\n", fabs(base_value - value) / value);
    free(ws);
    free(a);
    free(b);
}

/* Reads x, p and q twice, as validation plus one computing pass would. */
static double
read_twice(const double *x, const double *p, const double *q, size_t n)
{
    double s = 0.0;

    for (int pass = 0; pass < 2; pass++) {
        double a = 0.0;
        double b = 0.0;
        double c = 0.0;

        for (size_t i = 0; i < n; i++) {
            a += x[i];
            b += p[i];
            c += q[i];
        }
        s += a + b + c;
    }
    return s;
}

static void
bench_hist(size_t n, const char *script, int with_scipy)
{
    double *x = malloc(n * sizeof *x);
    double *p = malloc(n * sizeof *p);
    double *q = malloc(n * sizeof *q);
    double lib[RUNS];
    double roof[RUNS];
    double check[RUNS];
    double value = 0.0;
    double scipy_value = (double)NAN;
    volatile double sink = 0.0;
    double t_lib;
    double t_scipy = -1.0;
    singdiv_options opt;
    uint64_t seed = 77;

    if (x == NULL || p == NULL || q == NULL) {
        fprintf(stderr, "bench_wasserstein: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < n; i++) {
        x[i] = (double)i * 0.001;
        p[i] = next_uniform(&seed);
        q[i] = next_uniform(&seed);
    }
    singdiv_options_init(&opt);
    opt.normalize = 1;
    for (int r = 0; r < RUNS; r++) {
        double t0 = now_ns();

        singdiv_w1_hist(x, p, q, n, &opt, &value);
        lib[r] = now_ns() - t0;
        t0 = now_ns();
        sink += read_twice(x, p, q, n);
        roof[r] = now_ns() - t0;
        t0 = now_ns();
        sink += (double)singdiv_check_distribution(p, n, &opt, NULL);
        sink += (double)singdiv_check_distribution(q, n, &opt, NULL);
        check[r] = now_ns() - t0;
    }
    t_lib = median(lib, RUNS);
    if (with_scipy) {
        t_scipy = scipy_ns(script, x, x, p, q, n, &scipy_value);
    }

    printf("hist    %-8s %9zu %9.2f %9.2f %8.2f %9.2f", "", n, t_lib / (double)n,
           median(roof, RUNS) / (double)n, t_lib / median(roof, RUNS),
           median(check, RUNS) / (double)n);
    if (t_scipy > 0.0) {
        printf(" %9.2f %8.1f %9.1e", t_scipy / (double)n, t_scipy / t_lib,
               fabs(scipy_value - value) / value);
    }
    printf("\n");
    (void)sink;
    free(x);
    free(p);
    free(q);
}

int
main(int argc, char **argv)
{
    const char *script = argc > 1 ? argv[1] : NULL;
    int with_scipy = scipy_available(script);
    const size_t sizes[] = { 100000, 1000000 };

    printf("W1 benchmark: median of %d runs (scipy: %d), ns per input value, one thread\n",
           RUNS, SCIPY_RUNS);
    if (!with_scipy) {
        printf("scipy baseline skipped: /usr/bin/python3 cannot import scipy.stats\n");
    }
    printf("%-16s %9s %9s %9s %9s %8s %9s %8s %9s\n", "form", "n", "lib", "lib_ws", "qsort",
           "x_qsort", "scipy", "x_scipy", "rel_diff");
    for (size_t i = 0; i < 2; i++) {
        sample_data s = make_samples(sizes[i], 11 + i);

        bench_samples(&s, 0, script, with_scipy);
        bench_samples(&s, 1, script, with_scipy);
        free(s.u);
        free(s.v);
        free(s.uw);
        free(s.vw);
    }
    printf("\n%-16s %9s %9s %9s %8s %9s %9s %8s %9s\n", "form", "n", "lib", "read2x", "x_read2x",
           "check", "scipy", "x_scipy", "rel_diff");
    for (size_t i = 0; i < 2; i++) {
        bench_hist(sizes[i], script, with_scipy);
    }
    return 0;
}
