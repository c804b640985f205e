/*
 * The streaming field reader of the singdiv command. A file is read once,
 * a block at a time, and split into fields: fields are separated by
 * spaces, tabs, commas or carriage returns, lines end with '\n' (so CRLF
 * and a missing final newline both work), and '#' starts a comment that
 * runs to the end of the line. A control byte other than tab, CR, LF, VT
 * and FF (a NUL, for example) marks a binary file and is an error. There
 * is no limit on the length of a line or a field.
 */
#ifndef SINGDIV_TOOLS_READER_H
#define SINGDIV_TOOLS_READER_H

#include "buffer.h"
#include "source.h"

/* What cli_reader_next() found. */
typedef enum cli_read_result {
    CLI_READ_ERROR = -1,      /* a message was printed; r->status says how to exit */
    CLI_READ_FIELD = 0,       /* a field, in r->field */
    CLI_READ_END_OF_LINE = 1, /* the end of a line that held at least one field */
    CLI_READ_END = 2          /* the end of the file */
} cli_read_result;

typedef struct cli_reader {
    cli_source src;
    cli_chars field;             /* the text of the last field, NUL-terminated */
    unsigned long long line;     /* position of the first byte of the last field */
    unsigned long long column;
    int line_has_fields;
    int status;                  /* exit status after CLI_READ_ERROR */
} cli_reader;

/* Opens path ("-" for stdin). Returns 0, or an exit status after printing a message. */
int
cli_reader_open(cli_reader *r, const char *path);

/* Reads the next field or line end; empty and comment-only lines are skipped. */
cli_read_result
cli_reader_next(cli_reader *r);

/* Closes the file. Returns 0, or an exit status after printing a message. */
int
cli_reader_close(cli_reader *r);

/* Returns the name of the file for messages. */
const char *
cli_reader_name(const cli_reader *r);

/*
 * Returns 1 if the last field has the syntax of a number (strtod() reads
 * all of it), else 0.
 */
int
cli_field_is_number(const cli_reader *r);

/*
 * Parses the last field as a finite double, also rejecting a negative
 * value unless allow_negative. Rejected: text that is not a number, NaN,
 * infinities, values that overflow and nonzero values that underflow to
 * zero. Returns 0, or CLI_EXIT_USAGE after printing a message naming the
 * file, line and column.
 */
int
cli_field_number(const cli_reader *r, int allow_negative, double *out);

#endif /* SINGDIV_TOOLS_READER_H */
