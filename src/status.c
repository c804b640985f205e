/*
 * Status names and messages, from one table so that they cannot drift
 * apart from the enum.
 */
#include "internal.h"

#define SINGDIV_STATUS_TABLE(X)                                                    \
    X(SINGDIV_OK, "success")                                                       \
    X(SINGDIV_ERR_NULL, "a required pointer argument is NULL")                     \
    X(SINGDIV_ERR_EMPTY, "an input has length 0")                                  \
    X(SINGDIV_ERR_NAN, "an input entry is NaN")                                    \
    X(SINGDIV_ERR_INFINITE, "an input entry or sum is infinite")                   \
    X(SINGDIV_ERR_NEGATIVE, "a probability, count or weight is negative")          \
    X(SINGDIV_ERR_ZERO_MASS, "a distribution or weight vector is all zero")        \
    X(SINGDIV_ERR_NOT_NORMALIZED,                                                  \
      "a probability vector does not sum to 1 and normalisation was not requested") \
    X(SINGDIV_ERR_DOMAIN, "a parameter is outside its valid range")                \
    X(SINGDIV_ERR_TOO_FEW_SAMPLES, "the estimator needs more samples")             \
    X(SINGDIV_ERR_NO_MEMORY, "memory allocation failed")                           \
    X(SINGDIV_ERR_SIZE_OVERFLOW, "a size computation overflows")                   \
    X(SINGDIV_ERR_UNSORTED, "support points are not strictly increasing")          \
    X(SINGDIV_ERR_WORKSPACE, "the caller-provided buffer is too small")            \
    X(SINGDIV_ERR_INDEX, "an index argument is out of range")

#define SINGDIV_NAME_ENTRY(code, message) [code] = #code,
#define SINGDIV_MESSAGE_ENTRY(code, message) [code] = message,

static const char *const status_names[SINGDIV_STATUS_COUNT] = {
    SINGDIV_STATUS_TABLE(SINGDIV_NAME_ENTRY)
};

static const char *const status_messages[SINGDIV_STATUS_COUNT] = {
    SINGDIV_STATUS_TABLE(SINGDIV_MESSAGE_ENTRY)
};

const char *
singdiv_status_name(singdiv_status status)
{
    if ((unsigned)status >= SINGDIV_STATUS_COUNT || status_names[status] == NULL) {
        return "SINGDIV_UNKNOWN_STATUS";
    }
    return status_names[status];
}

const char *
singdiv_strerror(singdiv_status status)
{
    if ((unsigned)status >= SINGDIV_STATUS_COUNT || status_messages[status] == NULL) {
        return "unknown status code";
    }
    return status_messages[status];
}

int
singdiv_version_number(void)
{
    return SINGDIV_VERSION_NUMBER;
}

#define SINGDIV_STRINGIFY_(x) #x
#define SINGDIV_STRINGIFY(x) SINGDIV_STRINGIFY_(x)

const char *
singdiv_version_string(void)
{
    return SINGDIV_STRINGIFY(SINGDIV_VERSION_MAJOR) "."
           SINGDIV_STRINGIFY(SINGDIV_VERSION_MINOR) "."
           SINGDIV_STRINGIFY(SINGDIV_VERSION_PATCH);
}
