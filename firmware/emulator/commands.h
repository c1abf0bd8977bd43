/*
 * The bench's commands, one a line on stdin, each answered on stdout, in order, with
 * `ok <command...>` or `error: <text>` (README.md lists them).
 */
#ifndef TWIN_COMMANDS_H
#define TWIN_COMMANDS_H

#include "sim_avr.h"

enum commands_status { COMMANDS_MORE, COMMANDS_QUIT, COMMANDS_EOF };

/* Reads what stdin has and runs every complete line. */
enum commands_status commands_read(avr_t *avr, int fd);

#endif
