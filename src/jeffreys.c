/*
 * Jeffreys divergence J(p, q) = KL(p || q) + KL(q || p) and the population
 * stability index PSI = sum (x_i - y_i) log(x_i / y_i), x = p / P,
 * y = q / Q. The two are the same number: adding the two KL sums term by
 * term gives x log(x/y) + y log(y/x) = (x - y) log(x/y). Each term is
 * >= 0 (x - y and log(x/y) share their sign), so the sum has no
 * cancellation; x - y is formed from exact products and log(x / y) by log1p
 * where x and y are close.
 */
#include "family_internal.h"
#include <singdiv/family.h>

/*
 * Fills *out with sum (x - y) log(x / y): +inf when V or F is non-empty,
 * and finite_part the sum over the common support {p > 0, q > 0}.
 */
static singdiv_status
symmetric_kl(const double *p, const double *q, size_t n,
             const singdiv_options *opt, singdiv_report *out)
{
    singdiv__pair c;
    singdiv__tally tally = singdiv__tally_empty();
    singdiv__sum sum = { 0.0, 0.0 };
    singdiv_status status;

    status = singdiv__family_prepare(p, q, n, opt, out, &c);
    if (status != SINGDIV_OK) {
        return status;
    }

    for (size_t i = 0; i < n; i++) {
        singdiv__cross_terms t = singdiv__cross_terms_of(&c, p[i], q[i]);

        singdiv__tally_add(&tally, p[i], q[i], t);
        if (p[i] > 0.0 && q[i] > 0.0) {
            singdiv__cross_errors e = singdiv__cross_errors_of(&c, p[i], q[i], &t);

            singdiv__sum_add(&sum, t.diff * singdiv__family_log_ratio(&c, p[i], q[i], &t, &e));
        }
    }

    singdiv__family_masses(out, &c, &tally);
    out->finite_part = singdiv__in_base(singdiv__sum_value(&sum) / c.pq, &c.options);
    if (tally.violating_count > 0 || tally.reverse_count > 0) {
        out->value = HUGE_VAL;
    } else {
        out->value = out->finite_part;
    }
    return SINGDIV_OK;
}

singdiv_status
singdiv_jeffreys(const double *p, const double *q, size_t n,
                 const singdiv_options *opt, singdiv_report *out)
{
    return symmetric_kl(p, q, n, opt, out);
}

singdiv_status
singdiv_psi(const double *p, const double *q, size_t n,
            const singdiv_options *opt, singdiv_report *out)
{
    return symmetric_kl(p, q, n, opt, out);
}
