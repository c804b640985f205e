/*
 * Text tokenizer: words, UTF-8 characters or bytes.
 */
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "tokenize.h"

/* Maximum length in bytes of one UTF-8 character. */
#define UTF8_MAX 4

typedef struct token_sink {
    cli_labels *labels;
    cli_doubles *counts;
    unsigned long long *total;
} token_sink;

const char *
cli_unit_name(cli_unit unit)
{
    switch (unit) {
    case CLI_UNIT_CHAR:
        return "char";
    case CLI_UNIT_BYTE:
        return "byte";
    default:
        return "word";
    }
}

static int
add_token(const token_sink *sink, const char *text, size_t length)
{
    size_t id;
    int added;

    if (cli_labels_intern(sink->labels, text, length, &id, &added) != 0
        || cli_doubles_resize(sink->counts, sink->labels->count) != 0) {
        return cli_out_of_memory();
    }
    sink->counts->data[id] += 1.0;
    (*sink->total)++;
    return 0;
}

static int
is_text_control(int c)
{
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f')
           || c == 0x7f;
}

/* Reports a byte that is not UTF-8 text at the given position. */
static int
text_error(const cli_source *src, unsigned long long line, unsigned long long column, int c,
           const char *what)
{
    cli_error_at(src->name, line, column, "%s 0x%02x; use --unit byte for files "
                 "that are not UTF-8 text", what, (unsigned)c);
    return CLI_EXIT_USAGE;
}

/* Reports the byte c just read. */
static int
utf8_error(const cli_source *src, int c, const char *what)
{
    return text_error(src, src->line, src->column, c, what);
}

/* Returns the length of the UTF-8 sequence that starts with byte c, or 0 if c cannot start one. */
static size_t
utf8_length_from_lead(int c)
{
    if (c < 0x80) {
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        return 2;
    }
    if (c >= 0xe0 && c <= 0xef) {
        return 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        return 4;
    }
    return 0;
}

/*
 * Reads the rest of the UTF-8 character whose lead byte c was just read,
 * storing its bytes in out and its length in *length. Rejects stray
 * continuation bytes, truncated sequences, overlong forms, surrogates and
 * code points above U+10FFFF.
 */
static int
read_utf8(cli_source *src, int c, unsigned char out[UTF8_MAX], size_t *length,
          unsigned long *code_point)
{
    static const unsigned long min_value[UTF8_MAX + 1] = {0, 0, 0x80, 0x800, 0x10000};
    /* The payload bits of the lead byte, by sequence length. */
    static const unsigned long lead_mask[UTF8_MAX + 1] = {0, 0x7f, 0x1f, 0x0f, 0x07};
    size_t need = utf8_length_from_lead(c);
    unsigned long cp = (unsigned long)c & lead_mask[need];
    unsigned long long line = src->line;
    unsigned long long column = src->column;

    if (need == 0) {
        return utf8_error(src, c, "invalid UTF-8 byte");
    }
    out[0] = (unsigned char)c;
    for (size_t i = 1; i < need; i++) {
        int next = cli_source_peek(src);

        if (next == EOF || (next & 0xc0) != 0x80) {
            return text_error(src, line, column, c, "truncated UTF-8 sequence starting with");
        }
        cli_source_get(src);
        out[i] = (unsigned char)next;
        cp = (cp << 6) | ((unsigned long)next & 0x3fu);
    }
    if (cp < min_value[need] || cp > 0x10ffffUL || (cp >= 0xd800UL && cp <= 0xdfffUL)) {
        return text_error(src, line, column, c, "invalid UTF-8 sequence starting with");
    }
    *length = need;
    *code_point = cp;
    return 0;
}

static int
is_word_char(unsigned long cp)
{
    return cp >= 0x80 || (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z')
           || (cp >= 'A' && cp <= 'Z');
}

/* Ends the current word; a pending apostrophe was not followed by a word character and is dropped. */
static int
flush_word(const token_sink *sink, cli_chars *word)
{
    int status = 0;

    if (word->len > 0) {
        status = add_token(sink, word->data, word->len);
    }
    cli_chars_clear(word);
    return status;
}

static int
count_words(cli_source *src, const cli_tokenizer *tok, const token_sink *sink)
{
    cli_chars word = {0};
    int apostrophe = 0;
    int status = 0;
    int c;

    while (status == 0 && (c = cli_source_get(src)) != EOF) {
        unsigned char bytes[UTF8_MAX];
        size_t length;
        unsigned long cp;

        if (is_text_control(c)) {
            status = utf8_error(src, c, "control byte");
            break;
        }
        status = read_utf8(src, c, bytes, &length, &cp);
        if (status != 0) {
            break;
        }
        if (is_word_char(cp)) {
            if (!tok->keep_case && cp >= 'A' && cp <= 'Z') {
                bytes[0] = (unsigned char)(cp - 'A' + 'a');
            }
            if ((apostrophe && cli_chars_push(&word, '\'') != 0)
                || cli_chars_append(&word, (const char *)bytes, length) != 0) {
                status = cli_out_of_memory();
            }
            apostrophe = 0;
        } else if (cp == '\'' && word.len > 0 && !apostrophe) {
            apostrophe = 1;
        } else {
            apostrophe = 0;
            status = flush_word(sink, &word);
        }
    }
    if (status == 0) {
        status = flush_word(sink, &word);
    }
    cli_chars_free(&word);
    return status;
}

static int
count_chars(cli_source *src, const token_sink *sink)
{
    int status = 0;
    int c;

    while (status == 0 && (c = cli_source_get(src)) != EOF) {
        unsigned char bytes[UTF8_MAX];
        char name[16];
        size_t length;
        unsigned long cp;

        if (is_text_control(c)) {
            return utf8_error(src, c, "control byte");
        }
        if (c == '\r' && cli_source_peek(src) == '\n') {
            continue;
        }
        status = read_utf8(src, c, bytes, &length, &cp);
        if (status == 0 && (cp <= 0x20 || cp == 0x7f)) {
            snprintf(name, sizeof name, "U+%04lX", cp);
            status = add_token(sink, name, strlen(name));
        } else if (status == 0) {
            status = add_token(sink, (const char *)bytes, length);
        }
    }
    return status;
}

static int
count_bytes(cli_source *src, const token_sink *sink)
{
    int status = 0;
    int c;

    while (status == 0 && (c = cli_source_get(src)) != EOF) {
        char name[16];

        if (c > 0x20 && c < 0x7f) {
            name[0] = (char)c;
            name[1] = '\0';
        } else {
            snprintf(name, sizeof name, "0x%02x", (unsigned)c);
        }
        status = add_token(sink, name, strlen(name));
    }
    return status;
}

int
cli_count_tokens(cli_source *src, const cli_tokenizer *tok, cli_labels *labels,
                 cli_doubles *counts, unsigned long long *total)
{
    token_sink sink = {labels, counts, total};

    switch (tok->unit) {
    case CLI_UNIT_CHAR:
        return count_chars(src, &sink);
    case CLI_UNIT_BYTE:
        return count_bytes(src, &sink);
    default:
        return count_words(src, tok, &sink);
    }
}
