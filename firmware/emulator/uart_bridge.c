#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "avr_uart.h"
#include "report.h"
#include "uart_bridge.h"

/* The protocol's emergency stop byte (docs/protocol.md): the bench times the stop from here. */
#define STOP_BYTE 0x18
/* The host's bytes wait here for the receiver; when full, the kernel holds the rest. */
#define FROM_HOST_SIZE 4096
/* The firmware's bytes wait here for the host: about 5 s of output at 115200 baud. When no
 * host reads for that long the newest bytes are lost, as a UART sends into the void. */
#define TO_HOST_SIZE (64 * 1024)
/* The most line noise one `garbage` command makes: it must fit the ring with room to spare. */
#define GARBAGE_MAX (16 * 1024)

struct ring {
  uint8_t *bytes;
  size_t size, head, count;
};

static avr_t *avr;
static avr_uart_t *uart0;
static avr_irq_t *uart_input;
static int master = -1, slave = -1;
static char slave_path[128];
static uint8_t from_host_bytes[FROM_HOST_SIZE], to_host_bytes[TO_HOST_SIZE];
static struct ring from_host = {from_host_bytes, FROM_HOST_SIZE, 0, 0};
static struct ring to_host = {to_host_bytes, TO_HOST_SIZE, 0, 0};

/* Wire faults, between the UART and the pty (README.md: unplug, replug, silent, garbage,
 * corrupt). Unplugged is master < 0. */
static int silent;
static size_t garbage_waiting;
static unsigned corrupt_left;
/* Whether the firmware's next byte starts a line: where noise may go in without splitting one. */
static int at_line_start = 1;
static uint32_t noise_state = 0x2545f491;

static size_t ring_room(const struct ring *ring) { return ring->size - ring->count; }

static void ring_put(struct ring *ring, uint8_t byte) {
  ring->bytes[(ring->head + ring->count) % ring->size] = byte;
  ring->count++;
}

static uint8_t ring_take(struct ring *ring) {
  uint8_t byte = ring->bytes[ring->head];
  ring->head = (ring->head + 1) % ring->size;
  ring->count--;
  return byte;
}

/* The longest run of waiting bytes that is contiguous in memory. */
static size_t ring_span(const struct ring *ring) {
  size_t to_end = ring->size - ring->head;
  return ring->count < to_end ? ring->count : to_end;
}

static void ring_drop(struct ring *ring, size_t n) {
  ring->head = (ring->head + n) % ring->size;
  ring->count -= n;
}

/* simavr's avr_uart_t is public; its input fifo says whether the last byte has been read. */
static int receiver_holds_a_byte(void) { return uart0->input.read != uart0->input.write; }

/*
 * Hands the host's next byte to UART0 once the firmware has read the last one. One byte in the
 * UART at a time: simavr raises RXC a byte-time (cycles_per_byte) after a byte goes in, so the
 * bytes reach the firmware at the line's pace, and a stop byte's cycle is the cycle it
 * started to arrive, not the cycle it joined a queue of others.
 */
static void feed(void) {
  if (!from_host.count) return;
  if (!avr_regbit_get(avr, uart0->rxen)) {
    fprintf(stderr, "tendril-twin: %zu byte(s) from the host reached UART0 while its receiver was off, and were lost\n", from_host.count);
    ring_drop(&from_host, from_host.count);
    return;
  }
  if (receiver_holds_a_byte()) return;
  uint8_t byte = ring_take(&from_host);
  if (byte == STOP_BYTE) report("stopbyte %" PRIu64, (uint64_t)avr->cycle);
  avr_raise_irq(uart_input, byte);
}

/* simavr raises XON when the receiver's fifo has emptied: the firmware read the last byte, or
 * enabled the receiver. */
static void on_xon(struct avr_irq_t *irq, uint32_t value, void *param) {
  (void)irq, (void)value, (void)param;
  feed();
}

/* Whether bytes cross the wire at all: a cable plugged in, and a device that is not silent. */
static int wire_carries(void) { return master >= 0 && !silent; }

/* xorshift32: the same noise every run, as the simulator's seeded faults. */
static uint8_t noise_byte(void) {
  noise_state ^= noise_state << 13;
  noise_state ^= noise_state >> 17;
  noise_state ^= noise_state << 5;
  return (uint8_t)noise_state;
}

/* Line noise as a line of its own, between two of the firmware's lines. Never LF, which would
 * end it early, nor the stop byte, as the simulator's noise. */
static void put_garbage(void) {
  if (!garbage_waiting || !at_line_start || ring_room(&to_host) <= garbage_waiting) return;
  for (size_t i = 0; i < garbage_waiting; i++) {
    uint8_t byte = noise_byte();
    ring_put(&to_host, byte == '\n' || byte == STOP_BYTE ? 0x7f : byte);
  }
  ring_put(&to_host, '\n');
  garbage_waiting = 0;
}

static void on_firmware_byte(struct avr_irq_t *irq, uint32_t value, void *param) {
  (void)irq, (void)param;
  static int warned;
  uint8_t byte = (uint8_t)value;
  int starts_line = at_line_start;
  at_line_start = byte == '\n';
  if (!wire_carries()) return; /* into the void, as from a UART with nothing on the other end */
  /* A line's first byte is always in its body (docs/protocol.md): changing it to another
   * printable byte spoils the checksum and nothing else. */
  if (starts_line && corrupt_left && byte != '\n' && byte != '\r') {
    byte = byte == 'X' ? 'Y' : 'X';
    corrupt_left--;
  }
  if (ring_room(&to_host)) {
    ring_put(&to_host, byte);
    warned = 0;
  } else if (!warned) {
    warned = 1;
    fprintf(stderr, "tendril-twin: no host has read the serial port for a while; dropping the firmware's output\n");
  }
  put_garbage();
}

static int open_pty(void) {
  master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0 || grantpt(master) || unlockpt(master) || ptsname_r(master, slave_path, sizeof slave_path)) return -1;
  slave = open(slave_path, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0) return -1;
  /* Raw, so the line discipline neither echoes the host's bytes nor rewrites line ends. A host
   * sets its own modes when it opens the port; these hold until then. */
  struct termios tio;
  if (tcgetattr(slave, &tio)) return -1;
  cfmakeraw(&tio);
  cfsetspeed(&tio, B115200);
  if (tcsetattr(slave, TCSANOW, &tio)) return -1;
  return fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
}

int uart_bridge_open(avr_t *the_avr) {
  avr = the_avr;
  for (avr_io_t *io = avr->io_port; io; io = io->next)
    if (!strcmp(io->kind, "uart") && ((avr_uart_t *)io)->name == '0') uart0 = (avr_uart_t *)io;
  if (!uart0) {
    fprintf(stderr, "tendril-twin: this simavr's atmega2560 has no UART0\n");
    return -1;
  }
  if (open_pty()) {
    perror("tendril-twin: making the serial pty");
    return -1;
  }
  /* Off: printing the firmware's lines on the console (stdout is the bench's), and a usleep()
   * each time the firmware polls UCSR0A (the harness paces itself). */
  uint32_t flags = 0;
  avr_ioctl(avr, AVR_IOCTL_UART_SET_FLAGS('0'), &flags);
  uart_input = avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_INPUT);
  avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUTPUT), on_firmware_byte, NULL);
  avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUT_XON), on_xon, NULL);
  return master;
}

const char *uart_bridge_path(void) { return slave_path; }

int uart_bridge_fd(void) { return master; }

short uart_bridge_events(void) { return (short)((ring_room(&from_host) ? POLLIN : 0) | (to_host.count ? POLLOUT : 0)); }

static void close_pty(void) {
  if (master >= 0) close(master);
  if (slave >= 0) close(slave);
  master = slave = -1;
}

int uart_bridge_unplug(char *text, size_t size) {
  (void)text, (void)size;
  close_pty();
  /* What was on its way either side is gone with the cable. */
  ring_drop(&from_host, from_host.count);
  ring_drop(&to_host, to_host.count);
  garbage_waiting = 0;
  return 0;
}

int uart_bridge_replug(char *text, size_t size) {
  if (master >= 0) return snprintf(text, size, "already plugged in"), -1;
  if (open_pty()) {
    snprintf(text, size, "making the serial pty: %s", strerror(errno));
    close_pty();
    return -1;
  }
  report("serial %s", slave_path);
  return 0;
}

int uart_bridge_silent(int on, char *text, size_t size) {
  (void)text, (void)size;
  silent = on;
  if (on) {
    ring_drop(&from_host, from_host.count);
    ring_drop(&to_host, to_host.count);
    garbage_waiting = 0;
  }
  return 0;
}

int uart_bridge_garbage(size_t bytes, char *text, size_t size) {
  if (bytes > GARBAGE_MAX) return snprintf(text, size, "garbage: at most %d bytes at a time", GARBAGE_MAX), -1;
  /* Noise on a wire that carries nothing is heard by no one, as with the simulator. */
  if (!wire_carries()) return 0;
  garbage_waiting += bytes;
  if (garbage_waiting > GARBAGE_MAX) garbage_waiting = GARBAGE_MAX;
  put_garbage();
  return 0;
}

int uart_bridge_corrupt(unsigned lines, char *text, size_t size) {
  (void)text, (void)size;
  corrupt_left += lines;
  return 0;
}

void uart_bridge_service(void) {
  if (master < 0) return;
  while (ring_room(&from_host)) {
    uint8_t chunk[512];
    size_t want = ring_room(&from_host) < sizeof chunk ? ring_room(&from_host) : sizeof chunk;
    ssize_t got = read(master, chunk, want);
    if (got <= 0) break; /* EAGAIN: nothing more for now */
    if (silent) continue; /* a silent device reads nothing */
    for (ssize_t i = 0; i < got; i++) ring_put(&from_host, chunk[i]);
  }
  put_garbage(); /* noise that waited for room, or for the firmware to end a line */
  feed();
  while (to_host.count) {
    ssize_t sent = write(master, to_host.bytes + to_host.head, ring_span(&to_host));
    if (sent <= 0) break; /* EAGAIN: the pty is full until the host reads */
    ring_drop(&to_host, (size_t)sent);
  }
}

void uart_bridge_after_reset(void) { feed(); }
