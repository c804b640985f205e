/*
 * Diagnostics of the singdiv command.
 */
#include <stdarg.h>
#include <stdio.h>

#include "diag.h"

void
cli_error(const char *format, ...)
{
    va_list args;

    fputs("singdiv: ", stderr);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
}

void
cli_error_at(const char *file, unsigned long long line, unsigned long long column,
             const char *format, ...)
{
    va_list args;

    fprintf(stderr, "singdiv: %s:%llu:%llu: ", file, line, column);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
}

int
cli_out_of_memory(void)
{
    cli_error("out of memory");
    return CLI_EXIT_FAILURE;
}

int
cli_library_failure(const char *function, singdiv_status status)
{
    cli_error("%s failed: %s (%s)", function, singdiv_strerror(status),
              singdiv_status_name(status));
    return CLI_EXIT_FAILURE;
}
