/**
 * The state hash: how a screen proves its copy of the state is the station's. The LAN publishes
 * it with every snapshot and every so often on the live feed (docs/lan-api.md, section 5.7).
 *
 * It has to be computed by every client, in any language: a browser on a plain-http LAN page
 * (where crypto.subtle is not offered), a Python script, the station itself. So it is FNV-1a,
 * 32 bits, over the UTF-8 bytes of a canonical JSON: a few lines anywhere, synchronous, and
 * enough to tell two copies apart that drifted by accident. It is not a security measure.
 */

/**
 * JSON with every object's keys sorted (by UTF-16 code units, as Array.prototype.sort does) and
 * no whitespace; strings and numbers as JSON.stringify writes them. A field whose value is
 * undefined is left out, as JSON.stringify leaves it out on the wire. Nothing else is excluded.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a, 32 bits, over the UTF-8 encoding of `text`, as 8 lowercase hex digits. */
export function fnv1a32(text: string): string {
  let hash = FNV_OFFSET;
  const byte = (b: number): void => {
    hash = Math.imul(hash ^ b, FNV_PRIME) >>> 0;
  };
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      byte(code);
      continue;
    }
    if (code >= 0xd800 && code < 0xdc00 && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low < 0xe000) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    // A lone surrogate is encoded as U+FFFD, as TextEncoder and Python's "replace" do.
    if (code >= 0xd800 && code < 0xe000) code = 0xfffd;
    if (code < 0x800) {
      byte(0xc0 | (code >> 6));
    } else if (code < 0x10000) {
      byte(0xe0 | (code >> 12));
      byte(0x80 | ((code >> 6) & 0x3f));
    } else {
      byte(0xf0 | (code >> 18));
      byte(0x80 | ((code >> 12) & 0x3f));
      byte(0x80 | ((code >> 6) & 0x3f));
    }
    byte(0x80 | (code & 0x3f));
  }
  return hash.toString(16).padStart(8, '0');
}

/** The hash of a state (or of any JSON value): FNV-1a 32 of its canonical JSON. */
export function stateHash(value: unknown): string {
  return fnv1a32(canonicalJson(value));
}

/** The live feed's `state_hash` message: a replica at `seq` of `epoch` must hash to `stateHash`. */
export interface StateHashNote {
  epoch: string;
  seq: number;
  stateHash: string;
}

export const STATE_HASH_EVENT = 'state_hash';
