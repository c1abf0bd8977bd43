/**
 * Schedules and the outputs they drive agree: lights go back to their window after anything that
 * switched them off, a timer that stops driving a light switches it off, a schedule whose job the
 * caps would always refuse is refused when it is saved, and a light that does not match its timer
 * raises an alert. Against the simulated station on a fake clock, through the command door.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandAck } from '../../shared/commands';
import type { Alert, Job } from '../../shared/station';
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

const alerts = (code: string): Alert[] => station.core.state().alerts.filter((alert) => alert.code === code);
const lightsOn = (): boolean | undefined => station.sim.snapshot().relays.lights;
const minuteOf = (at: number): string => new Date(at).toISOString().slice(11, 16);

/** A light timer whose on-window started a minute ago and lasts an hour, on relay "lights". */
async function lightsInTheirWindow(): Promise<void> {
  await ok({
    type: 'schedule.create',
    schedule: { id: 'lights', name: 'Lights', enabled: true, timezone: 'UTC', trigger: { kind: 'light', relayId: 'lights', on: minuteOf(Date.now() - 60_000), off: minuteOf(Date.now() + 3_600_000) } },
  });
  await station.until(() => lightsOn() === true, 5_000, 'the lights to come on');
}

function daily(id: string, action: Record<string, unknown>, expression = '0 8 * * *'): Record<string, unknown> {
  return { id, name: id, enabled: true, timezone: 'UTC', trigger: { kind: 'cron', expression, action } };
}

describe('lights after something switched every output off', () => {
  it('come back to their window when the emergency stop is reset, and a dose it cut off does not', async () => {
    await open();
    await lightsInTheirWindow();
    const dose = (await ok({ type: 'job.start', job: { kind: 'dose', pumpId: 'nut_a', ml: 20 } })) as { job: Job };
    await station.advance(3_000);
    await ok({ type: 'estop' });
    await station.until(() => station.core.state().estop.latched && lightsOn() === false, 5_000, 'the stop to latch');
    // Latched: nothing comes back, however long it stays that way.
    await station.advance(60_000);
    expect(lightsOn()).toBe(false);

    await ok({ type: 'estop.reset' });
    await station.until(() => lightsOn() === true, 5_000, 'the lights to be restored after the reset');
    await station.advance(30_000);
    expect(station.job(dose.job.id)).toMatchObject({ endedAt: expect.any(Number) });
    expect(station.job(dose.job.id)?.state).not.toBe('succeeded');
    expect(station.sim.snapshot().pumps.nut_a).toBe(false);
    expect(alerts('LIGHT_NOT_SWITCHED')).toEqual([]);
  });

  it('come back after the link was lost long enough for the controller watchdog to switch them off', async () => {
    await open();
    await lightsInTheirWindow();
    station.sim.faults.silent(true);
    await station.until(() => station.core.state().link.status !== 'ready' && lightsOn() === false, 30_000, 'the watchdog to switch the lights off');
    station.sim.faults.silent(false);
    await station.until(() => station.core.state().link.status === 'ready', 60_000, 'the link to come back');
    await station.until(() => lightsOn() === true, 5_000, 'the lights to be restored after the reconnect');
  });

  it('wait for the reset when the controller restarts with the stop still latched', async () => {
    await open();
    await lightsInTheirWindow();
    await ok({ type: 'estop' });
    await station.until(() => lightsOn() === false, 5_000, 'the stop to switch the lights off');
    station.sim.faults.reset();
    await station.until(() => station.core.state().link.status === 'ready' && station.sim.snapshot().estopLatched, 20_000, 'the handshake and the stop sent again');
    await station.advance(10_000);
    expect(lightsOn()).toBe(false);
    expect(alerts('LIGHT_NOT_SWITCHED')).toEqual([]);

    await ok({ type: 'estop.reset' });
    await station.until(() => lightsOn() === true, 5_000, 'the lights to be restored after the reset');
  });
});

describe('a light timer that stops driving its relay', () => {
  it('switches the relay off when it is deleted, and says so', async () => {
    await open();
    await lightsInTheirWindow();
    const result = await ok({ type: 'schedule.delete', scheduleId: 'lights' });
    expect(result).toEqual({ scheduleId: 'lights', light: { relayId: 'lights', on: false, message: expect.stringMatching(/switched off: light timer "Lights" no longer drives it/) } });
    expect(lightsOn()).toBe(false);
  });

  it('switches the relay off when it is disabled, and on again when enabled', async () => {
    await open();
    await lightsInTheirWindow();
    const disabled = await ok({ type: 'schedule.enable', scheduleId: 'lights', enabled: false });
    expect(disabled).toMatchObject({ schedule: { enabled: false }, light: { relayId: 'lights', on: false } });
    expect(lightsOn()).toBe(false);
    const enabled = await ok({ type: 'schedule.enable', scheduleId: 'lights', enabled: true });
    expect(enabled['light']).toBeUndefined();
    await station.until(() => lightsOn() === true, 5_000, 'the lights to come on again');
  });

  it('leaves a relay a job holds to the job, and says so', async () => {
    await open();
    await lightsInTheirWindow();
    // A job takes the relay over: its own run keeps it on until the job ends.
    await ok({ type: 'schedule.enable', scheduleId: 'lights', enabled: false });
    const mix = (await ok({ type: 'job.start', job: { kind: 'mix', relayId: 'lights', seconds: 120 } })) as { job: Job };
    await station.until(() => lightsOn() === true, 5_000, 'the job to switch the relay on');
    await ok({ type: 'schedule.enable', scheduleId: 'lights', enabled: true });
    const result = await ok({ type: 'schedule.delete', scheduleId: 'lights' });
    expect(result['light']).toEqual({ relayId: 'lights', on: true, message: expect.stringMatching(new RegExp(`stays on: job ${mix.job.id} .*holds it`)) });
    expect(lightsOn()).toBe(true);
  });
});

describe('a schedule the safety caps would always refuse', () => {
  it('is refused when saved, naming the cap, its value and what to change', async () => {
    await open();
    const overDose = await send({ type: 'schedule.create', schedule: daily('feed', { kind: 'dose', pumpId: 'nut_a', ml: 100 }) });
    expect(overDose).toMatchObject({ ok: false, error: { code: 'REFUSED', message: expect.stringMatching(/"feed" would be refused every time it runs: a dose of 100 mL exceeds the 50 mL per-dose cap .*raise the cap in Settings → Safety/) } });

    // Once a year is still once too often for a dose over the cap.
    expect(await send({ type: 'schedule.create', schedule: daily('yearly', { kind: 'dose', pumpId: 'nut_a', ml: 100 }, '0 8 1 1 *') })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/50 mL per-dose cap/) } });

    // 30 mL every hour is 720 mL a day; the daily cap is 500 mL.
    const overDay = await send({ type: 'schedule.create', schedule: daily('hourly', { kind: 'dose', pumpId: 'nut_a', ml: 30 }, '0 * * * *') });
    expect(overDay).toMatchObject({ ok: false, error: { code: 'REFUSED', message: expect.stringMatching(/runs 17 times in 24 h and run 17 would be refused: .*500 mL daily cap.*run it less often or dose less/) } });

    const overFill = await send({ type: 'schedule.create', schedule: daily('topup', { kind: 'fill', tankId: 'main', liters: 200 }) });
    expect(overFill).toMatchObject({ ok: false, error: { code: 'REFUSED', message: expect.stringMatching(/200 L would take tank .* past \d+ L \(capacity 100 L less headroom\)/) } });
    // A top-up to a level, or a drain, is judged by the level when it fires, not now.
    expect(await send({ type: 'schedule.create', schedule: daily('to-level', { kind: 'fill-to', tankId: 'main', toLiters: 80 }) })).toMatchObject({ ok: true });
    expect(await send({ type: 'schedule.delete', scheduleId: 'to-level' })).toMatchObject({ ok: true });

    await ok({ type: 'recipe.create', recipe: { id: 'strong', name: 'Strong', steps: [{ kind: 'job', job: { kind: 'dose', pumpId: 'nut_b', ml: 30 } }, { kind: 'job', job: { kind: 'dose', pumpId: 'nut_b', ml: 60 } }] } });
    const overRecipe = await send({ type: 'schedule.create', schedule: daily('strong', { kind: 'recipe', recipeId: 'strong' }) });
    expect(overRecipe).toMatchObject({ ok: false, error: { code: 'REFUSED', message: expect.stringMatching(/recipe Strong, step 2: a dose of 60 mL exceeds the 50 mL per-dose cap/) } });

    // Nothing was stored; a schedule within the caps is, and an hourly 20 mL (480 mL a day) too.
    expect(station.core.state().schedules).toEqual([]);
    await ok({ type: 'schedule.create', schedule: daily('feed', { kind: 'dose', pumpId: 'nut_a', ml: 40 }) });
    await ok({ type: 'schedule.create', schedule: daily('hourly', { kind: 'dose', pumpId: 'nut_b', ml: 20 }, '0 * * * *') });
    // An update is held to the same caps.
    expect(await send({ type: 'schedule.update', schedule: daily('feed', { kind: 'dose', pumpId: 'nut_a', ml: 100 }) })).toMatchObject({ ok: false, error: { code: 'REFUSED' } });
    expect(station.core.state().schedules.map((status) => status.schedule.trigger)).toContainEqual(expect.objectContaining({ action: { kind: 'dose', pumpId: 'nut_a', ml: 40 } }));
  });

  it('may be kept disabled, and is refused when switched on', async () => {
    await open();
    await ok({ type: 'schedule.create', schedule: { ...daily('feed', { kind: 'dose', pumpId: 'nut_a', ml: 100 }), enabled: false } });
    expect(await send({ type: 'schedule.enable', scheduleId: 'feed', enabled: true })).toMatchObject({ ok: false, error: { code: 'REFUSED', message: expect.stringMatching(/50 mL per-dose cap/) } });
    expect(station.core.state().schedules[0]?.schedule.enabled).toBe(false);
  });

  it('is flagged when a recipe it runs is changed past the caps', async () => {
    await open();
    const feed = { id: 'feed', name: 'Feed', steps: [{ kind: 'job', job: { kind: 'dose', pumpId: 'nut_a', ml: 10 } }] };
    await ok({ type: 'recipe.create', recipe: feed });
    await ok({ type: 'schedule.create', schedule: daily('nightly', { kind: 'recipe', recipeId: 'feed' }) });
    expect(alerts('SCHEDULE_BREAKS_CAPS')).toEqual([]);
    await ok({ type: 'recipe.update', recipe: { ...feed, steps: [{ kind: 'job', job: { kind: 'dose', pumpId: 'nut_a', ml: 80 } }] } });
    expect(alerts('SCHEDULE_BREAKS_CAPS')).toEqual([expect.objectContaining({ level: 'warning', message: expect.stringMatching(/"nightly" would be refused every time it runs: recipe Feed, step 1: a dose of 80 mL exceeds the 50 mL per-dose cap/) })]);
  });
});

describe('a light that does not match its timer', () => {
  it('raises a warning once it has been wrong past the grace, and not during an emergency stop', async () => {
    await open();
    await lightsInTheirWindow();
    await ok({ type: 'relay.set', relayId: 'lights', on: false });
    await station.advance(60_000);
    expect(alerts('SCHEDULE_MISMATCH')).toEqual([]);
    await station.advance(90_000);
    expect(alerts('SCHEDULE_MISMATCH')).toEqual([
      expect.objectContaining({ level: 'warning', message: expect.stringMatching(/^Lights has been off during the on-window of light timer "Lights" .* for 2 min, and Tendril did not switch it; switch it on/) }),
    ]);
    // Reported once for the one mismatch.
    await station.advance(300_000);
    expect(alerts('SCHEDULE_MISMATCH')).toHaveLength(1);

    // Put right, then stopped: an emergency stop explains the dark.
    await ok({ type: 'relay.set', relayId: 'lights', on: true });
    await station.advance(60_000);
    await ok({ type: 'estop' });
    await station.advance(600_000);
    expect(alerts('SCHEDULE_MISMATCH')).toHaveLength(1);
  });
});
