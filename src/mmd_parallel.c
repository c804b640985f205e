/*
 * The three kernel sums of singdiv_mmd2(), split into jobs: one job is a
 * row of tile pairs (singdiv__mmd_cross_row() or singdiv__mmd_self_row()).
 * Jobs run in any order on any thread, and each stores its row sum at its
 * own index. The rows are then added in a fixed order, so the result has
 * the same bits for every number of threads, one included.
 *
 * Worker threads exist only in builds with the meson option threads
 * (SINGDIV_THREADS). Other builds run every job on the calling thread, so
 * they need no thread library.
 */
#ifndef SINGDIV_THREADS
#define SINGDIV_THREADS 0
#endif
#if SINGDIV_THREADS
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdlib.h>

#include "mmd_internal.h"

#if SINGDIV_THREADS
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>
#endif

/* Job list: x rows against y, then the x rows within x, then the y rows within y. */
typedef struct sample_jobs {
    const singdiv__mmd_plan *plan;
    const singdiv__mmd_points *px;
    const singdiv__mmd_points *py;
    size_t tx; /* tiles of x */
    size_t ty; /* tiles of y */
} sample_jobs;

static size_t
job_count(const sample_jobs *jobs)
{
    return 2 * jobs->tx + jobs->ty;
}

/* Which of the three sums job j adds to (see singdiv__mmd_sample_sums()). */
static int
job_kind(const sample_jobs *jobs, size_t j)
{
    if (j < jobs->tx) {
        return 2;
    }
    return j < 2 * jobs->tx ? 0 : 1;
}

static double
run_job(const sample_jobs *jobs, size_t j, singdiv__mmd_tile *ta, singdiv__mmd_tile *tb)
{
    size_t t = jobs->plan->tile;

    if (j < jobs->tx) {
        return singdiv__mmd_cross_row(jobs->plan, jobs->px, jobs->py, j * t, ta, tb);
    }
    if (j < 2 * jobs->tx) {
        return singdiv__mmd_self_row(jobs->plan, jobs->px, (j - jobs->tx) * t, ta, tb);
    }
    return singdiv__mmd_self_row(jobs->plan, jobs->py, (j - 2 * jobs->tx) * t, ta, tb);
}

/* Runs every job on the calling thread, adding each row as it is done. */
static void
serial_sums(const sample_jobs *jobs, singdiv__mmd_tile *ta, singdiv__mmd_tile *tb,
            double sums[3])
{
    singdiv__sum acc[3] = { { 0.0, 0.0 }, { 0.0, 0.0 }, { 0.0, 0.0 } };

    for (size_t j = 0; j < job_count(jobs); j++) {
        singdiv__sum_add(&acc[job_kind(jobs, j)], run_job(jobs, j, ta, tb));
    }
    for (int k = 0; k < 3; k++) {
        sums[k] = singdiv__sum_value(&acc[k]);
    }
}

#if SINGDIV_THREADS

/* Adds the row sums in job order; rows[j] is the sum of job j. */
static void
reduce_rows(const sample_jobs *jobs, const double *rows, double sums[3])
{
    singdiv__sum acc[3] = { { 0.0, 0.0 }, { 0.0, 0.0 }, { 0.0, 0.0 } };

    for (size_t j = 0; j < job_count(jobs); j++) {
        singdiv__sum_add(&acc[job_kind(jobs, j)], rows[j]);
    }
    for (int k = 0; k < 3; k++) {
        sums[k] = singdiv__sum_value(&acc[k]);
    }
}

/* State shared by the threads of one call. */
typedef struct shared_jobs {
    const sample_jobs *jobs;
    double *rows;
    atomic_size_t next;
} shared_jobs;

/* Takes jobs until none is left. */
static void
take_jobs(shared_jobs *sh, singdiv__mmd_tile *ta, singdiv__mmd_tile *tb)
{
    size_t count = job_count(sh->jobs);

    for (;;) {
        size_t j = atomic_fetch_add(&sh->next, 1);

        if (j >= count) {
            return;
        }
        sh->rows[j] = run_job(sh->jobs, j, ta, tb);
    }
}

/* A worker: allocates its own two tiles; without them it takes no job. */
static void *
worker(void *arg)
{
    shared_jobs *sh = arg;
    size_t d = sh->jobs->plan->d;
    size_t tile_doubles;
    double *buf;
    singdiv__mmd_tile ta;
    singdiv__mmd_tile tb;

    (void)singdiv__mmd_tile_doubles(d, &tile_doubles);
    buf = malloc(2 * tile_doubles * sizeof(double));
    if (buf == NULL) {
        return NULL;
    }
    singdiv__mmd_tile_init(&ta, buf, d);
    singdiv__mmd_tile_init(&tb, buf + tile_doubles, d);
    take_jobs(sh, &ta, &tb);
    free(buf);
    return NULL;
}

/* Resolves the thread count: 0 means one per online processor, at most one per job. */
static size_t
resolve_threads(size_t threads, size_t jobs)
{
    if (threads == 0) {
        long online = sysconf(_SC_NPROCESSORS_ONLN);

        threads = online > 0 ? (size_t)online : 1;
    }
    return threads < jobs ? threads : jobs;
}

/* Runs the jobs on up to `threads` threads; returns 0 when it could not start. */
static int
parallel_sums(const sample_jobs *jobs, size_t threads, singdiv__mmd_tile *ta,
              singdiv__mmd_tile *tb, double sums[3])
{
    size_t count = job_count(jobs);
    size_t started = 0;
    shared_jobs sh;
    pthread_t *ids;

    threads = resolve_threads(threads, count);
    if (threads < 2) {
        return 0;
    }
    sh.jobs = jobs;
    sh.rows = malloc(count * sizeof(double));
    ids = malloc((threads - 1) * sizeof(pthread_t));
    if (sh.rows == NULL || ids == NULL) {
        free(sh.rows);
        free(ids);
        return 0;
    }
    atomic_init(&sh.next, 0);
    while (started < threads - 1 && pthread_create(&ids[started], NULL, worker, &sh) == 0) {
        started++;
    }
    take_jobs(&sh, ta, tb);
    for (size_t i = 0; i < started; i++) {
        pthread_join(ids[i], NULL);
    }
    reduce_rows(jobs, sh.rows, sums);
    free(sh.rows);
    free(ids);
    return 1;
}

#endif /* SINGDIV_THREADS */

void
singdiv__mmd_sample_sums(const singdiv__mmd_plan *plan, const singdiv__mmd_points *px,
                         const singdiv__mmd_points *py, size_t threads,
                         singdiv__mmd_tile *ta, singdiv__mmd_tile *tb, double sums[3])
{
    sample_jobs jobs;

    jobs.plan = plan;
    jobs.px = px;
    jobs.py = py;
    jobs.tx = (px->n + plan->tile - 1) / plan->tile;
    jobs.ty = (py->n + plan->tile - 1) / plan->tile;
#if SINGDIV_THREADS
    if (threads != 1 && parallel_sums(&jobs, threads, ta, tb, sums)) {
        return;
    }
#else
    (void)threads;
#endif
    serial_sums(&jobs, ta, tb, sums);
}
