import type { FieldSpans } from '../protocol';
import type { StationChange } from '../../shared/events';
import { isTelemetry } from '../../shared/scope';

/** What translating a device event needs from the link: the time it arrived, alert numbers. */
export interface DeviceEventContext {
  now: number;
  nextAlertId(): number;
}

/**
 * Translates one `EVT` line into a station change. Returns null for events that change no state
 * (`hb`, `boot`, handled by the link itself) and undefined for names this version does not know.
 * The fields are read in place, so a line that makes no change copies nothing out.
 */
export function stationChangeFromDevice(name: string, fields: FieldSpans, context: DeviceEventContext): StationChange | null | undefined {
  switch (name) {
    case 'read': {
      const channel = fields.get('ch') ?? '';
      const value = fields.number('v');
      return channel && Number.isFinite(value) ? { type: 'ecph_reading', sensorId: channel, value, at: context.now } : null;
    }
    case 'relay': {
      const channel = fields.get('ch') ?? '';
      return channel ? { type: 'relay_update', relayId: channel, on: fields.is('on', '1'), why: fields.get('why') ?? 'cmd' } : null;
    }
    case 'dose': {
      const channel = fields.get('ch') ?? '';
      return channel
        ? {
            type: 'pump_progress',
            pumpId: channel,
            ml: fields.number('ml') || 0,
            targetMl: fields.number('target') || 0,
            done: fields.is('done', '1'),
            why: fields.get('why') ?? null,
          }
        : null;
    }
    case 'fill': {
      const channel = fields.get('ch') ?? '';
      return channel
        ? {
            type: 'fill_progress',
            valveId: channel,
            pulses: fields.number('pulses') || 0,
            targetPulses: fields.number('target') || 0,
            done: fields.is('done', '1'),
            why: fields.get('why') ?? null,
          }
        : null;
    }
    case 'flow': {
      const channel = fields.get('ch') ?? '';
      return channel ? { type: 'flow_update', meterId: channel, pulses: fields.number('pulses') || 0, rate: fields.number('rate') || 0 } : null;
    }
    case 'estop':
      return { type: 'estop_update', latched: fields.is('latched', '1'), source: fields.get('src') ?? null };
    case 'alarm': {
      const code = fields.get('code') ?? 'UNKNOWN';
      return {
        type: 'alert',
        alert: { id: context.nextAlertId(), level: 'error', code, message: fields.get('msg') || `the controller raised alarm ${code}`, at: context.now, source: 'controller' },
      };
    }
    case 'hb':
    case 'boot':
      return null;
    default:
      return undefined;
  }
}

/** The change each event line about one channel makes, when it makes one. */
const CHANGE_OF_LINE: Readonly<Record<string, StationChange['type']>> = {
  read: 'ecph_reading',
  flow: 'flow_update',
  relay: 'relay_update',
  dose: 'pump_progress',
  fill: 'fill_progress',
};

/**
 * The channel of a line whose change the coalescer would hold as telemetry (shared/scope.ts
 * says which changes are), so that it can hold the line instead and translate only the one
 * still latest at the flush. Null for every other line, including those
 * stationChangeFromDevice turns into nothing: those are translated at once. The two must agree
 * on which lines make a change, and for which channel.
 */
export function heldTelemetryChannel(name: string, fields: FieldSpans): string | null {
  const type = CHANGE_OF_LINE[name];
  if (type === undefined || !isTelemetry({ type, done: fields.is('done', '1') })) return null;
  if (name === 'read' && !Number.isFinite(fields.number('v'))) return null;
  return fields.get('ch') || null;
}
