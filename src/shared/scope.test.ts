/** Which changes are telemetry: the one answer the link's coalescer and every screen's feed use. */
import { describe, expect, it } from 'vitest';
import type { StationChange } from './events';
import { isTelemetry, telemetryKey, telemetryKeysOf } from './scope';

const reading: StationChange = { type: 'ecph_reading', sensorId: 'ph1', value: 6.1, at: 1 };
const flow: StationChange = { type: 'flow_update', meterId: 'flow1', pulses: 40, rate: 2 };
const dosing: StationChange = { type: 'pump_progress', pumpId: 'nut_a', ml: 2, targetMl: 5, done: false, why: null };
const dosed: StationChange = { ...dosing, ml: 5, done: true, why: 'complete' };
const filling: StationChange = { type: 'fill_progress', valveId: 'fill', pulses: 10, targetPulses: 400, done: false, why: null };
const filled: StationChange = { ...filling, pulses: 400, done: true, why: 'complete' };
const relay: StationChange = { type: 'relay_update', relayId: 'mixer', on: true, why: 'cmd' };

describe('isTelemetry', () => {
  it('is readings, flow counts and progress short of the end; never the end of a dose or fill, nor a relay', () => {
    expect([reading, flow, dosing, filling].map(isTelemetry)).toEqual([true, true, true, true]);
    expect([dosed, filled, relay].map(isTelemetry)).toEqual([false, false, false]);
  });
});

describe('telemetryKey', () => {
  it('keys telemetry by its channel, so a newer one replaces an older one, and discrete changes not at all', () => {
    expect(telemetryKey(reading)).toBe(telemetryKey({ ...reading, value: 6.3, at: 2 }));
    expect(telemetryKey(dosing)).not.toBe(telemetryKey(filling));
    expect(telemetryKey(dosed)).toBeNull();
    expect(telemetryKey(relay)).toBeNull();
  });

  it("lists every key one channel's telemetry can have", () => {
    for (const change of [reading, flow, dosing, filling]) {
      const channel = { ecph_reading: 'ph1', flow_update: 'flow1', pump_progress: 'nut_a', fill_progress: 'fill' }[change.type as string]!;
      expect(telemetryKeysOf(channel)).toContain(telemetryKey(change));
    }
  });
});
