/*
 * The relays and dosing pumps, watched at the pins: `out <id> <0|1> <cycle>` whenever one
 * switches, stamped with the cycle of the very instruction that switched it.
 */
#ifndef TWIN_OUTPUTS_H
#define TWIN_OUTPUTS_H

#include "sim_avr.h"

/* Hooks every port that drives a channel, and reports each channel once, off. */
void outputs_watch(avr_t *avr);
/* avr_reset() clears DDR and PORT without a write to hook: every pin is an input again. */
void outputs_after_reset(avr_t *avr);

#endif
