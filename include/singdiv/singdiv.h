/*
 * libsingdiv: singularity-aware divergences between probability
 * distributions. This umbrella header includes every public header.
 */
#ifndef SINGDIV_SINGDIV_H
#define SINGDIV_SINGDIV_H

#include <singdiv/common.h>
#include <singdiv/status.h>
#include <singdiv/options.h>
#include <singdiv/discrete.h>
#include <singdiv/mmd.h>
#include <singdiv/contrastive.h>
#include <singdiv/logits.h>
#include <singdiv/batch.h>
#include <singdiv/float32.h>
#include <singdiv/accumulator.h>
#include <singdiv/family.h>
#include <singdiv/singularity.h>
#include <singdiv/smoothing.h>
#include <singdiv/wasserstein.h>

#endif /* SINGDIV_SINGDIV_H */
