#include <Arduino.h>
#include <util/crc16.h>
#include "report.h"
#include "serial.h"

static char out[OUT_LINE_MAX];
static uint8_t out_len;

static void put(char c) {
  /* Room is kept for "*XXXX\n"; config.h's names are short enough never to reach it. */
  if (out_len < OUT_LINE_MAX - 6) out[out_len++] = c;
}

void line_begin(void) { out_len = 0; }

void line_text(const char *text) {
  while (*text) put(*text++);
}

void line_text_P(const char *text) {
  char c;
  while ((c = pgm_read_byte(text++))) put(c);
}

void line_u32(uint32_t value) {
  char digits[10];
  uint8_t n = 0;
  do {
    digits[n++] = '0' + value % 10;
    value /= 10;
  } while (value);
  while (n) put(digits[--n]);
}

static void key(const char *name) {
  put(' ');
  line_text_P(name);
  put('=');
}

void line_field_u32(const char *name, uint32_t value) {
  key(name);
  line_u32(value);
}

void line_field_text(const char *name, const char *value) {
  key(name);
  line_text(value);
}

void line_field_text_P(const char *name, const char *value) {
  key(name);
  line_text_P(value);
}

/* Names are plain words in config.h; a quote or backslash in one is escaped all the same. */
void line_field_quoted_P(const char *name, const char *value) {
  key(name);
  put('"');
  char c;
  while ((c = pgm_read_byte(value++))) {
    if (c == '"' || c == '\\') put('\\');
    put(c);
  }
  put('"');
}

/* avr-libc's printf has no %f unless linked with the big library; readings need only this. */
void line_field_fixed(const char *name, float value, uint8_t decimals) {
  key(name);
  uint32_t scale = 1;
  for (uint8_t i = 0; i < decimals; i++) scale *= 10;
  bool negative = value < 0;
  uint32_t scaled = (uint32_t)((negative ? -value : value) * scale + 0.5f);
  if (negative && scaled) put('-');
  line_u32(scaled / scale);
  if (!decimals) return;
  put('.');
  uint32_t fraction = scaled % scale;
  for (uint32_t digit = scale / 10; digit; digit /= 10) {
    put('0' + (fraction / digit) % 10);
  }
}

void event_begin(const char *name) {
  line_begin();
  line_text_P(PSTR("EVT "));
  line_text_P(name);
}

const char *line_send(uint8_t *length) {
  /* CRC-16/CCITT-FALSE is avr-libc's XMODEM update started from 0xFFFF. */
  uint16_t crc = 0xFFFF;
  for (uint8_t i = 0; i < out_len; i++) crc = _crc_xmodem_update(crc, (uint8_t)out[i]);
  out[out_len++] = '*';
  for (int8_t shift = 12; shift >= 0; shift -= 4) {
    uint8_t nibble = (crc >> shift) & 0x0f;
    out[out_len++] = nibble < 10 ? '0' + nibble : 'A' + nibble - 10;
  }
  out[out_len++] = '\n';
  for (uint8_t i = 0; i < out_len; i++) serial_write((uint8_t)out[i]);
  if (length) *length = out_len;
  return out;
}
