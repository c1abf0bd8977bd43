#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "commands.h"
#include "firmware.h"
#include "inputs.h"
#include "report.h"
#include "uart_bridge.h"

#define LINE_MAX_BYTES 256
#define MAX_WORDS 3

/*
 * A command's handler returns 0 or -1. On -1, `text` says why; on 0 it may hold what to say
 * after `ok` instead of the command itself.
 */
typedef int (*handler)(avr_t *avr, char **arg, char *text, size_t size);

static int parse_value(const char *text, double *value) {
  char *end;
  errno = 0;
  *value = strtod(text, &end);
  return *text && !*end && !errno && isfinite(*value) ? 0 : -1;
}

static int parse_count(const char *text, uint64_t *count) {
  if (!*text || strspn(text, "0123456789") != strlen(text)) return -1;
  errno = 0;
  *count = strtoull(text, NULL, 10);
  return errno ? -1 : 0;
}

static int sensor(avr_t *avr, char **arg, char *text, size_t size) {
  (void)avr;
  double value;
  if (parse_value(arg[1], &value)) return snprintf(text, size, "sensor: %s is not a number", arg[1]), -1;
  return inputs_set_sensor(arg[0], value, text, size);
}

static int pulses(avr_t *avr, char **arg, char *text, size_t size) {
  (void)avr;
  uint64_t total;
  if (parse_count(arg[1], &total)) return snprintf(text, size, "pulses: %s is not a pulse count", arg[1]), -1;
  return inputs_set_pulses(arg[0], total, text, size);
}

static int float_switch(avr_t *avr, char **arg, char *text, size_t size) {
  (void)avr;
  if (strcmp(arg[0], "0") && strcmp(arg[0], "1")) return snprintf(text, size, "float: 0 or 1, not %s", arg[0]), -1;
  return inputs_set_float(arg[0][0] == '1', text, size);
}

static int button(avr_t *avr, char **arg, char *text, size_t size) {
  (void)avr, (void)arg;
  return inputs_press_button(text, size);
}

static int hang(avr_t *avr, char **arg, char *text, size_t size) {
  (void)arg;
  return firmware_hang(avr, text, size);
}

static int stall(avr_t *avr, char **arg, char *text, size_t size) {
  (void)arg;
  return firmware_stall(avr, text, size);
}

/* The RESET pin, as the Mega's USB chip pulses it whenever a host opens the port: the
 * firmware boots again with EXTRF set in MCUSR. */
static int reset_pin(avr_t *avr, char **arg, char *text, size_t size) {
  (void)arg, (void)text, (void)size;
  avr_reset(avr);
  avr->data[0x54] |= 1 << 1; /* MCUSR: EXTRF */
  return 0;
}

static int stack(avr_t *avr, char **arg, char *text, size_t size) {
  (void)arg;
  unsigned bytes;
  if (firmware_stack_depth(avr, &bytes, text, size)) return -1;
  snprintf(text, size, "stack %u", bytes);
  return 0;
}

static int loop_timing(avr_t *avr, char **arg, char *text, size_t size) {
  (void)avr, (void)arg;
  return firmware_loop_timing(text, size);
}

static int unplug(avr_t *avr, char **arg, char *text, size_t size) {
  (void)avr, (void)arg;
  return uart_bridge_unplug(text, size);
}

static int replug(avr_t *avr, char **arg, char *text, size_t size) {
  (void)avr, (void)arg;
  return uart_bridge_replug(text, size);
}

static int silent(avr_t *avr, char **arg, char *text, size_t size) {
  (void)avr;
  if (strcmp(arg[0], "on") && strcmp(arg[0], "off")) return snprintf(text, size, "silent: on or off, not %s", arg[0]), -1;
  return uart_bridge_silent(!strcmp(arg[0], "on"), text, size);
}

static int garbage(avr_t *avr, char **arg, char *text, size_t size) {
  (void)avr;
  uint64_t bytes;
  if (parse_count(arg[0], &bytes)) return snprintf(text, size, "garbage: %s is not a byte count", arg[0]), -1;
  return uart_bridge_garbage((size_t)bytes, text, size);
}

static int corrupt(avr_t *avr, char **arg, char *text, size_t size) {
  (void)avr;
  uint64_t lines;
  if (parse_count(arg[0], &lines) || lines > UINT_MAX) return snprintf(text, size, "corrupt: %s is not a line count", arg[0]), -1;
  return uart_bridge_corrupt((unsigned)lines, text, size);
}

static int quit(avr_t *avr, char **arg, char *text, size_t size) {
  (void)avr, (void)arg, (void)text, (void)size;
  return 0;
}

static const struct {
  const char *verb;
  int args;
  const char *usage;
  handler run;
} COMMANDS[] = {
    {"sensor", 2, "sensor <id> <value>", sensor},
    {"pulses", 2, "pulses <id> <total>", pulses},
    {"float", 1, "float <0|1>", float_switch},
    {"button", 0, "button", button},
    {"hang", 0, "hang", hang},
    {"stall", 0, "stall", stall},
    {"reset", 0, "reset", reset_pin},
    {"stack", 0, "stack", stack},
    {"loop", 0, "loop", loop_timing},
    {"unplug", 0, "unplug", unplug},
    {"replug", 0, "replug", replug},
    {"silent", 1, "silent <on|off>", silent},
    {"garbage", 1, "garbage <bytes>", garbage},
    {"corrupt", 1, "corrupt <lines>", corrupt},
    {"quit", 0, "quit", quit},
};

static enum commands_status run_line(avr_t *avr, char *line) {
  char *word[MAX_WORDS + 1];
  int words = 0;
  for (char *token = strtok(line, " \t\r"); token && words <= MAX_WORDS; token = strtok(NULL, " \t\r")) word[words++] = token;
  if (!words) return COMMANDS_MORE; /* a blank line is no command, and gets no answer */

  char text[160] = "";
  for (size_t c = 0; c < sizeof COMMANDS / sizeof COMMANDS[0]; c++) {
    if (strcmp(word[0], COMMANDS[c].verb)) continue;
    if (words - 1 != COMMANDS[c].args) {
      report("error: usage: %s", COMMANDS[c].usage);
      return COMMANDS_MORE;
    }
    if (COMMANDS[c].run(avr, word + 1, text, sizeof text)) {
      report("error: %s", text);
      return COMMANDS_MORE;
    }
    if (text[0]) {
      report("ok %s", text);
    } else {
      /* The command as understood: its words joined by single spaces. */
      char echo[LINE_MAX_BYTES] = "";
      for (int i = 0; i < words; i++) strcat(strcat(echo, i ? " " : ""), word[i]);
      report("ok %s", echo);
    }
    return COMMANDS[c].run == quit ? COMMANDS_QUIT : COMMANDS_MORE;
  }
  report("error: unknown command %s", word[0]);
  return COMMANDS_MORE;
}

enum commands_status commands_read(avr_t *avr, int fd) {
  static char line[LINE_MAX_BYTES];
  static size_t length;
  static int overlong;
  char chunk[1024];
  ssize_t got = read(fd, chunk, sizeof chunk);
  if (got == 0) return COMMANDS_EOF;
  if (got < 0) return errno == EAGAIN || errno == EINTR ? COMMANDS_MORE : COMMANDS_EOF;
  for (ssize_t i = 0; i < got; i++) {
    if (chunk[i] != '\n') {
      if (length < sizeof line - 1) line[length++] = chunk[i];
      else overlong = 1;
      continue;
    }
    line[length] = 0;
    enum commands_status status = COMMANDS_MORE;
    if (overlong) report("error: a command longer than %d bytes", LINE_MAX_BYTES - 1);
    else status = run_line(avr, line);
    length = 0;
    overlong = 0;
    /* Lines after `quit` go unanswered: the harness is on its way out. */
    if (status == COMMANDS_QUIT) return status;
  }
  return COMMANDS_MORE;
}
