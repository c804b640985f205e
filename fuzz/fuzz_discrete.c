/*
 * Fuzzes the discrete divergences (singdiv/discrete.h): entropy,
 * cross-entropy, KL, JS and the JS distance, the violating and reverse
 * sets, singdiv_check_distribution() and singdiv_report_compare().
 */
#include "fuzz_common.h"

#define MAX_N 64

typedef singdiv_status (*pair_function)(const double *, const double *, size_t,
                                        const singdiv_options *, singdiv_report *);

static void
check_set(const double *p, const double *q, size_t n, const singdiv_options *opt,
          int violating, const singdiv_report *ce, singdiv_status ce_status)
{
    size_t indices[MAX_N + 2];
    size_t count = SIZE_MAX;
    size_t capacity = n / 2;
    singdiv_status status;

    indices[capacity] = 0xdeadbeef;
    status = violating ? FUZZ_CALL("singdiv_violating_set", singdiv_violating_set(p, q, n, opt, indices, capacity, &count))
                       : FUZZ_CALL("singdiv_reverse_set", singdiv_reverse_set(p, q, n, opt, indices, capacity, &count));
    FUZZ_CHECK(status == ce_status);
    FUZZ_CHECK(indices[capacity] == 0xdeadbeef);
    if (status != SINGDIV_OK) {
        return;
    }
    FUZZ_CHECK(count == (violating ? ce->violating_count : ce->reverse_count));
    for (size_t j = 0; j < count && j < capacity; j++) {
        size_t i = indices[j];

        FUZZ_CHECK(i < n);
        FUZZ_CHECK(j == 0 || i > indices[j - 1]);
        if (violating) {
            FUZZ_CHECK(p[i] > 0.0 && q[i] == 0.0);
        } else {
            FUZZ_CHECK(q[i] > 0.0 && p[i] == 0.0);
        }
    }
}

static void
check_compare(const singdiv_report *a, const singdiv_report *b)
{
    int ab = 2;
    int ba = 2;
    singdiv_status s1 = FUZZ_CALL("singdiv_report_compare", singdiv_report_compare(a, b, &ab));
    singdiv_status s2 = FUZZ_CALL("singdiv_report_compare", singdiv_report_compare(b, a, &ba));

    FUZZ_CHECK(s1 == s2);
    if (s1 == SINGDIV_OK) {
        FUZZ_CHECK(ab >= -1 && ab <= 1);
        FUZZ_CHECK(ab == -ba);
    } else {
        FUZZ_CHECK(s1 == SINGDIV_ERR_NAN);
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
    singdiv_report h, ce, kl, js, jsd;
    singdiv_status s_h, s_ce, s_kl, s_js, s_jsd, s_check;
    singdiv_error err;
    size_t n = fuzz_length(&in, MAX_N);
    const fuzz_arg args[] = {
        {"p", n}, {"q", n}, {"n", 0}, {"opt->base", 0}, {"opt->sum_tolerance", 0}};
    const size_t nargs = sizeof args / sizeof args[0];

    opt = fuzz_options(&in, &options);
    fuzz_vector(&in, p, n);
    if (fuzz_byte(&in) % 4 == 0) {
        memcpy(q, p, sizeof p);
    } else {
        fuzz_vector(&in, q, n);
    }
    fuzz_dump("p", p, n);
    fuzz_dump("q", q, n);

    s_h = FUZZ_CALL("singdiv_entropy", singdiv_entropy(p, n, opt, &h));
    s_ce = FUZZ_CALL("singdiv_cross_entropy", singdiv_cross_entropy(p, q, n, opt, &ce));
    s_kl = FUZZ_CALL("singdiv_kl", singdiv_kl(p, q, n, opt, &kl));
    s_js = FUZZ_CALL("singdiv_js", singdiv_js(p, q, n, opt, &js));
    s_jsd = FUZZ_CALL("singdiv_js_distance", singdiv_js_distance(p, q, n, opt, &jsd));
    s_check = FUZZ_CALL("singdiv_check_distribution", singdiv_check_distribution(p, n, opt, &err));

    fuzz_check_report(&h, s_h, n, args, nargs);
    fuzz_check_report(&ce, s_ce, n, args, nargs);
    fuzz_check_report(&kl, s_kl, n, args, nargs);
    fuzz_check_report(&js, s_js, n, args, nargs);
    fuzz_check_report(&jsd, s_jsd, n, args, nargs);
    fuzz_check_error(&err, s_check, args, nargs);

    /* The pair functions validate p, q and the options in the same order. */
    FUZZ_CHECK(s_kl == s_ce && s_js == s_ce && s_jsd == s_ce);
    FUZZ_CHECK(s_check == s_h);

    if (s_h == SINGDIV_OK) {
        FUZZ_CHECK(fuzz_is_nonnegative(h.value, opt));
        FUZZ_CHECK(fuzz_in_nats(h.value, opt) <= log((double)n) * (1 + 1e-15));
        FUZZ_CHECK(h.violating_count == 0 && h.reverse_count == 0);
    }
    if (s_ce == SINGDIV_OK) {
        FUZZ_CHECK(fuzz_is_nonnegative(ce.value, opt));
        FUZZ_CHECK(isinf(ce.value) == (ce.violating_count != 0));
        FUZZ_CHECK(fuzz_is_nonnegative(kl.value, opt));
        FUZZ_CHECK(isinf(kl.value) == (kl.violating_count != 0));
        FUZZ_CHECK(kl.violating_count == ce.violating_count);
        FUZZ_CHECK(fabs(kl.violating_mass - ce.violating_mass) <= 4 * DBL_EPSILON);
        FUZZ_CHECK(fuzz_is_nonnegative(js.value, opt));
        FUZZ_CHECK(fuzz_in_nats(js.value, opt) <= log(2.0) * (1 + 1e-15));
        FUZZ_CHECK(jsd.value >= 0.0);
        if (memcmp(p, q, n * sizeof p[0]) == 0) {
            FUZZ_CHECK(kl.value == 0.0 && js.value == 0.0);
        }
        check_compare(&ce, &kl);
    }
    check_set(p, q, n, opt, 1, &ce, s_ce);
    check_set(p, q, n, opt, 0, &ce, s_ce);

    /* NULL arguments are rejected whatever else is wrong. */
    if (fuzz_byte(&in) == 1) {
        singdiv_status s = FUZZ_CALL("singdiv_kl", singdiv_kl(NULL, q, n, opt, &kl));

        FUZZ_CHECK(s == SINGDIV_ERR_NULL);
        s = FUZZ_CALL("singdiv_js", singdiv_js(p, NULL, n, opt, &js));
        FUZZ_CHECK(s == SINGDIV_ERR_NULL);
        s = FUZZ_CALL("singdiv_cross_entropy", singdiv_cross_entropy(p, q, n, opt, NULL));
        FUZZ_CHECK(s == SINGDIV_ERR_NULL);
    }
    return 0;
}
