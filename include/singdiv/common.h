/*
 * libsingdiv: symbol visibility and version.
 */
#ifndef SINGDIV_COMMON_H
#define SINGDIV_COMMON_H

/*
 * The library is built with hidden visibility; only declarations marked
 * SINGDIV_EXPORT are part of the ABI.
 */
#if defined(SINGDIV_BUILDING) && defined(__GNUC__)
#define SINGDIV_EXPORT __attribute__((visibility("default")))
#else
#define SINGDIV_EXPORT
#endif

#define SINGDIV_VERSION_MAJOR 0
#define SINGDIV_VERSION_MINOR 1
#define SINGDIV_VERSION_PATCH 0
/* The version as one number, for example 100 for 0.1.0. */
#define SINGDIV_VERSION_NUMBER \
    (SINGDIV_VERSION_MAJOR * 10000 + SINGDIV_VERSION_MINOR * 100 + SINGDIV_VERSION_PATCH)

#ifdef __cplusplus
extern "C" {
#endif

/* Returns the version of the library loaded at run time, as SINGDIV_VERSION_NUMBER. */
SINGDIV_EXPORT int
singdiv_version_number(void);

/* Returns the version of the library loaded at run time, as "MAJOR.MINOR.PATCH". */
SINGDIV_EXPORT const char *
singdiv_version_string(void);

#ifdef __cplusplus
}
#endif

#endif /* SINGDIV_COMMON_H */
