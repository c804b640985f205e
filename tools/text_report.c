/*
 * Comparing the token distributions of two texts.
 */
#include <stdio.h>

#include "buffer.h"
#include "diag.h"
#include "json.h"
#include "labels.h"
#include "pair_report.h"
#include "text_report.h"

typedef struct text_counts {
    cli_labels labels;
    cli_doubles a;
    cli_doubles b;
    unsigned long long a_tokens;
    unsigned long long b_tokens;
} text_counts;

static const char *
singular_noun(cli_unit unit)
{
    switch (unit) {
    case CLI_UNIT_CHAR:
        return "character";
    case CLI_UNIT_BYTE:
        return "byte";
    default:
        return "word";
    }
}

static const char *
plural_noun(cli_unit unit)
{
    switch (unit) {
    case CLI_UNIT_CHAR:
        return "characters";
    case CLI_UNIT_BYTE:
        return "bytes";
    default:
        return "words";
    }
}

static int
count_both(cli_text_request *req, text_counts *c)
{
    int status = cli_count_tokens(req->a, &req->tokenizer, &c->labels, &c->a, &c->a_tokens);
    int closed = cli_source_close(req->a);

    if (status == 0) {
        status = closed;
    }
    if (status == 0) {
        status = cli_count_tokens(req->b, &req->tokenizer, &c->labels, &c->b, &c->b_tokens);
    }
    closed = cli_source_close(req->b);
    if (status == 0) {
        status = closed;
    }
    if (status == 0 && (c->a_tokens == 0 || c->b_tokens == 0)) {
        cli_error("%s: no %s to count",
                  c->a_tokens == 0 ? req->a->name : req->b->name, plural_noun(req->tokenizer.unit));
        status = CLI_EXIT_USAGE;
    }
    if (status == 0 && (cli_doubles_resize(&c->a, c->labels.count) != 0
                        || cli_doubles_resize(&c->b, c->labels.count) != 0)) {
        status = cli_out_of_memory();
    }
    return status;
}

static void
print_side_json(cli_json *j, const char *key, const char *name, unsigned long long tokens,
                const double *counts, size_t n)
{
    size_t distinct = 0;

    for (size_t i = 0; i < n; i++) {
        distinct += counts[i] > 0.0;
    }
    cli_json_begin_object(j, key);
    cli_json_string(j, "file", name);
    cli_json_integer(j, "tokens", tokens);
    cli_json_integer(j, "distinct", distinct);
    cli_json_end_object(j);
}

static void
print_json(const cli_text_request *req, const text_counts *c, const cli_pair_view *view,
           const cli_pair_values *values)
{
    cli_json j;

    cli_json_init(&j, stdout);
    cli_json_begin_object(&j, NULL);
    cli_json_string(&j, "command", req->command);
    cli_json_string(&j, "version", singdiv_version_string());
    cli_json_string(&j, "unit", cli_unit_of(&req->opt));
    cli_json_number(&j, "base", req->opt.base == 0.0 ? 2.718281828459045 : req->opt.base);
    cli_json_string(&j, "token", cli_unit_name(req->tokenizer.unit));
    cli_json_bool(&j, "keep_case", req->tokenizer.keep_case);
    cli_json_integer(&j, "n", view->n);
    print_side_json(&j, "p", view->p_name, c->a_tokens, view->p, view->n);
    print_side_json(&j, "q", view->q_name, c->b_tokens, view->q, view->n);
    cli_write_pair_json(&j, view, &req->opt, values);
    cli_json_end_object(&j);
}

static void
print_text(const cli_text_request *req, const text_counts *c, const cli_pair_view *view,
           const cli_pair_values *values)
{
    const char *noun = plural_noun(req->tokenizer.unit);

    printf("P = %s as %s (%llu in all), Q = %s (%llu); %zu distinct %s, values in %s\n\n",
           view->p_name, noun, c->a_tokens, view->q_name, c->b_tokens, view->n, noun,
           cli_unit_of(&req->opt));
    cli_print_pair(stdout, view, &req->opt, values);
    if (values->violating.count > 0) {
        printf("\nQ gives probability 0 to %zu %s that carry %.4g%% of the mass of P, so\n"
               "CE(P, Q) and KL(P || Q) are infinite; mixing Q with a fraction eps of the\n"
               "uniform distribution makes them finite but growing like %.4g log(1/eps).\n",
               values->violating.count, noun, 100.0 * values->violating.mass,
               values->violating.mass);
    }
}

int
cli_text_report(cli_text_request *req)
{
    text_counts c = {0};
    cli_pair_values values = {0};
    cli_pair_view view;
    int status;

    req->opt.normalize = 1;
    status = count_both(req, &c);
    if (status == 0) {
        view.p_name = req->a->name;
        view.q_name = req->b->name;
        view.p = c.a.data;
        view.q = c.b.data;
        view.n = c.labels.count;
        view.labels = &c.labels;
        view.noun = plural_noun(req->tokenizer.unit);
        view.noun_one = singular_noun(req->tokenizer.unit);
        status = cli_compute_pair(&view, &req->opt, req->top, &req->family, &values);
    }
    if (status == 0 && req->json) {
        print_json(req, &c, &view, &values);
    } else if (status == 0) {
        print_text(req, &c, &view, &values);
    }
    cli_pair_values_free(&values);
    cli_labels_free(&c.labels);
    cli_doubles_free(&c.a);
    cli_doubles_free(&c.b);
    return status;
}
