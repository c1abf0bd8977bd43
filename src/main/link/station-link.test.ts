/**
 * The link's state machine on a fake clock, against the simulator in-process over an in-memory
 * cable: every timing rule (heartbeats, silence, backoff, stop repeats) checked without waiting.
 */
import type { Duplex } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { initialStationState, type StationState } from '../../shared/station';
import { applyChange, type StationChange } from '../../shared/events';
import { deviceLine, ESTOP_BYTE, frame, parseHostBody, unframe } from '../protocol';
import { createDuplexPair, StationSimulator } from '../simulator';
import { Refusal } from '../../shared/refusal';
import { CommandError } from './commands';
import { controllerCommands } from './controller-commands';
import { StationLink } from './station-link';
import { TEST_START } from '../../test-support/main/fake-time';

/**
 * Lets the link read what the device wrote, but not yet flush its telemetry: stream callbacks
 * run on ticks, which all run before the next setImmediate.
 */
async function readButHold(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => process.nextTick(resolve));
}

/** Lets streams, promises and the telemetry flush run after the fake clock moved. */
async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  await new Promise((resolve) => setImmediate(resolve));
}

interface Bench {
  link: StationLink;
  state: () => StationState;
  events: StationChange[];
  /** Everything the host wrote, as the device received it. */
  wire: string[];
  device: () => Duplex;
  opens: () => number;
}

function connectTo(attachDevice: (device: Duplex) => void): Bench {
  let opens = 0;
  let device: Duplex | null = null;
  const wire: string[] = [];
  const link = new StationLink({
    port: 'test',
    simulated: true,
    random: () => 0.5,
    open: async () => {
      opens++;
      const [host, deviceEnd] = createDuplexPair();
      device = deviceEnd;
      deviceEnd.on('data', (chunk: Buffer) => wire.push(chunk.includes(ESTOP_BYTE) ? '<STOP>' : chunk.toString('latin1')));
      attachDevice(deviceEnd);
      return { stream: host, close: async () => void host.destroy() };
    },
  });
  let state = initialStationState(true, 'test');
  const events: StationChange[] = [];
  link.onEvent((event) => {
    events.push(event);
    state = applyChange(state, event);
  });
  return { link, state: () => state, events, wire, device: () => device!, opens: () => opens };
}

let sim: StationSimulator;
let bench: Bench;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(TEST_START);
  sim = new StationSimulator({ seed: 7 });
  bench = connectTo((device) => sim.attach(device));
  await bench.link.start();
  await advance(200);
  expect(bench.state().link.status).toBe('ready');
});

afterEach(async () => {
  const stopping = bench.link.stop();
  await advance(2000);
  await stopping;
  sim.stop();
  vi.useRealTimers();
});

describe('StationLink on a fake clock', () => {
  it('keeps the device watchdog fed for as long as it runs', async () => {
    await bench.link.command('SET', { ch: 'lights', on: 1 });
    await advance(60_000);
    expect(sim.snapshot().relays.lights).toBe(true);
    expect(sim.snapshot().alarm).toBeNull();
    const pings = bench.wire.filter((line) => line.includes(' PING'));
    expect(pings.length).toBeGreaterThanOrEqual(55);
  });

  it('notices a silent device within the silence limit, then reconnects', async () => {
    sim.faults.silent(true);
    const silentAt = Date.now();
    await advance(3200);
    const noticed = bench.events.find((e) => e.type === 'link_update' && e.link.status === 'error');
    expect(noticed?.type === 'link_update' && noticed.link).toMatchObject({ reason: expect.stringMatching(/went silent \(no valid line for 3 s\)/) });
    expect(noticed?.type === 'link_update' && noticed.link.since - silentAt).toBeLessThanOrEqual(3200);
    sim.faults.silent(false);
    await advance(10_000);
    expect(bench.state().link.status).toBe('ready');
  });

  it('handshakes again when the device restarts under it, and sees its outputs off', async () => {
    await bench.link.command('SET', { ch: 'mixer', on: 1 });
    await advance(100);
    expect(bench.state().relays.mixer?.on).toBe(true);
    sim.faults.reset('reset');
    await advance(500);
    expect(bench.state().link.status).toBe('ready');
    expect(bench.state().relays.mixer?.on).toBe(false);
    expect(bench.events.some((e) => e.type === 'link_update' && /restarted/.test(e.link.reason))).toBe(true);
  });

  it('takes a refusal for want of a session as a restart it missed, and switches nothing on', async () => {
    await bench.link.command('SET', { ch: 'mixer', on: 1 });
    await advance(100);
    // The boot line garbled at reset, as it often is on real hardware: the host hears nothing.
    sim.faults.corruptNext(1);
    sim.faults.reset('reset');
    await readButHold();
    expect(bench.state().link.status).toBe('ready');
    const next = bench.link.command('DOSE', { ch: 'nut_a', ml: 5, rate: 1, max: 10_000 }).catch((err: unknown) => err);
    await advance(50);
    expect(await next).toMatchObject({ code: 'LINK_DOWN' });
    const restarted = bench.events.flatMap((e) => (e.type === 'alert' && e.alert.code === 'CONTROLLER_RESTARTED' ? [e.alert] : []));
    expect(restarted).toEqual([expect.objectContaining({ message: expect.stringMatching(/message saying so was lost.*nothing resumes by itself/) })]);
    expect(bench.events.some((e) => e.type === 'link_update' && e.link.status === 'handshaking' && /lost the session/.test(e.link.reason))).toBe(true);
    await advance(500);
    expect(bench.state().link.status).toBe('ready');
    expect(bench.state().relays.mixer?.on).toBe(false);
    expect(sim.snapshot()).toMatchObject({ relays: { mixer: false }, pumps: { nut_a: false } });
    expect(sim.snapshot().dosedMl.nut_a ?? 0).toBe(0);
  });

  it('takes a heartbeat whose uptime went back as a restart it missed', async () => {
    await advance(5_000);
    sim.faults.corruptNext(1);
    sim.faults.reset('watchdog');
    await advance(900);
    expect(bench.state().link.status).toBe('ready');
    await advance(200);
    const restarted = bench.events.flatMap((e) => (e.type === 'alert' && e.alert.code === 'CONTROLLER_RESTARTED' ? [e.alert] : []));
    expect(restarted).toEqual([expect.objectContaining({ message: expect.stringMatching(/uptime started again from zero/) })]);
    expect(bench.events.some((e) => e.type === 'link_update' && /restarted \(its uptime went back\)/.test(e.link.reason))).toBe(true);
    await advance(500);
    expect(bench.state().link.status).toBe('ready');
    // One restart, one alert: the heartbeats of the new session do not raise it again.
    await advance(5_000);
    expect(bench.events.filter((e) => e.type === 'alert' && e.alert.code === 'CONTROLLER_RESTARTED')).toHaveLength(1);
  });

  it('counts bad lines, over-long lines and unknown events without leaving ready', async () => {
    const device = bench.device();
    device.write('this is not a line\n');
    device.write(deviceLine.event('read', { ch: 'ec1', v: 1.5 }).replace('1.5', '1.6'));
    device.write('x'.repeat(2000) + '\n');
    device.write(deviceLine.event('sparkle', { level: 11 }));
    await advance(1100);
    const stats = bench.state().stats;
    expect(stats).toMatchObject({ garbage: 1, badChecksum: 1, overlong: 1, unknownEvents: 1 });
    expect(bench.state().link.status).toBe('ready');
  });

  it('checks every reading in a burst as it arrives, and applies only the last good one', async () => {
    const before = { ...bench.link.stats };
    const seen = bench.events.length;
    const readAt = Date.now();
    bench.device().write(
      deviceLine.event('read', { ch: 'ec1', v: 1.1 }) +
        deviceLine.event('read', { ch: 'ec1', v: 1.2 }).replace('1.2', '1.9') +
        deviceLine.event('read', { ch: 'ec1', v: 1.3 }) +
        frame('EVT read ch="ec1 v=1.4') +
        deviceLine.event('read', { ch: 'ec1', v: 'drifting' }),
    );
    await readButHold();
    // Counted line by line, though every one of them is held back or replaced.
    expect(bench.link.stats.linesIn - before.linesIn).toBe(5);
    expect(bench.link.stats.badChecksum - before.badChecksum).toBe(1);
    expect(bench.link.stats.syntax - before.syntax).toBe(1);
    expect(bench.events.slice(seen).filter((e) => e.type === 'ecph_reading')).toEqual([]);

    // The flush comes later than the read; the reading keeps the time it was read.
    vi.setSystemTime(readAt + 1000);
    await new Promise((resolve) => setImmediate(resolve));
    const readings = bench.events.slice(seen).filter((e) => e.type === 'ecph_reading' && e.sensorId === 'ec1');
    // The unreadable value is no reading at all, so the one before it stands, with its own time.
    expect(readings[0]).toEqual({ type: 'ecph_reading', sensorId: 'ec1', value: 1.3, at: readAt });
  });

  it('delivers a dose\'s last progress before the line that says it is done', async () => {
    const seen = bench.events.length;
    bench.device().write(
      deviceLine.event('dose', { ch: 'nut_a', ml: 3, target: 5 }) +
        deviceLine.event('dose', { ch: 'nut_a', ml: 4, target: 5 }) +
        deviceLine.event('dose', { ch: 'nut_a', ml: 5, target: 5, done: 1, why: 'complete' }),
    );
    await readButHold();
    expect(bench.events.slice(seen).filter((e) => e.type === 'pump_progress')).toEqual([
      { type: 'pump_progress', pumpId: 'nut_a', ml: 4, targetMl: 5, done: false, why: null },
      { type: 'pump_progress', pumpId: 'nut_a', ml: 5, targetMl: 5, done: true, why: 'complete' },
    ]);
  });

  it('sends the stop byte ahead of queued commands and voids them', async () => {
    // A device busy elsewhere: commands wait for their answers, so some are still queued.
    sim.faults.silent(true);
    const queued = [1, 2, 3].map(() => bench.link.command('SET', { ch: 'lights', on: 1 }).catch((err: unknown) => err));
    bench.link.emergencyStop();
    const results = await Promise.all(queued);
    expect(results.every((r) => r instanceof CommandError && r.code === 'ESTOP')).toBe(true);
    const stopAt = bench.wire.indexOf('<STOP>');
    expect(bench.wire.filter((line) => line.includes(' SET '))).toHaveLength(1);
    expect(bench.wire.slice(stopAt).some((line) => line.includes(' SET '))).toBe(false);

    // The device missed the byte while it was not listening; the link repeats it until echoed.
    sim.faults.silent(false);
    await advance(300);
    expect(sim.snapshot().estopLatched).toBe(true);
    await expect(bench.link.command('DOSE', { ch: 'nut_a', ml: 1, rate: 1, max: 2000 })).rejects.toMatchObject({ code: 'ESTOP' });
    await bench.link.command('SET', { ch: 'lights', on: 0 });
  });

  it('keeps the stop latched when the device reboots and forgets it', async () => {
    bench.link.emergencyStop();
    await advance(300);
    sim.faults.reset('power');
    await advance(500);
    expect(bench.state().link.status).toBe('ready');
    expect(sim.snapshot().estopLatched).toBe(true);
    expect(bench.state().estop.latched).toBe(true);
    await bench.link.resetEmergencyStop();
    await advance(100);
    expect(sim.snapshot().estopLatched).toBe(false);
    expect(bench.state().estop.latched).toBe(false);
    await bench.link.command('SET', { ch: 'lights', on: 1 });
  });

  it('tells the station why in the API\'s codes, with the words of whoever refused', async () => {
    const controller = controllerCommands(bench.link);
    const refusal = (pending: Promise<unknown>) => pending.then(() => 'done', (err: unknown) => (err instanceof Refusal ? `${err.code}: ${err.message}` : err));

    expect(await refusal(controller.setRelay('lights', true))).toBe('done');
    // The device's own reasons (a channel it does not have, a value it will not take) read REFUSED.
    expect(await refusal(controller.setRelay('lights', true, 0))).toBe('REFUSED: max must be a positive number');
    expect(await refusal(controller.setRelay('nowhere', true))).toMatch(/^REFUSED: /);
    expect(await refusal(controller.dose('lights', 1, 1, 2000))).toMatch(/^REFUSED: /);

    bench.link.emergencyStop();
    expect(await refusal(controller.dose('nut_a', 1, 1, 2000))).toBe('ESTOP: the emergency stop is latched; reset it before switching anything on');
    await advance(300);
    expect(await refusal(bench.link.resetEmergencyStop())).toBe('done');

    // Nothing answers: the tries run out before the silence limit drops the link.
    sim.faults.silent(true);
    const unanswered = refusal(controller.ping());
    await advance(2100);
    expect(await unanswered).toBe('TIMEOUT: the controller did not acknowledge PING after 4 tries (timeout)');

    const stopping = bench.link.stop();
    await advance(2000);
    await stopping;
    expect(await refusal(controller.stop())).toBe('NOT_READY: the controller is not connected (disconnected: stopped)');
    expect(await refusal(bench.link.resetEmergencyStop())).toBe('NOT_READY: the controller is not connected (disconnected: stopped)');
  });

  it('backs off between reconnects when the port keeps failing', async () => {
    await bench.link.stop();
    const attempts: number[] = [];
    const failing = new StationLink({
      port: '/dev/gone',
      simulated: false,
      random: () => 0.5,
      open: async () => {
        attempts.push(Date.now());
        throw new Error('ENOENT');
      },
    });
    await expect(failing.start()).rejects.toThrow('ENOENT');
    expect(failing.state).toMatchObject({ status: 'error', attempt: 1 });
    expect(failing.state.reason).toMatch(/cannot open \/dev\/gone: ENOENT; reconnecting in/);
    // Nominal 250 ms doubling to a 5 s cap; with the jitter fixed, each wait is 3/4 of that.
    await advance(30_000);
    const waits = attempts.slice(1).map((at, i) => at - attempts[i]!);
    expect(waits.slice(0, 8)).toEqual([188, 375, 750, 1500, 3000, 3750, 3750, 3750]);
    await failing.stop();
    const stoppedAt = attempts.length;
    await advance(30_000);
    expect(attempts.length).toBe(stoppedAt);
  });
});

describe('a controller that speaks another protocol version', () => {
  it('stays in error with a clear message and does not hammer the port', async () => {
    await bench.link.stop();
    let hellos = 0;
    const other = connectTo((device) => {
      device.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString('latin1').split('\n')) {
          const body = unframe(line);
          const command = body.ok ? parseHostBody(body.body) : null;
          if (command?.verb !== 'HELLO') continue;
          hellos++;
          device.write(deviceLine.ack(command.seq, { device: 'future', fw: '9', proto: '2.0', serial: 'F1', window: 1, watchdog: 3000, maxline: 512 }));
        }
      });
    });
    await other.link.start();
    await advance(100);
    expect(other.state().link.status).toBe('error');
    expect(other.state().link.reason).toMatch(/speaks protocol 2\.0, Tendril speaks 1\.x/);
    await advance(25_000);
    expect(hellos).toBe(1);
    await advance(10_000);
    expect(hellos).toBe(2);
    await other.link.stop();
  });
});
