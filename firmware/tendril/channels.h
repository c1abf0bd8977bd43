/*
 * The channel table of config.h, expanded once: indices by kind, and the fixed facts of each
 * channel in flash. Everything else in the firmware refers to channels through these.
 */
#ifndef TENDRIL_CHANNELS_H
#define TENDRIL_CHANNELS_H

#include <stdint.h>
#include <avr/pgmspace.h>
#include "config.h"

#define RELAY_INDEX(id, name, pin, active, max_ms, role) RELAY_##id,
enum { STATION_RELAYS(RELAY_INDEX) RELAY_COUNT };
#undef RELAY_INDEX

#define PUMP_INDEX(id, name, pin, active, max_ml, max_ms) PUMP_##id,
enum { STATION_PUMPS(PUMP_INDEX) PUMP_COUNT };
#undef PUMP_INDEX

#define FLOW_INDEX(id, name, pin, max_pulses) FLOW_##id,
enum { STATION_FLOWS(FLOW_INDEX) FLOW_COUNT };
#undef FLOW_INDEX

#define SENSOR_INDEX(id, name, kind, unit, pin, at_0v, at_5v, decimals) SENSOR_##id,
enum { STATION_SENSORS(SENSOR_INDEX) SENSOR_COUNT };
#undef SENSOR_INDEX

/* Outputs are relays first, then pumps: one numbering for the pins that switch things on. */
enum { OUTPUT_COUNT = RELAY_COUNT + PUMP_COUNT };
#define PUMP_OUTPUT(pump) (RELAY_COUNT + (pump))

enum ChannelKind : uint8_t { KIND_RELAY, KIND_PUMP, KIND_FLOW, KIND_SENSOR };

/* A channel as a command names it: its kind and its index within that kind. */
struct ChannelRef {
  ChannelKind kind;
  uint8_t index;
};

struct RelaySpec {
  char id[17];
  char name[25];
  uint8_t pin;
  uint8_t active_high;
  uint32_t max_ms; /* 0: no bound */
  uint8_t fill_valve;
};

struct PumpSpec {
  char id[17];
  char name[25];
  uint8_t pin;
  uint8_t active_high;
  uint16_t max_ml;
  uint32_t max_ms;
};

struct FlowSpec {
  char id[17];
  char name[25];
  uint8_t pin;
  uint32_t max_pulses;
};

struct SensorSpec {
  char id[17];
  char name[25];
  char kind[6];
  char unit[6];
  uint8_t pin;
  float at_0v;
  float at_5v;
  uint8_t decimals;
};

extern const RelaySpec RELAYS[RELAY_COUNT] PROGMEM;
extern const PumpSpec PUMPS[PUMP_COUNT] PROGMEM;
extern const FlowSpec FLOWS[FLOW_COUNT] PROGMEM;
extern const SensorSpec SENSORS[SENSOR_COUNT] PROGMEM;

/* Finds a channel by the id a command gave; false if there is none. */
bool channel_find(const char *id, ChannelRef *found);

/* Fixed facts read out of flash. */
uint32_t relay_max_ms(uint8_t relay);
bool relay_is_fill_valve(uint8_t relay);
uint16_t pump_max_ml(uint8_t pump);
uint32_t pump_max_ms(uint8_t pump);
uint32_t flow_max_pulses(uint8_t flow);

#endif
