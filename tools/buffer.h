/*
 * Growable arrays of the singdiv command. Capacity doubles on growth, so n
 * appends cost O(n) in total.
 */
#ifndef SINGDIV_TOOLS_BUFFER_H
#define SINGDIV_TOOLS_BUFFER_H

#include <stddef.h>

/* An array of doubles; zero-initialise before use. */
typedef struct cli_doubles {
    double *data;
    size_t len;
    size_t cap;
} cli_doubles;

/* A byte string, kept NUL-terminated after every append; zero-initialise before use. */
typedef struct cli_chars {
    char *data;
    size_t len;
    size_t cap;
} cli_chars;

/* Appends x. Returns 0, or -1 when memory runs out (the array is unchanged). */
int
cli_doubles_push(cli_doubles *v, double x);

/* Appends zeros until v->len is at least len. Returns 0 or -1 like cli_doubles_push(). */
int
cli_doubles_resize(cli_doubles *v, size_t len);

void
cli_doubles_free(cli_doubles *v);

/* Appends n bytes of s. Returns 0, or -1 when memory runs out. */
int
cli_chars_append(cli_chars *b, const char *s, size_t n);

/* Appends one byte. Returns 0, or -1 when memory runs out. */
int
cli_chars_push(cli_chars *b, char c);

/* Empties the string, keeping its memory. */
void
cli_chars_clear(cli_chars *b);

void
cli_chars_free(cli_chars *b);

/*
 * Grows the block at *data, holding *cap elements of elem_size bytes, to at
 * least need elements, doubling the capacity. Returns 0, or -1 when memory
 * runs out or the size overflows (then *data and *cap are unchanged).
 */
int
cli_grow(void **data, size_t *cap, size_t need, size_t elem_size);

#endif /* SINGDIV_TOOLS_BUFFER_H */
