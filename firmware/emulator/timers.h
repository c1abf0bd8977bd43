/*
 * Cycle timers for the world outside the chip: pulse trains, the stop button's release, the
 * bench's clock. simavr's avr_reset() cancels every cycle timer, the harness's too, but a flow
 * meter keeps turning while the MCU resets; so each timer remembers when it is due and is
 * armed again after a reset.
 */
#ifndef TWIN_TIMERS_H
#define TWIN_TIMERS_H

#include "sim_avr.h"

/* Returns the absolute cycle to run again at, or 0 to stop. */
typedef avr_cycle_count_t (*twin_timer_fn)(avr_t *avr, avr_cycle_count_t when, void *param);

struct twin_timer {
  twin_timer_fn fn;
  void *param;
  avr_cycle_count_t due; /* 0 while stopped */
  struct twin_timer *next_known;
  int known;
};

/* Runs the timer at the absolute cycle `at` (at once if that has passed). */
void twin_timer_at(avr_t *avr, struct twin_timer *timer, avr_cycle_count_t at);
void twin_timer_stop(avr_t *avr, struct twin_timer *timer);
int twin_timer_running(const struct twin_timer *timer);
/* After avr_reset(): every running timer, due where it was. */
void twin_timers_rearm(avr_t *avr);

#endif
