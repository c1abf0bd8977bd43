/*
 * The timed work on the outputs: relays switched with a bound, doses and fills. Each is ended
 * by the controller's own clock, whatever the host does. Ending is split in two: actions_guard
 * switches pins off the moment a deadline passes (it may run while a long answer is being
 * queued), and actions_report tells the host afterwards.
 */
#ifndef TENDRIL_ACTIONS_H
#define TENDRIL_ACTIONS_H

#include <stdint.h>
#include "channels.h"

/* Why an output changed or an action ended: the `why` field of protocol section 7. 0 is none. */
enum Why : uint8_t {
  WHY_CMD = 1,
  WHY_COMPLETE,
  WHY_BOUND,
  WHY_NOFLOW,
  WHY_STOP,
  WHY_ESTOP,
  WHY_WATCHDOG,
  WHY_HIGHLEVEL,
  WHY_FILL,
};

void actions_init(void);

bool relay_on(uint8_t relay);
bool actions_dosing(uint8_t pump);
/* A fill holds its valve and its meter until it ends. */
bool actions_filling_valve(uint8_t relay);
bool actions_filling_meter(uint8_t flow);

/* SET: `bound_ms` (0 for none) switches the relay off by itself later. Switching a valve off
 * ends the fill that holds it open. */
void actions_set_relay(uint8_t relay, bool on, uint32_t bound_ms, uint32_t now);
void actions_start_dose(uint8_t pump, float ml, float rate, uint32_t max_ms, uint32_t now);
void actions_start_fill(uint8_t valve, uint8_t flow, uint32_t pulses, uint32_t max_ms, uint32_t noflow_ms, uint32_t now);

/* STOP for one channel: ends its action and switches it off. */
void actions_stop(ChannelRef channel);
/* Every action ends with `why`, and every output goes off. */
void actions_end_all(Why why);
/* The float switch: every fill valve closes, and fills on them end. */
void actions_close_fill_valves(Why why);

/* STATE: a pump's delivered volume so far and its target; false when it is not dosing. */
bool actions_dose_progress(uint8_t pump, uint32_t now, float *ml, float *target);

void actions_guard(uint32_t now);
void actions_report(uint32_t now);

#endif
