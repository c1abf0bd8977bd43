/*
 * UART0, the USB link to the host: receive and transmit rings filled and drained by
 * interrupts. The receive interrupt picks the emergency stop byte out of the stream before it
 * reaches the ring, and the transmit interrupt sends its echo ahead of anything queued.
 */
#ifndef TENDRIL_SERIAL_H
#define TENDRIL_SERIAL_H

#include <stdint.h>

#define ESTOP_BYTE 0x18

/*
 * `while_waiting` runs whenever a write has to wait for room in the transmit ring, so a long
 * answer never delays a pump's deadline. It must not write to the serial port itself.
 */
void serial_init(uint32_t baud, void (*while_waiting)(void));

/* The next received byte, or -1 if none is waiting. */
int16_t serial_read(void);

/* Queues one byte; waits for room if the ring is full. */
void serial_write(uint8_t byte);

/* Sends the stop byte ahead of everything queued. Safe from any interrupt. */
void serial_send_stop_byte(void);

/* Received bytes lost because the ring was full: the line they belonged to fails its checksum. */
uint16_t serial_overruns(void);

#endif
