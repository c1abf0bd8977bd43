// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF), table-driven: the link checks every line, and
// at full speed that is tens of thousands of lines a second in the ingest benchmark.
/** Exported, with the pair table below, so the line decoder can run the CRC inline. */
export const CRC16_TABLE = new Uint16Array(256);
const TABLE = CRC16_TABLE;
for (let n = 0; n < 256; n++) {
  let crc = n << 8;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  TABLE[n] = crc;
}

/**
 * What the first of two bytes fed together contributes: with a 16-bit register, feeding bytes a
 * and b is crc' = PAIR[x >> 8] ^ TABLE[x & 0xff] where x = crc ^ (a << 8 | b). The two lookups
 * do not wait on each other, so a line takes half as many dependent steps.
 */
export const CRC16_PAIR_TABLE = new Uint16Array(256);
for (let n = 0; n < 256; n++) CRC16_PAIR_TABLE[n] = ((TABLE[n]! << 8) & 0xffff) ^ TABLE[TABLE[n]! >> 8]!;

/** CRC of the characters of `text` from `start` to `end` (exclusive); lines are ASCII. */
export function crc16(text: string, start = 0, end = text.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) {
    crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ text.charCodeAt(i)) & 0xff]!;
  }
  return crc;
}

export function crcHex(body: string): string {
  return crc16(body).toString(16).toUpperCase().padStart(4, '0');
}
