/*
 * singdiv demo: `singdiv text` on two texts every Debian system has, or on
 * a small embedded pair where they are missing.
 */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "diag.h"
#include "text_report.h"

#define DEMO_TEXT_A "/usr/share/common-licenses/GPL-2"
#define DEMO_TEXT_B "/usr/share/common-licenses/GPL-3"

/* The embedded pair: B retells A but leaves out some of its words. */
static const char embedded_a[] =
    "The river rises in the hills, runs past the mill and under the old stone\n"
    "bridge, and reaches the sea after three days. In spring the snow melts and\n"
    "the river floods the fields; in summer the children swim near the bridge.\n";

static const char embedded_b[] =
    "The river rises in the hills and runs past the mill to the sea. In spring\n"
    "the river floods the fields, and in summer the river runs low near the mill.\n";

static const cli_option demo_options[] = {
    {"json", NULL, "print one JSON object instead of text"},
    {"base", "B", "logarithm base of the results: e (default, nats) or a number, 2 for bits"},
    {"unit", "U", "token unit: word (default), char (UTF-8 characters) or byte"},
    {"keep-case", NULL, "keep upper-case ASCII letters apart from lower-case ones in words"},
    {"top", "K", "list the K heaviest tokens of each set (default 10)"},
    {"renyi-alpha", "A", "Renyi orders alpha > 0 of the family section, inf allowed; "
                         "repeatable or a comma list (default 0.5,2)"},
    {"skew", "PI", "weight pi of the skewed JS divergence, 0 < pi < 1 (default 0.5)"},
    {"embedded", NULL, "use the embedded text pair even when the licence texts are installed"},
};

static const cli_command_spec demo_spec = {
    "demo", "[OPTIONS]",
    "Runs 'singdiv text' on " DEMO_TEXT_A " (P) and\n" DEMO_TEXT_B " (Q) when both\n"
    "exist, else on a small embedded pair of texts. GPL-3 does not contain\n"
    "every word of GPL-2, so CE and KL(P || Q) are infinite: the report says\n"
    "which words are missing, the share of P they carry (the rate at which a\n"
    "smoothed KL grows with log(1/eps)), and the finite Jensen-Shannon value.",
    demo_options, sizeof demo_options / sizeof demo_options[0], 0, 0,
};

/* Opens both licence texts; returns 0, or -1 (with nothing left open) when one is missing. */
static int
open_licences(cli_source *a, cli_source *b)
{
    FILE *fa = fopen(DEMO_TEXT_A, "rb");
    FILE *fb = fopen(DEMO_TEXT_B, "rb");
    int found = fa != NULL && fb != NULL;

    if (fa != NULL) {
        fclose(fa);
    }
    if (fb != NULL) {
        fclose(fb);
    }
    if (!found || cli_source_open(a, DEMO_TEXT_A) != 0) {
        return -1;
    }
    if (cli_source_open(b, DEMO_TEXT_B) != 0) {
        cli_source_close(a);
        return -1;
    }
    return 0;
}

int
cli_cmd_demo(int argc, char **argv)
{
    cli_args args;
    cli_text_request req;
    cli_source a;
    cli_source b;
    int status = cli_parse_args(&demo_spec, argc, argv, &args);

    if (status != 0) {
        return status;
    }
    if (args.help) {
        cli_print_help(stdout, &demo_spec);
        return CLI_EXIT_OK;
    }
    status = cli_text_request_from_args(&demo_spec, &args, &req);
    if (status != 0) {
        return status;
    }
    if (cli_flag(&demo_spec, &args, "embedded") || open_licences(&a, &b) != 0) {
        cli_source_open_memory(&a, "embedded text A", embedded_a, sizeof embedded_a - 1);
        cli_source_open_memory(&b, "embedded text B", embedded_b, sizeof embedded_b - 1);
    }
    if (!req.json) {
        printf("singdiv demo: how far is %s from %s?\n"
               "(the same as: singdiv text %s %s)\n\n", a.name, b.name,
               a.fp != NULL ? a.name : "A", b.fp != NULL ? b.name : "B");
    }
    req.a = &a;
    req.b = &b;
    return cli_text_report(&req);
}
