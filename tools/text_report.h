/*
 * The report of `singdiv text` and `singdiv demo`: the token
 * distributions of two texts A (the truth, P) and B (the model, Q),
 * aligned by token, compared like `singdiv compare` does.
 */
#ifndef SINGDIV_TOOLS_TEXT_REPORT_H
#define SINGDIV_TOOLS_TEXT_REPORT_H

#include <stddef.h>

#include <singdiv/singdiv.h>

#include "args.h"
#include "family_report.h"
#include "source.h"
#include "tokenize.h"

typedef struct cli_text_request {
    const char *command; /* "text" or "demo", the "command" member of the JSON */
    cli_source *a;       /* open sources; closed by cli_text_report() */
    cli_source *b;
    cli_tokenizer tokenizer;
    singdiv_options opt; /* normalize is forced on: token counts are counts */
    size_t top;
    cli_family_request family;
    int json;
} cli_text_request;

/* Counts the tokens of both texts and prints the report. Returns the exit status. */
int
cli_text_report(cli_text_request *req);

/*
 * Fills req from the options that text and demo share (--json, --base,
 * --unit, --keep-case, --top, --renyi-alpha, --skew); the sources are
 * left NULL.
 * Defined in cmd_text.c. Returns 0 or CLI_EXIT_USAGE after a message.
 */
int
cli_text_request_from_args(const cli_command_spec *spec, const cli_args *args,
                           cli_text_request *req);

#endif /* SINGDIV_TOOLS_TEXT_REPORT_H */
