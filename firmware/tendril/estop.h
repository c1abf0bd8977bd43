/*
 * The emergency stop: the host's stop byte and the station's own button. The interrupt half
 * (estop_trip) turns every output off, latches, and echoes the stop byte; the main loop then
 * ends the running actions and reports the stop. Only RESET from the host clears the latch.
 */
#ifndef TENDRIL_ESTOP_H
#define TENDRIL_ESTOP_H

#include <stdint.h>

enum StopSource : uint8_t { STOP_FROM_HOST = 1, STOP_FROM_BUTTON = 2 };

/* True from a stop until RESET: every actuating command is refused with ESTOP. */
extern volatile bool estop_latched;

void estop_init(void);

/* Steps 1 to 3 of protocol section 4. Runs inside the interrupt that saw the stop. */
void estop_trip(StopSource source);

/* The stops the main loop has not reported yet, as StopSource bits; clears them. */
uint8_t estop_take_unreported(void);

/* A button held down (a latching mushroom switch, or one pressed while the firmware was
 * resetting) stops the station too, even though no edge was seen. */
void estop_poll(uint32_t now);

/* RESET: clears the latch. A button still held latches it again at the next poll. */
void estop_reset(void);

#endif
