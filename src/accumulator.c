/*
 * Mergeable accumulators: raw double-double sums per chunk, merged by
 * addition, finalised with the exact normalising sums. The derivation of
 * each finalisation is in include/singdiv/accumulator.h.
 */
#include <float.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "logits_internal.h"

/* Slots of acc->sums; the meaning of slots 3 to 6 depends on the kind. */
enum {
    SUM_P = 0,           /* p over every entry (CE, H: except the held one) */
    SUM_P_VIOLATING = 1, /* p over V */
    SUM_P_COVERED = 2,   /* p over S(p) \ V (CE, H: except the held one) */
    SUM_Q = 3,           /* CE, H, KL: q over every entry (CE, H: except the held one) */
    SUM_Q_REVERSE = 4,   /* CE, H, KL: q over F (CE, H: except the held one) */
    SUM_LOG_MANTISSA = 5, /* CE, H: p_i log m_i over the covered support */
    SUM_EXPONENT = 6,     /* CE, H: p_i e_i over the covered support */
    SUM_Q_COVERED = 5,    /* KL: q over S(p) \ V */
    SUM_DEVIANCE = 6,     /* KL: p_i log(p_i / q_i) - p_i + q_i over S(p) \ V */
    SUM_REST = 3,         /* logits: exp(s_i) over finite logits but one at the maximum */
    SUM_EXP_REVERSE = 4,  /* logits: exp(s_i) over F */
    SUM_GAP = 5,          /* logits: -p_i s_i >= 0 over S(p) \ V, times 2^g */
    SUM_LOGITS_SCALE = 6, /* logits: (k, g), the exponents of the scaled sums */
    SUM_LOG_RATIO = 7     /* KL: 2^LOG_RATIO_SHIFT p_i log(p_i / q_i) over S(p) \ V */
};

/*
 * The KL slot SUM_LOG_RATIO keeps its terms 2^LOG_RATIO_SHIFT times the
 * other scaled sums, so that a subnormal p_i beside q_i near 1 still has
 * its digits there. With scaled entries below 2^501 and n below 2^64 the
 * slot stays below 2^841. States written before the slot existed leave it
 * and held_index at 0; a KL accumulator sets held_index, which its kind
 * does not otherwise use, to LOG_RATIO_KEPT, and a merge keeps the mark
 * only when both sides have it.
 */
#define LOG_RATIO_SHIFT 256
#define LOG_RATIO_KEPT 1

/* log 2 as a double-double. */
static const singdiv__dd ln2 = { 0x1.62e42fefa39efp-1, 0x1.abc9e3b39803fp-56 };

static singdiv__dd
get_sum(const singdiv_accumulator *acc, int slot)
{
    singdiv__dd s = { acc->sums[slot][0], acc->sums[slot][1] };

    return s;
}

/*
 * Stores s in a slot. A sum that overflowed is stored as (+-inf, 0), never
 * with a NaN part, and stays infinite: the finalisation reports it as
 * SINGDIV_ERR_INFINITE and serialisation round-trips it.
 */
static void
set_sum(singdiv_accumulator *acc, int slot, singdiv__dd s)
{
    if (!(isfinite(s.hi) && isfinite(s.lo))) {
        s.hi = isinf(s.hi) ? s.hi : HUGE_VAL;
        s.lo = 0.0;
    }
    acc->sums[slot][0] = s.hi;
    acc->sums[slot][1] = s.lo;
}

static double
dd_value(singdiv__dd a)
{
    return a.hi + a.lo;
}

/* Returns a + b, both double-doubles, to about 2^-104 relative to |a| + |b|. */
static singdiv__dd
dd_add_dd(singdiv__dd a, singdiv__dd b)
{
    singdiv__dd s = singdiv__two_sum(a.hi, b.hi);
    singdiv__dd r;

    s.lo += a.lo + b.lo;
    r.hi = s.hi + s.lo;
    r.lo = s.lo - (r.hi - s.hi);
    return r;
}

/* Returns a * b, both double-doubles, to about 2^-104 relative. */
static singdiv__dd
dd_mul_dd(singdiv__dd a, singdiv__dd b)
{
    singdiv__dd p = singdiv__two_prod(a.hi, b.hi);
    singdiv__dd r;

    p.lo += a.hi * b.lo + a.lo * b.hi;
    r.hi = p.hi + p.lo;
    r.lo = p.lo - (r.hi - p.hi);
    return r;
}

static singdiv__dd
dd_of(double x)
{
    singdiv__dd r = { x, 0.0 };

    return r;
}

/* Adds x to a slot. */
static void
add_to(singdiv_accumulator *acc, int slot, double x)
{
    singdiv__dd s = get_sum(acc, slot);

    singdiv__dd_add(&s, x);
    set_sum(acc, slot, s);
}

/* Adds the exact product a * b to a slot. */
static void
add_product(singdiv_accumulator *acc, int slot, double a, double b)
{
    set_sum(acc, slot, dd_add_dd(get_sum(acc, slot), singdiv__two_prod(a, b)));
}

/*
 * The logits gap sum G of -p_i s_i, in the units 2^k of the scaled p sums,
 * can exceed DBL_MAX where the accumulator's own cross-entropy does. An
 * example is a chunk whose s_i is below -DBL_MAX and whose target sits
 * there, even though later chunks bring the value back below DBL_MAX. So
 * the slot contains G 2^g, with g <= 0 kept in the low part of the slot
 * SUM_LOGITS_SCALE: 0 (as in older states) until G 2^g would overflow,
 * then lowered GAP_STEP at a time, and raised back, exactly, once G
 * 2^g is below 2^GAP_RAISE_BELOW. G 2^g becomes +inf only below
 * g = -GAP_EXPONENT_LIMIT, beyond any G that finite doubles can give
 * (at most 2^2100: a scaled p sum below 1 times |s_i| <= 2^1025 / 2^-1074).
 */
#define GAP_STEP 64
#define GAP_RAISE_BELOW 900
#define GAP_EXPONENT_LIMIT 2400

static int
gap_exponent(const singdiv_accumulator *acc)
{
    return (int)acc->sums[SUM_LOGITS_SCALE][1];
}

/* Moves the gap sum to the exponent g; exact unless a part underflows. */
static void
set_gap_exponent(singdiv_accumulator *acc, int g)
{
    singdiv__dd s = get_sum(acc, SUM_GAP);
    int shift = g - gap_exponent(acc);

    if (!isinf(s.hi)) {
        s.hi = ldexp(s.hi, shift);
        s.lo = ldexp(s.lo, shift);
        set_sum(acc, SUM_GAP, s);
    }
    acc->sums[SUM_LOGITS_SCALE][1] = (double)g;
}

/*
 * Adds a non-negative term, already in the units of the slot, to the gap
 * sum. Returns 0, changing nothing, when the term or the sum overflows.
 * A sum that is +inf (an older state, or g at its limit) stays +inf.
 */
static int
try_add_gap(singdiv_accumulator *acc, singdiv__dd term)
{
    singdiv__dd s = get_sum(acc, SUM_GAP);

    if (isinf(s.hi)) {
        return 1;
    }
    if (isinf(term.hi) || isnan(term.lo)) {
        return 0;
    }
    s = dd_add_dd(s, term);
    if (!(isfinite(s.hi) && isfinite(s.lo))) {
        return 0;
    }
    set_sum(acc, SUM_GAP, s);
    return 1;
}

/*
 * Lowers g by GAP_STEP after an overflow. Returns 0, setting the gap sum to
 * +inf for good, once g would pass -GAP_EXPONENT_LIMIT.
 */
static int
lower_gap_exponent(singdiv_accumulator *acc)
{
    if (gap_exponent(acc) - GAP_STEP < -GAP_EXPONENT_LIMIT) {
        set_sum(acc, SUM_GAP, dd_of(HUGE_VAL));
        return 0;
    }
    set_gap_exponent(acc, gap_exponent(acc) - GAP_STEP);
    return 1;
}

/* Raises g towards 0 while that keeps the gap sum below 2^GAP_RAISE_BELOW. */
static void
raise_gap_exponent(singdiv_accumulator *acc)
{
    double hi = acc->sums[SUM_GAP][0];
    int g = gap_exponent(acc);
    int room;

    if (g == 0 || isinf(hi)) {
        return;
    }
    room = hi > 0.0 ? GAP_RAISE_BELOW - ilogb(hi) : -g;
    if (room > 0) {
        set_gap_exponent(acc, room >= -g ? 0 : g + room);
    }
}

/*
 * Adds the term w 2^(k + w_exp) (max - x) / T, with gap = the scaled gap
 * of x against max, to the gap sum, lowering g until it fits.
 */
static void
add_gap_term(singdiv_accumulator *acc, double w, int w_exp, singdiv__dd gap, double x,
             double max)
{
    for (;;) {
        int g = gap_exponent(acc);
        double term = singdiv__weighted_gap(w, w_exp + g, gap, x, max, acc->temperature);

        if (try_add_gap(acc, dd_of(term)) || !lower_gap_exponent(acc)) {
            break;
        }
    }
    raise_gap_exponent(acc);
}

/* Adds a double-double term in the units 2^k of the scaled sums to the gap sum. */
static void
add_gap_dd(singdiv_accumulator *acc, singdiv__dd term)
{
    for (;;) {
        int g = gap_exponent(acc);
        singdiv__dd scaled = term;

        if (g != 0) {
            scaled.hi = ldexp(term.hi, g);
            scaled.lo = ldexp(term.lo, g);
        }
        if (try_add_gap(acc, scaled) || !lower_gap_exponent(acc)) {
            break;
        }
    }
    raise_gap_exponent(acc);
}

/*
 * The sums of an entropy, cross-entropy or KL accumulator contain entries
 * scaled by 2^k. For entropy and cross-entropy these are the p sums (slots
 * SUM_P to SUM_EXPONENT but SUM_Q and SUM_Q_REVERSE), where only p / P
 * matters. For KL they are all the slots, because its deviance terms are
 * homogeneous in p and q together. k is kept in the max_logit member, which
 * these kinds do not otherwise use (-inf, as in older states, means k = 0).
 * k is 0 while the largest scaled quantity (a p or q sum, or the held p)
 * lies in [2^-SCALE_RANGE, 2^SCALE_RANGE], and brings it to about 1
 * outside, so that products of subnormal entries keep their digits and
 * sums of entries near DBL_MAX do not overflow. Entries below 2^-1074
 * times the largest one then underflow and drop out of the sums.
 *
 * The logits kinds scale their p sums (SUM_P, SUM_P_VIOLATING,
 * SUM_P_COVERED) and the gap sum of -p_i s_i, which is homogeneous in p,
 * and keep (k, g) in the slot SUM_LOGITS_SCALE, which older states leave
 * at (0, 0). g is the gap sum's own extra exponent, described at
 * gap_exponent(). Their k also keeps the scaled sum of p below 1, so that
 * the gap sum is at most the accumulator's own cross-entropy.
 */
#define SCALE_RANGE 500

static int
is_logits_kind(int kind);

static int
sum_exponent(const singdiv_accumulator *acc)
{
    if (is_logits_kind(acc->kind)) {
        return (int)acc->sums[SUM_LOGITS_SCALE][0];
    }
    return isfinite(acc->max_logit) ? (int)acc->max_logit : 0;
}

/* Returns 1 when the slot contains scaled entries. */
static int
is_scaled_slot(const singdiv_accumulator *acc, int slot)
{
    if (is_logits_kind(acc->kind)) {
        return slot <= SUM_P_COVERED || slot == SUM_GAP;
    }
    if (acc->kind == SINGDIV_ACCUMULATE_KL) {
        return 1;
    }
    return slot <= SUM_EXPONENT && slot != SUM_Q && slot != SUM_Q_REVERSE;
}

/* Returns ilogb of the largest unscaled quantity that the scale follows, INT_MIN if none. */
static int
largest_exponent(const singdiv_accumulator *acc)
{
    int e = INT_MIN;

    if (acc->sums[SUM_P][0] > 0.0) {
        e = ilogb(acc->sums[SUM_P][0]) - sum_exponent(acc);
    }
    if (acc->kind == SINGDIV_ACCUMULATE_KL && acc->sums[SUM_Q][0] > 0.0 &&
        ilogb(acc->sums[SUM_Q][0]) - sum_exponent(acc) > e) {
        e = ilogb(acc->sums[SUM_Q][0]) - sum_exponent(acc);
    }
    if (acc->held_p > 0.0 && ilogb(acc->held_p) > e) {
        e = ilogb(acc->held_p);
    }
    return e;
}

/* Moves the scaled sums to the scale 2^k; exact unless a part underflows. */
static void
set_sum_exponent(singdiv_accumulator *acc, int k)
{
    int shift = k - sum_exponent(acc);

    if (shift == 0) {
        return;
    }
    for (int slot = 0; slot < SINGDIV_ACCUMULATOR_SUMS; slot++) {
        if (is_scaled_slot(acc, slot)) {
            singdiv__dd s = get_sum(acc, slot);

            s.hi = ldexp(s.hi, shift);
            s.lo = ldexp(s.lo, shift);
            set_sum(acc, slot, s);
        }
    }
    if (is_logits_kind(acc->kind)) {
        acc->sums[SUM_LOGITS_SCALE][0] = (double)k;
    } else {
        acc->max_logit = (double)k;
    }
}

/* Chooses k once an entry with ilogb `exponent` (INT_MIN: none) joins the sums. */
static void
fit_sum_exponent(singdiv_accumulator *acc, int exponent)
{
    int e = largest_exponent(acc);

    e = exponent > e ? exponent : e;
    if (e == INT_MIN) {
        return;
    }
    set_sum_exponent(acc, (e >= -SCALE_RANGE && e <= SCALE_RANGE) ? 0 : -e);
}

/*
 * Chooses k of a logits accumulator once a p with ilogb `exponent` joins
 * the sums (or the sums of another accumulator whose largest has that
 * ilogb). With e the larger of the two, the new sum of p is below
 * 2^(e + 2). So k is 0 while e lies in [-SCALE_RANGE, -2], and -e - 2
 * outside, which keeps the scaled sum of p below 1.
 */
static void
fit_logits_exponent(singdiv_accumulator *acc, int exponent)
{
    int e = largest_exponent(acc);

    e = exponent > e ? exponent : e;
    if (e == INT_MIN) {
        return;
    }
    set_sum_exponent(acc, (e >= -SCALE_RANGE && e <= -2) ? 0 : -e - 2);
}

/* Returns ilogb(x) for x > 0, INT_MIN for 0. */
static int
exponent_of(double x)
{
    return x > 0.0 ? ilogb(x) : INT_MIN;
}

static int
is_logits_kind(int kind)
{
    return kind == SINGDIV_ACCUMULATE_LOGSUMEXP ||
           kind == SINGDIV_ACCUMULATE_LOGITS_CROSS_ENTROPY ||
           kind == SINGDIV_ACCUMULATE_LOGITS_CROSS_ENTROPY_INDEX;
}

static int
is_probability_kind(int kind)
{
    return kind == SINGDIV_ACCUMULATE_ENTROPY || kind == SINGDIV_ACCUMULATE_CROSS_ENTROPY ||
           kind == SINGDIV_ACCUMULATE_KL;
}

static void
clear_state(singdiv_accumulator *acc, int kind, const singdiv_options *resolved)
{
    /* Member by member, so that padding stays zero and states compare with memcmp. */
    memset(acc, 0, sizeof *acc);
    acc->kind = kind;
    acc->options.normalize = resolved->normalize != 0;
    acc->options.base = resolved->base;
    acc->options.sum_tolerance = resolved->sum_tolerance;
    acc->temperature = 1.0;
    acc->max_logit = -HUGE_VAL;
}

singdiv_status
singdiv_accumulator_init(singdiv_accumulator *acc, singdiv_accumulator_kind kind,
                         const singdiv_options *opt, singdiv_error *err)
{
    singdiv_options resolved;
    singdiv_status status;

    singdiv__clear_error(err);
    if (acc == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, "acc", SINGDIV_NO_INDEX, (double)NAN);
    }
    if (!is_probability_kind((int)kind)) {
        return singdiv__fail(err, SINGDIV_ERR_DOMAIN, "kind", SINGDIV_NO_INDEX, (double)kind);
    }
    status = singdiv__resolve_options(opt, &resolved, err);
    if (status != SINGDIV_OK) {
        return status;
    }

    clear_state(acc, (int)kind, &resolved);
    if (kind == SINGDIV_ACCUMULATE_KL) {
        acc->held_index = LOG_RATIO_KEPT;
    }
    return SINGDIV_OK;
}

singdiv_status
singdiv_accumulator_init_logits(singdiv_accumulator *acc, singdiv_accumulator_kind kind,
                                size_t target, double temperature,
                                const singdiv_options *opt, singdiv_error *err)
{
    singdiv_options resolved;
    singdiv_status status;

    singdiv__clear_error(err);
    if (acc == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, "acc", SINGDIV_NO_INDEX, (double)NAN);
    }
    if (!is_logits_kind((int)kind)) {
        return singdiv__fail(err, SINGDIV_ERR_DOMAIN, "kind", SINGDIV_NO_INDEX, (double)kind);
    }
    status = singdiv__resolve_options(opt, &resolved, err);
    if (status != SINGDIV_OK) {
        return status;
    }
    if (!(isfinite(temperature) && temperature > 0.0)) {
        return singdiv__fail(err, SINGDIV_ERR_DOMAIN, "temperature", SINGDIV_NO_INDEX,
                             temperature);
    }

    clear_state(acc, (int)kind, &resolved);
    acc->temperature = temperature;
    acc->target = kind == SINGDIV_ACCUMULATE_LOGITS_CROSS_ENTROPY_INDEX ? target : 0;
    return SINGDIV_OK;
}

/* Checks the entries of one chunk: finite and >= 0; an all-zero chunk is valid. */
static singdiv_status
check_chunk(const double *x, size_t n, size_t offset, const char *argument, singdiv_error *err)
{
    singdiv__dd sum;
    singdiv_status status;

    if (n == 0) {
        return SINGDIV_OK;
    }
    if (x == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, argument, SINGDIV_NO_INDEX, (double)NAN);
    }
    status = singdiv__check_nonnegative(x, n, argument, err, &sum);
    if (status == SINGDIV_ERR_ZERO_MASS) {
        singdiv__clear_error(err);
        return SINGDIV_OK;
    }
    if (status != SINGDIV_OK && err != NULL && err->index != SINGDIV_NO_INDEX) {
        err->index += offset;
    }
    return status;
}

/* Checks that offset + n and the running entry count fit in size_t. */
static singdiv_status
check_range(const singdiv_accumulator *acc, size_t n, size_t offset, singdiv_error *err)
{
    if (n > SIZE_MAX - offset) {
        return singdiv__fail(err, SINGDIV_ERR_SIZE_OVERFLOW, "offset", SINGDIV_NO_INDEX,
                             (double)offset);
    }
    if (n > SIZE_MAX - acc->entries) {
        return singdiv__fail(err, SINGDIV_ERR_SIZE_OVERFLOW, "n", SINGDIV_NO_INDEX, (double)n);
    }
    return SINGDIV_OK;
}

static void
extend_range(singdiv_accumulator *acc, size_t n, size_t offset)
{
    acc->entries += n;
    if (n > 0 && offset + n > acc->end) {
        acc->end = offset + n;
    }
}

/* Adds one entry to the cross-entropy (or entropy) sums. */
static void
add_cross_entropy_entry(singdiv_accumulator *acc, double p, double q)
{
    double ps;

    fit_sum_exponent(acc, exponent_of(p));
    ps = ldexp(p, sum_exponent(acc));
    add_to(acc, SUM_P, ps);
    add_to(acc, SUM_Q, q);
    if (p > 0.0 && q > 0.0) {
        int exponent;
        double mantissa = frexp(q, &exponent);

        add_to(acc, SUM_P_COVERED, ps);
        add_product(acc, SUM_LOG_MANTISSA, ps, log(mantissa));
        add_product(acc, SUM_EXPONENT, ps, (double)exponent);
    } else if (p > 0.0) {
        add_to(acc, SUM_P_VIOLATING, ps);
        acc->violating_count++;
    } else if (q > 0.0) {
        add_to(acc, SUM_Q_REVERSE, q);
        acc->reverse_count++;
    }
}

/*
 * Offers an entry for the held place (largest q, then smallest index);
 * the entry that loses goes into the sums.
 */
static void
offer_cross_entropy_entry(singdiv_accumulator *acc, size_t index, double p, double q)
{
    int wins = q > 0.0 && (!acc->has_held || q > acc->held_q ||
                           (q == acc->held_q && index < acc->held_index));

    if (!wins) {
        add_cross_entropy_entry(acc, p, q);
        return;
    }
    if (acc->has_held) {
        add_cross_entropy_entry(acc, acc->held_p, acc->held_q);
    }
    fit_sum_exponent(acc, exponent_of(p));
    acc->has_held = 1;
    acc->held_index = index;
    acc->held_p = p;
    acc->held_q = q;
}

/* Returns log(p / q) for finite p, q > 0, also where p / q leaves the normal range. */
static double
log_ratio(double p, double q)
{
    double r = p / q;

    if (r >= DBL_MIN && r <= DBL_MAX) {
        return log(r);
    }
    return log(p) - log(q);
}

static void
add_kl_entry(singdiv_accumulator *acc, double p, double q)
{
    int larger = exponent_of(p) > exponent_of(q) ? exponent_of(p) : exponent_of(q);
    double ps;
    double qs;

    fit_sum_exponent(acc, larger);
    ps = ldexp(p, sum_exponent(acc));
    qs = ldexp(q, sum_exponent(acc));
    add_to(acc, SUM_P, ps);
    add_to(acc, SUM_Q, qs);
    if (p > 0.0 && q > 0.0) {
        add_to(acc, SUM_P_COVERED, ps);
        add_to(acc, SUM_Q_COVERED, qs);
        add_to(acc, SUM_DEVIANCE, singdiv__deviance(ps, qs, ps - qs));
        add_to(acc, SUM_LOG_RATIO, ldexp(p, sum_exponent(acc) + LOG_RATIO_SHIFT) * log_ratio(p, q));
    } else if (p > 0.0) {
        add_to(acc, SUM_P_VIOLATING, ps);
        acc->violating_count++;
    } else if (q > 0.0) {
        add_to(acc, SUM_Q_REVERSE, qs);
        acc->reverse_count++;
    }
}

singdiv_status
singdiv_accumulator_add(singdiv_accumulator *acc, const double *p, const double *q,
                        size_t n, size_t offset, singdiv_error *err)
{
    int entropy;
    singdiv_status status;

    singdiv__clear_error(err);
    if (acc == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, "acc", SINGDIV_NO_INDEX, (double)NAN);
    }
    if (!is_probability_kind(acc->kind)) {
        return singdiv__fail(err, SINGDIV_ERR_DOMAIN, "acc", SINGDIV_NO_INDEX, (double)acc->kind);
    }
    entropy = acc->kind == SINGDIV_ACCUMULATE_ENTROPY;
    status = check_range(acc, n, offset, err);
    if (status == SINGDIV_OK) {
        status = check_chunk(p, n, offset, "p", err);
    }
    if (status == SINGDIV_OK && !entropy) {
        status = check_chunk(q, n, offset, "q", err);
    }
    if (status != SINGDIV_OK) {
        return status;
    }

    for (size_t i = 0; i < n; i++) {
        double qi = entropy ? p[i] : q[i];

        if (acc->kind == SINGDIV_ACCUMULATE_KL) {
            add_kl_entry(acc, p[i], qi);
        } else {
            offer_cross_entropy_entry(acc, offset + i, p[i], qi);
        }
    }
    extend_range(acc, n, offset);
    return SINGDIV_OK;
}

/*
 * Moves the reference of the logits sums from acc->max_logit to a larger
 * new_max: exp(s_i) shrinks by f = exp((old - new) / T), the element at the
 * old maximum joins the rest, and every covered -p_i s_i grows by
 * (new - old) / T. covered_before is the covered p sum at the exponent the
 * sums had before they moved by 2^shift to the present one. Where the
 * present covered sum underflowed, or the shift exceeds DBL_MAX, the growth
 * P_c (new - old) / T is formed from covered_before with mantissas and
 * exponents apart.
 */
static void
rescale(singdiv_accumulator *acc, double new_max, double covered_before, int shift)
{
    singdiv__dd gap = singdiv__scaled_gap(acc->max_logit, new_max, acc->temperature);
    singdiv__dd factor = dd_of(singdiv__exp_dd(gap));
    singdiv__dd covered = get_sum(acc, SUM_P_COVERED);
    singdiv__dd rest = dd_add_dd(get_sum(acc, SUM_REST), dd_of(1.0));

    set_sum(acc, SUM_REST, dd_mul_dd(rest, factor));
    set_sum(acc, SUM_EXP_REVERSE, dd_mul_dd(get_sum(acc, SUM_EXP_REVERSE), factor));
    if (covered.hi >= DBL_MIN && !isinf(gap.hi)) {
        singdiv__dd growth = { -gap.hi, -gap.lo };
        singdiv__dd term = dd_mul_dd(covered, growth);

        if (isfinite(term.hi) && isfinite(term.lo)) {
            add_gap_dd(acc, term);
        } else {
            add_gap_term(acc, dd_value(covered), 0, gap, acc->max_logit, new_max);
        }
    } else if (covered_before > 0.0) {
        add_gap_term(acc, covered_before, shift, gap, acc->max_logit, new_max);
    }
    acc->max_logit = new_max;
}

/* The target mass of entry `index` of a logits accumulator. */
static double
target_mass(const singdiv_accumulator *acc, const double *p, size_t i, size_t index)
{
    if (acc->kind == SINGDIV_ACCUMULATE_LOGITS_CROSS_ENTROPY) {
        return p[i];
    }
    if (acc->kind == SINGDIV_ACCUMULATE_LOGITS_CROSS_ENTROPY_INDEX) {
        return index == acc->target ? 1.0 : 0.0;
    }
    return 0.0;
}

/* Adds one logit and its target mass; `implicit` marks the element counted as exp(0) = 1. */
static void
add_logit_entry(singdiv_accumulator *acc, double p, double logit, int implicit)
{
    singdiv__dd gap;
    double e = 1.0;
    double ps;

    if (p > 0.0) {
        fit_logits_exponent(acc, ilogb(p));
    }
    ps = ldexp(p, sum_exponent(acc));
    add_to(acc, SUM_P, ps);
    if (logit == -HUGE_VAL) {
        if (p > 0.0) {
            add_to(acc, SUM_P_VIOLATING, ps);
            acc->violating_count++;
        }
        return;
    }
    acc->finite_count++;
    gap = singdiv__scaled_gap(logit, acc->max_logit, acc->temperature);
    if (!implicit) {
        e = singdiv__exp_dd(gap);
        add_to(acc, SUM_REST, e);
    }
    if (p > 0.0) {
        add_to(acc, SUM_P_COVERED, ps);
        if (isinf(gap.hi) || ps < DBL_MIN || gap_exponent(acc) != 0) {
            add_gap_term(acc, p, sum_exponent(acc), gap, logit, acc->max_logit);
        } else {
            add_gap_dd(acc, dd_of(-ps * (gap.hi + gap.lo)));
        }
    } else if (acc->kind != SINGDIV_ACCUMULATE_LOGSUMEXP) {
        add_to(acc, SUM_EXP_REVERSE, e);
        acc->reverse_count++;
    }
}

static singdiv_status
check_logits_chunk(const singdiv_accumulator *acc, const double *p, const double *logits,
                   size_t n, size_t offset, singdiv_error *err)
{
    singdiv_status status = check_range(acc, n, offset, err);

    if (status == SINGDIV_OK && acc->kind == SINGDIV_ACCUMULATE_LOGITS_CROSS_ENTROPY) {
        status = check_chunk(p, n, offset, "p", err);
    }
    if (status == SINGDIV_OK && n > 0 && logits == NULL) {
        status = singdiv__fail(err, SINGDIV_ERR_NULL, "logits", SINGDIV_NO_INDEX, (double)NAN);
    }
    if (status == SINGDIV_OK && n > 0) {
        status = singdiv__check_logits(logits, n, offset, "logits", err);
    }
    return status;
}

singdiv_status
singdiv_accumulator_add_logits(singdiv_accumulator *acc, const double *p,
                               const double *logits, size_t n, size_t offset,
                               singdiv_error *err)
{
    double chunk_max = -HUGE_VAL;
    int implicit_pending = 0;
    singdiv_status status;

    singdiv__clear_error(err);
    if (acc == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, "acc", SINGDIV_NO_INDEX, (double)NAN);
    }
    if (!is_logits_kind(acc->kind)) {
        return singdiv__fail(err, SINGDIV_ERR_DOMAIN, "acc", SINGDIV_NO_INDEX, (double)acc->kind);
    }
    status = check_logits_chunk(acc, p, logits, n, offset, err);
    if (status != SINGDIV_OK) {
        return status;
    }

    /* One rescaling per chunk: move to the chunk's maximum first. */
    for (size_t i = 0; i < n; i++) {
        chunk_max = fmax(chunk_max, logits[i]);
    }
    if (chunk_max > acc->max_logit) {
        if (acc->finite_count > 0) {
            rescale(acc, chunk_max, dd_value(get_sum(acc, SUM_P_COVERED)), 0);
        }
        acc->max_logit = chunk_max;
        implicit_pending = 1;
    }
    for (size_t i = 0; i < n; i++) {
        int implicit = implicit_pending && logits[i] == acc->max_logit;

        add_logit_entry(acc, target_mass(acc, p, i, offset + i), logits[i], implicit);
        implicit_pending = implicit_pending && !implicit;
    }
    extend_range(acc, n, offset);
    return SINGDIV_OK;
}

static int
same_configuration(const singdiv_accumulator *a, const singdiv_accumulator *b)
{
    return a->kind == b->kind && a->options.normalize == b->options.normalize &&
           a->options.base == b->options.base &&
           a->options.sum_tolerance == b->options.sum_tolerance &&
           a->temperature == b->temperature && a->target == b->target;
}

static void
add_all_sums(singdiv_accumulator *acc, const singdiv_accumulator *other)
{
    for (int slot = 0; slot < SINGDIV_ACCUMULATOR_SUMS; slot++) {
        if (slot == SUM_LOGITS_SCALE && is_logits_kind(acc->kind)) {
            continue; /* both at the same k */
        }
        if (slot == SUM_GAP && is_logits_kind(acc->kind)) {
            continue; /* added by merge_logits() */
        } else {
            set_sum(acc, slot, dd_add_dd(get_sum(acc, slot), get_sum(other, slot)));
        }
    }
}

/* Adds the gap sum of other, at the same k, to that of acc, both moved to one g. */
static void
merge_gap_sums(singdiv_accumulator *acc, singdiv_accumulator *other)
{
    int g = gap_exponent(acc) < gap_exponent(other) ? gap_exponent(acc) : gap_exponent(other);

    if (isinf(other->sums[SUM_GAP][0])) {
        set_sum(acc, SUM_GAP, dd_of(HUGE_VAL));
        return;
    }
    set_gap_exponent(acc, g);
    set_gap_exponent(other, g);
    while (!try_add_gap(acc, get_sum(other, SUM_GAP))) {
        if (!lower_gap_exponent(acc)) {
            break;
        }
        set_gap_exponent(other, gap_exponent(acc));
    }
    raise_gap_exponent(acc);
}

/* Merges the logits sums, both moved to one scale and to the larger of the two maxima. */
static void
merge_logits(singdiv_accumulator *acc, const singdiv_accumulator *other)
{
    singdiv_accumulator moved = *other;
    int both = acc->finite_count > 0 && other->finite_count > 0;
    double acc_covered = dd_value(get_sum(acc, SUM_P_COVERED));
    double moved_covered = dd_value(get_sum(&moved, SUM_P_COVERED));
    int acc_exponent = sum_exponent(acc);
    int moved_exponent = sum_exponent(&moved);

    fit_logits_exponent(acc, largest_exponent(&moved));
    set_sum_exponent(&moved, sum_exponent(acc));
    if (both && acc->max_logit < moved.max_logit) {
        rescale(acc, moved.max_logit, acc_covered, sum_exponent(acc) - acc_exponent);
    } else if (both && moved.max_logit < acc->max_logit) {
        rescale(&moved, acc->max_logit, moved_covered, sum_exponent(acc) - moved_exponent);
    } else if (both) {
        /* Equal maxima: each side counts one element as an implicit 1. */
        add_to(acc, SUM_REST, 1.0);
    }
    add_all_sums(acc, &moved);
    merge_gap_sums(acc, &moved);
    acc->max_logit = fmax(acc->max_logit, other->max_logit);
}

singdiv_status
singdiv_accumulator_merge(singdiv_accumulator *acc, const singdiv_accumulator *other,
                          singdiv_error *err)
{
    singdiv_accumulator copy;

    singdiv__clear_error(err);
    if (acc == NULL || other == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, acc == NULL ? "acc" : "other",
                             SINGDIV_NO_INDEX, (double)NAN);
    }
    if (!same_configuration(acc, other)) {
        return singdiv__fail(err, SINGDIV_ERR_DOMAIN, "other", SINGDIV_NO_INDEX, (double)NAN);
    }
    if (other->entries > SIZE_MAX - acc->entries) {
        return singdiv__fail(err, SINGDIV_ERR_SIZE_OVERFLOW, "other", SINGDIV_NO_INDEX,
                             (double)other->entries);
    }

    copy = *other; /* acc and other may alias */
    if (is_logits_kind(acc->kind)) {
        merge_logits(acc, &copy);
    } else {
        /* Both at one scale, fitted to the larger of the two. */
        fit_sum_exponent(acc, largest_exponent(&copy));
        set_sum_exponent(&copy, sum_exponent(acc));
        add_all_sums(acc, &copy);
        if (acc->kind == SINGDIV_ACCUMULATE_KL && copy.held_index != LOG_RATIO_KEPT) {
            acc->held_index = 0;
        }
        if (copy.has_held) {
            offer_cross_entropy_entry(acc, copy.held_index, copy.held_p, copy.held_q);
        }
    }
    acc->entries += copy.entries;
    acc->end = acc->end > copy.end ? acc->end : copy.end;
    acc->violating_count += copy.violating_count;
    acc->reverse_count += copy.reverse_count;
    acc->finite_count += copy.finite_count;
    return SINGDIV_OK;
}

static void
report_reset(singdiv_report *out)
{
    out->value = (double)NAN;
    out->finite_part = (double)NAN;
    out->violating_mass = (double)NAN;
    out->violating_count = 0;
    out->reverse_mass = (double)NAN;
    out->reverse_count = 0;
    singdiv__clear_error(&out->error);
}

/* Checks that chunks were added and that they tile [0, end). */
static singdiv_status
check_coverage(const singdiv_accumulator *acc, singdiv_error *err)
{
    if (acc->entries == 0) {
        return singdiv__fail(err, SINGDIV_ERR_EMPTY, "acc", SINGDIV_NO_INDEX, (double)NAN);
    }
    if (acc->entries != acc->end) {
        return singdiv__fail(err, SINGDIV_ERR_INDEX, "acc", SINGDIV_NO_INDEX,
                             (double)acc->entries);
    }
    return SINGDIV_OK;
}

/* Validates a total as singdiv__check_distribution() validates a sum. */
static singdiv_status
check_total(const singdiv_accumulator *acc, singdiv__dd total, const char *argument,
            singdiv_error *err)
{
    singdiv__dd off;

    if (total.hi == 0.0) {
        return singdiv__fail(err, SINGDIV_ERR_ZERO_MASS, argument, SINGDIV_NO_INDEX, 0.0);
    }
    if (!isfinite(total.hi)) {
        return singdiv__fail(err, SINGDIV_ERR_INFINITE, argument, SINGDIV_NO_INDEX, total.hi);
    }
    if (!acc->options.normalize) {
        off = singdiv__two_sum(total.hi, -1.0);
        off.hi += off.lo + total.lo;
        if (fabs(off.hi) > acc->options.sum_tolerance) {
            return singdiv__fail(err, SINGDIV_ERR_NOT_NORMALIZED, argument, SINGDIV_NO_INDEX,
                                 dd_value(total));
        }
    }
    return SINGDIV_OK;
}

/* Returns a scaled sum s / 2^k in the units of the entries. */
static singdiv__dd
unscaled(const singdiv_accumulator *acc, singdiv__dd s)
{
    singdiv__dd r = { ldexp(s.hi, -sum_exponent(acc)), ldexp(s.lo, -sum_exponent(acc)) };

    return r;
}

/* Returns x / d for a double-double d, to about one rounding. */
static double
divide(double x, singdiv__dd d)
{
    return (x / d.hi) * (1.0 - d.lo / d.hi);
}

/* Returns -sum over the covered support of p_i log(q_i / Q) / P, >= 0. */
static double
cross_entropy_sum(const singdiv_accumulator *acc, singdiv__dd q_total, singdiv__dd p_total)
{
    singdiv__dd covered = get_sum(acc, SUM_P_COVERED);
    singdiv__dd mantissa_total = q_total;
    singdiv__dd minus_covered = { -covered.hi, -covered.lo };
    singdiv__dd log_part;
    singdiv__dd exponent_part;
    singdiv__dd sum;
    double held_p = ldexp(acc->held_p, sum_exponent(acc));
    double log_mantissa;
    int exponent;

    /* Q = M 2^E with M in [1/2, 1), scaled exactly. */
    (void)frexp(q_total.hi, &exponent);
    mantissa_total.hi = ldexp(q_total.hi, -exponent);
    mantissa_total.lo = ldexp(q_total.lo, -exponent);
    log_mantissa = log(mantissa_total.hi) + mantissa_total.lo / mantissa_total.hi;

    log_part = dd_add_dd(get_sum(acc, SUM_LOG_MANTISSA),
                         dd_mul_dd(minus_covered, dd_of(log_mantissa)));
    exponent_part = dd_add_dd(get_sum(acc, SUM_EXPONENT),
                              dd_mul_dd(minus_covered, dd_of((double)exponent)));
    sum = dd_add_dd(log_part, dd_mul_dd(exponent_part, ln2));
    if (!(acc->has_held && acc->held_p > 0.0)) {
        return divide(-dd_value(sum), p_total);
    }
    /*
     * log(q_h / Q) = -log1p((Q - q_h) / q_h), accurate when q_h is close to
     * Q. The held term is divided by P on its own, because p_h log1p(...)
     * can overflow for p_h near DBL_MAX. Both parts are >= 0.
     */
    return divide(-dd_value(sum), p_total) +
           divide(held_p, p_total) * log1p(dd_value(get_sum(acc, SUM_Q)) / acc->held_q);
}

/* Returns the argument whose entries feed a slot, for SINGDIV_ERR_INFINITE. */
static const char *
slot_argument(const singdiv_accumulator *acc, int slot)
{
    if (slot <= SUM_P_COVERED) {
        return "p";
    }
    if (is_logits_kind(acc->kind)) {
        return "logits";
    }
    if (slot == SUM_Q || slot == SUM_Q_REVERSE ||
        (acc->kind == SINGDIV_ACCUMULATE_KL && slot == SUM_Q_COVERED)) {
        return "q";
    }
    /* p_i log m_i, p_i e_i (CE, H) or the deviance terms (KL). */
    return acc->kind == SINGDIV_ACCUMULATE_KL ? "acc" : "p";
}

/*
 * Rejects a sum that overflowed (SINGDIV_ERR_INFINITE). The logits gap sum
 * is exempt: +inf there is the documented +inf value.
 */
static singdiv_status
check_sums_finite(const singdiv_accumulator *acc, singdiv_error *err)
{
    for (int slot = 0; slot < SINGDIV_ACCUMULATOR_SUMS; slot++) {
        double hi = acc->sums[slot][0];

        if (slot == SUM_GAP && is_logits_kind(acc->kind)) {
            continue;
        }
        if (!isfinite(hi)) {
            return singdiv__fail(err, SINGDIV_ERR_INFINITE, slot_argument(acc, slot),
                                 SINGDIV_NO_INDEX, hi);
        }
    }
    return SINGDIV_OK;
}

static singdiv_status
finalize_cross_entropy(const singdiv_accumulator *acc, singdiv_report *out)
{
    int entropy = acc->kind == SINGDIV_ACCUMULATE_ENTROPY;
    int k = sum_exponent(acc);
    singdiv__dd p_total = get_sum(acc, SUM_P); /* scaled by 2^k */
    singdiv__dd q_total = get_sum(acc, SUM_Q);
    double held_reverse = 0.0;
    singdiv_status status;

    singdiv__dd_add(&p_total, ldexp(acc->held_p, k));
    singdiv__dd_add(&q_total, acc->held_q);
    status = check_total(acc, unscaled(acc, p_total), "p", &out->error);
    if (status == SINGDIV_OK && !entropy) {
        status = check_total(acc, q_total, "q", &out->error);
    }
    if (status != SINGDIV_OK) {
        return status;
    }

    if (acc->has_held && acc->held_p == 0.0) {
        held_reverse = acc->held_q;
    }
    out->violating_mass = divide(dd_value(get_sum(acc, SUM_P_VIOLATING)), p_total);
    out->violating_count = acc->violating_count;
    out->reverse_mass = divide(dd_value(get_sum(acc, SUM_Q_REVERSE)) + held_reverse, q_total);
    out->reverse_count = acc->reverse_count + (held_reverse > 0.0 ? 1 : 0);
    out->finite_part = singdiv__in_base(cross_entropy_sum(acc, q_total, p_total), &acc->options);
    out->value = acc->violating_count > 0 ? HUGE_VAL : out->finite_part;
    return SINGDIV_OK;
}

/*
 * Returns the KL from the deviance sums, kl, or from the log ratios where
 * they lose fewer digits. The deviance form cancels the summed deviances
 * against dev(P, Q), with an error up to 4 eps dev(P, Q) / P; relative to
 * dev(P, Q) / P = deviance_share this is small when P and Q are of one
 * size, but near 4 eps Q / P when P is far below Q. The log-ratio form
 *     KL = S / P + (P_c / P) log(Q / P),
 * S the sum over S(p) \ V of p_i log(p_i / q_i), cancels only between its
 * two parts, an error near 4 eps (|S| / P + (P_c / P) |log(Q / P)|) when
 * the terms of S share a sign. The form with the smaller of the two
 * bounds is taken.
 */
static double
kl_from_log_ratios(const singdiv_accumulator *acc, double kl, double deviance_share)
{
    singdiv__dd p_total = get_sum(acc, SUM_P);
    singdiv__dd q_total = get_sum(acc, SUM_Q);
    singdiv__dd p_shifted = { ldexp(p_total.hi, LOG_RATIO_SHIFT), ldexp(p_total.lo, LOG_RATIO_SHIFT) };
    double s_share = divide(dd_value(get_sum(acc, SUM_LOG_RATIO)), p_shifted);
    double covered_share = divide(dd_value(get_sum(acc, SUM_P_COVERED)), p_total);
    /* The scale 2^k cancels in Q / P; the logarithms stay finite where Q / P would overflow. */
    double log_q_over_p = (log(q_total.hi) - log(p_total.hi)) +
                          (q_total.lo / q_total.hi - p_total.lo / p_total.hi);
    double direct = s_share + covered_share * log_q_over_p;

    if (fabs(s_share) + covered_share * fabs(log_q_over_p) < deviance_share) {
        return direct;
    }
    return kl;
}

static singdiv_status
finalize_kl(const singdiv_accumulator *acc, singdiv_report *out)
{
    singdiv__dd p_total = get_sum(acc, SUM_P); /* all sums scaled by 2^k */
    singdiv__dd q_total = get_sum(acc, SUM_Q);
    singdiv__dd p_covered = get_sum(acc, SUM_P_COVERED);
    singdiv__dd cross;
    singdiv__dd finite;
    singdiv__dd difference;
    double total_deviance;
    double kl;
    singdiv_status status;

    status = check_total(acc, unscaled(acc, p_total), "p", &out->error);
    if (status == SINGDIV_OK) {
        status = check_total(acc, unscaled(acc, q_total), "q", &out->error);
    }
    if (status != SINGDIV_OK) {
        return status;
    }

    /* dev(P, Q) = P log(P / Q) - (P - Q), 0 when the totals are equal. */
    difference = dd_add_dd(p_total, singdiv__two_sum(-q_total.hi, -q_total.lo));
    total_deviance = singdiv__deviance(p_total.hi, q_total.hi, dd_value(difference));
    /* P_c Q_F - Q_c P_V, exactly 0 when V and F are empty. */
    cross = dd_add_dd(dd_mul_dd(p_covered, get_sum(acc, SUM_Q_REVERSE)),
                      dd_mul_dd(get_sum(acc, SUM_Q_COVERED),
                                dd_mul_dd(dd_of(-1.0), get_sum(acc, SUM_P_VIOLATING))));
    finite = get_sum(acc, SUM_DEVIANCE);
    singdiv__dd_add(&finite, -divide(dd_value(p_covered), p_total) * total_deviance);
    singdiv__dd_add(&finite, divide(dd_value(cross), p_total));

    out->violating_mass = divide(dd_value(get_sum(acc, SUM_P_VIOLATING)), p_total);
    out->violating_count = acc->violating_count;
    out->reverse_mass = divide(dd_value(get_sum(acc, SUM_Q_REVERSE)), q_total);
    out->reverse_count = acc->reverse_count;
    kl = divide(dd_value(finite), p_total);
    if (acc->held_index == LOG_RATIO_KEPT) {
        kl = kl_from_log_ratios(acc, kl, divide(total_deviance, p_total));
    }
    if (acc->violating_count == 0) {
        /*
         * With V empty this is KL(p / P || q / Q) >= 0 (Gibbs' inequality),
         * but the cancellation against dev(P, Q) can leave a negative
         * rounding error within the documented 4 eps dev(P, Q) / P: for
         * p = 99, q = 2^-1022 in every entry, about -4e-15 for the exact 0.
         */
        kl = fmax(kl, 0.0);
    }
    out->finite_part = singdiv__in_base(kl, &acc->options);
    out->value = acc->violating_count > 0 ? HUGE_VAL : out->finite_part;
    return SINGDIV_OK;
}

static singdiv_status
finalize_logits(const singdiv_accumulator *acc, singdiv_report *out)
{
    singdiv__dd p_total = get_sum(acc, SUM_P);
    double rest = dd_value(get_sum(acc, SUM_REST));
    double gap = dd_value(get_sum(acc, SUM_GAP));
    double gap_share;
    double covered_share = 1.0;
    double finite;
    int shift;
    singdiv_status status;

    if (acc->kind == SINGDIV_ACCUMULATE_LOGITS_CROSS_ENTROPY_INDEX && acc->target >= acc->end) {
        return singdiv__fail(&out->error, SINGDIV_ERR_INDEX, "target", SINGDIV_NO_INDEX,
                             (double)acc->target);
    }
    status = check_total(acc, unscaled(acc, p_total), "p", &out->error); /* sums scaled by 2^k */
    if (status != SINGDIV_OK) {
        return status;
    }
    if (acc->finite_count == 0) {
        return singdiv__fail(&out->error, SINGDIV_ERR_ZERO_MASS, "logits", SINGDIV_NO_INDEX,
                             -HUGE_VAL);
    }

    if (acc->violating_count > 0) {
        covered_share = divide(dd_value(get_sum(acc, SUM_P_COVERED)), p_total);
    }
    /*
     * The slot contains G 2^g. finite is the cross-entropy times 2^-shift,
     * scaled back only once in its base, so that the value is +inf only
     * where it exceeds DBL_MAX in that base. G / P can exceed G itself
     * (P < 1) by up to the 2^12 > 2 log(DBL_MAX) taken off then.
     */
    shift = -gap_exponent(acc);
    gap_share = divide(gap, p_total);
    if (isinf(gap_share) && !isinf(gap)) {
        shift += 12;
        gap_share = divide(ldexp(gap, -12), p_total);
    }
    finite = isinf(gap) ? HUGE_VAL : ldexp(covered_share * log1p(rest), -shift) + gap_share;

    out->violating_mass = divide(dd_value(get_sum(acc, SUM_P_VIOLATING)), p_total);
    out->violating_count = acc->violating_count;
    out->reverse_mass = dd_value(get_sum(acc, SUM_EXP_REVERSE)) / (1.0 + rest);
    out->reverse_count = acc->reverse_count;
    out->finite_part = ldexp(singdiv__in_base(finite, &acc->options), shift);
    out->value = acc->violating_count > 0 ? HUGE_VAL : out->finite_part;
    return SINGDIV_OK;
}

singdiv_status
singdiv_accumulator_finalize(const singdiv_accumulator *acc, singdiv_report *out)
{
    singdiv_status status;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    report_reset(out);
    if (acc == NULL) {
        return singdiv__fail(&out->error, SINGDIV_ERR_NULL, "acc", SINGDIV_NO_INDEX, (double)NAN);
    }
    if (acc->kind == SINGDIV_ACCUMULATE_LOGSUMEXP) {
        return singdiv__fail(&out->error, SINGDIV_ERR_DOMAIN, "acc", SINGDIV_NO_INDEX,
                             (double)acc->kind);
    }
    status = check_coverage(acc, &out->error);
    if (status == SINGDIV_OK) {
        status = check_sums_finite(acc, &out->error);
    }
    if (status != SINGDIV_OK) {
        return status;
    }

    if (acc->kind == SINGDIV_ACCUMULATE_KL) {
        status = finalize_kl(acc, out);
    } else if (is_logits_kind(acc->kind)) {
        status = finalize_logits(acc, out);
    } else {
        status = finalize_cross_entropy(acc, out);
    }
    if (status != SINGDIV_OK) {
        singdiv_error rejected = out->error;

        report_reset(out);
        out->error = rejected;
    }
    return status;
}

singdiv_status
singdiv_accumulator_logsumexp(const singdiv_accumulator *acc, double *lse,
                              singdiv_error *err)
{
    singdiv_status status;

    singdiv__clear_error(err);
    if (acc == NULL || lse == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, acc == NULL ? "acc" : "lse",
                             SINGDIV_NO_INDEX, (double)NAN);
    }
    *lse = (double)NAN;
    if (!is_logits_kind(acc->kind)) {
        return singdiv__fail(err, SINGDIV_ERR_DOMAIN, "acc", SINGDIV_NO_INDEX, (double)acc->kind);
    }
    status = check_coverage(acc, err);
    if (status != SINGDIV_OK) {
        return status;
    }
    if (acc->finite_count == 0) {
        return singdiv__fail(err, SINGDIV_ERR_ZERO_MASS, "logits", SINGDIV_NO_INDEX, -HUGE_VAL);
    }

    *lse = acc->max_logit / acc->temperature + log1p(dd_value(get_sum(acc, SUM_REST)));
    return SINGDIV_OK;
}

/* Byte offsets of the serialised fields; see docs/logits.md. */
enum {
    AT_VERSION = 0,
    AT_KIND = 1,
    AT_NORMALIZE = 2,
    AT_HAS_HELD = 3,
    AT_RESERVED = 4, /* 4 bytes, zero */
    AT_BASE = 8,
    AT_SUM_TOLERANCE = 16,
    AT_TEMPERATURE = 24,
    AT_TARGET = 32,
    AT_ENTRIES = 40,
    AT_END = 48,
    AT_VIOLATING_COUNT = 56,
    AT_REVERSE_COUNT = 64,
    AT_FINITE_COUNT = 72,
    AT_HELD_INDEX = 80,
    AT_HELD_P = 88,
    AT_HELD_Q = 96,
    AT_MAX_LOGIT = 104,
    AT_SUMS = 112 /* SINGDIV_ACCUMULATOR_SUMS pairs (hi, lo) */
};

_Static_assert(AT_SUMS + 16 * SINGDIV_ACCUMULATOR_SUMS == SINGDIV_ACCUMULATOR_STATE_SIZE,
               "the serialised layout fills SINGDIV_ACCUMULATOR_STATE_SIZE bytes");

static void
put_u64(unsigned char *bytes, size_t at, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        bytes[at + (size_t)i] = (unsigned char)(v >> (8 * i));
    }
}

static uint64_t
get_u64(const unsigned char *bytes, size_t at)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++) {
        v |= (uint64_t)bytes[at + (size_t)i] << (8 * i);
    }
    return v;
}

static void
put_f64(unsigned char *bytes, size_t at, double x)
{
    uint64_t bits;

    memcpy(&bits, &x, sizeof bits);
    put_u64(bytes, at, bits);
}

static double
get_f64(const unsigned char *bytes, size_t at)
{
    uint64_t bits = get_u64(bytes, at);
    double x;

    memcpy(&x, &bits, sizeof x);
    return x;
}

singdiv_status
singdiv_accumulator_serialize(const singdiv_accumulator *acc, unsigned char *bytes,
                              size_t size, singdiv_error *err)
{
    singdiv__clear_error(err);
    if (acc == NULL || bytes == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, acc == NULL ? "acc" : "bytes",
                             SINGDIV_NO_INDEX, (double)NAN);
    }
    if (size < SINGDIV_ACCUMULATOR_STATE_SIZE) {
        return singdiv__fail(err, SINGDIV_ERR_WORKSPACE, "size", SINGDIV_NO_INDEX, (double)size);
    }

    memset(bytes, 0, SINGDIV_ACCUMULATOR_STATE_SIZE);
    bytes[AT_VERSION] = SINGDIV_ACCUMULATOR_VERSION;
    bytes[AT_KIND] = (unsigned char)acc->kind;
    bytes[AT_NORMALIZE] = acc->options.normalize != 0;
    bytes[AT_HAS_HELD] = acc->has_held != 0;
    put_f64(bytes, AT_BASE, acc->options.base);
    put_f64(bytes, AT_SUM_TOLERANCE, acc->options.sum_tolerance);
    put_f64(bytes, AT_TEMPERATURE, acc->temperature);
    put_u64(bytes, AT_TARGET, acc->target);
    put_u64(bytes, AT_ENTRIES, acc->entries);
    put_u64(bytes, AT_END, acc->end);
    put_u64(bytes, AT_VIOLATING_COUNT, acc->violating_count);
    put_u64(bytes, AT_REVERSE_COUNT, acc->reverse_count);
    put_u64(bytes, AT_FINITE_COUNT, acc->finite_count);
    put_u64(bytes, AT_HELD_INDEX, acc->held_index);
    put_f64(bytes, AT_HELD_P, acc->held_p);
    put_f64(bytes, AT_HELD_Q, acc->held_q);
    put_f64(bytes, AT_MAX_LOGIT, acc->max_logit);
    for (size_t slot = 0; slot < SINGDIV_ACCUMULATOR_SUMS; slot++) {
        put_f64(bytes, AT_SUMS + 16 * slot, acc->sums[slot][0]);
        put_f64(bytes, AT_SUMS + 16 * slot + 8, acc->sums[slot][1]);
    }
    return SINGDIV_OK;
}

static singdiv_status
corrupt(singdiv_error *err, size_t at, double value)
{
    return singdiv__fail(err, SINGDIV_ERR_DOMAIN, "bytes", at, value);
}

/* Reads the header bytes and options; the counts and values are checked by read_fields. */
static singdiv_status
read_header(singdiv_accumulator *acc, const unsigned char *bytes, singdiv_error *err)
{
    singdiv_options resolved;

    if (bytes[AT_VERSION] != SINGDIV_ACCUMULATOR_VERSION) {
        return corrupt(err, AT_VERSION, bytes[AT_VERSION]);
    }
    acc->kind = bytes[AT_KIND];
    if (!is_probability_kind(acc->kind) && !is_logits_kind(acc->kind)) {
        return corrupt(err, AT_KIND, bytes[AT_KIND]);
    }
    if (bytes[AT_NORMALIZE] > 1 || bytes[AT_HAS_HELD] > 1) {
        return corrupt(err, bytes[AT_NORMALIZE] > 1 ? AT_NORMALIZE : AT_HAS_HELD, (double)NAN);
    }
    for (size_t at = AT_RESERVED; at < AT_BASE; at++) {
        if (bytes[at] != 0) {
            return corrupt(err, at, bytes[at]);
        }
    }
    acc->options.normalize = bytes[AT_NORMALIZE];
    acc->has_held = bytes[AT_HAS_HELD];
    acc->options.base = get_f64(bytes, AT_BASE);
    acc->options.sum_tolerance = get_f64(bytes, AT_SUM_TOLERANCE);
    if (singdiv__resolve_options(&acc->options, &resolved, NULL) != SINGDIV_OK) {
        return corrupt(err, AT_BASE, acc->options.base);
    }
    acc->temperature = get_f64(bytes, AT_TEMPERATURE);
    if (!(isfinite(acc->temperature) && acc->temperature > 0.0)) {
        return corrupt(err, AT_TEMPERATURE, acc->temperature);
    }
    return SINGDIV_OK;
}

/* Reads a count that must fit in size_t and not exceed `limit`. */
static singdiv_status
read_count(const unsigned char *bytes, size_t at, uint64_t limit, size_t *count,
           singdiv_error *err)
{
    uint64_t v = get_u64(bytes, at);

    if (v > SIZE_MAX || v > limit) {
        return corrupt(err, at, (double)v);
    }
    *count = (size_t)v;
    return SINGDIV_OK;
}

static singdiv_status
read_counts(singdiv_accumulator *acc, const unsigned char *bytes, singdiv_error *err)
{
    static const size_t at[] = { AT_TARGET, AT_ENTRIES, AT_END, AT_VIOLATING_COUNT,
                                 AT_REVERSE_COUNT, AT_FINITE_COUNT, AT_HELD_INDEX };
    size_t *fields[] = { &acc->target, &acc->entries, &acc->end, &acc->violating_count,
                         &acc->reverse_count, &acc->finite_count, &acc->held_index };
    singdiv_status status = SINGDIV_OK;

    for (size_t i = 0; i < 3 && status == SINGDIV_OK; i++) {
        status = read_count(bytes, at[i], UINT64_MAX, fields[i], err);
    }
    for (size_t i = 3; i < 6 && status == SINGDIV_OK; i++) {
        status = read_count(bytes, at[i], acc->entries, fields[i], err);
    }
    if (status == SINGDIV_OK) {
        status = read_count(bytes, AT_HELD_INDEX, UINT64_MAX, &acc->held_index, err);
    }
    return status;
}

/* Reads the values: masses finite and >= 0, sums not NaN, the maximum not NaN or +inf. */
static singdiv_status
read_values(singdiv_accumulator *acc, const unsigned char *bytes, singdiv_error *err)
{
    acc->held_p = get_f64(bytes, AT_HELD_P);
    acc->held_q = get_f64(bytes, AT_HELD_Q);
    acc->max_logit = get_f64(bytes, AT_MAX_LOGIT);
    if (!(isfinite(acc->held_p) && acc->held_p >= 0.0)) {
        return corrupt(err, AT_HELD_P, acc->held_p);
    }
    if (!(isfinite(acc->held_q) && acc->held_q >= 0.0)) {
        return corrupt(err, AT_HELD_Q, acc->held_q);
    }
    /*
     * Only entropy and cross-entropy hold an entry, always one with q > 0
     * (and q = p for the entropy); without one the held values are 0.
     * Anything else would make the finalisation divide by 0.
     */
    if (acc->has_held && acc->kind != SINGDIV_ACCUMULATE_ENTROPY &&
        acc->kind != SINGDIV_ACCUMULATE_CROSS_ENTROPY) {
        return corrupt(err, AT_HAS_HELD, 1.0);
    }
    if (acc->has_held ? !(acc->held_q > 0.0) : acc->held_q != 0.0) {
        return corrupt(err, AT_HELD_Q, acc->held_q);
    }
    if ((acc->kind == SINGDIV_ACCUMULATE_ENTROPY && acc->held_p != acc->held_q) ||
        (!acc->has_held && acc->held_p != 0.0)) {
        return corrupt(err, AT_HELD_P, acc->held_p);
    }
    if (acc->kind == SINGDIV_ACCUMULATE_KL && acc->held_index > LOG_RATIO_KEPT) {
        return corrupt(err, AT_HELD_INDEX, (double)acc->held_index);
    }
    if (isnan(acc->max_logit) || acc->max_logit == HUGE_VAL) {
        return corrupt(err, AT_MAX_LOGIT, acc->max_logit);
    }
    /* Entropy, cross-entropy and KL keep there the exponent k of the sums: -inf or an integer. */
    if (!is_logits_kind(acc->kind) && acc->max_logit != -HUGE_VAL &&
        !(fabs(acc->max_logit) <= 2 * DBL_MAX_EXP && acc->max_logit == floor(acc->max_logit))) {
        return corrupt(err, AT_MAX_LOGIT, acc->max_logit);
    }
    for (size_t slot = 0; slot < SINGDIV_ACCUMULATOR_SUMS; slot++) {
        size_t at = AT_SUMS + 16 * slot;
        double hi = get_f64(bytes, at);
        double lo = get_f64(bytes, at + 8);
        /*
         * set_sum() stores a sum that overflowed as (+inf, 0), or as
         * (-inf, 0) in the only slots with negative terms: p_i log m_i and
         * p_i e_i of the cross-entropy and entropy.
         */
        int may_be_negative = !is_logits_kind(acc->kind) && acc->kind != SINGDIV_ACCUMULATE_KL &&
                              (slot == SUM_LOG_MANTISSA || slot == SUM_EXPONENT);

        /* The logits kinds keep there (k, g), two integers. */
        int is_scale = is_logits_kind(acc->kind) && slot == SUM_LOGITS_SCALE;

        if (isnan(hi) || (hi == -HUGE_VAL && !may_be_negative) ||
            (is_scale && !(fabs(hi) <= 2 * DBL_MAX_EXP && hi == floor(hi)))) {
            return corrupt(err, at, hi);
        }
        /* Its low part is g, an integer in [-GAP_EXPONENT_LIMIT, 0]: 0 in older states. */
        if (is_scale && !(lo <= 0.0 && lo >= -GAP_EXPONENT_LIMIT && lo == floor(lo))) {
            return corrupt(err, at + 8, lo);
        }
        if (!isfinite(lo) || (isinf(hi) && lo != 0.0)) {
            return corrupt(err, at + 8, lo);
        }
        acc->sums[slot][0] = hi;
        acc->sums[slot][1] = lo;
    }
    return SINGDIV_OK;
}

singdiv_status
singdiv_accumulator_deserialize(singdiv_accumulator *acc, const unsigned char *bytes,
                                size_t size, singdiv_error *err)
{
    singdiv_accumulator read;
    singdiv_status status;

    singdiv__clear_error(err);
    if (acc == NULL || bytes == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, acc == NULL ? "acc" : "bytes",
                             SINGDIV_NO_INDEX, (double)NAN);
    }
    if (size != SINGDIV_ACCUMULATOR_STATE_SIZE) {
        return singdiv__fail(err, SINGDIV_ERR_WORKSPACE, "size", SINGDIV_NO_INDEX, (double)size);
    }

    memset(&read, 0, sizeof read);
    status = read_header(&read, bytes, err);
    if (status == SINGDIV_OK) {
        status = read_counts(&read, bytes, err);
    }
    if (status == SINGDIV_OK) {
        status = read_values(&read, bytes, err);
    }
    if (status != SINGDIV_OK) {
        return status;
    }
    *acc = read;
    return SINGDIV_OK;
}
