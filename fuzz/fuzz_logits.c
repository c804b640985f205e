/*
 * Fuzzes the logits functions (singdiv/logits.h), the batch functions
 * (singdiv/batch.h) and the float32 entry points (singdiv/float32.h),
 * which must give the double path's report bit for bit.
 */
#include "fuzz_common.h"

#define MAX_K 32
#define MAX_ROWS 4

static int
same_report(const singdiv_report *a, const singdiv_report *b)
{
    return memcmp(&a->value, &b->value, sizeof a->value) == 0 &&
           memcmp(&a->finite_part, &b->finite_part, sizeof a->finite_part) == 0 &&
           memcmp(&a->violating_mass, &b->violating_mass, sizeof a->violating_mass) == 0 &&
           a->violating_count == b->violating_count && a->error.status == b->error.status &&
           a->error.index == b->error.index;
}

/*
 * Returns 1 when some shifted, scaled logit (l_i - max) / T is below
 * -DBL_MAX / 4 although l_i is finite: then a target there can make the
 * exact cross-entropy exceed DBL_MAX, and the value is +inf with no
 * violating set, as singdiv/logits.h documents.
 */
static int
has_overflowing_logit(const double *logits, size_t k, double temperature)
{
    double max = -HUGE_VAL;

    for (size_t i = 0; i < k; i++) {
        max = fmax(max, logits[i]);
    }
    for (size_t i = 0; i < k; i++) {
        if (isfinite(logits[i]) && (logits[i] - max) / temperature < -DBL_MAX / 4) {
            return 1;
        }
    }
    return 0;
}

static void
fuzz_logit_vector(fuzz_input *in, double *l, size_t k)
{
    for (size_t i = 0; i < k; i++) {
        uint8_t b = fuzz_byte(in);

        if (b < 16) {
            l[i] = fuzz_double(in);
        } else if (b < 48) {
            l[i] = -HUGE_VAL;
        } else {
            l[i] = ((double)b - 150.0) / 8.0;
        }
    }
}

static void
check_value(const singdiv_report *r, singdiv_status s, const singdiv_options *opt,
            const double *logits, size_t k, double temperature)
{
    if (s != SINGDIV_OK) {
        return;
    }
    FUZZ_CHECK(fuzz_is_nonnegative(r->value, opt));
    if (r->violating_count != 0) {
        FUZZ_CHECK(isinf(r->value));
    } else if (isinf(r->value)) {
        FUZZ_CHECK(has_overflowing_logit(logits, k, temperature));
    }
}

static void
check_single_row(fuzz_input *in, const double *p, const double *logits, size_t k,
                 double temperature, const singdiv_options *opt)
{
    const fuzz_arg args[] = {
        {"p", k}, {"logits", k}, {"k", 0}, {"target", 0}, {"temperature", 0},
        {"opt->base", 0}, {"opt->sum_tolerance", 0}, {"lse", 0}};
    const size_t nargs = sizeof args / sizeof args[0];
    float pf[MAX_K + 1], lf[MAX_K + 1];
    double pd[MAX_K + 1], ld[MAX_K + 1];
    singdiv_report ce, kl, idx, r32, r64;
    singdiv_error err;
    singdiv_status s;
    double lse;
    size_t target = fuzz_length(in, MAX_K);

    fuzz_dump("p", p, k);
    fuzz_dump("logits", logits, k);
    fuzz_dump("temperature", &temperature, 1);
    s = FUZZ_CALL("singdiv_logsumexp", singdiv_logsumexp(logits, k, temperature, &lse, &err));
    fuzz_check_error(&err, s, args, nargs);
    if (s == SINGDIV_OK) {
        FUZZ_CHECK(!isnan(lse));
    }

    s = FUZZ_CALL("singdiv_logits_cross_entropy",
                  singdiv_logits_cross_entropy(p, logits, k, temperature, opt, &ce));
    fuzz_check_report(&ce, s, k, args, nargs);
    fuzz_dump("cross-entropy", &ce.value, 1);
    check_value(&ce, s, opt, logits, k, temperature);

    s = FUZZ_CALL("singdiv_logits_kl", singdiv_logits_kl(p, logits, k, temperature, opt, &kl));
    fuzz_check_report(&kl, s, k, args, nargs);
    check_value(&kl, s, opt, logits, k, temperature);

    s = FUZZ_CALL("singdiv_logits_cross_entropy_index", singdiv_logits_cross_entropy_index(target, logits, k, temperature, opt, &idx));
    fuzz_check_report(&idx, s, k, args, nargs);
    if (s == SINGDIV_OK) {
        FUZZ_CHECK(target < k);
        FUZZ_CHECK(fuzz_is_nonnegative(idx.value, opt));
        FUZZ_CHECK((idx.violating_count != 0) == (logits[target] == -HUGE_VAL));
        if (idx.violating_count != 0) {
            FUZZ_CHECK(isinf(idx.value) && idx.violating_mass == 1.0);
        }
    }

    /* float32 entry points: the double path on the converted values. */
    for (size_t i = 0; i < k; i++) {
        pf[i] = (float)p[i];
        lf[i] = (float)logits[i];
        pd[i] = (double)pf[i];
        ld[i] = (double)lf[i];
    }
    s = FUZZ_CALL("singdiv_logits_cross_entropy_f32", singdiv_logits_cross_entropy_f32(pf, lf, k, temperature, opt, &r32));
    FUZZ_CHECK(s == FUZZ_CALL("singdiv_logits_cross_entropy", singdiv_logits_cross_entropy(pd, ld, k, temperature, opt, &r64)));
    FUZZ_CHECK(same_report(&r32, &r64));
    s = FUZZ_CALL("singdiv_logits_kl_f32", singdiv_logits_kl_f32(pf, lf, k, temperature, opt, &r32));
    FUZZ_CHECK(s == FUZZ_CALL("singdiv_logits_kl", singdiv_logits_kl(pd, ld, k, temperature, opt, &r64)));
    FUZZ_CHECK(same_report(&r32, &r64));
    s = FUZZ_CALL("singdiv_logits_cross_entropy_index_f32", singdiv_logits_cross_entropy_index_f32(target, lf, k, temperature, opt, &r32));
    FUZZ_CHECK(s == FUZZ_CALL("singdiv_logits_cross_entropy_index", singdiv_logits_cross_entropy_index(target, ld, k, temperature, opt, &r64)));
    FUZZ_CHECK(same_report(&r32, &r64));
    s = FUZZ_CALL("singdiv_entropy_f32", singdiv_entropy_f32(pf, k, opt, &r32));
    FUZZ_CHECK(s == FUZZ_CALL("singdiv_entropy", singdiv_entropy(pd, k, opt, &r64)));
    FUZZ_CHECK(same_report(&r32, &r64));
    s = FUZZ_CALL("singdiv_cross_entropy_f32", singdiv_cross_entropy_f32(pf, lf, k, opt, &r32));
    FUZZ_CHECK(s == FUZZ_CALL("singdiv_cross_entropy", singdiv_cross_entropy(pd, ld, k, opt, &r64)));
    FUZZ_CHECK(same_report(&r32, &r64));
    s = FUZZ_CALL("singdiv_kl_f32", singdiv_kl_f32(pf, lf, k, opt, &r32));
    FUZZ_CHECK(s == FUZZ_CALL("singdiv_kl", singdiv_kl(pd, ld, k, opt, &r64)));
    FUZZ_CHECK(same_report(&r32, &r64));
    s = FUZZ_CALL("singdiv_js_f32", singdiv_js_f32(pf, lf, k, opt, &r32));
    FUZZ_CHECK(s == FUZZ_CALL("singdiv_js", singdiv_js(pd, ld, k, opt, &r64)));
    FUZZ_CHECK(same_report(&r32, &r64));
    s = FUZZ_CALL("singdiv_js_distance_f32", singdiv_js_distance_f32(pf, lf, k, opt, &r32));
    FUZZ_CHECK(s == FUZZ_CALL("singdiv_js_distance", singdiv_js_distance(pd, ld, k, opt, &r64)));
    FUZZ_CHECK(same_report(&r32, &r64));
}

static void
check_batch(fuzz_input *in, const double *p, const double *logits, size_t rows, size_t k,
            double temperature, const singdiv_options *opt)
{
    const fuzz_arg args[] = {
        {"p", rows * k}, {"logits", rows * k}, {"targets", rows}, {"ignore", rows},
        {"n", 0}, {"k", 0}, {"temperature", 0}, {"opt->base", 0},
        {"opt->sum_tolerance", 0}, {"summary", 0}};
    const size_t nargs = sizeof args / sizeof args[0];
    singdiv_report reports[MAX_ROWS + 1];
    singdiv_batch_summary summary;
    unsigned char ignore[MAX_ROWS + 1];
    size_t targets[MAX_ROWS + 1];
    const unsigned char *ignore_ptr = fuzz_byte(in) % 2 ? ignore : NULL;
    singdiv_status s;

    for (size_t r = 0; r < rows; r++) {
        ignore[r] = fuzz_byte(in) % 4 == 0;
        targets[r] = fuzz_length(in, k);
    }

    s = FUZZ_CALL("singdiv_logits_cross_entropy_batch", singdiv_logits_cross_entropy_batch(p, logits, rows, k, temperature, ignore_ptr, opt,
                                           reports, &summary));
    fuzz_check_report(&summary.mean, s, rows * k, args, nargs);
    if (s == SINGDIV_OK) {
        size_t counted = 0;

        FUZZ_CHECK(summary.rows + summary.ignored_rows == rows);
        FUZZ_CHECK(summary.singular_rows <= summary.rows);
        FUZZ_CHECK(fuzz_is_nonnegative(summary.mean.value, opt));
        for (size_t r = 0; r < rows; r++) {
            singdiv_report single;

            if (ignore_ptr != NULL && ignore[r]) {
                FUZZ_CHECK(isnan(reports[r].value));
                continue;
            }
            counted++;
            FUZZ_CHECK(FUZZ_CALL("singdiv_logits_cross_entropy", singdiv_logits_cross_entropy(p + r * k, logits + r * k, k, temperature,
                                                    opt, &single)) == SINGDIV_OK);
            FUZZ_CHECK(same_report(&single, &reports[r]));
        }
        FUZZ_CHECK(counted == summary.rows);
    }

    s = FUZZ_CALL("singdiv_logits_cross_entropy_index_batch",
                  singdiv_logits_cross_entropy_index_batch(targets, logits, rows, k, temperature,
                                                           ignore_ptr, opt, reports, &summary));
    fuzz_check_report(&summary.mean, s, rows * k, args, nargs);
    if (s == SINGDIV_OK) {
        FUZZ_CHECK(summary.rows + summary.ignored_rows == rows);
    }
    if (s == SINGDIV_OK) {
        FUZZ_CHECK(fuzz_is_nonnegative(summary.mean.value, opt));
        FUZZ_CHECK(fuzz_is_mass(summary.mean.violating_mass));
    }

    /* float32 batches: the double batch on the converted values, bit for bit. */
    {
        float pf[MAX_K * MAX_ROWS + 1], lf[MAX_K * MAX_ROWS + 1];
        double pd[MAX_K * MAX_ROWS + 1], ld[MAX_K * MAX_ROWS + 1];
        singdiv_batch_summary s32, s64;
        singdiv_status t32, t64;

        for (size_t i = 0; i < rows * k; i++) {
            pf[i] = (float)p[i];
            lf[i] = (float)logits[i];
            pd[i] = (double)pf[i];
            ld[i] = (double)lf[i];
        }
        t32 = FUZZ_CALL("singdiv_logits_cross_entropy_batch_f32",
                        singdiv_logits_cross_entropy_batch_f32(pf, lf, rows, k, temperature,
                                                               ignore_ptr, opt, NULL, &s32));
        t64 = singdiv_logits_cross_entropy_batch(pd, ld, rows, k, temperature, ignore_ptr, opt,
                                                 NULL, &s64);
        FUZZ_CHECK(t32 == t64 && same_report(&s32.mean, &s64.mean));
        t32 = FUZZ_CALL("singdiv_logits_cross_entropy_index_batch_f32",
                        singdiv_logits_cross_entropy_index_batch_f32(targets, lf, rows, k,
                                                                     temperature, ignore_ptr,
                                                                     opt, NULL, &s32));
        t64 = singdiv_logits_cross_entropy_index_batch(targets, ld, rows, k, temperature,
                                                       ignore_ptr, opt, NULL, &s64);
        FUZZ_CHECK(t32 == t64 && same_report(&s32.mean, &s64.mean));
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size, 0};
    double p[MAX_K * MAX_ROWS + 1];
    double logits[MAX_K * MAX_ROWS + 1];
    size_t k = fuzz_length(&in, MAX_K);
    size_t rows = fuzz_length(&in, MAX_ROWS);
    singdiv_options options;
    const singdiv_options *opt = fuzz_options(&in, &options);
    double temperature;

    switch (fuzz_byte(&in) % 4) {
    case 0: temperature = 1.0; break;
    case 1: temperature = fuzz_double(&in); break;
    default: temperature = ldexp(1.0, (int)(fuzz_byte(&in) % 64) - 32); break;
    }
    for (size_t r = 0; r < MAX_ROWS; r++) {
        fuzz_vector(&in, p + r * MAX_K, MAX_K);
        fuzz_logit_vector(&in, logits + r * MAX_K, MAX_K);
    }

    check_single_row(&in, p, logits, k, temperature, opt);
    check_batch(&in, p, logits, rows, k, temperature, opt);
    return 0;
}
