/*
 * singdiv smooth P Q: how the cross-entropy and KL of P and the smoothed
 * model Q_eps = (1 - eps) Q + eps U (U uniform) grow as eps shrinks.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "args.h"
#include "commands.h"
#include "diag.h"
#include "json.h"
#include "pair_input.h"
#include "pair_report.h"

static const cli_option smooth_options[] = {
    {"json", NULL, "print one JSON object instead of a table"},
    {"base", "B", "logarithm base of the results: e (default, nats) or a number, 2 for bits"},
    {"normalize", NULL, "treat the values as counts and divide each file by its sum"},
    {"tolerance", "T", "accept sums within T of 1 without --normalize (default 1e-6)"},
    {"labels", NULL, "read 'label value' lines even when the labels look like numbers"},
    {"eps-max", "E", "largest eps, in (0, 1) (default 0.1)"},
    {"eps-min", "E", "smallest eps, in (0, eps-max] (default 1e-12)"},
    {"per-decade", "K", "eps values per factor of 10, from 1 to 100 (default 1)"},
};

static const cli_command_spec smooth_spec = {
    "smooth", "[OPTIONS] P Q",
    "Mixes the model Q with the uniform distribution U, Q_eps = (1 - eps) Q +\n"
    "eps U, and prints, for eps from --eps-max down to --eps-min, the exact\n"
    "CE(P, Q_eps) and KL(P || Q_eps), the exact slope dCE/dlog(1/eps), the\n"
    "small-eps expansion m_V log(1/eps) + C + D eps + E eps^2 and the share\n"
    "of each value that the term m_V log(1/eps) makes up, that is, the part\n"
    "set by the smoothing constant rather than by P and Q.\n"
    "\n"
    "The text output is a table with '#' comment lines, ready for gnuplot.\n"
    "Files are read as by 'singdiv compare'.",
    smooth_options, sizeof smooth_options / sizeof smooth_options[0], 2, 2,
};

typedef struct smooth_grid {
    double eps_max;
    double eps_min;
    unsigned long long per_decade;
} smooth_grid;

/* One row of the table. */
typedef struct smooth_point {
    double eps;
    double log_inverse_eps; /* in the requested base */
    singdiv_smoothing_parts ce;
    singdiv_smoothing_parts kl;
    double expansion;       /* the expansion of CE(P, Q_eps) up to E eps^2 */
} smooth_point;

static int
compute_point(const cli_pair_view *view, const singdiv_options *opt,
              const singdiv_expansion *ce, double eps, smooth_point *out)
{
    double scale = opt->base == 0.0 ? 1.0 : log(opt->base);
    singdiv_status s;

    out->eps = eps;
    out->log_inverse_eps = -log(eps) / scale;
    s = singdiv_smoothing_decompose(view->p, view->q, NULL, view->n, eps,
                                    SINGDIV_SMOOTHED_CROSS_ENTROPY, opt, &out->ce);
    if (s == SINGDIV_OK) {
        s = singdiv_smoothing_decompose(view->p, view->q, NULL, view->n, eps,
                                        SINGDIV_SMOOTHED_KL, opt, &out->kl);
    }
    if (s != SINGDIV_OK) {
        return cli_library_failure("singdiv_smoothing_decompose", s);
    }
    out->expansion = ce->slope * out->log_inverse_eps + ce->finite_part
                     + eps * (ce->first_order + eps * ce->second_order);
    return 0;
}

/* Prints "# NAME = a log(1/eps) + b + c eps + d eps^2 + O(eps^3)" with the signs folded in. */
static void
print_series(const char *name, const singdiv_expansion *e)
{
    printf("# %s = %.10g log(1/eps) %c %.10g %c %.10g eps %c %.10g eps^2 + O(eps^3)\n", name,
           e->slope, e->finite_part < 0.0 ? '-' : '+', fabs(e->finite_part),
           e->first_order < 0.0 ? '-' : '+', fabs(e->first_order),
           e->second_order < 0.0 ? '-' : '+', fabs(e->second_order));
}

static void
print_header(const cli_pair_view *view, const singdiv_options *opt, const cli_pair_values *v)
{
    printf("# singdiv smooth: P = %s, Q = %s, %zu entries, values in %s\n", view->p_name,
           view->q_name, view->n, cli_unit_of(opt));
    printf("# Q_eps = (1 - eps) Q + eps U, U uniform on the %zu entries\n", view->n);
    print_series("CE(P, Q_eps)", &v->expansion_ce);
    print_series("KL(P || Q_eps)", &v->expansion_kl);
    if (v->expansion_ce.threshold >= 1.0) {
        printf("# the series converges for every eps in (0, 1)\n");
    } else {
        printf("# the series converges for eps below %.10g\n", v->expansion_ce.threshold);
    }
    printf("# %-11s %-13s %-15s %-15s %-13s %-15s %-13s %s\n", "eps", "log(1/eps)", "CE", "KL",
           "slope", "CE_expansion", "eps_share_CE", "eps_share_KL");
}

static void
print_row(const smooth_point *pt)
{
    printf("%-13.6g %-13.10g %-15.12g %-15.12g %-13.10g %-15.12g %-13.6g %.6g\n", pt->eps,
           pt->log_inverse_eps, pt->ce.value, pt->kl.value, pt->ce.slope, pt->expansion,
           pt->ce.epsilon_share, pt->kl.epsilon_share);
}

static void
write_expansion(cli_json *j, const char *key, const singdiv_expansion *e)
{
    cli_json_begin_object(j, key);
    cli_json_number(j, "slope", e->slope);
    cli_json_number(j, "finite_part", e->finite_part);
    cli_json_number(j, "first_order", e->first_order);
    cli_json_number(j, "second_order", e->second_order);
    cli_json_number(j, "threshold", e->threshold);
    cli_json_end_object(j);
}

static void
write_point(cli_json *j, const smooth_point *pt)
{
    cli_json_begin_object(j, NULL);
    cli_json_number(j, "eps", pt->eps);
    cli_json_number(j, "log_inverse_eps", pt->log_inverse_eps);
    cli_json_number(j, "cross_entropy", pt->ce.value);
    cli_json_number(j, "kl", pt->kl.value);
    cli_json_number(j, "slope", pt->ce.slope);
    cli_json_number(j, "expansion", pt->expansion);
    cli_json_number(j, "epsilon_part", pt->ce.epsilon_part);
    cli_json_number(j, "epsilon_share_cross_entropy", pt->ce.epsilon_share);
    cli_json_number(j, "epsilon_share_kl", pt->kl.epsilon_share);
    cli_json_end_object(j);
}

static void
write_json_head(cli_json *j, const cli_pair_view *view, const singdiv_options *opt,
                const cli_pair_values *v)
{
    cli_json_begin_object(j, NULL);
    cli_json_string(j, "command", "smooth");
    cli_json_string(j, "version", singdiv_version_string());
    cli_json_string(j, "unit", cli_unit_of(opt));
    cli_json_number(j, "base", opt->base == 0.0 ? 2.718281828459045 : opt->base);
    cli_json_integer(j, "n", view->n);
    cli_json_string(j, "p_file", view->p_name);
    cli_json_string(j, "q_file", view->q_name);
    cli_json_string(j, "reference", "uniform");
    cli_json_number(j, "violating_mass", v->violating.mass);
    cli_json_integer(j, "violating_count", v->violating.count);
    write_expansion(j, "expansion_cross_entropy", &v->expansion_ce);
    write_expansion(j, "expansion_kl", &v->expansion_kl);
    cli_json_begin_array(j, "points");
}

/*
 * Rounds x to 15 significant decimal digits, so that eps_max = 0.1 divided
 * by 10^5 gives the double nearest 1e-6 rather than a neighbour of it.
 */
static double
round_decimal(double x)
{
    char text[32];

    snprintf(text, sizeof text, "%.15g", x);
    return strtod(text, NULL);
}

static int
run_grid(const cli_pair_view *view, const singdiv_options *opt, const cli_pair_values *v,
         const smooth_grid *grid, int json)
{
    cli_json j;
    int status = 0;

    if (json) {
        cli_json_init(&j, stdout);
        write_json_head(&j, view, opt, v);
    } else {
        print_header(view, opt, v);
    }
    /* eps_k = eps_max 10^(-k / per_decade), down to eps_min (with a little slack for rounding). */
    for (unsigned long long k = 0; status == 0; k++) {
        double eps = round_decimal(grid->eps_max / pow(10.0, (double)k / (double)grid->per_decade));
        smooth_point pt;

        if (eps < grid->eps_min * (1.0 - 1e-9)) {
            break;
        }
        status = compute_point(view, opt, &v->expansion_ce, eps, &pt);
        if (status == 0 && json) {
            write_point(&j, &pt);
        } else if (status == 0) {
            print_row(&pt);
        }
    }
    if (json && status == 0) {
        cli_json_end_array(&j);
        cli_json_end_object(&j);
    }
    return status;
}

static int
run(const cli_args *args, const singdiv_options *opt, const smooth_grid *grid)
{
    cli_pair_input in = {0};
    cli_pair_values values = {0};
    cli_pair_view view;
    int status = cli_read_pair(args->files[0], args->files[1],
                               cli_flag(&smooth_spec, args, "labels") ? CLI_LAYOUT_LABELS
                                                                      : CLI_LAYOUT_AUTO,
                               &in);

    if (status == 0) {
        view.p_name = args->files[0];
        view.q_name = args->files[1];
        view.p = in.p.data;
        view.q = in.q.data;
        view.n = in.p.len;
        view.labels = in.labelled ? &in.labels : NULL;
        view.noun = "entries";
        view.noun_one = "entry";
        status = cli_compute_pair(&view, opt, 0, NULL, &values);
    }
    if (status == 0) {
        status = run_grid(&view, opt, &values, grid, cli_flag(&smooth_spec, args, "json"));
    }
    cli_pair_values_free(&values);
    cli_pair_input_free(&in);
    return status;
}

int
cli_cmd_smooth(int argc, char **argv)
{
    cli_args args;
    singdiv_options opt;
    smooth_grid grid = {0.1, 1e-12, 1};
    int status = cli_parse_args(&smooth_spec, argc, argv, &args);

    if (status != 0) {
        return status;
    }
    if (args.help) {
        cli_print_help(stdout, &smooth_spec);
        return CLI_EXIT_OK;
    }
    status = cli_args_options(&smooth_spec, &args, &opt);
    status = status ? status : cli_arg_double(&smooth_spec, &args, "eps-max", 1e-300, 0.999999,
                                              &grid.eps_max);
    status = status ? status : cli_arg_double(&smooth_spec, &args, "eps-min", 1e-300, 0.999999,
                                              &grid.eps_min);
    status = status ? status : cli_arg_count(&smooth_spec, &args, "per-decade", 1, 100,
                                             &grid.per_decade);
    if (status == 0 && grid.eps_min > grid.eps_max) {
        cli_error("smooth: --eps-min %g is larger than --eps-max %g", grid.eps_min, grid.eps_max);
        fputs("Try 'singdiv smooth --help' for more information.\n", stderr);
        status = CLI_EXIT_USAGE;
    }
    return status != 0 ? status : run(&args, &opt, &grid);
}
