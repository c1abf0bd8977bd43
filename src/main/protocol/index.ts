export * from './constants';
export * from './codec';
export { crc16, crcHex } from './crc16';
export { parseFields, formatFields, formatNumber, FieldSpans, type Fields } from './fields';
export { StationLineParser, type LineParserEvents } from './line-parser';
