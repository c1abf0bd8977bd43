/*
 * What the controller answers to each host command (protocol section 5). Refusals follow the
 * protocol's order: UNKNOWN (in the line loop), then NOSESSION and ESTOP for anything that
 * actuates, before a single field is looked at, then CHANNEL, RANGE, BUSY. Checking the session
 * and the latch first means a host that is wrong about a channel or a bound still learns the
 * real reason nothing will move.
 */
#include <Arduino.h>
#include <string.h>
#include "actions.h"
#include "channels.h"
#include "estop.h"
#include "flow.h"
#include "protocol.h"
#include "report.h"
#include "sensors.h"
#include "system.h"

/* The protocol's floor for `noflow`: a slow meter pulses only a few times a second. */
#define MIN_NOFLOW_MS 500UL

#define PROTOCOL_VERSION "1.2"

static const char ESTOP_MSG[] PROGMEM = "emergency stop latched; send RESET";
static const char NOSESSION_MSG[] PROGMEM = "no session: restarted or watchdog tripped; send HELLO";
static const char HIGH_WATER_MSG[] PROGMEM = "high water: the float switch is up";

/* ---- reading fields ------------------------------------------------------------------------ */

/* Section 3.2 numbers only: -?digits(.digits)?. No exponents, no hex, no "inf". */
static bool parse_decimal(const char *text, float *value) {
  const char *p = text;
  bool negative = *p == '-';
  if (negative) p++;
  if (!isdigit(*p)) return false;
  float whole = 0;
  while (isdigit(*p)) whole = whole * 10 + (*p++ - '0');
  if (*p == '.') {
    p++;
    if (!isdigit(*p)) return false;
    float scale = 0.1f;
    while (isdigit(*p)) {
      whole += (*p++ - '0') * scale;
      scale /= 10;
    }
  }
  if (*p) return false;
  *value = negative ? -whole : whole;
  return true;
}

/* A field that must be a positive number; refuses with RANGE and returns false otherwise. */
static bool positive(const Command *c, const char *key, float *value) {
  const char *text = command_field(c, key);
  if (!text || !parse_decimal(text, value) || !(*value > 0)) {
    answer_refuse_about(c, PSTR("RANGE"), key, PSTR(" must be a positive number"));
    return false;
  }
  return true;
}

/* Durations and pulse counts are whole numbers on the wire. */
static bool whole(const Command *c, const char *key, uint32_t *value) {
  float number;
  if (!positive(c, key, &number)) return false;
  if (number > 4000000000.0f || number != (float)(uint32_t)number) {
    answer_refuse_about(c, PSTR("RANGE"), key, PSTR(" must be a whole number"));
    return false;
  }
  *value = (uint32_t)number;
  return true;
}

/* The channel a field names, of the kind the command needs. */
static bool channel_of_kind(const Command *c, const char *key, ChannelKind kind, uint8_t *index) {
  const char *id = command_field(c, key);
  if (!id) {
    answer_refuse_about(c, PSTR("RANGE"), key, PSTR(" is missing"));
    return false;
  }
  ChannelRef channel;
  if (!channel_find(id, &channel) || channel.kind != kind) {
    answer_refuse(c, PSTR("CHANNEL"), kind == KIND_RELAY ? PSTR("no such relay") : kind == KIND_PUMP ? PSTR("no such pump") : PSTR("no such flow meter"));
    return false;
  }
  *index = channel.index;
  return true;
}

/* ---- the commands -------------------------------------------------------------------------- */

static void hello(const Command *c, uint32_t now) {
  (void)now;
  session_start();
  if (!estop_latched) alarm_clear();
  answer_ack_begin(c);
  line_field_text_P(PSTR("device"), PSTR(STATION_DEVICE));
  line_field_text_P(PSTR("fw"), PSTR(STATION_FIRMWARE));
  line_field_text_P(PSTR("proto"), PSTR(PROTOCOL_VERSION));
  line_field_text_P(PSTR("serial"), PSTR(STATION_SERIAL));
  line_field_u32(PSTR("window"), 1);
  line_field_u32(PSTR("watchdog"), HOST_WATCHDOG_MS);
  line_field_u32(PSTR("maxline"), MAX_LINE);
  answer_end(c);
}

static void row_begin(const Command *c, const char *id) {
  line_begin();
  line_text_P(PSTR("ROW "));
  line_u32(c->seq);
  line_field_text_P(PSTR("ch"), id);
}

static void channels(const Command *c, uint32_t now) {
  (void)now;
  for (uint8_t r = 0; r < RELAY_COUNT; r++) {
    row_begin(c, RELAYS[r].id);
    line_field_text_P(PSTR("kind"), PSTR("relay"));
    line_field_quoted_P(PSTR("name"), RELAYS[r].name);
    if (relay_max_ms(r)) line_field_u32(PSTR("maxms"), relay_max_ms(r));
    line_send(0);
  }
  for (uint8_t p = 0; p < PUMP_COUNT; p++) {
    row_begin(c, PUMPS[p].id);
    line_field_text_P(PSTR("kind"), PSTR("pump"));
    line_field_quoted_P(PSTR("name"), PUMPS[p].name);
    line_field_u32(PSTR("maxml"), pump_max_ml(p));
    line_field_u32(PSTR("maxms"), pump_max_ms(p));
    line_send(0);
  }
  for (uint8_t f = 0; f < FLOW_COUNT; f++) {
    row_begin(c, FLOWS[f].id);
    line_field_text_P(PSTR("kind"), PSTR("flow"));
    line_field_quoted_P(PSTR("name"), FLOWS[f].name);
    line_field_u32(PSTR("maxpulses"), flow_max_pulses(f));
    line_send(0);
  }
  for (uint8_t s = 0; s < SENSOR_COUNT; s++) {
    row_begin(c, SENSORS[s].id);
    line_field_text_P(PSTR("kind"), SENSORS[s].kind);
    line_field_quoted_P(PSTR("name"), SENSORS[s].name);
    line_field_text_P(PSTR("unit"), SENSORS[s].unit);
    line_send(0);
  }
  answer_ack_begin(c);
  line_field_u32(PSTR("count"), RELAY_COUNT + PUMP_COUNT + FLOW_COUNT + SENSOR_COUNT);
  answer_end(c);
}

static void state(const Command *c, uint32_t now) {
  for (uint8_t r = 0; r < RELAY_COUNT; r++) {
    row_begin(c, RELAYS[r].id);
    line_field_u32(PSTR("on"), relay_on(r));
    line_send(0);
  }
  for (uint8_t p = 0; p < PUMP_COUNT; p++) {
    row_begin(c, PUMPS[p].id);
    float ml, target;
    bool running = actions_dose_progress(p, now, &ml, &target);
    line_field_u32(PSTR("run"), running);
    if (running) {
      line_field_fixed(PSTR("ml"), ml, 2);
      line_field_fixed(PSTR("target"), target, 2);
    }
    line_send(0);
  }
  for (uint8_t f = 0; f < FLOW_COUNT; f++) {
    row_begin(c, FLOWS[f].id);
    line_field_u32(PSTR("pulses"), flow_pulses(f));
    line_field_fixed(PSTR("rate"), flow_rate_tenths(f) / 10.0f, 1);
    line_send(0);
  }
  for (uint8_t s = 0; s < SENSOR_COUNT; s++) {
    row_begin(c, SENSORS[s].id);
    line_field_fixed(PSTR("v"), sensor_value(s), pgm_read_byte(&SENSORS[s].decimals));
    line_send(0);
  }
  answer_ack_begin(c);
  line_field_u32(PSTR("estop"), estop_latched);
  line_field_text_P(PSTR("alarm"), alarm_current());
  line_field_u32(PSTR("up"), now);
  answer_end(c);
}

static void ping(const Command *c, uint32_t now) {
  answer_ack_begin(c);
  line_field_u32(PSTR("up"), now);
  answer_end(c);
}

static void set(const Command *c, uint32_t now) {
  uint8_t relay;
  if (!channel_of_kind(c, PSTR("ch"), KIND_RELAY, &relay)) return;
  const char *on = command_field(c, PSTR("on"));
  if (!on || (strcmp_P(on, PSTR("0")) != 0 && strcmp_P(on, PSTR("1")) != 0)) {
    answer_refuse(c, PSTR("RANGE"), PSTR("on must be 0 or 1"));
    return;
  }
  if (on[0] == '0') {
    answer_ack_begin(c);
    answer_end(c);
    actions_set_relay(relay, false, 0, now);
    return;
  }
  uint32_t max = 0;
  if (command_field(c, PSTR("max")) && !whole(c, PSTR("max"), &max)) return;
  uint32_t bound = relay_max_ms(relay);
  if (bound && (max == 0 || max > bound)) {
    answer_refuse_about(c, PSTR("RANGE"), RELAYS[relay].id, PSTR(" needs max of at most "), bound, PSTR(" ms"));
    return;
  }
  if (relay_is_fill_valve(relay) && high_water()) {
    answer_refuse(c, PSTR("RANGE"), HIGH_WATER_MSG);
    return;
  }
  if (actions_filling_valve(relay)) {
    answer_refuse_about(c, PSTR("BUSY"), RELAYS[relay].id, PSTR(" is filling"));
    return;
  }
  answer_ack_begin(c);
  answer_end(c);
  actions_set_relay(relay, true, max, now);
}

static void dose(const Command *c, uint32_t now) {
  uint8_t pump;
  float ml, rate;
  uint32_t max;
  if (!channel_of_kind(c, PSTR("ch"), KIND_PUMP, &pump)) return;
  if (!positive(c, PSTR("ml"), &ml) || !positive(c, PSTR("rate"), &rate) || !whole(c, PSTR("max"), &max)) return;
  if (ml > pump_max_ml(pump)) {
    answer_refuse_about(c, PSTR("RANGE"), PUMPS[pump].id, PSTR(" doses at most "), pump_max_ml(pump), PSTR(" mL"));
    return;
  }
  if (max > pump_max_ms(pump)) {
    answer_refuse_about(c, PSTR("RANGE"), PUMPS[pump].id, PSTR(" runs at most "), pump_max_ms(pump), PSTR(" ms"));
    return;
  }
  if (actions_dosing(pump)) {
    answer_refuse_about(c, PSTR("BUSY"), PUMPS[pump].id, PSTR(" is already dosing"));
    return;
  }
  answer_ack_begin(c);
  answer_end(c);
  actions_start_dose(pump, ml, rate, max, now);
}

static void fill(const Command *c, uint32_t now) {
  uint8_t valve, meter;
  uint32_t pulses, max, noflow;
  if (!channel_of_kind(c, PSTR("ch"), KIND_RELAY, &valve) || !channel_of_kind(c, PSTR("flow"), KIND_FLOW, &meter)) return;
  if (!whole(c, PSTR("pulses"), &pulses) || !whole(c, PSTR("max"), &max) || !whole(c, PSTR("noflow"), &noflow)) return;
  if (pulses > flow_max_pulses(meter)) {
    answer_refuse_about(c, PSTR("RANGE"), FLOWS[meter].id, PSTR(" counts at most "), flow_max_pulses(meter), PSTR(" pulses per fill"));
    return;
  }
  if (relay_max_ms(valve) && max > relay_max_ms(valve)) {
    answer_refuse_about(c, PSTR("RANGE"), RELAYS[valve].id, PSTR(" stays open at most "), relay_max_ms(valve), PSTR(" ms"));
    return;
  }
  if (noflow < MIN_NOFLOW_MS || noflow > max) {
    answer_refuse(c, PSTR("RANGE"), PSTR("noflow must be from 500 ms to max"));
    return;
  }
  if (relay_is_fill_valve(valve) && high_water()) {
    answer_refuse(c, PSTR("RANGE"), HIGH_WATER_MSG);
    return;
  }
  if (actions_filling_valve(valve) || actions_filling_meter(meter)) {
    answer_refuse(c, PSTR("BUSY"), PSTR("a fill is already running"));
    return;
  }
  if (relay_on(valve)) {
    answer_refuse_about(c, PSTR("BUSY"), RELAYS[valve].id, PSTR(" is already open"));
    return;
  }
  answer_ack_begin(c);
  answer_end(c);
  actions_start_fill(valve, meter, pulses, max, noflow, now);
}

static void stop(const Command *c, uint32_t now) {
  (void)now;
  const char *id = command_field(c, PSTR("ch"));
  ChannelRef channel;
  if (id && !channel_find(id, &channel)) {
    answer_refuse(c, PSTR("CHANNEL"), PSTR("no such channel"));
    return;
  }
  answer_ack_begin(c);
  answer_end(c);
  if (id) actions_stop(channel);
  else actions_end_all(WHY_STOP);
}

static void reset(const Command *c, uint32_t now) {
  (void)now;
  estop_reset();
  alarm_clear();
  answer_ack_begin(c);
  answer_end(c);
  event_begin(PSTR("estop"));
  line_field_u32(PSTR("latched"), 0);
  event_send();
}

/* ---- the verb table ------------------------------------------------------------------------ */

struct Verb {
  char name[9];
  void (*run)(const Command *, uint32_t);
};

static const Verb VERBS[] PROGMEM = {
    {"HELLO", hello}, {"CHANNELS", channels}, {"STATE", state}, {"PING", ping}, {"SET", set},
    {"DOSE", dose},   {"FILL", fill},         {"STOP", stop},   {"RESET", reset},
};

static const Verb *find_verb(const char *verb) {
  for (uint8_t i = 0; i < sizeof(VERBS) / sizeof(VERBS[0]); i++) {
    if (strcmp_P(verb, VERBS[i].name) == 0) return &VERBS[i];
  }
  return 0;
}

bool command_known(const char *verb) { return find_verb(verb) != 0; }

bool command_read_only(const char *verb) {
  return strcmp_P(verb, PSTR("CHANNELS")) == 0 || strcmp_P(verb, PSTR("STATE")) == 0;
}

/* A SET counts unless it says on=0 exactly: a typo or a missing `on` could mean on. */
bool command_actuates(const Command *c) {
  if (strcmp_P(c->verb, PSTR("SET")) == 0) {
    const char *on = command_field(c, PSTR("on"));
    return !on || strcmp_P(on, PSTR("0")) != 0;
  }
  return strcmp_P(c->verb, PSTR("DOSE")) == 0 || strcmp_P(c->verb, PSTR("FILL")) == 0;
}

void command_run(const Command *c, uint32_t now) {
  /* A host that has not said HELLO since this board booted or its watchdog tripped may be
   * carrying on a job that ended here: its picture of the station, latch included, is stale,
   * and what it needs first is to handshake again. */
  if (!session_open() && command_actuates(c)) {
    answer_refuse(c, PSTR("NOSESSION"), NOSESSION_MSG);
    return;
  }
  if (estop_latched && command_actuates(c)) {
    answer_refuse(c, PSTR("ESTOP"), ESTOP_MSG);
    return;
  }
  const Verb *verb = find_verb(c->verb);
  void (*run)(const Command *, uint32_t) = (void (*)(const Command *, uint32_t))pgm_read_ptr(&verb->run);
  run(c, now);
}
