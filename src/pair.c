/*
 * Validation and power-of-two scaling of a pair of distributions, shared by
 * every divergence between two distributions.
 */
#include "internal.h"

/*
 * Validates p and q in the order of singdiv/discrete.h: a NULL p or q
 * first, then the options, then p whole and q whole, and prepares their
 * scaling.
 */
singdiv_status
singdiv__pair_prepare(const double *p, const double *q, size_t n,
                      const singdiv_options *opt, singdiv_error *err,
                      singdiv__pair *c)
{
    singdiv__dd p_sum;
    singdiv__dd q_sum;
    singdiv_status status;

    if (p == NULL || q == NULL) {
        return singdiv__fail(err, SINGDIV_ERR_NULL, p == NULL ? "p" : "q", SINGDIV_NO_INDEX,
                             (double)NAN);
    }
    status = singdiv__resolve_options(opt, &c->options, err);
    if (status != SINGDIV_OK) {
        return status;
    }
    if (q == p) {
        status = singdiv__check_distribution(p, n, &c->options, "p", err, &p_sum);
        q_sum = p_sum;
    } else {
        status = singdiv__check_distribution_pair(p, q, n, &c->options, err, &p_sum, &q_sum);
    }
    if (status != SINGDIV_OK) {
        return status;
    }

    c->p = singdiv__scale_for(p_sum);
    c->q = singdiv__scale_for(q_sum);
    c->pq = fma(c->p.total.hi, c->q.total.hi,
                c->p.total.hi * c->q.total.lo + c->p.total.lo * c->q.total.hi);
    return SINGDIV_OK;
}
