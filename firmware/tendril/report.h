/*
 * Building the lines the controller sends: a body assembled field by field, then the CRC-16
 * and LF appended and the whole line queued for the host (protocol sections 3, 6 and 7).
 * One line is built at a time; keys and fixed texts live in flash (PSTR).
 */
#ifndef TENDRIL_REPORT_H
#define TENDRIL_REPORT_H

#include <stdint.h>
#include <avr/pgmspace.h>

/* The longest line this firmware builds, body and checksum and LF. */
#define OUT_LINE_MAX 128

void line_begin(void);
void line_text(const char *text);
void line_text_P(const char *text);
void line_u32(uint32_t value);
/* " key=value" forms. Keys are always flash strings. */
void line_field_u32(const char *key, uint32_t value);
void line_field_text(const char *key, const char *value);
void line_field_text_P(const char *key, const char *value);
void line_field_quoted_P(const char *key, const char *value);
void line_field_fixed(const char *key, float value, uint8_t decimals);
/* Appends the checksum and LF and queues the line. Returns the framed line (valid until the
 * next line_begin) and its length, for the answer memory. */
const char *line_send(uint8_t *length);

/* An event line up to its name: "EVT <name>". */
void event_begin(const char *name);
#define event_send() line_send(0)

#endif
