/*
 * The family section of the divergence report: the divergences of
 * singdiv/family.h with, for each, the singularity map of
 * singdiv/singularity.h (which set makes it infinite, and how it grows when
 * Q is smoothed towards the uniform distribution). The options are parsed
 * in family_options.c, the values computed and printed in family_report.c.
 */
#ifndef SINGDIV_TOOLS_FAMILY_REPORT_H
#define SINGDIV_TOOLS_FAMILY_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include <singdiv/singdiv.h>

#include "args.h"
#include "json.h"

/* Maximum number of Rényi orders that --renyi-alpha may request. */
#define CLI_MAX_RENYI_ORDERS 32

/* Number of family divergences without a parameter, from Rényi max to the Bhattacharyya angle. */
#define CLI_FAMILY_FIXED_COUNT 10

/* The parameters of the family section. */
typedef struct cli_family_request {
    double renyi_orders[CLI_MAX_RENYI_ORDERS]; /* alpha > 0, +inf allowed, in command-line order */
    size_t renyi_count;
    double skew_pi; /* the weight pi of the skewed JS divergence, 0 < pi < 1 */
} cli_family_request;

/* One divergence of the family at (P, Q). */
typedef struct cli_family_value {
    const char *key;   /* its JSON key; NULL for Rényi and skewed JS, which have a parameter */
    const char *label; /* its name in the text report, NULL when key is NULL */
    singdiv_report report;
    singdiv_singularity singularity; /* with Q smoothed (SINGDIV_SMOOTH_Q) */
} cli_family_value;

typedef struct cli_family_values {
    const cli_family_request *request; /* NULL when the section was left out */
    cli_family_value renyi[CLI_MAX_RENYI_ORDERS]; /* one per request->renyi_orders */
    cli_family_value fixed[CLI_FAMILY_FIXED_COUNT]; /* Rényi max to Bhattacharyya angle */
    cli_family_value skew_js;
} cli_family_values;

/*
 * Fills req from --renyi-alpha (default 0.5 and 2) and --skew (default
 * 0.5) of spec. Returns 0, or CLI_EXIT_USAGE after printing a message.
 */
int
cli_family_request_from_args(const cli_command_spec *spec, const cli_args *args,
                             cli_family_request *req);

/*
 * Computes every divergence of req at the validated distributions p and q,
 * and its singularity map. Returns 0, or an exit status after a message.
 */
int
cli_compute_family(const double *p, const double *q, size_t n, const singdiv_options *opt,
                   const cli_family_request *req, cli_family_values *out);

/* Prints the family section of the text report. */
void
cli_print_family(FILE *out, const cli_family_values *values);

/* Writes the "family" member into the JSON object that j has open. */
void
cli_write_family_json(cli_json *j, const cli_family_values *values);

#endif /* SINGDIV_TOOLS_FAMILY_REPORT_H */
