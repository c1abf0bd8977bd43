/** The arithmetic of pH and EC probe calibration, with plain numbers. */
import { describe, expect, it } from 'vitest';
import { calibratedValue, ecAt25, fitProbe, phBufferAt, probeFitProblem, probeHealth, probePoint, stability } from './probe-calibration';

describe('temperature compensation', () => {
  it('reads the standard pH buffers off their tables, interpolating between rows', () => {
    expect(phBufferAt(7, 25)).toBe(7);
    expect(phBufferAt(7, 20)).toBe(7.02);
    expect(phBufferAt(7, 22.5)).toBe(7.01);
    expect(phBufferAt(4, 15)).toBe(4);
    expect(phBufferAt(10.01, 15)).toBe(10.12);
    // Outside the table, the nearest row; a buffer not in the tables, as labelled; no probe, as labelled.
    expect(phBufferAt(10.01, 60)).toBe(9.83);
    expect(phBufferAt(6.86, 15)).toBe(6.86);
    expect(phBufferAt(7, null)).toBe(7);
  });

  it('brings EC to 25 °C at 2% per °C', () => {
    expect(ecAt25(1.413, 25)).toBe(1.413);
    expect(ecAt25(1.2717, 20)).toBeCloseTo(1.413, 3);
    expect(ecAt25(1.5, null)).toBe(1.5);
  });
});

describe('stability', () => {
  const samples = (values: number[], everyMs = 1000, start = 0) => values.map((value, i) => ({ value, at: start + i * everyMs }));

  it('is stable once watched for 30 s with a deviation under 0.02 pH', () => {
    const noisy = samples(Array.from({ length: 40 }, (_, i) => 7.1 + (i % 2 === 0 ? 0.01 : -0.01)));
    expect(stability('ph', noisy, 39_000)).toMatchObject({ stable: true, mean: 7.1, watchedMs: 30_000 });
    expect(stability('ph', noisy.slice(0, 20), 19_000)).toMatchObject({ stable: false, watchedMs: 19_000 });
  });

  it('is not stable while the probe still drifts after a dip', () => {
    const settling = samples(Array.from({ length: 40 }, (_, i) => 7 + 0.5 * Math.exp(-i / 10)));
    expect(stability('ph', settling, 39_000).stable).toBe(false);
  });

  it('judges EC by 2% of its value', () => {
    expect(stability('ec', samples(Array.from({ length: 35 }, (_, i) => 1.41 + (i % 2) * 0.02)), 34_000).stable).toBe(true);
    expect(stability('ec', samples(Array.from({ length: 35 }, (_, i) => 1.3 + (i % 2) * 0.1)), 34_000).stable).toBe(false);
  });
});

describe('the fit', () => {
  it('draws the line through two pH points and recovers a probe with an offset and a slope error', () => {
    // The probe reads 0.92 × truth + 0.3.
    const points = [probePoint('ph', 4, 0.92 * 4 + 0.3, 25, 0), probePoint('ph', 7, 0.92 * 7 + 0.3, 25, 0)];
    const fit = fitProbe(points)!;
    expect(calibratedValue({ kind: 'ph', ...fit }, 0.92 * 5.8 + 0.3, 25)).toBeCloseTo(5.8, 2);
    expect(probeHealth('ph', fit)).toEqual({ healthy: true, efficiency: 92, words: expect.stringMatching(/healthy: its slope is 92% of ideal/) });
  });

  it('fits three points by least squares', () => {
    const fit = fitProbe([probePoint('ph', 4, 4.1, 25, 0), probePoint('ph', 7, 7.0, 25, 0), probePoint('ph', 10.01, 9.95, 25, 0)])!;
    expect(fit.slope).toBeCloseTo(1.027, 2);
  });

  it('fits one EC point through zero, compensated to 25 °C', () => {
    const point = probePoint('ec', 1.413, 1.2, 20, 0);
    const fit = fitProbe([point])!;
    expect(fit.offset).toBe(0);
    expect(calibratedValue({ kind: 'ec', ...fit }, 1.2, 20)).toBeCloseTo(1.413, 3);
  });

  it('says a tired pH probe may need cleaning or replacing', () => {
    expect(probeHealth('ph', { slope: 1.2, offset: 0 }).words).toMatch(/83\.3% of ideal, outside 90–105%: it may need cleaning or replacing/);
  });

  it('refuses nonsense: too few points, the same solution twice, the same reading in different ones, and a far slope unless confirmed', () => {
    expect(probeFitProblem('ph', [probePoint('ph', 7, 7, 25, 0)])).toMatchObject({ hard: true, message: expect.stringMatching(/at least 2 points/) });
    expect(probeFitProblem('ph', [probePoint('ph', 7, 7, 25, 0), probePoint('ph', 7.2, 7.1, 25, 0)])).toMatchObject({ hard: true, message: expect.stringMatching(/nearly the same value/) });
    expect(probeFitProblem('ph', [probePoint('ph', 4, 7, 25, 0), probePoint('ph', 7, 7, 25, 0)])).toMatchObject({ hard: true, message: expect.stringMatching(/read the same or backwards/) });
    expect(probeFitProblem('ph', [probePoint('ph', 4, 4, 25, 0), probePoint('ph', 7, 5.5, 25, 0)])).toMatchObject({ hard: false, message: expect.stringMatching(/50% of ideal.*confirm: true/) });
    expect(probeFitProblem('ph', [probePoint('ph', 4, 4.3, 25, 0), probePoint('ph', 7, 7.1, 25, 0)])).toBeUndefined();
  });
});
