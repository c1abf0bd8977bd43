/**
 * What the emulator harness (`firmware/build/tendril-twin`) prints on stdout, one message a
 * line, as plain data. The contract is in firmware/emulator/README.md, summarised in
 * firmware-twin.ts. Pure, so every line shape is tested without a process.
 */

/** The AVR's clock: every cycle count the harness prints is at 16 MHz. */
export const CYCLES_PER_MS = 16_000;

export type HarnessLine =
  /** The first line: the pty slave a host opens. */
  | { kind: 'serial'; path: string }
  /** A relay or pump channel switched (logically: pin an output at its on level). */
  | { kind: 'out'; id: string; on: boolean; cycle: number }
  /** The emulated clock, every 10 ms of emulated time. */
  | { kind: 'tick'; cycle: number }
  /** The host's stop byte reached UART0's receiver. */
  | { kind: 'stopbyte'; cycle: number }
  /** The MCU reset itself (`watchdog`). */
  | { kind: 'reset'; cycle: number; why: string }
  /** The answer to the oldest stdin command not yet answered. */
  | { kind: 'answer'; ok: boolean; text: string }
  | { kind: 'unknown'; text: string };

export function parseHarnessLine(raw: string): HarnessLine {
  const text = raw.trim();
  if (text.startsWith('error:')) return { kind: 'answer', ok: false, text: text.slice('error:'.length).trim() };
  const [verb = '', ...args] = text.split(/\s+/);
  const unknown: HarnessLine = { kind: 'unknown', text };
  switch (verb) {
    case 'serial':
      return args.length === 1 ? { kind: 'serial', path: args[0]! } : unknown;
    case 'out': {
      const [id, state, at] = args;
      const cycle = cycleOf(at);
      if (args.length !== 3 || id === undefined || (state !== '0' && state !== '1') || cycle === null) return unknown;
      return { kind: 'out', id, on: state === '1', cycle };
    }
    case 't':
    case 'stopbyte': {
      const cycle = cycleOf(args[0]);
      if (args.length !== 1 || cycle === null) return unknown;
      return verb === 't' ? { kind: 'tick', cycle } : { kind: 'stopbyte', cycle };
    }
    case 'reset': {
      const cycle = cycleOf(args[0]);
      if (args.length < 1 || cycle === null) return unknown;
      return { kind: 'reset', cycle, why: args.slice(1).join(' ') || 'unknown' };
    }
    case 'ok':
      return { kind: 'answer', ok: true, text };
    default:
      return unknown;
  }
}

function cycleOf(text: string | undefined): number | null {
  if (text === undefined || !/^\d+$/.test(text)) return null;
  const cycle = Number(text);
  return Number.isSafeInteger(cycle) ? cycle : null;
}
