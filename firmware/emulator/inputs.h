/*
 * What the station does to the board's inputs: sensor voltages on the ADC, flow-meter pulses
 * on their interrupt pins, the float switch and the stop button. The bench drives them with
 * stdin commands (commands.c); each returns 0, or -1 with a reason in `error`.
 */
#ifndef TWIN_INPUTS_H
#define TWIN_INPUTS_H

#include <stddef.h>
#include <stdint.h>
#include "sim_avr.h"

/* Idle levels: meters high, button released, float switch at low water; sensors at 0 V. */
void inputs_init(avr_t *avr);
/* avr_reset() zeroes the PIN registers, but the pins are still held where they were. */
void inputs_after_reset(avr_t *avr);

int inputs_set_sensor(const char *id, double value, char *error, size_t size);
int inputs_set_pulses(const char *id, uint64_t total, char *error, size_t size);
int inputs_set_float(int high_water, char *error, size_t size);
int inputs_press_button(char *error, size_t size);

#endif
