import { describe, expect, it } from 'vitest';
import type { StationChange } from '../../shared/events';
import { TelemetryCoalescer } from './telemetry';

const reading = (sensorId: string, value: number): StationChange => ({ type: 'ecph_reading', sensorId, value, at: 0 });
const dose = (ml: number, done = false): StationChange => ({ type: 'pump_progress', pumpId: 'nut_a', ml, targetMl: 5, done, why: done ? 'complete' : null });

describe('TelemetryCoalescer', () => {
  it('keeps the latest value per channel until flushed', () => {
    const out: StationChange[] = [];
    const coalescer = new TelemetryCoalescer((e) => out.push(e));
    coalescer.push(reading('ec1', 1));
    coalescer.push(reading('ph1', 6));
    coalescer.push(reading('ec1', 2));
    expect(out).toEqual([]);
    coalescer.flush();
    expect(out).toEqual([reading('ec1', 2), reading('ph1', 6)]);
  });

  it('passes discrete events at once, after the held telemetry of their own channel', () => {
    const out: StationChange[] = [];
    const coalescer = new TelemetryCoalescer((e) => out.push(e));
    coalescer.push(reading('ec1', 1));
    coalescer.push(dose(4));
    coalescer.push(dose(5, true));
    expect(out).toEqual([dose(4), dose(5, true)]);
    coalescer.flush();
    expect(out).toEqual([dose(4), dose(5, true), reading('ec1', 1)]);
  });

  it('flushes by itself once the event loop has caught up', async () => {
    const out: StationChange[] = [];
    const coalescer = new TelemetryCoalescer((e) => out.push(e));
    coalescer.push(reading('ec1', 1));
    await new Promise((resolve) => setImmediate(resolve));
    expect(out).toEqual([reading('ec1', 1)]);
  });
});
