#include <Arduino.h>
#include <avr/interrupt.h>
#include <avr/wdt.h>
#include <util/atomic.h>
#include "estop.h"
#include "outputs.h"
#include "report.h"
#include "serial.h"
#include "config.h"
#include "system.h"

/*
 * The reset cause, saved before the C runtime clears memory. MCUSR must be cleared and the
 * watchdog stopped this early: after a watchdog reset it stays armed at its shortest period,
 * and would reset the board again before setup() could run.
 *
 * The Mega's stock bootloader runs first and clears MCUSR, so a watchdog reset also leaves a
 * mark of its own in RAM, which a reset keeps (the watchdog's interrupt writes it; see
 * ISR(WDT_vect)). .noinit lies past .bss, clear of the bootloader's few bytes of data at the
 * bottom of RAM and its stack at the top. At power-on RAM holds anything, hence 32 bits that
 * must match exactly, and PORF or BORF overrule it.
 */
#define WATCHDOG_MARK 0x5744A7C3UL
uint8_t reset_flags __attribute__((section(".noinit")));
static volatile uint32_t watchdog_mark __attribute__((section(".noinit")));
static bool watchdog_marked __attribute__((section(".noinit")));

void save_reset_flags(void) __attribute__((naked, used, section(".init3")));
void save_reset_flags(void) {
  reset_flags = MCUSR;
  MCUSR = 0;
  wdt_disable();
  watchdog_marked = watchdog_mark == WATCHDOG_MARK;
  watchdog_mark = 0;
}

/*
 * Fills the free RAM between the data and the stack with a known byte before anything runs, so
 * the deepest the stack ever reached can be read back (the emulator harness does).
 */
void paint_stack(void) __attribute__((naked, used, section(".init1")));
void paint_stack(void) {
  __asm__ volatile(
      "    ldi r30, lo8(_end)\n"
      "    ldi r31, hi8(_end)\n"
      "    ldi r24, 0xC5\n"
      "    ldi r25, hi8(__stack)\n"
      "1:  cpi r30, lo8(__stack)\n"
      "    cpc r31, r25\n"
      "    brsh 2f\n"
      "    st Z+, r24\n"
      "    rjmp 1b\n"
      "2:\n");
}

static const char *alarm_code = 0;
static uint32_t last_host_line;
static bool host_watched;
/* In .bss, so every boot starts without a session, whatever the reset. */
static bool host_session;
static bool watchdog_unreported;
static uint32_t next_beat;

/*
 * The hardware watchdog in interrupt-and-reset mode: its first timeout runs ISR(WDT_vect), and
 * the chip clears WDIE as it does, so the next timeout resets. If interrupts are off and the
 * handler cannot run, that next timeout resets the chip all the same (the datasheet, WDTCSR's
 * WDIE bit).
 */
void system_init(void) {
  const uint8_t period = (HARDWARE_WATCHDOG & 0x08 ? _BV(WDP3) : 0) | (HARDWARE_WATCHDOG & 0x07);
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    wdt_reset();
    WDTCSR = _BV(WDCE) | _BV(WDE);
    WDTCSR = _BV(WDIE) | _BV(WDE) | period;
  }
  next_beat = millis() + HEARTBEAT_MS;
}

/*
 * The main loop has not come round for HARDWARE_WATCHDOG. Everything off first, then the mark
 * the next boot reads, then the reset at the watchdog's shortest period; nothing pets it now.
 */
ISR(WDT_vect) {
  outputs_all_off();
  watchdog_mark = WATCHDOG_MARK;
  wdt_enable(WDTO_15MS);
  /* The chip already counts the new period; simavr 1.6 starts it only at the next reset of the
   * count, and on the chip one more costs nothing. */
  wdt_reset();
  for (;;) __asm__ __volatile__("");
}

void system_loop_alive(void) { wdt_reset(); }

void system_report_boot(void) {
  const char *why = PSTR("reset");
  if (reset_flags & _BV(WDRF)) why = PSTR("watchdog");
  else if (reset_flags & (_BV(PORF) | _BV(BORF))) why = PSTR("power");
  else if (watchdog_marked) why = PSTR("watchdog");
  /* A reset can cut a line off half sent; an LF first ends it, so the host throws that away as
   * one bad line and still reads this one. Hosts ignore the empty line it makes otherwise. */
  serial_write('\n');
  event_begin(PSTR("boot"));
  line_field_text_P(PSTR("fw"), PSTR(STATION_FIRMWARE));
  line_field_text_P(PSTR("why"), why);
  event_send();
}

void session_start(void) { host_session = true; }
bool session_open(void) { return host_session; }

void host_alive(uint32_t now) {
  last_host_line = now;
  host_watched = true;
}

bool host_watchdog_expired(uint32_t now) {
  /* Armed by the first host line, disarmed once it fires until the host is back. */
  if (!host_watched || now - last_host_line < HOST_WATCHDOG_MS) return false;
  host_watched = false;
  /* The host that went quiet may come back mid-job, unaware that the job was ended here. */
  host_session = false;
  watchdog_unreported = true;
  return true;
}

void host_watchdog_report(void) {
  if (!watchdog_unreported) return;
  watchdog_unreported = false;
  event_begin(PSTR("alarm"));
  line_field_text_P(PSTR("code"), PSTR("WATCHDOG"));
  line_text_P(PSTR(" msg=\"no host line for "));
  line_u32(HOST_WATCHDOG_MS);
  line_text_P(PSTR(" ms; every output is off\""));
  event_send();
  alarm_set(PSTR("WATCHDOG"));
}

void heartbeat_report(uint32_t now) {
  if ((int32_t)(now - next_beat) < 0) return;
  next_beat += HEARTBEAT_MS;
  /* A stalled loop skips beats instead of sending a burst of them. */
  if ((int32_t)(now - next_beat) >= 0) next_beat = now + HEARTBEAT_MS;
  event_begin(PSTR("hb"));
  line_field_u32(PSTR("up"), now);
  event_send();
}

const char *alarm_current(void) {
  if (estop_latched) return PSTR("ESTOP");
  return alarm_code ? alarm_code : PSTR("none");
}

void alarm_set(const char *code) { alarm_code = code; }
void alarm_clear(void) { alarm_code = 0; }
