#include <stdio.h>
#include <string.h>
#include "avr_adc.h"
#include "avr_ioport.h"
#include "board.h"
#include "inputs.h"
#include "timers.h"

#define CYCLES_PER_MS 16000
/* A `pulses` command spreads what is missing over this much emulated time. */
#define PULSE_WINDOW (10 * CYCLES_PER_MS)
#define BUTTON_HELD (50 * CYCLES_PER_MS)
#define AVCC_MV 5000
#define MEGA_PINS 70
#define PORTS 12 /* A..L */

static avr_t *avr;

/* The level the harness holds each pin at, -1 for the pins it leaves alone. */
static int8_t held[MEGA_PINS];
/* Per port, the pins held from outside and their levels, as simavr's "external" state. */
static uint8_t external_mask[PORTS], external_value[PORTS];

static uint32_t sensor_mv[BOARD_MAX_CHANNELS];

struct pulse_train {
  int pin;
  uint64_t total;   /* pulses the meter has produced, as the bench counts them */
  uint64_t started; /* falling edges made so far */
  avr_cycle_count_t spacing;
  int low;
  struct twin_timer timer;
};
static struct pulse_train trains[BOARD_MAX_CHANNELS];
static struct twin_timer button_release;

static avr_irq_t *pin_irq(const struct board_pin *where) {
  return avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ(where->port), where->bit);
}

static void hold(int pin, int level) {
  struct board_pin where;
  board_pin(pin, &where);
  int port = where.port - 'A';
  uint8_t mask = 1u << where.bit;
  held[pin] = (int8_t)level;
  /* Declared as driven from outside, so that simavr, on each write to the port, re-raises the
   * pin at our level: otherwise the firmware's own pull-up (PORT bit 1 on an input) would
   * overwrite a switch or meter that holds the pin low. */
  external_mask[port] |= mask;
  external_value[port] = level ? (external_value[port] | mask) : (external_value[port] & ~mask);
  avr_ioport_external_t external = {.name = (unsigned long)where.port, .mask = external_mask[port], .value = external_value[port]};
  avr_ioctl(avr, AVR_IOCTL_IOPORT_SET_EXTERNAL(where.port), &external);
  /* Sets the PIN bit and, on an edge, the external or pin-change interrupt. */
  avr_raise_irq(pin_irq(&where), level);
}

static void apply_sensor(int i) {
  avr_irq_t *irq = avr_io_getirq(avr, AVR_IOCTL_ADC_GETIRQ, ADC_IRQ_ADC0 + board_adc_channel(board_sensors[i].pin));
  avr_raise_irq(irq, sensor_mv[i]);
}

static avr_cycle_count_t pulse_step(avr_t *avr_, avr_cycle_count_t when, void *param) {
  (void)avr_;
  struct pulse_train *train = param;
  if (train->low) {
    hold(train->pin, 1);
    train->low = 0;
    return train->started < train->total ? when + (train->spacing - train->spacing / 2) : 0;
  }
  if (train->started >= train->total) return 0;
  hold(train->pin, 0);
  train->low = 1;
  train->started++;
  return when + train->spacing / 2;
}

static avr_cycle_count_t release_button(avr_t *avr_, avr_cycle_count_t when, void *param) {
  (void)avr_, (void)when, (void)param;
  hold(board_button_pin, 1);
  return 0;
}

void inputs_init(avr_t *the_avr) {
  avr = the_avr;
  memset(held, -1, sizeof held);
  for (int i = 0; i < board_flow_count; i++) {
    trains[i].pin = board_flows[i].pin;
    trains[i].timer.fn = pulse_step;
    trains[i].timer.param = &trains[i];
    /* Open collector with a pull-up: high between pulses. */
    hold(trains[i].pin, 1);
  }
  if (board_button_pin >= 0) hold(board_button_pin, 1);
  if (board_float_pin >= 0) hold(board_float_pin, !board_float_high_water_level);
  button_release.fn = release_button;
}

void inputs_after_reset(avr_t *the_avr) {
  (void)the_avr;
  for (int pin = 0; pin < MEGA_PINS; pin++) {
    if (held[pin] < 0) continue;
    struct board_pin where;
    board_pin(pin, &where);
    avr_irq_t *irq = pin_irq(&where);
    /* The IRQ still has our level, so a plain raise would be filtered out; INIT lets it by. */
    avr_irq_set_flags(irq, avr_irq_get_flags(irq) | IRQ_FLAG_INIT);
    avr_raise_irq(irq, held[pin]);
  }
  for (int i = 0; i < board_sensor_count; i++) apply_sensor(i);
}

int inputs_set_sensor(const char *id, double value, char *error, size_t size) {
  for (int i = 0; i < board_sensor_count; i++) {
    if (strcmp(board_sensors[i].id, id)) continue;
    const struct board_sensor *sensor = &board_sensors[i];
    double mv = (value - sensor->at_0v) / (sensor->at_5v - sensor->at_0v) * AVCC_MV;
    /* A front-end's output cannot leave its supply: the reading pins at either end. */
    sensor_mv[i] = mv <= 0 ? 0 : mv >= AVCC_MV ? AVCC_MV : (uint32_t)(mv + 0.5);
    apply_sensor(i);
    return 0;
  }
  snprintf(error, size, "no sensor %s in config.h", id);
  return -1;
}

int inputs_set_pulses(const char *id, uint64_t total, char *error, size_t size) {
  for (int i = 0; i < board_flow_count; i++) {
    if (strcmp(board_flows[i].id, id)) continue;
    struct pulse_train *train = &trains[i];
    if (total < train->total) {
      snprintf(error, size, "flow meter %s has already produced %llu pulses", id, (unsigned long long)train->total);
      return -1;
    }
    train->total = total;
    uint64_t missing = total - train->started;
    if (!missing) return 0;
    /* Two cycles at the least, so both halves of a pulse last one. */
    train->spacing = PULSE_WINDOW / missing >= 2 ? PULSE_WINDOW / missing : 2;
    /* A train still running takes up the new spacing from its next edge. */
    if (!twin_timer_running(&train->timer)) twin_timer_at(avr, &train->timer, avr->cycle);
    return 0;
  }
  snprintf(error, size, "no flow meter %s in config.h", id);
  return -1;
}

int inputs_set_float(int high_water, char *error, size_t size) {
  if (board_float_pin < 0) {
    snprintf(error, size, "no float switch in config.h (FLOAT_SWITCH_PIN is -1)");
    return -1;
  }
  int level = high_water ? board_float_high_water_level : !board_float_high_water_level;
  hold(board_float_pin, level);
  return 0;
}

int inputs_press_button(char *error, size_t size) {
  if (board_button_pin < 0) {
    snprintf(error, size, "no stop button in config.h (STOP_BUTTON_PIN is -1)");
    return -1;
  }
  hold(board_button_pin, 0);
  /* Pressed again while held: held for 50 ms from now. */
  twin_timer_at(avr, &button_release, avr->cycle + BUTTON_HELD);
  return 0;
}
