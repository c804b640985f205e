/*
 * Fuzzes the input parsers of the singdiv command (tools/): the pair
 * reader (plain numbers or "label value" lines, aligned between two
 * files), the sample reader, the field reader's number parsing and the
 * tokenizer. The input is split into two files held in memory files.
 *
 * The parsers print their error messages to stderr; the harness sends
 * them to /dev/null while a parser runs, unless FUZZ_CLI_STDERR is set in
 * the environment (set it to see the messages, or an AddressSanitizer
 * report from inside a parser).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_common.h"

#include "buffer.h"
#include "diag.h"
#include "labels.h"
#include "pair_input.h"
#include "reader.h"
#include "source.h"
#include "tokenize.h"
#ifdef FUZZ_HAVE_SAMPLE_INPUT
#include "sample_input.h"
#endif

typedef struct memory_file {
    int fd;
    char path[64];
} memory_file;

static int saved_stderr = -1;
static int null_fd = -1;

static void
quiet_begin(void)
{
    if (getenv("FUZZ_CLI_STDERR") != NULL) {
        return;
    }
    if (null_fd < 0) {
        null_fd = open("/dev/null", O_WRONLY);
        saved_stderr = dup(STDERR_FILENO);
    }
    if (null_fd >= 0 && saved_stderr >= 0) {
        fflush(stderr);
        dup2(null_fd, STDERR_FILENO);
    }
}

static void
quiet_end(void)
{
    if (null_fd >= 0 && saved_stderr >= 0) {
        fflush(stderr);
        dup2(saved_stderr, STDERR_FILENO);
    }
}

static int
memory_file_write(memory_file *f, const char *name, const uint8_t *data, size_t size)
{
    f->fd = memfd_create(name, 0);
    if (f->fd < 0) {
        return -1;
    }
    if (size > 0 && write(f->fd, data, size) != (ssize_t)size) {
        close(f->fd);
        return -1;
    }
    snprintf(f->path, sizeof f->path, "/proc/self/fd/%d", f->fd);
    return 0;
}

static void
check_doubles(const cli_doubles *v, int allow_negative)
{
    for (size_t i = 0; i < v->len; i++) {
        FUZZ_CHECK(isfinite(v->data[i]));
        FUZZ_CHECK(allow_negative || v->data[i] >= 0.0);
    }
}

static void
check_pair(const char *p_path, const char *q_path, cli_layout layout)
{
    cli_pair_input in;
    int status;

    memset(&in, 0, sizeof in);
    quiet_begin();
    status = cli_read_pair(p_path, q_path, layout, &in);
    quiet_end();
    FUZZ_CHECK(status == 0 || status == CLI_EXIT_USAGE || status == CLI_EXIT_FAILURE);
    if (status == 0) {
        FUZZ_CHECK(in.p.len == in.q.len);
        check_doubles(&in.p, 0);
        check_doubles(&in.q, 0);
        if (in.labelled) {
            FUZZ_CHECK(in.labels.count == in.p.len);
        }
    }
    cli_pair_input_free(&in);
}

static void
check_fields(const char *path)
{
    cli_reader r;
    cli_read_result result;
    double x;
    int status;

    quiet_begin();
    if (cli_reader_open(&r, path) != 0) {
        quiet_end();
        return;
    }
    do {
        result = cli_reader_next(&r);
        if (result == CLI_READ_FIELD) {
            FUZZ_CHECK(r.field.data != NULL);
            FUZZ_CHECK(strlen(r.field.data) == r.field.len);
            status = cli_field_number(&r, (int)(r.column % 2), &x);
            if (status == 0) {
                FUZZ_CHECK(isfinite(x));
                FUZZ_CHECK(r.column % 2 == 1 || x >= 0.0);
                FUZZ_CHECK(cli_field_is_number(&r));
            }
        }
    } while (result == CLI_READ_FIELD || result == CLI_READ_END_OF_LINE);
    (void)cli_reader_close(&r);
    quiet_end();
}

static void
check_tokens(const uint8_t *data, size_t size, cli_unit unit, int keep_case)
{
    cli_source src;
    cli_tokenizer tok = {unit, keep_case};
    cli_labels labels;
    cli_doubles counts;
    unsigned long long total = 0;
    double sum = 0.0;
    int status;

    memset(&labels, 0, sizeof labels);
    memset(&counts, 0, sizeof counts);
    cli_source_open_memory(&src, "<fuzz>", (const char *)data, size);
    quiet_begin();
    status = cli_count_tokens(&src, &tok, &labels, &counts, &total);
    quiet_end();
    (void)cli_source_close(&src);
    if (status == 0) {
        FUZZ_CHECK(counts.len == labels.count);
        for (size_t i = 0; i < counts.len; i++) {
            FUZZ_CHECK(counts.data[i] >= 1.0);
            sum += counts.data[i];
        }
        FUZZ_CHECK(sum == (double)total);
        if (unit == CLI_UNIT_BYTE) {
            FUZZ_CHECK(total == size);
        }
    }
    cli_labels_free(&labels);
    cli_doubles_free(&counts);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    memory_file p_file, q_file;
    size_t split;
    uint8_t control;

    if (size < 2) {
        return 0;
    }
    control = data[0];
    split = 1 + (size - 1) * data[1] / 256;
    if (memory_file_write(&p_file, "p", data + 2, split > 2 ? split - 2 : 0) != 0) {
        return 0;
    }
    if (memory_file_write(&q_file, "q", data + split, size - split) != 0) {
        close(p_file.fd);
        return 0;
    }

    check_pair(p_file.path, q_file.path, (cli_layout)(control % 3));
    check_fields(p_file.path);
#ifdef FUZZ_HAVE_SAMPLE_INPUT
    {
        cli_samples samples;
        int status;

        memset(&samples, 0, sizeof samples);
        quiet_begin();
        status = cli_read_samples(q_file.path, &samples);
        quiet_end();
        if (status == 0) {
            FUZZ_CHECK(samples.rows * samples.cols == samples.values.len);
            check_doubles(&samples.values, 1);
        }
        cli_samples_free(&samples);
    }
#endif
    check_tokens(data + 2, size - 2, (cli_unit)((control >> 2) % 3), (control >> 4) & 1);

    close(p_file.fd);
    close(q_file.fd);
    return 0;
}
