/*
 * Compares the word distributions of two text files with libsingdiv.
 *
 *     compare_texts A B
 *
 * p is the distribution of words in A (the truth), q the one in B (the
 * model), aligned by word. Words are maximal runs of ASCII letters,
 * apostrophes inside a word kept, folded to lower case. The report shows
 * each divergence, the violating set (words of A that B never contains)
 * and the words of that set with the most mass.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <singdiv/singdiv.h>

#define TOP_WORDS 12

typedef struct word_entry {
    char *word;
    double count_a;
    double count_b;
} word_entry;

/* An open-addressing hash table from word to its counts in both files. */
typedef struct vocabulary {
    word_entry *slots;
    size_t capacity;
    size_t size;
} vocabulary;

static uint64_t
hash_word(const char *word)
{
    uint64_t h = 0xcbf29ce484222325ULL;

    for (; *word != '\0'; word++) {
        h = (h ^ (unsigned char)*word) * 0x100000001b3ULL;
    }
    return h;
}

static int
vocabulary_grow(vocabulary *v)
{
    size_t capacity = v->capacity == 0 ? 1024 : 2 * v->capacity;
    word_entry *slots = calloc(capacity, sizeof *slots);

    if (slots == NULL) {
        return -1;
    }
    for (size_t i = 0; i < v->capacity; i++) {
        if (v->slots[i].word != NULL) {
            size_t j = hash_word(v->slots[i].word) & (capacity - 1);

            while (slots[j].word != NULL) {
                j = (j + 1) & (capacity - 1);
            }
            slots[j] = v->slots[i];
        }
    }
    free(v->slots);
    v->slots = slots;
    v->capacity = capacity;
    return 0;
}

/* Adds one occurrence of word to file A (side 0) or B (side 1). */
static int
vocabulary_add(vocabulary *v, const char *word, int side)
{
    size_t j;

    if (2 * (v->size + 1) > v->capacity && vocabulary_grow(v) != 0) {
        return -1;
    }
    j = hash_word(word) & (v->capacity - 1);
    while (v->slots[j].word != NULL && strcmp(v->slots[j].word, word) != 0) {
        j = (j + 1) & (v->capacity - 1);
    }
    if (v->slots[j].word == NULL) {
        size_t length = strlen(word) + 1;

        v->slots[j].word = malloc(length);
        if (v->slots[j].word == NULL) {
            return -1;
        }
        memcpy(v->slots[j].word, word, length);
        v->size++;
    }
    if (side == 0) {
        v->slots[j].count_a += 1.0;
    } else {
        v->slots[j].count_b += 1.0;
    }
    return 0;
}

/* Reads the words of a file into the vocabulary. Returns 0, or -1 with errno set. */
static int
read_words(const char *path, vocabulary *v, int side)
{
    FILE *f = fopen(path, "rb");
    char word[256];
    size_t length = 0;
    int c;

    if (f == NULL) {
        return -1;
    }
    while ((c = getc(f)) != EOF) {
        int in_word = isalpha(c) || (c == '\'' && length > 0);

        if (in_word && length + 1 < sizeof word) {
            word[length++] = (char)tolower(c);
        } else if (!in_word && length > 0) {
            while (length > 0 && word[length - 1] == '\'') {
                length--;
            }
            word[length] = '\0';
            if (length > 0 && vocabulary_add(v, word, side) != 0) {
                fclose(f);
                return -1;
            }
            length = 0;
        }
    }
    if (length > 0) {
        word[length] = '\0';
        if (vocabulary_add(v, word, side) != 0) {
            fclose(f);
            return -1;
        }
    }
    fclose(f);
    return 0;
}

static int
by_count_a_descending(const void *x, const void *y)
{
    const word_entry *a = x;
    const word_entry *b = y;

    if (a->count_a != b->count_a) {
        return a->count_a < b->count_a ? 1 : -1;
    }
    return strcmp(a->word, b->word);
}

static void
print_value(const char *name, singdiv_status status, const singdiv_report *r)
{
    if (status != SINGDIV_OK) {
        printf("%-28s error: %s\n", name, singdiv_strerror(status));
    } else {
        printf("%-28s %.6g\n", name, r->value);
    }
}

/* Prints the report; entries must be compacted to the first n slots. */
static int
print_report(const char *path_a, const char *path_b, word_entry *entries, size_t n,
             double total_a)
{
    double *p = malloc(n * sizeof *p);
    double *q = malloc(n * sizeof *q);
    singdiv_options opt;
    singdiv_report r;
    singdiv_status status;
    size_t shown = 0;

    if (p == NULL || q == NULL) {
        free(p);
        free(q);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        p[i] = entries[i].count_a;
        q[i] = entries[i].count_b;
    }
    singdiv_options_init(&opt);
    opt.normalize = 1;

    printf("p: words of %s\nq: words of %s\n%zu distinct words\n\n", path_a, path_b, n);
    status = singdiv_entropy(p, n, &opt, &r);
    print_value("entropy H(p), nats", status, &r);
    status = singdiv_cross_entropy(p, q, n, &opt, &r);
    print_value("cross-entropy CE(p, q)", status, &r);
    if (status == SINGDIV_OK && r.violating_count > 0) {
        printf("  finite part (covered words)  %.6g\n", r.finite_part);
    }
    status = singdiv_kl(p, q, n, &opt, &r);
    print_value("KL(p || q)", status, &r);
    if (status == SINGDIV_OK) {
        printf("  violating mass m_V           %.6g (%zu words of A missing from B)\n",
               r.violating_mass, r.violating_count);
        printf("  under smoothing q_eps = (1 - eps) q + eps u, KL grows like %.6g log(1/eps)\n",
               r.violating_mass);
    }
    status = singdiv_kl(q, p, n, &opt, &r);
    print_value("KL(q || p)", status, &r);
    status = singdiv_js(p, q, n, &opt, &r);
    print_value("JS divergence, nats", status, &r);
    status = singdiv_js_distance(p, q, n, &opt, &r);
    print_value("JS distance", status, &r);

    printf("\nmost frequent words of A that B never contains:\n");
    qsort(entries, n, sizeof *entries, by_count_a_descending);
    for (size_t i = 0; i < n && shown < TOP_WORDS; i++) {
        if (entries[i].count_b == 0.0 && entries[i].count_a > 0.0) {
            printf("  %-20s %8.0f  mass %.3g\n", entries[i].word, entries[i].count_a,
                   entries[i].count_a / total_a);
            shown++;
        }
    }
    free(p);
    free(q);
    return 0;
}

int
main(int argc, char **argv)
{
    vocabulary v = { NULL, 0, 0 };
    double total_a = 0.0;
    size_t n = 0;
    int rc = 0;

    if (argc != 3) {
        fprintf(stderr, "usage: %s A B\ncompares the word distributions of text files A and B\n",
                argv[0]);
        return 2;
    }
    for (int side = 0; side < 2; side++) {
        if (read_words(argv[1 + side], &v, side) != 0) {
            perror(argv[1 + side]);
            rc = 1;
        }
    }
    if (rc == 0 && v.size == 0) {
        fprintf(stderr, "%s, %s: no words found\n", argv[1], argv[2]);
        rc = 1;
    }
    if (rc == 0) {
        /* Compact the occupied slots to the front; the table is not used afterwards. */
        for (size_t i = 0; i < v.capacity; i++) {
            if (v.slots[i].word != NULL) {
                total_a += v.slots[i].count_a;
                v.slots[n++] = v.slots[i];
            }
        }
        if (print_report(argv[1], argv[2], v.slots, n, total_a) != 0) {
            fprintf(stderr, "out of memory\n");
            rc = 1;
        }
    } else {
        n = v.capacity;
    }
    for (size_t i = 0; i < n; i++) {
        free(v.slots[i].word);
    }
    free(v.slots);
    return rc;
}
