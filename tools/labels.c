/*
 * Label interning by hash table.
 */
#include <stdlib.h>
#include <string.h>

#include "labels.h"

/* 64-bit FNV-1a. */
static uint64_t
hash_bytes(const char *s, size_t length)
{
    uint64_t h = UINT64_C(14695981039346656037);

    for (size_t i = 0; i < length; i++) {
        h ^= (unsigned char)s[i];
        h *= UINT64_C(1099511628211);
    }
    return h;
}

static size_t
find_slot(const cli_labels *t, const char *s, size_t length, uint64_t h)
{
    size_t mask = t->slot_count - 1;
    size_t i = (size_t)h & mask;

    while (t->slots[i] != 0) {
        const cli_label *e = &t->entries[t->slots[i] - 1];

        if (e->hash == h && e->length == length
            && memcmp(t->text.data + e->offset, s, length) == 0) {
            return i;
        }
        i = (i + 1) & mask;
    }
    return i;
}

/* Doubles the slot array and reinserts every label. */
static int
rehash(cli_labels *t)
{
    size_t new_count = t->slot_count == 0 ? 64 : t->slot_count * 2;
    size_t *slots;

    if (new_count > SIZE_MAX / 2 / sizeof(size_t)) {
        return -1;
    }
    slots = calloc(new_count, sizeof(size_t));
    if (slots == NULL) {
        return -1;
    }
    for (size_t id = 0; id < t->count; id++) {
        size_t i = (size_t)t->entries[id].hash & (new_count - 1);

        while (slots[i] != 0) {
            i = (i + 1) & (new_count - 1);
        }
        slots[i] = id + 1;
    }
    free(t->slots);
    t->slots = slots;
    t->slot_count = new_count;
    return 0;
}

int
cli_labels_intern(cli_labels *t, const char *s, size_t length, size_t *id, int *added)
{
    uint64_t h = hash_bytes(s, length);
    size_t slot;
    void *entries = t->entries;

    if (t->slot_count == 0 || t->count + 1 > t->slot_count / 2) {
        if (rehash(t) != 0) {
            return -1;
        }
    }
    slot = find_slot(t, s, length, h);
    if (t->slots[slot] != 0) {
        *id = t->slots[slot] - 1;
        *added = 0;
        return 0;
    }

    if (cli_grow(&entries, &t->entries_cap, t->count + 1, sizeof(cli_label)) != 0) {
        return -1;
    }
    t->entries = entries;
    t->entries[t->count].offset = t->text.len;
    t->entries[t->count].length = length;
    t->entries[t->count].hash = h;
    if (cli_chars_append(&t->text, s, length) != 0 || cli_chars_push(&t->text, '\0') != 0) {
        return -1;
    }
    t->slots[slot] = t->count + 1;
    *id = t->count++;
    *added = 1;
    return 0;
}

const char *
cli_labels_text(const cli_labels *t, size_t id)
{
    return t->text.data + t->entries[id].offset;
}

void
cli_labels_free(cli_labels *t)
{
    cli_chars_free(&t->text);
    free(t->entries);
    free(t->slots);
    memset(t, 0, sizeof *t);
}
