/*
 * Fuzzes the smoothing functions (singdiv/smoothing.h): mixture smoothing
 * with a reference r (or the uniform one), Lidstone smoothing of counts and
 * target smoothing, with eps and alpha from the whole range of doubles.
 */
#include "fuzz_common.h"

#define MAX_N 48

static double
fuzz_eps(fuzz_input *in)
{
    switch (fuzz_byte(in) % 4) {
    case 0: return fuzz_double(in);
    case 1: return (double)fuzz_byte(in) / 256.0;
    case 2: return pow(10.0, -(double)(fuzz_byte(in) % 64) * 5.0);
    default: return ldexp(1.0, -(int)fuzz_length(in, 1100));
    }
}

static void
check_expansion(const singdiv_expansion *e, singdiv_status status, size_t n,
                const singdiv_options *opt)
{
    FUZZ_CHECK(fuzz_is_status(status));
    if (status != SINGDIV_OK) {
        FUZZ_CHECK(isnan(e->slope) && isnan(e->finite_part) && isnan(e->threshold));
        FUZZ_CHECK(e->violating_count == 0 && e->uncovered_count == 0);
        return;
    }
    FUZZ_CHECK(fuzz_is_mass(e->violating_mass) && fuzz_is_mass(e->uncovered_mass));
    FUZZ_CHECK(e->violating_count <= n);
    FUZZ_CHECK(e->uncovered_count <= e->violating_count);
    FUZZ_CHECK(e->threshold >= 0.0);
    if (e->uncovered_count == 0) {
        /* The slope is m_V, a mass, whatever the base. */
        FUZZ_CHECK(fuzz_is_mass(e->slope));
        FUZZ_CHECK(!isnan(e->finite_part));
    } else {
        FUZZ_CHECK(isinf(e->slope) && e->slope > 0.0);
    }
    (void)opt;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size, 0};
    double p[MAX_N + 1], q[MAX_N + 1], r[MAX_N + 1];
    singdiv_options options;
    const singdiv_options *opt;
    singdiv_report ce, kl, target;
    singdiv_expansion expansion;
    singdiv_smoothing_parts parts;
    singdiv_status s_ce, s_kl, status;
    double slope, eps, alpha;
    const double *rp;
    size_t n = fuzz_length(&in, MAX_N);
    int divergence;
    const fuzz_arg args[] = {
        {"p", n}, {"q", n}, {"r", n}, {"c", n}, {"u", n}, {"n", 0}, {"eps", 0},
        {"alpha", 0}, {"divergence", 0}, {"opt->base", 0}, {"opt->sum_tolerance", 0}};
    const size_t nargs = sizeof args / sizeof args[0];

    opt = fuzz_options(&in, &options);
    fuzz_vector(&in, p, n);
    fuzz_vector(&in, q, n);
    fuzz_vector(&in, r, n);
    rp = fuzz_byte(&in) % 2 ? r : NULL;
    eps = fuzz_eps(&in);
    alpha = fuzz_eps(&in) * 16.0;
    divergence = fuzz_byte(&in) % 3;
    fuzz_dump("p", p, n);
    fuzz_dump("q", q, n);
    fuzz_dump("r", rp, rp == NULL ? 0 : n);
    fuzz_dump("eps, alpha", (const double[]){eps, alpha}, 2);

    s_ce = FUZZ_CALL("singdiv_smoothed_cross_entropy", singdiv_smoothed_cross_entropy(p, q, rp, n, eps, opt, &ce));
    fuzz_check_report(&ce, s_ce, n, args, nargs);
    s_kl = FUZZ_CALL("singdiv_smoothed_kl", singdiv_smoothed_kl(p, q, rp, n, eps, opt, &kl));
    fuzz_check_report(&kl, s_kl, n, args, nargs);
    FUZZ_CHECK(s_kl == s_ce);
    if (s_ce == SINGDIV_OK) {
        FUZZ_CHECK(fuzz_is_nonnegative(ce.value, opt));
        FUZZ_CHECK(isinf(ce.value) == (ce.violating_count != 0));
        FUZZ_CHECK(fuzz_is_nonnegative(kl.value, opt));
        FUZZ_CHECK(isinf(kl.value) == (kl.violating_count != 0));
        FUZZ_CHECK(kl.violating_count == ce.violating_count);
    }

    status = FUZZ_CALL("singdiv_smoothing_slope", singdiv_smoothing_slope(p, q, rp, n, eps, opt, &slope));
    FUZZ_CHECK(status == s_ce);
    if (status == SINGDIV_OK) {
        FUZZ_CHECK(!isnan(slope));
        FUZZ_CHECK(isinf(slope) == (ce.violating_count != 0));
    }

    status = FUZZ_CALL("singdiv_smoothing_expansion", singdiv_smoothing_expansion(p, q, rp, n, opt, &expansion));
    check_expansion(&expansion, status, n, opt);
    status = FUZZ_CALL("singdiv_smoothing_expansion_kl", singdiv_smoothing_expansion_kl(p, q, rp, n, opt, &expansion));
    check_expansion(&expansion, status, n, opt);

    status = FUZZ_CALL("singdiv_smoothing_decompose", singdiv_smoothing_decompose(p, q, rp, n, eps,
                                         (singdiv_smoothed_divergence)divergence, opt, &parts));
    FUZZ_CHECK(fuzz_is_status(status));
    if (divergence == 2) {
        FUZZ_CHECK(status != SINGDIV_OK);
    } else {
        FUZZ_CHECK(status == s_ce);
    }
    if (status == SINGDIV_OK) {
        double expected = divergence == 0 ? ce.value : kl.value;

        FUZZ_CHECK(parts.value == expected);
        FUZZ_CHECK(fuzz_is_mass(parts.violating_mass) && fuzz_is_mass(parts.uncovered_mass));
        FUZZ_CHECK(!isnan(parts.slope));
    } else if (status != SINGDIV_OK) {
        FUZZ_CHECK(isnan(parts.value) && isnan(parts.slope));
    }

    /* Lidstone smoothing of q taken as counts: the value is always finite. */
    s_ce = FUZZ_CALL("singdiv_lidstone_cross_entropy", singdiv_lidstone_cross_entropy(p, q, n, alpha, opt, &ce));
    fuzz_check_report(&ce, s_ce, n, args, nargs);
    s_kl = FUZZ_CALL("singdiv_lidstone_kl", singdiv_lidstone_kl(p, q, n, alpha, opt, &kl));
    fuzz_check_report(&kl, s_kl, n, args, nargs);
    FUZZ_CHECK(s_kl == s_ce);
    if (s_ce == SINGDIV_OK) {
        FUZZ_CHECK(fuzz_is_nonnegative(ce.value, opt));
        FUZZ_CHECK(fuzz_is_nonnegative(kl.value, opt));
        FUZZ_CHECK(ce.violating_count == 0 && kl.violating_count == 0);
    }
    status = FUZZ_CALL("singdiv_lidstone_slope", singdiv_lidstone_slope(p, q, n, alpha, opt, &slope));
    FUZZ_CHECK(status == s_ce);
    if (status == SINGDIV_OK) {
        FUZZ_CHECK(isfinite(slope));
    }
    status = FUZZ_CALL("singdiv_lidstone_expansion", singdiv_lidstone_expansion(p, q, n, (singdiv_smoothed_divergence)divergence,
                                        opt, &expansion));
    check_expansion(&expansion, status, n, opt);
    if (status == SINGDIV_OK) {
        FUZZ_CHECK(expansion.uncovered_mass == 0.0 && expansion.uncovered_count == 0);
    }

    status = FUZZ_CALL("singdiv_target_smoothed_cross_entropy", singdiv_target_smoothed_cross_entropy(p, q, rp, n, eps, opt, &target));
    fuzz_check_report(&target, status, n, args, nargs);
    if (status == SINGDIV_OK) {
        FUZZ_CHECK(fuzz_is_nonnegative(target.value, opt));
        FUZZ_CHECK(isinf(target.value) == (target.violating_count != 0));
    }
    return 0;
}
