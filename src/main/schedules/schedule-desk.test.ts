/**
 * Schedules through the command door, against the simulated station on a fake clock: what a
 * grower does from a screen, checked against the simulator's ground truth.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandAck } from '../../shared/commands';
import { growerDoor, startSimStation, type GrowerDoor, type SimStation } from '../../test-support/main/jobs';

let station: SimStation;
let door: GrowerDoor;

afterEach(async () => {
  await station?.close();
});

async function open(settings: Record<string, unknown> = {}): Promise<void> {
  station = await startSimStation(settings);
  door = growerDoor(station.core);
}

const send = (command: Record<string, unknown>): Promise<CommandAck> => door.send(command);
const ok = (command: Record<string, unknown>): Promise<Record<string, unknown>> => door.ok(command);

describe('schedules', () => {
  const minuteOf = (at: number): string => new Date(at).toISOString().slice(11, 16);

  it('marks a run the station refused as skipped, with why, until a run goes ahead', async () => {
    await open();
    const created = await ok({
      type: 'schedule.create',
      schedule: { id: 'air', name: 'Air', enabled: true, timezone: 'UTC', trigger: { kind: 'cron', expression: '* * * * *', action: { kind: 'mix', relayId: 'air', seconds: 5 } } },
    });
    station.core.emergencyStop();
    await station.advance((created['nextRunAt'] as number) - Date.now() + 1_000);
    const status = station.core.state().schedules[0]!;
    expect(status.lastRunAt).toBe(created['nextRunAt']);
    expect(status.lastRunSkipped).toMatch(/emergency stop is latched/);
    expect(station.core.state().jobs.filter((job) => job.requestedBy === 'schedule Air')).toEqual([]);

    await station.core.resetEmergencyStop();
    await station.advance(60_000);
    expect(station.core.state().schedules[0]).not.toHaveProperty('lastRunSkipped');
    expect(station.core.state().jobs.filter((job) => job.requestedBy === 'schedule Air')).toHaveLength(1);
  });

  it('queues the scheduled job at each run, says who asked, and stops when disabled', async () => {
    await open();
    const created = await ok({
      type: 'schedule.create',
      schedule: { id: 'air', name: 'Air', enabled: true, timezone: 'UTC', trigger: { kind: 'cron', expression: '* * * * *', action: { kind: 'mix', relayId: 'air', seconds: 5 } } },
    });
    expect(created['nextRunAt']).toBe(Math.ceil((Date.now() + 1) / 60_000) * 60_000);
    // Not run yet: no last run to show.
    expect(created['lastRunAt']).toBeNull();
    expect(station.core.state().schedules[0]).toMatchObject({ lastRunAt: null });
    await station.advance((created['nextRunAt'] as number) - Date.now() + 1_000);
    const scheduled = station.core.state().jobs.filter((job) => job.requestedBy === 'schedule Air');
    expect(scheduled).toHaveLength(1);
    expect(station.core.state().schedules[0]).toMatchObject({ lastRunAt: scheduled[0]!.createdAt - (scheduled[0]!.createdAt % 60_000) });

    await ok({ type: 'schedule.enable', scheduleId: 'air', enabled: false });
    expect(station.core.state().schedules[0]).toMatchObject({ schedule: { enabled: false }, nextRunAt: null });
    await station.advance(180_000);
    expect(station.core.state().jobs.filter((job) => job.requestedBy === 'schedule Air')).toHaveLength(1);
  });

  it('switches a light timer on and off, and puts it back after the controller restarts', async () => {
    await open();
    const on = minuteOf(Date.now() + 120_000);
    const off = minuteOf(Date.now() + 240_000);
    await ok({ type: 'schedule.create', schedule: { id: 'lights', name: 'Lights', enabled: true, timezone: 'UTC', trigger: { kind: 'light', relayId: 'lights', on, off } } });
    expect(station.sim.snapshot().relays.lights).toBe(false);
    await station.advance(180_000);
    expect(station.sim.snapshot().relays.lights).toBe(true);

    // The controller reboots: every output is off until Tendril sets the lights again.
    station.sim.faults.reset();
    expect(station.sim.snapshot().relays.lights).toBe(false);
    await station.until(() => station.sim.snapshot().relays.lights === true, 20_000, 'the lights to be restored');

    await station.advance(60_000);
    expect(station.sim.snapshot().relays.lights).toBe(false);
  });

  it('previews the next runs of a draft in its time zone, and refuses a schedule for an unknown recipe', async () => {
    await open();
    const draft = { id: 'd', name: 'Draft', enabled: true, timezone: 'Europe/Berlin', trigger: { kind: 'cron', expression: '30 6 * * *', action: { kind: 'mix', relayId: 'mixer', seconds: 5 } } };
    const { runs } = (await ok({ type: 'schedule.preview', schedule: draft, count: 3 })) as { runs: Array<{ at: number }> };
    expect(runs).toHaveLength(3);
    for (const run of runs) {
      expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' }).format(run.at)).toBe('06:30');
    }
    expect(await send({ type: 'schedule.create', schedule: { ...draft, trigger: { ...draft.trigger, action: { kind: 'recipe', recipeId: 'nope' } } } })).toMatchObject({
      ok: false,
      error: { code: 'REFUSED', message: expect.stringMatching(/no recipe "nope"/) },
    });
    expect(await send({ type: 'schedule.create', schedule: { ...draft, trigger: { ...draft.trigger, expression: '61 6 * * *' } } })).toMatchObject({ ok: false, error: { code: 'INVALID' } });
  });
});
