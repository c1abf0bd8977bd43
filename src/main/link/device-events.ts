import type { Fields } from '../protocol';

/** NaN when missing or not a number. (Local: this runs for every event line.) */
function num(fields: Fields, key: string): number {
  const v = fields[key];
  return v === undefined || v === '' ? NaN : Number(v);
}
import type { StationEvent } from '../../shared/station-events';

/**
 * Translates one `EVT` line into a station event. Returns null for events that change no state
 * (`hb`, `boot`, handled by the link itself) and undefined for names this version does not know.
 */
export function stationEventFromDevice(name: string, fields: Fields, now: number): StationEvent | null | undefined {
  const channel = fields.ch ?? '';
  switch (name) {
    case 'read': {
      const value = num(fields, 'v');
      return channel && Number.isFinite(value) ? { type: 'reading', channel, value, at: now } : null;
    }
    case 'relay':
      return channel ? { type: 'relay', channel, on: fields.on === '1', why: fields.why ?? 'cmd' } : null;
    case 'dose':
      return channel
        ? { type: 'dose', channel, ml: num(fields, 'ml') || 0, target: num(fields, 'target') || 0, done: fields.done === '1', why: fields.why ?? null }
        : null;
    case 'fill':
      return channel
        ? { type: 'fill', channel, pulses: num(fields, 'pulses') || 0, target: num(fields, 'target') || 0, done: fields.done === '1', why: fields.why ?? null }
        : null;
    case 'flow':
      return channel ? { type: 'flow', channel, pulses: num(fields, 'pulses') || 0, rate: num(fields, 'rate') || 0 } : null;
    case 'estop':
      return { type: 'estop', latched: fields.latched === '1', source: fields.src ?? null };
    case 'alarm':
      return { type: 'alarm', code: fields.code ?? 'UNKNOWN', message: fields.msg ?? '', at: now };
    case 'hb':
    case 'boot':
      return null;
    default:
      return undefined;
  }
}
