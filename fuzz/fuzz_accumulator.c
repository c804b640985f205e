/*
 * Fuzzes the mergeable accumulators (singdiv/accumulator.h): a vector is
 * cut into fuzzed chunks, added to two accumulators in a fuzzed order and
 * merged; the result must agree with the single call on the whole vector.
 * The serialised state must survive a round trip bit for bit, and
 * arbitrary bytes given to singdiv_accumulator_deserialize() must be
 * rejected or yield a state that finalises without a crash.
 */
#include "fuzz_common.h"

#define MAX_N 48
#define MAX_CHUNKS 6

static const fuzz_arg acc_args[] = {
    {"acc", 0}, {"other", 0}, {"kind", 0}, {"target", 0}, {"temperature", 0},
    {"opt->base", 0}, {"opt->sum_tolerance", 0}, {"bytes", SINGDIV_ACCUMULATOR_STATE_SIZE},
    {"size", 0}, {"out", 0}, {"lse", 0}, {"n", 0}, {"offset", 0},
    {"p", SIZE_MAX}, {"q", SIZE_MAX}, {"logits", SIZE_MAX}};
#define ACC_NARGS (sizeof acc_args / sizeof acc_args[0])

static int
is_logits_kind(int kind)
{
    return kind >= SINGDIV_ACCUMULATE_LOGSUMEXP;
}

static int
valid_logits(const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]) || x[i] == HUGE_VAL) {
            return 0;
        }
    }
    return 1;
}

static int
small_and_valid(const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!(x[i] >= 0.0 && x[i] <= 1e6)) {
            return 0;
        }
    }
    return 1;
}

/*
 * The extra error that singdiv/accumulator.h allows a KL accumulator,
 * 4 eps dev(P, Q) / P with dev(P, Q) = P log(P / Q) - P + Q, in the
 * options' base; 0 for the other kinds.
 */
static double
kl_bound(int kind, const double *p, const double *q, size_t n, const singdiv_options *opt)
{
    double sum_p = 0.0, sum_q = 0.0, dev;

    if (kind != SINGDIV_ACCUMULATE_KL) {
        return 0.0;
    }
    for (size_t i = 0; i < n; i++) {
        /* Entries that the accumulator rejects (NaN, inf, negative) are left out. */
        if (isfinite(p[i]) && isfinite(q[i]) && p[i] >= 0.0 && q[i] >= 0.0) {
            sum_p += p[i];
            sum_q += q[i];
        }
    }
    dev = sum_p * log(sum_p / sum_q) - sum_p + sum_q;
    return 8 * DBL_EPSILON * fabs(dev) / sum_p / fabs(fuzz_log_base(opt));
}

/* The single call that the accumulator of this kind reproduces. */
static singdiv_status
single_call(int kind, const double *p, const double *q, size_t n, size_t target,
            double temperature, const singdiv_options *opt, singdiv_report *out)
{
    switch (kind) {
    case SINGDIV_ACCUMULATE_ENTROPY: return FUZZ_CALL("singdiv_entropy", singdiv_entropy(p, n, opt, out));
    case SINGDIV_ACCUMULATE_CROSS_ENTROPY: return FUZZ_CALL("singdiv_cross_entropy", singdiv_cross_entropy(p, q, n, opt, out));
    case SINGDIV_ACCUMULATE_KL: return FUZZ_CALL("singdiv_kl", singdiv_kl(p, q, n, opt, out));
    case SINGDIV_ACCUMULATE_LOGITS_CROSS_ENTROPY:
        return FUZZ_CALL("singdiv_logits_cross_entropy", singdiv_logits_cross_entropy(p, q, n, temperature, opt, out));
    default:
        return FUZZ_CALL("singdiv_logits_cross_entropy_index", singdiv_logits_cross_entropy_index(target, q, n, temperature, opt, out));
    }
}

static singdiv_status
add_chunk(singdiv_accumulator *acc, int kind, const double *p, const double *q,
          size_t offset, size_t length)
{
    singdiv_error err;
    singdiv_status s;

    if (is_logits_kind(kind)) {
        s = FUZZ_CALL("singdiv_accumulator_add_logits", singdiv_accumulator_add_logits(acc, p + offset, q + offset, length, offset, &err));
    } else {
        s = FUZZ_CALL("singdiv_accumulator_add", singdiv_accumulator_add(acc, p + offset, q + offset, length, offset, &err));
    }
    fuzz_check_error(&err, s, acc_args, ACC_NARGS);
    if (s != SINGDIV_OK && err.index != SINGDIV_NO_INDEX &&
        (strcmp(err.argument, "p") == 0 || strcmp(err.argument, "q") == 0 ||
         strcmp(err.argument, "logits") == 0)) {
        /* Entry errors carry the global index, inside this chunk. */
        FUZZ_CHECK(err.index >= offset && err.index < offset + length);
    }
    return s;
}

static void
check_round_trip(const singdiv_accumulator *acc)
{
    unsigned char bytes[SINGDIV_ACCUMULATOR_STATE_SIZE + 1];
    unsigned char again[SINGDIV_ACCUMULATOR_STATE_SIZE + 1];
    singdiv_accumulator copy;
    singdiv_report a, b;
    singdiv_error err;
    singdiv_status s1, s2;

    bytes[SINGDIV_ACCUMULATOR_STATE_SIZE] = 0xa5;
    FUZZ_CHECK(FUZZ_CALL("singdiv_accumulator_serialize", singdiv_accumulator_serialize(acc, bytes, SINGDIV_ACCUMULATOR_STATE_SIZE,
                                             &err)) == SINGDIV_OK);
    FUZZ_CHECK(bytes[SINGDIV_ACCUMULATOR_STATE_SIZE] == 0xa5);
    s1 = FUZZ_CALL("singdiv_accumulator_deserialize",
                   singdiv_accumulator_deserialize(&copy, bytes, SINGDIV_ACCUMULATOR_STATE_SIZE,
                                                   &err));
    if (s1 != SINGDIV_OK) {
        fprintf(stderr, "deserialize rejected a serialised state: %s, %s at byte %zu\n",
                singdiv_status_name(s1), err.argument, err.index);
    }
    FUZZ_CHECK(s1 == SINGDIV_OK);
    FUZZ_CHECK(FUZZ_CALL("singdiv_accumulator_serialize", singdiv_accumulator_serialize(&copy, again, SINGDIV_ACCUMULATOR_STATE_SIZE,
                                             &err)) == SINGDIV_OK);
    FUZZ_CHECK(memcmp(bytes, again, SINGDIV_ACCUMULATOR_STATE_SIZE) == 0);
    s1 = FUZZ_CALL("singdiv_accumulator_finalize", singdiv_accumulator_finalize(acc, &a));
    s2 = FUZZ_CALL("singdiv_accumulator_finalize", singdiv_accumulator_finalize(&copy, &b));
    FUZZ_CHECK(s1 == s2);
    FUZZ_CHECK(memcmp(&a.value, &b.value, sizeof a.value) == 0);
    FUZZ_CHECK(FUZZ_CALL("singdiv_accumulator_serialize", singdiv_accumulator_serialize(acc, bytes, SINGDIV_ACCUMULATOR_STATE_SIZE - 1,
                                             &err)) == SINGDIV_ERR_WORKSPACE);
}

static void
check_finalized(const singdiv_accumulator *acc, int kind, const singdiv_options *opt,
                int check_values)
{
    singdiv_report r;
    singdiv_status s = FUZZ_CALL("singdiv_accumulator_finalize", singdiv_accumulator_finalize(acc, &r));
    double lse;
    singdiv_error err;

    FUZZ_CHECK(fuzz_is_status(s));
    fuzz_check_error(&r.error, s, acc_args, ACC_NARGS);
    if (s == SINGDIV_OK && check_values) {
        FUZZ_CHECK(!isnan(r.value));
        FUZZ_CHECK(fuzz_is_nonnegative(r.value, opt));
        FUZZ_CHECK(fuzz_is_mass(r.violating_mass) && fuzz_is_mass(r.reverse_mass));
        if (!is_logits_kind(kind)) {
            FUZZ_CHECK(isinf(r.value) == (r.violating_count != 0));
        }
    }
    s = FUZZ_CALL("singdiv_accumulator_logsumexp", singdiv_accumulator_logsumexp(acc, &lse, &err));
    fuzz_check_error(&err, s, acc_args, ACC_NARGS);
    if (s == SINGDIV_OK) {
        FUZZ_CHECK(is_logits_kind(kind));
        FUZZ_CHECK(!check_values || !isnan(lse));
    }
}

static void
check_deserialize_any(fuzz_input *in)
{
    unsigned char bytes[SINGDIV_ACCUMULATOR_STATE_SIZE];
    singdiv_accumulator acc, before;
    singdiv_error err;
    singdiv_status s;

    for (size_t i = 0; i < sizeof bytes; i++) {
        bytes[i] = fuzz_byte(in);
    }
    bytes[0] = SINGDIV_ACCUMULATOR_VERSION;
    memset(&acc, 0x5a, sizeof acc);
    before = acc;
    s = FUZZ_CALL("singdiv_accumulator_deserialize", singdiv_accumulator_deserialize(&acc, bytes, sizeof bytes, &err));
    fuzz_check_error(&err, s, acc_args, ACC_NARGS);
    if (s != SINGDIV_OK) {
        FUZZ_CHECK(memcmp(&acc, &before, sizeof acc) == 0);
        return;
    }
    /*
     * Deserialisation checks each field on its own, not the sums against
     * each other, so a state that no accumulator wrote may finalise to
     * any value: only statuses and error details are checked here.
     */
    check_finalized(&acc, acc.kind, &acc.options, 0);
    check_round_trip(&acc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size, 0};
    double p[MAX_N + 1], q[MAX_N + 1];
    double accepted_p[MAX_N + 1], accepted_q[MAX_N + 1];
    singdiv_accumulator a, b;
    singdiv_options options;
    const singdiv_options *opt;
    singdiv_report whole, merged;
    singdiv_status s_a, s_b, s_single, s_adds = SINGDIV_OK;
    singdiv_error err;
    int kind = 1 + fuzz_byte(&in) % 7;
    size_t n = fuzz_length(&in, MAX_N);
    size_t target = fuzz_length(&in, MAX_N);
    double temperature = fuzz_byte(&in) % 8 == 0 ? fuzz_double(&in) : 1.0;
    size_t cuts[MAX_CHUNKS + 1];
    size_t chunks = 1 + fuzz_length(&in, MAX_CHUNKS - 1);

    opt = fuzz_options(&in, &options);
    fuzz_vector(&in, p, n);
    fuzz_vector(&in, q, n);
    fuzz_dump("p", p, n);
    fuzz_dump("q", q, n);
    if (is_logits_kind(kind)) {
        for (size_t i = 0; i < n; i++) {
            q[i] = q[i] == 0.0 ? -HUGE_VAL : q[i] - 3.0;
        }
    }

    if (is_logits_kind(kind)) {
        s_a = FUZZ_CALL("singdiv_accumulator_init_logits", singdiv_accumulator_init_logits(&a, (singdiv_accumulator_kind)kind, target,
                                              temperature, opt, &err));
    } else {
        s_a = FUZZ_CALL("singdiv_accumulator_init", singdiv_accumulator_init(&a, (singdiv_accumulator_kind)kind, opt, &err));
    }
    fuzz_check_error(&err, s_a, acc_args, ACC_NARGS);
    if (kind == 7) {
        FUZZ_CHECK(s_a == SINGDIV_ERR_DOMAIN);
    }
    if (s_a != SINGDIV_OK) {
        check_deserialize_any(&in);
        return 0;
    }
    b = a;

    /* Cut [0, n) at sorted fuzzed points and give each chunk to a or b. */
    memcpy(accepted_p, p, n * sizeof p[0]);
    memcpy(accepted_q, q, n * sizeof q[0]);
    cuts[0] = 0;
    for (size_t c = 1; c < chunks; c++) {
        size_t cut = fuzz_length(&in, n);

        cuts[c] = cut < cuts[c - 1] ? cuts[c - 1] : cut;
    }
    cuts[chunks] = n;
    for (size_t c = chunks; c-- > 0;) {
        singdiv_accumulator *acc = fuzz_byte(&in) % 2 ? &a : &b;
        singdiv_status s = add_chunk(acc, kind, p, q, cuts[c], cuts[c + 1] - cuts[c]);

        if (s != SINGDIV_OK && getenv("FUZZ_VERBOSE") != NULL) {
            fprintf(stderr, "chunk [%zu, %zu): %s\n", cuts[c], cuts[c + 1],
                    singdiv_status_name(s));
        }
        if (s != SINGDIV_OK && s_adds == SINGDIV_OK) {
            s_adds = s;
        }
        if (s != SINGDIV_OK) {
            /* A rejected chunk is not in the accumulator: zero it for kl_bound(). */
            for (size_t i = cuts[c]; i < cuts[c + 1]; i++) {
                accepted_p[i] = 0.0;
                accepted_q[i] = 0.0;
            }
        }
    }
    s_b = FUZZ_CALL("singdiv_accumulator_merge", singdiv_accumulator_merge(&a, &b, &err));
    fuzz_check_error(&err, s_b, acc_args, ACC_NARGS);
    FUZZ_CHECK(s_b == SINGDIV_OK);

    check_finalized(&a, kind, opt, 1);
    check_round_trip(&a);

    /* The single call loses relative precision on subnormal quotients, so those are left out. */
    if (kind != SINGDIV_ACCUMULATE_LOGSUMEXP && n > 0 && small_and_valid(p, n) &&
        !fuzz_has_subnormal_quotient(p, n) && !fuzz_has_subnormal_quotient(q, n) &&
        (is_logits_kind(kind) ? valid_logits(q, n) && !fuzz_has_huge_entry(q, n)
                              : small_and_valid(q, n))) {
        s_single = single_call(kind, p, q, n, target, temperature, opt, &whole);
        s_a = FUZZ_CALL("singdiv_accumulator_finalize", singdiv_accumulator_finalize(&a, &merged));
        FUZZ_CHECK(s_adds == SINGDIV_OK);
        if ((s_single == SINGDIV_OK) != (s_a == SINGDIV_OK)) {
            fprintf(stderr, "single call %s, accumulator %s\n", singdiv_status_name(s_single),
                    singdiv_status_name(s_a));
        }
        FUZZ_CHECK((s_single == SINGDIV_OK) == (s_a == SINGDIV_OK));
        if (s_a == SINGDIV_OK) {
            FUZZ_CHECK(merged.violating_count == whole.violating_count);
            FUZZ_CHECK(isinf(merged.value) == isinf(whole.value));
            if (isfinite(whole.value)) {
                FUZZ_CHECK(fabs(merged.value - whole.value) <=
                           1e-12 * (1.0 + fabs(whole.value)) + kl_bound(kind, p, q, n, opt));
            }
        }
    }
    check_deserialize_any(&in);
    return 0;
}
