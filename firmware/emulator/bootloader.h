/*
 * What the bootloader in a Mega's flash does before the firmware starts, when the harness is
 * asked to play it (`--bootloader stk500v2`). The stock one, stk500v2, reads MCUSR for itself,
 * then clears it and stops the watchdog, so the firmware never sees why the chip reset.
 */
#ifndef TWIN_BOOTLOADER_H
#define TWIN_BOOTLOADER_H

#include "sim_avr.h"

/* 0 for a name the harness knows, else -1. Without a choice, there is no bootloader. */
int bootloader_choose(const char *name);
/* At power-on and after each reset, once the reset's cause has been reported. */
void bootloader_run(avr_t *avr);

#endif
