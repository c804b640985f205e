/*
 * The private random number generator of the permutation test:
 * xoshiro256** (Blackman and Vigna, 2018) seeded through splitmix64. Both
 * use only 64-bit integer arithmetic, so a seed gives the same stream on
 * every platform.
 */
#include "mmd_internal.h"

/* Returns the next output of splitmix64 and advances *state. */
static uint64_t
splitmix64_next(uint64_t *state)
{
    uint64_t z;

    *state += UINT64_C(0x9e3779b97f4a7c15);
    z = *state;
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static uint64_t
rotate_left(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void
singdiv__rng_seed(singdiv__rng *rng, uint64_t seed)
{
    /* splitmix64 never yields four zero words in a row, the one forbidden state. */
    for (int i = 0; i < 4; i++) {
        rng->s[i] = splitmix64_next(&seed);
    }
}

uint64_t
singdiv__rng_next(singdiv__rng *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = rotate_left(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotate_left(s[3], 45);
    return result;
}

uint64_t
singdiv__rng_below(singdiv__rng *rng, uint64_t bound)
{
    /* Rejecting the 2^64 mod bound smallest outputs leaves a multiple of bound. */
    uint64_t threshold = (0 - bound) % bound;

    for (;;) {
        uint64_t r = singdiv__rng_next(rng);

        if (r >= threshold) {
            return r % bound;
        }
    }
}
