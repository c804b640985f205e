/*
 * singdiv samples X Y: W1 (for d = 1), MMD^2 and a permutation test
 * between two samples read from files.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "diag.h"
#include "json.h"
#include "sample_input.h"

static const cli_option samples_options[] = {
    {"json", NULL, "print one JSON object instead of text"},
    {"kernel", "K", "gaussian (default), laplacian or imq (inverse multiquadric)"},
    {"bandwidth", "H", "kernel bandwidth > 0 (default: the median heuristic)"},
    {"median-points", "M", "points of the pooled sample used for the median (default 2000)"},
    {"permutations", "B", "permutations of the two-sample test, 0 to skip it (default 1000)"},
    {"seed", "S", "seed of the permutations, a whole number (default 1)"},
    {"memory", "MB", "memory for the stored kernel matrix of the test, in MiB (default 256)"},
};

static const cli_command_spec samples_spec = {
    "samples", "[OPTIONS] X Y",
    "Compares two samples: one sample per line, its d coordinates separated\n"
    "by spaces, tabs or commas, the same d in both files. Prints W1 (for\n"
    "d = 1), the biased (V-statistic) and unbiased (U-statistic) estimates\n"
    "of MMD^2 with the chosen kernel, and the p-value of a permutation test\n"
    "of 'X and Y come from the same distribution', whose statistic is the\n"
    "unbiased MMD^2 (the biased one when a sample has a single point).\n"
    "All three are finite whatever the supports of X and Y.\n"
    "\n"
    "The median heuristic takes the median distance between pooled points;\n"
    "beyond --median-points points it uses that many evenly spaced ones.",
    samples_options, sizeof samples_options / sizeof samples_options[0], 2, 2,
};

typedef struct samples_settings {
    singdiv_kernel kernel;
    int bandwidth_given;
    unsigned long long median_points;
    unsigned long long permutations;
    unsigned long long seed;
    unsigned long long memory_mib;
} samples_settings;

typedef struct samples_result {
    int has_w1;
    double w1;
    double mmd2_biased;
    int has_unbiased;
    double mmd2_unbiased;
    int has_test;
    singdiv_mmd_estimator test_estimator;
    singdiv_mmd_test_result test;
} samples_result;

static const char *
kernel_name(singdiv_kernel_type type)
{
    switch (type) {
    case SINGDIV_KERNEL_LAPLACIAN:
        return "laplacian";
    case SINGDIV_KERNEL_INVERSE_MULTIQUADRIC:
        return "imq";
    default:
        return "gaussian";
    }
}

static int
parse_kernel(const cli_args *args, singdiv_kernel_type *type)
{
    const char *name = cli_arg(&samples_spec, args, "kernel");

    *type = SINGDIV_KERNEL_GAUSSIAN;
    if (name == NULL || strcmp(name, "gaussian") == 0) {
        return 0;
    }
    if (strcmp(name, "laplacian") == 0) {
        *type = SINGDIV_KERNEL_LAPLACIAN;
    } else if (strcmp(name, "imq") == 0) {
        *type = SINGDIV_KERNEL_INVERSE_MULTIQUADRIC;
    } else {
        cli_error("samples: invalid value '%s' for --kernel: expected gaussian, laplacian or imq",
                  name);
        fputs("Try 'singdiv samples --help' for more information.\n", stderr);
        return CLI_EXIT_USAGE;
    }
    return 0;
}

static int
parse_settings(const cli_args *args, samples_settings *s)
{
    int status;

    memset(s, 0, sizeof *s);
    s->median_points = 2000;
    s->permutations = 1000;
    s->seed = 1;
    s->memory_mib = 256;
    s->bandwidth_given = cli_arg(&samples_spec, args, "bandwidth") != NULL;
    status = parse_kernel(args, &s->kernel.type);
    status = status ? status : cli_arg_double(&samples_spec, args, "bandwidth", 1e-300, 1e300,
                                              &s->kernel.bandwidth);
    status = status ? status : cli_arg_count(&samples_spec, args, "median-points", 2, 100000,
                                             &s->median_points);
    status = status ? status : cli_arg_count(&samples_spec, args, "permutations", 0, 100000000,
                                             &s->permutations);
    status = status ? status : cli_arg_count(&samples_spec, args, "seed", 0, UINT64_MAX,
                                             &s->seed);
    status = status ? status : cli_arg_count(&samples_spec, args, "memory", 0, 1048576,
                                             &s->memory_mib);
    return status;
}

/* Chooses the bandwidth by the median heuristic over at most median_points pooled points. */
static int
median_bandwidth(const cli_samples *x, const cli_samples *y, const samples_settings *s,
                 double *out)
{
    size_t count = 0;
    double *work;
    singdiv_status st = singdiv_median_bandwidth_workspace_size(x->rows, y->rows,
                                                                (size_t)s->median_points, &count);

    if (st != SINGDIV_OK) {
        return cli_library_failure("singdiv_median_bandwidth_workspace_size", st);
    }
    work = malloc((count > 0 ? count : 1) * sizeof(double));
    if (work == NULL) {
        return cli_out_of_memory();
    }
    st = singdiv_median_bandwidth_ex(x->values.data, x->rows, y->values.data, y->rows, x->cols,
                                     (size_t)s->median_points, work, count, out, NULL);
    free(work);
    if (st == SINGDIV_ERR_DOMAIN) {
        cli_error("samples: all points coincide, so the median heuristic has no scale; "
                  "give one with --bandwidth");
        return CLI_EXIT_USAGE;
    }
    return st == SINGDIV_OK ? 0 : cli_library_failure("singdiv_median_bandwidth_ex", st);
}

static int
compute(const cli_samples *x, const cli_samples *y, const samples_settings *s,
        samples_result *r)
{
    const double *xv = x->values.data;
    const double *yv = y->values.data;
    singdiv_status st = SINGDIV_OK;

    memset(r, 0, sizeof *r);
    if (x->cols == 1) {
        r->has_w1 = 1;
        st = singdiv_w1_samples(xv, NULL, x->rows, yv, NULL, y->rows, &r->w1);
    }
    if (st == SINGDIV_OK) {
        st = singdiv_mmd2(xv, x->rows, yv, y->rows, x->cols, &s->kernel, SINGDIV_MMD_BIASED,
                          &r->mmd2_biased);
    }
    r->has_unbiased = x->rows >= 2 && y->rows >= 2;
    if (st == SINGDIV_OK && r->has_unbiased) {
        st = singdiv_mmd2(xv, x->rows, yv, y->rows, x->cols, &s->kernel, SINGDIV_MMD_UNBIASED,
                          &r->mmd2_unbiased);
    }
    r->has_test = s->permutations > 0;
    r->test_estimator = r->has_unbiased ? SINGDIV_MMD_UNBIASED : SINGDIV_MMD_BIASED;
    if (st == SINGDIV_OK && r->has_test) {
        st = singdiv_mmd_test(xv, x->rows, yv, y->rows, x->cols, &s->kernel, r->test_estimator,
                              (size_t)s->permutations, (uint64_t)s->seed,
                              (size_t)s->memory_mib << 20, &r->test, NULL);
    }
    return st == SINGDIV_OK ? 0 : cli_library_failure("computing W1 or MMD", st);
}

static void
print_text(const cli_args *args, const cli_samples *x, const cli_samples *y,
           const samples_settings *s, const samples_result *r)
{
    printf("X = %s (%zu samples), Y = %s (%zu samples), d = %zu\n\n", args->files[0], x->rows,
           args->files[1], y->rows, x->cols);
    if (r->has_w1) {
        printf("  %-28s %.6g\n", "W1", r->w1);
    } else {
        printf("  %-28s n/a (W1 is computed on the real line, d = 1)\n", "W1");
    }
    printf("  %-28s %s, bandwidth %.6g (%s)\n", "kernel", kernel_name(s->kernel.type),
           s->kernel.bandwidth, s->bandwidth_given ? "given" : "median heuristic");
    printf("  %-28s %.6g\n", "MMD^2 biased (V-statistic)", r->mmd2_biased);
    if (r->has_unbiased) {
        printf("  %-28s %.6g\n", "MMD^2 unbiased (U-statistic)", r->mmd2_unbiased);
    } else {
        printf("  %-28s n/a (needs 2 samples on each side)\n", "MMD^2 unbiased (U-statistic)");
    }
    if (r->has_test) {
        printf("  %-28s %.6g (%zu of %zu permutations reach the observed %s MMD^2, seed %llu)\n",
               "permutation test p-value", r->test.p_value, r->test.exceed_count,
               r->test.permutations, r->test_estimator == SINGDIV_MMD_UNBIASED ? "unbiased"
                                                                             : "biased",
               s->seed);
    }
}

static void
write_side(cli_json *j, const char *key, const char *file, const cli_samples *s)
{
    cli_json_begin_object(j, key);
    cli_json_string(j, "file", file);
    cli_json_integer(j, "n", s->rows);
    cli_json_end_object(j);
}

static void
print_json(const cli_args *args, const cli_samples *x, const cli_samples *y,
           const samples_settings *s, const samples_result *r)
{
    cli_json j;

    cli_json_init(&j, stdout);
    cli_json_begin_object(&j, NULL);
    cli_json_string(&j, "command", "samples");
    cli_json_string(&j, "version", singdiv_version_string());
    cli_json_integer(&j, "d", x->cols);
    write_side(&j, "x", args->files[0], x);
    write_side(&j, "y", args->files[1], y);
    if (r->has_w1) {
        cli_json_number(&j, "w1", r->w1);
    } else {
        cli_json_null(&j, "w1");
    }
    cli_json_begin_object(&j, "kernel");
    cli_json_string(&j, "type", kernel_name(s->kernel.type));
    cli_json_number(&j, "bandwidth", s->kernel.bandwidth);
    cli_json_string(&j, "bandwidth_rule", s->bandwidth_given ? "given" : "median");
    cli_json_end_object(&j);
    cli_json_number(&j, "mmd2_biased", r->mmd2_biased);
    if (r->has_unbiased) {
        cli_json_number(&j, "mmd2_unbiased", r->mmd2_unbiased);
    } else {
        cli_json_null(&j, "mmd2_unbiased");
    }
    if (r->has_test) {
        cli_json_begin_object(&j, "test");
        cli_json_string(&j, "estimator",
                        r->test_estimator == SINGDIV_MMD_UNBIASED ? "unbiased" : "biased");
        cli_json_number(&j, "statistic", r->test.statistic);
        cli_json_integer(&j, "permutations", r->test.permutations);
        cli_json_integer(&j, "seed", s->seed);
        cli_json_integer(&j, "exceed_count", r->test.exceed_count);
        cli_json_number(&j, "p_value", r->test.p_value);
        cli_json_end_object(&j);
    } else {
        cli_json_null(&j, "test");
    }
    cli_json_end_object(&j);
}

static int
run(const cli_args *args, samples_settings *s)
{
    cli_samples x = {0};
    cli_samples y = {0};
    samples_result r;
    int status = cli_read_samples(args->files[0], &x);

    status = status ? status : cli_read_samples(args->files[1], &y);
    if (status == 0 && x.cols != y.cols) {
        cli_error("samples: %s has %zu coordinates per sample but %s has %zu", args->files[0],
                  x.cols, args->files[1], y.cols);
        status = CLI_EXIT_USAGE;
    }
    if (status == 0 && !s->bandwidth_given) {
        status = median_bandwidth(&x, &y, s, &s->kernel.bandwidth);
    }
    status = status ? status : compute(&x, &y, s, &r);
    if (status == 0 && cli_flag(&samples_spec, args, "json")) {
        print_json(args, &x, &y, s, &r);
    } else if (status == 0) {
        print_text(args, &x, &y, s, &r);
    }
    cli_samples_free(&x);
    cli_samples_free(&y);
    return status;
}

int
cli_cmd_samples(int argc, char **argv)
{
    cli_args args;
    samples_settings settings;
    int status = cli_parse_args(&samples_spec, argc, argv, &args);

    if (status != 0) {
        return status;
    }
    if (args.help) {
        cli_print_help(stdout, &samples_spec);
        return CLI_EXIT_OK;
    }
    status = parse_settings(&args, &settings);
    return status != 0 ? status : run(&args, &settings);
}
