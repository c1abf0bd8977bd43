/*
 * Analog sensors (EC, pH, water temperature, level): sampled often, averaged, and reported once
 * a second each. And the high-level float switch, the overflow guard that needs no host.
 */
#ifndef TENDRIL_SENSORS_H
#define TENDRIL_SENSORS_H

#include <stdint.h>

void sensors_init(uint32_t now);
/* The latest reported value, in the sensor's unit. */
float sensor_value(uint8_t sensor);
void sensors_sample(uint32_t now);
void sensors_report(uint32_t now);

/* True while the float switch has read high water for FLOAT_SWITCH_SETTLE_MS. */
bool high_water(void);
/* Reads the switch; on the way up it closes every fill valve and raises HIGHLEVEL. */
void float_switch_guard(uint32_t now);
void float_switch_report(void);

#endif
