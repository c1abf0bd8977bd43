import { describe, expect, it } from 'vitest';
import { bandLegend, chartColumns, chartSpan, describeBand, describeHistory, followLive, hoverWords, summarise, timeTicks, valueRange } from './chart-data';
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

describe('following live readings', () => {
  const T = Date.UTC(2026, 4, 1, 12);

  it('adds at most one point a second, however fast readings come', () => {
    let points: ReadonlyArray<[number, number]> = [[T, 6]];
    const appended: number[] = [];
    // Ten readings a second for three seconds.
    for (let ms = 100; ms <= 3000; ms += 100) {
      const next = followLive(points, { at: T + ms, value: 6 + ms / 10_000 }, T - 3_600_000);
      if (next !== points) appended.push(ms);
      points = next;
    }
    expect(appended).toEqual([1000, 2000, 3000]);
    expect(points.map(([at]) => at - T)).toEqual([0, 1000, 2000, 3000]);
  });

  it('lets the oldest points slide out of the window as new ones come', () => {
    const points: Array<[number, number]> = [[T, 1], [T + 1000, 2], [T + 2000, 3]];
    expect(followLive(points, { at: T + 3000, value: 4 }, T + 1500)).toEqual([[T + 2000, 3], [T + 3000, 4]]);
  });

  it('ignores a reading that is no number, and starts from nothing on a fresh channel', () => {
    const points: Array<[number, number]> = [[T, 1]];
    expect(followLive(points, { at: T + 5000, value: NaN }, T)).toBe(points);
    expect(followLive([], { at: T, value: 6.1 }, T - 1000)).toEqual([[T, 6.1]]);
  });
});

describe('chart span', () => {
  const T = Date.UTC(2026, 4, 1, 12);
  const WEEK = 7 * 24 * 3_600_000;

  it('spans the whole window chosen even when the station is a few minutes old', () => {
    const young: Array<[number, number]> = [[T - 300_000, 6.0], [T - 1000, 6.1]];
    expect(chartSpan(WEEK, T, young)).toEqual({ from: T - WEEK, to: T });
    expect(chartSpan(WEEK, T, [])).toEqual({ from: T - WEEK, to: T });
  });

  it('moves on with the live points past the time the history was asked', () => {
    expect(chartSpan(3_600_000, T, [[T + 90_000, 6]])).toEqual({ from: T + 90_000 - 3_600_000, to: T + 90_000 });
  });
});

describe('value axis', () => {
  it('keeps the target band in sight', () => {
    const [low, high] = valueRange([[1, 6.0], [2, 6.1]], { low: 5.5, high: 6.5 })!;
    expect(low).toBeLessThan(5.5);
    expect(high).toBeGreaterThan(6.5);
    expect(valueRange([[1, 20]], { low: null, high: 26 })![1]).toBeGreaterThan(26);
  });

  it('gives a flat line room, and nothing to draw no range', () => {
    const [low, high] = valueRange([[1, 6], [2, 6]], null)!;
    expect(low).toBeLessThan(6);
    expect(high).toBeGreaterThan(6);
    expect(valueRange([], null)).toBeNull();
  });

  it('describes the band in words after the chart', () => {
    const format = (value: number) => value.toFixed(2);
    expect(describeBand({ low: 5.5, high: 6.5 }, format, 'pH')).toBe(" Shaded: 5.50–6.50 pH, the reading alarm's limits.");
    expect(describeBand({ low: 10, high: null }, format, 'L')).toBe(" Shaded: at least 10.00 L, the reading alarm's limit.");
    expect(describeBand(null, format, 'pH')).toBe('');
  });

  it('says in the legend whether the band is an adjustment’s aim or the alarm’s limits', () => {
    const format = (value: number) => value.toFixed(2);
    const adjusted = { low: 5.6, high: 6.0, adjust: { reading: 'pH' as const, target: 5.8, band: 0.2 } };
    expect(bandLegend(adjusted, format, 'pH')).toBe('Shaded: 5.60–6.00 pH, what the last pH adjustment aimed for (5.80 ± 0.20)');
    expect(bandLegend({ low: null, high: 26, }, format, '°C')).toBe("Shaded: at most 26.00 °C, the reading alarm's limit");
    expect(bandLegend(null, format, 'pH')).toBeNull();
  });
});

describe('hover words', () => {
  it('say when, the value in its unit, and what the station did then', () => {
    const format = (value: number) => value.toFixed(2);
    expect(hoverWords('12:03', 6.104, format, 'pH', null)).toBe('12:03 · 6.10 pH');
    expect(hoverWords('12:04', 5.9, format, 'pH', 'Dose 2 mL with pH down')).toBe('12:04 · 5.90 pH · Dose 2 mL with pH down');
    expect(hoverWords('12:05', null, format, 'pH', null)).toBe('12:05 · no reading');
  });
});

describe('flow meter scale', () => {
  const meter = { id: 'flow1', kind: 'flow', name: 'Fill line' } as const;

  it('charts a calibrated meter as litres or gallons a minute', () => {
    // 7.5 pulses a second at 450 pulses a litre is one litre a minute.
    const metric = channelScale(meter, 'metric', 450);
    expect(metric.unit).toBe('L/min');
    expect(convertPoints([[1, 7.5]], metric.convert)).toEqual([[1, 1]]);
    const us = channelScale(meter, 'us', 450);
    expect(us.unit).toBe('gal/min');
    expect(us.convert(7.5 * 3.785411784)).toBeCloseTo(1, 9);
    expect(us.format(0.2642)).toBe('0.26');
  });

  it('stays in pulses a second until the meter is calibrated, rather than guess litres', () => {
    expect(channelScale(meter, 'metric', null).unit).toBe('pulses/s');
    expect(channelScale(meter, 'metric', 0).unit).toBe('pulses/s');
  });
});

describe('time axis', () => {
  const evening = Date.UTC(2026, 11, 3, 21) / 1000;
  const splits = [evening, evening + 3 * 3600, evening + 6 * 3600];

  it('writes times and days as the screen\'s language does, the day on the first tick and each new one', () => {
    expect(timeTicks(splits, 'en-GB', 'UTC')).toEqual(['21:00\n3 Dec', '00:00\n4 Dec', '03:00']);
    expect(timeTicks(splits, 'en-US', 'UTC')).toEqual(['09:00 PM\nDec 3', '12:00 AM\nDec 4', '03:00 AM']);
  });
});
