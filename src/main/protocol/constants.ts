/**
 * The protocol version this host and the simulator speak. 1.2: a device refuses to switch
 * anything on with NOSESSION until the host says HELLO (docs/protocol.md section 5).
 */
export const PROTOCOL_VERSION = '1.2';
export const PROTOCOL_MAJOR = 1;

/** ASCII CAN: the emergency stop. Never part of a line, in either direction. */
export const ESTOP_BYTE = 0x18;

/** Longest line in bytes, LF included. */
export const MAX_LINE_BYTES = 512;

/** Sequence numbers run 1..65535 and wrap to 1; 0 means "not a host number". */
export const MAX_SEQ = 65535;

export function nextSeq(seq: number): number {
  return seq >= MAX_SEQ ? 1 : seq + 1;
}

/** How often each side must say something, and how long the other side waits. */
export const HEARTBEAT_MS = 1000;
export const SILENCE_LIMIT_MS = 3000;
export const DEFAULT_WATCHDOG_MS = 3000;

export type NakCode = 'CRC' | 'LONG' | 'SYNTAX' | 'UNKNOWN' | 'NOSESSION' | 'CHANNEL' | 'RANGE' | 'BUSY' | 'ESTOP';

/** Rejections caused by the wire rather than by the command: the same command may succeed. */
export const RETRYABLE_NAKS: ReadonlySet<string> = new Set(['CRC', 'LONG']);
