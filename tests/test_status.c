/*
 * Tests of status names, messages and version queries.
 */
#include <string.h>

#include "check.h"

static void
status_names_match_constants(void **state)
{
    (void)state;
    assert_string_equal(singdiv_status_name(SINGDIV_OK), "SINGDIV_OK");
    assert_string_equal(singdiv_status_name(SINGDIV_ERR_NULL), "SINGDIV_ERR_NULL");
    assert_string_equal(singdiv_status_name(SINGDIV_ERR_NOT_NORMALIZED),
                        "SINGDIV_ERR_NOT_NORMALIZED");
    assert_string_equal(singdiv_status_name(SINGDIV_ERR_INDEX), "SINGDIV_ERR_INDEX");
}

static void
status_numbers_are_stable(void **state)
{
    (void)state;
    assert_int_equal(SINGDIV_OK, 0);
    assert_int_equal(SINGDIV_ERR_NULL, 1);
    assert_int_equal(SINGDIV_ERR_SIZE_OVERFLOW, 11);
    assert_int_equal(SINGDIV_ERR_INDEX, 14);
    assert_int_equal(SINGDIV_STATUS_COUNT, 15);
}

static void
every_status_has_name_and_message(void **state)
{
    (void)state;
    for (int s = 0; s < SINGDIV_STATUS_COUNT; s++) {
        const char *name = singdiv_status_name((singdiv_status)s);
        const char *message = singdiv_strerror((singdiv_status)s);

        assert_non_null(strstr(name, "SINGDIV_"));
        assert_string_not_equal(name, "SINGDIV_UNKNOWN_STATUS");
        assert_true(strlen(message) > 5);
        assert_string_not_equal(message, "unknown status code");
    }
}

static void
unknown_status_is_named_unknown(void **state)
{
    (void)state;
    assert_string_equal(singdiv_status_name((singdiv_status)SINGDIV_STATUS_COUNT),
                        "SINGDIV_UNKNOWN_STATUS");
    assert_string_equal(singdiv_status_name((singdiv_status)-1), "SINGDIV_UNKNOWN_STATUS");
    assert_string_equal(singdiv_strerror((singdiv_status)1000), "unknown status code");
}

static void
version_matches_header(void **state)
{
    (void)state;
    assert_int_equal(singdiv_version_number(), SINGDIV_VERSION_NUMBER);
    assert_string_equal(singdiv_version_string(), "0.1.0");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(status_names_match_constants),
        cmocka_unit_test(status_numbers_are_stable),
        cmocka_unit_test(every_status_has_name_and_message),
        cmocka_unit_test(unknown_status_is_named_unknown),
        cmocka_unit_test(version_matches_header),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
