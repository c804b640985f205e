/*
 * Computing and printing the family section of the divergence report.
 */
#include <math.h>
#include <string.h>

#include "diag.h"
#include "family_report.h"

typedef singdiv_status (*family_function)(const double *, const double *, size_t,
                                          const singdiv_options *, singdiv_report *);

/* A divergence of the family without an order or weight parameter. */
typedef struct fixed_divergence {
    singdiv_divergence id;
    family_function compute;
    const char *function_name;
    const char *key;
    const char *label;
} fixed_divergence;

/* In the order of the JSON members and text lines, after the Rényi orders. */
static const fixed_divergence fixed_divergences[CLI_FAMILY_FIXED_COUNT] = {
    {SINGDIV_DIVERGENCE_RENYI_MAX, singdiv_renyi_max, "singdiv_renyi_max", "renyi_max",
     "Renyi D_max(P || Q)"},
    {SINGDIV_DIVERGENCE_PEARSON_CHI2, singdiv_pearson_chi2, "singdiv_pearson_chi2",
     "pearson_chi2", "Pearson chi2(P || Q)"},
    {SINGDIV_DIVERGENCE_NEYMAN_CHI2, singdiv_neyman_chi2, "singdiv_neyman_chi2",
     "neyman_chi2", "Neyman chi2(P || Q)"},
    {SINGDIV_DIVERGENCE_JEFFREYS, singdiv_jeffreys, "singdiv_jeffreys", "jeffreys",
     "Jeffreys J(P, Q)"},
    {SINGDIV_DIVERGENCE_PSI, singdiv_psi, "singdiv_psi", "psi", "PSI(P, Q)"},
    {SINGDIV_DIVERGENCE_TOTAL_VARIATION, singdiv_total_variation, "singdiv_total_variation",
     "total_variation", "total variation TV"},
    {SINGDIV_DIVERGENCE_HELLINGER, singdiv_hellinger, "singdiv_hellinger", "hellinger",
     "Hellinger distance H"},
    {SINGDIV_DIVERGENCE_HELLINGER_SQUARED, singdiv_hellinger_squared,
     "singdiv_hellinger_squared", "hellinger_squared", "squared Hellinger H^2"},
    {SINGDIV_DIVERGENCE_BHATTACHARYYA_COEFFICIENT, singdiv_bhattacharyya_coefficient,
     "singdiv_bhattacharyya_coefficient", "bhattacharyya_coefficient",
     "Bhattacharyya coefficient"},
    {SINGDIV_DIVERGENCE_BHATTACHARYYA_ANGLE, singdiv_bhattacharyya_angle,
     "singdiv_bhattacharyya_angle", "bhattacharyya_angle", "Bhattacharyya angle"},
};

/* Fills value->singularity for one divergence. order is alpha or pi, and the others ignore it. */
static int
map_singularity(singdiv_divergence id, const double *p, const double *q, size_t n,
                double order, const singdiv_options *opt, cli_family_value *value)
{
    singdiv_status s = singdiv_singularity_map(id, p, q, n, order, SINGDIV_SMOOTH_Q, opt,
                                               &value->singularity);

    return s == SINGDIV_OK ? 0 : cli_library_failure("singdiv_singularity_map", s);
}

static int
compute_fixed(const fixed_divergence *d, const double *p, const double *q, size_t n,
              const singdiv_options *opt, cli_family_value *value)
{
    singdiv_status s = d->compute(p, q, n, opt, &value->report);

    value->key = d->key;
    value->label = d->label;
    if (s != SINGDIV_OK) {
        return cli_library_failure(d->function_name, s);
    }
    return map_singularity(d->id, p, q, n, 0.0, opt, value);
}

static int
compute_renyi(const double *p, const double *q, size_t n, double alpha,
              const singdiv_options *opt, cli_family_value *value)
{
    singdiv_status s = singdiv_renyi(p, q, n, alpha, opt, &value->report);

    if (s != SINGDIV_OK) {
        return cli_library_failure("singdiv_renyi", s);
    }
    return map_singularity(SINGDIV_DIVERGENCE_RENYI, p, q, n, alpha, opt, value);
}

int
cli_compute_family(const double *p, const double *q, size_t n, const singdiv_options *opt,
                   const cli_family_request *req, cli_family_values *out)
{
    int status = 0;
    singdiv_status s;

    memset(out, 0, sizeof *out);
    out->request = req;
    for (size_t k = 0; k < req->renyi_count && status == 0; k++) {
        status = compute_renyi(p, q, n, req->renyi_orders[k], opt, &out->renyi[k]);
    }
    for (size_t k = 0; k < CLI_FAMILY_FIXED_COUNT && status == 0; k++) {
        status = compute_fixed(&fixed_divergences[k], p, q, n, opt, &out->fixed[k]);
    }
    if (status != 0) {
        return status;
    }

    s = singdiv_skew_js(p, q, n, req->skew_pi, opt, &out->skew_js.report);
    if (s != SINGDIV_OK) {
        return cli_library_failure("singdiv_skew_js", s);
    }
    return map_singularity(SINGDIV_DIVERGENCE_SKEW_JS, p, q, n, req->skew_pi, opt,
                           &out->skew_js);
}

/* Returns the set that makes a divergence infinite, as the JSON and the text name it. */
static const char *
cause_name(singdiv_singular_cause cause)
{
    switch (cause) {
    case SINGDIV_CAUSE_VIOLATING:
        return "V";
    case SINGDIV_CAUSE_REVERSE:
        return "F";
    case SINGDIV_CAUSE_BOTH:
        return "V and F";
    case SINGDIV_CAUSE_DISJOINT:
        return "disjoint supports";
    default:
        return "none";
    }
}

static const char *
growth_name(singdiv_growth growth)
{
    switch (growth) {
    case SINGDIV_GROWTH_LOG:
        return "log";
    case SINGDIV_GROWTH_INVERSE:
        return "inverse";
    case SINGDIV_GROWTH_UNREPAIRED:
        return "unrepaired";
    default:
        return "none";
    }
}

/* Prints one line: the value, and for an infinite value its cause and growth. */
static void
print_value(FILE *out, const char *label, const cli_family_value *v)
{
    const singdiv_singularity *m = &v->singularity;

    if (!isinf(v->report.value)) {
        fprintf(out, "  %-26s %.6g\n", label, v->report.value);
        return;
    }
    fprintf(out, "  %-26s %-12.6g on %s, ", label, v->report.value, cause_name(m->cause));
    if (m->growth == SINGDIV_GROWTH_LOG) {
        fprintf(out, "grows like %.6g log(1/eps) when Q is smoothed\n", m->rate);
    } else if (m->growth == SINGDIV_GROWTH_INVERSE) {
        fprintf(out, "grows like %.6g / eps when Q is smoothed\n", m->rate);
    } else {
        fprintf(out, "stays inf when Q is smoothed\n");
    }
}

void
cli_print_family(FILE *out, const cli_family_values *values)
{
    const cli_family_request *req = values->request;
    char label[64];

    fprintf(out, "\nDivergence family (for an inf value: the set that makes it infinite, and\n"
            "how the value grows when Q is smoothed to Q_eps as above):\n");
    for (size_t k = 0; k < req->renyi_count; k++) {
        snprintf(label, sizeof label, "Renyi D_%g(P || Q)", req->renyi_orders[k]);
        print_value(out, label, &values->renyi[k]);
    }
    for (size_t k = 0; k < CLI_FAMILY_FIXED_COUNT; k++) {
        print_value(out, values->fixed[k].label, &values->fixed[k]);
    }
    snprintf(label, sizeof label, "skewed JS, pi = %g", req->skew_pi);
    print_value(out, label, &values->skew_js);
    fprintf(out, "  (chi2, TV, Hellinger and Bhattacharyya values have no unit; "
            "the angle is in radians)\n");
}

/* Writes the members of one divergence after any parameter member. */
static void
write_value_members(cli_json *j, const cli_family_value *v)
{
    cli_json_number(j, "value", v->report.value);
    cli_json_number(j, "finite_part", v->report.finite_part);
    cli_json_string(j, "infinite_on", cause_name(v->singularity.cause));
    cli_json_string(j, "growth", growth_name(v->singularity.growth));
    cli_json_number(j, "rate", v->singularity.rate);
}

void
cli_write_family_json(cli_json *j, const cli_family_values *values)
{
    const cli_family_request *req = values->request;

    cli_json_begin_object(j, "family");
    cli_json_begin_array(j, "renyi");
    for (size_t k = 0; k < req->renyi_count; k++) {
        cli_json_begin_object(j, NULL);
        cli_json_number(j, "alpha", req->renyi_orders[k]);
        write_value_members(j, &values->renyi[k]);
        cli_json_end_object(j);
    }
    cli_json_end_array(j);
    for (size_t k = 0; k < CLI_FAMILY_FIXED_COUNT; k++) {
        cli_json_begin_object(j, values->fixed[k].key);
        write_value_members(j, &values->fixed[k]);
        cli_json_end_object(j);
    }
    cli_json_begin_object(j, "skew_js");
    cli_json_number(j, "pi", req->skew_pi);
    write_value_members(j, &values->skew_js);
    cli_json_end_object(j);
    cli_json_end_object(j);
}
