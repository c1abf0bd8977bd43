#include <Arduino.h>
#include <string.h>
#include <util/crc16.h>
#include "protocol.h"
#include "report.h"
#include "serial.h"
#include "system.h"

static char line[MAX_LINE];
static uint16_t line_length;
/* Set when a line outgrew the buffer: everything up to the next LF is dropped. */
static bool discarding;

/* The answer memory: the protocol asks for at least 8 remembered final lines. */
#define REMEMBERED 8
struct Remembered {
  uint16_t seq; /* 0: empty */
  uint8_t length;
  char text[OUT_LINE_MAX];
};
static Remembered memory[REMEMBERED];
static uint8_t memory_next;

void answers_forget(void) {
  for (uint8_t i = 0; i < REMEMBERED; i++) memory[i].seq = 0;
}

static void remember(uint16_t seq, const char *text, uint8_t length) {
  Remembered &slot = memory[memory_next];
  memory_next = (memory_next + 1) % REMEMBERED;
  slot.seq = seq;
  slot.length = length;
  memcpy(slot.text, text, length);
}

static const Remembered *recall(uint16_t seq) {
  for (uint8_t i = 0; i < REMEMBERED; i++) {
    if (memory[i].seq == seq) return &memory[i];
  }
  return 0;
}

/* ---- answers ---------------------------------------------------------------------------- */

static void nak_begin(uint16_t seq, const char *code) {
  line_begin();
  line_text_P(PSTR("NAK "));
  line_u32(seq);
  line_text_P(PSTR(" "));
  line_text_P(code);
}

static void finish(uint16_t seq) {
  uint8_t length;
  const char *text = line_send(&length);
  if (seq) remember(seq, text, length);
}

void answer_ack_begin(const Command *command) {
  line_begin();
  line_text_P(PSTR("ACK "));
  line_u32(command->seq);
}

void answer_end(const Command *command) { finish(command->seq); }

void answer_refuse(const Command *command, const char *code, const char *msg) {
  nak_begin(command->seq, code);
  line_field_quoted_P(PSTR("msg"), msg);
  finish(command->seq);
}

void answer_refuse_about(const Command *command, const char *code, const char *id, const char *msg, uint32_t figure, const char *unit) {
  nak_begin(command->seq, code);
  line_text_P(PSTR(" msg=\""));
  line_text_P(id);
  line_text_P(msg);
  if (figure) line_u32(figure);
  if (unit) line_text_P(unit);
  line_text_P(PSTR("\""));
  finish(command->seq);
}

/* Answers to lines without a trustworthy number: not remembered, since there is no number. */
static void nak_wire(uint16_t seq, const char *code) {
  nak_begin(seq, code);
  finish(0);
}

/* ---- parsing ------------------------------------------------------------------------------ */

/* A sequence number: 1 to 5 digits, at most 65535. -1 if `text` is not one. */
static int32_t parse_seq(const char *text, uint8_t length) {
  if (length == 0 || length > 5) return -1;
  int32_t n = 0;
  for (uint8_t i = 0; i < length; i++) {
    if (text[i] < '0' || text[i] > '9') return -1;
    n = n * 10 + (text[i] - '0');
  }
  return n <= 65535 ? n : -1;
}

/* The number a damaged line starts with, so the host can re-send just that command; 0 if none. */
static uint16_t salvage_seq(const char *text, uint16_t length) {
  const char *space = (const char *)memchr(text, ' ', length);
  if (!space || space == text) return 0;
  int32_t seq = parse_seq(text, space - text);
  return seq > 0 ? seq : 0;
}

static bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); }

/* Length, characters and CRC. Returns where the body ends (the final '*'), or -1. */
static int16_t check_frame(const char *text, uint16_t length) {
  if (length < 6 || text[length - 5] != '*') return -1;
  uint16_t star = length - 5;
  uint16_t crc = 0xFFFF;
  for (uint16_t i = 0; i < star; i++) {
    if (text[i] < 0x20 || text[i] > 0x7e) return -1;
    crc = _crc_xmodem_update(crc, (uint8_t)text[i]);
  }
  uint16_t sum = 0;
  for (uint16_t i = star + 1; i < length; i++) {
    if (!is_hex(text[i])) return -1;
    sum = (sum << 4) | (text[i] <= '9' ? text[i] - '0' : text[i] - 'A' + 10);
  }
  return crc == sum ? (int16_t)star : -1;
}

static bool is_key_char(char c) { return isalnum(c) || c == '_' || c == '.'; }

/*
 * Splits `body` in place: "<seq> <VERB> key=value ..." with single spaces, values bare or
 * quoted (section 3.2). False on anything that does not parse.
 */
static bool parse_command(char *body, Command *command) {
  char *space = strchr(body, ' ');
  if (!space) return false;
  int32_t seq = parse_seq(body, space - body);
  if (seq < 1) return false;
  command->seq = seq;
  char *cursor = space + 1;
  command->verb = cursor;
  while (*cursor >= 'A' && *cursor <= 'Z') cursor++;
  if (cursor == command->verb || (*cursor && *cursor != ' ')) return false;
  command->field_count = 0;
  while (*cursor) {
    *cursor++ = '\0'; /* ends the previous token at its space */
    char *key = cursor;
    while (is_key_char(*cursor)) cursor++;
    if (cursor == key || *cursor != '=') return false;
    *cursor++ = '\0';
    char *value = cursor;
    if (*cursor == '"') {
      /* Unescaped in place: the value is shorter than its quoted form. */
      char *to = ++value;
      cursor++;
      while (*cursor && *cursor != '"') {
        if (*cursor == '\\' && (cursor[1] == '"' || cursor[1] == '\\')) cursor++;
        *to++ = *cursor++;
      }
      if (*cursor != '"') return false;
      *to = '\0';
      cursor++;
      if (*cursor && *cursor != ' ') return false;
    } else {
      while (*cursor && *cursor != ' ' && *cursor != '"') cursor++;
      if (cursor == value || *cursor == '"') return false;
    }
    if (command->field_count < MAX_FIELDS) {
      command->keys[command->field_count] = key;
      command->values[command->field_count] = value;
      command->field_count++;
    }
    if (*cursor == ' ' && cursor[1] == '\0') return false; /* a body never ends with a space */
  }
  return true;
}

const char *command_field(const Command *command, const char *key) {
  for (uint8_t i = 0; i < command->field_count; i++) {
    if (strcmp_P(command->keys[i], key) == 0) return command->values[i];
  }
  return 0;
}

/* ---- the loop ------------------------------------------------------------------------------ */

static void handle_line(uint16_t length, uint32_t now) {
  if (length && line[length - 1] == '\r') length--;
  if (length == 0) return;
  int16_t star = check_frame(line, length);
  if (star < 0) {
    nak_wire(salvage_seq(line, length), PSTR("CRC"));
    return;
  }
  host_alive(now);
  line[star] = '\0';
  Command command;
  if (!parse_command(line, &command)) {
    uint16_t seq = salvage_seq(line, star);
    nak_begin(seq, PSTR("SYNTAX"));
    line_field_quoted_P(PSTR("msg"), PSTR("cannot parse command"));
    finish(seq);
    return;
  }
  if (!command_known(command.verb)) {
    answer_refuse(&command, PSTR("UNKNOWN"), PSTR("unknown verb"));
    return;
  }
  /* HELLO is never replayed: numbering restarts with it, so an old answer under its number
   * would belong to the previous session. */
  if (strcmp_P(command.verb, PSTR("HELLO")) == 0) answers_forget();
  const Remembered *answered = recall(command.seq);
  if (answered && !command_read_only(command.verb)) {
    for (uint8_t i = 0; i < answered->length; i++) serial_write((uint8_t)answered->text[i]);
    return;
  }
  command_run(&command, now);
}

void protocol_poll(uint32_t now) {
  int16_t byte;
  while ((byte = serial_read()) >= 0) {
    if (byte == '\n') {
      uint16_t length = line_length;
      line_length = 0;
      if (discarding) {
        discarding = false;
        nak_wire(0, PSTR("LONG"));
      } else {
        handle_line(length, now);
      }
      return;
    }
    if (discarding) continue;
    /* MAX_LINE counts the LF: a body of MAX_LINE bytes with no LF yet is already too long. */
    if (line_length >= MAX_LINE - 1) {
      discarding = true;
      continue;
    }
    line[line_length++] = (char)byte;
  }
}
