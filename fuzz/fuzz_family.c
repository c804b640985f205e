/*
 * Fuzzes the divergence family (singdiv/family.h) and the singularity map
 * (singdiv/singularity.h): every function on the same p, q and options,
 * checking each documented range and when each value is infinite, and
 * that the singularity map agrees with the divergence it describes.
 */
#include "fuzz_common.h"

#define MAX_N 64

/* Which set makes a divergence infinite, as its header documents. */
enum infinite_when {
    NEVER,
    ON_VIOLATING,
    ON_REVERSE,
    ON_EITHER,
    UNCHECKED
};

typedef struct family_case {
    singdiv_divergence id;
    singdiv_status (*function)(const double *, const double *, size_t,
                               const singdiv_options *, singdiv_report *);
    int logarithmic; /* the value is in opt->base */
    double upper;    /* largest value in nats (or unitless), +inf if unbounded */
    enum infinite_when infinite;
} family_case;

static const family_case cases[] = {
    {SINGDIV_DIVERGENCE_RENYI_MAX, singdiv_renyi_max, 1, HUGE_VAL, ON_VIOLATING},
    {SINGDIV_DIVERGENCE_PEARSON_CHI2, singdiv_pearson_chi2, 0, HUGE_VAL, ON_VIOLATING},
    {SINGDIV_DIVERGENCE_NEYMAN_CHI2, singdiv_neyman_chi2, 0, HUGE_VAL, ON_REVERSE},
    {SINGDIV_DIVERGENCE_JEFFREYS, singdiv_jeffreys, 1, HUGE_VAL, ON_EITHER},
    {SINGDIV_DIVERGENCE_PSI, singdiv_psi, 1, HUGE_VAL, ON_EITHER},
    {SINGDIV_DIVERGENCE_TOTAL_VARIATION, singdiv_total_variation, 0, 1.0, NEVER},
    {SINGDIV_DIVERGENCE_HELLINGER, singdiv_hellinger, 0, 1.0, NEVER},
    {SINGDIV_DIVERGENCE_HELLINGER_SQUARED, singdiv_hellinger_squared, 0, 1.0, NEVER},
    {SINGDIV_DIVERGENCE_BHATTACHARYYA_COEFFICIENT, singdiv_bhattacharyya_coefficient, 0,
     1.0, NEVER},
    {SINGDIV_DIVERGENCE_BHATTACHARYYA_ANGLE, singdiv_bhattacharyya_angle, 0,
     1.5707963267948966, NEVER},
    {SINGDIV_DIVERGENCE_CROSS_ENTROPY, singdiv_cross_entropy, 1, HUGE_VAL, ON_VIOLATING},
    {SINGDIV_DIVERGENCE_KL, singdiv_kl, 1, HUGE_VAL, ON_VIOLATING},
    {SINGDIV_DIVERGENCE_JS, singdiv_js, 1, 0.69314718055994531, NEVER},
};

static int
is_infinite_expected(enum infinite_when when, const singdiv_report *r)
{
    switch (when) {
    case ON_VIOLATING: return r->violating_count != 0;
    case ON_REVERSE: return r->reverse_count != 0;
    case ON_EITHER: return r->violating_count != 0 || r->reverse_count != 0;
    default: return 0;
    }
}

/* Set when an entry of p or q is positive but below 2^-1000 after normalisation. */
static int tiny_entries;

static int
has_tiny_entry(const double *x, size_t n)
{
    double sum = 0.0;

    for (size_t i = 0; i < n; i++) {
        sum += x[i];
    }
    for (size_t i = 0; i < n; i++) {
        if (x[i] > 0.0 && x[i] / sum < 0x1p-1000) {
            return 1;
        }
    }
    return 0;
}

static void
check_value(const singdiv_report *r, const singdiv_options *opt, int logarithmic,
            double upper, enum infinite_when infinite)
{
    double value = logarithmic ? fuzz_in_nats(r->value, opt) : r->value;

    /* A singular or overflowing value is +inf in every valid base. */
    FUZZ_CHECK(value >= 0.0);
    /* Subnormal results (skewed JS with a subnormal pi) carry an absolute rounding error. */
    FUZZ_CHECK(value <= upper * (1 + 4 * DBL_EPSILON) + 0x1p-1000);
    if (infinite != UNCHECKED) {
        /*
         * The set makes the value +inf. Without it the value is finite,
         * unless a ratio of a normal entry to a subnormal one makes the
         * exact value exceed DBL_MAX.
         */
        if (is_infinite_expected(infinite, r)) {
            FUZZ_CHECK(isinf(r->value));
        } else if (!tiny_entries) {
            FUZZ_CHECK(isfinite(r->value));
        }
    }
}

static void
check_map(singdiv_divergence id, const double *p, const double *q, size_t n,
          double order, const singdiv_options *opt, singdiv_status value_status,
          const singdiv_report *value_report, singdiv_smoothing smoothing)
{
    singdiv_singularity map;
    singdiv_status status = FUZZ_CALL("singdiv_singularity_map", singdiv_singularity_map(id, p, q, n, order, smoothing, opt, &map));
    const fuzz_arg args[] = {
        {"p", n}, {"q", n}, {"n", 0}, {"opt->base", 0}, {"opt->sum_tolerance", 0},
        {"divergence", 0}, {"smoothing", 0}, {"order", 0}};

    FUZZ_CHECK(fuzz_is_status(status));
    fuzz_check_error(&map.error, status, args, sizeof args / sizeof args[0]);
    if ((int)id >= SINGDIV_DIVERGENCE_COUNT || (int)smoothing > SINGDIV_SMOOTH_BOTH) {
        FUZZ_CHECK(status == SINGDIV_ERR_DOMAIN);
        return;
    }
    if (status != SINGDIV_OK) {
        FUZZ_CHECK(isnan(map.rate) && map.violating_count == 0 && map.reverse_count == 0);
        return;
    }
    FUZZ_CHECK(map.finite == 0 || map.finite == 1);
    FUZZ_CHECK(map.finite == (map.cause == SINGDIV_CAUSE_NONE));
    FUZZ_CHECK(map.finite == (map.growth == SINGDIV_GROWTH_NONE));
    FUZZ_CHECK(map.finite ? map.rate == 0.0 : !isnan(map.rate));
    FUZZ_CHECK(fuzz_is_mass(map.violating_mass) && fuzz_is_mass(map.reverse_mass));
    if (value_report != NULL) {
        FUZZ_CHECK(status == value_status);
        if (tiny_entries) {
            return;
        }
        FUZZ_CHECK(map.finite == (isfinite(value_report->value) != 0));
        FUZZ_CHECK(map.violating_count == value_report->violating_count);
        FUZZ_CHECK(map.reverse_count == value_report->reverse_count);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size, 0};
    double p[MAX_N + 1];
    double q[MAX_N + 1];
    singdiv_options options;
    const singdiv_options *opt;
    singdiv_report r, jeffreys;
    singdiv_status status, first = SINGDIV_OK;
    size_t n = fuzz_length(&in, MAX_N);
    double alpha, pi;
    singdiv_smoothing smoothing;
    const fuzz_arg args[] = {
        {"p", n}, {"q", n}, {"n", 0}, {"opt->base", 0}, {"opt->sum_tolerance", 0},
        {"alpha", 0}, {"pi", 0}};
    const size_t nargs = sizeof args / sizeof args[0];

    opt = fuzz_options(&in, &options);
    fuzz_vector(&in, p, n);
    if (fuzz_byte(&in) % 4 == 0) {
        memcpy(q, p, sizeof p);
    } else {
        fuzz_vector(&in, q, n);
    }
    alpha = fuzz_byte(&in) % 2 ? fuzz_double(&in) : (double)fuzz_byte(&in) / 32.0;
    pi = fuzz_byte(&in) % 2 ? fuzz_double(&in) : (double)fuzz_byte(&in) / 256.0;
    smoothing = (singdiv_smoothing)(fuzz_byte(&in) % 3);
    fuzz_dump("p", p, n);
    fuzz_dump("q", q, n);
    fuzz_dump("alpha, pi", (const double[]){alpha, pi}, 2);

    tiny_entries = has_tiny_entry(p, n) || has_tiny_entry(q, n);

    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        status = FUZZ_CALL(singdiv_divergence_name(cases[c].id),
                           cases[c].function(p, q, n, opt, &r));
        fuzz_check_report(&r, status, n, args, nargs);
        if (c == 0) {
            first = status;
        }
        /* The same validation runs first in every function. */
        FUZZ_CHECK(status == first);
        if (status == SINGDIV_OK) {
            check_value(&r, opt, cases[c].logarithmic, cases[c].upper, cases[c].infinite);
        }
        if (cases[c].id == SINGDIV_DIVERGENCE_JEFFREYS) {
            jeffreys = r;
        }
        if (cases[c].id == SINGDIV_DIVERGENCE_PSI && status == SINGDIV_OK) {
            FUZZ_CHECK(memcmp(&r.value, &jeffreys.value, sizeof r.value) == 0);
        }
        check_map(cases[c].id, p, q, n, 0.0, opt, status, &r, smoothing);
    }

    status = FUZZ_CALL("singdiv_renyi", singdiv_renyi(p, q, n, alpha, opt, &r));
    fuzz_check_report(&r, status, n, args, nargs);
    if (status == SINGDIV_OK) {
        check_value(&r, opt, 1, HUGE_VAL, alpha > 1.0 ? ON_VIOLATING : UNCHECKED);
        if (alpha < 1.0 && r.violating_count == 0) {
            FUZZ_CHECK(isfinite(r.value));
        }
    }
    check_map(SINGDIV_DIVERGENCE_RENYI, p, q, n, alpha, opt, status, &r, smoothing);

    status = FUZZ_CALL("singdiv_skew_js", singdiv_skew_js(p, q, n, pi, opt, &r));
    fuzz_check_report(&r, status, n, args, nargs);
    if (status == SINGDIV_OK) {
        double h = -pi * log(pi) - (1.0 - pi) * log1p(-pi);

        check_value(&r, opt, 1, h, NEVER);
    }
    check_map(SINGDIV_DIVERGENCE_SKEW_JS, p, q, n, pi, opt, status, &r, smoothing);

    for (int id = SINGDIV_DIVERGENCE_JS_DISTANCE; id <= SINGDIV_DIVERGENCE_MMD; id++) {
        check_map((singdiv_divergence)id, p, q, n, 0.0, opt, status, NULL, smoothing);
    }
    check_map((singdiv_divergence)(fuzz_byte(&in) + 18), p, q, n, 0.0, opt, status, NULL,
              smoothing);
    return 0;
}
