/**
 * The firmware twin's stdin control channel, in the simulator's format: one command a line,
 * one answer line each (`ok <command>`, `error: <what>`, or `snapshot: <json>`), so a test
 * drives either peer the same way. Faults here are the ones real hardware can have, the wire's
 * among them: a pulled cable, a silent device, line noise, corrupted lines, with the
 * simulator's syntax and answers.
 */
import type { FloatMode } from './bench';
import type { FirmwareTwin } from './firmware-twin';

export const CONTROL_HELP =
  'commands: snapshot | button | float on|off|auto | hang | stall | reset | stuck CH [VALUE|off] | supply on|off | stack | ' +
  'unplug | replug | silent on|off | garbage [N] | corrupt N | help';

/** The simulator's line noise when `garbage` names no byte count. */
const DEFAULT_GARBAGE_BYTES = 32;

export type TwinControl =
  | { verb: 'snapshot' | 'button' | 'hang' | 'stall' | 'reset' | 'stack' | 'help' | 'unplug' | 'replug' }
  | { verb: 'silent'; on: boolean }
  | { verb: 'garbage'; bytes: number }
  | { verb: 'corrupt'; lines: number }
  | { verb: 'float'; mode: FloatMode }
  | { verb: 'stuck'; ch: string; value?: number }
  | { verb: 'unstick'; ch: string }
  | { verb: 'supply'; on: boolean };

export type ParsedControl = { ok: true; command: TwinControl; text: string } | { ok: false; error: string };

export type TwinControlTarget = Pick<
  FirmwareTwin,
  | 'snapshot'
  | 'pressButton'
  | 'hang'
  | 'stall'
  | 'pressReset'
  | 'request'
  | 'setFloatSwitch'
  | 'stickSensor'
  | 'unstickSensor'
  | 'setWaterSupply'
  | 'unplug'
  | 'replug'
  | 'setSilent'
  | 'sendGarbage'
  | 'corruptNext'
>;

/** What the CLI does as the cable moves: the host's path follows the harness's pty. */
export interface CableHooks {
  unplugged(): void;
  /** The lines to print before `ok replug`: the `serial:` line a host opens next. */
  replugged(ptyPath: string): string[];
}

const BARE_CABLE: CableHooks = { unplugged: () => {}, replugged: (ptyPath) => [`serial: ${ptyPath}`] };

/** Parses one control line; null for a blank one, which gets no answer. */
export function parseControl(input: string): ParsedControl | null {
  const text = input.trim().replace(/\s+/g, ' ');
  if (text === '') return null;
  const [verb = '', ...args] = text.split(' ');
  const ok = (command: TwinControl): ParsedControl => ({ ok: true, command, text });
  const noArgs = (command: TwinControl): ParsedControl => (args.length ? { ok: false, error: `${verb} takes no arguments` } : ok(command));
  switch (verb) {
    case 'snapshot':
    case 'button':
    case 'hang':
    case 'stall':
    case 'reset':
    case 'stack':
    case 'help':
    case 'unplug':
    case 'replug':
      return noArgs({ verb });
    case 'silent':
      // The simulator's words for a bad argument, so a test's expectations hold for either peer.
      if (args.length !== 1 || (args[0] !== 'on' && args[0] !== 'off')) return { ok: false, error: 'expected on or off' };
      return ok({ verb, on: args[0] === 'on' });
    case 'garbage': {
      if (args.length === 0) return ok({ verb, bytes: DEFAULT_GARBAGE_BYTES });
      const bytes = wholeNumber(args);
      return bytes === null ? { ok: false, error: 'expected a whole number' } : ok({ verb, bytes });
    }
    case 'corrupt': {
      const lines = wholeNumber(args);
      return lines === null ? { ok: false, error: 'expected a whole number' } : ok({ verb, lines });
    }
    case 'float': {
      const mode = args[0];
      if (args.length !== 1 || (mode !== 'on' && mode !== 'off' && mode !== 'auto')) return { ok: false, error: 'float needs on, off or auto' };
      return ok({ verb, mode });
    }
    case 'supply':
      if (args.length !== 1 || (args[0] !== 'on' && args[0] !== 'off')) return { ok: false, error: 'supply needs on or off' };
      return ok({ verb, on: args[0] === 'on' });
    case 'stuck': {
      const [ch, value] = args;
      if (ch === undefined || args.length > 2) return { ok: false, error: 'stuck needs a sensor channel, and a value or off' };
      if (value === undefined) return ok({ verb, ch });
      if (value === 'off') return ok({ verb: 'unstick', ch });
      if (!Number.isFinite(Number(value))) return { ok: false, error: `"${value}" is not a number or off` };
      return ok({ verb, ch, value: Number(value) });
    }
    default:
      return { ok: false, error: `unknown command "${verb}" (try help)` };
  }
}

function wholeNumber(args: string[]): number | null {
  const n = Number(args[0]);
  return args.length === 1 && Number.isSafeInteger(n) && n >= 0 ? n : null;
}

export async function runControl(input: string, twin: TwinControlTarget, cable: CableHooks = BARE_CABLE): Promise<string[]> {
  const parsed = parseControl(input);
  if (parsed === null) return [];
  if (!parsed.ok) return [`error: ${parsed.error}`];
  const { command, text } = parsed;
  const ok = [`ok ${text}`];
  try {
    switch (command.verb) {
      case 'snapshot':
        return [`snapshot: ${JSON.stringify(twin.snapshot())}`];
      case 'help':
        return [`ok help: ${CONTROL_HELP}`];
      case 'button':
        await twin.pressButton();
        return ok;
      case 'hang':
        await twin.hang();
        return ok;
      case 'stall':
        await twin.stall();
        return ok;
      case 'reset':
        await twin.pressReset();
        return ok;
      case 'stack':
        // The harness's own answer, `ok stack <bytes>`.
        return [await twin.request('stack')];
      case 'float':
        twin.setFloatSwitch(command.mode);
        return ok;
      case 'supply':
        twin.setWaterSupply(command.on);
        return ok;
      case 'stuck':
        twin.stickSensor(command.ch, command.value);
        return ok;
      case 'unstick':
        twin.unstickSensor(command.ch);
        return ok;
      case 'unplug':
        await twin.unplug();
        cable.unplugged();
        return ok;
      case 'replug':
        return [...cable.replugged(await twin.replug()), ...ok];
      case 'silent':
        await twin.setSilent(command.on);
        return ok;
      case 'garbage':
        await twin.sendGarbage(command.bytes);
        return ok;
      case 'corrupt':
        await twin.corruptNext(command.lines);
        return ok;
    }
  } catch (err) {
    return [`error: ${(err as Error).message}`];
  }
}
