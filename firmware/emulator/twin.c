/*
 * tendril-twin: Tendril's station firmware on an emulated ATmega2560, wired to the bench.
 *
 *   tendril-twin [--bootloader stk500v2] <firmware.elf>
 *
 * The contract with the bench (stdin, stdout and the pty) is in README.md. One thread: the
 * loop runs the AVR for a millisecond of emulated time, then waits in ppoll() on stdin and the
 * pty until the wall clock has caught up. Emulated time so never runs more than about 1 ms
 * ahead of real time, a sleeping firmware costs the host little, and a command or a byte from
 * the host still wakes the loop at once.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "board.h"
#include "bootloader.h"
#include "commands.h"
#include "firmware.h"
#include "inputs.h"
#include "outputs.h"
#include "report.h"
#include "timers.h"
#include "uart_bridge.h"
#include "watchdog.h"

#define CYCLES_PER_MS 16000
#define SLICE_CYCLES CYCLES_PER_MS
#define TICK_CYCLES (10 * CYCLES_PER_MS)
/* Further behind than this (a loaded or suspended host) and the harness stops trying to catch
 * up: a burst of emulated seconds would look to the firmware like a host gone quiet. */
#define MAX_LAG_NS 100000000LL
/* MCUSR, the reset cause: I/O register 0x34, data address 0x54; its bits per the datasheet. */
#define MCUSR_ADDRESS 0x54
#define PORF 0
#define EXTRF 1
#define BORF 2
#define WDRF 3

static int reset_seen;
static struct twin_timer tick;

static int64_t now_ns(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (int64_t)now.tv_sec * 1000000000LL + now.tv_nsec;
}

/* 16 MHz: 62.5 ns a cycle. */
static int64_t emulated_ns(avr_cycle_count_t cycle) { return (int64_t)(cycle * 125 / 2); }

static void log_to_stderr(avr_t *avr, const int level, const char *format, va_list args) {
  if (avr && level > avr->log) return;
  fputs("simavr: ", stderr);
  vfprintf(stderr, format, args);
}

/* simavr sleeps in usleep() when the firmware sleeps; the run loop does its own waiting. */
static void sleep_in_run_loop(avr_t *avr, avr_cycle_count_t how_long) { (void)avr, (void)how_long; }

/* Called from avr_reset(), before the watchdog has set WDRF: the loop takes it from here. */
static void on_reset(avr_io_t *io) {
  (void)io;
  reset_seen = 1;
}
static avr_io_t reset_watch = {.kind = "tendril-twin", .reset = on_reset};

static const char *reset_cause(uint8_t mcusr) {
  if (mcusr & (1 << WDRF)) return "watchdog";
  if (mcusr & (1 << BORF)) return "brown-out";
  if (mcusr & (1 << EXTRF)) return "external";
  if (mcusr & (1 << PORF)) return "power";
  return "unknown";
}

static void after_reset(avr_t *avr) {
  report("reset %" PRIu64 " %s", (uint64_t)avr->cycle, reset_cause(avr->data[MCUSR_ADDRESS]));
  bootloader_run(avr);
  outputs_after_reset(avr);
  inputs_after_reset(avr);
  uart_bridge_after_reset();
  twin_timers_rearm(avr);
  firmware_loop_forget();
}

static avr_cycle_count_t on_tick(avr_t *avr, avr_cycle_count_t when, void *param) {
  (void)avr, (void)param;
  report("t %" PRIu64, (uint64_t)when);
  return when + TICK_CYCLES;
}

/*
 * Asleep with interrupts off, simavr calls the core "done" and stops its clock. On the chip
 * time runs on and the watchdog, if armed, resets it; so the clock jumps to the next cycle
 * timer (the watchdog's among them), which the next avr_run() fires.
 */
static void sleep_forever(avr_t *avr, int first) {
  if (first) fprintf(stderr, "tendril-twin: the firmware sleeps with interrupts off (pc 0x%x); only a watchdog reset wakes it\n", avr->pc);
  avr_cycle_timer_slot_p next = avr->cycle_timers.timer;
  avr->cycle = next && next->when > avr->cycle ? next->when : avr->cycle + 1;
}

/* Runs about 1 ms of emulated time; -1 when simavr has stopped the core for good. */
static int run_slice(avr_t *avr) {
  static int was_done;
  avr_cycle_count_t until = avr->cycle + SLICE_CYCLES;
  while (avr->cycle < until) {
    firmware_watch_loop(avr);
    int state = avr_run(avr);
    if (reset_seen) {
      reset_seen = 0;
      after_reset(avr);
    }
    if (state == cpu_Done) sleep_forever(avr, !was_done);
    was_done = state == cpu_Done;
    if (state == cpu_Crashed) {
      fprintf(stderr, "tendril-twin: simavr stopped the firmware as crashed (pc 0x%x)\n", avr->pc);
      return -1;
    }
  }
  return 0;
}

static int quit(int code) {
  report_flush();
  return code;
}

int main(int argc, char **argv) {
  report_open();
  signal(SIGPIPE, SIG_IGN);
  if (argc == 4 && !strcmp(argv[1], "--bootloader") && bootloader_choose(argv[2]) == 0) argv += 2, argc -= 2;
  if (argc != 2) {
    fprintf(stderr, "usage: tendril-twin [--bootloader stk500v2] <firmware.elf>\n");
    return 2;
  }
  avr_global_logger_set(log_to_stderr);
  if (board_check()) return 2;
  avr_t *avr = firmware_load(argv[1]);
  if (!avr || watchdog_watch(avr)) return 2;
  bootloader_run(avr);
  avr->sleep = sleep_in_run_loop;
  avr_register_io(avr, &reset_watch);
  int pty = uart_bridge_open(avr);
  if (pty < 0) return 2;

  report("serial %s", uart_bridge_path());
  outputs_watch(avr);
  inputs_init(avr);
  tick.fn = on_tick;
  twin_timer_at(avr, &tick, TICK_CYCLES);

  struct pollfd fds[2] = {{.fd = STDIN_FILENO, .events = POLLIN}, {.fd = pty}};
  int64_t origin = now_ns(); /* the wall-clock time of cycle 0 */
  int64_t lag_noted = 0;
  for (;;) {
    if (report_flush()) return 1; /* the bench has gone */
    int64_t ahead = origin + emulated_ns(avr->cycle) - now_ns();
    struct timespec wait = {.tv_sec = ahead > 0 ? ahead / 1000000000LL : 0, .tv_nsec = ahead > 0 ? ahead % 1000000000LL : 0};
    fds[1].fd = uart_bridge_fd(); /* -1 while unplugged, which ppoll() passes over */
    fds[1].events = uart_bridge_events();
    if (ppoll(fds, 2, &wait, NULL) > 0) {
      if (fds[0].revents) {
        enum commands_status status = commands_read(avr, STDIN_FILENO);
        if (status == COMMANDS_QUIT) return quit(0);
        if (status == COMMANDS_EOF) {
          fprintf(stderr, "tendril-twin: stdin closed; quitting\n");
          return quit(0);
        }
      }
      if (fds[1].revents) uart_bridge_service();
    }

    ahead = origin + emulated_ns(avr->cycle) - now_ns();
    if (ahead > 0) continue;
    if (ahead < -MAX_LAG_NS) {
      if (now_ns() - lag_noted > 10 * 1000000000LL) {
        fprintf(stderr, "tendril-twin: %" PRId64 " ms behind the wall clock; carrying on from here\n", -ahead / 1000000);
        lag_noted = now_ns();
      }
      origin -= ahead;
    }
    if (run_slice(avr)) return quit(3);
    uart_bridge_service();
  }
}
