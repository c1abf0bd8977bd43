#include <stdio.h>
#include <string.h>
#include "avr_watchdog.h"
#include "sim_cycle_timers.h"
#include "watchdog.h"

static avr_watchdog_t *watchdog;

/* What simavr's watchdog does for a reset of its own: avr_reset() from the run callback, where
 * it is safe, with WDRF to set; the watchdog's reset hook sets it and puts this callback back. */
static void reset_from_run(avr_t *avr) { avr_reset(avr); }

static avr_cycle_count_t next_timeout(avr_t *avr, avr_cycle_count_t when, void *param) {
  (void)when, (void)param;
  if (!watchdog->watchdog.pending || !avr_regbit_get(avr, watchdog->wde)) return 0;
  watchdog->reset_context.avr_run = avr->run;
  watchdog->reset_context.wdrf = 1;
  avr->run = reset_from_run;
  return 0;
}

/* Value 1: the interrupt is raised, and waits for the core to take it. 0: it was taken. */
static void on_pending(struct avr_irq_t *irq, uint32_t value, void *param) {
  (void)irq;
  avr_t *avr = param;
  if (value) avr_cycle_timer_register(avr, watchdog->cycle_count, next_timeout, NULL);
  else avr_cycle_timer_cancel(avr, next_timeout, NULL);
}

int watchdog_watch(avr_t *avr) {
  for (avr_io_t *io = avr->io_port; io; io = io->next)
    if (io->kind && !strcmp(io->kind, "watchdog")) watchdog = (avr_watchdog_t *)io;
  if (!watchdog) {
    fprintf(stderr, "tendril-twin: this simavr's atmega2560 has no watchdog\n");
    return -1;
  }
  avr_irq_register_notify(&watchdog->watchdog.irq[AVR_INT_IRQ_PENDING], on_pending, avr);
  return 0;
}
