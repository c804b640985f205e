/*
 * Reading a sample file for `singdiv samples`: one sample per line, its d
 * coordinates separated by spaces, tabs or commas, the same d on every
 * line. Lexical rules (comments, CRLF, no line limit) are those of reader.h.
 */
#ifndef SINGDIV_TOOLS_SAMPLE_INPUT_H
#define SINGDIV_TOOLS_SAMPLE_INPUT_H

#include <stddef.h>

#include "buffer.h"

/* A sample of rows points in R^cols, row-major in values. Zero-initialise before use. */
typedef struct cli_samples {
    cli_doubles values;
    size_t rows;
    size_t cols;
} cli_samples;

/*
 * Reads path ("-" for stdin) into out. Coordinates must be finite. Returns
 * 0, or an exit status after printing a message naming the file, line and
 * column (an empty file, or a line whose number of coordinates differs
 * from the first line's, is an error).
 */
int
cli_read_samples(const char *path, cli_samples *out);

void
cli_samples_free(cli_samples *s);

#endif /* SINGDIV_TOOLS_SAMPLE_INPUT_H */
