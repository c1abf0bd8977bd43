/**
 * docs/lan-api.md is written so a client can follow it to the letter; these hold it to the code:
 * the state hash's vectors are what state-hash.ts computes, the Python client it quotes is
 * docs/examples/lan_client.py as it is and listens to every event type, every command type has a
 * row in section 8, and the bounds it gives for jobs and recipe steps are the schemas' own.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMAND_TYPES, parseCommand } from '../src/shared/commands';
import { STATION_EVENT_TYPES } from '../src/shared/events';
import { canonicalJson, fnv1a32, stateHash } from '../src/shared/state-hash';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lanApi = readFileSync(join(root, 'docs/lan-api.md'), 'utf8');
const pythonClient = readFileSync(join(root, 'docs/examples/lan_client.py'), 'utf8');

/** The body rows of the first table after `heading`, as cells (none of these tables has a `|` in a cell). */
function tableAfter(heading: string): string[][] {
  const from = lanApi.indexOf(heading);
  expect(from, heading).toBeGreaterThanOrEqual(0);
  const table = /\n(\|.*\|)\n\| ---.*\n((?:\|.*\n)+)/.exec(lanApi.slice(from))!;
  return table[2]!
    .trim()
    .split('\n')
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
}

const code = (cell: string) => /^`(.*)`/.exec(cell)?.[1];

describe('the state hash in docs/lan-api.md (5.7)', () => {
  const rows = tableAfter('Check yours\nagainst these:');

  it('gives vectors for the hash alone and for canonical JSON with numbers, escapes and non-ASCII', () => {
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(rows.some(([value]) => value!.includes('1e-7'))).toBe(true);
    expect(rows.some(([value]) => [...value!].some((char) => char.charCodeAt(0) > 0x7f))).toBe(true);
  });

  it.each(rows)('%s', (value, canonical, hash) => {
    const input: unknown = JSON.parse(code(value!)!);
    if (canonical === '') {
      expect(fnv1a32(input as string)).toBe(code(hash!));
    } else {
      expect(canonicalJson(input)).toBe(code(canonical!));
      expect(stateHash(input)).toBe(code(hash!));
    }
  });
});

describe("docs/lan-api.md's Python client (section 14)", () => {
  it('quotes docs/examples/lan_client.py exactly', () => {
    const quoted = /### A Python client\n[\s\S]*?```python\n([\s\S]*?)```\n/.exec(lanApi)?.[1];
    expect(quoted).toBe(pythonClient);
  });

  it('listens to every event type the station sends', () => {
    const listed = /^EVENTS = \[([\s\S]*?)\]/m.exec(pythonClient)![1]!;
    const names = [...listed.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]);
    expect([...names].sort()).toEqual([...STATION_EVENT_TYPES].sort());
  });

  it('has a reducer case for every row of the table in 5.4', () => {
    for (const type of STATION_EVENT_TYPES) {
      if (type === 'fill_progress') continue;
      expect(pythonClient, type).toContain(`t == "${type}"`);
    }
  });
});

describe("docs/lan-api.md's tank followers (section 10)", () => {
  it('says for every event type whether the followers of a tank get it, once each', () => {
    const listed = tableAfter('A phone mounted by one tank can follow only that tank').flatMap(([events]) => [...events!.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!));
    expect([...listed].sort()).toEqual([...STATION_EVENT_TYPES].sort());
  });
});

describe("docs/lan-api.md's commands (section 8)", () => {
  it('has a row in the table for every command type, and no other', () => {
    const listed = tableAfter('A command is an object with an `id`').flatMap(([types]) => [...types!.matchAll(/`([a-z.]+)`/g)].map((m) => m[1]!));
    expect([...listed].sort()).toEqual([...COMMAND_TYPES].sort());
  });

  it('shows the refusal of an unknown type with every type in it, as the station words it', () => {
    const line = /^\{ "id": "x", "type": "launch" \}.*→ INVALID (".*")$/m.exec(lanApi)?.[1];
    const answer = parseCommand({ id: 'x', type: 'launch' });
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(JSON.parse(line!)).toBe(answer.error.message);
    for (const type of COMMAND_TYPES) expect(answer.error.message).toContain(type);
  });
});

/** A value for every field the tables name, inside its bounds. */
const FIELDS: Record<string, unknown> = { pumpId: 'nut_a', tankId: 'veg', relayId: 'air', sensorId: 'ph1', recipeId: 'top-up', ml: 1, liters: 1, toLiters: 1, seconds: 10, target: 1, band: 0.1, min: 5, max: 6, timeoutSeconds: 10 };

interface Bound {
  kind: string;
  field: string;
  /** null: "more than 0". */
  least: number | null;
  most: number;
  fields: string[];
}

/** `field` (0.1 to 10000) and `field` (more than 0, at most 1.5) in a table's rows. */
function bounds(rows: string[][]): Bound[] {
  return rows.flatMap(([kind, fields]) =>
    [...fields!.matchAll(/`(\w+)` \((?:more than 0, at most ([\d.]+)|([\d.]+) to ([\d.]+))/g)].map((m) => ({
      kind: code(kind!)!,
      field: m[1]!,
      least: m[3] === undefined ? null : Number(m[3]),
      most: Number(m[2] ?? m[4]),
      fields: [...fields!.matchAll(/`(\w+)`/g)].map((f) => f[1]!),
    })),
  );
}

function accepts(command: (value: number) => unknown, value: number): boolean {
  const answer = parseCommand(command(value));
  return answer.ok;
}

function checkBound(bound: Bound, command: (value: number) => unknown): void {
  const { least, most } = bound;
  expect(accepts(command, most), `${bound.kind}.${bound.field} = ${most}`).toBe(true);
  expect(accepts(command, most * 1.001), `${bound.kind}.${bound.field} above ${most}`).toBe(false);
  if (least === null) {
    expect(accepts(command, most / 1000), `${bound.kind}.${bound.field} just above 0`).toBe(true);
    expect(accepts(command, 0), `${bound.kind}.${bound.field} = 0`).toBe(false);
  } else {
    expect(accepts(command, least), `${bound.kind}.${bound.field} = ${least}`).toBe(true);
    expect(accepts(command, least * 0.99), `${bound.kind}.${bound.field} below ${least}`).toBe(false);
  }
}

function spec(bound: Bound, value: number): Record<string, unknown> {
  const fields = Object.fromEntries(bound.fields.filter((field) => field in FIELDS).map((field) => [field, FIELDS[field]]));
  // A target inside both closed loops' ranges.
  if (bound.kind === 'adjust-ph') fields['target'] = 6;
  return { kind: bound.kind, ...fields, [bound.field]: value };
}

describe("docs/lan-api.md's bounds", () => {
  const jobBounds = bounds(tableAfter('A job is something the station does over time.'));
  const stepBounds = bounds(tableAfter('holding every pump and valve it uses until it ends.'));

  it('are given for the amounts of every job, the closed loops and the recipe waits', () => {
    expect(jobBounds.map((b) => `${b.kind}.${b.field}`)).toEqual(
      expect.arrayContaining(['dose.ml', 'fill.liters', 'fill-to.toLiters', 'drain.liters', 'drain-to.toLiters', 'mix.seconds', 'adjust-ph.target', 'adjust-ph.band', 'adjust-ec.target', 'adjust-ec.band']),
    );
    expect(stepBounds.map((b) => `${b.kind}.${b.field}`)).toEqual(expect.arrayContaining(['wait.seconds', 'wait-in-band.timeoutSeconds', 'water-change.toLiters']));
  });

  it('of jobs are where job.start draws the line', () => {
    for (const bound of jobBounds) checkBound(bound, (value) => ({ id: 'b', type: 'job.start', job: spec(bound, value) }));
  });

  it('of the amounts in section 8\'s table are where each command draws the line', () => {
    const rows = tableAfter('A command is an object with an `id`');
    const ranges = rows.flatMap(([type, fields]) =>
      [...fields!.matchAll(/`(\w+)`: (?:number, )?at least ([\d.]+), at most ([\d.]+)/g)].map((m) => ({
        type: code(type!)!,
        field: m[1]!,
        least: Number(m[2]),
        most: Number(m[3]),
        fields: [...fields!.matchAll(/`(\w+)`/g)].map((f) => f[1]!),
      })),
    );
    // Every amount a command names has its range written out: pump.dose and the calibrations.
    expect(ranges.map((r) => `${r.type}.${r.field}`)).toEqual(
      expect.arrayContaining(['pump.dose.ml', 'calibration.pump.run.seconds', 'calibration.pump.save.measuredMl', 'calibration.flow.run.liters', 'calibration.flow.save.measuredLiters']),
    );
    for (const range of ranges) {
      const command = (value: number) => ({
        id: 'b',
        type: range.type,
        ...Object.fromEntries(range.fields.filter((field) => field in FIELDS || field === 'jobId').map((field) => [field, field === 'jobId' ? 4 : FIELDS[field]])),
        [range.field]: value,
      });
      checkBound({ kind: range.type, field: range.field, least: range.least, most: range.most, fields: [] }, command);
      // A denormal is no amount: it is refused as below the least, never run as nothing.
      expect(accepts(command, 5e-324), `${range.type}.${range.field} = 5e-324`).toBe(false);
    }
  });

  it('of recipe steps are where recipe.create draws the line', () => {
    for (const bound of stepBounds) {
      checkBound(bound, (value) => ({ id: 'b', type: 'recipe.create', recipe: { id: 'r1', name: 'R', steps: [spec(bound, value)] } }));
    }
  });
});
