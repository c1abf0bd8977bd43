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

/**
 * Parses the fields of `text` between `from` and `end`. Returns null when the text is malformed,
 * for example a token without "=" or an unterminated quote. One scan, no intermediate arrays:
 * this runs for every line the device sends.
 */
export function parseFields(text: string, from: number, end = text.length): Fields | null {
  const fields: Fields = {};
  let i = from;
  while (i < end) {
    if (text.charCodeAt(i) !== 32) return null;
    const keyStart = ++i;
    let c = 0;
    while (i < end && (c = text.charCodeAt(i)) !== 61 /* = */) {
      if (c === 32) return null;
      i++;
    }
    if (i === keyStart || i >= end) return null;
    const key = keyAt(text, keyStart, i);
    i++;
    if (i < end && text.charCodeAt(i) === 34 /* " */) {
      let value = '';
      let closed = false;
      i++;
      while (i < end) {
        c = text.charCodeAt(i);
        if (c === 92 /* \ */) {
          if (i + 1 >= end) return null;
          value += text[i + 1];
          i += 2;
        } else if (c === 34) {
          closed = true;
          i++;
          break;
        } else {
          value += text[i];
          i++;
        }
      }
      if (!closed) return null;
      fields[key] = value;
    } else {
      const valueStart = i;
      while (i < end && text.charCodeAt(i) !== 32) i++;
      if (i === valueStart) return null;
      fields[key] = text.slice(valueStart, i);
    }
  }
  return fields;
}
