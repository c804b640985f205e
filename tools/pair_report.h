/*
 * The divergence report of two aligned distributions P (the truth) and Q
 * (the model), shared by `compare`, `text` and `demo`: what is computed
 * (pair_report.c) and how it is printed as text or JSON (pair_print.c).
 */
#ifndef SINGDIV_TOOLS_PAIR_REPORT_H
#define SINGDIV_TOOLS_PAIR_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include <singdiv/singdiv.h>

#include "family_report.h"
#include "json.h"
#include "labels.h"

/* Two aligned distributions and how to name them and their entries. */
typedef struct cli_pair_view {
    const char *p_name;
    const char *q_name;
    const double *p;
    const double *q;
    size_t n;
    const cli_labels *labels; /* entry i is label i; NULL: entries are named by index */
    const char *noun;         /* plural name of an entry: "entries", "words", ... */
    const char *noun_one;     /* its singular: "entry", "word", ... */
} cli_pair_view;

/* One entry of the violating or reverse set and its mass in P or Q. */
typedef struct cli_entry {
    size_t index;
    double mass;
} cli_entry;

/* A violating or reverse set: its total mass and size, and its heaviest entries. */
typedef struct cli_set_summary {
    double mass;
    size_t count;
    cli_entry *top; /* by decreasing mass, ties by increasing index */
    size_t top_count;
} cli_set_summary;

typedef struct cli_pair_values {
    singdiv_report entropy_p;
    singdiv_report entropy_q;
    singdiv_report cross_entropy;
    singdiv_report kl_pq;
    singdiv_report kl_qp;
    singdiv_report js;
    singdiv_report js_distance;
    double p_sum;
    double q_sum;
    int has_w1;      /* W1 needs ordered entries, so it is left out for labels */
    double w1_index; /* W1 with entry i at position i, in units of one index step */
    singdiv_expansion expansion_ce; /* of CE(P, Q_eps), Q_eps = (1 - eps) Q + eps U */
    singdiv_expansion expansion_kl; /* of KL(P || Q_eps) */
    cli_set_summary violating; /* V = {i : p_i > 0, q_i = 0}, masses of P */
    cli_set_summary reverse;   /* F = {i : q_i > 0, p_i = 0}, masses of Q */
    cli_family_values family;
} cli_pair_values;

/*
 * Validates both distributions (messages name the files) and computes
 * every value of the report, listing at most top entries of each set, and
 * the family section that family requests (it must outlive out; NULL
 * leaves the section out of the values and of the printed report).
 * Returns 0, or an exit status after printing a message. Free out with
 * cli_pair_values_free() either way.
 */
int
cli_compute_pair(const cli_pair_view *view, const singdiv_options *opt, size_t top,
                 const cli_family_request *family, cli_pair_values *out);

void
cli_pair_values_free(cli_pair_values *values);

/* Returns the name of entry i: its label, or "index I" (in buf) without labels. */
const char *
cli_entry_name(const cli_pair_view *view, size_t i, char *buf, size_t size);

/* Prints the report as aligned text. */
void
cli_print_pair(FILE *out, const cli_pair_view *view, const singdiv_options *opt,
               const cli_pair_values *values);

/* Writes the report's members into the JSON object that j has open. */
void
cli_write_pair_json(cli_json *j, const cli_pair_view *view, const singdiv_options *opt,
                    const cli_pair_values *values);

#endif /* SINGDIV_TOOLS_PAIR_REPORT_H */
