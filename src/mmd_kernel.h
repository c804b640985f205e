/*
 * The block kernel and the reductions over a pair of tiles, included by
 * mmd_tile.c once per instruction set. The includer defines:
 *   SD_FN(name)   the name of this copy's function, e.g. name##_avx2;
 *   SD_TARGET     the target attribute of this copy (may be empty);
 *   SD_FMA_AVX2   1 to use the FMA3 instructions, 0 for fma() per lane.
 * Both choices round each fused multiply-add once, so every copy gives
 * the same bits.
 */

#define SD_KERNEL_INLINE static inline SD_TARGET SD_ALWAYS_INLINE

/*
 * a * b + c rounded once, max(a, lo) for a that is not NaN, and *p in all
 * lanes with one load. Macros for the reason given in mmd_tile.c.
 */
#if SD_FMA_AVX2
#define SD_V_FMA(a, b, c) _mm256_fmadd_pd((a), (b), (c))
#define SD_V_MAX(a, lo) _mm256_max_pd((a), (lo))
#define SD_V_BCAST(p) _mm256_broadcast_sd(p)
/*
 * v_negative() in one instruction: vminpd returns its second operand (+0)
 * unless the first is below it, so -0 and NaN give +0 as v_negative() does.
 */
#define SD_V_NEGATIVE(a) _mm256_min_pd((a), vc_zero)
#elif SD_VECTOR
#define SD_V_FMA(a, b, c)                                                   \
    __extension__({                                                         \
        sd_v4 a_ = (a);                                                     \
        sd_v4 b_ = (b);                                                     \
        sd_v4 c_ = (c);                                                     \
        (sd_v4){ fma(a_[0], b_[0], c_[0]), fma(a_[1], b_[1], c_[1]),        \
                 fma(a_[2], b_[2], c_[2]), fma(a_[3], b_[3], c_[3]) };      \
    })
#define SD_V_MAX(a, lo)                                                     \
    __extension__({                                                         \
        sd_v4 a_ = (a);                                                     \
        sd_v4 lo_ = (lo);                                                   \
        sd_i4 below_ = a_ < lo_;                                            \
        (sd_v4)(((sd_i4)lo_ & below_) | ((sd_i4)a_ & ~below_));             \
    })
#define SD_V_BCAST(p) v_splat(*(p))
#define SD_V_NEGATIVE(a) v_negative(a)
#else
SD_KERNEL_INLINE sd_v4
SD_FN(v_fma)(sd_v4 a, sd_v4 b, sd_v4 c)
{
    for (int l = 0; l < 4; l++) {
        a.v[l] = fma(a.v[l], b.v[l], c.v[l]);
    }
    return a;
}
#define SD_V_FMA(a, b, c) SD_FN(v_fma)((a), (b), (c))
#define SD_V_BCAST(p) v_splat(*(p))
#define SD_V_NEGATIVE(a) v_negative(a)
#endif

/*
 * Lane-wise singdiv__mmd_exp() of SD_EXP_GROUP vectors, in place. Each
 * step runs across the group so that its Horner chains overlap instead of
 * waiting on each other's latency. With normal set, every argument is
 * known to be above -708 (see singdiv__mmd_plan): the clamp is skipped
 * and 2^k is added to the exponent field, which for a normal result is
 * the same exact scaling as the two multiplications.
 */
SD_KERNEL_INLINE void
SD_FN(v_exp_group)(sd_v4 *a, int normal)
{
#if SD_VECTOR
    sd_v4 r[SD_EXP_GROUP];
    sd_v4 p[SD_EXP_GROUP];

    /* a[q] keeps t, whose low bits hold k, until the final scaling. */
    SD_UNROLL
    for (int q = 0; q < SD_EXP_GROUP; q++) {
        sd_v4 x = a[q];

        if (!normal) {
            x = SD_V_MAX(x, vc_exp_min);
        }
        sd_v4 t = SD_V_FMA(x, vc_inv_ln2, vc_round_shift);
        sd_v4 kd = v_sub(t, vc_round_shift);

        r[q] = SD_V_FMA(kd, vc_minus_ln2_hi, x);
        r[q] = SD_V_FMA(kd, vc_minus_ln2_lo, r[q]);
        p[q] = vc_exp_coef[SD_EXP_DEGREE];
        a[q] = t;
    }
    SD_UNROLL_EXP
    for (int i = SD_EXP_DEGREE - 1; i >= 0; i--) {
        SD_UNROLL
        for (int q = 0; q < SD_EXP_GROUP; q++) {
            p[q] = SD_V_FMA(p[q], r[q], vc_exp_coef[i]);
        }
    }
    if (normal) {
        /* The low 12 bits of t's pattern are k mod 2^12; shifted up they add k to the exponent. */
        SD_UNROLL
        for (int q = 0; q < SD_EXP_GROUP; q++) {
            a[q] = (sd_v4)((sd_i4)p[q] + ((sd_i4)a[q] << 52));
        }
        return;
    }
    SD_UNROLL
    for (int q = 0; q < SD_EXP_GROUP; q++) {
        /* j = -k >= 0, so the logical shift (one AVX2 instruction) halves it. */
        sd_i4 j = (sd_i4)vc_round_shift - (sd_i4)a[q];
        sd_i4 j1 = (sd_i4)((sd_u4)j >> 1);

        p[q] = p[q] * (sd_v4)((1023 - j1) << 52);
        a[q] = p[q] * (sd_v4)((1023 - (j - j1)) << 52);
    }
#else
    (void)normal;
    for (int q = 0; q < SD_EXP_GROUP; q++) {
        for (int l = 0; l < 4; l++) {
            a[q].v[l] = singdiv__mmd_exp(a[q].v[l]);
        }
    }
#endif
}

/* Lane-wise exponential of the 8 vectors of a block, in place. */
SD_KERNEL_INLINE void
SD_FN(v_exp_block)(sd_v4 a[8], int normal)
{
    SD_UNROLL
    for (int g = 0; g < 8; g += SD_EXP_GROUP) {
        if (normal) {
            SD_FN(v_exp_group)(a + g, 1);
        } else {
            SD_FN(v_exp_group)(a + g, 0);
        }
    }
}

/*
 * Kernel values of the 4 x 8 block: rows r of panel pa (offset ra), columns
 * of panel pb. Norms of the rows are na[0..3], of the columns nb[0..7].
 * kv[2 r + c] holds row r, columns 4 c .. 4 c + 3.
 */
SD_KERNEL_INLINE void
SD_FN(block_kernel)(const singdiv__mmd_plan *plan, const double *pa, const double *na,
                    const double *pb, const double *nb, sd_v4 kv[8])
{
    size_t d = plan->d;
    singdiv_kernel_type type = plan->type;
    int norm_form = plan->norm_form;
    int normal = plan->normal_exp;

    SD_UNROLL
    for (int q = 0; q < 8; q++) {
        kv[q] = vc_zero;
    }
    if (norm_form) {
        for (size_t k = 0; k < d; k++) {
            sd_v4 b0 = v_load(pb + 8 * k);
            sd_v4 b1 = v_load(pb + 8 * k + 4);

            SD_UNROLL
            for (int r = 0; r < 4; r++) {
                sd_v4 a = v_splat(pa[8 * k + (size_t)r]);

                kv[2 * r] = SD_V_FMA(a, b0, kv[2 * r]);
                kv[2 * r + 1] = SD_V_FMA(a, b1, kv[2 * r + 1]);
            }
        }
        /*
         * na and nb hold |u|^2 / 2 and |v|^2 / 2, and u.v accumulates like
         * the norms, so u == v gives 0. For the Gaussian kernel the
         * argument u.v - (|u|^2 + |v|^2) / 2 <= 0 is formed directly; it
         * is -s / 2 for s = |u|^2 + |v|^2 - 2 u.v rounded the same way.
         */
        SD_UNROLL
        for (int q = 0; q < 8; q++) {
            sd_v4 s = v_add(SD_V_BCAST(na + q / 2), v_load(nb + 4 * (q % 2)));

            if (type == SINGDIV_KERNEL_GAUSSIAN) {
                kv[q] = SD_V_NEGATIVE(v_sub(kv[q], s));
            } else {
                s = v_positive(v_sub(s, kv[q]));
                kv[q] = v_add(s, s);
            }
        }
        if (type == SINGDIV_KERNEL_GAUSSIAN) {
            SD_FN(v_exp_block)(kv, normal);
            return;
        }
    } else {
        for (size_t k = 0; k < d; k++) {
            sd_v4 b0 = v_load(pb + 8 * k);
            sd_v4 b1 = v_load(pb + 8 * k + 4);

            SD_UNROLL
            for (int r = 0; r < 4; r++) {
                sd_v4 a = v_splat(pa[8 * k + (size_t)r]);
                sd_v4 t0 = v_sub(b0, a);
                sd_v4 t1 = v_sub(b1, a);

                kv[2 * r] = SD_V_FMA(t0, t0, kv[2 * r]);
                kv[2 * r + 1] = SD_V_FMA(t1, t1, kv[2 * r + 1]);
            }
        }
    }

    /* kv now holds squared scaled distances. */
    if (type == SINGDIV_KERNEL_INVERSE_MULTIQUADRIC) {
        SD_UNROLL
        for (int q = 0; q < 8; q++) {
            kv[q] = v_div(vc_one, v_sqrt(v_add(vc_one, kv[q])));
        }
        return;
    }
    SD_UNROLL
    for (int q = 0; q < 8; q++) {
        if (type == SINGDIV_KERNEL_LAPLACIAN) {
            kv[q] = v_sub(vc_zero, v_sqrt(kv[q]));
        } else {
            kv[q] = v_mul(kv[q], vc_minus_half);
        }
    }
    SD_FN(v_exp_block)(kv, normal);
}

/*
 * Zeroes the entries of a diagonal block with column <= row; rows start
 * at row0 and columns at col0 (indices within the tile).
 */
SD_KERNEL_INLINE void
SD_FN(block_mask_lower)(sd_v4 kv[8], size_t row0, size_t col0)
{
    for (size_t q = 0; q < 8; q++) {
        sd_v4 bound = v_splat((double)(row0 + q / 2));
        sd_v4 index = v_lane_index((double)(col0 + 4 * (q % 2)));

        kv[q] = v_keep_greater(kv[q], index, bound);
    }
}

/* The first column panel with pairs i < j for rows from row0 (symmetric tiles). */
SD_KERNEL_INLINE size_t
SD_FN(first_panel)(int symmetric, size_t row0)
{
    return symmetric ? row0 / 8 : 0;
}

/* Whether a block of a symmetric tile straddles the diagonal. */
SD_KERNEL_INLINE int
SD_FN(needs_mask)(int symmetric, size_t row0, size_t col0)
{
    return symmetric && col0 <= row0 + 3;
}

static SD_TARGET double
SD_FN(tile_sum)(const singdiv__mmd_plan *plan, const singdiv__mmd_tile *a,
              const singdiv__mmd_tile *b, int symmetric)
{
    size_t d = plan->d;
    singdiv__sum total = { 0.0, 0.0 };
    int unit = a->unit && b->unit;

    for (size_t row0 = 0; row0 < a->padded; row0 += 4) {
        const double *pa = a->coords + (row0 / 8) * 8 * d + row0 % 8;
        sd_v4 group = vc_zero;

        for (size_t cp = SD_FN(first_panel)(symmetric, row0); cp < b->padded / 8; cp++) {
            sd_v4 kv[8];
            sd_v4 w0 = v_load(b->weights + 8 * cp);
            sd_v4 w1 = v_load(b->weights + 8 * cp + 4);

            SD_FN(block_kernel)(plan, pa, a->norms + row0, b->coords + cp * 8 * d,
                         b->norms + 8 * cp, kv);
            if (SD_FN(needs_mask)(symmetric, row0, 8 * cp)) {
                SD_FN(block_mask_lower)(kv, row0, 8 * cp);
            }
            if (unit && row0 + 4 <= a->count && 8 * cp + 8 <= b->count) {
                /* All eight weights are 1: the products below would be exact. */
                SD_UNROLL
                for (int r = 0; r < 4; r++) {
                    group = v_add(group, v_add(kv[2 * r], kv[2 * r + 1]));
                }
                continue;
            }
            for (int r = 0; r < 4; r++) {
                sd_v4 row = v_add(v_mul(kv[2 * r], w0), v_mul(kv[2 * r + 1], w1));

                group = v_add(group, v_mul(row, SD_V_BCAST(a->weights + row0 + (size_t)r)));
            }
        }
        singdiv__sum_add(&total, v_hsum(group));
    }
    return singdiv__sum_value(&total);
}

static SD_TARGET void
SD_FN(tile_row_sums)(const singdiv__mmd_plan *plan, const singdiv__mmd_tile *a,
                   const singdiv__mmd_tile *b, int symmetric, double *ra, double *rb)
{
    size_t d = plan->d;

    for (size_t row0 = 0; row0 < a->padded; row0 += 4) {
        const double *pa = a->coords + (row0 / 8) * 8 * d + row0 % 8;
        sd_v4 rows[4] = { vc_zero, vc_zero, vc_zero, vc_zero };

        for (size_t cp = SD_FN(first_panel)(symmetric, row0); cp < b->padded / 8; cp++) {
            sd_v4 kv[8];
            sd_v4 w0 = v_load(b->weights + 8 * cp);
            sd_v4 w1 = v_load(b->weights + 8 * cp + 4);
            sd_v4 col0 = vc_zero;
            sd_v4 col1 = vc_zero;
            double cols[8];

            SD_FN(block_kernel)(plan, pa, a->norms + row0, b->coords + cp * 8 * d,
                         b->norms + 8 * cp, kv);
            if (SD_FN(needs_mask)(symmetric, row0, 8 * cp)) {
                SD_FN(block_mask_lower)(kv, row0, 8 * cp);
            }
            for (int r = 0; r < 4; r++) {
                sd_v4 wr = SD_V_BCAST(a->weights + row0 + (size_t)r);

                rows[r] = v_add(rows[r], v_add(v_mul(kv[2 * r], w0), v_mul(kv[2 * r + 1], w1)));
                col0 = v_add(col0, v_mul(kv[2 * r], wr));
                col1 = v_add(col1, v_mul(kv[2 * r + 1], wr));
            }
            memcpy(cols, &col0, sizeof col0);
            memcpy(cols + 4, &col1, sizeof col1);
            for (size_t c = 0; c < 8 && 8 * cp + c < b->count; c++) {
                rb[8 * cp + c] += cols[c];
            }
        }
        for (size_t r = 0; r < 4 && row0 + r < a->count; r++) {
            ra[row0 + r] += v_hsum(rows[r]);
        }
    }
}

static SD_TARGET void
SD_FN(tile_store)(const singdiv__mmd_plan *plan, const singdiv__mmd_tile *a,
                const singdiv__mmd_tile *b, int symmetric, double *kmat, size_t ld,
                size_t row0, size_t col0)
{
    size_t d = plan->d;

    for (size_t r0 = 0; r0 < a->padded; r0 += 4) {
        const double *pa = a->coords + (r0 / 8) * 8 * d + r0 % 8;

        for (size_t cp = SD_FN(first_panel)(symmetric, r0); cp < b->padded / 8; cp++) {
            sd_v4 kv[8];
            double vals[4][8];

            SD_FN(block_kernel)(plan, pa, a->norms + r0, b->coords + cp * 8 * d,
                         b->norms + 8 * cp, kv);
            memcpy(vals, kv, sizeof vals);
            for (size_t r = 0; r < 4 && r0 + r < a->count; r++) {
                for (size_t c = 0; c < 8 && 8 * cp + c < b->count; c++) {
                    size_t i = row0 + r0 + r;
                    size_t j = col0 + 8 * cp + c;

                    if (symmetric && 8 * cp + c <= r0 + r) {
                        continue;
                    }
                    kmat[i * ld + j] = vals[r][c];
                    kmat[j * ld + i] = vals[r][c];
                }
            }
        }
    }
}

/*
 * Computes the exponentials of the whole blocks of 32 arguments and
 * returns how many arguments they cover. With normal a constant the loop
 * carries one scaling instead of both, which made it 20% faster on Zen 1
 * (1.8 against 2.3 ns per value on 4096 arguments in L1).
 */
SD_KERNEL_INLINE size_t
SD_FN(exp_array_blocks)(const double *a, double *out, size_t count, int normal)
{
    size_t i = 0;

    for (; i + 32 <= count; i += 32) {
        sd_v4 kv[8];

        SD_UNROLL
        for (int q = 0; q < 8; q++) {
            kv[q] = v_load(a + i + 4 * (size_t)q);
        }
        SD_FN(v_exp_block)(kv, normal);
        SD_UNROLL
        for (int q = 0; q < 8; q++) {
            v_store(out + i + 4 * (size_t)q, kv[q]);
        }
    }
    return i;
}

/* out[i] = singdiv__mmd_exp(a[i]) through the block code; see singdiv__mmd_exp_array(). */
static SD_TARGET void
SD_FN(exp_array)(const double *a, double *out, size_t count, int normal)
{
    size_t i = normal ? SD_FN(exp_array_blocks)(a, out, count, 1)
                      : SD_FN(exp_array_blocks)(a, out, count, 0);

    for (; i < count; i++) {
        out[i] = singdiv__mmd_exp(a[i]);
    }
}

#undef SD_KERNEL_INLINE
#undef SD_V_FMA
#undef SD_V_MAX
#undef SD_V_BCAST
#undef SD_V_NEGATIVE
