/*
 * A streaming JSON writer for the --json output: one object, two-space
 * indentation, members in the order written.
 *
 * Numbers are written with 17 significant digits, so they read back as
 * the same double. JSON has no infinity, so +inf is written as the string
 * "inf" (and -inf as "-inf"); NaN is written as null. Strings are escaped;
 * a byte that is not part of valid UTF-8 is written as \u00XX with its
 * value, so the output stays valid JSON whatever the labels hold.
 */
#ifndef SINGDIV_TOOLS_JSON_H
#define SINGDIV_TOOLS_JSON_H

#include <stddef.h>
#include <stdio.h>

/* Maximum nesting depth of objects and arrays. */
#define CLI_JSON_MAX_DEPTH 16

typedef struct cli_json {
    FILE *out;
    int depth;
    int has_members[CLI_JSON_MAX_DEPTH];
} cli_json;

void
cli_json_init(cli_json *j, FILE *out);

/*
 * Each function below writes one value. key names the member inside an
 * object and must be NULL inside an array or at the top level.
 */
void
cli_json_begin_object(cli_json *j, const char *key);

void
cli_json_end_object(cli_json *j);

void
cli_json_begin_array(cli_json *j, const char *key);

void
cli_json_end_array(cli_json *j);

void
cli_json_number(cli_json *j, const char *key, double x);

void
cli_json_integer(cli_json *j, const char *key, unsigned long long x);

void
cli_json_string(cli_json *j, const char *key, const char *s);

void
cli_json_bool(cli_json *j, const char *key, int b);

void
cli_json_null(cli_json *j, const char *key);

#endif /* SINGDIV_TOOLS_JSON_H */
