import { describe, expect, it } from 'vitest';
import type { StationChange } from '../../shared/events';
import { TelemetryCoalescer, type TelemetryLine } from './telemetry';

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

  it('translates only the line still latest for its channel, with the time it was read', () => {
    const out: StationChange[] = [];
    const translated: string[] = [];
    // A stand-in translation: the "line" text is the reading's value.
    const translate = (line: TelemetryLine): StationChange => {
      translated.push(line.text);
      return { type: 'ecph_reading', sensorId: line.name, value: Number(line.text.slice(line.from, line.end)), at: line.at };
    };
    const coalescer = new TelemetryCoalescer((e) => out.push(e), translate);
    coalescer.pushLine('ec1', 'ec1', '1.1', 0, 3, 10);
    coalescer.pushLine('ph1', 'ph1', '6.0', 0, 3, 11);
    coalescer.pushLine('ec1', 'ec1', 'x1.2', 1, 4, 12);
    expect(out).toEqual([]);
    coalescer.flush();
    expect(translated).toEqual(['x1.2', '6.0']);
    expect(out).toEqual([
      { type: 'ecph_reading', sensorId: 'ec1', value: 1.2, at: 12 },
      { type: 'ecph_reading', sensorId: 'ph1', value: 6, at: 11 },
    ]);
    coalescer.flush();
    expect(out).toHaveLength(2);
  });

  it('lets a held line and a held change replace each other, latest winning', () => {
    const out: StationChange[] = [];
    const coalescer = new TelemetryCoalescer((e) => out.push(e), (line) => reading('ec1', Number(line.text)));
    coalescer.push(reading('ec1', 1));
    coalescer.pushLine('ec1', 'read', '2', 0, 1, 0);
    coalescer.flush();
    coalescer.pushLine('ec1', 'read', '3', 0, 1, 0);
    coalescer.push(reading('ec1', 4));
    coalescer.flush();
    expect(out).toEqual([reading('ec1', 2), reading('ec1', 4)]);
  });

  it('releases a held line, translated, before a discrete event for its channel', () => {
    const out: StationChange[] = [];
    const coalescer = new TelemetryCoalescer((e) => out.push(e), (line) => dose(Number(line.text)));
    coalescer.pushLine('nut_a', 'dose', '3', 0, 1, 0);
    coalescer.pushLine('nut_a', 'dose', '4', 0, 1, 0);
    coalescer.push(dose(5, true));
    expect(out).toEqual([dose(4), dose(5, true)]);
    coalescer.flush();
    expect(out).toEqual([dose(4), dose(5, true)]);
  });
});
