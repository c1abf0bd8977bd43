/*
 * The board the firmware runs on: an Arduino Mega 2560 wired as firmware/tendril/config.h
 * says. config.h is read here, directly, so the harness and the firmware cannot disagree on a
 * pin. Everything else in the harness asks this file where things are.
 */
#ifndef TWIN_BOARD_H
#define TWIN_BOARD_H

#include <stdint.h>

/* An AVR port pin: port letter 'A'..'L' and bit 0..7. */
struct board_pin {
  char port;
  uint8_t bit;
};

/* A relay or a dosing pump: on when its pin is an output at its on level. */
struct board_output {
  const char *id;
  int pin;
  int on_level;
};

/* An analog sensor: the reading config.h maps 0 V and 5 V to. */
struct board_sensor {
  const char *id;
  int pin;
  double at_0v, at_5v;
};

struct board_flow {
  const char *id;
  int pin;
};

/* More channels of one kind than this and the harness refuses to start. */
#define BOARD_MAX_CHANNELS 64

extern const struct board_output board_outputs[];
extern const int board_output_count;
extern const struct board_sensor board_sensors[];
extern const int board_sensor_count;
extern const struct board_flow board_flows[];
extern const int board_flow_count;
/* -1 when not fitted. */
extern const int board_float_pin, board_float_high_water_level, board_button_pin;

/* Where an Arduino pin number (0..69, A0..A15 = 54..69) is on the chip; 0 if there is none. */
int board_pin(int arduino_pin, struct board_pin *where);
/* The ADC channel of an analog pin, or -1. */
int board_adc_channel(int arduino_pin);
/* Checks config.h against the Mega; prints what is wrong to stderr and returns -1. */
int board_check(void);

#endif
