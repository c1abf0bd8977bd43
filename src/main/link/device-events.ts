import { num as readNumber, type Fields } from '../protocol';
import type { StationChange } from '../../shared/events';

// Bound once: this runs for every event line, and TypeScript loaders compile imported names
// into getters that would be paid on every call.
const num = readNumber;

/** What translating a device event needs from the link: the time it arrived, alert numbers. */
export interface DeviceEventContext {
  now: number;
  nextAlertId(): number;
}

/**
 * Translates one `EVT` line into a station change. Returns null for events that change no state
 * (`hb`, `boot`, handled by the link itself) and undefined for names this version does not know.
 */
export function stationChangeFromDevice(name: string, fields: Fields, context: DeviceEventContext): StationChange | null | undefined {
  const channel = fields.ch ?? '';
  switch (name) {
    case 'read': {
      const value = num(fields, 'v');
      return channel && Number.isFinite(value) ? { type: 'ecph_reading', sensorId: channel, value, at: context.now } : null;
    }
    case 'relay':
      return channel ? { type: 'relay_update', relayId: channel, on: fields.on === '1', why: fields.why ?? 'cmd' } : null;
    case 'dose':
      return channel
        ? { type: 'pump_progress', pumpId: channel, ml: num(fields, 'ml') || 0, targetMl: num(fields, 'target') || 0, done: fields.done === '1', why: fields.why ?? null }
        : null;
    case 'fill':
      return channel
        ? {
            type: 'fill_progress',
            valveId: channel,
            pulses: num(fields, 'pulses') || 0,
            targetPulses: num(fields, 'target') || 0,
            done: fields.done === '1',
            why: fields.why ?? null,
          }
        : null;
    case 'flow':
      return channel ? { type: 'flow_update', meterId: channel, pulses: num(fields, 'pulses') || 0, rate: num(fields, 'rate') || 0 } : null;
    case 'estop':
      return { type: 'estop_update', latched: fields.latched === '1', source: fields.src ?? null };
    case 'alarm': {
      const code = fields.code ?? 'UNKNOWN';
      return {
        type: 'alert',
        alert: { id: context.nextAlertId(), level: 'error', code, message: fields.msg || `the controller raised alarm ${code}`, at: context.now, source: 'controller' },
      };
    }
    case 'hb':
    case 'boot':
      return null;
    default:
      return undefined;
  }
}
