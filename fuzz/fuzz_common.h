/*
 * Shared helpers of the fuzzing harnesses: turning the fuzzer's bytes into
 * lengths, doubles, vectors and options, and checking the invariants that
 * every public function promises.
 *
 * Each harness is one translation unit that defines LLVMFuzzerTestOneInput.
 * It is linked either with libFuzzer (-Dfuzzing=true, clang) or with
 * replay.c, which runs it over the committed corpus in every build.
 * A violated invariant prints what failed and calls __builtin_trap(), so
 * the fuzzer records the input and the replay test fails.
 */
#ifndef SINGDIV_FUZZ_COMMON_H
#define SINGDIV_FUZZ_COMMON_H

#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <singdiv/singdiv.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The function under test, named in the message of a failed check. */
static const char *fuzz_context = "";

/*
 * Set for an input with the shape of an open bug (see fuzz_known_bug()):
 * the checks of successful results are skipped, those of statuses and
 * error details still run.
 */
static int fuzz_skip_values;

#define FUZZ_CHECK(condition)                                                  \
    do {                                                                       \
        if (!(condition)) {                                                    \
            fprintf(stderr, "%s:%d: invariant failed after %s: %s\n",          \
                    __FILE__, __LINE__, fuzz_context, #condition);             \
            __builtin_trap();                                                  \
        }                                                                      \
    } while (0)

/* Records the function under test; prints it when FUZZ_VERBOSE is set. */
#define FUZZ_CALL(name, call)                                                  \
    (fuzz_context = (name), fuzz_trace_call(name), (call))

static inline void
fuzz_trace_call(const char *name)
{
    if (getenv("FUZZ_VERBOSE") != NULL) {
        fprintf(stderr, "call %s\n", name);
    }
}

/* Prints x[0..n-1] exactly (hexadecimal) when FUZZ_VERBOSE is set. */
static inline void
fuzz_dump(const char *label, const double *x, size_t n)
{
    if (getenv("FUZZ_VERBOSE") == NULL) {
        return;
    }
    fprintf(stderr, "%s[%zu] =", label, n);
    for (size_t i = 0; i < n; i++) {
        fprintf(stderr, " %a", x[i]);
    }
    fprintf(stderr, "\n");
}

/* The unread rest of the fuzzer's input; reads past the end give zeros. */
typedef struct fuzz_input {
    const uint8_t *data;
    size_t size;
    size_t pos;
} fuzz_input;

static inline uint8_t
fuzz_byte(fuzz_input *in)
{
    if (in->pos >= in->size) {
        return 0;
    }
    return in->data[in->pos++];
}

/* A length in [0, max]. */
static inline size_t
fuzz_length(fuzz_input *in, size_t max)
{
    size_t value = (size_t)fuzz_byte(in) | ((size_t)fuzz_byte(in) << 8);

    return value % (max + 1);
}

static inline uint64_t
fuzz_u64(fuzz_input *in)
{
    uint64_t bits = 0;

    for (int i = 0; i < 8; i++) {
        bits |= (uint64_t)fuzz_byte(in) << (8 * i);
    }
    return bits;
}

/*
 * Any double, with the values that break numerical code made likely:
 * zeros of both signs, NaN, infinities, subnormals, the extremes of the
 * normal range, small integers and raw bit patterns.
 */
static inline double
fuzz_double(fuzz_input *in)
{
    uint8_t selector = fuzz_byte(in);
    uint64_t bits;
    double value;

    switch (selector % 16) {
    case 0: return 0.0;
    case 1: return -0.0;
    case 2: return (double)NAN;
    case 3: return HUGE_VAL;
    case 4: return -HUGE_VAL;
    case 5: return DBL_TRUE_MIN * (double)(1 + fuzz_byte(in));
    case 6: return DBL_MIN;
    case 7: return DBL_MAX;
    case 8: return 1.0;
    case 9: return 0.5;
    case 10: return (double)fuzz_byte(in);
    case 11: return -(double)fuzz_byte(in);
    case 12: return ldexp(1.0 + (double)fuzz_byte(in) / 256.0, (int)fuzz_byte(in) - 128);
    default:
        bits = fuzz_u64(in);
        memcpy(&value, &bits, sizeof value);
        return value;
    }
}

/*
 * Fills x[0..n-1] in one of four styles chosen by the input: small counts
 * with many zeros (valid with normalisation), the same counts divided by
 * their sum (valid without it), raw doubles from fuzz_double(), or the
 * counts with one raw double planted at a chosen index.
 */
static inline void
fuzz_vector(fuzz_input *in, double *x, size_t n)
{
    uint8_t style = fuzz_byte(in) % 4;
    double total = 0.0;

    if (style == 2) {
        for (size_t i = 0; i < n; i++) {
            x[i] = fuzz_double(in);
        }
        return;
    }
    for (size_t i = 0; i < n; i++) {
        uint8_t b = fuzz_byte(in);
        x[i] = (b & 1) ? 0.0 : (double)(b >> 1);
        total += x[i];
    }
    if (style == 1 && total > 0.0) {
        for (size_t i = 0; i < n; i++) {
            x[i] /= total;
        }
    }
    if (style == 3 && n > 0) {
        x[fuzz_length(in, n - 1)] = fuzz_double(in);
    }
}

/* A logarithm base: the default, common valid bases, and invalid ones. */
static inline double
fuzz_base(fuzz_input *in)
{
    static const double bases[] = {0.0, 2.0, 10.0, 0.5, 1.0, -2.0, (double)NAN, HUGE_VAL};
    uint8_t b = fuzz_byte(in);

    if (b >= 248) {
        return fuzz_double(in);
    }
    return bases[b % 8];
}

/*
 * Fills *opt from the input. Returns opt, or NULL (the defaults) for one
 * input value in eight.
 */
static inline const singdiv_options *
fuzz_options(fuzz_input *in, singdiv_options *opt)
{
    static const double tolerances[] = {SINGDIV_DEFAULT_SUM_TOLERANCE, 0.0, 1.0, (double)NAN, -1.0};
    uint8_t flags = fuzz_byte(in);

    singdiv_options_init(opt);
    if ((flags & 7) == 0) {
        return NULL;
    }
    opt->normalize = (flags >> 3) & 1;
    opt->base = fuzz_base(in);
    if ((flags >> 4) & 1) {
        opt->sum_tolerance = tolerances[fuzz_byte(in) % 5];
    }
    if (getenv("FUZZ_VERBOSE") != NULL) {
        fprintf(stderr, "options: normalize %d, base %a, sum_tolerance %a\n", opt->normalize,
                opt->base, opt->sum_tolerance);
    }
    return opt;
}

/* The natural logarithm of the base that results are reported in. */
static inline double
fuzz_log_base(const singdiv_options *opt)
{
    return (opt == NULL || opt->base == 0.0) ? 1.0 : log(opt->base);
}

/* Converts a result in the options' base back to nats. */
static inline double
fuzz_in_nats(double value, const singdiv_options *opt)
{
    return value * fuzz_log_base(opt);
}

/* A parameter of an error detail: its name and the length of the array it names. */
typedef struct fuzz_arg {
    const char *name;
    size_t length;
} fuzz_arg;

/*
 * Checks an error detail against the returned status: on success no
 * argument; on failure an argument named in args, and an index that is
 * SINGDIV_NO_INDEX or lies inside that argument's array.
 */
static inline void
fuzz_check_error(const singdiv_error *err, singdiv_status status,
                 const fuzz_arg *args, size_t count)
{
    FUZZ_CHECK(err->status == status);
    if (status == SINGDIV_OK) {
        FUZZ_CHECK(err->argument == NULL);
        return;
    }
    FUZZ_CHECK(err->argument != NULL);
    for (size_t i = 0; i < count; i++) {
        if (strcmp(err->argument, args[i].name) == 0) {
            if (err->index != SINGDIV_NO_INDEX && err->index >= args[i].length) {
                fprintf(stderr, "argument %s: index %zu >= length %zu\n",
                        err->argument, err->index, args[i].length);
            }
            FUZZ_CHECK(err->index == SINGDIV_NO_INDEX || err->index < args[i].length);
            return;
        }
    }
    fprintf(stderr, "invariant failed after %s: the error names an unknown argument \"%s\" (%s)\n",
            fuzz_context, err->argument, singdiv_status_name(status));
    __builtin_trap();
}

static inline int
fuzz_is_status(singdiv_status status)
{
    return (int)status >= 0 && (int)status < SINGDIV_STATUS_COUNT;
}

/* A mass of a normalised distribution: in [0, 1] (with a few ulp of slack). */
static inline int
fuzz_is_mass(double m)
{
    return m >= 0.0 && m <= 1.0 + 8 * DBL_EPSILON;
}

/*
 * Checks the parts of a report that every discrete divergence shares:
 * on success masses in [0, 1], counts at most n and the error cleared;
 * on failure NaN numbers and zero counts.
 */
static inline void
fuzz_check_report(const singdiv_report *r, singdiv_status status, size_t n,
                  const fuzz_arg *args, size_t count)
{
    FUZZ_CHECK(fuzz_is_status(status));
    fuzz_check_error(&r->error, status, args, count);
    if (status != SINGDIV_OK) {
        FUZZ_CHECK(isnan(r->value));
        FUZZ_CHECK(isnan(r->finite_part));
        FUZZ_CHECK(isnan(r->violating_mass));
        FUZZ_CHECK(isnan(r->reverse_mass));
        FUZZ_CHECK(r->violating_count == 0);
        FUZZ_CHECK(r->reverse_count == 0);
        return;
    }
    if (fuzz_skip_values) {
        return;
    }
    FUZZ_CHECK(!isnan(r->value));
    FUZZ_CHECK(fuzz_is_mass(r->violating_mass));
    FUZZ_CHECK(fuzz_is_mass(r->reverse_mass));
    FUZZ_CHECK(r->violating_count <= n);
    FUZZ_CHECK(r->reverse_count <= n);
    FUZZ_CHECK(r->violating_count + r->reverse_count <= n);
    if (isfinite(r->value)) {
        FUZZ_CHECK(r->finite_part == r->value);
    }
}

/*
 * Returns 1 when value, converted to nats, is >= 0. Bases below 1 flip the
 * sign of finite values, but a singular value is +inf in every base; -inf
 * is accepted there too, as a negative value that overflowed.
 */
static inline int
fuzz_is_nonnegative(double value, const singdiv_options *opt)
{
    if (isinf(value)) {
        return value > 0.0 || fuzz_log_base(opt) < 0.0;
    }
    return fuzz_in_nats(value, opt) >= 0.0;
}

/*
 * Returns 1 when an input has the shape of an open library bug, so that
 * the harness skips the check that the bug breaks and the fuzzer keeps
 * looking for other faults. Each bug has a minimised input in
 * fuzz/open-bugs/, which .ci/hardening replays with FUZZ_STRICT set: then
 * this returns 0 and the check runs. Once the bug is fixed, remove the
 * exemption and move the input to the corpus.
 */
static inline int
fuzz_known_bug(int has_shape)
{
    return has_shape && getenv("FUZZ_STRICT") == NULL;
}

/* Returns 1 when opt contains an invalid base or sum tolerance. */
static inline int
fuzz_options_invalid(const singdiv_options *opt)
{
    if (opt == NULL) {
        return 0;
    }
    return (opt->base != 0.0 && !(isfinite(opt->base) && opt->base > 0.0 && opt->base != 1.0)) ||
           !(isfinite(opt->sum_tolerance) && opt->sum_tolerance >= 0.0);
}

/* Returns 1 when some |x_i| exceeds 2^1000, so that sums or weighted sums may overflow. */
static inline int
fuzz_has_huge_entry(const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (fabs(x[i]) > 0x1p1000) {
            return 1;
        }
    }
    return 0;
}

/*
 * Returns 1 when some x_i > 0 becomes subnormal or 0 when x is divided by
 * its sum (x / sum below DBL_MIN), where the divergences lose relative
 * precision.
 */
static inline int
fuzz_has_subnormal_quotient(const double *x, size_t n)
{
    double sum = 0.0;

    for (size_t i = 0; i < n; i++) {
        sum += x[i];
    }
    for (size_t i = 0; i < n; i++) {
        if (x[i] > 0.0 && x[i] / sum < DBL_MIN) {
            return 1;
        }
    }
    return 0;
}

#endif /* SINGDIV_FUZZ_COMMON_H */
