/*
 * A buffered byte stream over a file or stdin that tracks the line and
 * column of each byte it returns, for error messages.
 */
#ifndef SINGDIV_TOOLS_SOURCE_H
#define SINGDIV_TOOLS_SOURCE_H

#include <stddef.h>
#include <stdio.h>

/*
 * line and column are those of the byte last returned by cli_source_get(),
 * both counted from 1; the column counts bytes, so a tab or a multi-byte
 * UTF-8 character advances it by its length in bytes.
 */
typedef struct cli_source {
    FILE *fp;
    const char *name;
    unsigned char *buf;
    size_t len;
    size_t pos;
    unsigned long long line;
    unsigned long long column;
    int at_line_start;
    int failed;
    int owns_buf;
} cli_source;

/*
 * Opens path for reading, "-" meaning stdin. On failure prints a message
 * naming the file and returns CLI_EXIT_USAGE (or CLI_EXIT_FAILURE when out
 * of memory); returns 0 on success.
 */
int
cli_source_open(cli_source *s, const char *path);

/* Reads from the len bytes at data, which must outlive the source; name is used in messages. */
void
cli_source_open_memory(cli_source *s, const char *name, const char *data, size_t len);

/*
 * Returns the next byte as an unsigned char, or EOF at the end of the
 * file or on a read error (then s->failed is set).
 */
int
cli_source_get(cli_source *s);

/* Returns the next byte without consuming it, or EOF. */
int
cli_source_peek(cli_source *s);

/*
 * Closes the file. Returns 0, or CLI_EXIT_USAGE after printing a message
 * when a read failed (for example when path names a directory).
 */
int
cli_source_close(cli_source *s);

#endif /* SINGDIV_TOOLS_SOURCE_H */
