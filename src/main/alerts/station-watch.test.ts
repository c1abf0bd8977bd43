import { describe, expect, it } from 'vitest';
import { applyChange, type StationChange } from '../../shared/events';
import { initialStationState, type LinkStats, type LinkStatus, type StationState } from '../../shared/station';
import { FakeClock } from '../../test-support/main/schedules';
import type { AlertInput } from './alert-book';
import { LINK_GRACE_MS, StationWatch } from './station-watch';

function watched() {
  const clock = new FakeClock(0);
  const raised: AlertInput[] = [];
  const stopsSeen: string[] = [];
  const watch = new StationWatch({ clock, raise: (alert) => void raised.push(alert), acknowledgeStop: (by) => void stopsSeen.push(by) });
  let state: StationState = initialStationState(false, '/dev/ttyACM0', 0);
  const apply = (change: StationChange) => {
    const before = state;
    state = applyChange(state, change);
    watch.observe(change, before);
  };
  const link = (status: LinkStatus, reason: string = status) => apply({ type: 'link_update', link: { ...state.link, status, reason, since: clock.now() } });
  const stats = (patch: Partial<LinkStats>) => apply({ type: 'link_stats', stats: { ...state.stats, ...patch } });
  return { clock, raised, stopsSeen, watch, apply, link, stats, codes: () => raised.map((alert) => alert.code) };
}

describe('watching the station for what a grower must hear about', () => {
  it('says who latched the emergency stop: a screen by its name, the controller\'s button', () => {
    const w = watched();
    w.watch.stopRequested('Kitchen tablet');
    w.apply({ type: 'estop_update', latched: true, source: 'host' });
    // The controller's echo of the same stop is not a second alert.
    w.apply({ type: 'estop_update', latched: true, source: 'host' });
    w.watch.resetRequested('the desktop');
    w.apply({ type: 'estop_update', latched: false, source: null });
    w.apply({ type: 'estop_update', latched: true, source: 'button' });
    expect(w.raised.map((alert) => [alert.code, alert.level, alert.message.split(':')[0]])).toEqual([
      ['ESTOP_LATCHED', 'error', 'emergency stop latched by Kitchen tablet'],
      ['ESTOP_RESET', 'info', 'emergency stop reset by the desktop; outputs stay off until they are switched on or a schedule does'],
      ['ESTOP_LATCHED', 'error', 'emergency stop latched by the stop button on the controller'],
    ]);
    // Resetting the stop is seeing it.
    expect(w.stopsSeen).toEqual(['the desktop']);
  });

  it('raises LINK_LOST when the controller stays away past the grace, idle too, and LINK_BACK when it answers', () => {
    const w = watched();
    w.link('connecting');
    w.clock.advanceTo(60_000);
    expect(w.codes()).toEqual([]); // never connected yet: nothing was lost
    w.link('ready');
    w.link('disconnected', 'the port closed (USB cable pulled?)');
    w.clock.advanceTo(60_000 + LINK_GRACE_MS - 1);
    expect(w.codes()).toEqual([]);
    w.clock.advanceTo(60_000 + LINK_GRACE_MS);
    expect(w.raised[0]).toMatchObject({ code: 'LINK_LOST', level: 'error', subject: 'link' });
    expect(w.raised[0]!.message).toContain('the port closed (USB cable pulled?)');
    w.clock.advanceTo(90_000);
    w.link('ready');
    expect(w.raised[1]).toMatchObject({ code: 'LINK_BACK', level: 'info', message: 'the controller answers again, after about 30 s without it' });
  });

  it('lets a short outage pass: a reconnect inside the grace raises nothing', () => {
    const w = watched();
    w.link('ready');
    w.link('disconnected');
    w.clock.advanceTo(LINK_GRACE_MS - 100);
    w.link('ready');
    w.clock.advanceTo(LINK_GRACE_MS * 10);
    expect(w.codes()).toEqual([]);
  });

  it('warns when damaged or resent lines pass a share of the traffic, and says when it is clean again', () => {
    const w = watched();
    let lines = 0;
    let bad = 0;
    // 30% of the lines arrive with a bad checksum, a line every 100 ms.
    for (let i = 0; i < 300; i++) {
      w.clock.advanceTo(w.clock.now() + 100);
      lines++;
      if (i % 10 < 3) bad++;
      w.stats({ linesIn: lines, badChecksum: bad });
    }
    expect(w.codes()).toEqual(['LINK_QUALITY']);
    expect(w.raised[0]!.message).toMatch(/^3\d% of the lines/);
    // Clean for a minute and more.
    for (let i = 0; i < 700; i++) {
      w.clock.advanceTo(w.clock.now() + 100);
      w.stats({ linesIn: ++lines, badChecksum: bad });
    }
    expect(w.codes()).toEqual(['LINK_QUALITY', 'LINK_QUALITY_OK']);
  });

  it('says nothing about a trickle of lines, and starts counting again when the counters do', () => {
    const w = watched();
    w.stats({ linesIn: 5, badChecksum: 3 });
    w.clock.advanceTo(1_000);
    w.stats({ linesIn: 10, badChecksum: 6 });
    w.stats({ linesIn: 0, badChecksum: 0 });
    expect(w.codes()).toEqual([]);
  });
});
