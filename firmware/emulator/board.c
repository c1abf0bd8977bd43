#include <stdio.h>
#include "board.h"

/* Arduino's analog pin names, as the Mega's pins_arduino.h numbers them. */
#define A0 54
#define A1 55
#define A2 56
#define A3 57
#define A4 58
#define A5 59
#define A6 60
#define A7 61
#define A8 62
#define A9 63
#define A10 64
#define A11 65
#define A12 66
#define A13 67
#define A14 68
#define A15 69
#include "config.h"

/* Arduino pin -> port and bit: digital_pin_to_port_PGM and _bit_mask_PGM of the Mega variant. */
static const struct board_pin MEGA_PINS[70] = {
    {'E', 0}, {'E', 1}, {'E', 4}, {'E', 5}, {'G', 5}, {'E', 3}, {'H', 3}, {'H', 4}, /* 0-7 */
    {'H', 5}, {'H', 6}, {'B', 4}, {'B', 5}, {'B', 6}, {'B', 7}, {'J', 1}, {'J', 0}, /* 8-15 */
    {'H', 1}, {'H', 0}, {'D', 3}, {'D', 2}, {'D', 1}, {'D', 0},                     /* 16-21 */
    {'A', 0}, {'A', 1}, {'A', 2}, {'A', 3}, {'A', 4}, {'A', 5}, {'A', 6}, {'A', 7}, /* 22-29 */
    {'C', 7}, {'C', 6}, {'C', 5}, {'C', 4}, {'C', 3}, {'C', 2}, {'C', 1}, {'C', 0}, /* 30-37 */
    {'D', 7}, {'G', 2}, {'G', 1}, {'G', 0},                                         /* 38-41 */
    {'L', 7}, {'L', 6}, {'L', 5}, {'L', 4}, {'L', 3}, {'L', 2}, {'L', 1}, {'L', 0}, /* 42-49 */
    {'B', 3}, {'B', 2}, {'B', 1}, {'B', 0},                                         /* 50-53 */
    {'F', 0}, {'F', 1}, {'F', 2}, {'F', 3}, {'F', 4}, {'F', 5}, {'F', 6}, {'F', 7}, /* A0-A7 */
    {'K', 0}, {'K', 1}, {'K', 2}, {'K', 3}, {'K', 4}, {'K', 5}, {'K', 6}, {'K', 7}, /* A8-A15 */
};

/* The sentinel rows keep each table valid C when config.h lists none of a kind. */
const struct board_output board_outputs[] = {
#define RELAY(id, name, pin, on_level, max_ms, role) {#id, pin, on_level},
    STATION_RELAYS(RELAY)
#undef RELAY
#define PUMP(id, name, pin, on_level, max_ml, max_ms) {#id, pin, on_level},
    STATION_PUMPS(PUMP)
#undef PUMP
    {0, -1, 0},
};
const int board_output_count = sizeof board_outputs / sizeof board_outputs[0] - 1;

const struct board_sensor board_sensors[] = {
#define SENSOR(id, name, kind, unit, pin, at_0v, at_5v, decimals) {#id, pin, at_0v, at_5v},
    STATION_SENSORS(SENSOR)
#undef SENSOR
    {0, -1, 0, 0},
};
const int board_sensor_count = sizeof board_sensors / sizeof board_sensors[0] - 1;

const struct board_flow board_flows[] = {
#define FLOW(id, name, pin, max_pulses) {#id, pin},
    STATION_FLOWS(FLOW)
#undef FLOW
    {0, -1},
};
const int board_flow_count = sizeof board_flows / sizeof board_flows[0] - 1;

const int board_float_pin = FLOAT_SWITCH_PIN;
const int board_float_high_water_level = FLOAT_SWITCH_HIGH_WATER_LEVEL;
const int board_button_pin = STOP_BUTTON_PIN;

int board_pin(int arduino_pin, struct board_pin *where) {
  if (arduino_pin < 0 || arduino_pin >= (int)(sizeof MEGA_PINS / sizeof MEGA_PINS[0])) return 0;
  *where = MEGA_PINS[arduino_pin];
  return 1;
}

int board_adc_channel(int arduino_pin) { return arduino_pin >= A0 && arduino_pin <= A15 ? arduino_pin - A0 : -1; }

static int check_pin(const char *what, const char *id, int pin) {
  struct board_pin where;
  if (board_pin(pin, &where)) return 0;
  fprintf(stderr, "tendril-twin: config.h puts %s %s on pin %d, which a Mega does not have\n", what, id, pin);
  return -1;
}

int board_check(void) {
  int problems = 0;
  if (board_output_count > BOARD_MAX_CHANNELS || board_sensor_count > BOARD_MAX_CHANNELS || board_flow_count > BOARD_MAX_CHANNELS) {
    fprintf(stderr, "tendril-twin: config.h has more than %d channels of one kind\n", BOARD_MAX_CHANNELS);
    problems = -1;
  }
  for (int i = 0; i < board_output_count; i++) problems |= check_pin("output", board_outputs[i].id, board_outputs[i].pin);
  for (int i = 0; i < board_flow_count; i++) problems |= check_pin("flow meter", board_flows[i].id, board_flows[i].pin);
  for (int i = 0; i < board_sensor_count; i++) {
    if (board_adc_channel(board_sensors[i].pin) >= 0) continue;
    fprintf(stderr, "tendril-twin: config.h puts sensor %s on pin %d, which is not A0..A15\n", board_sensors[i].id, board_sensors[i].pin);
    problems = -1;
  }
  if (board_float_pin >= 0) problems |= check_pin("the float switch", "(FLOAT_SWITCH_PIN)", board_float_pin);
  if (board_button_pin >= 0) problems |= check_pin("the stop button", "(STOP_BUTTON_PIN)", board_button_pin);
  return problems;
}
