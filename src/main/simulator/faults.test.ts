import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDuplexPair, StationSimulator } from './index';
import { TestHost, settle, useFakeClock } from '../../test-support/main/test-host';

let sim: StationSimulator;

function start(seed = 3): { host: TestHost; hostEnd: ReturnType<typeof createDuplexPair>[0] } {
  sim = new StationSimulator({ seed });
  const [hostEnd, stationEnd] = createDuplexPair();
  const host = new TestHost(hostEnd);
  sim.attach(stationEnd);
  return { host, hostEnd };
}

beforeEach(useFakeClock);
afterEach(() => {
  sim.stop();
  vi.useRealTimers();
});

describe('fault injection', () => {
  it('corrupts the checksums of the next N lines', async () => {
    const { host } = start();
    await host.request('HELLO', { proto: '1.0' });
    sim.faults.corruptNext(2);
    const mark = host.heard.length;
    host.send('PING');
    host.send('PING');
    host.send('PING');
    await host.reply(4, mark);
    const kinds = host.heard.slice(mark).map((h) => (h.type === 'bad' ? h.reason : h.type));
    expect(kinds).toEqual(['checksum', 'checksum', 'line']);
    expect(sim.snapshot().corruptedOut).toBe(2);
  });

  it('corrupts at a rate, the same lines for the same seed', async () => {
    const runs: string[][] = [];
    for (let i = 0; i < 2; i++) {
      const { host } = start(9);
      sim.faults.corruptRate(0.3);
      await vi.advanceTimersByTimeAsync(10_000);
      runs.push(host.heard.map((h) => h.type));
      sim.stop();
    }
    expect(runs[0]).toEqual(runs[1]);
    const bad = runs[0]!.filter((t) => t === 'bad').length;
    expect(bad).toBeGreaterThan(5);
    expect(bad).toBeLessThan(runs[0]!.length - 5);
  });

  it('sends garbage the host throws away', async () => {
    const { host } = start();
    await host.request('HELLO', { proto: '1.0' });
    sim.faults.sendGarbage(40);
    await settle();
    expect(host.heard.at(-1)).toMatchObject({ type: 'bad' });
    expect(host.heard.some((h) => h.type === 'estop')).toBe(false);
    expect((await host.request('PING')).final.type).toBe('ack');
  });

  it('goes silent both ways while the watchdog still protects', async () => {
    const { host } = start();
    await host.request('HELLO', { proto: '1.0' });
    await host.request('SET', { ch: 'mixer', on: 1 });
    sim.faults.silent(true);
    const mark = host.heard.length;
    for (let i = 0; i < 5; i++) {
      host.send('PING');
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(host.heard.length).toBe(mark);
    const snap = sim.snapshot();
    expect(snap.relays.mixer).toBe(false);
    expect(snap.alarm).toBe('WATCHDOG');
    sim.faults.silent(false);
    expect((await host.request('HELLO', { proto: '1.0' })).final.type).toBe('ack');
  });

  it('drops the link like a pulled cable', async () => {
    const { host, hostEnd } = start();
    await host.request('HELLO', { proto: '1.0' });
    const ended = new Promise<void>((resolve) => hostEnd.once('end', resolve));
    sim.faults.dropLink();
    await ended;
    expect(sim.snapshot().attached).toBe(false);
  });

  it('reboots mid-action: everything off, EVT boot why=reset, nothing resumes', async () => {
    const { host } = start();
    await host.request('HELLO', { proto: '1.0' });
    await host.request('SET', { ch: 'lights', on: 1 }, 2);
    await host.request('DOSE', { ch: 'nut_a', ml: 50, rate: 1, max: 60000 }, 3);
    await host.request('FILL', { ch: 'fill', flow: 'flow1', pulses: 4500, max: 600000, noflow: 5000 }, 4);
    await vi.advanceTimersByTimeAsync(500);
    host.send('PING', {}, 5);
    await settle();
    const mark = host.heard.length;
    sim.faults.reset();
    expect(await host.waitForEvent('boot', 10)).toMatchObject({ fields: { why: 'reset' } });
    let snap = sim.snapshot();
    expect(Object.values(snap.relays).some(Boolean)).toBe(false);
    expect(Object.values(snap.pumps).some(Boolean)).toBe(false);
    expect(snap.running).toEqual({ doses: [], fills: [] });

    // Memory is gone: number 2 is a new command now, not a replay.
    expect((await host.request('PING', {}, 2)).final.fields).toHaveProperty('up');
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(1000);
      host.send('PING');
    }
    const later = host.heard.slice(mark).flatMap((h) => (h.type === 'line' && h.message.type === 'event' ? [h.message.name] : []));
    expect(later).not.toContain('dose');
    expect(later).not.toContain('fill');
    expect(later).not.toContain('relay');
    snap = sim.snapshot();
    expect(snap.relays.fill).toBe(false);
    expect(snap.pumps.nut_a).toBe(false);
  });

  it('freezes a stuck sensor', async () => {
    const { host } = start();
    await host.request('HELLO', { proto: '1.0' });
    sim.faults.stickSensor('ph1', 6.5);
    await host.request('DOSE', { ch: 'ph_down', ml: 20, rate: 2, max: 20000 });
    await host.request('SET', { ch: 'mixer', on: 1 });
    for (let i = 0; i < 20; i++) {
      await vi.advanceTimersByTimeAsync(1000);
      host.send('PING');
    }
    const ph = host.events('read').filter((e) => e.fields.ch === 'ph1').map((e) => e.fields.v);
    expect(ph.length).toBeGreaterThanOrEqual(20);
    expect(new Set(ph)).toEqual(new Set(['6.5']));
    expect(sim.snapshot().tank.ph).toBeLessThan(6);

    sim.faults.unstickSensor('ph1');
    await vi.advanceTimersByTimeAsync(1000);
    expect(Number(host.events('read').filter((e) => e.fields.ch === 'ph1').at(-1)?.fields.v)).toBeLessThan(6);
  });

  it('reports counters of bad lines received', async () => {
    const { host } = start();
    host.write('1 HELLO*0000\n');
    host.write('\xff\xfe\n');
    host.write('2 HELLO proto=1.0 stray*0000\n');
    await settle();
    expect(sim.snapshot().bad).toEqual({ checksum: 2, garbage: 1, syntax: 0, overlong: 0, unknownVerb: 0 });
  });
});
