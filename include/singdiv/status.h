/*
 * libsingdiv: status codes and error details.
 *
 * Every function that can fail returns a singdiv_status. Results go through
 * out-pointers, because any double, +inf included, is a legal result here.
 */
#ifndef SINGDIV_STATUS_H
#define SINGDIV_STATUS_H

#include <stddef.h>
#include <stdint.h>

#include <singdiv/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Status codes. The numbers are part of the ABI: a code keeps its number
 * forever and new codes are added at the end.
 */
typedef enum singdiv_status {
    SINGDIV_OK = 0,                  /* success; a singular (+inf) value is a success */
    SINGDIV_ERR_NULL = 1,            /* a required pointer argument is NULL */
    SINGDIV_ERR_EMPTY = 2,           /* a length is 0 */
    SINGDIV_ERR_NAN = 3,             /* an input entry is NaN */
    SINGDIV_ERR_INFINITE = 4,        /* an input entry is +inf or -inf */
    SINGDIV_ERR_NEGATIVE = 5,        /* a probability, count or weight is negative */
    SINGDIV_ERR_ZERO_MASS = 6,       /* a distribution or weight vector is all zero */
    SINGDIV_ERR_NOT_NORMALIZED = 7,  /* a sum is away from 1 and normalisation was not requested */
    SINGDIV_ERR_DOMAIN = 8,          /* a scalar parameter is outside its domain */
    SINGDIV_ERR_TOO_FEW_SAMPLES = 9, /* an estimator needs more samples than given */
    SINGDIV_ERR_NO_MEMORY = 10,      /* an allocation failed */
    SINGDIV_ERR_SIZE_OVERFLOW = 11,  /* a size computation overflows size_t */
    SINGDIV_ERR_UNSORTED = 12,       /* points that must increase strictly do not */
    SINGDIV_ERR_WORKSPACE = 13,      /* a caller-provided buffer is too small */
    SINGDIV_ERR_INDEX = 14           /* an index argument is out of range */
} singdiv_status;

/* One past the largest status code. */
#define SINGDIV_STATUS_COUNT 15

/* The index member of singdiv_error when the error concerns no single entry. */
#define SINGDIV_NO_INDEX SIZE_MAX

/*
 * What was rejected, for callers that want more than the status.
 *
 * argument is the name of the rejected parameter as spelled in the
 * function's prototype ("p", "q", "opt->base", ...), or NULL on success.
 * index is the position of the offending entry in that array, or
 * SINGDIV_NO_INDEX when the error concerns the argument as a whole (a NULL
 * pointer, a zero length, a sum away from 1). value is the rejected value
 * (the entry, the scalar parameter or the sum), or NaN when there is none.
 */
typedef struct singdiv_error {
    singdiv_status status;
    const char *argument;
    size_t index;
    double value;
} singdiv_error;

/*
 * Returns the name of the constant, for example "SINGDIV_ERR_NAN", or
 * "SINGDIV_UNKNOWN_STATUS" for a number that is no status. The string is
 * static and must not be freed.
 */
SINGDIV_EXPORT const char *
singdiv_status_name(singdiv_status status);

/*
 * Returns a one-sentence description of the status, for example "an input
 * entry is NaN". The string is static and must not be freed.
 */
SINGDIV_EXPORT const char *
singdiv_strerror(singdiv_status status);

#ifdef __cplusplus
}
#endif

#endif /* SINGDIV_STATUS_H */
