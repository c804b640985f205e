/*
 * A buffered byte stream with line and column tracking.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "source.h"

/* Bytes read from the file per fread() call. */
#define CLI_SOURCE_BLOCK 65536

int
cli_source_open(cli_source *s, const char *path)
{
    memset(s, 0, sizeof *s);
    s->name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    s->line = 1;
    s->at_line_start = 1;
    s->buf = malloc(CLI_SOURCE_BLOCK);
    s->owns_buf = 1;
    if (s->buf == NULL) {
        return cli_out_of_memory();
    }
    s->fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (s->fp == NULL) {
        cli_error("%s: cannot open: %s", path, strerror(errno));
        free(s->buf);
        s->buf = NULL;
        return CLI_EXIT_USAGE;
    }
    return 0;
}

void
cli_source_open_memory(cli_source *s, const char *name, const char *data, size_t len)
{
    memset(s, 0, sizeof *s);
    s->name = name;
    s->line = 1;
    s->at_line_start = 1;
    /* The bytes are only read; buf is not const because files fill it. */
    s->buf = (unsigned char *)(uintptr_t)data;
    s->len = len;
}

static int
fill(cli_source *s)
{
    if (s->failed || s->fp == NULL) {
        return 0;
    }
    s->pos = 0;
    s->len = fread(s->buf, 1, CLI_SOURCE_BLOCK, s->fp);
    if (s->len == 0 && ferror(s->fp)) {
        s->failed = errno != 0 ? errno : EIO;
    }
    return s->len > 0;
}

int
cli_source_peek(cli_source *s)
{
    if (s->pos == s->len && !fill(s)) {
        return EOF;
    }
    return s->buf[s->pos];
}

int
cli_source_get(cli_source *s)
{
    int c = cli_source_peek(s);

    if (c == EOF) {
        return EOF;
    }
    s->pos++;

    /* The position of c: a byte after a newline starts the next line. */
    if (s->at_line_start) {
        if (s->column != 0) {
            s->line++;
        }
        s->column = 1;
        s->at_line_start = 0;
    } else {
        s->column++;
    }
    if (c == '\n') {
        s->at_line_start = 1;
    }
    return c;
}

int
cli_source_close(cli_source *s)
{
    int status = 0;

    if (s->failed) {
        cli_error("%s: read failed: %s", s->name, strerror(s->failed));
        status = CLI_EXIT_USAGE;
    }
    if (s->fp != NULL && s->fp != stdin) {
        fclose(s->fp);
    }
    s->fp = NULL;
    if (s->owns_buf) {
        free(s->buf);
    }
    s->buf = NULL;
    return status;
}
