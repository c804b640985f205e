/*
 * Streaming JSON writer.
 */
#include <math.h>
#include <string.h>

#include "json.h"

void
cli_json_init(cli_json *j, FILE *out)
{
    memset(j, 0, sizeof *j);
    j->out = out;
}

/* Returns the length of the valid UTF-8 sequence at s (1 to 4), or 0 if it is invalid. */
static size_t
utf8_length(const unsigned char *s)
{
    size_t n = 0;

    if (s[0] < 0x80) {
        n = 1;
    } else if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        n = 2;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        n = 3;
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        n = 4;
    }

    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            return 0;
        }
    }
    /* Overlong three- and four-byte forms, surrogates and code points past U+10FFFF. */
    if ((n == 3 && s[0] == 0xe0 && s[1] < 0xa0) || (n == 3 && s[0] == 0xed && s[1] >= 0xa0)
        || (n == 4 && s[0] == 0xf0 && s[1] < 0x90) || (n == 4 && s[0] == 0xf4 && s[1] >= 0x90)) {
        return 0;
    }
    return n;
}

static void
write_string(FILE *out, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;

    fputc('"', out);
    while (*s != '\0') {
        size_t n = utf8_length(s);

        if (*s == '"' || *s == '\\') {
            fputc('\\', out);
            fputc(*s, out);
        } else if (*s == '\n') {
            fputs("\\n", out);
        } else if (*s == '\t') {
            fputs("\\t", out);
        } else if (*s < 0x20 || n == 0) {
            fprintf(out, "\\u%04x", (unsigned)*s);
        } else {
            fwrite(s, 1, n, out);
            s += n;
            continue;
        }
        s++;
    }
    fputc('"', out);
}

/* Writes the separator, indentation and key before a value. */
static void
begin_value(cli_json *j, const char *key)
{
    if (j->depth > 0) {
        fputs(j->has_members[j->depth - 1] ? ",\n" : "\n", j->out);
        j->has_members[j->depth - 1] = 1;
        for (int i = 0; i < j->depth; i++) {
            fputs("  ", j->out);
        }
    }
    if (key != NULL) {
        write_string(j->out, key);
        fputs(": ", j->out);
    }
}

static void
open_container(cli_json *j, const char *key, char bracket)
{
    begin_value(j, key);
    fputc(bracket, j->out);
    if (j->depth < CLI_JSON_MAX_DEPTH) {
        j->has_members[j->depth] = 0;
    }
    j->depth++;
}

static void
close_container(cli_json *j, char bracket)
{
    int had_members = j->depth <= CLI_JSON_MAX_DEPTH && j->has_members[j->depth - 1];

    j->depth--;
    if (had_members) {
        fputc('\n', j->out);
        for (int i = 0; i < j->depth; i++) {
            fputs("  ", j->out);
        }
    }
    fputc(bracket, j->out);
    if (j->depth == 0) {
        fputc('\n', j->out);
    }
}

void
cli_json_begin_object(cli_json *j, const char *key)
{
    open_container(j, key, '{');
}

void
cli_json_end_object(cli_json *j)
{
    close_container(j, '}');
}

void
cli_json_begin_array(cli_json *j, const char *key)
{
    open_container(j, key, '[');
}

void
cli_json_end_array(cli_json *j)
{
    close_container(j, ']');
}

void
cli_json_number(cli_json *j, const char *key, double x)
{
    begin_value(j, key);
    if (isnan(x)) {
        fputs("null", j->out);
    } else if (isinf(x)) {
        fputs(x > 0 ? "\"inf\"" : "\"-inf\"", j->out);
    } else {
        fprintf(j->out, "%.17g", x);
    }
}

void
cli_json_integer(cli_json *j, const char *key, unsigned long long x)
{
    begin_value(j, key);
    fprintf(j->out, "%llu", x);
}

void
cli_json_string(cli_json *j, const char *key, const char *s)
{
    begin_value(j, key);
    write_string(j->out, s);
}

void
cli_json_bool(cli_json *j, const char *key, int b)
{
    begin_value(j, key);
    fputs(b ? "true" : "false", j->out);
}

void
cli_json_null(cli_json *j, const char *key)
{
    begin_value(j, key);
    fputs("null", j->out);
}
