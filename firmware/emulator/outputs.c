#include <inttypes.h>
#include <stdint.h>
#include "avr_ioport.h"
#include "board.h"
#include "outputs.h"
#include "report.h"

static avr_t *avr;
static uint8_t channel_on[BOARD_MAX_CHANNELS];

static void evaluate(char port, uint8_t ddr, uint8_t out) {
  for (int i = 0; i < board_output_count; i++) {
    struct board_pin where;
    board_pin(board_outputs[i].pin, &where);
    if (where.port != port) continue;
    uint8_t mask = 1u << where.bit;
    /* An input, as after reset, drives nothing: the relay board's own pull keeps it off. */
    int on = (ddr & mask) && ((out & mask) != 0) == (board_outputs[i].on_level != 0);
    if (on == channel_on[i]) continue;
    channel_on[i] = on;
    report("out %s %d %" PRIu64, board_outputs[i].id, on, (uint64_t)avr->cycle);
  }
}

static avr_ioport_state_t port_state(char port) {
  avr_ioport_state_t state = {0};
  avr_ioctl(avr, AVR_IOCTL_IOPORT_GETSTATE(port), &state);
  return state;
}

/* simavr raises the DDR hook before it stores the new value, so the value comes from the hook. */
static void on_ddr_write(struct avr_irq_t *irq, uint32_t ddr, void *param) {
  (void)irq;
  char port = (char)(intptr_t)param;
  evaluate(port, (uint8_t)ddr, port_state(port).port);
}

static void on_port_write(struct avr_irq_t *irq, uint32_t out, void *param) {
  (void)irq;
  char port = (char)(intptr_t)param;
  evaluate(port, port_state(port).ddr, (uint8_t)out);
}

static void hook(char port) {
  avr_irq_t *ddr = avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ(port), IOPORT_IRQ_DIRECTION_ALL);
  avr_irq_t *out = avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ(port), IOPORT_IRQ_REG_PORT);
  /* These IRQs are filtered (called only on a change of value), and avr_reset() zeroes the
   * registers behind their backs: after a reset the firmware's first write of the value from
   * before would be filtered out. Every write is cheap enough to look at. */
  avr_irq_set_flags(ddr, avr_irq_get_flags(ddr) & ~IRQ_FLAG_FILTERED);
  avr_irq_set_flags(out, avr_irq_get_flags(out) & ~IRQ_FLAG_FILTERED);
  avr_irq_register_notify(ddr, on_ddr_write, (void *)(intptr_t)port);
  avr_irq_register_notify(out, on_port_write, (void *)(intptr_t)port);
}

void outputs_watch(avr_t *the_avr) {
  avr = the_avr;
  char hooked[16] = {0};
  for (int i = 0; i < board_output_count; i++) {
    struct board_pin where;
    board_pin(board_outputs[i].pin, &where);
    if (hooked[where.port - 'A']) continue;
    hooked[where.port - 'A'] = 1;
    hook(where.port);
  }
  for (int i = 0; i < board_output_count; i++) report("out %s 0 %" PRIu64, board_outputs[i].id, (uint64_t)avr->cycle);
}

void outputs_after_reset(avr_t *the_avr) {
  (void)the_avr;
  for (char port = 'A'; port <= 'L'; port++) {
    avr_ioport_state_t state = port_state(port);
    evaluate(port, state.ddr, state.port);
  }
}
