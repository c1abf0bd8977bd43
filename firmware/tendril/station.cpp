#include <Arduino.h>
#include <avr/sleep.h>
#include "actions.h"
#include "estop.h"
#include "flow.h"
#include "outputs.h"
#include "protocol.h"
#include "report.h"
#include "sensors.h"
#include "serial.h"
#include "system.h"

/*
 * Everything that switches an output off by deadline: the stop button held down, the host
 * watchdog, the float switch, and every action's own bound. It writes no line, so it also runs
 * while a long answer waits for room in the transmit ring.
 */
static void station_guard(void) {
  uint32_t now = millis();
  estop_poll(now);
  if (host_watchdog_expired(now)) actions_end_all(WHY_WATCHDOG);
  float_switch_guard(now);
  actions_guard(now);
}

void station_setup(void) {
  /* Off before anything else: a board that reset mid-dose must not dose on. */
  outputs_init();
  /* The Arduino core starts timers 1 to 5 for analogWrite, which nothing here uses; timer 0
   * keeps millis(). Stopped, they cost nothing on the chip and much less in the emulator. */
  TCCR1B = TCCR2B = TCCR3B = TCCR4B = TCCR5B = 0;
  system_init();
  serial_init(STATION_BAUD, station_guard);
  actions_init();
  flow_init();
  sensors_init(millis());
  estop_init();
  system_report_boot();
}

static void report_stops(uint8_t sources) {
  /* Both bits when the host and the button stopped it between two passes: two events. */
  for (uint8_t source = STOP_FROM_HOST; source <= STOP_FROM_BUTTON; source <<= 1) {
    if (!(sources & source)) continue;
    event_begin(PSTR("estop"));
    line_field_u32(PSTR("latched"), 1);
    line_field_text_P(PSTR("src"), source == STOP_FROM_HOST ? PSTR("host") : PSTR("button"));
    event_send();
  }
}

void station_loop(void) {
  system_loop_alive();
  /* Taken first, so each stop's final events are sent before the stop itself is reported. */
  uint8_t stops = estop_take_unreported();
  station_guard();
  uint32_t now = millis();
  protocol_poll(now);
  actions_report(now);
  report_stops(stops);
  host_watchdog_report();
  float_switch_report();
  flow_report(now);
  sensors_sample(now);
  sensors_report(now);
  heartbeat_report(now);
  /* Idle until the next interrupt: the 1 ms timer tick at the latest, or a received byte. */
  set_sleep_mode(SLEEP_MODE_IDLE);
  sleep_mode();
}
