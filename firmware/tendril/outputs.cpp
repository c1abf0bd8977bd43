#include <Arduino.h>
#include <util/atomic.h>
#include "outputs.h"
#include "estop.h"

/*
 * Each output's port register and bit, looked up once at boot so that the interrupt path is a
 * handful of stores: no table walks through flash, no digitalWrite.
 */
static volatile uint8_t *out_port[OUTPUT_COUNT];
static uint8_t out_mask[OUTPUT_COUNT];
static uint8_t out_active_high[OUTPUT_COUNT];

static void write_level(uint8_t output, bool on) {
  bool high = on == (out_active_high[output] != 0);
  if (high) *out_port[output] |= out_mask[output];
  else *out_port[output] &= (uint8_t)~out_mask[output];
}

void outputs_init(void) {
  for (uint8_t i = 0; i < OUTPUT_COUNT; i++) {
    uint8_t pin = i < RELAY_COUNT ? pgm_read_byte(&RELAYS[i].pin) : pgm_read_byte(&PUMPS[i - RELAY_COUNT].pin);
    out_active_high[i] = i < RELAY_COUNT ? pgm_read_byte(&RELAYS[i].active_high) : pgm_read_byte(&PUMPS[i - RELAY_COUNT].active_high);
    out_port[i] = portOutputRegister(digitalPinToPort(pin));
    out_mask[i] = digitalPinToBitMask(pin);
    write_level(i, false); /* the off level first, while the pin is still an input */
    pinMode(pin, OUTPUT);
  }
}

bool output_set(uint8_t output, bool on) {
  bool done = true;
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    if (on && estop_latched) done = false;
    else write_level(output, on);
  }
  return done;
}

bool output_is_on(uint8_t output) {
  bool high = (*out_port[output] & out_mask[output]) != 0;
  return high == (out_active_high[output] != 0);
}

void outputs_all_off(void) {
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    for (uint8_t i = 0; i < OUTPUT_COUNT; i++) write_level(i, false);
  }
}
