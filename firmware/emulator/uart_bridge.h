/*
 * UART0 on a pty, as the Mega's USB serial port: a host opens the slave path and talks to the
 * firmware. The harness keeps its own fd of the slave open, so a host may close and reopen
 * the port while the master stays usable (no EIO).
 */
#ifndef TWIN_UART_BRIDGE_H
#define TWIN_UART_BRIDGE_H

#include "sim_avr.h"

/* Makes the pty (raw) and wires it to UART0. The master fd to poll, or -1 after saying why. */
int uart_bridge_open(avr_t *avr);
const char *uart_bridge_path(void);
/* The master fd to poll now: -1 while unplugged, and a new one after each replug. */
int uart_bridge_fd(void);
/* poll() events the master needs now: POLLIN while there is room for the host's bytes,
 * POLLOUT while the firmware's bytes wait for the host. */
short uart_bridge_events(void);
/* Moves bytes both ways as far as they go without blocking. */
void uart_bridge_service(void);
/*
 * Wire faults, between UART0 and the pty; each returns 0, or -1 with why in `text`.
 * unplug: closes the pty (the master and the harness's own slave fd) and moves no bytes.
 * replug: opens a fresh pty and reports its `serial <path>` line.
 * silent: drops the bytes both ways but keeps the pty.
 * garbage: `bytes` of noise, then LF, between two of the firmware's lines.
 * corrupt: changes one body byte of each of the firmware's next `lines` lines.
 */
int uart_bridge_unplug(char *text, size_t size);
int uart_bridge_replug(char *text, size_t size);
int uart_bridge_silent(int on, char *text, size_t size);
int uart_bridge_garbage(size_t bytes, char *text, size_t size);
int uart_bridge_corrupt(unsigned lines, char *text, size_t size);
/* The receiver is off after a reset: what the host sent meanwhile is lost, as on the chip. */
void uart_bridge_after_reset(void);

#endif
