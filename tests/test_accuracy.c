/*
 * Accuracy of the discrete divergences against 50-digit references from
 * tests/gen_discrete_reference.py (data in tests/data/discrete_reference.txt):
 * random pairs, near-identical pairs with KL down to 1e-30, neighbouring
 * doubles, subnormal entries, a wide dynamic range, counts with huge and
 * tiny sums, and vectors of 10^7 entries. Each value must be within
 * MAX_ULP of the reference rounded to double; the worst error seen is
 * printed.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* The bound documented in include/singdiv/discrete.h. */
#define MAX_ULP 4.0

/* Masses are sums of positive terms divided by an exact total. */
#define MAX_MASS_ULP 4.0

enum { H, CE, CE_FINITE, KL, KL_FINITE, JS, VIOLATING_MASS, REVERSE_MASS, N_EXPECTED };

typedef struct reference_case {
    char name[64];
    int normalize;
    size_t n;
    double *p;
    double *q;
    double expected[N_EXPECTED];
} reference_case;

static const char *const quantity_names[N_EXPECTED] = {
    "entropy", "cross-entropy", "cross-entropy finite part", "KL", "KL finite part",
    "JS", "violating mass", "reverse mass",
};

static uint64_t worst_ulp[N_EXPECTED];

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
    }
    if (distance == UINT64_MAX || (double)distance > max_ulp) {
        print_error("case %s, %s:\n", c->name, quantity_names[k]);
    }
    check_ulp(actual, c->expected[k], max_ulp);
}

static void
check_case(const reference_case *c)
{
    singdiv_options opt;
    singdiv_report r;

    singdiv_options_init(&opt);
    opt.normalize = c->normalize;

    check_status(singdiv_entropy(c->p, c->n, &opt, &r), SINGDIV_OK);
    check_quantity(c, H, r.value, MAX_ULP);

    check_status(singdiv_cross_entropy(c->p, c->q, c->n, &opt, &r), SINGDIV_OK);
    check_quantity(c, CE, r.value, MAX_ULP);
    check_quantity(c, CE_FINITE, r.finite_part, MAX_ULP);
    check_quantity(c, VIOLATING_MASS, r.violating_mass, MAX_MASS_ULP);
    check_quantity(c, REVERSE_MASS, r.reverse_mass, MAX_MASS_ULP);

    check_status(singdiv_kl(c->p, c->q, c->n, &opt, &r), SINGDIV_OK);
    check_quantity(c, KL, r.value, MAX_ULP);
    check_quantity(c, VIOLATING_MASS, r.violating_mass, MAX_MASS_ULP);
    check_quantity(c, REVERSE_MASS, r.reverse_mass, MAX_MASS_ULP);
    /* The singular finite part is a difference of sums; it gets an absolute bound. */
    if (isinf(c->expected[KL])) {
        check_rel(r.finite_part, c->expected[KL_FINITE], 1e-14);
    } else {
        check_quantity(c, KL_FINITE, r.finite_part, MAX_ULP);
    }

    check_status(singdiv_js(c->p, c->q, c->n, &opt, &r), SINGDIV_OK);
    check_quantity(c, JS, r.value, MAX_ULP);
    check_status(singdiv_js(c->q, c->p, c->n, &opt, &r), SINGDIV_OK);
    check_quantity(c, JS, r.value, MAX_ULP);
}

static void
discrete_matches_50_digit_reference(void **state)
{
    FILE *f = fopen(SINGDIV_TEST_DATA "/discrete_reference.txt", "r");
    reference_case c;
    int cases = 0;
    char header[512];

    (void)state;
    assert_non_null(f);
    assert_non_null(fgets(header, sizeof header, f));
    while (read_case(f, &c)) {
        check_case(&c);
        free(c.p);
        free(c.q);
        cases++;
    }
    fclose(f);

    assert_true(cases >= 62);
    for (int k = 0; k < N_EXPECTED; k++) {
        printf("# worst error over %d cases, %s: %llu ulp\n", cases, quantity_names[k],
               (unsigned long long)worst_ulp[k]);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(discrete_matches_50_digit_reference),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
