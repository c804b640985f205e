/*
 * A hash table that gives each distinct label (a word, a category name) a
 * dense id 0, 1, 2, ... in order of first appearance, so that two files
 * can be aligned by label in one pass over each.
 */
#ifndef SINGDIV_TOOLS_LABELS_H
#define SINGDIV_TOOLS_LABELS_H

#include <stddef.h>
#include <stdint.h>

#include "buffer.h"

typedef struct cli_label {
    size_t offset; /* of the NUL-terminated text in cli_labels.text */
    size_t length;
    uint64_t hash;
} cli_label;

/*
 * Open addressing with linear probing; slots hold id + 1, 0 meaning empty,
 * and the table is at most half full. Zero-initialise before use.
 */
typedef struct cli_labels {
    cli_chars text;
    cli_label *entries;
    size_t count;
    size_t entries_cap;
    size_t *slots;
    size_t slot_count;
} cli_labels;

/*
 * Stores in *id the id of the label s[0..length), adding it when new
 * (then *added is 1, else 0). Labels may contain any byte but NUL.
 * Expected O(length) time. Returns 0, or -1 when memory runs out.
 */
int
cli_labels_intern(cli_labels *t, const char *s, size_t length, size_t *id, int *added);

/* Returns the NUL-terminated text of label id; valid until the next intern. */
const char *
cli_labels_text(const cli_labels *t, size_t id);

void
cli_labels_free(cli_labels *t);

#endif /* SINGDIV_TOOLS_LABELS_H */
