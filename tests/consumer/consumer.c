/*
 * An external program built against the installed library with only
 * `pkg-config --cflags --libs singdiv`, the way a user builds one. It checks
 * that the umbrella header compiles, that the run-time version matches the
 * headers, and that a few functions from different modules link and give
 * their closed-form values. Exits 0 on success, 1 on any mismatch.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <singdiv/singdiv.h>

static int failures;

static void
expect(int condition, const char *what)
{
    if (!condition) {
        fprintf(stderr, "consumer: failed: %s\n", what);
        failures++;
    }
}

static int
close_to(double actual, double expected)
{
    return fabs(actual - expected) <= 1e-14 * fmax(1.0, fabs(expected));
}

int
main(void)
{
    /* p = (1/2, 1/2, 0), q = (1/2, 0, 1/2): V = {1} with mass 1/2. */
    const double p[] = {0.5, 0.5, 0.0};
    const double q[] = {0.5, 0.0, 0.5};
    const double u[] = {0.0, 1.0, 2.0};
    const double v[] = {1.0, 2.0, 3.0};
    singdiv_report report;
    double w1 = 0.0;

    expect(singdiv_version_number() == SINGDIV_VERSION_NUMBER,
           "run-time version equals the header version");
    expect(strlen(singdiv_version_string()) > 0, "version string is not empty");

    expect(singdiv_kl(p, q, 3, NULL, &report) == SINGDIV_OK, "KL status is OK");
    expect(isinf(report.value) && report.value > 0.0, "KL is +inf on V");
    expect(report.violating_count == 1, "violating count is 1");
    expect(report.violating_mass == 0.5, "violating mass is 1/2");

    /* Supports {0, 1} and {0, 2} share half their mass: JS = log(2) / 2. */
    expect(singdiv_js(p, q, 3, NULL, &report) == SINGDIV_OK, "JS status is OK");
    expect(close_to(report.value, 0.5 * log(2.0)), "JS equals log(2) / 2");

    /* Shifting every sample by 1 moves all mass a distance 1: W1 = 1. */
    expect(singdiv_w1_samples(u, NULL, 3, v, NULL, 3, &w1) == SINGDIV_OK,
           "W1 status is OK");
    expect(close_to(w1, 1.0), "W1 of a shift by 1 is 1");

    expect(singdiv_kl(NULL, q, 3, NULL, &report) == SINGDIV_ERR_NULL,
           "NULL p is rejected");
    expect(strcmp(singdiv_status_name(SINGDIV_ERR_NULL), "SINGDIV_ERR_NULL") == 0,
           "status name of SINGDIV_ERR_NULL");

    if (failures == 0) {
        printf("consumer: library %s passed\n", singdiv_version_string());
    }
    return failures == 0 ? 0 : 1;
}
