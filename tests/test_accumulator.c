/*
 * Tests of the mergeable accumulators: random vectors cut into random
 * chunks, spread over several accumulators, merged in random orders (some
 * through the serialised bytes) and finalised, against the single call on
 * the whole vector; the serialised format; every status.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* Bounds documented in include/singdiv/accumulator.h. */
#define VALUE_MAX_ULP 16.0
#define MASS_MAX_ULP 8.0
#define SEED 20261205u
#define MAX_PARTS 6

static uint64_t rng_state;

static uint64_t
next_random(void)
{
    /* xorshift64*: enough for shuffles and test vectors. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

static double
uniform(void)
{
    return (double)(next_random() >> 11) * 0x1.0p-53;
}

static size_t
below(size_t n)
{
    return (size_t)(next_random() % n);
}

static void
normalise(double *x, size_t n)
{
    double total = 0.0;

    for (size_t i = 0; i < n; i++) {
        total += x[i];
    }
    for (size_t i = 0; i < n; i++) {
        x[i] /= total;
    }
}

/* Fills x with a random distribution with a share `zeros` of exact zeros. */
static void
random_distribution(double *x, size_t n, double zeros)
{
    for (size_t i = 0; i < n; i++) {
        x[i] = uniform() < zeros ? 0.0 : -log(1.0 - uniform());
    }
    x[below(n)] = 1.0;
    normalise(x, n);
}

/* The inputs of one accumulation and how to add a chunk of them. */
typedef struct job {
    int logits;
    const double *p;
    const double *second; /* q or logits */
    size_t n;
} job;

static void
add_chunk(singdiv_accumulator *acc, const job *j, size_t offset, size_t length)
{
    singdiv_status status;
    const double *p = j->p != NULL ? j->p + offset : NULL;

    if (j->logits) {
        status = singdiv_accumulator_add_logits(acc, p, j->second + offset, length, offset, NULL);
    } else {
        status = singdiv_accumulator_add(acc, p, j->second != NULL ? j->second + offset : NULL,
                                         length, offset, NULL);
    }
    check_status(status, SINGDIV_OK);
}

/* Replaces *acc by its serialised and deserialised copy. */
static void
round_trip(singdiv_accumulator *acc)
{
    unsigned char bytes[SINGDIV_ACCUMULATOR_STATE_SIZE];

    check_status(singdiv_accumulator_serialize(acc, bytes, sizeof bytes, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_deserialize(acc, bytes, sizeof bytes, NULL), SINGDIV_OK);
}

/*
 * Cuts [0, n) into random chunks, adds them in random order to up to
 * MAX_PARTS copies of *empty, and merges the copies in random order into
 * *acc, some through their serialised bytes.
 */
static void
accumulate(const singdiv_accumulator *empty, const job *j, singdiv_accumulator *acc)
{
    singdiv_accumulator parts[MAX_PARTS];
    size_t starts[64];
    size_t ends[64];
    size_t count = 0;
    size_t used = 1 + below(MAX_PARTS);
    size_t order[MAX_PARTS];

    /* Random chunk lengths; the last chunk takes what is left. */
    for (size_t at = 0; at < j->n; count++) {
        size_t length = count == 63 ? j->n - at : 1 + below(j->n / 4 + 1);

        starts[count] = at;
        ends[count] = at + length < j->n ? at + length : j->n;
        at = ends[count];
    }
    for (size_t i = 0; i < used; i++) {
        parts[i] = *empty;
        order[i] = i;
    }
    /* Chunks in a random order (Fisher-Yates), each to a random part. */
    for (size_t i = count; i > 1; i--) {
        size_t other = below(i);
        size_t s = starts[i - 1];
        size_t e = ends[i - 1];

        starts[i - 1] = starts[other];
        ends[i - 1] = ends[other];
        starts[other] = s;
        ends[other] = e;
    }
    for (size_t c = 0; c < count; c++) {
        add_chunk(&parts[below(used)], j, starts[c], ends[c] - starts[c]);
    }
    for (size_t i = used - 1; i > 0; i--) {
        size_t other = below(i + 1);
        size_t swap = order[i];

        order[i] = order[other];
        order[other] = swap;
    }
    *acc = parts[order[0]];
    for (size_t i = 1; i < used; i++) {
        if (below(2) == 0) {
            round_trip(&parts[order[i]]);
        }
        check_status(singdiv_accumulator_merge(acc, &parts[order[i]], NULL), SINGDIV_OK);
    }
}

/* The largest distance seen between merged and single-call values, in ulp. */
static uint64_t worst_value_ulp;

static void
check_same_report(const singdiv_report *merged, const singdiv_report *single)
{
    uint64_t d = check_ulp_distance(merged->finite_part, single->finite_part);

    if (d != UINT64_MAX && d > worst_value_ulp) {
        worst_value_ulp = d;
    }
    if (isinf(single->value)) {
        check_identical(merged->value, single->value);
    } else {
        check_ulp(merged->value, single->value, VALUE_MAX_ULP);
    }
    check_ulp(merged->finite_part, single->finite_part, VALUE_MAX_ULP);
    check_ulp(merged->violating_mass, single->violating_mass, MASS_MAX_ULP);
    check_ulp(merged->reverse_mass, single->reverse_mass, MASS_MAX_ULP);
    check_size(merged->violating_count, single->violating_count);
    check_size(merged->reverse_count, single->reverse_count);
}

static void
probability_kinds_match_single_call(void **state)
{
    enum { N = 400, ROUNDS = 30 };
    double p[N];
    double q[N];
    singdiv_accumulator empty;
    singdiv_accumulator acc;
    singdiv_report merged;
    singdiv_report single;

    (void)state;
    rng_state = SEED;
    print_message("seed %u\n", SEED);
    for (int round = 0; round < ROUNDS; round++) {
        size_t n = 1 + below(N);
        double zeros = round % 3 == 0 ? 0.0 : 0.3;
        job j = { 0, p, q, n };

        random_distribution(p, n, zeros);
        random_distribution(q, n, zeros);

        check_status(singdiv_accumulator_init(&empty, SINGDIV_ACCUMULATE_CROSS_ENTROPY, NULL, NULL),
                     SINGDIV_OK);
        accumulate(&empty, &j, &acc);
        check_status(singdiv_accumulator_finalize(&acc, &merged), SINGDIV_OK);
        check_status(singdiv_cross_entropy(p, q, n, NULL, &single), SINGDIV_OK);
        check_same_report(&merged, &single);

        check_status(singdiv_accumulator_init(&empty, SINGDIV_ACCUMULATE_KL, NULL, NULL), SINGDIV_OK);
        accumulate(&empty, &j, &acc);
        check_status(singdiv_accumulator_finalize(&acc, &merged), SINGDIV_OK);
        check_status(singdiv_kl(p, q, n, NULL, &single), SINGDIV_OK);
        check_same_report(&merged, &single);

        j.second = NULL;
        check_status(singdiv_accumulator_init(&empty, SINGDIV_ACCUMULATE_ENTROPY, NULL, NULL),
                     SINGDIV_OK);
        accumulate(&empty, &j, &acc);
        check_status(singdiv_accumulator_finalize(&acc, &merged), SINGDIV_OK);
        check_status(singdiv_entropy(p, n, NULL, &single), SINGDIV_OK);
        check_same_report(&merged, &single);
    }
}

/* Counts (normalize on) with a dominant entry: the held entry keeps CE's digits. */
static void
counts_with_dominant_entry(void **state)
{
    enum { N = 200 };
    double p[N];
    double q[N];
    singdiv_options opt;
    singdiv_accumulator empty;
    singdiv_accumulator acc;
    singdiv_report merged;
    singdiv_report single;
    job j = { 0, p, q, N };

    (void)state;
    rng_state = SEED + 1;
    for (size_t i = 0; i < N; i++) {
        p[i] = floor(1000.0 * uniform());
        q[i] = 1e-9 * uniform();
    }
    p[77] = 3e6;
    q[77] = 3.0;
    singdiv_options_init(&opt);
    opt.normalize = 1;
    for (int kind = SINGDIV_ACCUMULATE_ENTROPY; kind <= SINGDIV_ACCUMULATE_CROSS_ENTROPY; kind++) {
        check_status(singdiv_accumulator_init(&empty, (singdiv_accumulator_kind)kind, &opt, NULL),
                     SINGDIV_OK);
        j.second = kind == SINGDIV_ACCUMULATE_ENTROPY ? NULL : q;
        accumulate(&empty, &j, &acc);
        check_status(singdiv_accumulator_finalize(&acc, &merged), SINGDIV_OK);
        if (kind == SINGDIV_ACCUMULATE_ENTROPY) {
            check_status(singdiv_entropy(p, N, &opt, &single), SINGDIV_OK);
        } else {
            check_status(singdiv_cross_entropy(p, q, N, &opt, &single), SINGDIV_OK);
        }
        check_same_report(&merged, &single);
    }
}

/* KL of near-identical probability vectors: P = Q, so the sum keeps its digits. */
static void
kl_near_identical_keeps_digits(void **state)
{
    enum { N = 300 };
    double p[N];
    double q[N];
    singdiv_accumulator empty;
    singdiv_accumulator acc;
    singdiv_report merged;
    singdiv_report single;
    job j = { 0, p, q, N };

    (void)state;
    rng_state = SEED + 2;
    random_distribution(q, N, 0.0);
    for (size_t i = 0; i < N; i++) {
        p[i] = q[i] * (1.0 + 1e-9 * (uniform() - 0.5));
    }
    normalise(p, N);
    check_status(singdiv_accumulator_init(&empty, SINGDIV_ACCUMULATE_KL, NULL, NULL), SINGDIV_OK);
    accumulate(&empty, &j, &acc);
    check_status(singdiv_accumulator_finalize(&acc, &merged), SINGDIV_OK);
    check_status(singdiv_kl(p, q, N, NULL, &single), SINGDIV_OK);
    assert_true(single.value < 1e-17);
    check_rel(merged.value, single.value, 1e-12);
}

static void
fill_logits(double *logits, size_t n, int round)
{
    for (size_t i = 0; i < n; i++) {
        logits[i] = 8.0 * (uniform() - 0.5);
        if (round % 4 == 1 && uniform() < 0.2) {
            logits[i] = -HUGE_VAL;
        }
        if (round % 4 == 2) {
            logits[i] *= 1e299;
        }
    }
    logits[below(n)] = round % 4 == 2 ? 1e300 : 3.0;
}

static void
logits_kinds_match_single_call(void **state)
{
    enum { N = 500, ROUNDS = 24 };
    static const double temperatures[4] = { 1.0, 0.37, 1e300, 5.0 };
    double p[N];
    double logits[N];
    singdiv_accumulator empty;
    singdiv_accumulator acc;
    singdiv_report merged;
    singdiv_report single;
    double lse_merged;
    double lse_single;

    (void)state;
    rng_state = SEED + 3;
    for (int round = 0; round < ROUNDS; round++) {
        size_t n = 1 + below(N);
        double t = temperatures[round % 4];
        size_t target = below(n);
        job j = { 1, p, logits, n };

        fill_logits(logits, n, round);
        random_distribution(p, n, round % 2 == 0 ? 0.0 : 0.4);

        check_status(singdiv_accumulator_init_logits(&empty, SINGDIV_ACCUMULATE_LOGITS_CROSS_ENTROPY,
                                                     0, t, NULL, NULL),
                     SINGDIV_OK);
        accumulate(&empty, &j, &acc);
        check_status(singdiv_accumulator_finalize(&acc, &merged), SINGDIV_OK);
        check_status(singdiv_logits_cross_entropy(p, logits, n, t, NULL, &single), SINGDIV_OK);
        check_same_report(&merged, &single);
        check_status(singdiv_accumulator_logsumexp(&acc, &lse_merged, NULL), SINGDIV_OK);
        check_status(singdiv_logsumexp(logits, n, t, &lse_single, NULL), SINGDIV_OK);
        check_ulp(lse_merged, lse_single, VALUE_MAX_ULP);

        j.p = NULL;
        check_status(singdiv_accumulator_init_logits(&empty,
                                                     SINGDIV_ACCUMULATE_LOGITS_CROSS_ENTROPY_INDEX,
                                                     target, t, NULL, NULL),
                     SINGDIV_OK);
        accumulate(&empty, &j, &acc);
        check_status(singdiv_accumulator_finalize(&acc, &merged), SINGDIV_OK);
        check_status(singdiv_logits_cross_entropy_index(target, logits, n, t, NULL, &single),
                     SINGDIV_OK);
        check_same_report(&merged, &single);

        check_status(singdiv_accumulator_init_logits(&empty, SINGDIV_ACCUMULATE_LOGSUMEXP, 0, t,
                                                     NULL, NULL),
                     SINGDIV_OK);
        accumulate(&empty, &j, &acc);
        check_status(singdiv_accumulator_logsumexp(&acc, &lse_merged, NULL), SINGDIV_OK);
        check_ulp(lse_merged, lse_single, VALUE_MAX_ULP);
    }
}

/* The merge is commutative in value: the held entry and maxima do not depend on order. */
static void
print_worst_error(void **state)
{
    (void)state;
    print_message("worst merged-against-single error: %llu ulp\n",
                  (unsigned long long)worst_value_ulp);
}

static void
merge_order_gives_same_counts(void **state)
{
    static const double p[6] = { 0.1, 0.0, 0.3, 0.2, 0.0, 0.4 };
    static const double q[6] = { 0.0, 0.25, 0.25, 0.25, 0.25, 0.0 };
    singdiv_accumulator a;
    singdiv_accumulator b;
    singdiv_accumulator ab;
    singdiv_accumulator ba;
    singdiv_report r_ab;
    singdiv_report r_ba;

    (void)state;
    check_status(singdiv_accumulator_init(&a, SINGDIV_ACCUMULATE_CROSS_ENTROPY, NULL, NULL),
                 SINGDIV_OK);
    b = a;
    check_status(singdiv_accumulator_add(&a, p, q, 3, 0, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_add(&b, p + 3, q + 3, 3, 3, NULL), SINGDIV_OK);
    ab = a;
    ba = b;
    check_status(singdiv_accumulator_merge(&ab, &b, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_merge(&ba, &a, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_finalize(&ab, &r_ab), SINGDIV_OK);
    check_status(singdiv_accumulator_finalize(&ba, &r_ba), SINGDIV_OK);
    check_identical(r_ab.value, HUGE_VAL);
    /* V = {0, 5}: m_V = 0.5; F = {1, 4}: q(F) = 0.5. */
    check_identical(r_ab.violating_mass, 0.5);
    check_identical(r_ba.violating_mass, 0.5);
    check_identical(r_ab.reverse_mass, 0.5);
    check_size(r_ab.violating_count, 2);
    check_size(r_ba.reverse_count, 2);
    /* Finite part: -(0.3 log 0.25 + 0.2 log 0.25) / 1 = 0.5 log 4. */
    check_ulp(r_ab.finite_part, 0.5 * log(4.0), 2.0);
    check_ulp(r_ba.finite_part, r_ab.finite_part, 1.0);
}

/* Byte 0 is the version, byte 1 the kind, entries little-endian at byte 40. */
static void
serialised_layout_is_fixed(void **state)
{
    static const double p[3] = { 0.25, 0.25, 0.5 };
    unsigned char bytes[SINGDIV_ACCUMULATOR_STATE_SIZE + 8];
    unsigned char again[SINGDIV_ACCUMULATOR_STATE_SIZE];
    singdiv_accumulator acc;
    singdiv_accumulator copy;
    double base;
    uint64_t bits = 0;

    (void)state;
    check_status(singdiv_accumulator_init(&acc, SINGDIV_ACCUMULATE_ENTROPY, NULL, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_add(&acc, p, NULL, 3, 258, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_serialize(&acc, bytes, sizeof bytes, NULL), SINGDIV_OK);
    assert_int_equal(SINGDIV_ACCUMULATOR_STATE_SIZE, 240);
    assert_int_equal(bytes[0], SINGDIV_ACCUMULATOR_VERSION);
    assert_int_equal(bytes[1], SINGDIV_ACCUMULATE_ENTROPY);
    assert_int_equal(bytes[40], 3);
    assert_int_equal(bytes[41], 0);
    /* end = 261 = 0x105 */
    assert_int_equal(bytes[48], 0x05);
    assert_int_equal(bytes[49], 0x01);
    /* sum_tolerance 1e-6 as little-endian IEEE bits */
    for (int i = 7; i >= 0; i--) {
        bits = (bits << 8) | bytes[16 + i];
    }
    memcpy(&base, &bits, sizeof base);
    check_identical(base, 1e-6);

    check_status(singdiv_accumulator_deserialize(&copy, bytes, SINGDIV_ACCUMULATOR_STATE_SIZE, NULL),
                 SINGDIV_OK);
    check_status(singdiv_accumulator_serialize(&copy, again, sizeof again, NULL), SINGDIV_OK);
    assert_memory_equal(bytes, again, SINGDIV_ACCUMULATOR_STATE_SIZE);
}

/* Flips one field and expects SINGDIV_ERR_DOMAIN naming its byte offset. */
static void
expect_corrupt(const unsigned char *good, size_t at, unsigned char value, size_t expected_at)
{
    unsigned char bytes[SINGDIV_ACCUMULATOR_STATE_SIZE];
    singdiv_accumulator acc;
    singdiv_accumulator before;
    singdiv_error err;

    memcpy(bytes, good, sizeof bytes);
    bytes[at] = value;
    memset(&acc, 0x5a, sizeof acc);
    memcpy(&before, &acc, sizeof acc);
    check_status(singdiv_accumulator_deserialize(&acc, bytes, sizeof bytes, &err),
                 SINGDIV_ERR_DOMAIN);
    check_size(err.index, expected_at);
    assert_memory_equal(&acc, &before, sizeof acc);
}

static void
corrupt_states_are_rejected(void **state)
{
    static const double logits[3] = { 0.5, 1.0, -2.0 };
    unsigned char good[SINGDIV_ACCUMULATOR_STATE_SIZE];
    singdiv_accumulator acc;
    singdiv_error err;

    (void)state;
    check_status(singdiv_accumulator_init_logits(&acc, SINGDIV_ACCUMULATE_LOGITS_CROSS_ENTROPY_INDEX,
                                                 1, 2.0, NULL, NULL),
                 SINGDIV_OK);
    check_status(singdiv_accumulator_add_logits(&acc, NULL, logits, 3, 0, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_serialize(&acc, good, sizeof good, NULL), SINGDIV_OK);

    expect_corrupt(good, 0, 2, 0);     /* unknown version */
    expect_corrupt(good, 1, 9, 1);     /* unknown kind */
    expect_corrupt(good, 2, 7, 2);     /* normalize flag not 0 or 1 */
    expect_corrupt(good, 5, 1, 5);     /* reserved byte */
    expect_corrupt(good, 31, 0xff, 24); /* temperature NaN (sign and exponent bits set) */
    expect_corrupt(good, 63, 0x7f, 56); /* violating count above the entries */
    expect_corrupt(good, 167, 0xff, 160); /* the sum of exp(s_i), slot 3, becomes NaN */
    expect_corrupt(good, 214, 0x01, 208); /* the exponent k of the p sums, -2, becomes -2.125 */
    expect_corrupt(good, 223, 0x3f, 216); /* k with a non-zero low part */

    check_status(singdiv_accumulator_deserialize(&acc, good, sizeof good - 1, &err),
                 SINGDIV_ERR_WORKSPACE);
    check_status(singdiv_accumulator_deserialize(&acc, good, sizeof good + 1, &err),
                 SINGDIV_ERR_WORKSPACE);
    check_status(singdiv_accumulator_serialize(&acc, good, sizeof good - 1, &err),
                 SINGDIV_ERR_WORKSPACE);
    check_status(singdiv_accumulator_deserialize(NULL, good, sizeof good, &err), SINGDIV_ERR_NULL);
    check_status(singdiv_accumulator_serialize(&acc, NULL, sizeof good, &err), SINGDIV_ERR_NULL);
}

/* Stores value at byte offset at, little-endian as serialised, and expects SINGDIV_ERR_DOMAIN there. */
static void
expect_corrupt_double(const unsigned char *good, size_t at, double value, size_t expected_at)
{
    unsigned char bytes[SINGDIV_ACCUMULATOR_STATE_SIZE];
    singdiv_accumulator acc;
    singdiv_error err;
    uint64_t bits;

    memcpy(bytes, good, sizeof bytes);
    memcpy(&bits, &value, sizeof bits);
    for (size_t i = 0; i < 8; i++) {
        bytes[at + i] = (unsigned char)(bits >> (8 * i));
    }
    check_status(singdiv_accumulator_deserialize(&acc, bytes, sizeof bytes, &err),
                 SINGDIV_ERR_DOMAIN);
    check_size(err.index, expected_at);
}

/*
 * States that serialisation never writes, which would make the
 * finalisation divide by 0 or scale by a wrong power of two. They are a
 * held entry in a kind without one, a held q of 0, an entropy held p that
 * differs from its held q, and a sum exponent (bytes 104 to 111) that is
 * not an integer.
 */
static void
inconsistent_states_are_rejected(void **state)
{
    static const double p[3] = { 0.25, 0.5, 0.25 };
    unsigned char ce[SINGDIV_ACCUMULATOR_STATE_SIZE];
    unsigned char entropy[SINGDIV_ACCUMULATOR_STATE_SIZE];
    unsigned char kl[SINGDIV_ACCUMULATOR_STATE_SIZE];
    singdiv_accumulator acc;

    (void)state;
    check_status(singdiv_accumulator_init(&acc, SINGDIV_ACCUMULATE_CROSS_ENTROPY, NULL, NULL),
                 SINGDIV_OK);
    check_status(singdiv_accumulator_add(&acc, p, p, 3, 0, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_serialize(&acc, ce, sizeof ce, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_init(&acc, SINGDIV_ACCUMULATE_ENTROPY, NULL, NULL),
                 SINGDIV_OK);
    check_status(singdiv_accumulator_add(&acc, p, NULL, 3, 0, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_serialize(&acc, entropy, sizeof entropy, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_init(&acc, SINGDIV_ACCUMULATE_KL, NULL, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_add(&acc, p, p, 3, 0, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_serialize(&acc, kl, sizeof kl, NULL), SINGDIV_OK);

    expect_corrupt(kl, 3, 1, 3);                  /* a held entry in a KL state */
    expect_corrupt_double(ce, 96, 0.0, 96);       /* held q = 0 */
    expect_corrupt_double(entropy, 88, 0.25, 88); /* held p 1/4, held q 1/2 */
    expect_corrupt_double(ce, 104, 0.5, 104);     /* sum exponent 1/2 */
    expect_corrupt_double(kl, 104, 1e6, 104);     /* sum exponent far outside the range */
}

static void
statuses_of_init_add_merge(void **state)
{
    static const double p[3] = { 0.2, 0.3, 0.5 };
    double bad[3] = { 0.2, (double)NAN, 0.5 };
    singdiv_options opt;
    singdiv_accumulator acc;
    singdiv_accumulator other;
    singdiv_accumulator before;
    singdiv_error err;

    (void)state;
    singdiv_options_init(&opt);
    check_status(singdiv_accumulator_init(NULL, SINGDIV_ACCUMULATE_KL, NULL, &err), SINGDIV_ERR_NULL);
    check_status(singdiv_accumulator_init(&acc, SINGDIV_ACCUMULATE_LOGSUMEXP, NULL, &err),
                 SINGDIV_ERR_DOMAIN);
    opt.sum_tolerance = -1.0;
    check_status(singdiv_accumulator_init(&acc, SINGDIV_ACCUMULATE_KL, &opt, &err),
                 SINGDIV_ERR_DOMAIN);
    check_status(singdiv_accumulator_init_logits(&acc, SINGDIV_ACCUMULATE_KL, 0, 1.0, NULL, &err),
                 SINGDIV_ERR_DOMAIN);
    check_status(singdiv_accumulator_init_logits(&acc, SINGDIV_ACCUMULATE_LOGSUMEXP, 0, 0.0, NULL,
                                                 &err),
                 SINGDIV_ERR_DOMAIN);
    assert_string_equal(err.argument, "temperature");

    check_status(singdiv_accumulator_init(&acc, SINGDIV_ACCUMULATE_KL, NULL, &err), SINGDIV_OK);
    memcpy(&before, &acc, sizeof acc); /* with the padding, for assert_memory_equal */
    check_status(singdiv_accumulator_add(&acc, NULL, p, 3, 0, &err), SINGDIV_ERR_NULL);
    check_status(singdiv_accumulator_add(&acc, p, bad, 3, 10, &err), SINGDIV_ERR_NAN);
    assert_string_equal(err.argument, "q");
    check_size(err.index, 11);
    bad[1] = -0.5;
    check_status(singdiv_accumulator_add(&acc, bad, p, 3, 0, &err), SINGDIV_ERR_NEGATIVE);
    bad[1] = HUGE_VAL;
    check_status(singdiv_accumulator_add(&acc, bad, p, 3, 0, &err), SINGDIV_ERR_INFINITE);
    check_status(singdiv_accumulator_add(&acc, p, p, 3, SIZE_MAX - 1, &err),
                 SINGDIV_ERR_SIZE_OVERFLOW);
    check_status(singdiv_accumulator_add_logits(&acc, p, p, 3, 0, &err), SINGDIV_ERR_DOMAIN);
    assert_memory_equal(&acc, &before, sizeof acc);

    check_status(singdiv_accumulator_init(&other, SINGDIV_ACCUMULATE_CROSS_ENTROPY, NULL, &err),
                 SINGDIV_OK);
    check_status(singdiv_accumulator_merge(&acc, &other, &err), SINGDIV_ERR_DOMAIN);
    assert_string_equal(err.argument, "other");
    check_status(singdiv_accumulator_merge(&acc, NULL, &err), SINGDIV_ERR_NULL);
    other = acc;
    other.entries = SIZE_MAX;
    acc.entries = 2;
    check_status(singdiv_accumulator_merge(&acc, &other, &err), SINGDIV_ERR_SIZE_OVERFLOW);

    check_status(singdiv_accumulator_init_logits(&acc, SINGDIV_ACCUMULATE_LOGSUMEXP, 0, 1.0, NULL,
                                                 &err),
                 SINGDIV_OK);
    check_status(singdiv_accumulator_add(&acc, p, p, 3, 0, &err), SINGDIV_ERR_DOMAIN);
    bad[1] = HUGE_VAL;
    check_status(singdiv_accumulator_add_logits(&acc, NULL, bad, 3, 4, &err), SINGDIV_ERR_INFINITE);
    check_size(err.index, 5);
    check_status(singdiv_accumulator_add_logits(&acc, NULL, NULL, 3, 0, &err), SINGDIV_ERR_NULL);
}

static void
statuses_of_finalize(void **state)
{
    static const double p[4] = { 0.2, 0.3, 0.5, 0.0 };
    static const double half[2] = { 0.25, 0.25 };
    static const double zero[2] = { 0.0, 0.0 };
    static const double big[1] = { 1.5e308 };
    static const double neg_inf[2] = { -HUGE_VAL, -HUGE_VAL };
    singdiv_options opt;
    singdiv_accumulator acc;
    singdiv_report r;
    singdiv_error err;
    double lse;

    (void)state;
    check_status(singdiv_accumulator_init(&acc, SINGDIV_ACCUMULATE_CROSS_ENTROPY, NULL, NULL),
                 SINGDIV_OK);
    check_status(singdiv_accumulator_finalize(&acc, NULL), SINGDIV_ERR_NULL);
    check_status(singdiv_accumulator_finalize(NULL, &r), SINGDIV_ERR_NULL);
    check_status(singdiv_accumulator_finalize(&acc, &r), SINGDIV_ERR_EMPTY);
    check_status(singdiv_accumulator_add(&acc, p, p, 2, 0, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_add(&acc, p + 2, p + 2, 2, 3, NULL), SINGDIV_OK);
    /* Entries 0, 1, 3, 4: entry 2 is missing. */
    check_status(singdiv_accumulator_finalize(&acc, &r), SINGDIV_ERR_INDEX);
    assert_true(isnan(r.value));

    check_status(singdiv_accumulator_init(&acc, SINGDIV_ACCUMULATE_KL, NULL, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_add(&acc, half, half, 2, 0, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_finalize(&acc, &r), SINGDIV_ERR_NOT_NORMALIZED);
    check_identical(r.error.value, 0.5);
    singdiv_options_init(&opt);
    opt.normalize = 1;
    check_status(singdiv_accumulator_init(&acc, SINGDIV_ACCUMULATE_KL, &opt, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_add(&acc, p, zero, 2, 0, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_finalize(&acc, &r), SINGDIV_ERR_ZERO_MASS);
    assert_string_equal(r.error.argument, "q");

    check_status(singdiv_accumulator_init(&acc, SINGDIV_ACCUMULATE_ENTROPY, &opt, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_add(&acc, big, NULL, 1, 0, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_add(&acc, big, NULL, 1, 1, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_finalize(&acc, &r), SINGDIV_ERR_INFINITE);

    check_status(singdiv_accumulator_init_logits(&acc, SINGDIV_ACCUMULATE_LOGITS_CROSS_ENTROPY_INDEX,
                                                 5, 1.0, NULL, NULL),
                 SINGDIV_OK);
    check_status(singdiv_accumulator_add_logits(&acc, NULL, half, 2, 0, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_finalize(&acc, &r), SINGDIV_ERR_INDEX);
    assert_string_equal(r.error.argument, "target");

    check_status(singdiv_accumulator_init_logits(&acc, SINGDIV_ACCUMULATE_LOGSUMEXP, 0, 1.0, NULL,
                                                 NULL),
                 SINGDIV_OK);
    check_status(singdiv_accumulator_add_logits(&acc, NULL, neg_inf, 2, 0, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_logsumexp(&acc, &lse, &err), SINGDIV_ERR_ZERO_MASS);
    check_status(singdiv_accumulator_finalize(&acc, &r), SINGDIV_ERR_DOMAIN);
    check_status(singdiv_accumulator_logsumexp(&acc, NULL, &err), SINGDIV_ERR_NULL);
    check_status(singdiv_accumulator_init(&acc, SINGDIV_ACCUMULATE_KL, NULL, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_logsumexp(&acc, &lse, &err), SINGDIV_ERR_DOMAIN);
}

/*
 * p = (DBL_MAX, 0), q = (8, 16): the exact cross-entropy of the normalised
 * pair is log 3. The accumulated p_i e_i with q_0 = 0.5 * 2^4 would be
 * 4 DBL_MAX (it gave NaN, then SINGDIV_ERR_INFINITE), but the p sums are
 * kept scaled near 1, so the value is finite and survives serialisation.
 * A q sum that overflows, 2 DBL_MAX beside the held q, is still reported as
 * SINGDIV_ERR_INFINITE, also after a round trip.
 */
static void
overflowing_sum_is_infinite(void **state)
{
    static const double p[2] = { DBL_MAX, 0.0 };
    static const double q[2] = { 8.0, 16.0 };
    static const double ones[3] = { 1.0, 1.0, 1.0 };
    static const double huge[3] = { DBL_MAX, DBL_MAX, DBL_MAX };
    unsigned char bytes[SINGDIV_ACCUMULATOR_STATE_SIZE];
    singdiv_options opt;
    singdiv_accumulator acc;
    singdiv_accumulator copy;
    singdiv_report r;

    (void)state;
    singdiv_options_init(&opt);
    opt.normalize = 1;
    check_status(singdiv_accumulator_init(&acc, SINGDIV_ACCUMULATE_CROSS_ENTROPY, &opt, NULL),
                 SINGDIV_OK);
    check_status(singdiv_accumulator_add(&acc, p, q, 2, 0, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_finalize(&acc, &r), SINGDIV_OK);
    check_ulp(r.value, log(3.0), 16.0);
    check_status(singdiv_accumulator_serialize(&acc, bytes, sizeof bytes, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_deserialize(&copy, bytes, sizeof bytes, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_finalize(&copy, &r), SINGDIV_OK);
    check_ulp(r.value, log(3.0), 16.0);

    check_status(singdiv_accumulator_init(&acc, SINGDIV_ACCUMULATE_CROSS_ENTROPY, &opt, NULL),
                 SINGDIV_OK);
    /* One entry per chunk: a chunk whose own sum overflows is rejected when added. */
    for (size_t i = 0; i < 3; i++) {
        check_status(singdiv_accumulator_add(&acc, ones + i, huge + i, 1, i, NULL), SINGDIV_OK);
    }
    check_status(singdiv_accumulator_finalize(&acc, &r), SINGDIV_ERR_INFINITE);
    assert_string_equal(r.error.argument, "q");
    check_status(singdiv_accumulator_serialize(&acc, bytes, sizeof bytes, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_deserialize(&copy, bytes, sizeof bytes, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_finalize(&copy, &r), SINGDIV_ERR_INFINITE);
}

/*
 * The p sums keep their digits at the ends of the range. With the only
 * positive p subnormal, p / P = (1, 0, 0, 0) and CE = -log(q_0 / Q) =
 * log(267 / 80) (it differed from that in the second digit, because the
 * products p_i log m_i were subnormal). A subnormal p beside DBL_MAX, and
 * a tiny chunk merged with a huge one, give p / P = (0, ..., 1) up to a
 * relative 2^-2000, so CE = -log(q_3 / Q) = log 4 and log 2. KL of
 * p = (2^-1022, 0, 0) against q = (2^-1022, 2^-1022, 2^-1022) is log 3 (it
 * gave 0: the product P_c Q_F of two tiny sums underflowed).
 */
static void
extreme_p_scales_match_closed_form(void **state)
{
    static const double tiny_p[4] = { 0x1.9cp-1067, 0.0, 0.0, 0.0 };
    static const double counts[4] = { 80.0, 41.0, 49.0, 97.0 };
    static const double mixed_p[4] = { 0x1.9cp-1067, 0.0, 0.0, DBL_MAX };
    static const double uniform[4] = { 0.25, 0.25, 0.25, 0.25 };
    static const double split_p[2] = { 0x1p-1070, 0x1p1000 };
    static const double split_q[2] = { 1.0, 1.0 };
    static const double min_p[3] = { DBL_MIN, 0.0, 0.0 };
    static const double min_q[3] = { DBL_MIN, DBL_MIN, DBL_MIN };
    singdiv_options opt;
    singdiv_accumulator acc;
    singdiv_accumulator other;
    singdiv_report r;

    (void)state;
    singdiv_options_init(&opt);
    opt.normalize = 1;
    check_status(singdiv_accumulator_init(&acc, SINGDIV_ACCUMULATE_CROSS_ENTROPY, &opt, NULL),
                 SINGDIV_OK);
    check_status(singdiv_accumulator_add(&acc, tiny_p, counts, 4, 0, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_finalize(&acc, &r), SINGDIV_OK);
    check_ulp(r.value, log(267.0 / 80.0), 16.0);

    check_status(singdiv_accumulator_init(&acc, SINGDIV_ACCUMULATE_CROSS_ENTROPY, &opt, NULL),
                 SINGDIV_OK);
    check_status(singdiv_accumulator_add(&acc, mixed_p, uniform, 4, 0, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_finalize(&acc, &r), SINGDIV_OK);
    check_ulp(r.value, log(4.0), 16.0);

    check_status(singdiv_accumulator_init(&acc, SINGDIV_ACCUMULATE_CROSS_ENTROPY, &opt, NULL),
                 SINGDIV_OK);
    other = acc;
    check_status(singdiv_accumulator_add(&acc, split_p, split_q, 1, 0, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_add(&other, split_p + 1, split_q + 1, 1, 1, NULL),
                 SINGDIV_OK);
    check_status(singdiv_accumulator_merge(&acc, &other, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_finalize(&acc, &r), SINGDIV_OK);
    check_ulp(r.value, log(2.0), 16.0);

    check_status(singdiv_accumulator_init(&acc, SINGDIV_ACCUMULATE_KL, &opt, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_add(&acc, min_p, min_q, 3, 0, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_finalize(&acc, &r), SINGDIV_OK);
    check_ulp(r.value, log(3.0), 16.0);
}

/*
 * Logits (0, -1/2) at T = DBL_MIN = 2^-1022 give s = (0, -2^1021), so
 * softmax = (1, exp(-2^1021)) = (1, 0) and, with p = (16, 48) in two
 * chunks merged, p / P = (1/4, 3/4) and
 *   CE = sum (p_i / P) (log sum_j exp(s_j) - s_i) = (3/4) 2^1021
 *      = 3 * 2^1019 = 0x1.8p+1020.
 * The raw sum of -p_i s_i, 48 * 2^1021, is above DBL_MAX: it gave +inf.
 */
static void
logits_gap_at_tiny_temperature_is_finite(void **state)
{
    static const double p[2] = { 16.0, 48.0 };
    static const double logits[2] = { 0.0, -0.5 };
    singdiv_options opt;
    singdiv_accumulator acc;
    singdiv_accumulator other;
    singdiv_report r;

    (void)state;
    singdiv_options_init(&opt);
    opt.normalize = 1;
    check_status(singdiv_accumulator_init_logits(&acc, SINGDIV_ACCUMULATE_LOGITS_CROSS_ENTROPY, 0,
                                                 DBL_MIN, &opt, NULL),
                 SINGDIV_OK);
    other = acc;
    check_status(singdiv_accumulator_add_logits(&acc, p, logits, 1, 0, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_add_logits(&other, p + 1, logits + 1, 1, 1, NULL),
                 SINGDIV_OK);
    check_status(singdiv_accumulator_merge(&acc, &other, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_finalize(&acc, &r), SINGDIV_OK);
    check_ulp(r.value, 0x1.8p+1020, VALUE_MAX_ULP);
}

/* A case of tests/data/logits_overflow_reference.txt (format in its generator). */
typedef struct overflow_case {
    char name[64];
    double temperature;
    size_t k;
    double p[32];
    double logits[32];
    double ce; /* the exact cross-entropy rounded to double, inf above DBL_MAX */
} overflow_case;

/* Reads one case, or returns 0 at the end of the file. */
static int
read_overflow_case(FILE *f, overflow_case *c)
{
    char kind[16];

    if (fscanf(f, "%63s %15s", c->name, kind) != 2) {
        return 0;
    }
    assert_string_equal(kind, "dist");
    c->temperature = check_read_double(f);
    assert_int_equal(fscanf(f, "%zu", &c->k), 1);
    assert_true(c->k <= 32);
    for (size_t i = 0; i < c->k; i++) {
        c->p[i] = check_read_double(f);
    }
    for (size_t i = 0; i < c->k; i++) {
        c->logits[i] = check_read_double(f);
    }
    c->ce = check_read_double(f);
    for (int j = 1; j < 7; j++) {
        (void)check_read_double(f); /* CE_finite, KL, KL_finite, LSE, m_V, q(F) */
    }
    return 1;
}

/*
 * Adds the entries of c to copies of *empty in the way `order` selects,
 * merges the copies and returns the finalised value. The orders:
 * - 0: one chunk;
 * - 1 and 2: a chunk per entry, first to last and last to first;
 * - 3 and 4: an accumulator per entry, each through its serialised bytes,
 *   merged first to last and last to first;
 * - 5: two halves, the first through its serialised bytes merged into
 *   the second.
 */
static double
accumulate_overflow_case(const singdiv_accumulator *empty, const overflow_case *c, int order)
{
    singdiv_accumulator acc = *empty;
    singdiv_accumulator part;
    singdiv_report r;
    size_t half = c->k / 2;

    if (order == 0) {
        check_status(singdiv_accumulator_add_logits(&acc, c->p, c->logits, c->k, 0, NULL),
                     SINGDIV_OK);
    }
    for (size_t n = 0; n < c->k && order >= 1 && order <= 4; n++) {
        size_t i = order % 2 == 1 ? n : c->k - 1 - n;
        singdiv_accumulator *target = order <= 2 ? &acc : &part;

        part = *empty;
        check_status(singdiv_accumulator_add_logits(target, c->p + i, c->logits + i, 1, i, NULL),
                     SINGDIV_OK);
        if (order >= 3) {
            round_trip(&part);
            check_status(singdiv_accumulator_merge(&acc, &part, NULL), SINGDIV_OK);
        }
    }
    if (order == 5) {
        part = *empty;
        check_status(singdiv_accumulator_add_logits(&part, c->p, c->logits, half, 0, NULL),
                     SINGDIV_OK);
        check_status(singdiv_accumulator_add_logits(&acc, c->p + half, c->logits + half,
                                                    c->k - half, half, NULL),
                     SINGDIV_OK);
        round_trip(&part);
        check_status(singdiv_accumulator_merge(&acc, &part, NULL), SINGDIV_OK);
    }
    round_trip(&acc);
    check_status(singdiv_accumulator_finalize(&acc, &r), SINGDIV_OK);
    check_size(r.violating_count, 0);
    return r.value;
}

/*
 * Temperatures near DBL_MIN and subnormal where s_i, the shift of a
 * rescaling, or the target-weighted sum of |s_i| reaches DBL_MAX: every
 * order of chunks and merges finalises to the 50-digit reference of
 * tests/gen_logits_overflow_reference.py, finite wherever it is below
 * DBL_MAX and +inf above.
 */
static void
logits_overflow_references_in_any_order(void **state)
{
    FILE *f = fopen(SINGDIV_TEST_DATA "/logits_overflow_reference.txt", "r");
    overflow_case c;
    singdiv_options opt;
    singdiv_accumulator empty;
    uint64_t worst = 0;
    size_t cases = 0;
    int ch;

    (void)state;
    assert_non_null(f);
    while ((ch = fgetc(f)) != '\n' && ch != EOF) {
        /* the header line */
    }
    singdiv_options_init(&opt);
    opt.normalize = 1;
    while (read_overflow_case(f, &c)) {
        print_message("case %s\n", c.name);
        check_status(singdiv_accumulator_init_logits(&empty,
                                                     SINGDIV_ACCUMULATE_LOGITS_CROSS_ENTROPY, 0,
                                                     c.temperature, &opt, NULL),
                     SINGDIV_OK);
        for (int order = 0; order <= 5; order++) {
            double value = accumulate_overflow_case(&empty, &c, order);
            uint64_t d = check_ulp_distance(value, c.ce);

            worst = d != UINT64_MAX && d > worst ? d : worst;
            if (isinf(c.ce)) {
                check_identical(value, c.ce);
            } else {
                check_ulp(value, c.ce, VALUE_MAX_ULP);
            }
        }
        cases++;
    }
    fclose(f);
    assert_true(cases >= 16);
    print_message("worst error near overflow: %llu ulp\n", (unsigned long long)worst);
}

/*
 * A chunk whose own cross-entropy exceeds DBL_MAX: p = (44, 10) on logits
 * (21, 36) at T = 2^-1022, where s_0 = -15 2^1022, gives 44/54 |s_0| =
 * 5.5e308. Its gap sum is then held times 2^g with g < 0, stored in the
 * low part of the scale slot (byte 216), which reads back; a g that is not
 * an integer in [-2400, 0] is rejected there. Merged with (19, 400) on
 * (21, 36), CE = 63/473 |s_0| = 8.97e307, as 63/473 * 15 * 2^1022.
 */
static void
logits_gap_exponent_round_trips(void **state)
{
    static const double p[4] = { 44.0, 10.0, 19.0, 400.0 };
    static const double logits[4] = { 21.0, 36.0, 21.0, 36.0 };
    const double expected = 63.0 / 473.0 * 15.0 * 0x1p1022;
    unsigned char bytes[SINGDIV_ACCUMULATOR_STATE_SIZE];
    singdiv_options opt;
    singdiv_accumulator acc;
    singdiv_accumulator other;
    singdiv_accumulator copy;
    singdiv_report r;

    (void)state;
    singdiv_options_init(&opt);
    opt.normalize = 1;
    check_status(singdiv_accumulator_init_logits(&acc, SINGDIV_ACCUMULATE_LOGITS_CROSS_ENTROPY, 0,
                                                 0x1p-1022, &opt, NULL),
                 SINGDIV_OK);
    other = acc;
    check_status(singdiv_accumulator_add_logits(&acc, p, logits, 2, 0, NULL), SINGDIV_OK);
    assert_true(acc.sums[6][1] < 0.0);
    check_status(singdiv_accumulator_serialize(&acc, bytes, sizeof bytes, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_deserialize(&copy, bytes, sizeof bytes, NULL), SINGDIV_OK);
    assert_memory_equal(&copy.sums, &acc.sums, sizeof acc.sums);

    check_status(singdiv_accumulator_add_logits(&other, p + 2, logits + 2, 2, 2, NULL),
                 SINGDIV_OK);
    check_status(singdiv_accumulator_merge(&copy, &other, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_finalize(&copy, &r), SINGDIV_OK);
    check_ulp(r.value, expected, VALUE_MAX_ULP);

    expect_corrupt_double(bytes, 216, -0.5, 216);
    expect_corrupt_double(bytes, 216, 1.0, 216);
    expect_corrupt_double(bytes, 216, -2401.0, 216);
}

/*
 * The accumulator's value in base 10 where the nats exceed DBL_MAX: the
 * target on logit 100 beside four logits 104 at T = 2^-1022, in two
 * chunks, gives CE = (2^1024 + log 4) / log 10 = 7.8e307, as the single
 * call does; log 4 / log 10 is far below an ulp.
 */
static void
logits_base_10_below_dblmax_is_finite(void **state)
{
    static const double p[6] = { 0.0, 107.0, 0.0, 0.0, 0.0, 0.0 };
    static const double logits[6] = { 104.0, 100.0, 41.0, 104.0, 104.0, 104.0 };
    singdiv_options opt;
    singdiv_accumulator acc;
    singdiv_accumulator other;
    singdiv_report r;

    (void)state;
    singdiv_options_init(&opt);
    opt.normalize = 1;
    opt.base = 10.0;
    check_status(singdiv_accumulator_init_logits(&acc, SINGDIV_ACCUMULATE_LOGITS_CROSS_ENTROPY, 0,
                                                 0x1p-1022, &opt, NULL),
                 SINGDIV_OK);
    other = acc;
    check_status(singdiv_accumulator_add_logits(&acc, p, logits, 3, 0, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_add_logits(&other, p + 3, logits + 3, 3, 3, NULL),
                 SINGDIV_OK);
    check_status(singdiv_accumulator_merge(&acc, &other, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_finalize(&acc, &r), SINGDIV_OK);
    check_ulp(r.value, ldexp(1.0 / log(10.0), 1024), VALUE_MAX_ULP);
}

/*
 * p = (113 2^-1074, 113 2^-1074), both subnormal, with logits (0, -1/10)
 * at T = 1: p / P = (1/2, 1/2), s = (0, -1/10), and
 *   CE = log(1 + exp(-1/10)) + (1/2)(1/10) = log1p(exp(-0.1)) + 0.05.
 * The products p_1 s_1 were subnormal (113 * 0.1 = 11.3 units of 2^-1074
 * rounded to 11), and the value was 1.3e-2 relative off.
 */
static void
logits_subnormal_p_keeps_digits(void **state)
{
    static const double p[2] = { 0x71p-1074, 0x71p-1074 };
    static const double logits[2] = { 0.0, -0.1 };
    singdiv_options opt;
    singdiv_accumulator acc;
    singdiv_report r;

    (void)state;
    singdiv_options_init(&opt);
    opt.normalize = 1;
    check_status(singdiv_accumulator_init_logits(&acc, SINGDIV_ACCUMULATE_LOGITS_CROSS_ENTROPY, 0,
                                                 1.0, &opt, NULL),
                 SINGDIV_OK);
    check_status(singdiv_accumulator_add_logits(&acc, p, logits, 1, 0, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_add_logits(&acc, p + 1, logits + 1, 1, 1, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_finalize(&acc, &r), SINGDIV_OK);
    check_ulp(r.value, log1p(exp(-0.1)) + 0.05, VALUE_MAX_ULP);
}

/*
 * p = (DBL_MAX, 0, 0, 0), q uniform: the normalised cross-entropy is
 * log 4 = 2 ln 2 = 0x1.62e42fefa39efp+0. Entry 0 is the held entry (the
 * largest q, then the smallest index), whose term p_0 log(Q / q_0) =
 * DBL_MAX log 4 overflows unless it is divided by P first; it gave NaN.
 */
static void
huge_held_entry_is_finite(void **state)
{
    static const double p[4] = { DBL_MAX, 0.0, 0.0, 0.0 };
    static const double q[4] = { 1.0, 1.0, 1.0, 1.0 };
    singdiv_options opt;
    singdiv_accumulator acc;
    singdiv_report r;

    (void)state;
    singdiv_options_init(&opt);
    opt.normalize = 1;
    check_status(singdiv_accumulator_init(&acc, SINGDIV_ACCUMULATE_CROSS_ENTROPY, &opt, NULL),
                 SINGDIV_OK);
    check_status(singdiv_accumulator_add(&acc, p, q, 4, 0, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_finalize(&acc, &r), SINGDIV_OK);
    check_ulp(r.value, 0x1.62e42fefa39efp+0, VALUE_MAX_ULP);
}

/*
 * p = 99 and q = 2^-1022 in every entry normalise to the same uniform
 * distribution, so KL = 0 exactly. The finalisation cancels the summed
 * deviances against dev(P, Q), about 712 P, and left -1.5e-13 for two
 * entries (within the documented 4 eps dev(P, Q) / P = 6.3e-13, but < 0).
 */
static void
kl_of_proportional_counts_is_zero(void **state)
{
    static const double p[2] = { 99.0, 99.0 };
    static const double q[2] = { 0x1p-1022, 0x1p-1022 };
    singdiv_options opt;
    singdiv_accumulator acc;
    singdiv_report r;

    (void)state;
    singdiv_options_init(&opt);
    opt.normalize = 1;
    check_status(singdiv_accumulator_init(&acc, SINGDIV_ACCUMULATE_KL, &opt, NULL), SINGDIV_OK);
    for (size_t i = 0; i < 2; i++) {
        check_status(singdiv_accumulator_add(&acc, p + i, q + i, 1, i, NULL), SINGDIV_OK);
    }
    check_status(singdiv_accumulator_finalize(&acc, &r), SINGDIV_OK);
    check_identical(r.value, 0.0);
    check_identical(r.finite_part, 0.0);
}

/*
 * Sum p far below sum q: p = (2^-1074, 3 2^-1074) against q = (1/2, 1/2),
 * so p / P = (1/4, 3/4), q / Q = (1/2, 1/2) and
 *     KL = (1/4) log(1/2) + (3/4) log(3/2) = (3/4) log 3 - log 2.
 * The deviance form cancels terms near Q = 1 down to P KL, about 2^-1076,
 * and gave +inf with no violating set. The log-ratio form is within about
 * 4 eps (S / P + log(Q / P)) = 6.6e-13 of it, 5e-12 relative.
 */
static void
kl_with_tiny_p_beside_q_is_finite(void **state)
{
    static const double p[2] = { 0x1p-1074, 0x1.8p-1073 };
    static const double q[2] = { 0.5, 0.5 };
    double expected = 0.75 * log(3.0) - log(2.0);
    singdiv_options opt;
    singdiv_accumulator first;
    singdiv_accumulator second;
    singdiv_report r;

    (void)state;
    singdiv_options_init(&opt);
    opt.normalize = 1;
    check_status(singdiv_accumulator_init(&first, SINGDIV_ACCUMULATE_KL, &opt, NULL), SINGDIV_OK);
    second = first;
    check_status(singdiv_accumulator_add(&first, p, q, 1, 0, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_add(&second, p + 1, q + 1, 1, 1, NULL), SINGDIV_OK);
    round_trip(&second);
    check_status(singdiv_accumulator_merge(&first, &second, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_finalize(&first, &r), SINGDIV_OK);
    check_size(r.violating_count, 0);
    check_rel(r.value, expected, 1e-11);
    check_rel(r.finite_part, expected, 1e-11);
}

/*
 * A KL state written before the log-ratio sum existed has held_index 0 at
 * byte 80: it reads back and finalises from the deviance sums alone, so
 * the case above stays out of reach, while ordinary inputs keep their
 * value.
 */
static void
kl_state_without_log_ratios_finalises(void **state)
{
    static const double p[3] = { 0.2, 0.3, 0.5 };
    static const double q[3] = { 0.25, 0.25, 0.5 };
    unsigned char bytes[SINGDIV_ACCUMULATOR_STATE_SIZE];
    singdiv_accumulator acc;
    singdiv_accumulator old;
    singdiv_report now;
    singdiv_report before;

    (void)state;
    check_status(singdiv_accumulator_init(&acc, SINGDIV_ACCUMULATE_KL, NULL, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_add(&acc, p, q, 3, 0, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_serialize(&acc, bytes, sizeof bytes, NULL), SINGDIV_OK);
    assert_int_equal(bytes[80], 1);
    bytes[80] = 0;
    memset(bytes + 112 + 16 * 7, 0, 16);
    check_status(singdiv_accumulator_deserialize(&old, bytes, sizeof bytes, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_finalize(&acc, &now), SINGDIV_OK);
    check_status(singdiv_accumulator_finalize(&old, &before), SINGDIV_OK);
    check_ulp(before.value, now.value, 2.0);
    check_status(singdiv_accumulator_merge(&acc, &old, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_serialize(&acc, bytes, sizeof bytes, NULL), SINGDIV_OK);
    assert_int_equal(bytes[80], 0);
}

/* An empty chunk (a rank with no share of the vocabulary) changes nothing. */
static void
empty_chunk_is_accepted(void **state)
{
    static const double logits[2] = { 0.0, 1.0 };
    singdiv_accumulator acc;
    double lse;

    (void)state;
    check_status(singdiv_accumulator_init_logits(&acc, SINGDIV_ACCUMULATE_LOGSUMEXP, 0, 1.0, NULL,
                                                 NULL),
                 SINGDIV_OK);
    check_status(singdiv_accumulator_add_logits(&acc, NULL, NULL, 0, 2, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_add_logits(&acc, NULL, logits, 2, 0, NULL), SINGDIV_OK);
    check_status(singdiv_accumulator_logsumexp(&acc, &lse, NULL), SINGDIV_OK);
    /* log(1 + e) = 1 + log1p(1/e) */
    check_ulp(lse, 1.0 + log1p(exp(-1.0)), 1.0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(probability_kinds_match_single_call),
        cmocka_unit_test(counts_with_dominant_entry),
        cmocka_unit_test(kl_near_identical_keeps_digits),
        cmocka_unit_test(logits_kinds_match_single_call),
        cmocka_unit_test(print_worst_error),
        cmocka_unit_test(merge_order_gives_same_counts),
        cmocka_unit_test(serialised_layout_is_fixed),
        cmocka_unit_test(corrupt_states_are_rejected),
        cmocka_unit_test(inconsistent_states_are_rejected),
        cmocka_unit_test(statuses_of_init_add_merge),
        cmocka_unit_test(statuses_of_finalize),
        cmocka_unit_test(empty_chunk_is_accepted),
        cmocka_unit_test(overflowing_sum_is_infinite),
        cmocka_unit_test(extreme_p_scales_match_closed_form),
        cmocka_unit_test(huge_held_entry_is_finite),
        cmocka_unit_test(logits_gap_at_tiny_temperature_is_finite),
        cmocka_unit_test(logits_overflow_references_in_any_order),
        cmocka_unit_test(logits_gap_exponent_round_trips),
        cmocka_unit_test(logits_base_10_below_dblmax_is_finite),
        cmocka_unit_test(logits_subnormal_p_keeps_digits),
        cmocka_unit_test(kl_of_proportional_counts_is_zero),
        cmocka_unit_test(kl_with_tiny_p_beside_q_is_finite),
        cmocka_unit_test(kl_state_without_log_ratios_finalises),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
