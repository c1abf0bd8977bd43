/*
 * The controller's own housekeeping: why it booted, the AVR's hardware watchdog, the host
 * watchdog (protocol section 8), the heartbeat and the alarm STATE reports.
 */
#ifndef TENDRIL_SYSTEM_H
#define TENDRIL_SYSTEM_H

#include <stdint.h>

void system_init(void);
void system_report_boot(void);
/* Proves the main loop is alive to the hardware watchdog. Called once per pass, nowhere else. */
void system_loop_alive(void);

/* The host's session (protocol section 5): closed at boot and when the host watchdog trips,
 * opened by HELLO. Nothing is switched on outside one. */
void session_start(void);
bool session_open(void);

/* Any host line with a valid checksum: the host is alive. */
void host_alive(uint32_t now);
/* True once, when the host has been silent for HOST_WATCHDOG_MS since its last line. */
bool host_watchdog_expired(uint32_t now);
void host_watchdog_report(void);

void heartbeat_report(uint32_t now);

/* The latest alarm since HELLO or RESET (a flash string), or "none". ESTOP while latched. */
const char *alarm_current(void);
void alarm_set(const char *code);
void alarm_clear(void);

#endif
