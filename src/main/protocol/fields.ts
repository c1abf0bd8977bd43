/**
 * `key=value` fields, as specified in docs/protocol.md section 3.2. Values are bare tokens or
 * double-quoted strings with \" and \\ escapes.
 */
export type Fields = Record<string, string>;

const BARE = /^[!#-~]+$/;

export function formatValue(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') return formatNumber(value);
  if (value.length > 0 && BARE.test(value)) return value;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Numbers go on the wire without exponents and with at most three decimals. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`cannot send ${n} on the wire`);
  if (Number.isInteger(n)) return String(n);
  return String(Math.round(n * 1000) / 1000);
}

export function formatFields(fields: Record<string, string | number | boolean | undefined>): string {
  let out = '';
  for (const key in fields) {
    const value = fields[key];
    if (value === undefined) continue;
    out += ` ${key}=${formatValue(value)}`;
  }
  return out;
}

/**
 * The key in text[start, end). The short keys that come on nearly every line (ch, v, ml, on, up)
 * are returned as constants: a fresh string per key per line is most of what parsing would
 * otherwise allocate.
 */
function keyAt(text: string, start: number, end: number): string {
  const length = end - start;
  const first = text.charCodeAt(start);
  if (length === 1 && first === 118) return 'v';
  if (length === 2) {
    const second = text.charCodeAt(start + 1);
    if (first === 99 && second === 104) return 'ch';
    if (first === 109 && second === 108) return 'ml';
    if (first === 111 && second === 110) return 'on';
    if (first === 117 && second === 112) return 'up';
  }
  return text.slice(start, end);
}

/** Per located field: key start, key end, value start, value end, and 1 if the value holds escapes. */
const STRIDE = 5;

/**
 * The fields of one line, located but not copied out: one scan checks the syntax and records
 * where each key and value lies, and reading a field copies only that value. A telemetry line
 * that a newer one replaces before anyone reads it is then checked in full but never copied.
 * One reader serves line after line; each `locate` replaces what it held.
 *
 * parseFields is this scan followed by `record()`, so a line this reader accepts is exactly a
 * line parseFields accepts.
 */
export class FieldSpans {
  /** The text and range last located, so a caller can keep the line and read it again later. */
  text = '';
  from = 0;
  end = 0;
  private count = 0;
  private spans = new Int32Array(16 * STRIDE);

  /**
   * Locates the fields of `text` between `from` and `end`. False when the text is malformed,
   * for example a token without "=" or an unterminated quote; what was held is gone either way.
   */
  locate(text: string, from: number, end = text.length): boolean {
    this.text = text;
    this.from = from;
    this.end = end;
    this.count = 0;
    if (this.scan(text, from, end)) return true;
    this.count = 0;
    return false;
  }

  private scan(text: string, from: number, end: number): boolean {
    let i = from;
    while (i < end) {
      if (text.charCodeAt(i) !== 32) return false;
      const keyStart = ++i;
      let c = 0;
      while (i < end && (c = text.charCodeAt(i)) !== 61 /* = */) {
        if (c === 32) return false;
        i++;
      }
      if (i === keyStart || i >= end) return false;
      const keyEnd = i++;
      let valueStart = i;
      let valueEnd: number;
      let escaped = 0;
      if (i < end && text.charCodeAt(i) === 34 /* " */) {
        valueStart = ++i;
        for (;;) {
          if (i >= end) return false;
          c = text.charCodeAt(i);
          if (c === 34) break;
          if (c === 92 /* \ */) {
            if (i + 1 >= end) return false;
            escaped = 1;
            i++;
          }
          i++;
        }
        valueEnd = i++;
      } else {
        while (i < end && text.charCodeAt(i) !== 32) i++;
        if (i === valueStart) return false;
        valueEnd = i;
      }
      this.add(keyStart, keyEnd, valueStart, valueEnd, escaped);
    }
    return true;
  }

  /** A field's value as parseFields gives it; undefined when the line has no such key. */
  get(key: string): string | undefined {
    const at = this.find(key);
    return at < 0 ? undefined : this.valueAt(at);
  }

  /** Whether the field holds exactly `value`, without copying it out. */
  is(key: string, value: string): boolean {
    const at = this.find(key);
    if (at < 0) return false;
    if (this.spans[at + 4]) return this.valueAt(at) === value;
    const start = this.spans[at + 2]!;
    return this.spans[at + 3]! - start === value.length && this.text.startsWith(value, start);
  }

  /** A field as a number, read in place: exactly what num() gives for the parsed field. */
  number(key: string): number {
    const at = this.find(key);
    if (at < 0) return NaN;
    if (this.spans[at + 4]) {
      const value = this.valueAt(at);
      return readDecimal(value, 0, value.length);
    }
    return readDecimal(this.text, this.spans[at + 2]!, this.spans[at + 3]!);
  }

  /** The fields as a record, as parseFields returns them. */
  record(): Fields {
    const fields: Fields = {};
    const spans = this.spans;
    for (let at = 0; at < this.count * STRIDE; at += STRIDE) fields[keyAt(this.text, spans[at]!, spans[at + 1]!)] = this.valueAt(at);
    return fields;
  }

  /** Where the field named `key` is held: the last one if the key repeats, as a record keeps the last write. -1 if none. */
  private find(key: string): number {
    const spans = this.spans;
    for (let at = (this.count - 1) * STRIDE; at >= 0; at -= STRIDE) {
      const start = spans[at]!;
      if (spans[at + 1]! - start === key.length && this.text.startsWith(key, start)) return at;
    }
    return -1;
  }

  private valueAt(at: number): string {
    const start = this.spans[at + 2]!;
    const end = this.spans[at + 3]!;
    return this.spans[at + 4] ? unescape(this.text, start, end) : this.text.slice(start, end);
  }

  private add(keyStart: number, keyEnd: number, valueStart: number, valueEnd: number, escaped: number): void {
    let at = this.count * STRIDE;
    if (at + STRIDE > this.spans.length) {
      const grown = new Int32Array(this.spans.length * 2);
      grown.set(this.spans);
      this.spans = grown;
    }
    const spans = this.spans;
    spans[at++] = keyStart;
    spans[at++] = keyEnd;
    spans[at++] = valueStart;
    spans[at++] = valueEnd;
    spans[at] = escaped;
    this.count++;
  }
}

/** A quoted value without its escapes: \" is a quote and \\ a backslash. */
function unescape(text: string, start: number, end: number): string {
  let value = '';
  for (let i = start; i < end; i++) value += text[text.charCodeAt(i) === 92 ? ++i : i];
  return value;
}

/** The reader behind parseFields; each call is done with it before returning. */
const scratch = new FieldSpans();

/**
 * Parses the fields of `text` between `from` and `end`. Returns null when the text is malformed,
 * for example a token without "=" or an unterminated quote.
 */
export function parseFields(text: string, from: number, end = text.length): Fields | null {
  return scratch.locate(text, from, end) ? scratch.record() : null;
}

/**
 * The number in text[start, end); NaN when empty or not a number. Plain decimals, which is all
 * a device sends, are read by hand, several times faster than Number() on short strings: this
 * runs for every event line. The result is exactly Number()'s: digits/10^k is one correctly
 * rounded division while both fit a double exactly; anything else goes to Number().
 */
export function readDecimal(text: string, start: number, end: number): number {
  if (start >= end) return NaN;
  const negative = text.charCodeAt(start) === 45;
  let i = negative ? start + 1 : start;
  let digits = 0;
  let scale = 1;
  let seenDigit = false;
  let seenPoint = false;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 && !seenPoint) {
      seenPoint = true;
      continue;
    }
    if (c < 48 || c > 57) return Number(text.slice(start, end));
    digits = digits * 10 + (c - 48);
    seenDigit = true;
    if (seenPoint) scale *= 10;
  }
  if (!seenDigit || digits > Number.MAX_SAFE_INTEGER || scale > 1e22) return Number(text.slice(start, end));
  const value = digits / scale;
  return negative ? -value : value;
}
