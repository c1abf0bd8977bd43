#include <Arduino.h>
#include "actions.h"
#include "estop.h"
#include "flow.h"
#include "outputs.h"
#include "report.h"
#include "system.h"

struct Dose {
  bool running;
  uint8_t ended; /* a Why once it has ended and is still to be reported */
  float target_ml;
  float rate; /* the host's calibration, mL/s: delivered volume is run time × rate */
  uint32_t started;
  uint32_t run_ms; /* ml / rate */
  uint32_t bound_ms; /* the smaller of the command's max and the pump's own */
  uint32_t ran_ms; /* how long it ran, once ended */
  uint32_t next_progress;
};

/* One fill per flow meter, since a meter can count only one line at a time. */
struct Fill {
  bool running;
  uint8_t ended;
  uint8_t valve;
  uint32_t start_pulses;
  uint32_t target;
  uint32_t started;
  uint32_t max_ms;
  uint32_t noflow_ms;
  uint32_t last_pulses;
  uint32_t last_pulse_at;
  uint32_t counted; /* pulses when it ended */
  uint32_t next_progress;
};

struct RelayState {
  bool bounded;
  bool reported_on; /* what the host was last told */
  uint8_t why;      /* the reason to give with the next change */
  uint32_t on_since;
  uint32_t bound_ms;
};

static Dose doses[PUMP_COUNT];
static Fill fills[FLOW_COUNT];
static RelayState relays[RELAY_COUNT];

static const char WHY_TEXT[][10] PROGMEM = {"", "cmd", "complete", "bound", "noflow", "stop", "estop", "watchdog", "highlevel", "fill"};

void actions_init(void) {
  for (uint8_t r = 0; r < RELAY_COUNT; r++) relays[r].why = WHY_CMD;
}

bool relay_on(uint8_t relay) { return output_is_on(relay); }
bool actions_dosing(uint8_t pump) { return doses[pump].running; }

bool actions_filling_valve(uint8_t relay) {
  for (uint8_t f = 0; f < FLOW_COUNT; f++) {
    if (fills[f].running && fills[f].valve == relay) return true;
  }
  return false;
}

bool actions_filling_meter(uint8_t flow) { return fills[flow].running; }

static void switch_relay(uint8_t relay, bool on, uint8_t why) {
  /* A relay the stop interrupt already switched off still owes the host its reason. */
  if (output_is_on(relay) != on || relays[relay].reported_on != on) relays[relay].why = why;
  output_set(relay, on);
}

static void end_dose(uint8_t pump, uint8_t why, uint32_t ran_ms) {
  Dose &dose = doses[pump];
  output_set(PUMP_OUTPUT(pump), false);
  dose.running = false;
  dose.ended = why;
  dose.ran_ms = ran_ms;
}

static void end_fill(uint8_t flow, uint8_t why, uint8_t valve_why) {
  Fill &fill = fills[flow];
  switch_relay(fill.valve, false, valve_why);
  fill.running = false;
  fill.ended = why;
  fill.counted = flow_pulses(flow) - fill.start_pulses;
}

void actions_set_relay(uint8_t relay, bool on, uint32_t bound_ms, uint32_t now) {
  if (!on) {
    for (uint8_t f = 0; f < FLOW_COUNT; f++) {
      if (fills[f].running && fills[f].valve == relay) end_fill(f, WHY_STOP, WHY_CMD);
    }
  }
  relays[relay].bounded = on && bound_ms > 0;
  relays[relay].on_since = now;
  relays[relay].bound_ms = bound_ms;
  switch_relay(relay, on, WHY_CMD);
}

void actions_start_dose(uint8_t pump, float ml, float rate, uint32_t max_ms, uint32_t now) {
  Dose &dose = doses[pump];
  uint32_t own = pump_max_ms(pump);
  dose.running = true;
  dose.ended = 0;
  dose.target_ml = ml;
  dose.rate = rate;
  dose.started = now;
  dose.run_ms = (uint32_t)(ml / rate * 1000.0f + 0.5f);
  dose.bound_ms = max_ms < own ? max_ms : own;
  dose.next_progress = now + PROGRESS_MS;
  output_set(PUMP_OUTPUT(pump), true);
}

void actions_start_fill(uint8_t valve, uint8_t flow, uint32_t pulses, uint32_t max_ms, uint32_t noflow_ms, uint32_t now) {
  Fill &fill = fills[flow];
  fill.running = true;
  fill.ended = 0;
  fill.valve = valve;
  fill.start_pulses = flow_pulses(flow);
  fill.last_pulses = fill.start_pulses;
  fill.target = pulses;
  fill.started = now;
  fill.max_ms = max_ms;
  fill.noflow_ms = noflow_ms;
  fill.last_pulse_at = now;
  fill.next_progress = now + PROGRESS_MS;
  relays[valve].bounded = false;
  switch_relay(valve, true, WHY_FILL);
}

void actions_stop(ChannelRef channel) {
  uint32_t now = millis();
  if (channel.kind == KIND_PUMP && doses[channel.index].running) {
    end_dose(channel.index, WHY_STOP, now - doses[channel.index].started);
  }
  for (uint8_t f = 0; f < FLOW_COUNT; f++) {
    bool holds = (channel.kind == KIND_FLOW && f == channel.index) || (channel.kind == KIND_RELAY && fills[f].valve == channel.index);
    if (fills[f].running && holds) end_fill(f, WHY_STOP, WHY_STOP);
  }
  if (channel.kind == KIND_RELAY) {
    relays[channel.index].bounded = false;
    switch_relay(channel.index, false, WHY_STOP);
  }
}

void actions_end_all(Why why) {
  uint32_t now = millis();
  for (uint8_t p = 0; p < PUMP_COUNT; p++) {
    if (doses[p].running) end_dose(p, why, now - doses[p].started);
  }
  for (uint8_t f = 0; f < FLOW_COUNT; f++) {
    if (fills[f].running) end_fill(f, why, why);
  }
  for (uint8_t r = 0; r < RELAY_COUNT; r++) {
    relays[r].bounded = false;
    switch_relay(r, false, why);
  }
  outputs_all_off();
}

void actions_close_fill_valves(Why why) {
  for (uint8_t f = 0; f < FLOW_COUNT; f++) {
    if (fills[f].running && relay_is_fill_valve(fills[f].valve)) end_fill(f, why, why);
  }
  for (uint8_t r = 0; r < RELAY_COUNT; r++) {
    if (relay_is_fill_valve(r)) {
      relays[r].bounded = false;
      switch_relay(r, false, why);
    }
  }
}

bool actions_dose_progress(uint8_t pump, uint32_t now, float *ml, float *target) {
  const Dose &dose = doses[pump];
  if (!dose.running) return false;
  uint32_t ran = now - dose.started;
  if (ran > dose.run_ms) ran = dose.run_ms;
  *ml = ran / 1000.0f * dose.rate;
  *target = dose.target_ml;
  return true;
}

void actions_guard(uint32_t now) {
  /* A stop byte can land between two lines of this loop; whatever still runs then ends `estop`. */
  if (estop_latched) {
    for (uint8_t p = 0; p < PUMP_COUNT; p++) {
      if (doses[p].running) end_dose(p, WHY_ESTOP, now - doses[p].started);
    }
    for (uint8_t f = 0; f < FLOW_COUNT; f++) {
      if (fills[f].running) end_fill(f, WHY_ESTOP, WHY_ESTOP);
    }
    for (uint8_t r = 0; r < RELAY_COUNT; r++) {
      if (relays[r].reported_on && !output_is_on(r)) relays[r].why = WHY_ESTOP;
    }
  }
  for (uint8_t p = 0; p < PUMP_COUNT; p++) {
    Dose &dose = doses[p];
    if (!dose.running) continue;
    uint32_t ran = now - dose.started;
    if (dose.run_ms <= dose.bound_ms && ran >= dose.run_ms) end_dose(p, WHY_COMPLETE, dose.run_ms);
    else if (ran >= dose.bound_ms) end_dose(p, WHY_BOUND, dose.bound_ms);
  }
  for (uint8_t f = 0; f < FLOW_COUNT; f++) {
    Fill &fill = fills[f];
    if (!fill.running) continue;
    uint32_t pulses = flow_pulses(f);
    if (pulses != fill.last_pulses) {
      fill.last_pulses = pulses;
      fill.last_pulse_at = now;
    }
    if (pulses - fill.start_pulses >= fill.target) end_fill(f, WHY_COMPLETE, WHY_FILL);
    else if (now - fill.started >= fill.max_ms) end_fill(f, WHY_BOUND, WHY_FILL);
    else if (now - fill.last_pulse_at >= fill.noflow_ms) end_fill(f, WHY_NOFLOW, WHY_FILL);
  }
  for (uint8_t r = 0; r < RELAY_COUNT; r++) {
    RelayState &relay = relays[r];
    if (relay.bounded && now - relay.on_since >= relay.bound_ms) {
      relay.bounded = false;
      switch_relay(r, false, WHY_BOUND);
    }
  }
}

static void dose_event(uint8_t pump, float ml, const Dose &dose) {
  event_begin(PSTR("dose"));
  line_field_text_P(PSTR("ch"), PUMPS[pump].id);
  line_field_fixed(PSTR("ml"), ml, 2);
  line_field_fixed(PSTR("target"), dose.target_ml, 2);
}

static void fill_event(uint8_t flow, uint32_t pulses, const Fill &fill) {
  event_begin(PSTR("fill"));
  line_field_text_P(PSTR("ch"), RELAYS[fill.valve].id);
  line_field_u32(PSTR("pulses"), pulses);
  line_field_u32(PSTR("target"), fill.target);
  (void)flow;
}

static void final_fields(uint8_t why) {
  line_field_u32(PSTR("done"), 1);
  line_field_text_P(PSTR("why"), WHY_TEXT[why]);
  event_send();
}

static void bound_alarm(const char *what, const char *id) {
  event_begin(PSTR("alarm"));
  line_field_text_P(PSTR("code"), PSTR("BOUND"));
  line_text_P(PSTR(" msg=\""));
  line_text_P(what);
  line_text_P(PSTR(" on "));
  line_text_P(id);
  line_text_P(PSTR(" ended by its time bound\""));
  event_send();
  alarm_set(PSTR("BOUND"));
}

void actions_report(uint32_t now) {
  for (uint8_t p = 0; p < PUMP_COUNT; p++) {
    Dose &dose = doses[p];
    if (dose.ended) {
      uint8_t why = dose.ended;
      dose.ended = 0;
      float ml = why == WHY_COMPLETE ? dose.target_ml : dose.ran_ms / 1000.0f * dose.rate;
      dose_event(p, ml, dose);
      final_fields(why);
      if (why == WHY_BOUND) bound_alarm(PSTR("dose"), PUMPS[p].id);
    } else if (dose.running && (int32_t)(now - dose.next_progress) >= 0) {
      dose.next_progress += PROGRESS_MS;
      float ml, target;
      actions_dose_progress(p, now, &ml, &target);
      dose_event(p, ml, dose);
      event_send();
    }
  }
  for (uint8_t f = 0; f < FLOW_COUNT; f++) {
    Fill &fill = fills[f];
    if (fill.ended) {
      uint8_t why = fill.ended;
      fill.ended = 0;
      fill_event(f, fill.counted, fill);
      final_fields(why);
      if (why == WHY_BOUND) bound_alarm(PSTR("fill"), RELAYS[fill.valve].id);
    } else if (fill.running && (int32_t)(now - fill.next_progress) >= 0) {
      fill.next_progress += PROGRESS_MS;
      fill_event(f, flow_pulses(f) - fill.start_pulses, fill);
      event_send();
    }
  }
  for (uint8_t r = 0; r < RELAY_COUNT; r++) {
    RelayState &relay = relays[r];
    bool on = output_is_on(r);
    if (on == relay.reported_on) continue;
    /* Taken before sending: a deadline passing while the line waits for room gives its own why. */
    uint8_t why = relay.why;
    relay.reported_on = on;
    relay.why = WHY_CMD;
    event_begin(PSTR("relay"));
    line_field_text_P(PSTR("ch"), RELAYS[r].id);
    line_field_u32(PSTR("on"), on);
    line_field_text_P(PSTR("why"), WHY_TEXT[why]);
    event_send();
  }
}
