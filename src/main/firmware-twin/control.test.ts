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
    for (const verb of ['snapshot', 'button', 'hang', 'reset', 'stack', 'help']) expect(parseControl(verb)).toMatchObject({ ok: true, command: { verb } });
    expect(parseControl('   ')).toBeNull();
  });

  it('refuses what it cannot do, saying why', () => {
    expect(parseControl('float up')).toEqual({ ok: false, error: 'float needs on, off or auto' });
    expect(parseControl('float')).toMatchObject({ ok: false });
    expect(parseControl('supply')).toEqual({ ok: false, error: 'supply needs on or off' });
    expect(parseControl('stuck')).toMatchObject({ ok: false });
    expect(parseControl('stuck ec1 lots')).toEqual({ ok: false, error: '"lots" is not a number or off' });
    expect(parseControl('button twice')).toEqual({ ok: false, error: 'button takes no arguments' });
    expect(parseControl('unplug')).toEqual({ ok: false, error: 'unknown command "unplug" (try help)' });
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
      request: async (command) => (command === 'stack' ? 'ok stack 412' : 'ok'),
      setFloatSwitch: (mode: FloatMode) => void calls.push(`float ${mode}`),
      stickSensor: (ch, value) => {
        if (ch !== 'ec1') throw new RangeError(`no sensor ${ch}`);
        calls.push(`stick ${ch} ${value}`);
      },
      unstickSensor: (ch) => void calls.push(`unstick ${ch}`),
      setWaterSupply: (on) => void calls.push(`supply ${on}`),
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

  it('turns failures into error lines', async () => {
    const { twin } = fakeTwin();
    expect(await runControl('stuck ph9', twin)).toEqual(['error: no sensor ph9']);
    expect(await runControl('hang', twin)).toEqual(["error: the firmware twin's harness exited with code 1: boom"]);
    expect(await runControl('float sideways', twin)).toEqual(['error: float needs on, off or auto']);
  });
});
