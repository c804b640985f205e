/*
 * singdiv compare P Q: the divergences between two distributions read from files.
 */
#include <stdio.h>

#include "args.h"
#include "commands.h"
#include "diag.h"
#include "family_report.h"
#include "json.h"
#include "pair_input.h"
#include "pair_report.h"

static const cli_option compare_options[] = {
    {"json", NULL, "print one JSON object instead of text"},
    {"base", "B", "logarithm base of the results: e (default, nats) or a number, 2 for bits"},
    {"normalize", NULL, "treat the values as counts and divide each file by its sum"},
    {"tolerance", "T", "accept sums within T of 1 without --normalize (default 1e-6)"},
    {"labels", NULL, "read 'label value' lines even when the labels look like numbers"},
    {"top", "K", "list the K heaviest entries of each set (default 10)"},
    {"renyi-alpha", "A", "Renyi orders alpha > 0 of the family section, inf allowed; "
                         "repeatable or a comma list (default 0.5,2)"},
    {"skew", "PI", "weight pi of the skewed JS divergence, 0 < pi < 1 (default 0.5)"},
};

static const cli_command_spec compare_spec = {
    "compare", "[OPTIONS] P Q",
    "Compares the distribution P (the truth) with Q (the model): entropies,\n"
    "cross-entropy, KL both ways, Jensen-Shannon, and the violating set of\n"
    "entries that P has and Q lacks, which makes CE and KL(P || Q) infinite.\n"
    "The family section adds Renyi, chi-square, Jeffreys, PSI, total variation,\n"
    "Hellinger, Bhattacharyya and skewed JS, each with the set that makes it\n"
    "infinite.\n"
    "\n"
    "Each file contains either plain numbers (separated by spaces, tabs, commas\n"
    "or newlines; the two files are aligned by position) or 'label value'\n"
    "lines (aligned by label; a label missing from one file counts as 0\n"
    "there). '#' starts a comment; '-' reads stdin. Values must be\n"
    "probabilities summing to 1, or any non-negative counts with --normalize.",
    compare_options, sizeof compare_options / sizeof compare_options[0], 2, 2,
};

static void
print_text(const cli_pair_view *view, const cli_pair_input *in, const singdiv_options *opt,
           const cli_pair_values *values)
{
    printf("P = %s, Q = %s: %zu %s%s, values in %s\n\n", view->p_name, view->q_name, view->n,
           view->noun, in->labelled ? " aligned by label" : "", cli_unit_of(opt));
    cli_print_pair(stdout, view, opt, values);
}

static void
print_json(const cli_pair_view *view, const cli_pair_input *in, const singdiv_options *opt,
           const cli_pair_values *values)
{
    cli_json j;

    cli_json_init(&j, stdout);
    cli_json_begin_object(&j, NULL);
    cli_json_string(&j, "command", "compare");
    cli_json_string(&j, "version", singdiv_version_string());
    cli_json_string(&j, "unit", cli_unit_of(opt));
    cli_json_number(&j, "base", opt->base == 0.0 ? 2.718281828459045 : opt->base);
    cli_json_bool(&j, "normalize", opt->normalize);
    cli_json_bool(&j, "labelled", in->labelled);
    cli_json_integer(&j, "n", view->n);
    cli_json_begin_object(&j, "p");
    cli_json_string(&j, "file", view->p_name);
    cli_json_number(&j, "sum", values->p_sum);
    cli_json_end_object(&j);
    cli_json_begin_object(&j, "q");
    cli_json_string(&j, "file", view->q_name);
    cli_json_number(&j, "sum", values->q_sum);
    cli_json_end_object(&j);
    cli_write_pair_json(&j, view, opt, values);
    cli_json_end_object(&j);
}

static int
run(const cli_args *args, const singdiv_options *opt, unsigned long long top,
    const cli_family_request *family)
{
    cli_pair_input in = {0};
    cli_pair_values values;
    cli_pair_view view;
    int status = cli_read_pair(args->files[0], args->files[1],
                               cli_flag(&compare_spec, args, "labels") ? CLI_LAYOUT_LABELS
                                                                       : CLI_LAYOUT_AUTO,
                               &in);

    if (status != 0) {
        cli_pair_input_free(&in);
        return status;
    }
    view.p_name = args->files[0];
    view.q_name = args->files[1];
    view.p = in.p.data;
    view.q = in.q.data;
    view.n = in.p.len;
    view.labels = in.labelled ? &in.labels : NULL;
    view.noun = "entries";
    view.noun_one = "entry";

    status = cli_compute_pair(&view, opt, (size_t)top, family, &values);
    if (status == 0 && cli_flag(&compare_spec, args, "json")) {
        print_json(&view, &in, opt, &values);
    } else if (status == 0) {
        print_text(&view, &in, opt, &values);
    }
    cli_pair_values_free(&values);
    cli_pair_input_free(&in);
    return status;
}

int
cli_cmd_compare(int argc, char **argv)
{
    cli_args args;
    singdiv_options opt;
    cli_family_request family;
    unsigned long long top = 10;
    int status = cli_parse_args(&compare_spec, argc, argv, &args);

    if (status != 0) {
        return status;
    }
    if (args.help) {
        cli_print_help(stdout, &compare_spec);
        return CLI_EXIT_OK;
    }
    status = cli_args_options(&compare_spec, &args, &opt);
    if (status == 0) {
        status = cli_arg_count(&compare_spec, &args, "top", 0, 1000000, &top);
    }
    if (status == 0) {
        status = cli_family_request_from_args(&compare_spec, &args, &family);
    }
    return status != 0 ? status : run(&args, &opt, top, &family);
}
