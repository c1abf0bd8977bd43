import type { Duplex } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { crcHex, encodeCommand } from '../protocol';
import { createDuplexPair, StationSimulator, type SimulatorOptions } from './index';
import { TestHost, settle, useFakeClock } from '../../test-support/main/test-host';

let sim: StationSimulator;
/** The host's end of the cable, for tests that look at raw bytes. */
let hostEnd: Duplex;

function start(opts: SimulatorOptions = {}): TestHost {
  sim = new StationSimulator({ seed: 42, ...opts });
  const [hostSide, stationEnd] = createDuplexPair();
  hostEnd = hostSide;
  const host = new TestHost(hostEnd);
  sim.attach(stationEnd);
  return host;
}

async function handshake(host: TestHost): Promise<void> {
  const { final } = await host.request('HELLO', { proto: '1.0' });
  expect(final.type).toBe('ack');
}

beforeEach(useFakeClock);
afterEach(() => {
  sim.stop();
  vi.useRealTimers();
});

describe('boot and handshake', () => {
  it('says EVT boot first, with every output off', async () => {
    const host = start();
    await settle();
    const first = host.messages[0];
    expect(first).toMatchObject({ type: 'event', name: 'boot', fields: { fw: '0.3.1', why: 'power' } });
    const snap = sim.snapshot();
    expect(Object.values(snap.relays).every((on) => !on)).toBe(true);
    expect(Object.values(snap.pumps).every((on) => !on)).toBe(true);
    expect(snap.estopLatched).toBe(false);
  });

  it('answers HELLO with its identity', async () => {
    const host = start();
    const { final } = await host.request('HELLO', { proto: '1.0' });
    expect(final).toMatchObject({
      type: 'ack',
      seq: 1,
      fields: { device: 'tendril-sim', fw: '0.3.1', proto: '1.2', serial: 'SIM-0001', window: '1', watchdog: '3000', maxline: '512' },
    });
  });

  it('switches nothing on before HELLO, and answers everything else', async () => {
    const host = start();
    expect((await host.request('SET', { ch: 'lights', on: 1 })).final).toMatchObject({ type: 'nak', code: 'NOSESSION' });
    expect((await host.request('DOSE', { ch: 'nut_a', ml: 2, rate: 1, max: 5000 })).final).toMatchObject({ type: 'nak', code: 'NOSESSION' });
    expect((await host.request('FILL', { ch: 'fill', flow: 'flow1', pulses: 300, max: 60000, noflow: 2000 })).final).toMatchObject({ type: 'nak', code: 'NOSESSION' });
    for (const verb of ['STATE', 'CHANNELS', 'PING', 'STOP', 'RESET']) expect((await host.request(verb)).final.type).toBe('ack');
    expect((await host.request('SET', { ch: 'lights', on: 0 })).final.type).toBe('ack');
    const snap = sim.snapshot();
    expect(Object.values(snap.relays).some((on) => on)).toBe(false);
    expect(Object.values(snap.pumps).some((on) => on)).toBe(false);

    await handshake(host);
    expect((await host.request('SET', { ch: 'lights', on: 1 })).final.type).toBe('ack');
    expect((await host.request('DOSE', { ch: 'nut_a', ml: 2, rate: 1, max: 5000 })).final.type).toBe('ack');
    expect(sim.snapshot()).toMatchObject({ relays: { lights: true }, pumps: { nut_a: true } });
  });

  it('forgets the session when it reboots: the next step of a job is refused', async () => {
    const host = start();
    await handshake(host);
    await host.request('DOSE', { ch: 'nut_a', ml: 20, rate: 1, max: 30000 });
    sim.faults.reset();
    await host.waitForEvent('boot', 10, (f) => f.why === 'reset');
    expect((await host.request('SET', { ch: 'mixer', on: 1 })).final).toMatchObject({ type: 'nak', code: 'NOSESSION' });
    expect((await host.request('DOSE', { ch: 'nut_b', ml: 2, rate: 1, max: 5000 })).final).toMatchObject({ type: 'nak', code: 'NOSESSION' });
    expect(sim.snapshot()).toMatchObject({ relays: { mixer: false }, pumps: { nut_a: false, nut_b: false } });
  });

  it('lists its channels with their bounds', async () => {
    const host = start();
    await handshake(host);
    const { rows, final } = await host.request('CHANNELS');
    expect(final.fields.count).toBe(String(rows.length));
    const byId = Object.fromEntries(rows.map((r) => [r.fields.ch, r.fields]));
    expect(Object.keys(byId)).toEqual([
      'fill', 'drain', 'mixer', 'circulation', 'lights', 'air',
      'nut_a', 'nut_b', 'ph_up', 'ph_down', 'flow1', 'ec1', 'ph1', 'temp1', 'level1',
    ]);
    expect(byId.fill).toMatchObject({ kind: 'relay', name: 'Fill valve', maxms: '900000' });
    expect(byId.drain).toMatchObject({ kind: 'relay', maxms: '900000' });
    expect(byId.mixer?.maxms).toBeUndefined();
    expect(byId.nut_a).toMatchObject({ kind: 'pump', name: 'Nutrient A', maxml: '250', maxms: '300000' });
    expect(byId.flow1).toMatchObject({ kind: 'flow', name: 'Fill line', maxpulses: '200000' });
    expect(byId.ec1).toMatchObject({ kind: 'ec', unit: 'mS/cm' });
    expect(byId.ph1).toMatchObject({ kind: 'ph', unit: 'pH' });
    expect(byId.temp1).toMatchObject({ kind: 'temp', unit: 'C' });
    expect(byId.level1).toMatchObject({ kind: 'level', unit: 'L' });
  });

  it('reports STATE and answers PING with its uptime', async () => {
    const host = start();
    await handshake(host);
    await vi.advanceTimersByTimeAsync(400);
    const { rows, final } = await host.request('STATE');
    const byId = Object.fromEntries(rows.map((r) => [r.fields.ch, r.fields]));
    expect(byId.fill).toEqual({ ch: 'fill', on: '0' });
    expect(byId.nut_a).toEqual({ ch: 'nut_a', run: '0' });
    expect(byId.flow1).toEqual({ ch: 'flow1', pulses: '0', rate: '0' });
    expect(Number(byId.ec1?.v)).toBeCloseTo(1.2, 1);
    expect(Number(byId.ph1?.v)).toBeCloseTo(6.0, 1);
    expect(final.fields).toEqual({ estop: '0', alarm: 'none', up: '400' });
    const ping = await host.request('PING');
    expect(ping.final).toMatchObject({ type: 'ack', fields: { up: '400' } });
  });

  it('checksums every line it sends', async () => {
    const host = start();
    await handshake(host);
    await host.request('CHANNELS');
    await host.request('SET', { ch: 'mixer', on: 1 });
    await host.request('DOSE', { ch: 'nut_a', ml: 2, rate: 1, max: 5000 });
    await host.request('FILL', { ch: 'fill', flow: 'flow1', pulses: 300, max: 60000, noflow: 2000 });
    await host.request('NOPE');
    for (let i = 0; i < 6; i++) {
      await vi.advanceTimersByTimeAsync(900);
      await host.request('PING');
    }
    const lines = host.heard.filter((h) => h.type !== 'estop');
    expect(lines.length).toBeGreaterThan(40);
    for (const h of lines) {
      expect(h.type).toBe('line');
      const body = h.type === 'line' ? h.raw.slice(0, -5) : '';
      expect(h.type === 'line' && h.raw.endsWith(`*${crcHex(body)}`)).toBe(true);
    }
  });
});

describe('de-duplication', () => {
  it('applies a repeated number once and repeats its answer', async () => {
    const host = start();
    await handshake(host);
    const first = await host.request('SET', { ch: 'mixer', on: 1 }, 5);
    const again = await host.request('SET', { ch: 'mixer', on: 1 }, 5);
    expect(again.final).toEqual(first.final);
    expect(host.events('relay')).toHaveLength(1);

    await host.request('DOSE', { ch: 'nut_a', ml: 2, rate: 1, max: 5000 }, 6);
    const repeat = await host.request('DOSE', { ch: 'nut_a', ml: 2, rate: 1, max: 5000 }, 6);
    expect(repeat.final.type).toBe('ack'); // not BUSY: it was not run again
    expect(sim.snapshot().replays).toBe(2);
  });

  it('remembers rows too, and forgets everything at HELLO', async () => {
    const host = start();
    await handshake(host);
    const channels = await host.request('CHANNELS', {}, 2);
    const replayed = await host.request('CHANNELS', {}, 2);
    expect(replayed.rows).toEqual(channels.rows);

    await host.request('SET', { ch: 'lights', on: 1 }, 3);
    await host.request('SET', { ch: 'lights', on: 0 }, 4);
    await handshake(host);
    await host.request('SET', { ch: 'lights', on: 1 }, 3);
    expect(sim.snapshot().relays.lights).toBe(true);
  });

  it('keeps at least the last 8 numbers', async () => {
    const host = start();
    await handshake(host);
    await host.request('DOSE', { ch: 'ph_up', ml: 1, rate: 1, max: 5000 }, 2);
    for (let seq = 3; seq <= 10; seq++) await host.request('PING', {}, seq);
    await vi.advanceTimersByTimeAsync(1500); // the dose is over; re-running it would start a new one
    await host.request('DOSE', { ch: 'ph_up', ml: 1, rate: 1, max: 5000 }, 2);
    expect(sim.snapshot().pumps.ph_up).toBe(false);
  });
});

describe('refusals', () => {
  it('answers a bad checksum with NAK CRC, by number when it can', async () => {
    const host = start();
    await handshake(host);
    host.write('7 PING*0000\n');
    expect((await host.reply(7)).final).toMatchObject({ type: 'nak', seq: 7, code: 'CRC' });
    host.write('\x01\x02 noise\n');
    expect((await host.reply(0)).final).toMatchObject({ type: 'nak', seq: 0, code: 'CRC' });
    expect(sim.snapshot().bad).toMatchObject({ checksum: 1, garbage: 1 });
  });

  it('answers an over-long line with NAK 0 LONG', async () => {
    const host = start();
    await handshake(host);
    host.write(`${'9 PING x='.padEnd(600, 'y')}*0000\n`);
    expect((await host.reply(0)).final).toMatchObject({ type: 'nak', code: 'LONG' });
    expect((await host.request('PING', {}, 10)).final.type).toBe('ack');
    // The same, trickling in: the parser drops it before the LF arrives.
    const mark = host.heard.length;
    host.write('11 PING x='.padEnd(400, 'y'));
    host.write(''.padEnd(400, 'y'));
    host.write('*0000\n');
    expect((await host.reply(0, mark)).final).toMatchObject({ type: 'nak', code: 'LONG' });
    expect((await host.request('PING', {}, 12)).final.type).toBe('ack');
    expect(sim.snapshot().bad.overlong).toBe(2);
  });

  it('answers SYNTAX, UNKNOWN, CHANNEL, RANGE and BUSY', async () => {
    const host = start();
    await handshake(host);
    const code = async (verb: string, fields = {}) => {
      const { final } = await host.request(verb, fields);
      return final.type === 'nak' ? final.code : 'ACK';
    };
    host.write(encodeCommand(20, 'PING').replace('PING', 'PING oops').replace(/\*....\n$/, '') + `*${crcHex('20 PING oops')}\n`);
    expect((await host.reply(20)).final).toMatchObject({ type: 'nak', code: 'SYNTAX' });

    expect(await code('FLY')).toBe('UNKNOWN');
    expect(await code('SET', { ch: 'sprinkler', on: 1 })).toBe('CHANNEL');
    expect(await code('SET', { ch: 'nut_a', on: 1 })).toBe('CHANNEL');
    expect(await code('DOSE', { ch: 'mixer', ml: 1, rate: 1, max: 1000 })).toBe('CHANNEL');
    expect(await code('FILL', { ch: 'fill', flow: 'ec1', pulses: 10, max: 1000, noflow: 500 })).toBe('CHANNEL');
    expect(await code('STOP', { ch: 'nowhere' })).toBe('CHANNEL');

    expect(await code('SET', { ch: 'mixer', on: 2 })).toBe('RANGE');
    expect(await code('SET', { ch: 'fill', on: 1 })).toBe('RANGE'); // the fill valve needs a bound
    expect(await code('SET', { ch: 'fill', on: 1, max: 900001 })).toBe('RANGE');
    expect(await code('DOSE', { ch: 'nut_a', ml: 251, rate: 1, max: 1000 })).toBe('RANGE');
    expect(await code('DOSE', { ch: 'nut_a', ml: 5, rate: 1, max: 300001 })).toBe('RANGE');
    expect(await code('DOSE', { ch: 'nut_a', ml: 0, rate: 1, max: 1000 })).toBe('RANGE');
    expect(await code('DOSE', { ch: 'nut_a', ml: 5, rate: -1, max: 1000 })).toBe('RANGE');
    expect(await code('DOSE', { ch: 'nut_a', ml: 5, rate: 1 })).toBe('RANGE');
    expect(await code('FILL', { ch: 'fill', flow: 'flow1', pulses: 200001, max: 1000, noflow: 500 })).toBe('RANGE');
    expect(sim.snapshot().pumps.nut_a).toBe(false);

    expect(await code('DOSE', { ch: 'nut_a', ml: 5, rate: 1, max: 10000 })).toBe('ACK');
    expect(await code('DOSE', { ch: 'nut_a', ml: 5, rate: 1, max: 10000 })).toBe('BUSY');
    expect(await code('FILL', { ch: 'fill', flow: 'flow1', pulses: 100, max: 10000, noflow: 500 })).toBe('ACK');
    expect(await code('FILL', { ch: 'fill', flow: 'flow1', pulses: 100, max: 10000, noflow: 500 })).toBe('BUSY');
    expect(await code('SET', { ch: 'fill', on: 1, max: 1000 })).toBe('BUSY');
    expect(sim.snapshot().bad.unknownVerb).toBe(1);
  });
});

describe('dosing', () => {
  it('runs ml / rate seconds with progress, then reports complete, and EC rises', async () => {
    const host = start();
    await handshake(host);
    await host.request('SET', { ch: 'mixer', on: 1 });
    const ecBefore = sim.snapshot().tank.ec;
    await host.request('DOSE', { ch: 'nut_a', ml: 10, rate: 1.25, max: 9000 });
    const t0 = Date.now();
    const progress: number[] = [];
    let last;
    for (;;) {
      last = await host.waitForEvent('dose', 600);
      progress.push(Date.now() - t0);
      if (last.fields.done === '1') break;
      host.send('PING'); // more often than needed; it only feeds the watchdog
    }
    expect(last.fields).toEqual({ ch: 'nut_a', ml: '10.00', target: '10.00', done: '1', why: 'complete' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(8000);
    expect(Date.now() - t0).toBeLessThan(8100);
    const gaps = progress.map((t, i) => t - (progress[i - 1] ?? 0));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(500);
    expect(sim.snapshot().pumps.nut_a).toBe(false);

    // The pump truly runs at 1.2 mL/s: 9.6 mL into 60 L, spread by the mixer within a minute.
    for (let i = 0; i < 60; i++) {
      await vi.advanceTimersByTimeAsync(1000);
      host.send('PING');
    }
    const rise = sim.snapshot().tank.ec - ecBefore;
    expect(rise).toBeGreaterThan(0.06);
    expect(rise).toBeLessThan(0.1);
  });

  it('ends a run at its bound with why=bound and a BOUND alarm', async () => {
    const host = start();
    await handshake(host);
    await host.request('DOSE', { ch: 'nut_b', ml: 10, rate: 1, max: 3000 });
    const done = await host.waitForEvent('dose', 3100, (f) => f.done === '1');
    expect(done.fields).toMatchObject({ ml: '3.00', target: '10.00', why: 'bound' });
    expect(await host.waitForEvent('alarm', 100)).toMatchObject({ fields: { code: 'BOUND' } });
    expect(sim.snapshot().pumps.nut_b).toBe(false);
  });

  it('switches a bounded relay off by itself', async () => {
    const host = start();
    await handshake(host);
    await host.request('SET', { ch: 'air', on: 1, max: 2000 });
    expect(await host.waitForEvent('relay', 50)).toMatchObject({ fields: { ch: 'air', on: '1', why: 'cmd' } });
    host.send('PING');
    const off = await host.waitForEvent('relay', 2100);
    expect(off.fields).toEqual({ ch: 'air', on: '0', why: 'bound' });
  });

  it('STOP ends one action, or all of them', async () => {
    const host = start();
    await handshake(host);
    await host.request('DOSE', { ch: 'ph_down', ml: 10, rate: 1, max: 20000 });
    await host.request('SET', { ch: 'lights', on: 1 });
    await vi.advanceTimersByTimeAsync(1000);
    await host.request('STOP', { ch: 'ph_down' });
    expect(await host.waitForEvent('dose', 10, (f) => f.done === '1')).toMatchObject({ fields: { why: 'stop', ml: '1.00' } });
    expect(sim.snapshot().relays.lights).toBe(true);
    await host.request('STOP');
    expect(await host.waitForEvent('relay', 10)).toMatchObject({ fields: { ch: 'lights', on: '0', why: 'stop' } });
    expect(sim.snapshot().estopLatched).toBe(false);
  });
});

describe('filling', () => {
  it('closes the valve at the pulse target', async () => {
    const host = start();
    await handshake(host);
    const volume = sim.snapshot().tank.volumeL;
    await host.request('FILL', { ch: 'fill', flow: 'flow1', pulses: 450, max: 60000, noflow: 2000 });
    expect(await host.waitForEvent('relay', 10)).toMatchObject({ fields: { ch: 'fill', on: '1', why: 'fill' } });
    const t0 = Date.now();
    let done;
    for (;;) {
      const e = await host.waitForEvent('fill', 600);
      if (e.fields.done === '1') {
        done = e;
        break;
      }
      if (Date.now() - t0 > 1000) host.send('PING');
    }
    // 8 L/min through 450 pulses/L is 60 pulses a second: 7.5 s for one litre.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(7450);
    expect(Date.now() - t0).toBeLessThanOrEqual(7550);
    expect(done.fields).toEqual({ ch: 'fill', pulses: '450', target: '450', done: '1', why: 'complete' });
    expect(await host.waitForEvent('relay', 10)).toMatchObject({ fields: { ch: 'fill', on: '0', why: 'fill' } });
    expect(host.events('flow').length).toBeGreaterThan(5);
    const snap = sim.snapshot();
    expect(snap.relays.fill).toBe(false);
    expect(snap.flows.flow1).toBe(450);
    expect(snap.tank.volumeL - volume).toBeCloseTo(1, 1);
  });

  it('gives up when no pulse arrives for noflow ms', async () => {
    const host = start();
    await handshake(host);
    sim.faults.waterSupply(false);
    await host.request('FILL', { ch: 'fill', flow: 'flow1', pulses: 450, max: 60000, noflow: 2000 });
    host.send('PING');
    const done = await host.waitForEvent('fill', 2100, (f) => f.done === '1');
    expect(done.fields).toMatchObject({ pulses: '0', why: 'noflow' });
    expect(await host.waitForEvent('relay', 10)).toMatchObject({ fields: { ch: 'fill', on: '0', why: 'fill' } });
  });
});

describe('watchdog', () => {
  it('turns everything off after watchdog ms of silence', async () => {
    const host = start();
    await handshake(host);
    await host.request('SET', { ch: 'circulation', on: 1 });
    await host.request('DOSE', { ch: 'nut_a', ml: 20, rate: 1, max: 30000 });
    const quietFrom = Date.now();
    const done = await host.waitForEvent('dose', 3100, (f) => f.done === '1');
    expect(Date.now() - quietFrom).toBe(3000);
    expect(done.fields.why).toBe('watchdog');
    expect(await host.waitForEvent('relay', 10)).toMatchObject({ fields: { ch: 'circulation', on: '0', why: 'watchdog' } });
    expect(await host.waitForEvent('alarm', 10)).toMatchObject({ fields: { code: 'WATCHDOG' } });
    const snap = sim.snapshot();
    expect(snap.relays.circulation).toBe(false);
    expect(snap.pumps.nut_a).toBe(false);
    expect(snap.alarm).toBe('WATCHDOG');
    // The host that went quiet may not know what happened: nothing switches on until it says
    // HELLO. The alarm does not latch: the next session may switch things on again.
    expect((await host.request('SET', { ch: 'circulation', on: 1 })).final).toMatchObject({ type: 'nak', code: 'NOSESSION' });
    expect((await host.request('DOSE', { ch: 'nut_a', ml: 20, rate: 1, max: 30000 })).final).toMatchObject({ type: 'nak', code: 'NOSESSION' });
    expect((await host.request('SET', { ch: 'circulation', on: 0 })).final.type).toBe('ack');
    expect(sim.snapshot()).toMatchObject({ relays: { circulation: false }, pumps: { nut_a: false } });
    await handshake(host);
    expect((await host.request('SET', { ch: 'circulation', on: 1 })).final.type).toBe('ack');
  });

  it('is fed by PING', async () => {
    const host = start();
    await handshake(host);
    await host.request('SET', { ch: 'circulation', on: 1 });
    for (let i = 0; i < 10; i++) {
      await vi.advanceTimersByTimeAsync(1000);
      await host.request('PING');
    }
    expect(host.events('alarm')).toHaveLength(0);
    expect(sim.snapshot().relays.circulation).toBe(true);
  });

  it('is fed by any line with a good checksum, even one it refuses, and only by those', async () => {
    const host = start();
    await handshake(host);
    await host.request('SET', { ch: 'circulation', on: 1 });
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(1000);
      await host.request(i % 2 ? 'FLY' : 'SET', { ch: 'circulation', on: 7 }); // UNKNOWN, RANGE
      host.write(`99 PING oops*${crcHex('99 PING oops')}\n`); // SYNTAX
    }
    expect(host.events('alarm')).toHaveLength(0);
    expect(sim.snapshot().relays.circulation).toBe(true);
    for (let i = 0; i < 3; i++) {
      await vi.advanceTimersByTimeAsync(1000);
      host.write('100 PING*0000\n');
    }
    expect(await host.waitForEvent('alarm', 10)).toMatchObject({ fields: { code: 'WATCHDOG' } });
    expect(sim.snapshot().relays.circulation).toBe(false);
  });

  it('sends a heartbeat and sensor reads every second', async () => {
    const host = start();
    await vi.advanceTimersByTimeAsync(5000);
    expect(host.events('hb').map((e) => e.fields.up)).toEqual(['1000', '2000', '3000', '4000', '5000']);
    for (const ch of ['ec1', 'ph1', 'temp1', 'level1']) {
      expect(host.events('read').filter((e) => e.fields.ch === ch)).toHaveLength(5);
    }
  });

  it('reads its sensors once a simulated second when sped up, and never more often than every 50 ms', async () => {
    // Ten times faster: a read every 100 ms, so a sped-up fill is seen every simulated second.
    const fast = start({ timeScale: 10 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(fast.events('read').filter((e) => e.fields.ch === 'level1')).toHaveLength(10);
    expect(fast.events('hb')).toHaveLength(1);
  });

  it('keeps to one round of reads every 50 ms of real time at a thousand times', async () => {
    const fastest = start({ timeScale: 1000 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(fastest.events('read').filter((e) => e.fields.ch === 'level1')).toHaveLength(20);
  });

  it('reads at the pace it is given, whatever the time scale', async () => {
    // What a real station's host sees each real second, for a month of memory measured at 1000×.
    const paced = start({ timeScale: 1000, readEveryMs: 1000 });
    await vi.advanceTimersByTimeAsync(3000);
    expect(paced.events('read').filter((e) => e.fields.ch === 'level1')).toHaveLength(3);
  });
});

describe('emergency stop', () => {
  it('latches on the stop byte, echoes it, refuses actuation until RESET', async () => {
    const host = start();
    await handshake(host);
    await host.request('SET', { ch: 'mixer', on: 1 });
    await host.request('DOSE', { ch: 'nut_a', ml: 5, rate: 1, max: 10000 });
    const mark = host.heard.length;
    host.estop();
    await settle();
    const after = host.heard.slice(mark);
    expect(after[0]).toEqual({ type: 'estop' });
    const names = after.flatMap((h) => (h.type === 'line' && h.message.type === 'event' ? [h.message] : []));
    expect(names.map((e) => [e.name, e.fields.why ?? e.fields.latched])).toEqual([
      ['dose', 'estop'],
      ['relay', 'estop'],
      ['estop', '1'],
    ]);
    expect(names[2]?.fields.src).toBe('host');
    const snap = sim.snapshot();
    expect(snap.estopLatched).toBe(true);
    expect(snap.relays.mixer).toBe(false);
    expect(snap.pumps.nut_a).toBe(false);

    const refused = await host.request('SET', { ch: 'fill', on: 1 });
    expect(refused.final).toMatchObject({ type: 'nak', code: 'ESTOP', fields: { msg: 'emergency stop latched; send RESET' } });
    expect((await host.request('DOSE', { ch: 'nut_a', ml: 5, rate: 1, max: 10000 })).final).toMatchObject({ code: 'ESTOP' });
    expect((await host.request('FILL', { ch: 'fill', flow: 'flow1', pulses: 5, max: 1000, noflow: 500 })).final).toMatchObject({ code: 'ESTOP' });
    expect((await host.request('SET', { ch: 'mixer', on: 0 })).final.type).toBe('ack');
    expect((await host.request('STATE')).final.fields).toMatchObject({ estop: '1', alarm: 'ESTOP' });

    const reset = await host.request('RESET');
    expect(reset.final.type).toBe('ack');
    expect(await host.waitForEvent('estop', 10)).toMatchObject({ fields: { latched: '0' } });
    expect((await host.request('STATE')).final.fields).toMatchObject({ estop: '0', alarm: 'none' });
    expect(sim.snapshot().relays.mixer).toBe(false);
    expect((await host.request('SET', { ch: 'mixer', on: 1 })).final.type).toBe('ack');
  });

  it('echoes the byte before any line it owed the host', async () => {
    const host = start();
    await handshake(host);
    await host.request('DOSE', { ch: 'nut_a', ml: 20, rate: 1, max: 30000 });
    // The clock jumps without the device looking: a heartbeat, reads and dose progress are due.
    vi.setSystemTime(Date.now() + 2500);
    const bytes: number[] = [];
    hostEnd.on('data', (chunk: Buffer) => bytes.push(...chunk));
    host.estop();
    await settle();
    expect(bytes[0]).toBe(0x18);
    const after = host.events('hb').length + host.events('read').length;
    expect(after).toBeGreaterThan(0); // there really was something to jump
    expect(host.events('dose').at(-1)?.fields).toMatchObject({ done: '1', why: 'estop' });
    expect(host.events('estop').at(-1)?.fields).toEqual({ latched: '1', src: 'host' });
  });

  it('picks the byte out of a half-received line', async () => {
    const host = start();
    await handshake(host);
    const line = encodeCommand(2, 'SET', { ch: 'lights', on: 1 });
    host.write(line.slice(0, 8));
    host.estop();
    host.write(line.slice(8));
    const { final } = await host.reply(2);
    expect(final).toMatchObject({ type: 'nak', code: 'ESTOP' });
    const mark = host.heard.length;
    host.estop(); // while latched: harmless, echoed again
    await host.waitFor((h) => h.type === 'estop', 10, mark);
  });

  it('latches from the station button too', async () => {
    const host = start();
    await handshake(host);
    sim.pressEstopButton();
    await host.waitFor((h) => h.type === 'estop', 10);
    expect(await host.waitForEvent('estop', 10)).toMatchObject({ fields: { latched: '1', src: 'button' } });
    expect(sim.snapshot().estopSource).toBe('button');
  });

  it('switches a relay from its own button and tells the host why', async () => {
    const host = start();
    await handshake(host);
    sim.pressRelayButton('lights', true);
    expect(await host.waitForEvent('relay', 10)).toMatchObject({ fields: { ch: 'lights', on: '1', why: 'button' } });
    expect(sim.snapshot().relays.lights).toBe(true);
    sim.pressRelayButton('lights', false);
    expect(await host.waitForEvent('relay', 10, (f) => f.on === '0')).toMatchObject({ fields: { ch: 'lights', why: 'button' } });
    expect(sim.snapshot().relays.lights).toBe(false);
  });

  it('keeps a relay switched on by hand within its channel bound', async () => {
    // A watchdog longer than the bound, so the bound is what switches it off.
    const host = start({ watchdogMs: 1_000_000 });
    await handshake(host);
    sim.pressRelayButton('drain', true);
    await host.waitForEvent('relay', 10, (f) => f.why === 'button');
    await vi.advanceTimersByTimeAsync(900_000);
    await host.waitForEvent('relay', 10, (f) => f.ch === 'drain' && f.on === '0' && f.why === 'bound');
  });

  it('switches nothing on by hand while the emergency stop is latched', async () => {
    const host = start();
    await handshake(host);
    sim.pressEstopButton();
    await host.waitForEvent('estop', 10);
    expect(() => sim.pressRelayButton('lights', true)).toThrow(/emergency stop is latched/);
    expect(() => sim.pressRelayButton('pump', true)).toThrow(/no relay "pump"/);
    expect(sim.snapshot().relays.lights).toBe(false);
  });
});

describe('time scale', () => {
  it('runs actions faster but keeps protocol timing in real time', async () => {
    const host = start({ timeScale: 10 });
    await handshake(host);
    await host.request('DOSE', { ch: 'nut_a', ml: 20, rate: 1, max: 60000 });
    const t0 = Date.now();
    await host.waitForEvent('dose', 2100, (f) => f.done === '1');
    expect(Date.now() - t0).toBe(2000);
    expect(host.events('hb').length).toBeLessThanOrEqual(2);
    await host.waitForEvent('alarm', 1100, (f) => f.code === 'WATCHDOG');
    expect(Date.now() - t0).toBe(3000);
  });
});
