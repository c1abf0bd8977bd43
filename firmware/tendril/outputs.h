/*
 * The pins that switch things on: every relay and every dosing pump. This is the only code
 * that writes them, so "everything off" has one definition, safe to call from an interrupt.
 */
#ifndef TENDRIL_OUTPUTS_H
#define TENDRIL_OUTPUTS_H

#include <stdint.h>
#include "channels.h"

/* Writes every output's off level, then makes the pins outputs: nothing clicks on at power-up. */
void outputs_init(void);

/*
 * Switches one output. Switching on is refused (returns false) while the emergency stop is
 * latched: the check and the write happen with interrupts off, so a stop byte arriving between
 * the two cannot be undone by the write.
 */
bool output_set(uint8_t output, bool on);
bool output_is_on(uint8_t output);

/* Every output to its off level at once. Called from the stop-byte and button interrupts. */
void outputs_all_off(void);

#endif
