/*
 * singdiv text A B: the token distributions of two text files.
 */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "diag.h"
#include "text_report.h"

static const cli_option text_options[] = {
    {"json", NULL, "print one JSON object instead of text"},
    {"base", "B", "logarithm base of the results: e (default, nats) or a number, 2 for bits"},
    {"unit", "U", "token unit: word (default), char (UTF-8 characters) or byte"},
    {"keep-case", NULL, "keep upper-case ASCII letters apart from lower-case ones in words"},
    {"top", "K", "list the K heaviest tokens of each set (default 10)"},
    {"renyi-alpha", "A", "Renyi orders alpha > 0 of the family section, inf allowed; "
                         "repeatable or a comma list (default 0.5,2)"},
    {"skew", "PI", "weight pi of the skewed JS divergence, 0 < pi < 1 (default 0.5)"},
};

static const cli_command_spec text_spec = {
    "text", "[OPTIONS] A B",
    "Compares the token distribution of text A (P, the truth) with that of\n"
    "text B (Q, the model), aligned by token, and lists the tokens of A that\n"
    "B never contains: they make CE(P, Q) and KL(P || Q) infinite.\n"
    "\n"
    "A word is a run of letters, digits and non-ASCII characters (an\n"
    "apostrophe between two of them is kept), lower-cased unless --keep-case.\n"
    "Files must be UTF-8 text for word and char; --unit byte reads any file.",
    text_options, sizeof text_options / sizeof text_options[0], 2, 2,
};

static int
parse_unit(const cli_command_spec *spec, const cli_args *args, cli_tokenizer *tok)
{
    const char *unit = cli_arg(spec, args, "unit");

    tok->unit = CLI_UNIT_WORD;
    tok->keep_case = cli_flag(spec, args, "keep-case");
    if (unit == NULL || strcmp(unit, "word") == 0) {
        return 0;
    }
    if (strcmp(unit, "char") == 0) {
        tok->unit = CLI_UNIT_CHAR;
    } else if (strcmp(unit, "byte") == 0) {
        tok->unit = CLI_UNIT_BYTE;
    } else {
        cli_error("%s: invalid value '%s' for --unit: expected word, char or byte", spec->name,
                  unit);
        fprintf(stderr, "Try 'singdiv %s --help' for more information.\n", spec->name);
        return CLI_EXIT_USAGE;
    }
    return 0;
}

int
cli_text_request_from_args(const cli_command_spec *spec, const cli_args *args,
                           cli_text_request *req)
{
    unsigned long long top = 10;
    int status;

    memset(req, 0, sizeof *req);
    req->command = spec->name;
    req->json = cli_flag(spec, args, "json");
    status = cli_args_options(spec, args, &req->opt);
    if (status == 0) {
        status = cli_arg_count(spec, args, "top", 0, 1000000, &top);
    }
    if (status == 0) {
        status = parse_unit(spec, args, &req->tokenizer);
    }
    if (status == 0) {
        status = cli_family_request_from_args(spec, args, &req->family);
    }
    req->top = (size_t)top;
    return status;
}

int
cli_cmd_text(int argc, char **argv)
{
    cli_args args;
    cli_text_request req;
    cli_source a;
    cli_source b;
    int status = cli_parse_args(&text_spec, argc, argv, &args);

    if (status != 0) {
        return status;
    }
    if (args.help) {
        cli_print_help(stdout, &text_spec);
        return CLI_EXIT_OK;
    }
    status = cli_text_request_from_args(&text_spec, &args, &req);
    if (status != 0) {
        return status;
    }
    status = cli_source_open(&a, args.files[0]);
    if (status != 0) {
        return status;
    }
    status = cli_source_open(&b, args.files[1]);
    if (status != 0) {
        cli_source_close(&a);
        return status;
    }
    req.a = &a;
    req.b = &b;
    return cli_text_report(&req);
}
