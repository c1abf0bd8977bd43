/*
 * The firmware image: the ELF loaded into an emulated ATmega2560, the two addresses the
 * harness takes from its symbol table, and what the bench may do to the running program.
 */
#ifndef TWIN_FIRMWARE_H
#define TWIN_FIRMWARE_H

#include <stddef.h>
#include "sim_avr.h"

/* A running ATmega2560 at 16 MHz with AVCC = AREF = 5 V, or NULL after saying why on stderr. */
avr_t *firmware_load(const char *elf_path);

/* Interrupts off and the PC into avr-libc's `_exit` loop: a hang only the watchdog ends. */
int firmware_hang(avr_t *avr, char *error, size_t size);
/* The PC into the same loop with interrupts left on, as a main loop stuck in a bug of its own:
 * the interrupts still run, the watchdog's among them. */
int firmware_stall(avr_t *avr, char *error, size_t size);

/* The deepest the stack has reached since reset, in bytes: the firmware paints the free RAM
 * from the end of its data up to the stack with 0xC5 at boot, and the stack wipes the paint. */
int firmware_stack_depth(avr_t *avr, unsigned *bytes, char *error, size_t size);

/* Called before every instruction: notes the main loop's passes (entry to sleep) and periods. */
void firmware_watch_loop(avr_t *avr);

/* Forgets the timing so far: a reset starts the count again. */
void firmware_loop_forget(void);

/* `loop passes <n> busy <typical> <worst> period <typical> <worst>` in emulated µs since the
 * last call or reset (typical: the median), then starts again. */
int firmware_loop_timing(char *text, size_t size);

#endif
