/*
 * Splitting text into tokens and counting them, for `singdiv text`.
 *
 * Units:
 * - word: a maximal run of ASCII letters and digits and non-ASCII
 *   characters, with an apostrophe kept when it sits between two such
 *   characters ("don't"); ASCII letters are lower-cased unless keep_case.
 * - char: each UTF-8 character; CR LF counts as one '\n'. Space and control
 *   characters are labelled by code point ("U+000A").
 * - byte: each byte; printable ASCII is labelled by itself, other bytes as
 *   "0x0a".
 * word and char reject invalid UTF-8 and control bytes other than tab, CR,
 * LF, VT and FF (a NUL, for example), naming the line and column; byte
 * accepts any file.
 */
#ifndef SINGDIV_TOOLS_TOKENIZE_H
#define SINGDIV_TOOLS_TOKENIZE_H

#include "buffer.h"
#include "labels.h"
#include "source.h"

typedef enum cli_unit {
    CLI_UNIT_WORD = 0,
    CLI_UNIT_CHAR,
    CLI_UNIT_BYTE
} cli_unit;

typedef struct cli_tokenizer {
    cli_unit unit;
    int keep_case;
} cli_tokenizer;

/* Returns "word", "char" or "byte". */
const char *
cli_unit_name(cli_unit unit);

/*
 * Reads src to its end and adds 1 to counts->data[id] for each token, id
 * being the token's label in labels (counts grows with labels, new entries
 * starting at 0). Adds the number of tokens to *total. Returns 0, or an
 * exit status after printing a message.
 */
int
cli_count_tokens(cli_source *src, const cli_tokenizer *tok, cli_labels *labels,
                 cli_doubles *counts, unsigned long long *total);

#endif /* SINGDIV_TOOLS_TOKENIZE_H */
