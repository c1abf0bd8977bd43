/**
 * The walkthrough's silent troubles, on a whole LAN station (the core on the simulator process
 * over a real pty, real Socket.IO screens): an emergency stop, a controller unplugged while idle
 * and a link losing lines each reach every screen's Alerts, and one screen's acknowledgement is
 * every screen's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isActive, timesRaised } from '../../shared/alerts';
import type { Alert, Tank } from '../../shared/station';
import { OPERATOR_TOKEN, startLanStation, TestScreen, VIEWER_TOKEN, type LanStation } from '../../test-support/main/lan-station';
import { socatAvailable, waitFor } from '../../test-support/main/sim-process';
import { LINK_GRACE_MS } from './station-watch';

const tanks: Tank[] = [{ id: 'main', name: 'Main', capacityL: 100, channelIds: ['fill', 'drain', 'mixer', 'nut_a', 'level1', 'ph1', 'ec1'] }];

let station: LanStation;
let kitchen: TestScreen;
let hall: TestScreen;
let ids = 0;
const nextId = () => `alerts-${++ids}`;

const alertsOn = (screen: TestScreen): Alert[] => screen.replica?.state.alerts ?? [];
const latest = (screen: TestScreen, code: string): Alert | undefined => alertsOn(screen).findLast((alert) => alert.code === code);
/** How often a screen saw this code raised, folded repeats included: it grows with each new one, whatever ran before. */
const raised = (screen: TestScreen, code: string): number => alertsOn(screen).reduce((n, alert) => n + (alert.code === code ? timesRaised(alert) : 0), 0);

describe.skipIf(!socatAvailable())('critical events reach every screen as alerts', () => {
  beforeAll(async () => {
    station = await startLanStation(tanks);
    kitchen = await new TestScreen(station.url, OPERATOR_TOKEN, 'Kitchen tablet').ready();
    hall = await new TestScreen(station.url, VIEWER_TOKEN, 'Hall screen').ready();
  }, 30_000);

  afterAll(async () => {
    kitchen?.close();
    hall?.close();
    await station?.close();
  }, 30_000);

  it('an emergency stop says which screen pressed it; one acknowledgement is every screen\'s, and a viewer may not give it', async () => {
    const stops = raised(kitchen, 'ESTOP_LATCHED');
    expect(await hall.command({ id: nextId(), type: 'estop' })).toMatchObject({ ok: true });
    await waitFor(() => raised(kitchen, 'ESTOP_LATCHED') > stops, 10_000, 'the stop alert on the kitchen tablet');
    const stop = latest(kitchen, 'ESTOP_LATCHED')!;
    expect(stop).toMatchObject({ level: 'error', message: expect.stringMatching(/^emergency stop latched by Hall screen \(LAN screen\): every output is off/) });

    expect(await hall.command({ id: nextId(), type: 'alert.ack', alertIds: [stop.id] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await kitchen.command({ id: nextId(), type: 'alert.ack' })).toMatchObject({ ok: false, error: { code: 'INVALID', message: expect.stringContaining('alertIds') } });
    expect(await kitchen.command({ id: nextId(), type: 'alert.ack', alertIds: [stop.id] })).toEqual({ ok: true, result: { acknowledged: [stop.id] } });
    await waitFor(() => latest(hall, 'ESTOP_LATCHED')?.ack?.by === 'Kitchen tablet (LAN screen)', 10_000, 'the acknowledgement on the hall screen');

    const resets = raised(hall, 'ESTOP_RESET');
    expect(await kitchen.command({ id: nextId(), type: 'estop.reset' })).toMatchObject({ ok: true });
    await waitFor(() => raised(hall, 'ESTOP_RESET') > resets, 10_000, 'the reset note');
    expect(latest(hall, 'ESTOP_RESET')!.message).toMatch(/^emergency stop reset by Kitchen tablet/);
  });

  it('a stop from the controller\'s own button names the button, and resetting it acknowledges it', async () => {
    expect(await station.sim.control('button')).toMatch(/ok/);
    await waitFor(() => alertsOn(kitchen).some((alert) => alert.code === 'ESTOP_LATCHED' && isActive(alert)), 10_000, 'the button\'s stop alert');
    expect(latest(kitchen, 'ESTOP_LATCHED')!.message).toContain('latched by the stop button on the controller');
    expect(await kitchen.command({ id: nextId(), type: 'estop.reset' })).toMatchObject({ ok: true });
    await waitFor(() => latest(hall, 'ESTOP_LATCHED')?.ack?.by === 'Kitchen tablet (LAN screen)', 10_000, 'the stop acknowledged by its reset');
  });

  it('a controller that restarts under Tendril is CONTROLLER_RESTARTED, with its reason', async () => {
    await waitFor(() => station.core.state().link.status === 'ready', 15_000, 'the link');
    const restarts = raised(hall, 'CONTROLLER_RESTARTED');
    expect(await station.sim.control('reset')).toMatch(/ok/);
    await waitFor(() => raised(hall, 'CONTROLLER_RESTARTED') > restarts, 10_000, 'CONTROLLER_RESTARTED on the hall screen');
    expect(latest(hall, 'CONTROLLER_RESTARTED')).toMatchObject({ level: 'warning', message: expect.stringMatching(/^the controller restarted: it was reset\. Every output went off/) });
    await waitFor(() => station.core.state().link.status === 'ready', 15_000, 'the link after the restart');
  });

  it('a controller unplugged while idle is LINK_LOST after the grace, and LINK_BACK once it answers again', async () => {
    await waitFor(() => station.core.state().link.status === 'ready', 15_000, 'the link');
    const [losses, returns] = [raised(hall, 'LINK_LOST'), raised(hall, 'LINK_BACK')];
    expect(await station.sim.control('unplug')).toMatch(/ok/);
    await waitFor(() => raised(hall, 'LINK_LOST') > losses, LINK_GRACE_MS + 10_000, 'LINK_LOST on the hall screen');
    expect(latest(hall, 'LINK_LOST')).toMatchObject({ level: 'error', message: expect.stringContaining(`has not answered for ${LINK_GRACE_MS / 1000} s`) });
    expect(await station.sim.control('replug')).toMatch(/ok/);
    await waitFor(() => raised(hall, 'LINK_BACK') > returns, 20_000, 'LINK_BACK on the hall screen');
  }, 40_000);

  it('30% of the controller\'s lines arriving damaged is LINK_QUALITY, while the link still says ready', async () => {
    await waitFor(() => station.core.state().link.status === 'ready', 20_000, 'the link');
    const warnings = raised(hall, 'LINK_QUALITY');
    expect(await station.sim.control('corrupt-rate 0.3')).toMatch(/ok/);
    try {
      await waitFor(() => raised(hall, 'LINK_QUALITY') > warnings, 30_000, 'LINK_QUALITY on the hall screen');
      expect(latest(hall, 'LINK_QUALITY')).toMatchObject({ level: 'warning', message: expect.stringMatching(/^\d+% of the lines to and from the controller/) });
    } finally {
      await station.sim.control('corrupt-rate 0');
    }
  }, 40_000);
});
