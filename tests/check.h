/*
 * Comparison helpers for the cmocka tests. cmocka 1.1.5's
 * assert_float_equal converts to float, so doubles are compared here, and
 * every failure prints expected and actual values with the caller's line.
 */
#ifndef SINGDIV_TESTS_CHECK_H
#define SINGDIV_TESTS_CHECK_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include <singdiv/singdiv.h>

/*
 * Returns the number of doubles between a and b (0 when equal, +0 and -0
 * count as equal), or UINT64_MAX when either is NaN or the signs of two
 * infinities differ.
 */
uint64_t
check_ulp_distance(double a, double b);

/* Returns the relative error |actual - expected| / |expected| (absolute when expected is 0). */
double
check_relative_error(double actual, double expected);

/*
 * Reads the next whitespace-separated token of f as a double (decimal or
 * C99 hexadecimal), failing the test at the end of the file.
 */
double
check_read_double(FILE *f);

void check_ulp_impl(double actual, double expected, double max_ulp, const char *file, int line);
void check_rel_impl(double actual, double expected, double max_rel, const char *file, int line);
void check_identical_impl(double actual, double expected, const char *file, int line);
void check_status_impl(singdiv_status actual, singdiv_status expected, const char *file, int line);
void check_size_impl(size_t actual, size_t expected, const char *file, int line);

/* actual within max_ulp units in the last place of expected; infinities must match exactly. */
#define check_ulp(actual, expected, max_ulp) \
    check_ulp_impl((actual), (expected), (max_ulp), __FILE__, __LINE__)
/* |actual - expected| <= max_rel * |expected|; infinities must match exactly. */
#define check_rel(actual, expected, max_rel) \
    check_rel_impl((actual), (expected), (max_rel), __FILE__, __LINE__)
/* Bitwise identical, so +0.0 differs from -0.0 and NaN equals NaN. */
#define check_identical(actual, expected) \
    check_identical_impl((actual), (expected), __FILE__, __LINE__)
/* Statuses compared by value, printed by name. */
#define check_status(actual, expected) \
    check_status_impl((actual), (expected), __FILE__, __LINE__)
#define check_size(actual, expected) \
    check_size_impl((actual), (expected), __FILE__, __LINE__)

/* Returns the default options with normalize and base set. */
singdiv_options options_with(int normalize, double base);

#endif /* SINGDIV_TESTS_CHECK_H */
