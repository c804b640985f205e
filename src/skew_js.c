/*
 * Skewed Jensen-Shannon divergence with weight pi in (0, 1):
 *     JS_pi(p, q) = pi KL(x || m) + (1 - pi) KL(y || m),  m = pi x + (1 - pi) y,
 * x = p / P, y = q / Q. Because x, y and m each sum to 1, each KL is a sum
 * of deviance terms x log(x / m) - (x - m) >= 0, with x - m = (1 - pi)(x - y)
 * and y - m = -pi (x - y) formed from the exact difference of the scaled
 * cross terms. pi = 1/2 is singdiv_js(). The value lies in [0, h(pi)],
 * h(pi) = -pi log pi - (1 - pi) log(1 - pi), and equals h(pi) exactly when
 * the supports are disjoint.
 */
#include "family_internal.h"
#include <singdiv/family.h>

/* Returns the binary entropy h(pi) in nats for 0 < pi < 1. */
static double
binary_entropy(double pi)
{
    return -pi * log(pi) - (1.0 - pi) * log1p(-pi);
}

singdiv_status
singdiv_skew_js(const double *p, const double *q, size_t n, double pi,
                const singdiv_options *opt, singdiv_report *out)
{
    singdiv__pair c;
    singdiv__tally tally = singdiv__tally_empty();
    singdiv__sum towards_p = { 0.0, 0.0 }; /* KL(x || m) times P Q */
    singdiv__sum towards_q = { 0.0, 0.0 }; /* KL(y || m) times P Q */
    singdiv_status status;
    double nats;
    double ceiling;

    status = singdiv__family_prepare(p, q, n, opt, out, &c);
    if (status != SINGDIV_OK) {
        return status;
    }
    if (!(pi > 0.0 && pi < 1.0)) {
        return singdiv__family_domain_error(out, "pi", pi);
    }

    for (size_t i = 0; i < n; i++) {
        singdiv__cross_terms t = singdiv__cross_terms_of(&c, p[i], q[i]);
        double m = fma(pi, t.a, (1.0 - pi) * t.b);

        singdiv__tally_add(&tally, p[i], q[i], t);
        if (p[i] > 0.0 || q[i] > 0.0) {
            singdiv__sum_add(&towards_p, singdiv__deviance(t.a, m, (1.0 - pi) * t.diff));
            singdiv__sum_add(&towards_q, singdiv__deviance(t.b, m, -pi * t.diff));
        }
    }

    ceiling = binary_entropy(pi);
    nats = (pi * singdiv__sum_value(&towards_p) + (1.0 - pi) * singdiv__sum_value(&towards_q))
           / c.pq;
    singdiv__family_masses(out, &c, &tally);
    /* Disjoint supports give h(pi) exactly; elsewhere rounding must not exceed it. */
    nats = tally.shared_count == 0 ? ceiling : fmin(nats, ceiling);
    out->value = singdiv__in_base(nats, &c.options);
    out->finite_part = out->value;
    return SINGDIV_OK;
}
