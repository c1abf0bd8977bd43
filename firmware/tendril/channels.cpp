#include <Arduino.h>
#include <string.h>
#include "channels.h"

/* A channel id must fit the protocol (1 to 16 characters); the compiler says which one does not. */
#define CHECK_ID(id) static_assert(sizeof(#id) >= 2 && sizeof(#id) <= 17, "channel id " #id " must be 1 to 16 characters");

#define RELAY_ROW(id, name, pin, active, max_ms, role) {#id, name, pin, active, max_ms, role},
const RelaySpec RELAYS[RELAY_COUNT] PROGMEM = {STATION_RELAYS(RELAY_ROW)};
#undef RELAY_ROW

#define PUMP_ROW(id, name, pin, active, max_ml, max_ms) {#id, name, pin, active, max_ml, max_ms},
const PumpSpec PUMPS[PUMP_COUNT] PROGMEM = {STATION_PUMPS(PUMP_ROW)};
#undef PUMP_ROW

#define FLOW_ROW(id, name, pin, max_pulses) {#id, name, pin, max_pulses},
const FlowSpec FLOWS[FLOW_COUNT] PROGMEM = {STATION_FLOWS(FLOW_ROW)};
#undef FLOW_ROW

#define SENSOR_ROW(id, name, kind, unit, pin, at_0v, at_5v, decimals) {#id, name, #kind, unit, pin, at_0v, at_5v, decimals},
const SensorSpec SENSORS[SENSOR_COUNT] PROGMEM = {STATION_SENSORS(SENSOR_ROW)};
#undef SENSOR_ROW

#define CHECK_RELAY(id, name, pin, active, max_ms, role) CHECK_ID(id)
#define CHECK_PUMP(id, name, pin, active, max_ml, max_ms) CHECK_ID(id)
#define CHECK_FLOW(id, name, pin, max_pulses) CHECK_ID(id)
#define CHECK_SENSOR(id, name, kind, unit, pin, at_0v, at_5v, decimals) CHECK_ID(id)
STATION_RELAYS(CHECK_RELAY)
STATION_PUMPS(CHECK_PUMP)
STATION_FLOWS(CHECK_FLOW)
STATION_SENSORS(CHECK_SENSOR)

static bool find_in(const char *id, const void *table, uint8_t count, size_t stride, ChannelKind kind, ChannelRef *found) {
  const char *row = (const char *)table;
  for (uint8_t i = 0; i < count; i++, row += stride) {
    /* Every spec starts with its id, so one search serves all four tables. */
    if (strcmp_P(id, row) == 0) {
      found->kind = kind;
      found->index = i;
      return true;
    }
  }
  return false;
}

bool channel_find(const char *id, ChannelRef *found) {
  return find_in(id, RELAYS, RELAY_COUNT, sizeof(RelaySpec), KIND_RELAY, found) ||
         find_in(id, PUMPS, PUMP_COUNT, sizeof(PumpSpec), KIND_PUMP, found) ||
         find_in(id, FLOWS, FLOW_COUNT, sizeof(FlowSpec), KIND_FLOW, found) ||
         find_in(id, SENSORS, SENSOR_COUNT, sizeof(SensorSpec), KIND_SENSOR, found);
}

uint32_t relay_max_ms(uint8_t relay) { return pgm_read_dword(&RELAYS[relay].max_ms); }
bool relay_is_fill_valve(uint8_t relay) { return pgm_read_byte(&RELAYS[relay].fill_valve) == FILL_VALVE; }
uint16_t pump_max_ml(uint8_t pump) { return pgm_read_word(&PUMPS[pump].max_ml); }
uint32_t pump_max_ms(uint8_t pump) { return pgm_read_dword(&PUMPS[pump].max_ms); }
uint32_t flow_max_pulses(uint8_t flow) { return pgm_read_dword(&FLOWS[flow].max_pulses); }
