/**
 * Encoding and decoding of protocol lines (docs/protocol.md sections 3, 5, 6 and 7). Pure: no
 * I/O, no clocks. Both the host link and the simulator use it, so the two cannot drift apart.
 */
import { CRC16_PAIR_TABLE, CRC16_TABLE, crcHex } from './crc16';
import { FieldSpans, formatFields, parseFields, readDecimal, type Fields } from './fields';
import { MAX_LINE_BYTES, MAX_SEQ } from './constants';

// Imports used on every received line are bound once here: TypeScript loaders such as tsx
// compile each imported name into a getter call, which would be paid per line (or per byte).
const CRC_TABLE = CRC16_TABLE;
const CRC_PAIR_TABLE = CRC16_PAIR_TABLE;
const LINE_LIMIT = MAX_LINE_BYTES;
const readFields = parseFields;
const decimal = readDecimal;

export type FieldValues = Record<string, string | number | boolean | undefined>;

/** A complete line, checksum and LF included. */
export function frame(body: string): string {
  return `${body}*${crcHex(body)}\n`;
}

export type HostCommand = { seq: number; verb: string; fields: Fields };

export type DeviceMessage =
  | { type: 'ack'; seq: number; fields: Fields }
  | { type: 'nak'; seq: number; code: string; fields: Fields }
  | { type: 'row'; seq: number; fields: Fields }
  | { type: 'event'; name: string; fields: Fields };

/** The answers to commands: every device message but an event. */
export type DeviceReply = Exclude<DeviceMessage, { type: 'event' }>;

/** Why a line was thrown away. Each reason has its own counter in the link statistics. */
export type BadLineReason = 'checksum' | 'garbage' | 'syntax' | 'overlong';

export type Unframed = { ok: true; body: string } | { ok: false; reason: BadLineReason };

export function commandBody(seq: number, verb: string, fields: FieldValues = {}): string {
  return `${seq} ${verb}${formatFields(fields)}`;
}

export function encodeCommand(seq: number, verb: string, fields: FieldValues = {}): string {
  return frame(commandBody(seq, verb, fields));
}

export const deviceLine = {
  ack: (seq: number, fields: FieldValues = {}) => frame(`ACK ${seq}${formatFields(fields)}`),
  nak: (seq: number, code: string, fields: FieldValues = {}) => frame(`NAK ${seq} ${code}${formatFields(fields)}`),
  row: (seq: number, fields: FieldValues = {}) => frame(`ROW ${seq}${formatFields(fields)}`),
  event: (name: string, fields: FieldValues = {}) => frame(`EVT ${name}${formatFields(fields)}`),
};

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70);
}

const BAD_FRAME: BadLineReason[] = ['overlong', 'garbage', 'checksum'];

/**
 * Checks a received line (without its LF): length, characters and checksum, in one pass since
 * it runs for every received line. Returns where the body ends (the index of the final `*`), or
 * a negative code: -1 over-long, -2 garbage, -3 bad checksum. A trailing CR is allowed, and the
 * checksum is always the last five characters, so a `*` inside a quoted value is fine.
 */
function checkFrame(line: string): number {
  let end = line.length;
  if (end > 0 && line.charCodeAt(end - 1) === 13) end--;
  if (end + 1 > LINE_LIMIT) return -1;
  const star = end - 5;
  if (star < 1 || line.charCodeAt(star) !== 42) return -2;
  let crc = 0xffff;
  let i = 0;
  for (; i + 1 < star; i += 2) {
    const a = line.charCodeAt(i);
    const b = line.charCodeAt(i + 1);
    if (a < 0x20 || a > 0x7e || b < 0x20 || b > 0x7e) return -2;
    const pair = crc ^ ((a << 8) | b);
    crc = CRC_PAIR_TABLE[pair >> 8]! ^ CRC_TABLE[pair & 0xff]!;
  }
  if (i < star) {
    const c = line.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return -2;
    crc = ((crc << 8) & 0xffff) ^ CRC_TABLE[((crc >> 8) ^ c) & 0xff]!;
  }
  let sum = 0;
  for (i = star + 1; i < end; i++) {
    const c = line.charCodeAt(i);
    if (!isHex(c)) return -2;
    sum = (sum << 4) | (c <= 57 ? c - 48 : c - 55);
  }
  return crc === sum ? star : -3;
}

/** Checks a received line and returns its body. */
export function unframe(line: string): Unframed {
  const star = checkFrame(line);
  return star > 0 ? { ok: true, body: line.slice(0, star) } : { ok: false, reason: BAD_FRAME[-star - 1]! };
}

/** Parses a decimal sequence number in text[from, to); -1 unless it is 0..65535 without a sign. */
function parseSeq(text: string, from = 0, to = text.length): number {
  if (to <= from || to - from > 5) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    n = n * 10 + (c - 48);
  }
  return n <= MAX_SEQ ? n : -1;
}

/** Where the token starting at `from` ends: the next space, or `end`. */
function tokenEnd(text: string, from: number, end: number): number {
  const sp = text.indexOf(' ', from);
  return sp === -1 || sp > end ? end : sp;
}

type MessageKind = 'EVT' | 'ACK' | 'ROW' | 'NAK';

/** The frequent event names as constants rather than a new string per line; others sliced. */
function eventName(text: string, start: number, end: number): string {
  const length = end - start;
  if (length === 4) {
    if (text.startsWith('read', start)) return 'read';
    if (text.startsWith('dose', start)) return 'dose';
    if (text.startsWith('flow', start)) return 'flow';
    if (text.startsWith('fill', start)) return 'fill';
  } else if (length === 2 && text.startsWith('hb', start)) return 'hb';
  else if (length === 5 && text.startsWith('relay', start)) return 'relay';
  return text.slice(start, end);
}

function messageKind(text: string): MessageKind | null {
  const a = text.charCodeAt(0);
  const b = text.charCodeAt(1);
  const c = text.charCodeAt(2);
  if (a === 69 && b === 86 && c === 84) return 'EVT';
  if (a === 65 && b === 67 && c === 75) return 'ACK';
  if (a === 82 && b === 79 && c === 87) return 'ROW';
  if (a === 78 && b === 65 && c === 75) return 'NAK';
  return null;
}

/** Where the second word of a device body held in text[0, end) ends; -1 if the body is too short for one. */
function secondWordEnd(text: string, end: number): number {
  if (end < 5 || text.charCodeAt(3) !== 32) return -1;
  const wordEnd = tokenEnd(text, 4, end);
  return wordEnd === 4 ? -1 : wordEnd;
}

/** Parses a device body held in text[0, end). */
function parseDeviceText(text: string, end: number): DeviceMessage | null {
  // The kind is read from its characters: slicing a string per line costs an allocation.
  const kind = messageKind(text);
  const secondEnd = secondWordEnd(text, end);
  if (secondEnd < 0 || kind === null) return null;
  if (kind === 'EVT') {
    const fields = readFields(text, secondEnd, end);
    return fields && { type: 'event', name: eventName(text, 4, secondEnd), fields };
  }
  const seq = parseSeq(text, 4, secondEnd);
  if (seq < 0) return null;
  if (kind === 'ACK' || kind === 'ROW') {
    const fields = readFields(text, secondEnd, end);
    if (!fields) return null;
    return kind === 'ACK' ? { type: 'ack', seq, fields } : { type: 'row', seq, fields };
  }
  if (secondEnd >= end) return null;
  const codeEnd = tokenEnd(text, secondEnd + 1, end);
  if (codeEnd === secondEnd + 1) return null;
  const fields = readFields(text, codeEnd, end);
  return fields && { type: 'nak', seq, code: text.slice(secondEnd + 1, codeEnd), fields };
}

export function parseDeviceBody(body: string): DeviceMessage | null {
  return parseDeviceText(body, body.length);
}

const VERB = /^[A-Z]+$/;

export function parseHostBody(body: string): HostCommand | null {
  const seqEnd = tokenEnd(body, 0, body.length);
  const seq = parseSeq(body, 0, seqEnd);
  if (seq < 1 || seqEnd >= body.length) return null;
  const verbEnd = tokenEnd(body, seqEnd + 1, body.length);
  const verb = body.slice(seqEnd + 1, verbEnd);
  if (!VERB.test(verb)) return null;
  const fields = parseFields(body, verbEnd);
  return fields && { seq, verb, fields };
}

/**
 * The sequence number at the start of a line that failed its checksum, if it looks like one;
 * the device echoes it in `NAK <seq> CRC` so the host can re-send just that command.
 */
export function salvageSeq(line: string): number {
  const sp = line.indexOf(' ');
  if (sp < 1) return 0;
  const seq = parseSeq(line, 0, sp);
  return seq > 0 ? seq : 0;
}

/**
 * Decodes a received line: the message, or why the line was thrown away. (A string rather than
 * a wrapper object, because this runs for every line the device sends.)
 */
export function decodeDeviceLine(line: string): DeviceMessage | BadLineReason {
  const star = checkFrame(line);
  if (star < 0) return BAD_FRAME[-star - 1]!;
  return parseDeviceText(line, star) ?? 'syntax';
}

/**
 * An event line as the link's read path takes it: checked exactly as strictly as
 * decodeDeviceLine checks it, with its fields located but not yet copied out. The link reuses
 * one for every line, so a line must be read (or kept by its text) before the next arrives.
 */
export class DeviceEventLine {
  name = '';
  readonly fields = new FieldSpans();
}

/**
 * decodeDeviceLine for the link's read path: the same checks and the same verdicts, but an event
 * comes back as `event`, refilled, rather than as a new message. Most lines are telemetry that a
 * newer line replaces before anyone reads it, so their fields are better left where they are.
 */
export function readDeviceLine(line: string, event: DeviceEventLine): DeviceReply | DeviceEventLine | BadLineReason {
  const star = checkFrame(line);
  if (star < 0) return BAD_FRAME[-star - 1]!;
  if (messageKind(line) !== 'EVT') return (parseDeviceText(line, star) as DeviceReply | null) ?? 'syntax';
  const nameEnd = secondWordEnd(line, star);
  if (nameEnd < 0 || !event.fields.locate(line, nameEnd, star)) return 'syntax';
  event.name = eventName(line, 4, nameEnd);
  return event;
}

/** A field as a number; NaN when missing or not a number. */
export function num(fields: Fields, key: string): number {
  const text = fields[key];
  return text === undefined ? NaN : decimal(text, 0, text.length);
}
