/*
 * The singularity map: which set makes each divergence infinite and how
 * the value grows under mixture smoothing with the uniform distribution
 * u = 1/n. The derivations are in include/singdiv/singularity.h and
 * docs/singularity-map.md; the tests compare every rate with the slope of
 * the smoothed value at small eps.
 */
#include "family_internal.h"
#include <singdiv/singularity.h>

static const char *const divergence_names[SINGDIV_DIVERGENCE_COUNT] = {
    "cross_entropy", "kl", "js", "js_distance", "w1", "mmd", "renyi", "renyi_max",
    "pearson_chi2", "neyman_chi2", "jeffreys", "psi", "total_variation", "hellinger",
    "hellinger_squared", "bhattacharyya_coefficient", "bhattacharyya_angle", "skew_js",
};

const char *
singdiv_divergence_name(singdiv_divergence divergence)
{
    if ((int)divergence < 0 || (int)divergence >= SINGDIV_DIVERGENCE_COUNT) {
        return NULL;
    }
    return divergence_names[divergence];
}

/* What one pass over the pair gathers, in the scaled units of singdiv__pair. */
typedef struct map_sums {
    singdiv__tally tally;
    singdiv__sum violating_squares; /* sum over V of a^2 */
    singdiv__sum reverse_squares;   /* sum over F of b^2 */
    size_t p_zeros;                 /* entries with p_i == 0 */
} map_sums;

static map_sums
map_pass(const singdiv__pair *c, const double *p, const double *q, size_t n)
{
    map_sums s = { singdiv__tally_empty(), { 0.0, 0.0 }, { 0.0, 0.0 }, 0 };

    for (size_t i = 0; i < n; i++) {
        singdiv__cross_terms t = singdiv__cross_terms_of(c, p[i], q[i]);

        singdiv__tally_add(&s.tally, p[i], q[i], t);
        if (p[i] > 0.0 && q[i] == 0.0) {
            singdiv__sum_add(&s.violating_squares, t.a * t.a);
        } else if (q[i] > 0.0 && p[i] == 0.0) {
            singdiv__sum_add(&s.reverse_squares, t.b * t.b);
        }
        if (p[i] == 0.0) {
            s.p_zeros++;
        }
    }
    return s;
}

static void
set_infinite(singdiv_singularity *out, singdiv_singular_cause cause, singdiv_growth growth,
             double rate)
{
    out->finite = 0;
    out->cause = cause;
    out->growth = growth;
    out->rate = rate;
}

/* Returns the cause for a divergence that is infinite on V and on F. */
static singdiv_singular_cause
two_sided_cause(const singdiv__tally *t)
{
    if (t->violating_count > 0 && t->reverse_count > 0) {
        return SINGDIV_CAUSE_BOTH;
    }
    return t->violating_count > 0 ? SINGDIV_CAUSE_VIOLATING : SINGDIV_CAUSE_REVERSE;
}

/* Fills the map of a Rényi divergence of order alpha != 1 (rates in nats). */
static void
map_renyi(singdiv_singularity *out, const map_sums *s, double alpha, singdiv_smoothing smoothing)
{
    if (alpha > 1.0 && s->tally.violating_count > 0) {
        set_infinite(out, SINGDIV_CAUSE_VIOLATING, SINGDIV_GROWTH_LOG, 1.0);
    } else if (alpha < 1.0 && s->tally.shared_count == 0) {
        double rate = 1.0;

        if (smoothing == SINGDIV_SMOOTH_BOTH && alpha < 0.5) {
            /* eps^alpha from the support of q beats eps^(1 - alpha) from that of p. */
            rate = alpha / (1.0 - alpha);
        }
        set_infinite(out, SINGDIV_CAUSE_DISJOINT, SINGDIV_GROWTH_LOG, rate);
    }
}

/* Fills the map of Jeffreys and PSI (rates in nats). */
static void
map_jeffreys(singdiv_singularity *out, const map_sums *s, singdiv_smoothing smoothing)
{
    if (s->tally.violating_count == 0 && s->tally.reverse_count == 0) {
        return;
    }
    if (smoothing == SINGDIV_SMOOTH_BOTH) {
        set_infinite(out, two_sided_cause(&s->tally), SINGDIV_GROWTH_LOG,
                     out->violating_mass + out->reverse_mass);
    } else if (s->p_zeros > 0) {
        /* KL(q_eps || p) is infinite wherever p is zero, for every eps. */
        set_infinite(out, two_sided_cause(&s->tally), SINGDIV_GROWTH_UNREPAIRED, HUGE_VAL);
    } else {
        set_infinite(out, SINGDIV_CAUSE_VIOLATING, SINGDIV_GROWTH_LOG, out->violating_mass);
    }
}

/* Fills the map of the two chi-square divergences; rate / eps has no logarithm. */
static void
map_chi_square(singdiv_singularity *out, const singdiv__pair *c, const map_sums *s,
               int pearson, singdiv_smoothing smoothing, size_t n)
{
    double pq_squared = c->pq * c->pq;

    if (pearson && s->tally.violating_count > 0) {
        set_infinite(out, SINGDIV_CAUSE_VIOLATING, SINGDIV_GROWTH_INVERSE,
                     (double)n * singdiv__sum_value(&s->violating_squares) / pq_squared);
    } else if (!pearson && s->tally.reverse_count > 0) {
        if (smoothing == SINGDIV_SMOOTH_Q) {
            set_infinite(out, SINGDIV_CAUSE_REVERSE, SINGDIV_GROWTH_UNREPAIRED, HUGE_VAL);
        } else {
            set_infinite(out, SINGDIV_CAUSE_REVERSE, SINGDIV_GROWTH_INVERSE,
                         (double)n * singdiv__sum_value(&s->reverse_squares) / pq_squared);
        }
    }
}

/* Fills the finite, cause, growth and rate members once the pair and order are valid. */
static void
map_divergence(singdiv_singularity *out, singdiv_divergence divergence, const singdiv__pair *c,
               const map_sums *s, double order, singdiv_smoothing smoothing, size_t n)
{
    int logarithmic_kl = divergence == SINGDIV_DIVERGENCE_CROSS_ENTROPY
                         || divergence == SINGDIV_DIVERGENCE_KL
                         || (divergence == SINGDIV_DIVERGENCE_RENYI && order == 1.0);

    if (logarithmic_kl) {
        if (s->tally.violating_count > 0) {
            set_infinite(out, SINGDIV_CAUSE_VIOLATING, SINGDIV_GROWTH_LOG, out->violating_mass);
        }
    } else if (divergence == SINGDIV_DIVERGENCE_RENYI) {
        map_renyi(out, s, order, smoothing);
    } else if (divergence == SINGDIV_DIVERGENCE_RENYI_MAX) {
        map_renyi(out, s, HUGE_VAL, smoothing);
    } else if (divergence == SINGDIV_DIVERGENCE_PEARSON_CHI2
               || divergence == SINGDIV_DIVERGENCE_NEYMAN_CHI2) {
        map_chi_square(out, c, s, divergence == SINGDIV_DIVERGENCE_PEARSON_CHI2, smoothing, n);
        return;
    } else if (divergence == SINGDIV_DIVERGENCE_JEFFREYS || divergence == SINGDIV_DIVERGENCE_PSI) {
        map_jeffreys(out, s, smoothing);
    }
    if (out->growth == SINGDIV_GROWTH_LOG) {
        out->rate = singdiv__in_base(out->rate, &c->options);
    }
}

/* Checks the order parameter of the divergences that have one. */
static int
order_is_valid(singdiv_divergence divergence, double order)
{
    if (divergence == SINGDIV_DIVERGENCE_RENYI) {
        return order > 0.0;
    }
    if (divergence == SINGDIV_DIVERGENCE_SKEW_JS) {
        return order > 0.0 && order < 1.0;
    }
    return 1;
}

static void
singularity_reset(singdiv_singularity *out)
{
    out->finite = 0;
    out->cause = SINGDIV_CAUSE_NONE;
    out->growth = SINGDIV_GROWTH_NONE;
    out->rate = (double)NAN;
    out->violating_mass = (double)NAN;
    out->violating_count = 0;
    out->reverse_mass = (double)NAN;
    out->reverse_count = 0;
    singdiv__clear_error(&out->error);
}

singdiv_status
singdiv_singularity_map(singdiv_divergence divergence, const double *p, const double *q,
                        size_t n, double order, singdiv_smoothing smoothing,
                        const singdiv_options *opt, singdiv_singularity *out)
{
    singdiv_report masses;
    singdiv__pair c;
    map_sums s;
    singdiv_status status;

    if (out == NULL) {
        return SINGDIV_ERR_NULL;
    }
    singularity_reset(out);
    if (singdiv_divergence_name(divergence) == NULL) {
        return singdiv__fail(&out->error, SINGDIV_ERR_DOMAIN, "divergence", SINGDIV_NO_INDEX,
                             (double)divergence);
    }
    if (smoothing != SINGDIV_SMOOTH_Q && smoothing != SINGDIV_SMOOTH_BOTH) {
        return singdiv__fail(&out->error, SINGDIV_ERR_DOMAIN, "smoothing", SINGDIV_NO_INDEX,
                             (double)smoothing);
    }
    status = singdiv__pair_prepare(p, q, n, opt, &out->error, &c);
    if (status != SINGDIV_OK) {
        return status;
    }
    if (!order_is_valid(divergence, order)) {
        return singdiv__fail(&out->error, SINGDIV_ERR_DOMAIN, "order", SINGDIV_NO_INDEX, order);
    }

    s = map_pass(&c, p, q, n);
    singdiv__family_masses(&masses, &c, &s.tally);

    out->violating_mass = masses.violating_mass;
    out->violating_count = masses.violating_count;
    out->reverse_mass = masses.reverse_mass;
    out->reverse_count = masses.reverse_count;
    out->finite = 1;
    out->rate = 0.0;
    map_divergence(out, divergence, &c, &s, order, smoothing, n);
    return SINGDIV_OK;
}
