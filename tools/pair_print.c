/*
 * Printing the divergence report of two distributions as text or JSON.
 */
#include <math.h>
#include <string.h>

#include "pair_report.h"

/* Maximum length of an entry name in the text report; longer names are cut. */
#define CLI_NAME_WIDTH 40

static void
print_value(FILE *out, const char *name, const singdiv_report *r, double rate)
{
    if (isinf(r->value)) {
        fprintf(out, "  %-26s %-12.6g rate %.6g, finite part %.6g (over the entries Q covers)\n",
                name, r->value, rate, r->finite_part);
    } else {
        fprintf(out, "  %-26s %.6g\n", name, r->value);
    }
}

static void
print_set(FILE *out, const cli_pair_view *view, const char *title, const char *of,
          const cli_set_summary *set)
{
    char buf[48];

    if (set->count == 0) {
        fprintf(out, "\n%s: none\n", title);
        return;
    }
    fprintf(out, "\n%s: %zu %s, mass %.6g of %s\n", title, set->count,
            set->count == 1 ? view->noun_one : view->noun, set->mass, of);
    for (size_t k = 0; k < set->top_count; k++) {
        const char *name = cli_entry_name(view, set->top[k].index, buf, sizeof buf);
        size_t length = strlen(name);

        fprintf(out, "  %-*.*s%s %.6g\n", CLI_NAME_WIDTH, CLI_NAME_WIDTH,
                name, length > CLI_NAME_WIDTH ? "..." : "   ", set->top[k].mass);
    }
    if (set->top_count < set->count) {
        fprintf(out, "  ... and %zu more (--top sets how many are listed)\n",
                set->count - set->top_count);
    }
}

/* Prints "a log(1/eps) + b + c eps + O(eps^2)" with the signs folded in. */
static void
print_series(FILE *out, const char *name, const singdiv_expansion *e)
{
    fprintf(out, "  %-18s = %.6g log(1/eps) %c %.6g %c %.6g eps + O(eps^2)\n", name, e->slope,
            e->finite_part < 0.0 ? '-' : '+', fabs(e->finite_part),
            e->first_order < 0.0 ? '-' : '+', fabs(e->first_order));
}

static void
print_smoothing(FILE *out, const cli_pair_view *view, const cli_pair_values *v)
{
    fprintf(out, "\nSmoothing Q to Q_eps = (1 - eps) Q + eps U, U uniform on the %zu %s:\n",
            view->n, view->noun);
    print_series(out, "CE(P, Q_eps)", &v->expansion_ce);
    print_series(out, "KL(P || Q_eps)", &v->expansion_kl);
    if (v->expansion_ce.threshold >= 1.0) {
        fprintf(out, "  for every eps in (0, 1); 'singdiv smooth' tabulates the exact values\n");
    } else {
        fprintf(out, "  for eps below %.6g (the smallest q_i / u_i on the covered entries);\n"
                "  'singdiv smooth' tabulates the exact values\n", v->expansion_ce.threshold);
    }
}

void
cli_print_pair(FILE *out, const cli_pair_view *view, const singdiv_options *opt,
               const cli_pair_values *v)
{
    char title[160];

    (void)opt;
    print_value(out, "entropy H(P)", &v->entropy_p, 0.0);
    print_value(out, "entropy H(Q)", &v->entropy_q, 0.0);
    print_value(out, "cross-entropy CE(P, Q)", &v->cross_entropy, v->violating.mass);
    print_value(out, "KL(P || Q)", &v->kl_pq, v->violating.mass);
    print_value(out, "KL(Q || P)", &v->kl_qp, v->reverse.mass);
    print_value(out, "JS divergence", &v->js, 0.0);
    print_value(out, "JS distance", &v->js_distance, 0.0);
    if (v->has_w1) {
        fprintf(out, "  %-26s %.6g index steps\n", "W1 on the index line", v->w1_index);
    } else {
        fprintf(out, "  %-26s n/a (labels have no order)\n", "W1 on the index line");
    }

    snprintf(title, sizeof title, "Violating set V (in P, missing from Q; makes KL(P || Q) infinite)");
    print_set(out, view, title, "P", &v->violating);
    snprintf(title, sizeof title, "Reverse set F (in Q, missing from P; makes KL(Q || P) infinite)");
    print_set(out, view, title, "Q", &v->reverse);
    print_smoothing(out, view, v);
    if (v->family.request != NULL) {
        cli_print_family(out, &v->family);
    }
}

static void
write_divergence(cli_json *j, const char *key, const singdiv_report *r, double rate)
{
    cli_json_begin_object(j, key);
    cli_json_number(j, "value", r->value);
    cli_json_number(j, "finite_part", r->finite_part);
    cli_json_number(j, "rate", isinf(r->value) ? rate : 0.0);
    cli_json_end_object(j);
}

static void
write_set(cli_json *j, const char *key, const cli_pair_view *view, const cli_set_summary *set)
{
    char buf[48];

    cli_json_begin_object(j, key);
    cli_json_number(j, "mass", set->mass);
    cli_json_integer(j, "count", set->count);
    cli_json_begin_array(j, "top");
    for (size_t k = 0; k < set->top_count; k++) {
        cli_json_begin_object(j, NULL);
        cli_json_integer(j, "index", set->top[k].index);
        if (view->labels != NULL) {
            cli_json_string(j, "label", cli_entry_name(view, set->top[k].index, buf, sizeof buf));
        }
        cli_json_number(j, "mass", set->top[k].mass);
        cli_json_end_object(j);
    }
    cli_json_end_array(j);
    cli_json_end_object(j);
}

static void
write_smoothing(cli_json *j, const cli_pair_values *v)
{
    cli_json_begin_object(j, "smoothing");
    cli_json_string(j, "reference", "uniform");
    cli_json_number(j, "slope", v->expansion_ce.slope);
    cli_json_number(j, "finite_part_cross_entropy", v->expansion_ce.finite_part);
    cli_json_number(j, "finite_part_kl", v->expansion_kl.finite_part);
    cli_json_number(j, "first_order", v->expansion_ce.first_order);
    cli_json_number(j, "second_order", v->expansion_ce.second_order);
    cli_json_number(j, "threshold", v->expansion_ce.threshold);
    cli_json_end_object(j);
}

void
cli_write_pair_json(cli_json *j, const cli_pair_view *view, const singdiv_options *opt,
                    const cli_pair_values *v)
{
    (void)opt;
    cli_json_number(j, "entropy_p", v->entropy_p.value);
    cli_json_number(j, "entropy_q", v->entropy_q.value);
    write_divergence(j, "cross_entropy", &v->cross_entropy, v->violating.mass);
    write_divergence(j, "kl_pq", &v->kl_pq, v->violating.mass);
    write_divergence(j, "kl_qp", &v->kl_qp, v->reverse.mass);
    cli_json_number(j, "js", v->js.value);
    cli_json_number(j, "js_distance", v->js_distance.value);
    if (v->has_w1) {
        cli_json_number(j, "w1_index", v->w1_index);
    } else {
        cli_json_null(j, "w1_index");
    }
    write_set(j, "violating", view, &v->violating);
    write_set(j, "reverse", view, &v->reverse);
    write_smoothing(j, v);
    if (v->family.request != NULL) {
        cli_write_family_json(j, &v->family);
    }
}
