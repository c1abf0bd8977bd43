/**
 * How each tank answers a dose: pH units per mL of pH up or down per litre, and mS/cm per mL of
 * nutrient per litre. A closed loop compares what a dose did with what this figure says it
 * should have done, so a frozen probe is caught after one dose instead of three.
 *
 * The figure starts from the tank's settings (`tanks[].response`) or a default, and each
 * successful adjustment refines it: what that adjustment measured, weighed in a little at a
 * time. The learned figures are kept in `dose-response.json` in the data folder, beside
 * settings.json, so they survive a restart.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Tank } from '../../shared/station';
import { replaceJsonFile } from '../files/json-file';

export type ResponseKind = 'ph' | 'ec';

/**
 * Deliberately on the low side of common concentrates: a figure set too high would flag a
 * healthy probe after a dose, one set too low only makes the check less sharp.
 */
export const DEFAULT_RESPONSE: Record<ResponseKind, number> = { ph: 2, ec: 0.5 };

/** How much one adjustment's measurement moves the learned figure. */
const LEARN_WEIGHT = 0.3;
/**
 * A learned figure stays within this factor of the configured one: a tank with strong
 * buffering one day must not teach the loop to expect little and stop noticing a dead probe.
 */
const MAX_DRIFT = 3;

export interface LearnedResponse {
  value: number;
  at: number;
}

const FILE_SCHEMA = z.object({
  tanks: z.record(z.string(), z.object({ ph: z.object({ value: z.number().positive(), at: z.number() }).optional(), ec: z.object({ value: z.number().positive(), at: z.number() }).optional() })),
});

/** The configured figure (settings, else the default) for a tank. */
export function configuredResponse(tank: Tank, kind: ResponseKind): number {
  const given = kind === 'ph' ? tank.response?.phPerMlPerL : tank.response?.ecPerMlPerL;
  return given ?? DEFAULT_RESPONSE[kind];
}

/** The figure after one more measurement: weighed in, and kept near the configured figure. */
export function refineResponse(current: number, configured: number, measured: number): number {
  if (!(measured > 0) || !Number.isFinite(measured)) return current;
  const blended = current * (1 - LEARN_WEIGHT) + measured * LEARN_WEIGHT;
  return Math.min(configured * MAX_DRIFT, Math.max(configured / MAX_DRIFT, blended));
}

export class DoseResponses {
  private learned: Record<string, Partial<Record<ResponseKind, LearnedResponse>>> = {};
  private readonly file: string | null;

  /** Without a data folder (tests of the live state) the learned figures live in memory. */
  constructor(dataDir: string | null, log: (line: string) => void = () => {}) {
    this.file = dataDir === null ? null : join(dataDir, 'dose-response.json');
    if (!this.file) return;
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return; // nothing learned yet
    }
    try {
      this.learned = FILE_SCHEMA.parse(JSON.parse(text)).tanks;
    } catch (err) {
      log(`dose response: ${this.file} cannot be read (${(err as Error).message}); starting from the configured figures, and it will be rewritten after the next adjustment`);
    }
  }

  /** The figure a loop expects now: learned, else configured, else the default. */
  figure(tank: Tank, kind: ResponseKind): number {
    return this.learned[tank.id]?.[kind]?.value ?? configuredResponse(tank, kind);
  }

  /** Weighs in what a successful adjustment measured; returns the new figure. */
  learn(tank: Tank, kind: ResponseKind, measured: number, at: number): number {
    const value = refineResponse(this.figure(tank, kind), configuredResponse(tank, kind), measured);
    this.learned = { ...this.learned, [tank.id]: { ...this.learned[tank.id], [kind]: { value, at } } };
    if (this.file) replaceJsonFile(this.file, { tanks: this.learned });
    return value;
  }
}
