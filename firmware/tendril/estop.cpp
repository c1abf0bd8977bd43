#include <Arduino.h>
#include <util/atomic.h>
#include "estop.h"
#include "outputs.h"
#include "serial.h"

volatile bool estop_latched;
static volatile uint8_t unreported;
static volatile uint8_t latched_by;
/* How long the button must read pressed before the loop believes a level without an edge. */
#define BUTTON_HELD_MS 20UL

#if STOP_BUTTON_PIN >= 0
static_assert(digitalPinToInterrupt(STOP_BUTTON_PIN) != NOT_AN_INTERRUPT, "STOP_BUTTON_PIN must be 2, 3, 18, 19, 20 or 21");
static uint32_t pressed_since;
static bool was_pressed;

static void on_button_edge(void) {
  /* Contact bounce would repeat the stop a dozen times; one is enough while it holds. */
  if (latched_by != STOP_FROM_BUTTON) estop_trip(STOP_FROM_BUTTON);
}
#endif

void estop_init(void) {
#if STOP_BUTTON_PIN >= 0
  pinMode(STOP_BUTTON_PIN, INPUT_PULLUP);
  attachInterrupt(digitalPinToInterrupt(STOP_BUTTON_PIN), on_button_edge, FALLING);
#endif
}

void estop_trip(StopSource source) {
  outputs_all_off();
  estop_latched = true;
  latched_by = source;
  serial_send_stop_byte();
  unreported |= source;
}

uint8_t estop_take_unreported(void) {
  uint8_t sources;
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    sources = unreported;
    unreported = 0;
  }
  return sources;
}

void estop_poll(uint32_t now) {
#if STOP_BUTTON_PIN >= 0
  bool pressed = digitalRead(STOP_BUTTON_PIN) == LOW;
  if (!pressed) {
    was_pressed = false;
    return;
  }
  if (!was_pressed) {
    was_pressed = true;
    pressed_since = now;
  }
  if (!estop_latched && now - pressed_since >= BUTTON_HELD_MS) {
    ATOMIC_BLOCK(ATOMIC_RESTORESTATE) { estop_trip(STOP_FROM_BUTTON); }
  }
#else
  (void)now;
#endif
}

void estop_reset(void) {
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    estop_latched = false;
    latched_by = 0;
  }
}
