/**
 * A scheduled run the station cannot start is recorded as skipped, with why, whatever stopped
 * it: here the controller has stopped answering. Against the simulated station on a fake clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { growerDoor, startSimStation, type SimStation } from '../../test-support/main/jobs';

let station: SimStation;

afterEach(async () => {
  await station?.close();
});

describe('a skipped scheduled run', () => {
  it('is marked skipped with why when the controller is not connected, and runs nothing', async () => {
    station = await startSimStation();
    const door = growerDoor(station.core);
    await door.ok({
      type: 'schedule.create',
      schedule: { id: 'air', name: 'Air', enabled: true, timezone: 'UTC', trigger: { kind: 'cron', expression: '* * * * *', action: { kind: 'mix', relayId: 'air', seconds: 5 } } },
    });
    expect(station.core.state().schedules[0]).toMatchObject({ lastRunAt: null });
    expect(station.core.state().schedules[0]).not.toHaveProperty('lastRunSkipped');

    station.sim.faults.silent(true);
    await station.until(() => station.core.state().link.status !== 'ready', 30_000, 'the link to be lost');
    const due = station.core.state().schedules[0]!.nextRunAt!;
    await station.until(() => station.core.state().schedules[0]!.lastRunAt !== null, due - Date.now() + 2_000, 'the scheduled run');

    const status = station.core.state().schedules[0]!;
    expect(status.lastRunAt).toBeGreaterThanOrEqual(due);
    expect(status.lastRunSkipped).toMatch(/controller is not connected/);
    // Kept with the schedule, where a restart reads it back (src/main/db/setup.test.ts).
    expect(station.setup.schedules.get('air')?.lastRunSkipped).toBe(status.lastRunSkipped);
    expect(station.core.state().jobs.filter((job) => job.requestedBy === 'schedule Air')).toEqual([]);
  });
});
