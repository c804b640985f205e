/*
 * Diagnostics of the singdiv command: exit statuses and messages on stderr.
 */
#ifndef SINGDIV_TOOLS_DIAG_H
#define SINGDIV_TOOLS_DIAG_H

#include <singdiv/singdiv.h>

/* Exit statuses of the command. */
#define CLI_EXIT_OK 0
/* Out of memory, a failed write to stdout, or a library failure the input cannot explain. */
#define CLI_EXIT_FAILURE 1
/* Usage errors and input errors (unreadable, malformed or invalid files). */
#define CLI_EXIT_USAGE 2

#if defined(__GNUC__)
#define CLI_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define CLI_PRINTF(fmt_index, first_arg)
#endif

/* Prints "singdiv: MESSAGE" and a newline to stderr. */
void
cli_error(const char *format, ...) CLI_PRINTF(1, 2);

/* Prints "singdiv: FILE:LINE:COLUMN: MESSAGE" and a newline to stderr. */
void
cli_error_at(const char *file, unsigned long long line, unsigned long long column,
             const char *format, ...) CLI_PRINTF(4, 5);

/* Reports an allocation failure and returns CLI_EXIT_FAILURE. */
int
cli_out_of_memory(void);

/*
 * Reports a library status that valid input should not produce, naming the
 * function, and returns CLI_EXIT_FAILURE.
 */
int
cli_library_failure(const char *function, singdiv_status status);

#endif /* SINGDIV_TOOLS_DIAG_H */
