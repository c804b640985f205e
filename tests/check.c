#include "check.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Maps a double to an integer whose order is the order of the doubles. */
static int64_t
ordered_bits(double x)
{
    int64_t bits;

    memcpy(&bits, &x, sizeof bits);
    return bits < 0 ? INT64_MIN - bits : bits;
}

uint64_t
check_ulp_distance(double a, double b)
{
    int64_t ia;
    int64_t ib;

    if (isnan(a) || isnan(b)) {
        return UINT64_MAX;
    }
    if (a == b) {
        return 0;
    }
    if (isinf(a) || isinf(b)) {
        return UINT64_MAX;
    }
    ia = ordered_bits(a);
    ib = ordered_bits(b);
    return ia > ib ? (uint64_t)ia - (uint64_t)ib : (uint64_t)ib - (uint64_t)ia;
}

double
check_relative_error(double actual, double expected)
{
    if (expected == 0.0) {
        return fabs(actual);
    }
    return fabs(actual - expected) / fabs(expected);
}

void
check_ulp_impl(double actual, double expected, double max_ulp, const char *file, int line)
{
    uint64_t distance = check_ulp_distance(actual, expected);

    if (distance == UINT64_MAX || (double)distance > max_ulp) {
        print_error("expected %.17g (%a), got %.17g (%a): %llu ulp apart, at most %g allowed\n",
                    expected, expected, actual, actual, (unsigned long long)distance, max_ulp);
        _fail(file, line);
    }
}

void
check_rel_impl(double actual, double expected, double max_rel, const char *file, int line)
{
    int same_infinity = isinf(expected) && actual == expected;
    double error = check_relative_error(actual, expected);

    if (same_infinity) {
        return;
    }
    if (isnan(actual) || isnan(expected) || isinf(actual) || isinf(expected) || !(error <= max_rel)) {
        print_error("expected %.17g, got %.17g: relative error %.3g, at most %g allowed\n",
                    expected, actual, error, max_rel);
        _fail(file, line);
    }
}

void
check_identical_impl(double actual, double expected, const char *file, int line)
{
    if (memcmp(&actual, &expected, sizeof actual) != 0) {
        print_error("expected exactly %.17g (%a), got %.17g (%a)\n", expected, expected, actual,
                    actual);
        _fail(file, line);
    }
}

void
check_status_impl(singdiv_status actual, singdiv_status expected, const char *file, int line)
{
    if (actual != expected) {
        print_error("expected status %s, got %s\n", singdiv_status_name(expected),
                    singdiv_status_name(actual));
        _fail(file, line);
    }
}

void
check_size_impl(size_t actual, size_t expected, const char *file, int line)
{
    if (actual != expected) {
        print_error("expected %zu, got %zu\n", expected, actual);
        _fail(file, line);
    }
}

singdiv_options
options_with(int normalize, double base)
{
    singdiv_options opt;

    singdiv_options_init(&opt);
    opt.normalize = normalize;
    opt.base = base;
    return opt;
}

double
check_read_double(FILE *f)
{
    char text[64];

    assert_int_equal(fscanf(f, "%63s", text), 1);
    return strtod(text, NULL);
}
