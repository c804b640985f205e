/*
 * The evaluation of q_eps = (1 - eps) q + eps r entry by entry, shared by
 * mixture smoothing, Lidstone smoothing and their expansions.
 *
 * Three validated distributions p, q, r are each scaled by a power of two
 * so that their exact sums P, Q, R lie in [1, 2). In the unit
 * U = P Q R, x_i U = p_i Q R, y_i U = q_i P R and rr_i U = r_i P Q are
 * double-double products, so differences such as x - y_eps are formed
 * without cancellation (x, y, rr are the normalised p, q, r).
 */
#ifndef SINGDIV_SMOOTHING_CORE_H
#define SINGDIV_SMOOTHING_CORE_H

#include "internal.h"

typedef struct singdiv__mixture {
    singdiv_options options;
    const double *p;
    const double *q;
    const double *r; /* NULL: uniform */
    size_t n;
    singdiv__scaled p_scaled;
    singdiv__scaled q_scaled;
    singdiv__scaled r_scaled;
    singdiv__dd q_sum; /* the exact sum of q, unscaled */
    singdiv__dd qr; /* Q R */
    singdiv__dd pr; /* P R */
    singdiv__dd pq; /* P Q */
    singdiv__dd pqr; /* U = P Q R */
    double inverse_p;
    double inverse_q;
    double inverse_r;
    double eps;           /* eps + eps_lo is eps as a double-double */
    double eps_lo;
    double one_minus_eps; /* 1 - eps, rounded */
    double log_eps;       /* log(eps), accurate */
    double log1m_eps;     /* log(1 - eps), accurate */
} singdiv__mixture;

/* Which set an entry belongs to. */
typedef enum singdiv__entry_kind {
    SINGDIV__COVERED,    /* p > 0, q > 0 */
    SINGDIV__VIOLATING,  /* p > 0, q = 0, r > 0 */
    SINGDIV__UNCOVERED,  /* p > 0, q = 0, r = 0: q_eps = 0 for every eps */
    SINGDIV__REVERSE,    /* p = 0, q > 0 or r > 0 */
    SINGDIV__EMPTY       /* p = q = r = 0 */
} singdiv__entry_kind;

/* One entry in normalised form and in units of U. */
typedef struct singdiv__entry {
    singdiv__entry_kind kind;
    double p_raw; /* p_i, q_i, r_i as given (r_i = 1 for the uniform r) */
    double q_raw;
    double r_raw;
    double ps; /* p_i, q_i, r_i scaled, so x = ps / P, y = qs / Q, rr = rs / R */
    double qs;
    double rs;
    double x;
    double y;
    double rr;
    singdiv__dd xu;
    singdiv__dd yu;
    singdiv__dd ru;
} singdiv__entry;

/*
 * Validates opt, p, q (as counts when q_counts is set, named q_name) and r
 * (named r_name, NULL: uniform), in that order, and prepares the scaling. Leaves eps
 * unset: call singdiv__mixture_set_eps() next.
 */
singdiv_status
singdiv__mixture_prepare(const double *p, const double *q, const double *r, size_t n,
                         const singdiv_options *opt, int q_counts, const char *q_name,
                         const char *r_name, singdiv_error *err, singdiv__mixture *m);

/*
 * Sets eps = eps_hi + eps_lo (a double-double in (0, 1)) with its
 * logarithms log(eps) and log(1 - eps), which the caller supplies because
 * it may know them more accurately than eps itself.
 */
void
singdiv__mixture_set_eps(singdiv__mixture *m, double eps_hi, double eps_lo, double log_eps,
                         double log1m_eps);

/* Sets eps from a double in (0, 1). */
void
singdiv__mixture_set_eps_double(singdiv__mixture *m, double eps);

/* Returns entry i. */
singdiv__entry
singdiv__mixture_entry(const singdiv__mixture *m, size_t i);

/* Returns log q_eps,i, accurate to a few ulp, or -inf for an uncovered or empty entry. */
double
singdiv__mixture_log(const singdiv__mixture *m, const singdiv__entry *e);

/* Returns q_eps,i rounded to a double (it may underflow for tiny eps). */
double
singdiv__mixture_value(const singdiv__mixture *m, const singdiv__entry *e);

/* Returns x - q_eps,i = (x - y) + eps (y - rr), formed in double-double. */
double
singdiv__mixture_gap(const singdiv__mixture *m, const singdiv__entry *e);

/*
 * Returns the deviance term x log(x / q_eps,i) + q_eps,i - x >= 0 of
 * KL(p || q_eps), or +inf for an uncovered entry.
 */
double
singdiv__mixture_deviance(const singdiv__mixture *m, const singdiv__entry *e);

/* Returns the term (x - q_eps,i) eps (rr - y) / q_eps,i of the slope s(eps). */
double
singdiv__mixture_slope_term(const singdiv__mixture *m, const singdiv__entry *e);

/* Returns d / U for a double-double d in units of U. */
double
singdiv__mixture_per_unit(const singdiv__mixture *m, singdiv__dd d);

/* Sums of one pass over the entries for a smoothed value at eps. */
typedef struct singdiv__smoothed_sums {
    singdiv__sum ce;          /* -sum over q_eps > 0 of x log q_eps */
    singdiv__sum deviance;    /* KL deviance terms over q_eps > 0 */
    singdiv__sum slope;       /* terms of s(eps) */
    singdiv__sum violating;   /* sum over V of ps */
    singdiv__sum uncovered;   /* sum over U of ps */
    singdiv__sum reverse;     /* sum over p = 0 of q_eps */
    size_t violating_count;
    size_t uncovered_count;
    size_t reverse_count;
} singdiv__smoothed_sums;

/* Flags of singdiv__mixture_sums(): which sums to compute (masses and counts always). */
enum {
    SINGDIV__SUM_CE = 1,
    SINGDIV__SUM_KL = 2,
    SINGDIV__SUM_SLOPE = 4
};

/* Runs the pass of the smoothed values at the eps set in *m, computing the sums in `parts`. */
singdiv__smoothed_sums
singdiv__mixture_sums(const singdiv__mixture *m, unsigned parts);

/* Fills a report of CE (kl == 0) or KL (kl != 0) from the sums. */
void
singdiv__mixture_report(const singdiv__mixture *m, const singdiv__smoothed_sums *s, int kl,
                        singdiv_report *out);

/* Sums of the eps-free expansion pass, in nats. */
typedef struct singdiv__expansion_sums {
    double violating_mass;
    size_t violating_count;
    double uncovered_mass;
    size_t uncovered_count;
    double covered_ce;      /* -sum_{S \ V} x log y */
    double violating_log_r; /* -sum_{V} x log rr */
    double violating_log_p; /* sum_{V} x log x */
    double covered_kl;      /* sum_{S \ V} x log(x / y) */
    double first_order;     /* D */
    double second_order;    /* E */
    double inverse_square;  /* sum_{S \ V} x (rr / y)^2 / 2 */
    double threshold;       /* min_{S \ V, r > 0} y / rr */
    double min_covered_q;   /* min_{S \ V} y */
} singdiv__expansion_sums;

/* Runs the eps-free pass of the expansion (eps need not be set). */
singdiv__expansion_sums
singdiv__mixture_expansion_sums(const singdiv__mixture *m);

/* Fills *out with NaN members and zero counts. */
void
singdiv__expansion_reset(singdiv_expansion *out);

/* Sets the members of *out for an uncovered set U that is not empty. */
void
singdiv__expansion_uncovered(const singdiv__expansion_sums *s, singdiv_expansion *out);

/* Fills *out with NaN members and zero counts and the error with success. */
void
singdiv__smoothing_report_reset(singdiv_report *out);

/* Returns SINGDIV_ERR_DOMAIN (argument "eps") unless 0 < eps < 1. */
singdiv_status
singdiv__check_eps(double eps, singdiv_error *err);

#endif /* SINGDIV_SMOOTHING_CORE_H */
