/*
 * Reading a sample file.
 */
#include "diag.h"
#include "reader.h"
#include "sample_input.h"

/* Checks that the line just ended had as many coordinates as the first line. */
static int
end_row(cli_reader *r, cli_samples *out, size_t count, unsigned long long line)
{
    if (out->rows == 0) {
        out->cols = count;
    } else if (count != out->cols) {
        cli_error_at(cli_reader_name(r), line, 1,
                     "this line has %zu value%s but the first line has %zu; "
                     "every sample needs the same number of coordinates",
                     count, count == 1 ? "" : "s", out->cols);
        return CLI_EXIT_USAGE;
    }
    out->rows++;
    return 0;
}

static int
read_rows(cli_reader *r, cli_samples *out)
{
    size_t count = 0;
    unsigned long long line = 0;

    for (;;) {
        double x;
        int status;

        switch (cli_reader_next(r)) {
        case CLI_READ_ERROR:
            return r->status;
        case CLI_READ_END:
            return 0;
        case CLI_READ_END_OF_LINE:
            status = end_row(r, out, count, line);
            if (status != 0) {
                return status;
            }
            count = 0;
            break;
        case CLI_READ_FIELD:
            line = r->line;
            status = cli_field_number(r, 1, &x);
            if (status != 0) {
                return status;
            }
            if (cli_doubles_push(&out->values, x) != 0) {
                return cli_out_of_memory();
            }
            count++;
            break;
        }
    }
}

int
cli_read_samples(const char *path, cli_samples *out)
{
    cli_reader r;
    int status = cli_reader_open(&r, path);
    int closed;

    if (status != 0) {
        return status;
    }
    status = read_rows(&r, out);
    closed = cli_reader_close(&r);
    if (status == 0) {
        status = closed;
    }
    if (status == 0 && out->rows == 0) {
        cli_error("%s: no samples (the file is empty or contains only comments)",
                  cli_reader_name(&r));
        status = CLI_EXIT_USAGE;
    }
    return status;
}

void
cli_samples_free(cli_samples *s)
{
    cli_doubles_free(&s->values);
    s->rows = 0;
    s->cols = 0;
}
