/*
 * Tendril station controller, reference firmware for the Arduino Mega 2560.
 *
 * It speaks Tendril's serial protocol (docs/protocol.md) to the host over USB, switches the
 * station's relays and dosing pumps, counts its flow meters and reads its sensors. Edit
 * config.h for your station; the rest should not need changing. firmware/README.md has the
 * wiring and how to flash it.
 */
#include "station.h"

void setup() { station_setup(); }

void loop() { station_loop(); }
