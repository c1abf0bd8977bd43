#include "timers.h"

static struct twin_timer *known;

static avr_cycle_count_t fire(avr_t *avr, avr_cycle_count_t when, void *param) {
  struct twin_timer *timer = param;
  timer->due = timer->fn(avr, when, timer->param);
  return timer->due;
}

static void arm(avr_t *avr, struct twin_timer *timer) {
  avr_cycle_count_t in = timer->due > avr->cycle ? timer->due - avr->cycle : 0;
  avr_cycle_timer_register(avr, in, fire, timer);
}

void twin_timer_at(avr_t *avr, struct twin_timer *timer, avr_cycle_count_t at) {
  if (!timer->known) {
    timer->known = 1;
    timer->next_known = known;
    known = timer;
  }
  timer->due = at ? at : 1;
  arm(avr, timer);
}

void twin_timer_stop(avr_t *avr, struct twin_timer *timer) {
  timer->due = 0;
  avr_cycle_timer_cancel(avr, fire, timer);
}

int twin_timer_running(const struct twin_timer *timer) { return timer->due != 0; }

void twin_timers_rearm(avr_t *avr) {
  for (struct twin_timer *timer = known; timer; timer = timer->next_known)
    if (timer->due) arm(avr, timer);
}
