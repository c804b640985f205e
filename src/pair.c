/*
 * Validation and power-of-two scaling of a pair of distributions, shared by
 * every divergence between two distributions.
 */
#include <float.h>

#include "internal.h"

/*
 * Validates one distribution like singdiv__check_distribution() and stores
 * its exact sum. The fast scan accepts only inputs that are valid beyond
 * doubt; everything else, every rejection included, goes to the shared
 * validator, so statuses and error reports come from one place.
 */
static singdiv_status
check_and_sum(const double *x, size_t n, const singdiv_options *resolved,
              const char *argument, singdiv_error *err, singdiv__dd *sum)
{
    singdiv__dd off;

    if (x != NULL && n > 0 && singdiv__check_size(n, 1, argument, NULL) == SINGDIV_OK
        && singdiv__scan_nonnegative(x, n, sum) && sum->hi > 0.0 && sum->hi <= DBL_MAX) {
        if (resolved->normalize) {
            return SINGDIV_OK;
        }
        /* Half the tolerance leaves a margin far above the error of either sum. */
        off = singdiv__two_sum(sum->hi, -1.0);
        if (fabs(off.hi + (off.lo + sum->lo)) <= 0.5 * resolved->sum_tolerance) {
            return SINGDIV_OK;
        }
    }
    return singdiv__check_distribution(x, n, resolved, argument, err, sum);
}

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
    status = check_and_sum(p, n, &c->options, "p", err, &p_sum);
    if (status != SINGDIV_OK) {
        return status;
    }
    if (q == p) {
        q_sum = p_sum;
    } else {
        status = check_and_sum(q, n, &c->options, "q", err, &q_sum);
        if (status != SINGDIV_OK) {
            return status;
        }
    }

    c->p = singdiv__scale_for(p_sum);
    c->q = singdiv__scale_for(q_sum);
    c->pq = fma(c->p.total.hi, c->q.total.hi,
                c->p.total.hi * c->q.total.lo + c->p.total.lo * c->q.total.hi);
    return SINGDIV_OK;
}
