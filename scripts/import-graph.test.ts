/**
 * The main process's subsystems import one way only: no circles, and no arrow from a lower
 * subsystem up to a higher one (the order is LAYERS in import-graph.mjs). A failure names the
 * files and the import lines to change.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, without types
import { checkImports, findCycles, isTestSupport, layerViolations, parseImports } from './import-graph.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

type Edge = { target: string; specifier: string; line: number; typeOnly: boolean };

/** A graph from `file: [targets]`, for the pure checks. */
function graphOf(files: Record<string, string[]>): Map<string, Edge[]> {
  return new Map(Object.entries(files).map(([file, targets]) => [file, targets.map((target, at) => ({ target, specifier: `./${target.split('/').at(-1)}`, line: at + 1, typeOnly: false }))]));
}

describe('the import graph of src/main', () => {
  it('has no import cycle and no arrow from a lower subsystem to a higher one', () => {
    const problems = checkImports(root) as string[];
    expect(problems, `\n${problems.join('\n')}\n`).toEqual([]);
  });
});

describe('reading imports', () => {
  it('reads import, import type, export from, side-effect and dynamic imports, not examples in comments', () => {
    const source = [
      "import { a } from './a';",
      "import type { B } from '../b';",
      "export { c } from './c';",
      "export * from './d';",
      "import './e';",
      ' * import { f } from "./f";',
      "import { readFileSync } from 'node:fs';",
      "const g = await import('./g');",
      'import {',
      '  h,',
      "} from './h';",
    ].join('\n');
    expect(parseImports(source)).toEqual([
      { specifier: './a', typeOnly: false, line: 1 },
      { specifier: '../b', typeOnly: true, line: 2 },
      { specifier: './c', typeOnly: false, line: 3 },
      { specifier: './d', typeOnly: false, line: 4 },
      { specifier: './e', typeOnly: false, line: 5 },
      { specifier: './g', typeOnly: false, line: 8 },
      { specifier: './h', typeOnly: false, line: 9 },
    ]);
  });

  it('leaves tests and test support out', () => {
    expect(isTestSupport('src/main/link/station-link.test.ts')).toBe(true);
    expect(isTestSupport('src/test-support/main/lan-station.ts')).toBe(true);
    expect(isTestSupport('src/main/jobs/testing.ts')).toBe(false);
    expect(isTestSupport('src/main/link/station-link.ts')).toBe(false);
  });
});

describe('the checks', () => {
  it('prints a cycle as the chain of files that closes it', () => {
    const graph = graphOf({
      'src/main/lan/pairing.ts': ['src/main/lan/access/index.ts'],
      'src/main/lan/access/index.ts': ['src/main/lan/access/access-desk.ts'],
      'src/main/lan/access/access-desk.ts': ['src/main/lan/pairing.ts'],
      'src/main/lan/http-server.ts': ['src/main/lan/pairing.ts'],
    });
    expect(findCycles(graph)).toEqual([['src/main/lan/access/access-desk.ts', 'src/main/lan/pairing.ts', 'src/main/lan/access/index.ts', 'src/main/lan/access/access-desk.ts']]);
  });

  it('finds a file importing itself, and nothing in a graph without circles', () => {
    expect(findCycles(graphOf({ 'src/main/a/x.ts': ['src/main/a/x.ts'] }))).toEqual([['src/main/a/x.ts', 'src/main/a/x.ts']]);
    expect(findCycles(graphOf({ 'src/main/a/x.ts': ['src/main/a/y.ts'], 'src/main/a/y.ts': [] }))).toEqual([]);
  });

  it('refuses an arrow up or sideways, and a subsystem the layers do not name', () => {
    const layers = [['shared'], ['link'], ['jobs', 'schedules'], ['control'], ['lan']];
    const graph = graphOf({
      'src/main/control/station-control.ts': ['src/main/lan/access/index.ts', 'src/main/link/index.ts', 'src/shared/station.ts', 'src/main/control/idempotency.ts'],
      'src/main/jobs/engine.ts': ['src/main/schedules/index.ts'],
      'src/main/gizmo/x.ts': ['src/main/link/index.ts'],
    });
    expect(layerViolations(graph, layers)).toEqual([
      "src/main/control/station-control.ts:1 imports './index.ts' (src/main/lan/access/index.ts): control may not import lan, a higher layer",
      "src/main/gizmo/x.ts:1 imports './index.ts' (src/main/link/index.ts): gizmo is in no layer; add it to LAYERS in scripts/import-graph.mjs",
      "src/main/jobs/engine.ts:1 imports './index.ts' (src/main/schedules/index.ts): jobs may not import schedules, a peer on the same layer",
    ]);
  });
});
