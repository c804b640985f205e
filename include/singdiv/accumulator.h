/*
 * libsingdiv: mergeable accumulators for entropy, cross-entropy and KL of
 * long vectors, and for the log-sum-exp and cross-entropy of logits.
 *
 * A long vector is cut into chunks, each identified by its global offset.
 * Chunks may be added in any order to several accumulators (in threads or
 * processes), and the accumulators merged in any order. Finalising gives
 * the report of the single call on the whole vector within the bounds
 * below.
 *
 * What is accumulated. The normalising sums P = sum p and Q = sum q are
 * not known until the last chunk is in, so every chunk adds raw sums,
 * kept as double-doubles:
 * - cross-entropy and entropy (q = p): with q_i = m_i 2^e_i, m_i in
 *   [1/2, 1), the sums of p_i log m_i and of p_i e_i (exact) over the
 *   covered support, of p over the covered and violating sets, of q over
 *   everything and over F. The entry with the largest q is held out of the
 *   sums. With Q = M 2^E, finalisation uses
 *     sum p_i log(q_i / Q) = sum p_i log m_i - P_c log M
 *                            + log 2 (sum p_i e_i - E P_c)
 *   for the other covered entries (P_c their p-sum; each log(q_i / Q) is
 *   at most -log 2 there, so the two parts cancel by at most a factor 3),
 *   and -p_h log1p((Q - q_h) / q_h) for the held entry h, which keeps its
 *   digits when q_h is close to Q. CE = -(that sum) / P.
 * - KL: the deviance terms p_i log(p_i / q_i) - p_i + q_i >= 0 of the raw
 *   entries summed to D, and the p- and q-sums of the covered, violating
 *   and reverse sets (P_c, P_V, Q_c, Q_F). Finalisation uses
 *     KL = (D - (P_c / P) dev(P, Q) + (P_c Q_F - Q_c P_V) / P) / P,
 *   with dev(P, Q) = P log(P / Q) - P + Q, which is the sum over the
 *   covered support of (p_i / P) log((p_i / P) / (q_i / Q)) rearranged.
 *   When P = Q (probability vectors) the middle term is 0 and this is the
 *   single call's sum of non-negative terms. Beside D the accumulator
 *   keeps S, the sum over the covered support of p_i log(p_i / q_i), and
 *   where P is far below Q (D and dev(P, Q) then near Q, their difference
 *   near P KL) it finalises instead with
 *     KL = S / P + (P_c / P) log(Q / P),
 *   whichever form has the smaller error bound (below).
 * - logits: the running maximum l_max of the logits, the partition sum
 *   minus 1, sum over i != argmax of exp(s_i) with s_i = (l_i - l_max) / T,
 *   the sum of -p_i s_i >= 0 over the covered support, and the target sums.
 *   A larger maximum rescales the exponential sums by exp((old - new) / T)
 *   and adds P_c (new - old) / T to the sum of -p_i s_i, so every sum
 *   stays a sum of non-negative terms. Finalisation is the single call's
 *   CE = (P_c / P) log1p(rest) + (sum of -p_i s_i) / P.
 *
 * Scaling: the sums of p_i (and for KL also of q_i) hold the entries times
 * a power of two 2^k, with k = 0 while the largest such sum lies within
 * 2^-500 and 2^500 and chosen to bring it near 1 outside that range, so
 * that subnormal entries keep their digits and entries near DBL_MAX do not
 * overflow the sums. Changing k is exact, except that entries below
 * 2^-1074 of the largest sum underflow. The logits kinds scale their p
 * sums and the sum of -p_i s_i the same way, but keep the scaled p sum
 * below 1 (k = 0 only while it lies within 2^-500 and 2^-1). The sum of
 * -p_i s_i is then at most the accumulator's own cross-entropy, which can
 * exceed DBL_MAX where some s_i does although the whole vector's is
 * finite. So that sum has its own extra exponent g <= 0, lowered only
 * while it would overflow, and the value is +inf only where the whole
 * vector's cross-entropy exceeds DBL_MAX.
 *
 * Accuracy against the single call on the same whole vector: entropy and
 * cross-entropy within 16 ulp, KL within 16 ulp plus the smaller of
 * 4 eps dev(P, Q) / P (zero for P = Q) and about
 * 4 eps (|S| / P + (P_c / P) |log(Q / P)|) (when the terms of S share a
 * sign, as they do where P is far below Q; a KL state serialised before
 * S existed has only the first), logits cross-entropy and log-sum-exp within 16 ulp
 * plus 2 eps per rescaling (at most one per chunk and one per merge);
 * masses within 8 ulp. Counts are exact. Checked on random vectors cut
 * into random chunks merged in random orders.
 *
 * Coverage: finalisation checks that the chunk lengths add up to the end
 * of the furthest chunk, which detects a missing or repeated chunk (but
 * not a repeat and a gap of equal length together).
 *
 * The state serialises to exactly SINGDIV_ACCUMULATOR_STATE_SIZE bytes,
 * the same on every platform: byte 0 is SINGDIV_ACCUMULATOR_VERSION, then
 * fixed fields in little-endian order, doubles as their IEEE-754 binary64
 * bits. See docs/logits.md for the layout.
 *
 * Thread safety: an accumulator is a plain value; different accumulators
 * may be used from different threads at once, one accumulator from one
 * thread at a time. Nothing allocates.
 */
#ifndef SINGDIV_ACCUMULATOR_H
#define SINGDIV_ACCUMULATOR_H

#include <stddef.h>

#include <singdiv/common.h>
#include <singdiv/options.h>
#include <singdiv/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The number of bytes of a serialised accumulator. */
#define SINGDIV_ACCUMULATOR_STATE_SIZE 240

/* The format version stored in byte 0 of a serialised accumulator. */
#define SINGDIV_ACCUMULATOR_VERSION 1

/* The number of double-double partial sums in an accumulator. */
#define SINGDIV_ACCUMULATOR_SUMS 8

/* What an accumulator computes; the numbers are part of the serialised format. */
typedef enum singdiv_accumulator_kind {
    SINGDIV_ACCUMULATE_ENTROPY = 1,                /* H(p) */
    SINGDIV_ACCUMULATE_CROSS_ENTROPY = 2,          /* CE(p, q) */
    SINGDIV_ACCUMULATE_KL = 3,                     /* KL(p || q) */
    SINGDIV_ACCUMULATE_LOGSUMEXP = 4,              /* log sum exp(l_i / T) */
    SINGDIV_ACCUMULATE_LOGITS_CROSS_ENTROPY = 5,   /* CE(p, softmax(l / T)) */
    SINGDIV_ACCUMULATE_LOGITS_CROSS_ENTROPY_INDEX = 6 /* -log softmax(l / T)[target] */
} singdiv_accumulator_kind;

/*
 * An accumulator. Its members are private: set them only through the
 * functions below. It may be copied by assignment.
 */
typedef struct singdiv_accumulator {
    int kind;
    singdiv_options options;
    double temperature;
    size_t target;
    size_t entries;         /* sum of the chunk lengths */
    size_t end;             /* largest offset + length */
    size_t violating_count;
    size_t reverse_count;
    size_t finite_count;    /* entries with q > 0 or a finite logit */
    int has_held;
    size_t held_index;
    double held_p;
    double held_q;
    double max_logit;       /* logits: the running maximum; others: k of the scaling */
    double sums[SINGDIV_ACCUMULATOR_SUMS][2];
} singdiv_accumulator;

/*
 * Starts an empty accumulator of kind SINGDIV_ACCUMULATE_ENTROPY,
 * SINGDIV_ACCUMULATE_CROSS_ENTROPY or SINGDIV_ACCUMULATE_KL. opt (NULL for
 * the defaults) is applied at finalisation as in the discrete divergences.
 * err may be NULL. Returns SINGDIV_ERR_NULL (acc NULL), SINGDIV_ERR_DOMAIN
 * (another kind, argument "kind"; or invalid options).
 */
SINGDIV_EXPORT singdiv_status
singdiv_accumulator_init(singdiv_accumulator *acc, singdiv_accumulator_kind kind,
                         const singdiv_options *opt, singdiv_error *err);

/*
 * Starts an empty logits accumulator of kind SINGDIV_ACCUMULATE_LOGSUMEXP,
 * SINGDIV_ACCUMULATE_LOGITS_CROSS_ENTROPY (target distribution given with
 * each chunk) or SINGDIV_ACCUMULATE_LOGITS_CROSS_ENTROPY_INDEX (class
 * index target, a global index into the whole vector; ignored by the other
 * kinds). temperature must be finite and > 0. Returns SINGDIV_ERR_NULL,
 * SINGDIV_ERR_DOMAIN (kind, temperature or options).
 */
SINGDIV_EXPORT singdiv_status
singdiv_accumulator_init_logits(singdiv_accumulator *acc, singdiv_accumulator_kind kind,
                                size_t target, double temperature,
                                const singdiv_options *opt, singdiv_error *err);

/*
 * Adds entries offset .. offset + n - 1 of p and q (q is ignored, and may
 * be NULL, for entropy). Entries must be finite and >= 0; a chunk may be
 * all zero and n may be 0 (then p and q may be NULL). On failure the
 * accumulator is unchanged and err names "p" or "q" with the global index.
 * Cost: O(n), one log per entry. Returns SINGDIV_ERR_NULL, SINGDIV_ERR_DOMAIN
 * (acc is a logits accumulator, argument "acc"), SINGDIV_ERR_SIZE_OVERFLOW
 * (offset + n overflows), SINGDIV_ERR_NAN, SINGDIV_ERR_INFINITE (an entry,
 * or the chunk's sum, is infinite), SINGDIV_ERR_NEGATIVE.
 */
SINGDIV_EXPORT singdiv_status
singdiv_accumulator_add(singdiv_accumulator *acc, const double *p, const double *q,
                        size_t n, size_t offset, singdiv_error *err);

/*
 * Adds logits offset .. offset + n - 1, with the matching entries of the
 * target distribution p for SINGDIV_ACCUMULATE_LOGITS_CROSS_ENTROPY (p is
 * ignored, and may be NULL, for the other kinds). Logits may be -inf, not
 * NaN or +inf; p is checked as in singdiv_accumulator_add(). On failure the
 * accumulator is unchanged. Cost: O(n), one exp per logit. Returns
 * SINGDIV_ERR_NULL, SINGDIV_ERR_DOMAIN (not a logits accumulator),
 * SINGDIV_ERR_SIZE_OVERFLOW, SINGDIV_ERR_NAN, SINGDIV_ERR_INFINITE,
 * SINGDIV_ERR_NEGATIVE.
 */
SINGDIV_EXPORT singdiv_status
singdiv_accumulator_add_logits(singdiv_accumulator *acc, const double *p,
                               const double *logits, size_t n, size_t offset,
                               singdiv_error *err);

/*
 * Merges other into acc, which then describes the chunks of both. The two
 * must have the same kind, options, temperature and target, else
 * SINGDIV_ERR_DOMAIN (argument "other") and acc is unchanged. acc and other
 * may be the same object only if the chunks are meant to count twice.
 * Returns SINGDIV_ERR_NULL, SINGDIV_ERR_DOMAIN, SINGDIV_ERR_SIZE_OVERFLOW
 * (the entry counts overflow size_t).
 */
SINGDIV_EXPORT singdiv_status
singdiv_accumulator_merge(singdiv_accumulator *acc, const singdiv_accumulator *other,
                          singdiv_error *err);

/*
 * Finalises the entropy, cross-entropy, KL or logits cross-entropy into
 * *out, with the meaning, conventions and errors of the single call:
 * SINGDIV_ERR_NULL (acc or out), SINGDIV_ERR_DOMAIN (a log-sum-exp
 * accumulator, argument "acc"), SINGDIV_ERR_EMPTY (no entry added),
 * SINGDIV_ERR_INDEX (chunks missing or repeated, argument "acc", value the
 * total length added; or the class target lies beyond the chunks added,
 * argument "target"), SINGDIV_ERR_INFINITE (a sum of raw entries exceeds
 * DBL_MAX: the q sum of the cross-entropy, the p sum of the entropy, or a
 * target sum of a logits accumulator; argument "p" or "q". The single call
 * may still give a finite value there, for example for q = (DBL_MAX,
 * DBL_MAX, DBL_MAX) added in three chunks),
 * SINGDIV_ERR_ZERO_MASS (p or q all zero, or every logit -inf),
 * SINGDIV_ERR_NOT_NORMALIZED. The accumulator is not changed, so more
 * chunks may be added afterwards.
 */
SINGDIV_EXPORT singdiv_status
singdiv_accumulator_finalize(const singdiv_accumulator *acc, singdiv_report *out);

/*
 * Finalises the log-sum-exp of the logits of any logits accumulator into
 * *lse, as singdiv_logsumexp() on the whole vector. Returns
 * SINGDIV_ERR_NULL, SINGDIV_ERR_DOMAIN (not a logits accumulator),
 * SINGDIV_ERR_EMPTY, SINGDIV_ERR_INDEX (chunks missing or repeated),
 * SINGDIV_ERR_ZERO_MASS (every logit -inf).
 */
SINGDIV_EXPORT singdiv_status
singdiv_accumulator_logsumexp(const singdiv_accumulator *acc, double *lse,
                              singdiv_error *err);

/*
 * Writes the state to bytes[0 .. SINGDIV_ACCUMULATOR_STATE_SIZE - 1].
 * size is the capacity of bytes. Returns SINGDIV_ERR_NULL or
 * SINGDIV_ERR_WORKSPACE (size < SINGDIV_ACCUMULATOR_STATE_SIZE).
 */
SINGDIV_EXPORT singdiv_status
singdiv_accumulator_serialize(const singdiv_accumulator *acc, unsigned char *bytes,
                              size_t size, singdiv_error *err);

/*
 * Reads a state written by singdiv_accumulator_serialize() on any
 * platform, validating every field; on failure *acc is unchanged.
 * Returns SINGDIV_ERR_NULL, SINGDIV_ERR_WORKSPACE (size is not
 * SINGDIV_ACCUMULATOR_STATE_SIZE), SINGDIV_ERR_DOMAIN (unknown version or
 * kind, non-zero reserved bytes, invalid options or temperature, a NaN
 * sum, an infinite sum other than (+inf, 0), or (-inf, 0) in the two log
 * sums of the entropy and cross-entropy, a count
 * above the entries or an index beyond size_t; argument "bytes", index
 * the byte offset of the field). A state whose sums overflowed reads
 * back, and its finalisation returns SINGDIV_ERR_INFINITE. NOTE: the sums
 * are checked one by one, not against each other, so bytes that no
 * accumulator wrote can finalise to any value, masses outside [0, 1]
 * included.
 */
SINGDIV_EXPORT singdiv_status
singdiv_accumulator_deserialize(singdiv_accumulator *acc, const unsigned char *bytes,
                                size_t size, singdiv_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SINGDIV_ACCUMULATOR_H */
