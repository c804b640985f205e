/*
 * Tests of the divergence family: Rényi, chi-square, Jeffreys and PSI, the
 * bounded divergences and skewed Jensen-Shannon.
 *
 * Accuracy against 50-digit references from tests/gen_family_reference.py
 * (data in tests/data/family_reference.txt), closed forms written next to
 * their derivations, the inequalities between the bounded divergences,
 * symmetry, monotonicity in the order, and every input error.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* The bounds documented in include/singdiv/family.h. */
#define MAX_RENYI_ULP 8.0
#define MAX_ULP 6.0

/* Fixed seed of the randomised property tests. */
#define SEED 20261205u

static const double alphas[] = { 0.01, 0.3, 0.5, 0.999999, 1.0000001, 2.0, 7.5, 100.0 };
#define N_ALPHAS (sizeof alphas / sizeof alphas[0])
static const double skew_weights[] = { 0.1, 0.5, 0.8 };
#define N_WEIGHTS (sizeof skew_weights / sizeof skew_weights[0])

/* Order of the quantities in a line of the data file, after the Rényi values. */
enum {
    RENYI_MAX = N_ALPHAS,
    PEARSON,
    PEARSON_FINITE,
    NEYMAN,
    NEYMAN_FINITE,
    JEFFREYS,
    JEFFREYS_FINITE,
    TOTAL_VARIATION,
    HELLINGER,
    HELLINGER_SQUARED,
    BHATTACHARYYA_COEFFICIENT,
    BHATTACHARYYA_ANGLE,
    SKEW_JS,
    N_EXPECTED = SKEW_JS + N_WEIGHTS
};

static const char *const quantity_names[N_EXPECTED] = {
    "renyi 0.01", "renyi 0.3", "renyi 0.5", "renyi 0.999999", "renyi 1.0000001", "renyi 2",
    "renyi 7.5", "renyi 100",
    "renyi max", "pearson", "pearson finite part", "neyman", "neyman finite part",
    "jeffreys", "jeffreys finite part", "total variation", "hellinger", "hellinger squared",
    "bhattacharyya coefficient", "bhattacharyya angle", "skew js 0.1", "skew js 0.5",
    "skew js 0.8",
};

typedef struct reference_case {
    char name[64];
    int normalize;
    size_t n;
    double *p;
    double *q;
    double expected[N_EXPECTED];
} reference_case;

static uint64_t worst_ulp[N_EXPECTED];
static int reference_failures;
static char worst_case[N_EXPECTED][64];

/* Reads one case; returns 0 at the end of the file. Blocks repeat (p_i, q_i) count times. */
static int
read_case(FILE *f, reference_case *c)
{
    size_t blocks;
    size_t capacity = 0;

    if (fscanf(f, "%63s %d %zu", c->name, &c->normalize, &blocks) != 3) {
        return 0;
    }
    c->n = 0;
    c->p = NULL;
    c->q = NULL;
    for (size_t b = 0; b < blocks; b++) {
        size_t count;
        char ps[64];
        char qs[64];

        assert_int_equal(fscanf(f, "%zu %63s %63s", &count, ps, qs), 3);
        if (c->n + count > capacity) {
            capacity = 2 * (c->n + count);
            c->p = realloc(c->p, capacity * sizeof *c->p);
            c->q = realloc(c->q, capacity * sizeof *c->q);
            assert_non_null(c->p);
            assert_non_null(c->q);
        }
        for (size_t k = 0; k < count; k++) {
            c->p[c->n + k] = strtod(ps, NULL);
            c->q[c->n + k] = strtod(qs, NULL);
        }
        c->n += count;
    }
    for (int k = 0; k < N_EXPECTED; k++) {
        char v[64];

        assert_int_equal(fscanf(f, "%63s", v), 1);
        c->expected[k] = strtod(v, NULL);
    }
    return 1;
}

static void
check_quantity(const reference_case *c, int k, double actual, double max_ulp)
{
    uint64_t distance = check_ulp_distance(actual, c->expected[k]);

    if (distance != UINT64_MAX && distance > worst_ulp[k]) {
        worst_ulp[k] = distance;
        snprintf(worst_case[k], sizeof worst_case[k], "%s", c->name);
    }
    /* Every failing case is printed; the test fails once all cases ran. */
    if (distance == UINT64_MAX || (double)distance > max_ulp) {
        print_error("case %s, %s: expected %.17g (%a), got %.17g (%a), %llu ulp apart\n",
                    c->name, quantity_names[k], c->expected[k], c->expected[k], actual, actual,
                    (unsigned long long)distance);
        reference_failures++;
    }
}

static void
check_reference_case(const reference_case *c)
{
    singdiv_options opt;
    singdiv_report r;

    singdiv_options_init(&opt);
    opt.normalize = c->normalize;

    for (size_t k = 0; k < N_ALPHAS; k++) {
        check_status(singdiv_renyi(c->p, c->q, c->n, alphas[k], &opt, &r), SINGDIV_OK);
        check_quantity(c, (int)k, r.value, MAX_RENYI_ULP);
    }
    check_status(singdiv_renyi_max(c->p, c->q, c->n, &opt, &r), SINGDIV_OK);
    check_quantity(c, RENYI_MAX, r.value, MAX_ULP);

    check_status(singdiv_pearson_chi2(c->p, c->q, c->n, &opt, &r), SINGDIV_OK);
    check_quantity(c, PEARSON, r.value, MAX_ULP);
    check_quantity(c, PEARSON_FINITE, r.finite_part, MAX_ULP);
    check_status(singdiv_neyman_chi2(c->p, c->q, c->n, &opt, &r), SINGDIV_OK);
    check_quantity(c, NEYMAN, r.value, MAX_ULP);
    check_quantity(c, NEYMAN_FINITE, r.finite_part, MAX_ULP);
    check_status(singdiv_jeffreys(c->p, c->q, c->n, &opt, &r), SINGDIV_OK);
    check_quantity(c, JEFFREYS, r.value, MAX_ULP);
    check_quantity(c, JEFFREYS_FINITE, r.finite_part, MAX_ULP);

    check_status(singdiv_total_variation(c->p, c->q, c->n, &opt, &r), SINGDIV_OK);
    check_quantity(c, TOTAL_VARIATION, r.value, MAX_ULP);
    check_status(singdiv_hellinger(c->p, c->q, c->n, &opt, &r), SINGDIV_OK);
    check_quantity(c, HELLINGER, r.value, MAX_ULP);
    check_status(singdiv_hellinger_squared(c->p, c->q, c->n, &opt, &r), SINGDIV_OK);
    check_quantity(c, HELLINGER_SQUARED, r.value, MAX_ULP);
    check_status(singdiv_bhattacharyya_coefficient(c->p, c->q, c->n, &opt, &r), SINGDIV_OK);
    check_quantity(c, BHATTACHARYYA_COEFFICIENT, r.value, MAX_ULP);
    check_status(singdiv_bhattacharyya_angle(c->p, c->q, c->n, &opt, &r), SINGDIV_OK);
    check_quantity(c, BHATTACHARYYA_ANGLE, r.value, MAX_ULP);

    for (size_t k = 0; k < N_WEIGHTS; k++) {
        check_status(singdiv_skew_js(c->p, c->q, c->n, skew_weights[k], &opt, &r), SINGDIV_OK);
        check_quantity(c, SKEW_JS + (int)k, r.value, MAX_ULP);
    }
}

static void
family_matches_50_digit_reference(void **state)
{
    FILE *f = fopen(SINGDIV_TEST_DATA "/family_reference.txt", "r");
    reference_case c;
    int cases = 0;
    char header[1024];

    (void)state;
    assert_non_null(f);
    assert_non_null(fgets(header, sizeof header, f));
    while (read_case(f, &c)) {
        check_reference_case(&c);
        free(c.p);
        free(c.q);
        cases++;
    }
    fclose(f);

    for (int k = 0; k < N_EXPECTED; k++) {
        printf("# worst error over %d cases, %s: %llu ulp (%s)\n", cases, quantity_names[k],
               (unsigned long long)worst_ulp[k], worst_case[k]);
    }
    assert_true(cases >= 258);
    assert_int_equal(reference_failures, 0);
}


/* log 2, log 3 and pi / 2, correctly rounded. */
static const double ln2 = 0x1.62e42fefa39efp-1;
static const double ln3 = 0x1.193ea7aad030bp+0;
static const double half_pi = 0x1.921fb54442d18p+0;

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* The pair p = (1/4, 3/4), q = (3/4, 1/4) of the closed-form tests. */
static const double quarter_p[] = { 0.25, 0.75 };
static const double quarter_q[] = { 0.75, 0.25 };

/* A fixed-seed generator (xorshift64*) for the property tests. */
static uint64_t rng_state = SEED;

static double
random_uniform(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 0x2545F4914F6CDD1DULL) >> 11) * 0x1p-53;
}

/* Fills x with a random distribution on n symbols; a share `zeros` of entries is 0. */
static void
random_distribution(double *x, size_t n, double zeros)
{
    double total = 0.0;

    for (size_t i = 0; i < n; i++) {
        x[i] = random_uniform() < zeros ? 0.0 : -log(1.0 - random_uniform());
        total += x[i];
    }
    if (total == 0.0) {
        x[0] = 1.0;
        total = 1.0;
    }
    for (size_t i = 0; i < n; i++) {
        x[i] /= total;
    }
}

static singdiv_options
normalizing(void)
{
    singdiv_options opt;

    singdiv_options_init(&opt);
    opt.normalize = 1;
    return opt;
}

static double
value_of(singdiv_status (*f)(const double *, const double *, size_t, const singdiv_options *,
                              singdiv_report *),
         const double *p, const double *q, size_t n)
{
    singdiv_options opt = normalizing();
    singdiv_report r;

    check_status(f(p, q, n, &opt, &r), SINGDIV_OK);
    return r.value;
}

static double
renyi_of(const double *p, const double *q, size_t n, double alpha)
{
    singdiv_options opt = normalizing();
    singdiv_report r;

    check_status(singdiv_renyi(p, q, n, alpha, &opt, &r), SINGDIV_OK);
    return r.value;
}

static void
quarter_pair_closed_forms(void **state)
{
    const size_t n = 2;

    (void)state;
    /* BC = 2 sqrt(3/16) = sqrt(3)/2, so D_1/2 = -2 log BC = log(4/3). */
    check_ulp(renyi_of(quarter_p, quarter_q, n, 0.5), log(4.0 / 3.0), 2);
    /* D_2 = log(sum x^2 / y) = log(1/12 + 9/4) = log(7/3). */
    check_ulp(renyi_of(quarter_p, quarter_q, n, 2.0), log(7.0 / 3.0), 2);
    /* D_inf = log max(x / y) = log 3. */
    check_ulp(value_of(singdiv_renyi_max, quarter_p, quarter_q, n), ln3, 1);
    /* Pearson = (1/4)/(3/4) + (1/4)/(1/4) = 4/3, and Neyman the same by symmetry. */
    check_ulp(value_of(singdiv_pearson_chi2, quarter_p, quarter_q, n), 4.0 / 3.0, 1);
    check_ulp(value_of(singdiv_neyman_chi2, quarter_p, quarter_q, n), 4.0 / 3.0, 1);
    /* Jeffreys = (-1/2) log(1/3) + (1/2) log 3 = log 3. */
    check_ulp(value_of(singdiv_jeffreys, quarter_p, quarter_q, n), ln3, 2);
    /* TV = (1/2)(1/2 + 1/2) = 1/2. */
    check_ulp(value_of(singdiv_total_variation, quarter_p, quarter_q, n), 0.5, 0);
    /* H^2 = 1 - sqrt(3)/2 and the angle is arccos(sqrt(3)/2) = pi/6. */
    check_ulp(value_of(singdiv_hellinger_squared, quarter_p, quarter_q, n),
              0x1.126145e9ecd56p-3, 2);
    check_ulp(value_of(singdiv_bhattacharyya_coefficient, quarter_p, quarter_q, n),
              0x1.bb67ae8584caap-1, 1);
    check_ulp(value_of(singdiv_bhattacharyya_angle, quarter_p, quarter_q, n),
              0x1.0c152382d7366p-1, 2);
}

static void
renyi_order_one_is_kl(void **state)
{
    singdiv_report renyi;
    singdiv_report kl;

    (void)state;
    check_status(singdiv_renyi(quarter_p, quarter_q, 2, 1.0, NULL, &renyi), SINGDIV_OK);
    check_status(singdiv_kl(quarter_p, quarter_q, 2, NULL, &kl), SINGDIV_OK);
    check_identical(renyi.value, kl.value);
}

static void
renyi_infinite_order_is_max(void **state)
{
    singdiv_report renyi;
    singdiv_report max;

    (void)state;
    check_status(singdiv_renyi(quarter_p, quarter_q, 2, HUGE_VAL, NULL, &renyi), SINGDIV_OK);
    check_status(singdiv_renyi_max(quarter_p, quarter_q, 2, NULL, &max), SINGDIV_OK);
    check_identical(renyi.value, max.value);
}

static void
renyi_near_order_one_approaches_kl(void **state)
{
    double p[50];
    double q[50];
    singdiv_report kl;

    (void)state;
    random_distribution(p, N_OF(p), 0.0);
    random_distribution(q, N_OF(q), 0.0);
    check_status(singdiv_kl(p, q, N_OF(p), &(singdiv_options){ 1, 0.0, 1e-6 }, &kl),
                 SINGDIV_OK);
    /* D_alpha = KL + (alpha - 1) c + O((alpha - 1)^2) with c of order 1. */
    check_rel(renyi_of(p, q, N_OF(p), 1.0 + 1e-12), kl.value, 1e-11);
    check_rel(renyi_of(p, q, N_OF(p), 1.0 - 1e-12), kl.value, 1e-11);
    assert_true(renyi_of(p, q, N_OF(p), 1.0 - 1e-12) <= kl.value);
    assert_true(renyi_of(p, q, N_OF(p), 1.0 + 1e-12) >= kl.value);
}

static void
renyi_order_two_is_log_one_plus_pearson(void **state)
{
    double p[20];
    double q[20];

    (void)state;
    for (int trial = 0; trial < 20; trial++) {
        random_distribution(p, N_OF(p), 0.2);
        random_distribution(q, N_OF(q), 0.0);
        /* sum x^2 / y = 1 + sum (x - y)^2 / y. */
        check_rel(renyi_of(p, q, N_OF(p), 2.0),
                  log1p(value_of(singdiv_pearson_chi2, p, q, N_OF(p))), 4e-16);
    }
}

static void
renyi_monotone_in_order(void **state)
{
    static const double orders[] = { 1e-3, 0.1, 0.3, 0.5, 0.9, 0.999999, 1.0, 1.000001,
                                     1.5, 2.0, 5.0, 50.0, 1e3, HUGE_VAL };
    double p[30];
    double q[30];

    (void)state;
    for (int trial = 0; trial < 50; trial++) {
        double previous = 0.0;

        random_distribution(p, N_OF(p), 0.1);
        random_distribution(q, N_OF(q), trial % 2 == 0 ? 0.0 : 0.1);
        for (size_t k = 0; k < N_OF(orders); k++) {
            double d = renyi_of(p, q, N_OF(p), orders[k]);

            /* Non-decreasing up to the documented rounding of each value. */
            assert_true(d >= previous * (1.0 - 16 * DBL_EPSILON));
            previous = d;
        }
    }
}

static void
renyi_below_one_infinite_only_when_disjoint(void **state)
{
    const double p[] = { 0.5, 0.5, 0.0, 0.0 };
    const double overlapping[] = { 0.0, 0.5, 0.5, 0.0 };
    const double disjoint[] = { 0.0, 0.0, 0.25, 0.75 };
    singdiv_report r;

    (void)state;
    /* V = {0} is non-empty but the supports meet at 1: sum = sqrt(1/4) = 1/2, D = 2 log 2. */
    check_status(singdiv_renyi(p, overlapping, 4, 0.5, NULL, &r), SINGDIV_OK);
    check_ulp(r.value, 2.0 * ln2, 2);
    check_ulp(r.finite_part, r.value, 0);
    check_ulp(r.violating_mass, 0.5, 0);
    check_size(r.violating_count, 1);
    check_ulp(r.reverse_mass, 0.5, 0);
    check_size(r.reverse_count, 1);

    check_status(singdiv_renyi(p, disjoint, 4, 0.5, NULL, &r), SINGDIV_OK);
    check_identical(r.value, HUGE_VAL);
    check_identical(r.finite_part, HUGE_VAL);
    check_ulp(r.violating_mass, 1.0, 0);
    check_size(r.violating_count, 2);
}

static void
renyi_above_one_infinite_on_violating_set(void **state)
{
    const double p[] = { 0.5, 0.5 };
    const double q[] = { 1.0, 0.0 };
    singdiv_report r;

    (void)state;
    check_status(singdiv_renyi(p, q, 2, 2.0, NULL, &r), SINGDIV_OK);
    check_identical(r.value, HUGE_VAL);
    /* Over the common support {0}: log(x^2 / y) = log(1/4). */
    check_ulp(r.finite_part, -2.0 * ln2, 1);
    check_ulp(r.violating_mass, 0.5, 0);
    check_size(r.violating_count, 1);

    /* The other direction has F = {1} only and stays finite: log(1 / (1/2)). */
    check_status(singdiv_renyi(q, p, 2, 2.0, NULL, &r), SINGDIV_OK);
    check_ulp(r.value, ln2, 1);
    check_ulp(r.reverse_mass, 0.5, 0);
    check_size(r.reverse_count, 1);
}

static void
renyi_max_infinite_on_violating_set(void **state)
{
    const double p[] = { 0.25, 0.5, 0.25 };
    const double q[] = { 0.5, 0.5, 0.0 };
    singdiv_report r;

    (void)state;
    check_status(singdiv_renyi_max(p, q, 3, NULL, &r), SINGDIV_OK);
    check_identical(r.value, HUGE_VAL);
    /* Over {0, 1} the largest ratio is 1. */
    check_identical(r.finite_part, 0.0);
    check_ulp(r.violating_mass, 0.25, 0);
}

static singdiv_status
skew_js_tenth(const double *p, const double *q, size_t n, const singdiv_options *opt,
              singdiv_report *out);

static void
identical_inputs_give_exact_zero(void **state)
{
    double p[40];

    (void)state;
    random_distribution(p, N_OF(p), 0.2);
    check_identical(renyi_of(p, p, N_OF(p), 0.3), 0.0);
    check_identical(renyi_of(p, p, N_OF(p), 1.0 + 1e-9), 0.0);
    check_identical(renyi_of(p, p, N_OF(p), 7.0), 0.0);
    check_identical(value_of(singdiv_renyi_max, p, p, N_OF(p)), 0.0);
    check_identical(value_of(singdiv_pearson_chi2, p, p, N_OF(p)), 0.0);
    check_identical(value_of(singdiv_neyman_chi2, p, p, N_OF(p)), 0.0);
    check_identical(value_of(singdiv_jeffreys, p, p, N_OF(p)), 0.0);
    check_identical(value_of(singdiv_total_variation, p, p, N_OF(p)), 0.0);
    check_identical(value_of(singdiv_hellinger, p, p, N_OF(p)), 0.0);
    check_identical(value_of(singdiv_bhattacharyya_coefficient, p, p, N_OF(p)), 1.0);
    check_identical(value_of(singdiv_bhattacharyya_angle, p, p, N_OF(p)), 0.0);
    check_identical(value_of(singdiv_hellinger_squared, p, p, N_OF(p)), 0.0);
    check_identical(value_of(singdiv_psi, p, p, N_OF(p)), 0.0);
    check_identical(value_of(skew_js_tenth, p, p, N_OF(p)), 0.0);
}

/*
 * Counts near DBL_MAX: p = (2^1022, 2^1022) and q = (2^1023, 2^1022) are
 * x = (1/2, 1/2) and y = (2/3, 1/3) once normalised, so Pearson =
 * (1/36) / (2/3) + (1/36) / (1/3) = 1/8 and Neyman = 2 (1/36) / (1/2) = 1/9.
 * Each squared difference is formed in the scaled units, not from the raw
 * counts, whose differences and squares would overflow.
 */
static void
chi_square_of_counts_near_dbl_max(void **state)
{
    const double p[] = { 0x1p1022, 0x1p1022 };
    const double q[] = { 0x1p1023, 0x1p1022 };

    (void)state;
    check_ulp(value_of(singdiv_pearson_chi2, p, q, 2), 0.125, 2);
    check_ulp(value_of(singdiv_neyman_chi2, p, q, 2), 1.0 / 9.0, 2);
    check_ulp(value_of(singdiv_pearson_chi2, q, p, 2), 1.0 / 9.0, 2);
}

static void
near_identical_keeps_relative_accuracy(void **state)
{
    /* p = (1/2 + d, 1/2 - d), q = (1/2, 1/2) with d = 2^-30, both exact. */
    const double d = 0x1p-30;
    const double p[] = { 0.5 + d, 0.5 - d };
    const double q[] = { 0.5, 0.5 };

    (void)state;
    /* Pearson = 2 d^2 / (1/2) = 4 d^2 and Neyman = d^2 (1/(1/2 + d) + 1/(1/2 - d)). */
    check_ulp(value_of(singdiv_pearson_chi2, p, q, 2), 4.0 * d * d, 1);
    check_ulp(value_of(singdiv_neyman_chi2, p, q, 2), d * d / (0.25 - d * d), 2);
    /* TV = d exactly. */
    check_ulp(value_of(singdiv_total_variation, p, q, 2), d, 0);
    /* H^2 = 1 - (sqrt(1/2 + d) + sqrt(1/2 - d)) / sqrt 2 = d^2/2 + 5 d^4 / 8 + ..., */
    /* so at d = 2^-30 it is d^2 / 2 to within a relative 1.25 d^2. */
    check_ulp(value_of(singdiv_hellinger_squared, p, q, 2), 0.5 * d * d, 4);
    /* The angle is 2 asin(H / sqrt 2) with H = d / sqrt 2, so it is d to within a relative d^2. */
    check_rel(value_of(singdiv_bhattacharyya_angle, p, q, 2), d, 1e-15);
}

static void
disjoint_supports_give_exact_extremes(void **state)
{
    const double p[] = { 0.5, 0.5, 0.0, 0.0 };
    const double q[] = { 0.0, 0.0, 0.25, 0.75 };
    singdiv_report r;

    (void)state;
    check_identical(value_of(singdiv_total_variation, p, q, 4), 1.0);
    check_identical(value_of(singdiv_hellinger, p, q, 4), 1.0);
    check_identical(value_of(singdiv_hellinger_squared, p, q, 4), 1.0);
    check_identical(value_of(singdiv_bhattacharyya_coefficient, p, q, 4), 0.0);
    check_identical(value_of(singdiv_bhattacharyya_angle, p, q, 4), half_pi);
    /* Skewed JS reaches the binary entropy h(pi). */
    check_status(singdiv_skew_js(p, q, 4, 0.25, NULL, &r), SINGDIV_OK);
    check_ulp(r.value, -0.25 * log(0.25) - 0.75 * log(0.75), 1);
    check_identical(r.finite_part, r.value);
    check_ulp(r.violating_mass, 1.0, 0);
    check_ulp(r.reverse_mass, 1.0, 0);
}

static void
bounded_inequalities_hold(void **state)
{
    double p[25];
    double q[25];

    (void)state;
    for (int trial = 0; trial < 500; trial++) {
        double tv;
        double h;
        double h2;
        double bc;
        double slack = 1.0 + 8 * DBL_EPSILON;

        random_distribution(p, N_OF(p), trial % 3 == 0 ? 0.3 : 0.0);
        random_distribution(q, N_OF(q), trial % 5 == 0 ? 0.3 : 0.0);
        tv = value_of(singdiv_total_variation, p, q, N_OF(p));
        h = value_of(singdiv_hellinger, p, q, N_OF(p));
        h2 = value_of(singdiv_hellinger_squared, p, q, N_OF(p));
        bc = value_of(singdiv_bhattacharyya_coefficient, p, q, N_OF(p));
        /* With H^2 = 1 - BC: H^2 <= TV <= sqrt(1 - BC^2) <= sqrt(2) H. */
        assert_true(h2 <= tv * slack);
        assert_true(tv <= sqrt(1.0 - bc * bc) * slack);
        assert_true(sqrt(1.0 - bc * bc) <= sqrt(2.0) * h * slack);
        check_rel(h2 + bc, 1.0, 4 * DBL_EPSILON);
    }
}

/* Checks d(p, r) <= d(p, m) + d(m, r) on random triples. */
static void
check_triangle(singdiv_status (*f)(const double *, const double *, size_t,
                                   const singdiv_options *, singdiv_report *))
{
    double p[8];
    double m[8];
    double r[8];

    for (int trial = 0; trial < 300; trial++) {
        random_distribution(p, N_OF(p), 0.2);
        random_distribution(m, N_OF(m), 0.2);
        random_distribution(r, N_OF(r), 0.2);
        assert_true(value_of(f, p, r, N_OF(p))
                    <= (value_of(f, p, m, N_OF(p)) + value_of(f, m, r, N_OF(p)))
                           * (1.0 + 8 * DBL_EPSILON));
    }
}

static void
metrics_satisfy_triangle_inequality(void **state)
{
    (void)state;
    check_triangle(singdiv_total_variation);
    check_triangle(singdiv_hellinger);
    check_triangle(singdiv_bhattacharyya_angle);
    check_triangle(singdiv_js_distance);
}

static void
squared_divergences_break_triangle_inequality(void **state)
{
    /* For p, q = (1/2 +- d, 1/2 -+ d) and their midpoint u, a divergence that is
     * quadratic near p = q gives d(p, u) + d(u, q) about d(p, q) / 2. */
    const double p[] = { 0.6, 0.4 };
    const double u[] = { 0.5, 0.5 };
    const double q[] = { 0.4, 0.6 };

    (void)state;
    assert_true(value_of(singdiv_jeffreys, p, q, 2)
                > value_of(singdiv_jeffreys, p, u, 2) + value_of(singdiv_jeffreys, u, q, 2));
    assert_true(value_of(singdiv_hellinger_squared, p, q, 2)
                > value_of(singdiv_hellinger_squared, p, u, 2)
                      + value_of(singdiv_hellinger_squared, u, q, 2));
    assert_true(value_of(singdiv_js, p, q, 2)
                > value_of(singdiv_js, p, u, 2) + value_of(singdiv_js, u, q, 2));
    assert_true(renyi_of(p, q, 2, 0.5) > renyi_of(p, u, 2, 0.5) + renyi_of(u, q, 2, 0.5));
}

static void
symmetric_divergences_are_symmetric(void **state)
{
    double p[30];
    double q[30];

    (void)state;
    for (int trial = 0; trial < 50; trial++) {
        random_distribution(p, N_OF(p), 0.0);
        random_distribution(q, N_OF(q), 0.0);
        check_ulp(value_of(singdiv_jeffreys, p, q, N_OF(p)),
                  value_of(singdiv_jeffreys, q, p, N_OF(p)), 4);
        check_identical(value_of(singdiv_total_variation, p, q, N_OF(p)),
                        value_of(singdiv_total_variation, q, p, N_OF(p)));
        check_ulp(value_of(singdiv_hellinger, p, q, N_OF(p)),
                  value_of(singdiv_hellinger, q, p, N_OF(p)), 1);
        check_ulp(value_of(singdiv_bhattacharyya_angle, p, q, N_OF(p)),
                  value_of(singdiv_bhattacharyya_angle, q, p, N_OF(p)), 1);
        /* Pearson and Neyman exchange under p <-> q, bit for bit. */
        check_identical(value_of(singdiv_pearson_chi2, p, q, N_OF(p)),
                        value_of(singdiv_neyman_chi2, q, p, N_OF(p)));
    }
}

static void
asymmetric_divergences_differ_when_swapped(void **state)
{
    const double p[] = { 0.7, 0.2, 0.1 };
    const double q[] = { 0.2, 0.3, 0.5 };

    (void)state;
    /* Order 1/2 is the one symmetric Rényi divergence: -2 log BC. */
    check_ulp(renyi_of(p, q, 3, 0.5), renyi_of(q, p, 3, 0.5), 2);
    assert_true(fabs(renyi_of(p, q, 3, 2.0) - renyi_of(q, p, 3, 2.0)) > 0.1);
    assert_true(fabs(value_of(singdiv_pearson_chi2, p, q, 3)
                     - value_of(singdiv_pearson_chi2, q, p, 3)) > 0.1);
    assert_true(fabs(value_of(singdiv_kl, p, q, 3) - value_of(singdiv_kl, q, p, 3)) > 0.01);
    assert_true(fabs(value_of(singdiv_cross_entropy, p, q, 3)
                     - value_of(singdiv_cross_entropy, q, p, 3)) > 0.01);
    assert_true(fabs(value_of(singdiv_neyman_chi2, p, q, 3)
                     - value_of(singdiv_neyman_chi2, q, p, 3)) > 0.1);
}

static void
psi_equals_jeffreys_and_kl_sum(void **state)
{
    double p[40];
    double q[40];
    singdiv_report forward;
    singdiv_report backward;

    (void)state;
    for (int trial = 0; trial < 50; trial++) {
        random_distribution(p, N_OF(p), 0.0);
        random_distribution(q, N_OF(q), 0.0);
        check_identical(value_of(singdiv_psi, p, q, N_OF(p)),
                        value_of(singdiv_jeffreys, p, q, N_OF(p)));
        check_status(singdiv_kl(p, q, N_OF(p), &(singdiv_options){ 1, 0.0, 1e-6 }, &forward),
                     SINGDIV_OK);
        check_status(singdiv_kl(q, p, N_OF(p), &(singdiv_options){ 1, 0.0, 1e-6 }, &backward),
                     SINGDIV_OK);
        check_rel(value_of(singdiv_psi, p, q, N_OF(p)), forward.value + backward.value,
                  4 * DBL_EPSILON);
    }
}

static void
jeffreys_reverse_set_alone_is_infinite(void **state)
{
    const double p[] = { 0.5, 0.5, 0.0 };
    const double q[] = { 0.25, 0.25, 0.5 };
    singdiv_report forward;
    singdiv_report backward;

    (void)state;
    /* KL(p || q) = log 2 is finite, KL(q || p) is infinite on F = {2}. */
    check_status(singdiv_jeffreys(p, q, 3, NULL, &forward), SINGDIV_OK);
    check_identical(forward.value, HUGE_VAL);
    /* Over {0, 1}: 2 (1/4) log 2. */
    check_ulp(forward.finite_part, 0.5 * ln2, 1);
    check_size(forward.violating_count, 0);
    check_size(forward.reverse_count, 1);
    check_ulp(forward.reverse_mass, 0.5, 0);

    check_status(singdiv_jeffreys(q, p, 3, NULL, &backward), SINGDIV_OK);
    check_identical(backward.value, HUGE_VAL);
    check_ulp(backward.finite_part, forward.finite_part, 1);
    check_size(backward.violating_count, 1);
    check_ulp(backward.violating_mass, 0.5, 0);
    check_size(backward.reverse_count, 0);
}

static void
psi_empty_bins_are_infinite(void **state)
{
    /* Current and reference counts over three categories, each with one empty bin. */
    const double current[] = { 99999.0, 0.0, 1.0 };
    const double reference[] = { 99999.0, 1.0, 0.0 };
    singdiv_options opt = normalizing();
    singdiv_report r;

    (void)state;
    check_status(singdiv_psi(current, reference, 3, &opt, &r), SINGDIV_OK);
    check_identical(r.value, HUGE_VAL);
    check_ulp(r.violating_mass, 1e-5, 1);
    check_size(r.violating_count, 1);
    check_ulp(r.reverse_mass, 1e-5, 1);
    check_size(r.reverse_count, 1);
    /* On the shared bin x = y, so the finite part is exactly 0. */
    check_identical(r.finite_part, 0.0);
}

static void
chi_square_singular_sets(void **state)
{
    const double p[] = { 0.5, 0.25, 0.25, 0.0 };
    const double q[] = { 0.5, 0.0, 0.25, 0.25 };
    singdiv_report r;

    (void)state;
    /* Pearson is infinite on V = {1}; the other terms are 0, 0 and (0 - 1/4)^2 / (1/4). */
    check_status(singdiv_pearson_chi2(p, q, 4, NULL, &r), SINGDIV_OK);
    check_identical(r.value, HUGE_VAL);
    check_ulp(r.finite_part, 0.25, 0);
    check_ulp(r.violating_mass, 0.25, 0);
    check_size(r.violating_count, 1);
    /* Neyman is infinite on F = {3}; the finite terms add (1/4)^2 / (1/4). */
    check_status(singdiv_neyman_chi2(p, q, 4, NULL, &r), SINGDIV_OK);
    check_identical(r.value, HUGE_VAL);
    check_ulp(r.finite_part, 0.25, 0);
    check_ulp(r.reverse_mass, 0.25, 0);
    check_size(r.reverse_count, 1);
}

static void
chi_square_overflow_is_infinite(void **state)
{
    /* (1/2)^2 / 2^-1074 exceeds DBL_MAX: the value is +inf, never NaN. */
    const double p[] = { 0.5, 0.5 };
    const double q[] = { 0x1p-1074, 1.0 };
    singdiv_report r;

    (void)state;
    check_status(singdiv_pearson_chi2(p, q, 2, NULL, &r), SINGDIV_OK);
    check_identical(r.value, HUGE_VAL);
    check_size(r.violating_count, 0);
}

static void
skew_js_half_is_js(void **state)
{
    double p[30];
    double q[30];
    singdiv_report skew;
    singdiv_report js;

    (void)state;
    for (int trial = 0; trial < 50; trial++) {
        random_distribution(p, N_OF(p), 0.2);
        random_distribution(q, N_OF(q), 0.2);
        check_status(singdiv_skew_js(p, q, N_OF(p), 0.5, &(singdiv_options){ 1, 2.0, 1e-6 },
                                     &skew),
                     SINGDIV_OK);
        check_status(singdiv_js(p, q, N_OF(p), &(singdiv_options){ 1, 2.0, 1e-6 }, &js),
                     SINGDIV_OK);
        check_ulp(skew.value, js.value, 2);
    }
}

static void
skew_js_swaps_with_weight(void **state)
{
    double p[30];
    double q[30];
    singdiv_options opt = normalizing();
    singdiv_report forward;
    singdiv_report backward;

    (void)state;
    for (int trial = 0; trial < 50; trial++) {
        random_distribution(p, N_OF(p), 0.2);
        random_distribution(q, N_OF(q), 0.2);
        check_status(singdiv_skew_js(p, q, N_OF(p), 0.25, &opt, &forward), SINGDIV_OK);
        check_status(singdiv_skew_js(q, p, N_OF(p), 0.75, &opt, &backward), SINGDIV_OK);
        check_ulp(forward.value, backward.value, 4);
        assert_true(forward.value <= -0.25 * log(0.25) - 0.75 * log(0.75));
        /* With pi != 1/2 the divergence itself is not symmetric. */
        check_status(singdiv_skew_js(q, p, N_OF(p), 0.25, &opt, &backward), SINGDIV_OK);
        assert_true(forward.value != backward.value);
    }
}

static void
values_in_bits(void **state)
{
    singdiv_options bits;
    singdiv_report r;

    (void)state;
    singdiv_options_init(&bits);
    bits.base = 2.0;
    /* D_inf = log2 3; Jeffreys = log2 3; Rényi 1/2 = log2(4/3); TV has no base. */
    check_status(singdiv_renyi_max(quarter_p, quarter_q, 2, &bits, &r), SINGDIV_OK);
    check_ulp(r.value, log2(3.0), 2);
    check_status(singdiv_jeffreys(quarter_p, quarter_q, 2, &bits, &r), SINGDIV_OK);
    check_ulp(r.value, log2(3.0), 3);
    check_status(singdiv_renyi(quarter_p, quarter_q, 2, 0.5, &bits, &r), SINGDIV_OK);
    check_ulp(r.value, log2(4.0 / 3.0), 3);
    check_status(singdiv_total_variation(quarter_p, quarter_q, 2, &bits, &r), SINGDIV_OK);
    check_identical(r.value, 0.5);
    check_status(singdiv_pearson_chi2(quarter_p, quarter_q, 2, &bits, &r), SINGDIV_OK);
    check_ulp(r.value, 4.0 / 3.0, 1);
}

/* Checks that a failed call left NaN values, zero counts and the expected error detail. */
static void
check_failure(const singdiv_report *r, singdiv_status status, const char *argument, size_t index)
{
    assert_true(isnan(r->value));
    assert_true(isnan(r->finite_part));
    assert_true(isnan(r->violating_mass));
    check_size(r->violating_count, 0);
    check_size(r->reverse_count, 0);
    check_status(r->error.status, status);
    assert_string_equal(r->error.argument, argument);
    check_size(r->error.index, index);
}

static void
order_and_weight_domain_errors(void **state)
{
    static const double bad_alphas[] = { 0.0, -0.5, -HUGE_VAL, (double)NAN };
    static const double bad_weights[] = { 0.0, 1.0, -0.1, 1.5, (double)NAN, HUGE_VAL };
    singdiv_report r;

    (void)state;
    for (size_t k = 0; k < N_OF(bad_alphas); k++) {
        check_status(singdiv_renyi(quarter_p, quarter_q, 2, bad_alphas[k], NULL, &r),
                     SINGDIV_ERR_DOMAIN);
        check_failure(&r, SINGDIV_ERR_DOMAIN, "alpha", SINGDIV_NO_INDEX);
        check_identical(r.error.value, bad_alphas[k]);
    }
    for (size_t k = 0; k < N_OF(bad_weights); k++) {
        check_status(singdiv_skew_js(quarter_p, quarter_q, 2, bad_weights[k], NULL, &r),
                     SINGDIV_ERR_DOMAIN);
        check_failure(&r, SINGDIV_ERR_DOMAIN, "pi", SINGDIV_NO_INDEX);
    }
}

typedef singdiv_status (*pair_function)(const double *, const double *, size_t,
                                        const singdiv_options *, singdiv_report *);

static singdiv_status
renyi_three(const double *p, const double *q, size_t n, const singdiv_options *opt,
            singdiv_report *out)
{
    return singdiv_renyi(p, q, n, 3.0, opt, out);
}

static singdiv_status
skew_js_tenth(const double *p, const double *q, size_t n, const singdiv_options *opt,
              singdiv_report *out)
{
    return singdiv_skew_js(p, q, n, 0.1, opt, out);
}

static const pair_function every_function[] = {
    renyi_three, singdiv_renyi_max, singdiv_pearson_chi2, singdiv_neyman_chi2,
    singdiv_jeffreys, singdiv_psi, singdiv_total_variation, singdiv_hellinger,
    singdiv_hellinger_squared, singdiv_bhattacharyya_coefficient,
    singdiv_bhattacharyya_angle, skew_js_tenth,
};

static void
input_errors_name_argument_and_index(void **state)
{
    const double good[] = { 0.5, 0.5 };
    const double with_nan[] = { 0.5, (double)NAN };
    const double with_inf[] = { HUGE_VAL, 0.5 };
    const double negative[] = { 1.5, -0.5 };
    const double zeros[] = { 0.0, 0.0 };
    const double unnormalized[] = { 0.5, 0.25 };
    const double huge[] = { DBL_MAX, DBL_MAX };
    singdiv_options counts = normalizing();
    singdiv_options bad_base;
    singdiv_options bad_tolerance;
    singdiv_report r;

    (void)state;
    singdiv_options_init(&bad_base);
    bad_base.base = 1.0;
    singdiv_options_init(&bad_tolerance);
    bad_tolerance.sum_tolerance = -1.0;
    for (size_t k = 0; k < N_OF(every_function); k++) {
        pair_function f = every_function[k];

        check_status(f(good, good, 2, NULL, NULL), SINGDIV_ERR_NULL);
        check_status(f(NULL, good, 2, NULL, &r), SINGDIV_ERR_NULL);
        check_failure(&r, SINGDIV_ERR_NULL, "p", SINGDIV_NO_INDEX);
        check_status(f(good, NULL, 2, NULL, &r), SINGDIV_ERR_NULL);
        check_failure(&r, SINGDIV_ERR_NULL, "q", SINGDIV_NO_INDEX);
        check_status(f(good, good, 2, &bad_base, &r), SINGDIV_ERR_DOMAIN);
        check_failure(&r, SINGDIV_ERR_DOMAIN, "opt->base", SINGDIV_NO_INDEX);
        check_status(f(good, good, 2, &bad_tolerance, &r), SINGDIV_ERR_DOMAIN);
        check_failure(&r, SINGDIV_ERR_DOMAIN, "opt->sum_tolerance", SINGDIV_NO_INDEX);
        check_status(f(good, good, 0, NULL, &r), SINGDIV_ERR_EMPTY);
        check_failure(&r, SINGDIV_ERR_EMPTY, "p", SINGDIV_NO_INDEX);
        check_status(f(good, good, SIZE_MAX / 4, NULL, &r), SINGDIV_ERR_SIZE_OVERFLOW);
        check_failure(&r, SINGDIV_ERR_SIZE_OVERFLOW, "p", SINGDIV_NO_INDEX);
        check_status(f(good, with_nan, 2, NULL, &r), SINGDIV_ERR_NAN);
        check_failure(&r, SINGDIV_ERR_NAN, "q", 1);
        check_status(f(with_inf, good, 2, NULL, &r), SINGDIV_ERR_INFINITE);
        check_failure(&r, SINGDIV_ERR_INFINITE, "p", 0);
        check_status(f(good, negative, 2, NULL, &r), SINGDIV_ERR_NEGATIVE);
        check_failure(&r, SINGDIV_ERR_NEGATIVE, "q", 1);
        check_status(f(zeros, good, 2, NULL, &r), SINGDIV_ERR_ZERO_MASS);
        check_failure(&r, SINGDIV_ERR_ZERO_MASS, "p", SINGDIV_NO_INDEX);
        check_status(f(good, unnormalized, 2, NULL, &r), SINGDIV_ERR_NOT_NORMALIZED);
        check_failure(&r, SINGDIV_ERR_NOT_NORMALIZED, "q", SINGDIV_NO_INDEX);
        check_identical(r.error.value, 0.75);
        check_status(f(good, huge, 2, &counts, &r), SINGDIV_ERR_INFINITE);
        check_failure(&r, SINGDIV_ERR_INFINITE, "q", SINGDIV_NO_INDEX);
    }
}

static void
counts_match_probabilities(void **state)
{
    const double counts_p[] = { 3.0, 5.0, 0.0, 8.0 };
    const double counts_q[] = { 1.0, 4.0, 6.0, 5.0 };
    const double p[] = { 3.0 / 16, 5.0 / 16, 0.0, 0.5 };
    const double q[] = { 1.0 / 16, 0.25, 6.0 / 16, 5.0 / 16 };
    singdiv_options opt = normalizing();

    (void)state;
    for (size_t k = 0; k < N_OF(every_function); k++) {
        singdiv_report from_counts;
        singdiv_report from_shares;

        check_status(every_function[k](counts_p, counts_q, 4, &opt, &from_counts), SINGDIV_OK);
        check_status(every_function[k](p, q, 4, NULL, &from_shares), SINGDIV_OK);
        /* Dividing by 16 is exact, so the two are the same inputs. */
        check_identical(from_counts.value, from_shares.value);
        check_identical(from_counts.reverse_mass, from_shares.reverse_mass);
    }
}

/*
 * p = q = (DBL_MAX, 2^-1022) with normalisation: the second share,
 * 2^-1022 / (DBL_MAX + 2^-1022) ~ 2^-2046, underflows to 0 in the scaled
 * cross terms. x = y exactly, so J = PSI = 0 and D_inf = 0.
 */
static void
underflowed_equal_shares_give_zero(void **state)
{
    const double p[2] = { DBL_MAX, 0x1p-1022 };
    singdiv_options opt;
    singdiv_report r;

    (void)state;
    singdiv_options_init(&opt);
    opt.normalize = 1;
    check_status(singdiv_jeffreys(p, p, 2, &opt, &r), SINGDIV_OK);
    check_identical(r.value, 0.0);
    check_status(singdiv_psi(p, p, 2, &opt, &r), SINGDIV_OK);
    check_identical(r.value, 0.0);
    check_status(singdiv_renyi_max(p, p, 2, &opt, &r), SINGDIV_OK);
    check_identical(r.value, 0.0);
    check_status(singdiv_neyman_chi2(p, p, 2, &opt, &r), SINGDIV_OK);
    check_identical(r.value, 0.0);
}

/*
 * p = (1/2, 1/2), q = (DBL_MAX, 2^-1022) with normalisation:
 * x = (1/2, 1/2), y = (1 - d, d) with d = 2^-1022 / (DBL_MAX + 2^-1022),
 * which underflows to 0 in the scaled units. No set is singular, so each
 * value is finite (mpmath, 50 digits):
 *     J = sum (x - y) log(x / y) = 709.08956571282405148,
 *     D_inf(p || q) = log(x_2 / y_2) = 1417.4859842450881576,
 *     D_2(p || q) = log sum x^2 / y = 1416.7928370645282123.
 */
static void
underflowed_share_keeps_values_finite(void **state)
{
    const double p[2] = { 0.5, 0.5 };
    const double q[2] = { DBL_MAX, 0x1p-1022 };
    singdiv_options opt;
    singdiv_report r;

    (void)state;
    singdiv_options_init(&opt);
    opt.normalize = 1;
    check_status(singdiv_jeffreys(p, q, 2, &opt, &r), SINGDIV_OK);
    check_rel(r.value, 709.08956571282405148, 1e-14);
    check_status(singdiv_renyi_max(p, q, 2, &opt, &r), SINGDIV_OK);
    check_rel(r.value, 1417.4859842450881576, 1e-14);
    check_status(singdiv_renyi(p, q, 2, 2.0, &opt, &r), SINGDIV_OK);
    check_rel(r.value, 1416.7928370645282123, 1e-14);
}

/*
 * p = (5, 2^-1060 + 2^-1073), q = (5, 2^-28) with normalisation: x_2 is
 * below DBL_MIN, and scaling p by 2^-2 rounds away the last bit of p_2
 * (a relative error of 2^-13 in the cross term). From the raw entries the
 * values keep their digits (mpmath, 50 digits):
 *     J = 5.3296071867796802145e-7,
 *     Neyman sum (x - y)^2 / x = 3.428409030924921413e+301,
 *     D_inf(q || p) = log(y_2 / x_2) = 715.32776827425597558.
 */
static void
subnormal_share_keeps_its_digits(void **state)
{
    const double p[2] = { 5.0, 0x1p-1060 + 0x1p-1073 };
    const double q[2] = { 5.0, 0x1p-28 };
    singdiv_options opt;
    singdiv_report r;

    (void)state;
    singdiv_options_init(&opt);
    opt.normalize = 1;
    check_status(singdiv_jeffreys(p, q, 2, &opt, &r), SINGDIV_OK);
    check_rel(r.value, 5.3296071867796802145e-7, 1e-12);
    check_status(singdiv_neyman_chi2(p, q, 2, &opt, &r), SINGDIV_OK);
    check_rel(r.value, 3.428409030924921413e+301, 1e-12);
    check_status(singdiv_renyi_max(q, p, 2, &opt, &r), SINGDIV_OK);
    check_rel(r.value, 715.32776827425597558, 1e-14);
}

/*
 * p = (0, 1/4, 3/4), q = (1/2, 1/4, 1/4): F = {1} is not empty, and over
 * C, S = 1/4 + 3^alpha / 4. With the largest ratio 3 factored out
 *     D_alpha = log(S) / (alpha - 1) = log 3 + log((3/4)(1 + 3^-alpha)) / (alpha - 1),
 * which for alpha >= 1e300 is log 3 = 1.0986122886681096914 (mpmath) to
 * within 3e-301.
 */
static void
renyi_huge_order_approaches_max(void **state)
{
    const double p[3] = { 0.0, 0.25, 0.75 };
    const double q[3] = { 0.5, 0.25, 0.25 };
    singdiv_report r;

    (void)state;
    check_status(singdiv_renyi(p, q, 3, DBL_MAX, NULL, &r), SINGDIV_OK);
    check_ulp(r.value, 1.0986122886681096914, 2.0);
    check_status(singdiv_renyi(p, q, 3, 1e300, NULL, &r), SINGDIV_OK);
    check_ulp(r.value, 1.0986122886681096914, 2.0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(family_matches_50_digit_reference),
        cmocka_unit_test(underflowed_equal_shares_give_zero),
        cmocka_unit_test(chi_square_of_counts_near_dbl_max),
        cmocka_unit_test(underflowed_share_keeps_values_finite),
        cmocka_unit_test(subnormal_share_keeps_its_digits),
        cmocka_unit_test(renyi_huge_order_approaches_max),
        cmocka_unit_test(quarter_pair_closed_forms),
        cmocka_unit_test(renyi_order_one_is_kl),
        cmocka_unit_test(renyi_infinite_order_is_max),
        cmocka_unit_test(renyi_near_order_one_approaches_kl),
        cmocka_unit_test(renyi_order_two_is_log_one_plus_pearson),
        cmocka_unit_test(renyi_monotone_in_order),
        cmocka_unit_test(renyi_below_one_infinite_only_when_disjoint),
        cmocka_unit_test(renyi_above_one_infinite_on_violating_set),
        cmocka_unit_test(renyi_max_infinite_on_violating_set),
        cmocka_unit_test(identical_inputs_give_exact_zero),
        cmocka_unit_test(near_identical_keeps_relative_accuracy),
        cmocka_unit_test(disjoint_supports_give_exact_extremes),
        cmocka_unit_test(bounded_inequalities_hold),
        cmocka_unit_test(metrics_satisfy_triangle_inequality),
        cmocka_unit_test(squared_divergences_break_triangle_inequality),
        cmocka_unit_test(symmetric_divergences_are_symmetric),
        cmocka_unit_test(asymmetric_divergences_differ_when_swapped),
        cmocka_unit_test(psi_equals_jeffreys_and_kl_sum),
        cmocka_unit_test(jeffreys_reverse_set_alone_is_infinite),
        cmocka_unit_test(psi_empty_bins_are_infinite),
        cmocka_unit_test(chi_square_singular_sets),
        cmocka_unit_test(chi_square_overflow_is_infinite),
        cmocka_unit_test(skew_js_half_is_js),
        cmocka_unit_test(skew_js_swaps_with_weight),
        cmocka_unit_test(values_in_bits),
        cmocka_unit_test(order_and_weight_domain_errors),
        cmocka_unit_test(input_errors_name_argument_and_index),
        cmocka_unit_test(counts_match_probabilities),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
