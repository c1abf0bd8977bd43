/*
 * The line loop (protocol sections 3, 5 and 6): bytes from the receive ring become lines; a
 * line is checked (length, characters, CRC), parsed into a numbered command, looked up in the
 * answer memory, and handed to its command. Every command is answered by number exactly once.
 */
#ifndef TENDRIL_PROTOCOL_H
#define TENDRIL_PROTOCOL_H

#include <stdint.h>

/* The longest line accepted, LF included; advertised in HELLO. */
#define MAX_LINE 512
/* Fields a command may carry; later ones are ignored like unknown fields. */
#define MAX_FIELDS 8

struct Command {
  uint16_t seq;
  const char *verb;
  uint8_t field_count;
  const char *keys[MAX_FIELDS];
  const char *values[MAX_FIELDS];
};

/* Reads what has arrived and handles at most one complete line. */
void protocol_poll(uint32_t now);

/* A command's field by key (a flash string), or 0 when it has none. */
const char *command_field(const Command *command, const char *key);

/* Final answers. An ACK is begun, given fields with report.h's line_field_*, and ended; a
 * refusal is one call. Both are remembered for de-duplication. */
void answer_ack_begin(const Command *command);
void answer_end(const Command *command);
void answer_refuse(const Command *command, const char *code, const char *msg);
/* A refusal whose message names a channel or field, and perhaps a figure: "<id><msg>[<figure><unit>]",
 * e.g. "nut_a doses at most 250 mL". All texts are flash strings; a figure of 0 is left out. */
void answer_refuse_about(const Command *command, const char *code, const char *id, const char *msg, uint32_t figure = 0, const char *unit = 0);

/* Forgets every remembered answer: numbering restarts with each HELLO. */
void answers_forget(void);

/* Implemented in commands.cpp. */
bool command_known(const char *verb);
bool command_actuates(const Command *command);
/* CHANNELS and STATE change nothing, so a repeat may be run again instead of replayed. */
bool command_read_only(const char *verb);
void command_run(const Command *command, uint32_t now);

#endif
