/*
 * Tendril station controller: the one file a grower edits.
 *
 * Everything about your station lives here: the channel table Tendril sees (ids, kinds, names),
 * which pin each channel is wired to, at which level a relay or pump is on, the bounds the
 * controller enforces on its own, and how a sensor's voltage becomes a reading. The defaults
 * match Tendril's simulated station, so the same Tendril settings work on both.
 *
 * Rules the firmware checks when it compiles:
 *   - channel ids are 1 to 16 characters of a-z, 0-9, _ and -, and unique;
 *   - a flow meter sits on an external-interrupt pin (2, 3, 18, 19, 20 or 21);
 *   - a sensor sits on an analog pin (A0 to A15).
 *
 * This header is plain C, with no Arduino types, so the emulator harness reads the same table.
 */
#ifndef TENDRIL_CONFIG_H
#define TENDRIL_CONFIG_H

/* ---- Identity: what the controller answers to HELLO -------------------------------------- */
#define STATION_DEVICE "tendril-mega"
#define STATION_FIRMWARE "1.0.0"
/* Give each board its own serial number, so Tendril can tell two stations apart. */
#define STATION_SERIAL "MEGA-0001"

/* ---- The link ------------------------------------------------------------------------------ */
#define STATION_BAUD 115200UL
/* No valid host line for this long turns every output off (protocol section 8). */
#define HOST_WATCHDOG_MS 3000UL
/* The AVR's own watchdog: a firmware stuck for this long turns every output off and resets.
 * Stuck with interrupts off, it takes twice this. One of the avr-libc WDTO_ values:
 * WDTO_250MS, WDTO_500MS, WDTO_1S. */
#define HARDWARE_WATCHDOG WDTO_500MS

/* ---- Output levels --------------------------------------------------------------------------
 * Most relay boards switch on when their input is pulled LOW (active-low); a MOSFET driving a
 * pump switches on when its gate is HIGH (active-high). Outputs are written to their off level
 * before they become outputs, so nothing clicks on at power-up. */
#define ACTIVE_LOW 0
#define ACTIVE_HIGH 1

/* What a relay does in the station. A FILL_VALVE is closed by the high-level float switch,
 * whatever the host says. */
#define FILL_VALVE 1
#define OTHER_RELAY 0

/* ---- Relays ---------------------------------------------------------------------------------
 * X(id, name, pin, on level, longest on-time in ms or 0 for no bound, role)
 * A valve gets a bound so that a lost host can never flood the room: SET on=1 must carry a
 * max no larger than it, and FILL's max may not exceed it either. */
#define STATION_RELAYS(X)                                                    \
  X(fill,        "Fill valve",       22, ACTIVE_LOW, 900000UL, FILL_VALVE)  \
  X(drain,       "Drain valve",      23, ACTIVE_LOW, 900000UL, OTHER_RELAY) \
  X(mixer,       "Mixer",            24, ACTIVE_LOW, 0UL,      OTHER_RELAY) \
  X(circulation, "Circulation pump", 25, ACTIVE_LOW, 0UL,      OTHER_RELAY) \
  X(lights,      "Lights",           26, ACTIVE_LOW, 0UL,      OTHER_RELAY) \
  X(air,         "Air pump",         27, ACTIVE_LOW, 0UL,      OTHER_RELAY)

/* ---- Dosing pumps ---------------------------------------------------------------------------
 * X(id, name, pin, on level, largest single dose in mL, longest single run in ms)
 * Tendril owns each pump's calibration and sends it with every DOSE; these are hard limits. */
#define STATION_PUMPS(X)                                         \
  X(nut_a,   "Nutrient A", 8,  ACTIVE_HIGH, 250, 300000UL)       \
  X(nut_b,   "Nutrient B", 9,  ACTIVE_HIGH, 250, 300000UL)       \
  X(ph_up,   "pH up",      10, ACTIVE_HIGH, 250, 300000UL)       \
  X(ph_down, "pH down",    11, ACTIVE_HIGH, 250, 300000UL)

/* ---- Flow meters ----------------------------------------------------------------------------
 * X(id, name, pin, largest pulse target of one FILL)
 * Hall-effect meters pull their signal line low once per pulse; the pin's pull-up is on. */
#define STATION_FLOWS(X) \
  X(flow1, "Fill line", 2, 200000UL)

/* ---- Sensors --------------------------------------------------------------------------------
 * X(id, name, kind, unit, analog pin, reading at 0 V, reading at 5 V, decimals)
 * kind is one of ec, ph, temp, level. The reading is a straight line between the two figures,
 * so a front-end that gives 0-5 V for its range needs only those two numbers. Calibrate the
 * pH and EC probes on their front-end boards, or in Tendril. */
#define STATION_SENSORS(X)                                         \
  X(ec1,    "EC",                ec,    "mS/cm", A0, 0.0, 5.0,   2) \
  X(ph1,    "pH",                ph,    "pH",    A1, 0.0, 14.0,  2) \
  X(temp1,  "Water temperature", temp,  "C",     A2, 0.0, 50.0,  1) \
  X(level1, "Tank level",        level, "L",     A3, 0.0, 125.0, 1)

/* ---- Guards the host cannot provide --------------------------------------------------------
 * The high-level float switch closes every FILL_VALVE by itself and refuses to open one while
 * it is up. Wire a normally-closed switch between the pin and ground: the contact opens when
 * the water is high, and a cut wire reads the same, so a broken switch stops fills instead of
 * allowing them. Set FLOAT_SWITCH_PIN to -1 if none is fitted. */
#define FLOAT_SWITCH_PIN 30
/* The level the pin reads when the water is high: HIGH for a normally-closed switch to ground. */
#define FLOAT_SWITCH_HIGH_WATER_LEVEL 1
/* How long the switch must read high water before it counts: slosh and ripples are ignored. */
#define FLOAT_SWITCH_SETTLE_MS 200UL

/* A physical emergency stop button between the pin and ground, on an external-interrupt pin.
 * Pressing it does what the host's stop byte does, and latches until Tendril sends RESET.
 * Set STOP_BUTTON_PIN to -1 if none is fitted. */
#define STOP_BUTTON_PIN 3

/* ---- Timing ---------------------------------------------------------------------------------
 * Protocol rates; change them only if you know why. */
#define HEARTBEAT_MS 1000UL
#define READING_MS 1000UL
#define PROGRESS_MS 250UL
#define FLOW_REPORT_MS 1000UL
/* Sensors are sampled this often and averaged into each reading. */
#define SAMPLE_MS 50UL

#endif
