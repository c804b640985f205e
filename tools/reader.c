/*
 * The streaming field reader.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "reader.h"

int
cli_reader_open(cli_reader *r, const char *path)
{
    memset(r, 0, sizeof *r);
    return cli_source_open(&r->src, path);
}

int
cli_reader_close(cli_reader *r)
{
    cli_chars_free(&r->field);
    return cli_source_close(&r->src);
}

const char *
cli_reader_name(const cli_reader *r)
{
    return r->src.name;
}

static int
is_separator(int c)
{
    return c == ' ' || c == '\t' || c == ',' || c == '\r' || c == '\v' || c == '\f';
}

/* Control bytes that do not occur in text files. */
static int
is_binary(int c)
{
    return (c < 0x20 && c != '\n' && !is_separator(c)) || c == 0x7f;
}

static cli_read_result
binary_error(cli_reader *r, int c)
{
    cli_error_at(r->src.name, r->src.line, r->src.column,
                 "control byte 0x%02x: this is not a text file of numbers", (unsigned)c);
    r->status = CLI_EXIT_USAGE;
    return CLI_READ_ERROR;
}

/* Skips a comment up to, not including, the newline. */
static cli_read_result
skip_comment(cli_reader *r)
{
    int c;

    while ((c = cli_source_peek(&r->src)) != EOF && c != '\n') {
        cli_source_get(&r->src);
        if (is_binary(c)) {
            return binary_error(r, c);
        }
    }
    return CLI_READ_FIELD;
}

/* Reads the rest of a field whose first byte c has just been read. */
static cli_read_result
read_field(cli_reader *r, int c)
{
    r->line = r->src.line;
    r->column = r->src.column;
    cli_chars_clear(&r->field);
    for (;;) {
        if (cli_chars_push(&r->field, (char)c) != 0) {
            r->status = cli_out_of_memory();
            return CLI_READ_ERROR;
        }
        c = cli_source_peek(&r->src);
        if (c == EOF || c == '\n' || c == '#' || is_separator(c)) {
            break;
        }
        cli_source_get(&r->src);
        if (is_binary(c)) {
            return binary_error(r, c);
        }
    }
    r->line_has_fields = 1;
    return CLI_READ_FIELD;
}

cli_read_result
cli_reader_next(cli_reader *r)
{
    for (;;) {
        int c = cli_source_get(&r->src);

        if (c == EOF || c == '\n') {
            if (r->line_has_fields) {
                r->line_has_fields = 0;
                return CLI_READ_END_OF_LINE;
            }
            if (c == EOF) {
                return CLI_READ_END;
            }
        } else if (c == '#') {
            if (skip_comment(r) == CLI_READ_ERROR) {
                return CLI_READ_ERROR;
            }
        } else if (is_binary(c)) {
            return binary_error(r, c);
        } else if (!is_separator(c)) {
            return read_field(r, c);
        }
    }
}

int
cli_field_is_number(const cli_reader *r)
{
    char *end;

    if (r->field.len == 0) {
        return 0;
    }
    (void)strtod(r->field.data, &end);
    return end == r->field.data + r->field.len;
}

int
cli_field_number(const cli_reader *r, int allow_negative, double *out)
{
    const char *text = r->field.data;
    const char *why = NULL;
    char *end;
    double x;

    errno = 0;
    x = strtod(text, &end);
    if (end != text + r->field.len || r->field.len == 0) {
        why = "is not a number";
    } else if (isnan(x)) {
        why = "is NaN; values must be finite numbers";
    } else if (isinf(x) && errno != ERANGE) {
        why = "is infinite; values must be finite numbers";
    } else if (isinf(x)) {
        why = "is out of the range of a double";
    } else if (x == 0.0 && errno == ERANGE) {
        why = "underflows to 0 in double precision";
    } else if (x < 0.0 && !allow_negative) {
        why = "is negative; probabilities and counts must be >= 0";
    }
    if (why != NULL) {
        cli_error_at(r->src.name, r->line, r->column, "'%.40s%s' %s", text,
                     r->field.len > 40 ? "..." : "", why);
        return CLI_EXIT_USAGE;
    }
    *out = x;
    return 0;
}
