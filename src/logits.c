/*
 * Cross-entropy and KL against softmax(logits / temperature), and the
 * log-sum-exp of logits.
 *
 * Everything is computed from the shifted, scaled logits
 * s_i = (l_i - max) / T <= 0, formed as double-doubles, and from
 * L = log(sum_j exp(s_j)) = log1p(sum over j != argmax of exp(s_j)) >= 0.
 * Then -log q_i = L - s_i is a sum of two non-negative numbers, so the
 * cross-entropy is a sum of non-negative terms and keeps its relative
 * accuracy even when it is close to 0.
 */
#include <float.h>

#include "logits_internal.h"

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

/* The maximum of the finite logits, its first index and their number. */
typedef struct logits_scan {
    double max;
    size_t argmax;
    size_t finite_count;
} logits_scan;

static singdiv_status
check_temperature(double temperature, singdiv_error *err)
{
    if (!(isfinite(temperature) && temperature > 0.0)) {
        return singdiv__fail(err, SINGDIV_ERR_DOMAIN, "temperature", SINGDIV_NO_INDEX,
                             temperature);
    }
    return SINGDIV_OK;
}

singdiv_status
singdiv__check_logits(const double *logits, size_t n, size_t offset, const char *argument,
                      singdiv_error *err)
{
    for (size_t i = 0; i < n; i++) {
        double l = logits[i];

        if (isnan(l)) {
            return singdiv__fail(err, SINGDIV_ERR_NAN, argument, offset + i, l);
        }
        if (l == HUGE_VAL) {
            return singdiv__fail(err, SINGDIV_ERR_INFINITE, argument, offset + i, l);
        }
    }
    return SINGDIV_OK;
}

/* Rejects NaN and +inf logits and all -inf rows, and finds the maximum. */
static singdiv_status
scan_logits(const double *logits, size_t k, singdiv_error *err, logits_scan *scan)
{
    singdiv_status status;

    scan->max = -HUGE_VAL;
    scan->argmax = 0;
    scan->finite_count = 0;
    if (logits == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, "logits", SINGDIV_NO_INDEX, (double)NAN);
    }

    status = singdiv__check_logits(logits, k, 0, "logits", err);
    if (status != SINGDIV_OK) {
        return status;
    }

    for (size_t i = 0; i < k; i++) {
        double l = logits[i];

        if (l == -HUGE_VAL) {
            continue;
        }
        if (scan->finite_count == 0 || l > scan->max) {
            scan->max = l;
            scan->argmax = i;
        }
        scan->finite_count++;
    }

    if (scan->finite_count == 0) {
        return singdiv__fail(err, SINGDIV_ERR_ZERO_MASS, "logits", SINGDIV_NO_INDEX, -HUGE_VAL);
    }
    return SINGDIV_OK;
}

singdiv__dd
singdiv__scaled_gap(double x, double max, double temperature)
{
    singdiv__dd d = singdiv__two_sum(x, -max);
    singdiv__dd s;
    double factor = 1.0;

    /* two_sum's error term is NaN when an intermediate overflows, even for a finite sum. */
    if (!(isfinite(d.hi) && isfinite(d.lo))) {
        d = singdiv__two_sum(0.5 * x, -0.5 * max);
        factor = 2.0;
    }
    s.hi = d.hi / temperature;
    if (isinf(s.hi)) {
        s.lo = 0.0;
        return s;
    }
    /* The remainder d.hi - s.hi * T is exact with fma. */
    s.lo = (fma(-s.hi, temperature, d.hi) + d.lo) / temperature;
    s.hi *= factor;
    s.lo = isinf(s.hi) ? 0.0 : s.lo * factor;
    return s;
}

/*
 * Adds a non-negative term, setting *overflow instead once a term or the
 * sum is infinite. The sum counts as infinite also when only sum + comp
 * rounds to +inf: its later use would otherwise compute inf - inf = NaN.
 */
static void
add_nonnegative(singdiv__sum *s, double x, int *overflow)
{
    if (*overflow || isinf(x)) {
        *overflow = 1;
        return;
    }
    singdiv__sum_add(s, x);
    if (isinf(s->sum) || isinf(singdiv__sum_value(s))) {
        *overflow = 1;
    }
}

/* Returns sum over finite logits i != argmax of exp(s_i), the partition function minus 1. */
static double
partition_rest(const double *logits, size_t k, const logits_scan *scan, double temperature)
{
    singdiv__sum rest = { 0.0, 0.0 };

    for (size_t i = 0; i < k; i++) {
        singdiv__dd gap;

        if (i == scan->argmax || logits[i] == -HUGE_VAL) {
            continue;
        }
        gap = singdiv__scaled_gap(logits[i], scan->max, temperature);
        singdiv__sum_add(&rest, singdiv__exp_dd(gap));
    }
    return singdiv__sum_value(&rest);
}

singdiv_status
singdiv_logsumexp(const double *logits, size_t k, double temperature,
                  double *lse, singdiv_error *err)
{
    logits_scan scan;
    singdiv_status status;

    singdiv__clear_error(err);
    if (lse == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, "lse", SINGDIV_NO_INDEX, (double)NAN);
    }
    *lse = (double)NAN;
    status = check_temperature(temperature, err);
    if (status == SINGDIV_OK && logits == NULL) {
        status = singdiv__fail(err, SINGDIV_ERR_NULL, "logits", SINGDIV_NO_INDEX, (double)NAN);
    }
    if (status == SINGDIV_OK && k == 0) {
        status = singdiv__fail(err, SINGDIV_ERR_EMPTY, "logits", SINGDIV_NO_INDEX, (double)NAN);
    }
    if (status == SINGDIV_OK) {
        status = singdiv__check_size(k, 1, "logits", err);
    }
    if (status == SINGDIV_OK) {
        status = scan_logits(logits, k, err, &scan);
    }
    if (status != SINGDIV_OK) {
        return status;
    }

    /* max / T rounds once; log1p of the rest is accurate near 0. */
    *lse = scan.max / temperature + log1p(partition_rest(logits, k, &scan, temperature));
    return SINGDIV_OK;
}

/* Validated inputs of a logits divergence with a target distribution. */
typedef struct logits_problem {
    singdiv_options options;
    singdiv__scaled p; /* power-of-two scaling of the target */
    logits_scan scan;
} logits_problem;

static singdiv_status
prepare_problem(const double *p, const double *logits, size_t k, double temperature,
                const singdiv_options *opt, singdiv_error *err, logits_problem *c)
{
    singdiv__dd p_sum;
    singdiv_status status;

    status = singdiv__resolve_options(opt, &c->options, err);
    if (status != SINGDIV_OK) {
        return status;
    }
    status = check_temperature(temperature, err);
    if (status != SINGDIV_OK) {
        return status;
    }
    status = singdiv__check_distribution(p, k, &c->options, "p", err, &p_sum);
    if (status != SINGDIV_OK) {
        return status;
    }
    status = scan_logits(logits, k, err, &c->scan);
    if (status != SINGDIV_OK) {
        return status;
    }
    c->p = singdiv__scale_for(p_sum);
    return SINGDIV_OK;
}

/* Sums of the cross-entropy pass, with the target in scaled units. */
typedef struct ce_sums {
    singdiv__sum rest;      /* sum over finite i != argmax of exp(s_i) */
    singdiv__sum gap;       /* sum over S(p) \ V of -p_i s_i, >= 0 */
    singdiv__sum covered;   /* sum over S(p) \ V of p_i */
    singdiv__sum violating; /* sum over V of p_i */
    singdiv__sum reverse;   /* sum over F of exp(s_i) */
    size_t violating_count;
    size_t reverse_count;
    int overflow; /* some -p_i s_i, or their sum, exceeds DBL_MAX */
} ce_sums;

double
singdiv__weighted_gap(double w, int w_exp, singdiv__dd gap, double x, double max,
                      double temperature)
{
    double ws = ldexp(w, w_exp);
    double d;
    int halved = 0;
    int ew, eg, ed, et;
    double mw, mg, md, mt;

    if (w == 0.0) {
        return 0.0;
    }
    if (!isinf(gap.hi) && ws >= DBL_MIN && ws <= DBL_MAX) {
        return -ws * (gap.hi + gap.lo);
    }
    mw = frexp(w, &ew);
    if (!isinf(gap.hi)) {
        mg = frexp(-(gap.hi + gap.lo), &eg);
        return ldexp(mw * mg, ew + w_exp + eg);
    }
    /* s is below -DBL_MAX: divide the mantissas of max - x and T, halving an overflowing difference. */
    d = max - x;
    if (isinf(d)) {
        d = 0.5 * max - 0.5 * x;
        halved = 1;
    }
    md = frexp(d, &ed);
    mt = frexp(temperature, &et);
    return ldexp(mw * md / mt, ew + w_exp + ed + halved - et);
}

static ce_sums
cross_entropy_pass(const logits_problem *c, const double *p, const double *logits,
                   size_t k, double temperature)
{
    ce_sums s = { { 0.0, 0.0 }, { 0.0, 0.0 }, { 0.0, 0.0 }, { 0.0, 0.0 }, { 0.0, 0.0 }, 0, 0, 0 };
    int scale_exponent = ilogb(c->p.scale);

    for (size_t i = 0; i < k; i++) {
        double ps = p[i] * c->p.scale;
        singdiv__dd gap;
        double e;

        if (logits[i] == -HUGE_VAL) {
            if (p[i] > 0.0) {
                singdiv__sum_add(&s.violating, ps);
                s.violating_count++;
            }
            continue;
        }
        gap = singdiv__scaled_gap(logits[i], c->scan.max, temperature);
        e = i == c->scan.argmax ? 1.0 : singdiv__exp_dd(gap);
        if (i != c->scan.argmax) {
            singdiv__sum_add(&s.rest, e);
        }
        if (p[i] > 0.0) {
            double term = -ps * (gap.hi + gap.lo);

            if (isinf(gap.hi) || ps < DBL_MIN) {
                term = singdiv__weighted_gap(p[i], scale_exponent, gap, logits[i], c->scan.max,
                                             temperature);
            }
            singdiv__sum_add(&s.covered, ps);
            add_nonnegative(&s.gap, term, &s.overflow);
        } else {
            singdiv__sum_add(&s.reverse, e);
            s.reverse_count++;
        }
    }
    return s;
}

/*
 * The exponent by which the second pass lowers the sum of -p_i s_i. In
 * those units the sum is at most 2^(1 - RESCUE_SHIFT) times the
 * cross-entropy in nats, so it overflows only where the cross-entropy
 * exceeds 2^11 DBL_MAX, above DBL_MAX in every base up to DBL_MAX
 * (log(DBL_MAX) < 710).
 */
#define RESCUE_SHIFT 12

/*
 * Returns the sum over S(p) \ V of -p_i s_i in the scaled units times
 * 2^-RESCUE_SHIFT, or +inf when it overflows. The pass runs only after the
 * sum in scaled units overflowed, which keeps the common case free of the
 * extra rounding of subnormal terms.
 */
static double
rescued_gap_sum(const logits_problem *c, const double *p, const double *logits, size_t k,
               double temperature)
{
    singdiv__sum gap = { 0.0, 0.0 };
    int overflow = 0;

    for (size_t i = 0; i < k; i++) {
        singdiv__dd s;

        if (!(p[i] > 0.0) || logits[i] == -HUGE_VAL) {
            continue;
        }
        s = singdiv__scaled_gap(logits[i], c->scan.max, temperature);
        add_nonnegative(&gap,
                        singdiv__weighted_gap(p[i], ilogb(c->p.scale) - RESCUE_SHIFT, s, logits[i],
                                              c->scan.max, temperature),
                        &overflow);
    }
    return overflow ? HUGE_VAL : singdiv__sum_value(&gap);
}

singdiv_status
singdiv_logits_cross_entropy(const double *p, const double *logits, size_t k,
                             double temperature, const singdiv_options *opt,
                             singdiv_report *out)
{
    logits_problem c;
    ce_sums s;
    double inverse_total;
    double log_partition;
    double covered_share;
    double finite;
    int shift = 0; /* finite is the cross-entropy times 2^-shift */
    singdiv_status status;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    report_reset(out);
    status = prepare_problem(p, logits, k, temperature, opt, &out->error, &c);
    if (status != SINGDIV_OK) {
        return status;
    }

    s = cross_entropy_pass(&c, p, logits, k, temperature);

    /* 1 / P to double-double accuracy in one correction step. */
    inverse_total = (1.0 / c.p.total.hi) * (1.0 - c.p.total.lo / c.p.total.hi);
    log_partition = log1p(singdiv__sum_value(&s.rest));
    covered_share = s.violating_count == 0 ? 1.0 : singdiv__sum_value(&s.covered) * inverse_total;
    if (s.overflow) {
        /*
         * The sum in scaled units, which can reach 2 max|s_i|, overflowed.
         * Redo it lower, and leave the scaling back until the value is in
         * its base, which may bring it below DBL_MAX.
         */
        double rescued = rescued_gap_sum(&c, p, logits, k, temperature);

        shift = RESCUE_SHIFT;
        finite = isinf(rescued) ? HUGE_VAL
                                : ldexp(covered_share * log_partition, -shift) +
                                      rescued * inverse_total;
    } else {
        finite = covered_share * log_partition + singdiv__sum_value(&s.gap) * inverse_total;
    }

    out->violating_mass = singdiv__sum_value(&s.violating) * inverse_total;
    out->violating_count = s.violating_count;
    out->reverse_mass = singdiv__sum_value(&s.reverse) / (1.0 + singdiv__sum_value(&s.rest));
    out->reverse_count = s.reverse_count;
    out->finite_part = ldexp(singdiv__in_base(finite, &c.options), shift);
    out->value = s.violating_count > 0 ? HUGE_VAL : out->finite_part;
    return SINGDIV_OK;
}

/* Validates the arguments of the class-index cross-entropy. */
static singdiv_status
prepare_index(size_t target, const double *logits, size_t k, double temperature,
              const singdiv_options *opt, singdiv_error *err, singdiv_options *resolved,
              logits_scan *scan)
{
    singdiv_status status;

    status = singdiv__resolve_options(opt, resolved, err);
    if (status != SINGDIV_OK) {
        return status;
    }
    status = check_temperature(temperature, err);
    if (status != SINGDIV_OK) {
        return status;
    }
    if (logits == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, "logits", SINGDIV_NO_INDEX, (double)NAN);
    }
    if (k == 0) {
        return singdiv__fail(err, SINGDIV_ERR_EMPTY, "logits", SINGDIV_NO_INDEX, (double)NAN);
    }
    status = singdiv__check_size(k, 1, "logits", err);
    if (status != SINGDIV_OK) {
        return status;
    }
    if (target >= k) {
        return singdiv__fail(err, SINGDIV_ERR_INDEX, "target", SINGDIV_NO_INDEX, (double)target);
    }
    return scan_logits(logits, k, err, scan);
}

singdiv_status
singdiv_logits_cross_entropy_index(size_t target, const double *logits, size_t k,
                                   double temperature, const singdiv_options *opt,
                                   singdiv_report *out)
{
    singdiv_options options;
    logits_scan scan;
    singdiv__sum rest = { 0.0, 0.0 };
    singdiv__sum others = { 0.0, 0.0 };
    singdiv__dd gap = { 0.0, 0.0 };
    singdiv_status status;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    report_reset(out);
    status = prepare_index(target, logits, k, temperature, opt, &out->error, &options, &scan);
    if (status != SINGDIV_OK) {
        return status;
    }

    for (size_t i = 0; i < k; i++) {
        singdiv__dd g;
        double e;

        if (logits[i] == -HUGE_VAL) {
            continue;
        }
        g = singdiv__scaled_gap(logits[i], scan.max, temperature);
        e = i == scan.argmax ? 1.0 : singdiv__exp_dd(g);
        if (i != scan.argmax) {
            singdiv__sum_add(&rest, e);
        }
        if (i == target) {
            gap = g;
        } else {
            singdiv__sum_add(&others, e);
        }
    }

    out->reverse_mass = singdiv__sum_value(&others) / (1.0 + singdiv__sum_value(&rest));
    if (logits[target] == -HUGE_VAL) {
        out->violating_mass = 1.0;
        out->violating_count = 1;
        out->reverse_count = scan.finite_count;
        out->finite_part = 0.0;
        out->value = HUGE_VAL;
        return SINGDIV_OK;
    }
    /* -log q_target = L + (-s_target): two non-negative parts. */
    out->violating_mass = 0.0;
    out->reverse_count = scan.finite_count - 1;
    out->finite_part = log1p(singdiv__sum_value(&rest)) - gap.hi - gap.lo;
    if (isinf(out->finite_part)) {
        /* Above DBL_MAX in nats: scaled down until it is in its base, which may bring it below. */
        double scaled = ldexp(log1p(singdiv__sum_value(&rest)), -RESCUE_SHIFT) +
                        singdiv__weighted_gap(1.0, -RESCUE_SHIFT, gap, logits[target], scan.max,
                                              temperature);

        out->finite_part = ldexp(singdiv__in_base(scaled, &options), RESCUE_SHIFT);
    } else {
        out->finite_part = singdiv__in_base(out->finite_part, &options);
    }
    out->value = out->finite_part;
    return SINGDIV_OK;
}

/* Sums of the KL pass, in units of the normalised target x = p / P. */
typedef struct kl_sums {
    singdiv__sum covered;   /* x_i log(x_i / q_i) - x_i + q_i over S(p) \ V */
    singdiv__sum violating; /* sum over V of x_i */
    singdiv__sum reverse;   /* sum over F of q_i */
    size_t violating_count;
    size_t reverse_count;
    int overflow; /* some term, or their sum, exceeds DBL_MAX */
} kl_sums;

/*
 * Returns x log(x / q) - x + q >= 0 for x > 0 given log q as a
 * double-double. Near x = q the deviance kernel keeps the digits; away
 * from it the direct form has no cancellation worth the name.
 */
static double
kl_term(double x, singdiv__dd log_q)
{
    double q = singdiv__exp_dd(log_q);

    if (x == 0.0) {
        /* p_i / P underflowed: the term is q_i, and 0 log 0 must not become NaN. */
        return q;
    }
    if (q > 0.5 * x && q < 2.0 * x) {
        return singdiv__deviance(x, q, x - q);
    }
    return fmax(x * ((log(x) - log_q.hi) - log_q.lo) - x + q, 0.0);
}

static kl_sums
kl_pass(const logits_problem *c, const double *p, const double *logits, size_t k,
        double temperature, double log_partition)
{
    kl_sums s = { { 0.0, 0.0 }, { 0.0, 0.0 }, { 0.0, 0.0 }, 0, 0, 0 };
    double inverse_total = (1.0 / c->p.total.hi) * (1.0 - c->p.total.lo / c->p.total.hi);

    for (size_t i = 0; i < k; i++) {
        double x = p[i] * c->p.scale * inverse_total;
        singdiv__dd gap;
        singdiv__dd log_q;

        if (logits[i] == -HUGE_VAL) {
            if (p[i] > 0.0) {
                singdiv__sum_add(&s.violating, x);
                s.violating_count++;
            }
            continue;
        }
        /* log q_i = s_i - L, kept as a double-double. */
        gap = singdiv__scaled_gap(logits[i], c->scan.max, temperature);
        log_q = gap;
        if (!isinf(gap.hi)) {
            log_q = singdiv__two_sum(gap.hi, -log_partition);
            log_q.lo += gap.lo;
        }
        if (p[i] > 0.0 && isinf(gap.hi)) {
            /*
             * s_i is below -DBL_MAX, so the term x_i (log x_i - s_i + L) - x_i
             * is x_i |s_i| to far below one rounding: |log x_i| + L + 1 < 2^11.
             */
            add_nonnegative(&s.covered,
                            singdiv__weighted_gap(p[i] * inverse_total, ilogb(c->p.scale), gap,
                                                  logits[i], c->scan.max, temperature),
                            &s.overflow);
        } else if (p[i] > 0.0) {
            add_nonnegative(&s.covered, kl_term(x, log_q), &s.overflow);
        } else {
            singdiv__sum_add(&s.reverse, singdiv__exp_dd(log_q));
            s.reverse_count++;
        }
    }
    return s;
}

singdiv_status
singdiv_logits_kl(const double *p, const double *logits, size_t k,
                  double temperature, const singdiv_options *opt,
                  singdiv_report *out)
{
    logits_problem c;
    kl_sums s;
    singdiv__sum finite = { 0.0, 0.0 };
    singdiv_status status;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    report_reset(out);
    status = prepare_problem(p, logits, k, temperature, opt, &out->error, &c);
    if (status != SINGDIV_OK) {
        return status;
    }

    s = kl_pass(&c, p, logits, k, temperature,
                log1p(partition_rest(logits, k, &c.scan, temperature)));

    /* Over S(p) \ V, sum x log(x/q) = sum (x log(x/q) - x + q) - (1 - q(F)) + (1 - m_V). */
    singdiv__sum_add(&finite, singdiv__sum_value(&s.covered));
    singdiv__sum_add(&finite, singdiv__sum_value(&s.reverse));
    singdiv__sum_add(&finite, -singdiv__sum_value(&s.violating));

    out->violating_mass = singdiv__sum_value(&s.violating);
    out->violating_count = s.violating_count;
    out->reverse_mass = singdiv__sum_value(&s.reverse);
    out->reverse_count = s.reverse_count;
    out->finite_part = singdiv__in_base(s.overflow ? HUGE_VAL : singdiv__sum_value(&finite),
                                        &c.options);
    out->value = s.violating_count > 0 ? HUGE_VAL : out->finite_part;
    return SINGDIV_OK;
}
