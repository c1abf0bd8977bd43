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
  const char *const names[] = {"_exit", "__heap_start", "_end"};
  uint64_t values[3] = {0};
  read_symbols(elf_path, names, values, 3);
  exit_pc = (uint32_t)values[0];
  end_of_data = (uint16_t)((values[1] ? values[1] : values[2]) & DATA_ADDRESS_MASK);
  if (!exit_pc) fprintf(stderr, "tendril-twin: no _exit in %s; `hang` will refuse\n", elf_path);
  if (!end_of_data) fprintf(stderr, "tendril-twin: no _end in %s; `stack` will refuse\n", elf_path);
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
