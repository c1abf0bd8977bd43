#include <Arduino.h>
#include "actions.h"
#include "channels.h"
#include "report.h"
#include "sensors.h"
#include "system.h"

static float latest[SENSOR_COUNT];
static uint32_t sums[SENSOR_COUNT];
static uint8_t samples;
static uint32_t next_sample;
static uint32_t next_report;

#define CHECK_ANALOG(id, name, kind, unit, pin, at_0v, at_5v, decimals) \
  static_assert(pin >= A0 && pin <= A15, "sensor " #id " must be on an analog pin, A0 to A15");
STATION_SENSORS(CHECK_ANALOG)
#undef CHECK_ANALOG

/* The straight line of config.h, from ADC counts (0-1023 over 0-5 V). */
static float scaled(uint8_t sensor, float counts) {
  float at_0v = pgm_read_float(&SENSORS[sensor].at_0v);
  float at_5v = pgm_read_float(&SENSORS[sensor].at_5v);
  return at_0v + (at_5v - at_0v) * counts / 1024.0f;
}

static uint16_t read_counts(uint8_t sensor) { return analogRead(pgm_read_byte(&SENSORS[sensor].pin)); }

void sensors_init(uint32_t now) {
#if FLOAT_SWITCH_PIN >= 0
  pinMode(FLOAT_SWITCH_PIN, INPUT_PULLUP);
#endif
  for (uint8_t s = 0; s < SENSOR_COUNT; s++) latest[s] = scaled(s, read_counts(s));
  next_sample = now;
  /* Half a heartbeat after each `hb`, so the two never leave together. */
  next_report = now + READING_MS / 2;
}

float sensor_value(uint8_t sensor) { return latest[sensor]; }

void sensors_sample(uint32_t now) {
  if ((int32_t)(now - next_sample) < 0) return;
  next_sample += SAMPLE_MS;
  for (uint8_t s = 0; s < SENSOR_COUNT; s++) sums[s] += read_counts(s);
  samples++;
}

void sensors_report(uint32_t now) {
  if ((int32_t)(now - next_report) < 0 || samples == 0) return;
  next_report += READING_MS;
  for (uint8_t s = 0; s < SENSOR_COUNT; s++) {
    latest[s] = scaled(s, (float)sums[s] / samples);
    sums[s] = 0;
    event_begin(PSTR("read"));
    line_field_text_P(PSTR("ch"), SENSORS[s].id);
    line_field_fixed(PSTR("v"), latest[s], pgm_read_byte(&SENSORS[s].decimals));
    event_send();
  }
  samples = 0;
}

#if FLOAT_SWITCH_PIN >= 0
static bool is_high;
static bool reading_high;
static bool unreported;
static uint32_t high_since;

bool high_water(void) { return is_high; }

void float_switch_guard(uint32_t now) {
  bool high = digitalRead(FLOAT_SWITCH_PIN) == FLOAT_SWITCH_HIGH_WATER_LEVEL;
  if (!high) {
    reading_high = false;
    is_high = false;
    return;
  }
  if (!reading_high) {
    reading_high = true;
    high_since = now;
  }
  if (!is_high && now - high_since >= FLOAT_SWITCH_SETTLE_MS) {
    is_high = true;
    unreported = true;
  }
  /* Every pass while the water is high, not only the first: nothing may reopen a fill valve. */
  if (is_high) actions_close_fill_valves(WHY_HIGHLEVEL);
}

void float_switch_report(void) {
  if (!unreported) return;
  unreported = false;
  event_begin(PSTR("alarm"));
  line_field_text_P(PSTR("code"), PSTR("HIGHLEVEL"));
  line_field_quoted_P(PSTR("msg"), PSTR("high-level float switch is up; fill valves closed"));
  event_send();
  alarm_set(PSTR("HIGHLEVEL"));
}
#else
bool high_water(void) { return false; }
void float_switch_guard(uint32_t now) { (void)now; }
void float_switch_report(void) {}
#endif

