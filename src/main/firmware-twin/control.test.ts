import { describe, expect, it } from 'vitest';
import type { FloatMode } from './bench';
import { parseControl, runControl, type TwinControlTarget } from './control';

describe('control commands', () => {
  it('parses every command, tidying spaces', () => {
    expect(parseControl('  float   on ')).toEqual({ ok: true, command: { verb: 'float', mode: 'on' }, text: 'float on' });
    expect(parseControl('float auto')).toMatchObject({ ok: true, command: { verb: 'float', mode: 'auto' } });
    expect(parseControl('stuck ec1')).toMatchObject({ ok: true, command: { verb: 'stuck', ch: 'ec1' } });
    expect(parseControl('stuck ph1 4.5')).toMatchObject({ ok: true, command: { verb: 'stuck', ch: 'ph1', value: 4.5 } });
    expect(parseControl('stuck ph1 off')).toMatchObject({ ok: true, command: { verb: 'unstick', ch: 'ph1' } });
    expect(parseControl('supply off')).toMatchObject({ ok: true, command: { verb: 'supply', on: false } });
    for (const verb of ['snapshot', 'button', 'hang', 'stall', 'reset', 'stack', 'help']) expect(parseControl(verb)).toMatchObject({ ok: true, command: { verb } });
    expect(parseControl('   ')).toBeNull();
  });

  it("parses the wire faults in the simulator's syntax", () => {
    expect(parseControl('unplug')).toEqual({ ok: true, command: { verb: 'unplug' }, text: 'unplug' });
    expect(parseControl('replug')).toEqual({ ok: true, command: { verb: 'replug' }, text: 'replug' });
    expect(parseControl('silent  on')).toEqual({ ok: true, command: { verb: 'silent', on: true }, text: 'silent on' });
    expect(parseControl('silent off')).toMatchObject({ ok: true, command: { verb: 'silent', on: false } });
    expect(parseControl('garbage 2000')).toEqual({ ok: true, command: { verb: 'garbage', bytes: 2000 }, text: 'garbage 2000' });
    expect(parseControl('garbage')).toEqual({ ok: true, command: { verb: 'garbage', bytes: 32 }, text: 'garbage' });
    expect(parseControl('garbage 0')).toMatchObject({ ok: true, command: { verb: 'garbage', bytes: 0 } });
    expect(parseControl('corrupt 5')).toEqual({ ok: true, command: { verb: 'corrupt', lines: 5 }, text: 'corrupt 5' });
  });

  it("refuses a bad wire fault with the simulator's words", () => {
    for (const line of ['silent', 'silent maybe', 'silent on off']) expect(parseControl(line)).toEqual({ ok: false, error: 'expected on or off' });
    for (const line of ['corrupt', 'corrupt -1', 'corrupt 1.5', 'corrupt lots', 'garbage x', 'garbage 2 3']) {
      expect(parseControl(line)).toEqual({ ok: false, error: 'expected a whole number' });
    }
    expect(parseControl('unplug now')).toEqual({ ok: false, error: 'unplug takes no arguments' });
    expect(parseControl('replug 2')).toEqual({ ok: false, error: 'replug takes no arguments' });
  });

  it('refuses what it cannot do, saying why', () => {
    expect(parseControl('float up')).toEqual({ ok: false, error: 'float needs on, off or auto' });
    expect(parseControl('float')).toMatchObject({ ok: false });
    expect(parseControl('supply')).toEqual({ ok: false, error: 'supply needs on or off' });
    expect(parseControl('stuck')).toMatchObject({ ok: false });
    expect(parseControl('stuck ec1 lots')).toEqual({ ok: false, error: '"lots" is not a number or off' });
    expect(parseControl('button twice')).toEqual({ ok: false, error: 'button takes no arguments' });
    expect(parseControl('unplugged')).toEqual({ ok: false, error: 'unknown command "unplugged" (try help)' });
  });
});

describe('running control commands', () => {
  function fakeTwin() {
    const calls: string[] = [];
    const twin: TwinControlTarget = {
      snapshot: () => ({ relays: {}, pumps: {} }) as unknown as ReturnType<TwinControlTarget['snapshot']>,
      pressButton: async () => void calls.push('button'),
      pressReset: async () => void calls.push('reset'),
      hang: async () => {
        throw new Error("the firmware twin's harness exited with code 1: boom");
      },
      stall: async () => void calls.push('stall'),
      request: async (command) => (command === 'stack' ? 'ok stack 412' : 'ok'),
      setFloatSwitch: (mode: FloatMode) => void calls.push(`float ${mode}`),
      stickSensor: (ch, value) => {
        if (ch !== 'ec1') throw new RangeError(`no sensor ${ch}`);
        calls.push(`stick ${ch} ${value}`);
      },
      unstickSensor: (ch) => void calls.push(`unstick ${ch}`),
      setWaterSupply: (on) => void calls.push(`supply ${on}`),
      unplug: async () => void calls.push('unplug'),
      replug: async () => {
        calls.push('replug');
        return '/dev/pts/9';
      },
      setSilent: async (on) => void calls.push(`silent ${on}`),
      sendGarbage: async (bytes) => void calls.push(`garbage ${bytes}`),
      corruptNext: async (lines) => {
        if (lines > 100) throw new Error('corrupt: too many');
        calls.push(`corrupt ${lines}`);
      },
    };
    return { twin, calls };
  }

  it('answers in the simulator\'s format, one line each', async () => {
    const { twin, calls } = fakeTwin();
    expect(await runControl('button', twin)).toEqual(['ok button']);
    expect(await runControl('float  on', twin)).toEqual(['ok float on']);
    expect(await runControl('stuck ec1 2', twin)).toEqual(['ok stuck ec1 2']);
    expect(await runControl('stuck ec1 off', twin)).toEqual(['ok stuck ec1 off']);
    expect(await runControl('supply off', twin)).toEqual(['ok supply off']);
    expect(await runControl('stack', twin)).toEqual(['ok stack 412']);
    expect(await runControl('snapshot', twin)).toEqual(['snapshot: {"relays":{},"pumps":{}}']);
    expect((await runControl('help', twin))[0]).toMatch(/^ok help: commands: snapshot \| button \| float on\|off\|auto/);
    expect(await runControl('', twin)).toEqual([]);
    expect(calls).toEqual(['button', 'float on', 'stick ec1 2', 'unstick ec1', 'supply false']);
  });

  it('runs the wire faults, printing the new serial line before ok replug', async () => {
    const { twin, calls } = fakeTwin();
    const cable: string[] = [];
    const hooks = {
      unplugged: () => void cable.push('gone'),
      replugged: (pty: string) => {
        cable.push(`-> ${pty}`);
        return ['serial: /tmp/tendril-twin-x/tty-host'];
      },
    };
    expect(await runControl('unplug', twin, hooks)).toEqual(['ok unplug']);
    expect(await runControl('replug', twin, hooks)).toEqual(['serial: /tmp/tendril-twin-x/tty-host', 'ok replug']);
    expect(await runControl('silent on', twin)).toEqual(['ok silent on']);
    expect(await runControl('garbage', twin)).toEqual(['ok garbage']);
    expect(await runControl('garbage 2000', twin)).toEqual(['ok garbage 2000']);
    expect(await runControl('corrupt 5', twin)).toEqual(['ok corrupt 5']);
    expect(await runControl('corrupt 500', twin)).toEqual(['error: corrupt: too many']);
    expect(await runControl('silent maybe', twin)).toEqual(['error: expected on or off']);
    // Without hooks, the harness's own pty is the serial line.
    expect(await runControl('replug', twin)).toEqual(['serial: /dev/pts/9', 'ok replug']);
    expect(cable).toEqual(['gone', '-> /dev/pts/9']);
    expect(calls).toEqual(['unplug', 'replug', 'silent true', 'garbage 32', 'garbage 2000', 'corrupt 5', 'replug']);
  });

  it('turns failures into error lines', async () => {
    const { twin } = fakeTwin();
    expect(await runControl('stuck ph9', twin)).toEqual(['error: no sensor ph9']);
    expect(await runControl('hang', twin)).toEqual(["error: the firmware twin's harness exited with code 1: boom"]);
    expect(await runControl('float sideways', twin)).toEqual(['error: float needs on, off or auto']);
  });
});
