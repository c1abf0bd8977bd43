// The arrows between the main process's subsystems: which file imports which, whether any
// import goes round in a circle, and whether any points from a lower subsystem up to a higher
// one. A newcomer changing the link should never have to understand the LAN server, and a
// circle means neither half can be read, tested or moved alone.
//
// Type-only imports count. They vanish from the built code, but they still tie the meaning of
// the lower side to the higher one: a port the control door needs belongs to the control door,
// and the LAN server implements it, not the other way round.
//
// Tests and test support (`*.test.ts`, src/test-support/) are left out: a test may reach
// across every layer to stand up a whole station.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The subsystems of src/main, lowest first. A file may import its own subsystem and any
 * subsystem on an earlier line; subsystems on the same line are peers and import neither way.
 * `shared` is src/shared; `entries` are src/main/index.ts and src/main/headless.ts.
 */
export const LAYERS = [
  ['shared', 'files'],
  ['settings'],
  ['protocol'],
  ['link', 'simulator'],
  ['firmware-twin'],
  ['store'],
  ['live'],
  ['db'],
  ['history'],
  ['health'],
  ['jobs'],
  ['recipes', 'calibration', 'schedules'],
  ['alarms', 'alerts', 'notify'],
  ['station'],
  ['control'],
  ['lan', 'mqtt'],
  ['desktop'],
  ['app'],
  ['headless', 'electron'],
  ['entries'],
];

const SOURCE = /\.tsx?$/;
const ASSET = /\?(asset|url|raw)$|\.(png|svg|ico|css|html|json)$/;

/** Test files and the helpers only tests use. */
export function isTestSupport(path) {
  const parts = path.split('/');
  return /\.test\.tsx?$/.test(path) || parts.includes('test-support') || path.endsWith('.d.ts');
}

/**
 * Relative module paths a source names: `import … from`, `export … from`, side-effect imports
 * and dynamic `import()`. Statements are matched at the start of a line, so an example in a
 * comment (which starts with ` * `) is not read as an import.
 */
export function parseImports(source) {
  const found = [];
  const statement = /^[ \t]*(?:import|export)\s+(type\s+)?(?:[^;'"]*?\sfrom\s*)?['"](\.{1,2}\/[^'"]*)['"]/gm;
  const dynamic = /\bimport\(\s*['"](\.{1,2}\/[^'"]*)['"]\s*\)/g;
  for (const match of source.matchAll(statement)) {
    found.push({ specifier: match[2], typeOnly: Boolean(match[1]), line: lineAt(source, match.index) });
  }
  for (const match of source.matchAll(dynamic)) {
    found.push({ specifier: match[1], typeOnly: false, line: lineAt(source, match.index) });
  }
  return found.sort((a, b) => a.line - b.line);
}

function lineAt(source, index) {
  return source.slice(0, index).split('\n').length;
}

function sourceFiles(dir) {
  const files = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (SOURCE.test(name)) files.push(path);
  }
  return files;
}

function resolveModule(fromFile, specifier) {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile()) ?? null;
}

/**
 * The import graph of `src/main` under `root`, as paths relative to root with `/`:
 * file → its imports, each with the specifier and line it was written on.
 */
export function readImportGraph(root) {
  const graph = new Map();
  const unresolved = [];
  const posix = (path) => relative(root, path).split(sep).join('/');
  for (const file of sourceFiles(join(root, 'src/main'))) {
    const from = posix(file);
    if (isTestSupport(from)) continue;
    const imports = [];
    for (const found of parseImports(readFileSync(file, 'utf8'))) {
      // An icon bundled as `…png?asset` is a file the build copies, not a module with arrows.
      if (ASSET.test(found.specifier)) continue;
      const target = resolveModule(file, found.specifier);
      if (target === null) unresolved.push(`${from}:${found.line} imports '${found.specifier}', which is no file`);
      else imports.push({ ...found, target: posix(target) });
    }
    graph.set(from, imports);
  }
  return { graph, unresolved };
}

/** `src/main/<subsystem>/…`, `src/shared/…` → shared, and the entry files → entries. */
export function subsystemOf(path) {
  const parts = path.split('/');
  if (parts[0] !== 'src') return null;
  if (parts[1] === 'shared') return 'shared';
  if (parts[1] !== 'main') return parts[1];
  return parts.length === 3 ? 'entries' : parts[2];
}

/** Each circle of imports once, as the chain of files that closes it. */
export function findCycles(graph) {
  // Tarjan's strongly connected components; each component with more than one file, or a file
  // importing itself, holds at least one circle, and the shortest one through its first file
  // is what a reader needs to start untangling it.
  let index = 0;
  const order = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  const targets = (file) => (graph.get(file) ?? []).map((edge) => edge.target).filter((target) => graph.has(target));

  function visit(file) {
    order.set(file, index);
    low.set(file, index);
    index += 1;
    stack.push(file);
    onStack.add(file);
    for (const target of targets(file)) {
      if (!order.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file), low.get(target)));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file), order.get(target)));
      }
    }
    if (low.get(file) === order.get(file)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      components.push(component);
    }
  }

  for (const file of [...graph.keys()].sort()) if (!order.has(file)) visit(file);

  const cycles = [];
  for (const component of components) {
    const members = new Set(component);
    const start = [...component].sort()[0];
    if (component.length === 1 && !targets(start).includes(start)) continue;
    cycles.push(shortestLoop(start, (file) => targets(file).filter((target) => members.has(target))));
  }
  return cycles;
}

function shortestLoop(start, next) {
  const cameFrom = new Map();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift();
    for (const target of next(file)) {
      if (target === start) {
        const chain = [start];
        for (let at = file; at !== start; at = cameFrom.get(at)) chain.splice(1, 0, at);
        return [...chain, start];
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, file);
        queue.push(target);
      }
    }
  }
  return [start, start];
}

/** Imports that point sideways or up the layers, or from or to a subsystem the layers do not name. */
export function layerViolations(graph, layers = LAYERS) {
  const rank = new Map(layers.flatMap((line, at) => line.map((subsystem) => [subsystem, at])));
  const violations = [];
  for (const [file, imports] of [...graph].sort(([a], [b]) => a.localeCompare(b))) {
    const from = subsystemOf(file);
    for (const edge of imports) {
      const to = subsystemOf(edge.target);
      if (to === from) continue;
      const where = `${file}:${edge.line} imports ${edge.typeOnly ? 'type ' : ''}'${edge.specifier}' (${edge.target})`;
      if (!rank.has(from) || !rank.has(to)) {
        violations.push(`${where}: ${rank.has(from) ? to : from} is in no layer; add it to LAYERS in scripts/import-graph.mjs`);
      } else if (rank.get(to) >= rank.get(from)) {
        const how = rank.get(to) === rank.get(from) ? 'a peer on the same layer' : 'a higher layer';
        violations.push(`${where}: ${from} may not import ${to}, ${how}`);
      }
    }
  }
  return violations;
}

/** Every problem in the tree under `root`, one line each; none when the arrows are right. */
export function checkImports(root, layers = LAYERS) {
  const { graph, unresolved } = readImportGraph(root);
  return [
    ...unresolved,
    ...findCycles(graph).map((chain) => `import cycle: ${chain.join(' → ')}`),
    ...layerViolations(graph, layers),
  ];
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const problems = checkImports(join(import.meta.dirname, '..'));
  for (const problem of problems) console.log(problem);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
