import { describe, expect, it } from 'vitest';
import { defaultLayout } from '../simulator';
import { floatSwitchHigh, floatSwitchLevelL, TwinBench } from './bench';
import { CYCLES_PER_MS, parseHarnessLine } from './harness-lines';

const TICK = 10 * CYCLES_PER_MS;

/** Feeds harness lines as the harness prints them; returns every command the bench sent back. */
function feed(bench: TwinBench, ...lines: string[]): string[] {
  return lines.flatMap((line) => bench.receive(parseHarnessLine(line)));
}

/** The harness's ticks from `fromCycle` (exclusive) up to and including `toCycle`. */
function ticks(fromCycle: number, toCycle: number): string[] {
  const lines: string[] = [];
  for (let c = Math.floor(fromCycle / TICK) * TICK + TICK; c <= toCycle; c += TICK) lines.push(`t ${c}`);
  return lines;
}

describe('the bench', () => {
  it('doses exactly for the cycles the pump pin was on', () => {
    const bench = new TwinBench();
    const on = 1_234_567;
    const off = on + 2000 * CYCLES_PER_MS + 321;
    feed(bench, 'out nut_a 0 0', ...ticks(0, on), `out nut_a 1 ${on}`, ...ticks(on, off), `out nut_a 0 ${off}`, ...ticks(off, off + 50 * TICK));
    const s = bench.snapshot();
    expect(s.dosedMl.nut_a).toBeCloseTo((1.2 * (off - on)) / 16e6, 3);
    expect(s.pumps.nut_a).toBe(false);
    expect(s.outChanges).toEqual([
      { id: 'nut_a', on: false, cycle: 0 },
      { id: 'nut_a', on: true, cycle: on },
      { id: 'nut_a', on: false, cycle: off },
    ]);
  });

  it('steps the tank to each line\'s cycle before switching, whether or not ticks come between', () => {
    const bench = new TwinBench();
    feed(bench, 'out ph_down 1 16000000', 'out ph_down 0 48000000');
    expect(bench.snapshot().dosedMl.ph_down).toBeCloseTo(1.2 * 2, 6);
    expect(bench.snapshot().simMs).toBe(3000);
    expect(bench.snapshot().cycle).toBe(48_000_000);
  });

  it('switches relays and pumps by id, and keeps outputs the tank does not model apart', () => {
    const bench = new TwinBench();
    feed(bench, 'out mixer 1 10', 'out nut_b 1 20', 'out sprinkler 1 30');
    const s = bench.snapshot();
    expect(s.relays).toEqual({ fill: false, drain: false, mixer: true, circulation: false, lights: false, air: false });
    expect(s.pumps).toEqual({ nut_a: false, nut_b: true, ph_up: false, ph_down: false });
    expect(s.otherOutputs).toEqual({ sprinkler: true });
  });

  it('fills the tank through an open fill valve and sends the flow meter\'s pulses after each tick when they changed', () => {
    const bench = new TwinBench();
    expect(feed(bench, 't 160000').filter((c) => c.startsWith('pulses'))).toEqual(['pulses flow1 0']);
    expect(feed(bench, 't 320000').filter((c) => c.startsWith('pulses'))).toEqual([]);
    feed(bench, 'out fill 1 320000');
    // 8 L/min at 450 pulses/L: 60 pulses a second, 0.6 a tick.
    const sent = feed(bench, ...ticks(320000, 320000 + 16_000_000)).filter((c) => c.startsWith('pulses'));
    expect(sent.at(-1)).toBe('pulses flow1 60');
    expect(sent.length).toBeGreaterThan(55);
    expect(bench.snapshot().flows.flow1).toBe(60);
    expect(bench.snapshot().tank.volumeL).toBeCloseTo(60 + 8 / 60, 2);

    bench.setWaterSupply(false);
    expect(feed(bench, ...ticks(16_320_000, 32_000_000)).filter((c) => c.startsWith('pulses'))).toEqual([]);
    expect(bench.snapshot().waterSupply).toBe(false);
  });

  it('sets every input as soon as the harness is up', () => {
    expect(feed(new TwinBench(), 'serial /dev/pts/3').map((c) => c.replace(/ [\d.]+$/, ''))).toEqual([
      'pulses flow1',
      'sensor ec1',
      'sensor ph1',
      'sensor temp1',
      'sensor level1',
      'float',
    ]);
  });

  it('sets every sensor on the first tick and then every 100 ms of emulated time', () => {
    const bench = new TwinBench();
    const sensorsIn = (commands: string[]) => commands.filter((c) => c.startsWith('sensor ')).map((c) => c.split(' ')[1]);
    expect(sensorsIn(feed(bench, 't 160000'))).toEqual(['ec1', 'ph1', 'temp1', 'level1']);
    const perTick = ticks(160000, 160000 + 1000 * CYCLES_PER_MS).map((line) => sensorsIn(feed(bench, line)).length);
    expect(perTick.filter((n) => n > 0)).toHaveLength(10);
    expect(perTick.every((n) => n === 0 || n === 4)).toBe(true);
    const s = bench.snapshot();
    expect(s.sensors.level1).toBeCloseTo(60, 0);
    expect(s.sensors.ph1).toBeCloseTo(6, 1);
  });

  it('holds a stuck sensor at its value until unstuck', () => {
    const bench = new TwinBench();
    bench.stickSensor('ec1', 3.21);
    const sent = feed(bench, 't 160000');
    expect(sent).toContain('sensor ec1 3.21');
    expect(bench.snapshot().stuck).toEqual({ ec1: 3.21 });
    bench.unstickSensor('ec1');
    expect(bench.snapshot().stuck).toEqual({});
    expect(() => bench.stickSensor('nope')).toThrow(/no sensor nope/);
  });

  it('counts resets and remembers the last stop byte', () => {
    const bench = new TwinBench();
    feed(bench, 'stopbyte 500', 'out lights 0 510', 'reset 9000 watchdog', 'reset 19000 watchdog');
    const s = bench.snapshot();
    expect(s.lastStopByteCycle).toBe(500);
    expect(s.resets).toBe(2);
    expect(s.lastReset).toEqual({ cycle: 19000, why: 'watchdog' });
  });

  it('keeps only the latest output changes', () => {
    const bench = new TwinBench({ historySize: 4 });
    feed(bench, ...Array.from({ length: 10 }, (_, i) => `out air ${i % 2} ${i * 100}`));
    expect(bench.snapshot().outChanges.map((c) => c.cycle)).toEqual([600, 700, 800, 900]);
  });

  it('answers to a harness clock that starts again without losing the water', () => {
    const bench = new TwinBench();
    feed(bench, 'out nut_a 1 0', 't 16000000', 'out nut_a 0 16000000');
    expect(feed(bench, 't 160000').filter((c) => c.startsWith('sensor'))).toHaveLength(4);
    expect(bench.snapshot().dosedMl.nut_a).toBeCloseTo(1.2, 6);
    feed(bench, 'out nut_a 1 160000', 'out nut_a 0 16160000');
    expect(bench.snapshot().dosedMl.nut_a).toBeCloseTo(2.4, 6);
  });
});

describe('the float switch', () => {
  it('lifts at capacity plus 60% of the spill margin: 103 L in the default tank', () => {
    expect(floatSwitchLevelL(defaultLayout())).toBe(103);
  });

  it('reads high water at or above its level, unless a fault forces it', () => {
    expect(floatSwitchHigh(102.99, 103, 'auto')).toBe(false);
    expect(floatSwitchHigh(103, 103, 'auto')).toBe(true);
    expect(floatSwitchHigh(50, 103, 'on')).toBe(true);
    expect(floatSwitchHigh(104, 103, 'off')).toBe(false);
  });

  it('is sent at the first chance and then only when it changes', () => {
    const bench = new TwinBench();
    const floats = (commands: string[]) => commands.filter((c) => c.startsWith('float '));
    expect(floats(feed(bench, 't 160000'))).toEqual(['float 0']);
    expect(floats(feed(bench, 't 320000'))).toEqual([]);
    expect(bench.setFloatMode('on')).toEqual(['float 1']);
    expect(floats(feed(bench, 't 480000'))).toEqual([]);
    expect(bench.setFloatMode('on')).toEqual([]);
    expect(bench.setFloatMode('auto')).toEqual(['float 0']);
    expect(bench.snapshot().floatSwitch).toEqual({ mode: 'auto', highWater: false, levelL: 103 });
  });

  it('lifts when the filling tank reaches 103 L, and drops as it drains below', () => {
    const bench = new TwinBench();
    const floats = (commands: string[]) => commands.filter((c) => c.startsWith('float '));
    feed(bench, 't 0', 'out fill 1 0');
    // 43 L at 8 L/min is 322.5 s; look at each tick so the crossing is seen when it happens.
    let cycle = 0;
    let lifted: number | null = null;
    while (lifted === null && cycle < 400 * 16e6) {
      cycle += TICK;
      if (floats(feed(bench, `t ${cycle}`)).includes('float 1')) lifted = cycle;
    }
    expect(lifted! / 16e6).toBeGreaterThan(320);
    expect(lifted! / 16e6).toBeLessThan(325);
    expect(bench.snapshot().tank.volumeL).toBeGreaterThanOrEqual(103);
    expect(bench.snapshot().tank.volumeL).toBeLessThan(103.01);
    feed(bench, `out fill 0 ${cycle}`, `out drain 1 ${cycle}`);
    expect(floats(feed(bench, ...ticks(cycle, cycle + 2 * TICK)))).toEqual(['float 0']);
  });
});
