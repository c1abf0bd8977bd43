#include <Arduino.h>
#include <util/atomic.h>
#include "channels.h"
#include "flow.h"
#include "report.h"

static volatile uint32_t counts[FLOW_COUNT];
static uint32_t reported_pulses[FLOW_COUNT];
static uint32_t rate_tenths[FLOW_COUNT];
static uint32_t last_report;

/* One tiny handler per meter, since attachInterrupt passes no argument. */
#define PULSE_HANDLER(id, name, pin, max_pulses)                                                        \
  static_assert(digitalPinToInterrupt(pin) != NOT_AN_INTERRUPT, "flow meter " #id " must be on pin 2, 3, 18, 19, 20 or 21"); \
  static void pulse_##id(void) { counts[FLOW_##id]++; }
STATION_FLOWS(PULSE_HANDLER)
#undef PULSE_HANDLER

void flow_init(void) {
#define ATTACH(id, name, pin, max_pulses) \
  pinMode(pin, INPUT_PULLUP);             \
  attachInterrupt(digitalPinToInterrupt(pin), pulse_##id, FALLING);
  STATION_FLOWS(ATTACH)
#undef ATTACH
}

uint32_t flow_pulses(uint8_t flow) {
  uint32_t n;
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) { n = counts[flow]; }
  return n;
}

uint32_t flow_rate_tenths(uint8_t flow) { return rate_tenths[flow]; }

void flow_report(uint32_t now) {
  uint32_t elapsed = now - last_report;
  if (elapsed < FLOW_REPORT_MS) return;
  last_report = now;
  for (uint8_t f = 0; f < FLOW_COUNT; f++) {
    uint32_t pulses = flow_pulses(f);
    uint32_t rate = (pulses - reported_pulses[f]) * 10000UL / elapsed;
    /* While water moves, and once more when it stops, so the host sees the rate settle. */
    if (pulses == reported_pulses[f] && rate == rate_tenths[f]) continue;
    reported_pulses[f] = pulses;
    rate_tenths[f] = rate;
    event_begin(PSTR("flow"));
    line_field_text_P(PSTR("ch"), FLOWS[f].id);
    line_field_u32(PSTR("pulses"), pulses);
    line_field_fixed(PSTR("rate"), rate / 10.0f, 1);
    event_send();
  }
}
