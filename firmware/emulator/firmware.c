#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "firmware.h"
#include "sim_elf.h"

#define STACK_PAINT 0xC5
/* avr-gcc places data at 0x800000 in the ELF, to keep it apart from flash. */
#define DATA_ADDRESS_MASK 0xFFFF

static uint32_t exit_pc;     /* 0: not found */
static uint16_t end_of_data; /* 0: not found */
static uint32_t loop_pc;     /* 0: not found */

/*
 * The main loop's timing, in whole emulated microseconds: a pass is the work from entering
 * station_loop() to the core going to sleep; the period is entry to entry, sleep included.
 * Histograms rather than samples, so a long run costs no memory; the last bucket holds the rest.
 */
#define LOOP_BUCKETS 20000
#define CYCLES_PER_US 16
/* Asleep is where a pass ends; simavr wakes the core within the same avr_run() call, so the
 * harness looks at the instruction about to run rather than at the state after it. */
#define SLEEP_OPCODE 0x9588
static struct {
  uint32_t busy[LOOP_BUCKETS], period[LOOP_BUCKETS];
  uint64_t passes;
  avr_cycle_count_t entered; /* 0: not inside a pass */
  avr_cycle_count_t last_entry;
  unsigned busy_worst, period_worst;
} loop;

/* Looks up each named symbol; values[i] stays 0 for a name that is not there. */
static int read_symbols(const char *path, const char *const names[], uint64_t values[], int count) {
  if (elf_version(EV_CURRENT) == EV_NONE) return -1;
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
  Elf_Scn *section = NULL;
  while (elf && (section = elf_nextscn(elf, section))) {
    GElf_Shdr header;
    if (!gelf_getshdr(section, &header) || header.sh_type != SHT_SYMTAB) continue;
    Elf_Data *data = elf_getdata(section, NULL);
    size_t symbols = header.sh_entsize ? header.sh_size / header.sh_entsize : 0;
    for (size_t i = 0; data && i < symbols; i++) {
      GElf_Sym symbol;
      if (!gelf_getsym(data, (int)i, &symbol)) continue;
      const char *name = elf_strptr(elf, header.sh_link, symbol.st_name);
      for (int n = 0; name && n < count; n++)
        if (!strcmp(name, names[n])) values[n] = symbol.st_value;
    }
  }
  if (elf) elf_end(elf);
  close(fd);
  return 0;
}

avr_t *firmware_load(const char *elf_path) {
  elf_firmware_t image;
  memset(&image, 0, sizeof image);
  if (access(elf_path, R_OK) != 0 || elf_read_firmware(elf_path, &image) != 0) {
    fprintf(stderr, "tendril-twin: cannot read the firmware ELF %s\n", elf_path);
    return NULL;
  }
  avr_t *avr = avr_make_mcu_by_name("atmega2560");
  if (!avr) {
    fprintf(stderr, "tendril-twin: this simavr has no atmega2560\n");
    return NULL;
  }
  avr_init(avr);
  avr_load_firmware(avr, &image);
  /* After loading: the ELF carries no .mmcu section to say otherwise, and would zero them. */
  avr->frequency = 16000000;
  avr->vcc = avr->avcc = avr->aref = 5000;

  /* __heap_start is only there when something refers to it; _end always is. */
  /* station_loop() by its C++ name: the sketch's loop() calls it once per pass. */
  const char *const names[] = {"_exit", "__heap_start", "_end", "_Z12station_loopv"};
  uint64_t values[4] = {0};
  read_symbols(elf_path, names, values, 4);
  exit_pc = (uint32_t)values[0];
  end_of_data = (uint16_t)((values[1] ? values[1] : values[2]) & DATA_ADDRESS_MASK);
  loop_pc = (uint32_t)values[3];
  if (!exit_pc) fprintf(stderr, "tendril-twin: no _exit in %s; `hang` will refuse\n", elf_path);
  if (!end_of_data) fprintf(stderr, "tendril-twin: no _end in %s; `stack` will refuse\n", elf_path);
  if (!loop_pc) fprintf(stderr, "tendril-twin: no station_loop() in %s; `loop` will refuse\n", elf_path);
  return avr;
}

int firmware_hang(avr_t *avr, char *error, size_t size) {
  if (!exit_pc) {
    snprintf(error, size, "the ELF has no _exit symbol to hang in");
    return -1;
  }
  avr->sreg[S_I] = 0;
  avr->data[R_SREG] &= (uint8_t)~(1u << S_I);
  /* simavr's PC counts bytes, as the ELF's symbol does. */
  avr->pc = exit_pc;
  /* A sleeping core would wait for an interrupt it can no longer take; simavr calls that
   * "done" and stops the clock, and then not even the watchdog would fire. */
  avr->state = cpu_Running;
  return 0;
}

int firmware_stall(avr_t *avr, char *error, size_t size) {
  if (!exit_pc) {
    snprintf(error, size, "the ELF has no _exit symbol to stall in");
    return -1;
  }
  /* Past the `cli` at _exit: the endless jump to itself that follows it. */
  avr->pc = exit_pc + 2;
  avr->state = cpu_Running;
  return 0;
}

int firmware_stack_depth(avr_t *avr, unsigned *bytes, char *error, size_t size) {
  if (!end_of_data) {
    snprintf(error, size, "the ELF has no _end symbol to find the paint from");
    return -1;
  }
  unsigned address = end_of_data;
  while (address <= avr->ramend && avr->data[address] == STACK_PAINT) address++;
  *bytes = avr->ramend + 1u - address;
  return 0;
}

static void loop_count(uint32_t histogram[], unsigned *worst, avr_cycle_count_t cycles) {
  avr_cycle_count_t us = cycles / CYCLES_PER_US;
  unsigned bucket = us < LOOP_BUCKETS ? (unsigned)us : LOOP_BUCKETS - 1;
  histogram[bucket]++;
  if (us > *worst) *worst = us > UINT32_MAX ? UINT32_MAX : (unsigned)us;
}

void firmware_watch_loop(avr_t *avr) {
  if (!loop_pc) return;
  if (avr->pc == loop_pc) {
    if (loop.last_entry) loop_count(loop.period, &loop.period_worst, avr->cycle - loop.last_entry);
    loop.last_entry = loop.entered = avr->cycle;
  } else if (loop.entered && (avr->flash[avr->pc] | avr->flash[avr->pc + 1] << 8) == SLEEP_OPCODE) {
    loop_count(loop.busy, &loop.busy_worst, avr->cycle - loop.entered);
    loop.passes++;
    loop.entered = 0;
  }
}

void firmware_loop_forget(void) { memset(&loop, 0, sizeof loop); }

static unsigned median(const uint32_t histogram[], uint64_t count) {
  uint64_t seen = 0;
  for (unsigned us = 0; us < LOOP_BUCKETS; us++)
    if ((seen += histogram[us]) * 2 >= count) return us;
  return LOOP_BUCKETS - 1;
}

int firmware_loop_timing(char *text, size_t size) {
  if (!loop_pc) {
    snprintf(text, size, "the ELF has no station_loop() to time");
    return -1;
  }
  snprintf(text, size, "loop passes %llu busy %u %u period %u %u", (unsigned long long)loop.passes,
           median(loop.busy, loop.passes), loop.busy_worst, median(loop.period, loop.passes), loop.period_worst);
  memset(&loop, 0, sizeof loop);
  return 0;
}
