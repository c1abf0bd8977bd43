/**
 * The fill and drain valves over the LAN, as a phone reaches them: a real Socket.IO client
 * against the real server, the station core and the simulator process on a real pty. A valve
 * that only its job may open is refused by hand, with the words that say where to go instead,
 * and the station's true valve stays shut.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tank } from '../../shared/station';
import { OPERATOR_TOKEN, startLanStation, TestScreen, type LanStation } from '../../test-support/main/lan-station';
import { socatAvailable, waitFor, type SimSnapshot } from '../../test-support/main/sim-process';

const tanks: Tank[] = [
  {
    id: 'main',
    name: 'Main',
    capacityL: 100,
    floorL: 25,
    channelIds: ['fill', 'drain', 'mixer', 'circulation', 'lights', 'air', 'nut_a', 'nut_b', 'ph_up', 'ph_down', 'flow1', 'ec1', 'ph1', 'temp1', 'level1'],
  },
];

let station: LanStation;
let operator: TestScreen;
let ids = 0;
const nextId = () => `valves-${++ids}`;

describe.skipIf(!socatAvailable())('valves over the LAN', () => {
  beforeAll(async () => {
    station = await startLanStation(tanks);
    operator = await new TestScreen(station.url, OPERATOR_TOKEN, 'grower phone').ready();
  }, 30_000);

  afterAll(async () => {
    operator?.close();
    await station?.close();
  }, 30_000);

  it('refuses to open the drain valve by hand, pointing to the Drain job and naming the floor', async () => {
    const answer = await operator.command({ id: nextId(), type: 'relay.set', relayId: 'drain', on: true });
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'REFUSED', message: expect.stringMatching(/Drain valve drains tank Main; it opens only in a Drain job, .*floor of 25 L\. Start a drain in Jobs instead/) },
    });
    expect((await station.sim.snapshot()).relays.drain).toBe(false);
  });

  it('refuses the fill valve the same way, and still lets either be switched off', async () => {
    const fill = await operator.command({ id: nextId(), type: 'relay.set', relayId: 'fill', on: true });
    expect(fill).toMatchObject({ ok: false, error: { code: 'REFUSED', message: expect.stringMatching(/opens only in a Fill job/) } });
    for (const relayId of ['fill', 'drain']) {
      expect(await operator.command({ id: nextId(), type: 'relay.set', relayId, on: false })).toMatchObject({ ok: true });
    }
  });

  it('runs a Drain job started from the phone and closes the valve at the level', async () => {
    await waitFor(() => station.core.state().readings.level1 !== undefined, 10_000, 'a level reading');
    const level = station.core.state().readings.level1!.value;
    const answer = await operator.command({ id: nextId(), type: 'job.start', job: { kind: 'drain', tankId: 'main', liters: 1 } });
    expect(answer).toMatchObject({ ok: true });
    const jobId = (answer as { result: { job: { id: number } } }).result.job.id;
    await waitFor(() => station.core.state().jobs.some((job) => job.id === jobId && job.state === 'succeeded'), 30_000, 'the drain to finish');
    // The simulator's snapshot carries the tank's true volume as well as its outputs.
    const after = (await station.sim.snapshot()) as SimSnapshot & { tank: { volumeL: number } };
    expect(after.relays.drain).toBe(false);
    expect(after.tank.volumeL).toBeLessThan(level - 0.5);
  }, 40_000);
});
