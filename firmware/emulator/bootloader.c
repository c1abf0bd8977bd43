#include <string.h>
#include "bootloader.h"

/* Data addresses of MCUSR and WDTCSR on the ATmega2560. */
#define MCUSR_ADDRESS 0x54
#define WDTCSR_ADDRESS 0x60

static int stk500v2;

int bootloader_choose(const char *name) {
  if (strcmp(name, "stk500v2")) return -1;
  stk500v2 = 1;
  return 0;
}

/*
 * The registers are cleared directly, not through simavr's write hooks. A watchdog timer left
 * running from the reset then finds WDE and WDIE clear when it fires, and does nothing.
 */
void bootloader_run(avr_t *avr) {
  if (!stk500v2) return;
  avr->data[MCUSR_ADDRESS] = 0;
  avr->data[WDTCSR_ADDRESS] = 0;
}
