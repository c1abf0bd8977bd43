/*
 * The one rule of the AVR's watchdog that simavr 1.6 leaves out. In interrupt-and-reset mode
 * (WDE and WDIE set) a timeout raises the watchdog interrupt; "if the interrupt is not executed
 * before the next time-out, a System Reset will be applied" (the datasheet, WDTCSR's WDIE).
 * simavr raises the interrupt again instead, for ever, so a firmware hung with interrupts off
 * would never reset. The harness applies the reset.
 */
#ifndef TWIN_WATCHDOG_H
#define TWIN_WATCHDOG_H

#include "sim_avr.h"

/* Watches the watchdog's interrupt; 0, or -1 after saying on stderr that this simavr has none. */
int watchdog_watch(avr_t *avr);

#endif
