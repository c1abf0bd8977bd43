/**
 * The simulator's stdin control channel: one command per line, one answer line each (`ok
 * <command>` or `error: <what>`; `snapshot` answers with `snapshot: <json>` instead), so a test
 * driving the simulator as a separate process can script faults.
 */
import type { StationSimulator } from './simulator';

export interface ControlTarget {
  sim: StationSimulator;
  /** Pulls the virtual cable. */
  unplug(): Promise<void>;
  /** Plugs it back in; returns the lines to print first (the `serial:` line), if any. */
  replug(): Promise<string[]>;
}

export const CONTROL_HELP =
  'commands: snapshot | unplug | replug | garbage [N] | corrupt N | corrupt-rate R | silent on|off | reset | stuck CH [VALUE|off] | probe-error CH OFFSET SLOPE | dip CH VALUE|off | supply on|off | outlet blocked|clear | meter METER stuck|ok | button | relay CH on|off | help';

export async function runControl(input: string, target: ControlTarget): Promise<string[]> {
  const command = input.trim().replace(/\s+/g, ' ');
  if (command === '') return [];
  const [verb = '', ...args] = command.split(' ');
  const { sim } = target;
  const ok = [`ok ${command}`];
  try {
    switch (verb) {
      case 'snapshot':
        return [`snapshot: ${JSON.stringify(sim.snapshot())}`];
      case 'unplug':
        await target.unplug();
        return ok;
      case 'replug':
        return [...(await target.replug()), ...ok];
      case 'garbage':
        sim.faults.sendGarbage(args[0] === undefined ? 32 : count(args[0]));
        return ok;
      case 'corrupt':
        sim.faults.corruptNext(count(args[0]));
        return ok;
      case 'corrupt-rate': {
        const rate = Number(args[0]);
        if (args[0] === undefined || !(rate >= 0 && rate <= 1)) throw new Error('corrupt-rate needs a number from 0 to 1');
        sim.faults.corruptRate(rate);
        return ok;
      }
      case 'silent':
        sim.faults.silent(onOff(args[0]));
        return ok;
      case 'supply':
        sim.faults.waterSupply(onOff(args[0]));
        return ok;
      case 'outlet':
        if (args[0] !== 'blocked' && args[0] !== 'clear') throw new Error('outlet needs blocked or clear');
        sim.faults.blockOutlet(args[0] === 'blocked');
        return ok;
      case 'meter': {
        const [id, how] = args;
        if (id === undefined || (how !== 'stuck' && how !== 'ok')) throw new Error('meter needs a flow meter and stuck or ok');
        sim.faults.stickMeter(id, how === 'stuck');
        return ok;
      }
      case 'reset':
        sim.faults.reset();
        return ok;
      case 'button':
        sim.pressEstopButton();
        return ok;
      case 'relay': {
        const [ch, how] = args;
        if (ch === undefined) throw new Error('relay needs a relay channel and on or off');
        sim.pressRelayButton(ch, onOff(how));
        return ok;
      }
      case 'stuck': {
        const [ch, value] = args;
        if (ch === undefined) throw new Error('stuck needs a sensor channel');
        if (value === 'off') sim.faults.unstickSensor(ch);
        else if (value === undefined) sim.faults.stickSensor(ch);
        else if (Number.isFinite(Number(value))) sim.faults.stickSensor(ch, Number(value));
        else throw new Error(`"${value}" is not a number or off`);
        return ok;
      }
      case 'probe-error': {
        const [ch, offset, slope] = args;
        if (ch === undefined || offset === undefined || slope === undefined) throw new Error('probe-error needs a sensor channel, an offset and a slope');
        sim.faults.probeError(ch, Number(offset), Number(slope));
        return ok;
      }
      case 'dip': {
        const [ch, value] = args;
        if (ch === undefined || value === undefined) throw new Error('dip needs a sensor channel and a solution value (or off)');
        if (value !== 'off' && !Number.isFinite(Number(value))) throw new Error(`"${value}" is not a number or off`);
        sim.faults.dipProbe(ch, value === 'off' ? null : Number(value));
        return ok;
      }
      case 'help':
        return [`ok help: ${CONTROL_HELP}`];
      default:
        return [`error: unknown command "${verb}" (try help)`];
    }
  } catch (err) {
    return [`error: ${(err as Error).message}`];
  }
}

function count(text: string | undefined): number {
  const n = Number(text);
  if (text === undefined || !Number.isInteger(n) || n < 0) throw new Error('expected a whole number');
  return n;
}

function onOff(text: string | undefined): boolean {
  if (text === 'on') return true;
  if (text === 'off') return false;
  throw new Error('expected on or off');
}
