/**
 * The LAN server's live side, end to end: real Socket.IO clients against the real server, the
 * station core and the simulator process on a real pty.
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateHash, type StationEvent } from '../../shared/events';
import { tankMap, tankOf } from '../../shared/scope';
import type { StationState, Tank } from '../../shared/station';
import { createStationControl } from '../control';
import { connectError, OPERATOR_TOKEN, startLanStation, TestScreen, VIEWER_TOKEN, type LanStation } from '../../test-support/main/lan-station';
import { socatAvailable, waitFor } from '../../test-support/main/sim-process';
import { TEST_START } from '../../test-support/main/fake-time';
import { FailureLimiter } from './access';
import { createLanServer } from './http-server';

const tanks: Tank[] = [
  { id: 'veg', name: 'Veg', capacityL: 100, channelIds: ['fill', 'air', 'nut_a', 'ec1', 'ph1', 'flow1'] },
  { id: 'bloom', name: 'Bloom', capacityL: 80, channelIds: ['drain', 'lights', 'nut_b', 'temp1', 'level1'] },
];

let station: LanStation;
const screens: TestScreen[] = [];

function screen(token: string | undefined, name: string, options: { reconnection?: boolean; on?: LanStation } = {}): TestScreen {
  const created = new TestScreen((options.on ?? station).url, token, name, options);
  screens.push(created);
  return created;
}

async function snapshotOverHttp(on: LanStation): Promise<{ seq: number; epoch: string; state: StationState }> {
  const response = await fetch(`${on.url}/api/state`, { headers: { authorization: `Bearer ${VIEWER_TOKEN}` } });
  return (await response.json()) as { seq: number; epoch: string; state: StationState };
}

let ids = 0;
const nextId = () => `test-${++ids}`;

describe.skipIf(!socatAvailable())('LAN live server', () => {
  beforeAll(async () => {
    station = await startLanStation(tanks);
  }, 30_000);

  afterAll(async () => {
    for (const s of screens) s.close();
    await station?.close();
  }, 30_000);

  it('sends initial_state, then events numbered without gaps', async () => {
    const watcher = await screen(VIEWER_TOKEN, 'ordering').ready();
    const start = watcher.received[0]!;
    expect(start.name).toBe('initial_state');
    expect(start.payload).toMatchObject({ you: { role: 'viewer', name: 'ordering' } });
    await waitFor(() => watcher.received.length > 10, 10_000, 'ten events from the running station');
    const events = watcher.received.slice(1).map((entry) => entry.payload as StationEvent);
    events.forEach((event, index) => {
      expect(event.seq).toBe(start.payload.seq + index + 1);
      expect(event.epoch).toBe(start.payload.epoch);
    });
    expect(watcher.resyncs).toBe(0);
    watcher.close();
  });

  it('refuses a screen without a token, or with a bad one, saying why', async () => {
    const none = screen(undefined, 'no token');
    const refusal = await connectError(none);
    expect(refusal.data?.code).toBe('UNAUTHORIZED');
    expect(refusal.message).toMatch(/pairing link/);
    const bad = screen('not-a-real-token-at-all', 'bad token');
    expect((await connectError(bad)).message).toMatch(/not valid/);
  });

  it('refuses a browser page from another origin, and admits its own', async () => {
    const foreign = io(station.url, { auth: { token: VIEWER_TOKEN }, transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { origin: 'http://evil.example' } });
    const refused = await new Promise<Error>((resolve) => foreign.once('connect_error', resolve));
    expect(refused.message).toMatch(/websocket error|origin/i);
    foreign.close();
    const own = io(station.url, { auth: { token: VIEWER_TOKEN }, transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { origin: station.url } });
    await new Promise<void>((resolve, reject) => {
      own.once('connect', resolve);
      own.once('connect_error', reject);
    });
    own.close();
  });

  it('lets an operator switch a relay, shows it to everyone, and forbids it to a viewer', async () => {
    const operator = await screen(OPERATOR_TOKEN, 'operator').ready();
    const viewer = await screen(VIEWER_TOKEN, 'viewer').ready();
    const forbidden = await viewer.command({ id: nextId(), type: 'relay.set', relayId: 'air', on: true });
    expect(forbidden).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/operator/) } });
    expect((await station.sim.snapshot()).relays.air).toBe(false);

    const ack = await operator.command({ id: nextId(), type: 'relay.set', relayId: 'air', on: true });
    expect(ack).toEqual({ ok: true, result: { relayId: 'air', on: true } });
    expect((await station.sim.snapshot()).relays.air).toBe(true);
    await waitFor(() => viewer.replica?.state.relays.air?.on === true, 5_000, 'the viewer to see the relay on');
    expect(viewer.received.some((e) => e.name === 'relay_update' && (e.payload as { relayId?: string }).relayId === 'air')).toBe(true);
    await operator.command({ id: nextId(), type: 'relay.set', relayId: 'air', on: false });
    operator.close();
    viewer.close();
  });

  it('answers malformed commands with INVALID and stays up', async () => {
    const operator = await screen(OPERATOR_TOKEN, 'careless').ready();
    const answers = await Promise.all([
      operator.command({ id: nextId(), type: 'relay.set', relayId: 'air', on: 'yes' }),
      operator.command({ id: nextId(), type: 'pump.dose', pumpId: 'nut_a', ml: -5 }),
      operator.command({ type: 'estop' }),
      operator.command({ id: nextId(), type: 'launch' }),
      operator.socket.timeout(5_000).emitWithAck('command', 'estop'),
      operator.socket.timeout(5_000).emitWithAck('subscribe_tank', { tank: 'veg' }),
      operator.socket.timeout(5_000).emitWithAck('subscribe_tank', { tankId: 'flower' }),
    ]);
    for (const answer of answers) expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    expect((answers[0] as { error: { message: string } }).error.message).toMatch(/on must be true or false/);
    expect((answers[6] as { error: { message: string } }).error.message).toMatch(/veg, bloom/);
    expect(station.core.state().estop.latched).toBe(false);
    // Still serving: a well-formed command works on the same connection.
    expect(await operator.command({ id: nextId(), type: 'relay.set', relayId: 'air', on: false })).toMatchObject({ ok: true });
    operator.close();
  });

  it('refuses an amount too small to measure, a denormal too, over either road, and starts nothing', async () => {
    const operator = await screen(OPERATOR_TOKEN, 'tiny amounts').ready();
    const jobsBefore = station.core.state().jobs.length;
    const tooSmall = [
      [{ type: 'pump.dose', pumpId: 'nut_a', ml: 5e-324 }, 'ml must be at least 0.1 mL'],
      [{ type: 'job.start', job: { kind: 'dose', pumpId: 'nut_a', ml: 0.09 } }, 'job.ml: ml must be at least 0.1 mL'],
      [{ type: 'job.start', job: { kind: 'fill', tankId: 'veg', liters: 5e-324 } }, 'job.liters: liters must be at least 0.01 L'],
      [{ type: 'job.start', job: { kind: 'mix', relayId: 'air', seconds: 0.5 } }, 'job.seconds: seconds must be at least 1 s'],
    ] as const;
    for (const [command, message] of tooSmall) {
      expect(await operator.command({ id: nextId(), ...command }), JSON.stringify(command)).toEqual({ ok: false, error: { code: 'INVALID', message } });
      const overHttp = await fetch(`${station.url}/api/command`, {
        method: 'POST',
        headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: nextId(), ...command }),
      });
      expect(await overHttp.json()).toEqual({ ok: false, error: { code: 'INVALID', message } });
    }
    expect(station.core.state().jobs).toHaveLength(jobsBefore);
    expect(operator.received.filter((e) => e.name === 'job_update')).toEqual([]);
    expect((await station.sim.snapshot()).relays.air).toBe(false);
    operator.close();
  });

  it('tells every screen which channel each tank fills, drains and circulates with', async () => {
    const viewer = await screen(VIEWER_TOKEN, 'plumbing').ready();
    const roles = (state: StationState) => Object.fromEntries(state.tanks.map((tank) => [tank.id, tank.roles]));
    // As the jobs and the valve guards work them out from the channel table the controller sent.
    const expected = {
      veg: { fillValve: 'fill', flowMeter: 'flow1', ecSensor: 'ec1', phSensor: 'ph1', nutrients: ['nut_a'] },
      bloom: { drainValve: 'drain', levelSensor: 'level1', nutrients: ['nut_b'] },
    };
    expect(roles(viewer.replica!.state)).toEqual(expected);
    expect(roles((await snapshotOverHttp(station)).state)).toEqual(expected);
    viewer.close();
  });

  it('drops only the connection that sends an oversize payload', async () => {
    const bystander = await screen(VIEWER_TOKEN, 'bystander').ready();
    const flooder = await screen(OPERATOR_TOKEN, 'flooder').ready();
    const gone = new Promise<string>((resolve) => flooder.socket.once('disconnect', resolve));
    flooder.socket.emit('command', { id: nextId(), type: 'estop', padding: 'x'.repeat(70 * 1024) });
    expect(await gone).toMatch(/transport/);
    expect(station.core.state().estop.latched).toBe(false);
    const before = bystander.received.length;
    await waitFor(() => bystander.received.length > before, 5_000, 'the bystander to keep receiving');
    expect(bystander.socket.connected).toBe(true);
    bystander.close();
  });

  it('applies a command retried with one id once, and answers every retry alike', async () => {
    const operator = await screen(OPERATOR_TOKEN, 'retrier').ready();
    const command = { id: nextId(), type: 'pump.dose', pumpId: 'nut_a', ml: 2 };
    const acks = await Promise.all([operator.command(command), operator.command(command), operator.command(command)]);
    expect(acks).toEqual([0, 1, 2].map(() => ({ ok: true, result: { pumpId: 'nut_a', ml: 2, jobId: expect.any(Number) } })));
    expect(new Set(acks.map((ack) => JSON.stringify(ack))).size).toBe(1);
    await waitFor(
      () => operator.received.some((e) => e.name === 'pump_progress' && (e.payload as { done?: boolean; pumpId?: string }).done === true),
      15_000,
      'the dose to finish',
    );
    const ends = operator.received.filter((e) => e.name === 'pump_progress' && (e.payload as { done?: boolean }).done === true);
    expect(ends).toHaveLength(1);
    // A key reused for a different command is refused rather than silently answered.
    const reused = await operator.command({ ...command, ml: 3 });
    expect(reused).toMatchObject({ ok: false, error: { code: 'INVALID', message: expect.stringMatching(/new id/) } });
    operator.close();
  });

  it('sends a tank-following screen only that tank and the whole-station events', async () => {
    const everything = await screen(VIEWER_TOKEN, 'everything').ready();
    const follower = await screen(VIEWER_TOKEN, 'follower').ready();
    const operator = await screen(OPERATOR_TOKEN, 'switcher').ready();
    expect(await follower.socket.timeout(5_000).emitWithAck('subscribe_tank', { tankId: 'veg' })).toEqual({ ok: true });
    await waitFor(() => follower.received.some((e) => e.name === 'status_update'), 5_000, 'the tank snapshot');
    const from = follower.received.length;
    // One output of each tank, and one that belongs to the whole station.
    for (const relayId of ['air', 'lights', 'mixer']) await operator.command({ id: nextId(), type: 'relay.set', relayId, on: true });
    for (const relayId of ['air', 'lights', 'mixer']) await operator.command({ id: nextId(), type: 'relay.set', relayId, on: false });
    await waitFor(() => everything.replica?.state.relays.mixer?.on === false, 5_000, 'the last switch to arrive');
    await waitFor(() => follower.replica?.state.relays.mixer?.on === false, 5_000, 'the follower to see the last switch');
    const seen = follower.received.slice(from).map((e) => e.payload as StationEvent);
    const map = tankMap(tanks);
    expect(seen.filter((event) => tankOf(event, map) === 'bloom')).toEqual([]);
    const switched = seen.filter((e) => e.type === 'relay_update').map((e) => (e as { relayId: string }).relayId);
    expect(switched).toEqual(['air', 'mixer', 'air', 'mixer']);
    expect(follower.replica?.state.tanks.map((t) => t.id)).toEqual(['veg']);
    expect(follower.replica?.state.readings.temp1).toBeUndefined();
    expect(follower.resyncs).toBe(0);
    // Back to everything: a fresh snapshot of the whole station.
    expect(await follower.socket.timeout(5_000).emitWithAck('unsubscribe_tank')).toEqual({ ok: true });
    await waitFor(() => follower.replica?.state.tanks.length === 2, 5_000, 'the whole-station snapshot');
    for (const s of [everything, follower, operator]) s.close();
  });

  it('counts who is watching, and tells the others who came and went', async () => {
    const phone = await screen(VIEWER_TOKEN, 'Phone in the veg room').ready();
    await waitFor(() => station.core.state().screens.viewer >= 1, 5_000, 'the count');
    await waitFor(() => phone.replica?.state.screens.viewer === station.core.state().screens.viewer, 5_000, 'the phone to count itself');
    const joined = phone.received.filter((r) => r.name === 'presence').flatMap((r) => (r.payload as Extract<StationEvent, { type: 'presence' }>).joined);
    expect(joined.find((v) => v.name === 'Phone in the veg room')).toMatchObject({ role: 'viewer', address: expect.stringMatching(/127\.0\.0\.1/) });
    phone.close();
  });

  it('drops the live connections of a revoked token', async () => {
    const { token, info } = station.tokens.create('viewer', 'a phone that was lost');
    const lost = await screen(token, 'lost phone').ready();
    const gone = new Promise<string>((resolve) => lost.socket.once('disconnect', resolve));
    station.tokens.revoke(info.id);
    expect(await gone).toBe('io server disconnect');
    const again = screen(token, 'lost phone again');
    expect((await connectError(again)).data?.code).toBe('UNAUTHORIZED');
  });

  it('brings fifty screens that drop and come back to main state, as the REST snapshot does', async () => {
    // A station of its own: it is stopped at the end to hold the state still, and the other
    // tests, in whatever order they run, need theirs running.
    const own = await startLanStation(tanks);
    try {
      const operator = await screen(OPERATOR_TOKEN, 'churn operator', { on: own }).ready();
      const crowd = await Promise.all(Array.from({ length: 50 }, (_, i) => screen(VIEWER_TOKEN, `screen ${i}`, { reconnection: true, on: own }).ready()));
      let seed = 42;
      const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
      for (let round = 0; round < 12; round++) {
        for (const member of crowd) {
          const roll = random();
          if (roll < 0.1) member.socket.io.engine.close(); // the network drops: recovery may replay
          else if (roll < 0.2) member.socket.disconnect().connect(); // a reload: a fresh initial_state
        }
        await operator.command({ id: nextId(), type: 'relay.set', relayId: 'air', on: round % 2 === 0 });
        await new Promise((resolve) => setTimeout(resolve, 100 + random() * 100));
      }
      // Stop the station so the state holds still, then wait for every screen to catch up.
      await own.core.shutdown();
      let settled: { seq: number; epoch: string; state: StationState } | null = null;
      await waitFor(
        async () => {
          const snapshot = await snapshotOverHttp(own);
          const caughtUp = crowd.every((member) => member.socket.connected && member.replica?.seq === snapshot.seq && member.replica.epoch === snapshot.epoch);
          if (caughtUp) settled = snapshot;
          return caughtUp;
        },
        20_000,
        'every screen to reach the last event',
      );
      // Both ways back were taken: replayed by recovery, and started over from initial_state.
      expect(crowd.reduce((n, m) => n + m.recoveries, 0)).toBeGreaterThan(0);
      expect(crowd.some((m) => m.received.filter((e) => e.name === 'initial_state').length > 1)).toBe(true);
      const main = stateHash(own.core.state());
      expect(stateHash(settled!.state)).toBe(main);
      for (const member of crowd) expect(stateHash(member.replica!.state)).toBe(main);
      for (const member of [operator, ...crowd]) member.close();
    } finally {
      await own.close();
    }
  }, 60_000);

  it('slows down repeated bad tokens, says for how long, and always lets the right one in', async () => {
    // A server of its own, with a limiter on a clock that moves only when the test moves it: no
    // other test spends its failures, and the lockout can be checked to the millisecond.
    let now = TEST_START;
    const limiter = new FailureLimiter({ maxFailures: 5, lockoutMs: 60_000, now: () => now });
    const guarded = createLanServer({ core: station.core, control: createStationControl(station.core), tokens: station.tokens, host: '127.0.0.1', port: 0, webRoot: null, limiter });
    const url = await guarded.listen();
    const on = (token: string, name: string): TestScreen => {
      const created = new TestScreen(url, token, name);
      screens.push(created);
      return created;
    };
    try {
      const codes: Array<string | undefined> = [];
      for (let i = 0; i < 6; i++) codes.push((await connectError(on(`guess-number-${i}-of-many`, 'guesser'))).data?.code);
      // The fifth wrong token is refused as wrong and locks the address; the sixth meets the lock.
      expect(codes).toEqual(['UNAUTHORIZED', 'UNAUTHORIZED', 'UNAUTHORIZED', 'UNAUTHORIZED', 'UNAUTHORIZED', 'RATE_LIMITED']);
      const refusal = await connectError(on('guess-number-7-of-many', 'guesser'));
      expect(refusal.data).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 60_000 });
      expect(refusal.message).toMatch(/wait 60 s and try again/);
      // The guesses lock out guesses only: the grower's screen on the same address gets in.
      const during = await on(OPERATOR_TOKEN, 'the real operator').ready();
      expect(during.received[0]?.payload).toMatchObject({ you: { role: 'operator', name: 'the real operator' } });

      now += 59_999;
      expect((await connectError(on('guess-number-8-of-many', 'guesser'))).data).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 1 });
      now += 1;
      expect((await connectError(on('guess-number-9-of-many', 'guesser'))).data).toEqual({ code: 'UNAUTHORIZED' });
      const admitted = await on(OPERATOR_TOKEN, 'the real operator').ready();
      expect(admitted.received[0]?.payload).toMatchObject({ you: { role: 'operator', name: 'the real operator' } });
    } finally {
      await guarded.close();
    }
  });
});
