/*
 * Hall-effect flow meters: each pulse counted by an external interrupt, and the count and rate
 * reported while water moves.
 */
#ifndef TENDRIL_FLOW_H
#define TENDRIL_FLOW_H

#include <stdint.h>

void flow_init(void);
/* Pulses counted since boot. */
uint32_t flow_pulses(uint8_t flow);
/* Pulses per second over the last report period, in tenths. */
uint32_t flow_rate_tenths(uint8_t flow);
void flow_report(uint32_t now);

#endif
