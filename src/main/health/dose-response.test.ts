/** The tank response figure: configured, defaulted, refined by adjustments, and kept in a real file. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Tank } from '../../shared/station';
import { configuredResponse, DEFAULT_RESPONSE, DoseResponses, refineResponse } from './dose-response';

const tank: Tank = { id: 'main', name: 'Main tank', capacityL: 100, channelIds: [] };
let dataDir: string | null = null;
afterEach(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = null;
});

describe('the dose response figure', () => {
  it('comes from the tank settings, else the default', () => {
    expect(configuredResponse(tank, 'ph')).toBe(DEFAULT_RESPONSE.ph);
    expect(configuredResponse({ ...tank, response: { ecPerMlPerL: 0.8 } }, 'ec')).toBe(0.8);
    expect(configuredResponse({ ...tank, response: { ecPerMlPerL: 0.8 } }, 'ph')).toBe(DEFAULT_RESPONSE.ph);
  });

  it('moves toward what an adjustment measured, a little at a time, and stays near the configured figure', () => {
    expect(refineResponse(2, 2, 5)).toBeCloseTo(2.9, 5);
    expect(refineResponse(2, 2, 100)).toBe(6);
    expect(refineResponse(2, 2, 0.01)).toBeCloseTo(1.403, 5);
    let figure = 2;
    for (let i = 0; i < 20; i++) figure = refineResponse(figure, 2, 0.01);
    expect(figure).toBeCloseTo(2 / 3, 5);
    expect(refineResponse(2, 2, Number.NaN)).toBe(2);
    expect(refineResponse(2, 2, -1)).toBe(2);
  });

  it('is kept in dose-response.json and read back after a restart', () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tendril-response-'));
    const first = new DoseResponses(dataDir);
    expect(first.figure(tank, 'ph')).toBe(2);
    expect(first.learn(tank, 'ph', 5, 1000)).toBeCloseTo(2.9, 5);
    expect(JSON.parse(readFileSync(join(dataDir, 'dose-response.json'), 'utf8'))).toEqual({ tanks: { main: { ph: { value: expect.closeTo(2.9, 5), at: 1000 } } } });
    const again = new DoseResponses(dataDir);
    expect(again.figure(tank, 'ph')).toBeCloseTo(2.9, 5);
    expect(again.figure(tank, 'ec')).toBe(DEFAULT_RESPONSE.ec);
  });

  it('starts from the configured figures when the file is damaged, and says so', () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tendril-response-'));
    writeFileSync(join(dataDir, 'dose-response.json'), '{"tanks": ');
    const lines: string[] = [];
    const responses = new DoseResponses(dataDir, (line) => lines.push(line));
    expect(responses.figure(tank, 'ph')).toBe(2);
    expect(lines).toEqual([expect.stringMatching(/cannot be read .*starting from the configured figures/)]);
  });
});
