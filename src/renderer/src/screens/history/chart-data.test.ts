import { describe, expect, it } from 'vitest';
import { chartColumns, describeHistory, summarise } from './chart-data';
import { channelScale, convertPoints } from './channel-scale';

describe('chart columns', () => {
  it('gives uPlot seconds and values', () => {
    expect(chartColumns([[1_000, 6], [2_000, 6.1], [3_000, 6.2]])).toEqual([[1, 2, 3], [6, 6.1, 6.2]]);
  });

  it('breaks the line where the station has no samples', () => {
    const points: Array<[number, number]> = [[0, 1], [1_000, 2], [2_000, 3], [60_000, 4], [61_000, 5]];
    expect(chartColumns(points)).toEqual([[0, 1, 2, 31, 60, 61], [1, 2, 3, null, 4, 5]]);
  });

  it('copes with no points and one point', () => {
    expect(chartColumns([])).toEqual([[], []]);
    expect(chartColumns([[5_000, 1]])).toEqual([[5], [1]]);
  });
});

describe('summary', () => {
  it('finds the range and the latest reading', () => {
    expect(summarise([[1, 6.2], [2, 5.9], [3, 6.0]])).toEqual({ count: 3, min: 5.9, max: 6.2, latest: 6.0, latestAt: 3 });
    expect(summarise([])).toBeNull();
  });

  it('describes the chart in words', () => {
    const format = (value: number) => value.toFixed(2);
    expect(describeHistory('pH', '24 h', summarise([[1, 6.2], [2, 5.9]]), format, 'pH')).toBe('pH, last 24 h: 2 readings from 5.90 to 6.20 pH; latest 5.90 pH.');
    expect(describeHistory('EC', '1 h', null, format, 'mS/cm')).toBe('EC, last 1 h: no readings in this window.');
  });
});

describe('channel scale', () => {
  const temp = { id: 'temp1', kind: 'temp', name: 'Water temperature', unit: 'C' } as const;
  const level = { id: 'level1', kind: 'level', name: 'Tank level' } as const;

  it('shows °C and litres as the station keeps them in metric', () => {
    const scale = channelScale(temp, 'metric');
    expect(scale.unit).toBe('°C');
    const points: Array<[number, number]> = [[1, 20]];
    expect(convertPoints(points, scale.convert)).toBe(points);
  });

  it('converts to °F and gallons for US units', () => {
    const fahrenheit = channelScale(temp, 'us');
    expect(fahrenheit.unit).toBe('°F');
    expect(convertPoints([[1, 20]], fahrenheit.convert)).toEqual([[1, 68]]);
    const gallons = channelScale(level, 'us');
    expect(gallons.unit).toBe('gal');
    expect(convertPoints([[1, 37.85411784]], gallons.convert)[0]![1]).toBeCloseTo(10, 6);
  });

  it('charts a flow meter by its pulse rate', () => {
    expect(channelScale({ id: 'flow1', kind: 'flow', name: 'Fill line' }, 'us').unit).toBe('pulses/s');
  });
});
