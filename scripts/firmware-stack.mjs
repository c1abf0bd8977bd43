// The firmware's worst-case stack depth, worked out from the linked binary rather than
// measured: the deepest chain of calls from main, plus the deepest interrupt handler on top of
// it. firmware-build.mjs runs the tools (avr-objdump, the compiler's -fstack-usage files) and
// hands their text here; everything in this file is plain data in, plain data out.
//
// Frame sizes count everything a function puts on the stack, its own return address included,
// so a chain's depth is the sum of its frames. That is how avr-gcc's .su files count, and on
// the ATmega2560 a return address is 3 bytes.

/** A return address on a 22-bit program counter. */
export const RETURN_ADDRESS = 3;

/**
 * The deepest chain of calls from each root, and the deepest interrupt handler.
 *
 * `frames` maps a function to the bytes it takes; `calls` maps it to the functions it calls
 * (directly, through a pointer, or by jumping to them as a tail call: a tail call is counted
 * as a call, which over-counts by the caller's frame). AVR does not nest interrupts unless a
 * handler enables them again (analyseFirmware refuses one that does), so the deepest handler
 * is added once, on top of the deepest main chain.
 *
 * Returns `{ cycle }` (the functions around it, first repeated last) if any chain calls back
 * into itself, since recursion has no static bound.
 */
export function deepestStack({ frames, calls, roots, interrupts = [] }) {
  const depth = new Map();
  const onPath = [];
  let cycle = null;

  function visit(fn) {
    if (depth.has(fn)) return depth.get(fn);
    const at = onPath.indexOf(fn);
    if (at >= 0) {
      cycle ??= [...onPath.slice(at), fn];
      return { bytes: 0, path: [] };
    }
    onPath.push(fn);
    let deepest = { bytes: 0, path: [] };
    for (const callee of calls[fn] ?? []) {
      const below = visit(callee);
      if (below.bytes > deepest.bytes) deepest = below;
    }
    onPath.pop();
    const result = { bytes: frameOf(frames, fn) + deepest.bytes, path: [fn, ...deepest.path] };
    depth.set(fn, result);
    return result;
  }

  const deepestOf = (fns) => fns.map(visit).reduce((a, b) => (b.bytes > a.bytes ? b : a), { bytes: 0, path: [] });
  const main = deepestOf(roots);
  const interrupt = deepestOf(interrupts);
  if (cycle) return { cycle };
  return { bytes: main.bytes + interrupt.bytes, main, interrupt: interrupts.length ? interrupt : null };
}

function frameOf(frames, fn) {
  const bytes = frames instanceof Map ? frames.get(fn) : frames[fn];
  if (bytes === undefined) throw new Error(`no frame size for ${fn}`);
  return bytes;
}

/* ---- reading the tools' output ------------------------------------------------------------ */

/**
 * The functions in `avr-objdump -t` output: every text symbol typed as a function, and the
 * untyped global ones (libgcc and avr-libc's assembly routines carry no type). Aliases at one
 * address become one function, named by its typed symbol if it has one.
 */
export function parseSymbols(text) {
  const byAddress = new Map();
  const bounds = new Set();
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{8}) (.{7}) (\S+)\s+([0-9a-f]{8}) (.+)$/.exec(line);
    if (!m || !m[3].startsWith('.text')) continue;
    const [, at, flags, , size, name] = m;
    const address = parseInt(at, 16);
    const typed = flags[6] === 'F';
    bounds.add(address);
    if (flags[6] === 'O' || name.startsWith('.')) continue;
    if (!typed && flags[0] !== 'g' && flags[1] !== 'w') continue; // a label inside a routine
    if (!typed && /^__(vector_default|vectors|trampolines_|ctors_|dtors_)|^_etext$/.test(name)) continue;
    // Of aliases, the typed symbol names the routine, else a global one: the unused vectors are
    // weak aliases of __bad_interrupt.
    const rank = typed ? 2 : flags[0] === 'g' ? 1 : 0;
    if ((byAddress.get(address)?.rank ?? -1) >= rank) continue;
    byAddress.set(address, { name, address, size: parseInt(size, 16), typed, rank });
  }
  const sorted = [...bounds].sort((a, b) => a - b);
  const functions = [...byAddress.values()]
    .map((fn) => {
      const next = sorted.find((a) => a > fn.address) ?? Infinity;
      return { name: fn.name, start: fn.address, end: fn.typed && fn.size ? fn.address + fn.size : next };
    })
    .sort((a, b) => a.start - b.start);
  // An untyped symbol inside a typed routine is a second way in (libgcc's __divsf3_pse inside
  // __divsf3x): calling it is calling that routine.
  return functions.filter((fn) => !functions.some((outer) => outer !== fn && fn.start > outer.start && fn.start < outer.end));
}

const INSTRUCTION = /^\s*([0-9a-f]+):\t(?:[0-9a-f]{2} )+\s*\t(\S+)\s*([^;]*)(?:;\s*0x([0-9a-f]+))?/;

/**
 * Walks `avr-objdump -d` over the functions from parseSymbols. For each: the bytes its code
 * pushes (every push and `rcall .+0`, wherever it is, plus the frame it takes off the stack
 * pointer), the functions it calls or tail-jumps to, whether it calls through a pointer, and
 * whether it enables interrupts.
 */
export function parseDisassembly(text, functions) {
  const starts = new Map(functions.map((fn) => [fn.start, fn.name]));
  const containing = (address) => functions.find((fn) => address >= fn.start && address < fn.end);
  const code = new Map(functions.map((fn) => [fn.name, { pushed: 0, calls: new Set(), indirect: false, sei: false, last: '' }]));
  let sp = false; // the instruction before was `in r28, SPL`, so a frame is being made
  for (const line of text.split('\n')) {
    const m = INSTRUCTION.exec(line);
    if (!m) continue;
    const address = parseInt(m[1], 16);
    const fn = containing(address);
    if (!fn) continue;
    const [, , op, operands, comment] = m;
    const info = code.get(fn.name);
    info.last = op;
    if (op === 'push') info.pushed += 1;
    if (op === 'sei') info.sei = true;
    if (/^e?i(call|jmp)$/.test(op)) info.indirect = true;
    if (sp && op === 'sbiw' && /^r28,/.test(operands)) info.pushed += parseInt(operands.split(',')[1], 16);
    if (sp && op === 'subi' && /^r28,/.test(operands)) info.low = parseInt(operands.split(',')[1], 16);
    if (op === 'sbci' && info.low !== undefined && /^r29,/.test(operands)) {
      info.pushed += info.low + 256 * parseInt(operands.split(',')[1], 16);
      info.low = undefined;
    }
    sp = (op === 'in' && /^r2[89], 0x3[de]/.test(operands)) || (sp && op === 'in');
    if (!/^r?(call|jmp)$/.test(op)) continue;
    const target = comment !== undefined ? parseInt(comment, 16) : parseInt(operands, 16);
    const callee = starts.get(target) ?? containing(target)?.name;
    if (op.endsWith('call') && callee === fn.name && target !== fn.start) {
      // `rcall .+0` makes room for locals; a call to a label in the routine's own body (the
      // float library does this) runs code already counted. Either way, a return address.
      info.pushed += RETURN_ADDRESS;
      continue;
    }
    if (!callee || (callee === fn.name && op.endsWith('jmp'))) continue; // a branch, or `jmp 0`
    info.calls.add(callee);
  }
  // A routine that does not end in a return or a jump runs on into the next one.
  functions.forEach((fn, i) => {
    const info = code.get(fn.name);
    const next = functions[i + 1];
    if (next && next.start === fn.end && info.last && !/^(reti?|r?jmp|e?ijmp)$/.test(info.last)) info.calls.add(next.name);
  });
  return code;
}

/** The bytes per function from gcc's .su files, by plain name (overloads keep the largest). */
export function parseStackUsage(text) {
  const frames = new Map();
  const dynamic = [];
  for (const line of text.split('\n')) {
    const m = /^[^:]+:\d+:\d+:(.*)\t(\d+)\t(\S+)$/.exec(line);
    if (!m) continue;
    const name = plainName(m[1]);
    frames.set(name, Math.max(frames.get(name) ?? 0, Number(m[2])));
    if (m[3] === 'dynamic') dynamic.push(name);
  }
  return { frames, dynamic };
}

/** `void station_loop()` and `_Z12station_loopv` are both `station_loop`; C names stay as they are. */
export function plainName(name) {
  if (name.startsWith('_Z')) {
    // The last length-prefixed part of a nested name is the function's own name.
    let rest = name.replace(/^_ZN?K?L?/, '');
    let last = '';
    for (let m = /^(\d+)/.exec(rest); m; m = /^(\d+)/.exec(rest)) {
      const n = Number(m[1]);
      last = rest.slice(m[1].length, m[1].length + n);
      rest = rest.slice(m[1].length + n);
    }
    return last;
  }
  const declared = /([A-Za-z_][\w]*)\s*\(/.exec(name);
  return declared ? declared[1] : name.split('.')[0];
}

/**
 * Relocations from `avr-objdump -r` over the objects, as { section, target } pairs for the
 * references that take a function's address (to call it later) or read a table of them.
 */
export function parseRelocations(text) {
  const refs = [];
  let section = '';
  for (const line of text.split('\n')) {
    const header = /^RELOCATION RECORDS FOR \[(.+)\]:$/.exec(line);
    if (header) section = header[1];
    const m = /^[0-9a-f]{8} (R_AVR_\w+)\s+(\S+)$/.exec(line);
    if (m) refs.push({ section, type: m[1], target: m[2] });
  }
  return refs;
}

const symbolOf = (section) => section.replace(/^\.(text|data|rodata|bss|progmem\.data|progmem\.gcc_sw_table)(\.startup)?\./, '');

/**
 * What each indirect call can reach, resolved from where function addresses are taken (we
 * resolve rather than assume every such function can be reached from every call: the serial
 * hook would then seem to call the command handlers, which write to serial, a cycle that
 * cannot happen):
 * - a routine that reads a table of functions in flash (the command table) and calls through
 *   a pointer can call the functions in the tables it reads. This assumes the pointer is
 *   called where it is read, which is how the command table is used; a table that no such
 *   routine reads (its pointer handed on elsewhere) is refused rather than guessed at;
 * - any other routine has its pointer from RAM or as an argument, and can call any function
 *   whose address code takes (to store or to pass on, as attachInterrupt and the serial hook
 *   are given theirs) or a RAM variable starts out with.
 * Addresses of labels inside a function (switch tables) are not calls and are left out. Every
 * pointer the firmware calls through is made one of these ways, so each set holds every real
 * target, and the depth it gives is an upper bound.
 */
export function indirectTargets(relocations, sites, linked) {
  const tables = new Map();
  const taken = new Set();
  for (const { section, type, target } of relocations) {
    const fn = symbolOf(target);
    if (!/_(PM|GS)$/.test(type) || target.includes('+') || !linked.has(fn)) continue;
    if (section.startsWith('.progmem')) tables.set(symbolOf(section), new Set([...(tables.get(symbolOf(section)) ?? []), fn]));
    else taken.add(fn);
  }
  const readers = new Map();
  for (const { section, target } of relocations) {
    const table = symbolOf(target.split('+')[0]);
    if (section.startsWith('.text') && tables.has(table)) readers.set(table, [...(readers.get(table) ?? []), symbolOf(section)]);
  }
  const unread = [...tables.keys()].filter((table) => !(readers.get(table) ?? []).some((reader) => sites.includes(reader)));
  const targets = {};
  for (const site of sites) {
    const read = [...tables.keys()].filter((table) => (readers.get(table) ?? []).includes(site));
    targets[site] = read.length ? [...new Set(read.flatMap((table) => [...tables.get(table)]))] : [...taken];
  }
  return { targets, unread };
}

/**
 * The whole analysis from the tools' text: `symbols` from `avr-objdump -t`, `disassembly` from
 * `avr-objdump -d` of the linked firmware, `relocations` from `avr-objdump -r` of its objects,
 * and `stackUsage`, the .su files together. `dispatchers` are libgcc's switch-table jumps,
 * whose indirect jump lands back in the routine that jumped to them.
 */
export function analyseFirmware({ symbols, disassembly, relocations, stackUsage, dispatchers = ['__tablejump2__', '__tablejump__'] }) {
  const functions = parseSymbols(symbols);
  const code = parseDisassembly(disassembly, functions);
  const su = parseStackUsage(stackUsage);
  if (su.dynamic.length) return { error: `unbounded stack (alloca or a variable-length array) in ${su.dynamic.join(', ')}` };
  const linked = new Set(functions.map((fn) => fn.name));
  const sites = [...code].filter(([name, info]) => info.indirect && !dispatchers.includes(name)).map(([name]) => name);
  const { targets: indirect, unread } = indirectTargets(parseRelocations(relocations), sites, linked);
  if (unread.length) return { error: `${unread.join(', ')} holds function addresses but is not read where they are called; the stack estimate cannot tell what calls them` };
  const frames = {};
  const calls = {};
  for (const [name, info] of code) {
    // The larger of the compiler's count and the code's. The two agree for the firmware and the
    // core; libgcc and avr-libc are assembly with no .su, and counting every push they make,
    // taken or not, is an upper bound on their frames. A name two functions share (a core
    // interrupt handler the firmware replaces) gets the larger.
    frames[name] = Math.max(su.frames.get(plainName(name)) ?? 0, info.pushed + RETURN_ADDRESS);
    calls[name] = [...info.calls, ...(indirect[name] ?? [])];
  }
  const interrupts = [...linked].filter((name) => /^__vector_\d+$/.test(name));
  // A handler that enables interrupts can be interrupted by any of them, itself included, as
  // often as they fire: no static bound. The firmware's handlers only set flags and move bytes.
  const reaches = (from, seen = new Set()) => {
    if (seen.has(from)) return seen;
    seen.add(from);
    for (const callee of calls[from] ?? []) reaches(callee, seen);
    return seen;
  };
  const nesting = interrupts.filter((isr) => [...reaches(isr)].some((fn) => code.get(fn)?.sei));
  if (nesting.length) return { error: `${nesting.join(', ')} enable interrupts inside the handler, so interrupts can nest without bound` };
  // The startup code before main (copying .data, clearing .bss, constructors) runs on an
  // empty stack and returns before main is called.
  return { ...deepestStack({ frames, calls, roots: ['main'], interrupts }), indirect };
}
