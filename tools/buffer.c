/*
 * Growable arrays of the singdiv command.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buffer.h"

int
cli_grow(void **data, size_t *cap, size_t need, size_t elem_size)
{
    size_t new_cap = *cap < 16 ? 16 : *cap;
    void *grown;

    if (need <= *cap) {
        return 0;
    }
    while (new_cap < need) {
        if (new_cap > SIZE_MAX / 2) {
            return -1;
        }
        new_cap *= 2;
    }
    if (new_cap > SIZE_MAX / elem_size) {
        return -1;
    }
    grown = realloc(*data, new_cap * elem_size);
    if (grown == NULL) {
        return -1;
    }
    *data = grown;
    *cap = new_cap;
    return 0;
}

int
cli_doubles_push(cli_doubles *v, double x)
{
    void *data = v->data;

    if (cli_grow(&data, &v->cap, v->len + 1, sizeof(double)) != 0) {
        return -1;
    }
    v->data = data;
    v->data[v->len++] = x;
    return 0;
}

int
cli_doubles_resize(cli_doubles *v, size_t len)
{
    void *data = v->data;

    if (len <= v->len) {
        return 0;
    }
    if (cli_grow(&data, &v->cap, len, sizeof(double)) != 0) {
        return -1;
    }
    v->data = data;
    while (v->len < len) {
        v->data[v->len++] = 0.0;
    }
    return 0;
}

void
cli_doubles_free(cli_doubles *v)
{
    free(v->data);
    v->data = NULL;
    v->len = 0;
    v->cap = 0;
}

int
cli_chars_append(cli_chars *b, const char *s, size_t n)
{
    void *data = b->data;

    if (n >= SIZE_MAX - b->len) {
        return -1;
    }
    if (cli_grow(&data, &b->cap, b->len + n + 1, 1) != 0) {
        return -1;
    }
    b->data = data;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int
cli_chars_push(cli_chars *b, char c)
{
    if (b->len + 1 < b->cap) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return 0;
    }
    return cli_chars_append(b, &c, 1);
}

void
cli_chars_clear(cli_chars *b)
{
    b->len = 0;
    if (b->data != NULL) {
        b->data[0] = '\0';
    }
}

void
cli_chars_free(cli_chars *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}
