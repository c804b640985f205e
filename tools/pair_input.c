/*
 * Reading and aligning two distributions.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "pair_input.h"
#include "reader.h"

/* One file being read: where its values go and where each label was first seen. */
typedef struct file_state {
    cli_reader reader;
    cli_layout layout;
    cli_doubles *values;
    cli_labels *labels;
    unsigned long long *first_line; /* by label id; 0: not yet in this file */
    size_t first_line_cap;
    size_t entries;                 /* values or label lines read */
} file_state;

static int
note_label_line(file_state *f, size_t id)
{
    void *data = f->first_line;
    size_t old_cap = f->first_line_cap;

    if (cli_grow(&data, &f->first_line_cap, id + 1, sizeof(unsigned long long)) != 0) {
        return cli_out_of_memory();
    }
    f->first_line = data;
    memset(f->first_line + old_cap, 0, (f->first_line_cap - old_cap) * sizeof(unsigned long long));
    if (f->first_line[id] != 0) {
        cli_error_at(cli_reader_name(&f->reader), f->reader.line, f->reader.column,
                     "label '%s' appears again (first on line %llu); "
                     "each label may appear once per file",
                     f->reader.field.data, f->first_line[id]);
        return CLI_EXIT_USAGE;
    }
    f->first_line[id] = f->reader.line;
    return 0;
}

/* Reads the label in the current field and the value after it on the same line. */
static int
read_label_line(file_state *f)
{
    cli_reader *r = &f->reader;
    size_t id;
    int added;
    int status;
    double x;

    if (cli_labels_intern(f->labels, r->field.data, r->field.len, &id, &added) != 0
        || cli_doubles_resize(f->values, f->labels->count) != 0) {
        return cli_out_of_memory();
    }
    status = note_label_line(f, id);
    if (status != 0) {
        return status;
    }
    switch (cli_reader_next(r)) {
    case CLI_READ_ERROR:
        return r->status;
    case CLI_READ_FIELD:
        break;
    default:
        cli_error_at(cli_reader_name(r), r->line, r->column,
                     "label '%s' has no value; expected 'label value'", cli_labels_text(f->labels, id));
        return CLI_EXIT_USAGE;
    }
    status = cli_field_number(r, 0, &x);
    if (status != 0) {
        return status;
    }
    f->values->data[id] = x;

    switch (cli_reader_next(r)) {
    case CLI_READ_ERROR:
        return r->status;
    case CLI_READ_FIELD:
        cli_error_at(cli_reader_name(r), r->line, r->column,
                     "unexpected third field '%.40s'; expected 'label value' "
                     "(labels cannot contain spaces, commas or '#')", r->field.data);
        return CLI_EXIT_USAGE;
    default:
        return 0;
    }
}

static int
read_field(file_state *f)
{
    cli_reader *r = &f->reader;
    double x;
    int status;

    if (f->layout == CLI_LAYOUT_AUTO) {
        f->layout = cli_field_is_number(r) ? CLI_LAYOUT_NUMBERS : CLI_LAYOUT_LABELS;
    }
    f->entries++;
    if (f->layout == CLI_LAYOUT_LABELS) {
        return read_label_line(f);
    }
    status = cli_field_number(r, 0, &x);
    if (status != 0) {
        return status;
    }
    if (cli_doubles_push(f->values, x) != 0) {
        return cli_out_of_memory();
    }
    return 0;
}

static int
read_file(const char *path, file_state *f)
{
    int status = cli_reader_open(&f->reader, path);
    cli_read_result next;

    while (status == 0 && (next = cli_reader_next(&f->reader)) != CLI_READ_END) {
        if (next == CLI_READ_ERROR) {
            status = f->reader.status;
        } else if (next == CLI_READ_FIELD) {
            status = read_field(f);
        }
    }
    if (cli_reader_close(&f->reader) != 0 && status == 0) {
        status = CLI_EXIT_USAGE;
    }
    if (status == 0 && f->entries == 0) {
        cli_error("%s: no values (the file is empty or contains only comments)",
                  cli_reader_name(&f->reader));
        status = CLI_EXIT_USAGE;
    }
    free(f->first_line);
    f->first_line = NULL;
    return status;
}

static int
check_alignment(const char *p_path, const file_state *fp, const char *q_path,
                const file_state *fq)
{
    if (fp->layout != fq->layout) {
        cli_error("%s contains %s but %s contains %s; use the same layout in both files",
                  p_path, fp->layout == CLI_LAYOUT_LABELS ? "'label value' lines" : "plain numbers",
                  q_path, fq->layout == CLI_LAYOUT_LABELS ? "'label value' lines" : "plain numbers");
        return CLI_EXIT_USAGE;
    }
    if (fp->layout == CLI_LAYOUT_NUMBERS && fp->values->len != fq->values->len) {
        cli_error("%s has %zu values but %s has %zu; plain numbers are aligned by position, "
                  "so both files need the same count (or use 'label value' lines)",
                  p_path, fp->values->len, q_path, fq->values->len);
        return CLI_EXIT_USAGE;
    }
    return 0;
}

int
cli_read_pair(const char *p_path, const char *q_path, cli_layout layout,
              cli_pair_input *in)
{
    file_state fp = {0};
    file_state fq = {0};
    int status;

    fp.layout = layout;
    fp.values = &in->p;
    fp.labels = &in->labels;
    fq.layout = layout;
    fq.values = &in->q;
    fq.labels = &in->labels;

    status = read_file(p_path, &fp);
    if (status == 0) {
        status = read_file(q_path, &fq);
    }
    if (status == 0) {
        status = check_alignment(p_path, &fp, q_path, &fq);
    }
    if (status != 0) {
        return status;
    }

    in->labelled = fp.layout == CLI_LAYOUT_LABELS;
    if (in->labelled && cli_doubles_resize(&in->p, in->labels.count) != 0) {
        return cli_out_of_memory();
    }
    return 0;
}

void
cli_pair_input_free(cli_pair_input *in)
{
    cli_doubles_free(&in->p);
    cli_doubles_free(&in->q);
    cli_labels_free(&in->labels);
}
