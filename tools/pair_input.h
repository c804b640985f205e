/*
 * Reading two distributions P and Q from files and aligning them.
 *
 * A file contains either plain numbers (any number per line, aligned with
 * the other file by position) or "label value" lines (aligned by label,
 * a label missing from one file counting as 0 there). The layout is taken
 * from the first field of the file unless forced: a number there means
 * plain numbers, anything else means labels.
 */
#ifndef SINGDIV_TOOLS_PAIR_INPUT_H
#define SINGDIV_TOOLS_PAIR_INPUT_H

#include "buffer.h"
#include "labels.h"

typedef enum cli_layout {
    CLI_LAYOUT_AUTO = 0,
    CLI_LAYOUT_NUMBERS,
    CLI_LAYOUT_LABELS
} cli_layout;

/*
 * p and q have the same length; with labels, entry i of each belongs to
 * label i of labels. Zero-initialise before cli_read_pair().
 */
typedef struct cli_pair_input {
    cli_doubles p;
    cli_doubles q;
    cli_labels labels;
    int labelled;
} cli_pair_input;

/*
 * Reads p_path into in->p and q_path into in->q. Values must be finite and
 * >= 0; a label may appear once per file. Returns 0, or an exit status
 * after printing a message naming the file (and the line and column when
 * one place is at fault). The caller frees with cli_pair_input_free()
 * either way.
 */
int
cli_read_pair(const char *p_path, const char *q_path, cli_layout layout,
              cli_pair_input *in);

void
cli_pair_input_free(cli_pair_input *in);

#endif /* SINGDIV_TOOLS_PAIR_INPUT_H */
