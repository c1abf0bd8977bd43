import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TestHost, useFakeClock } from '../../test-support/main/test-host';
import { scheduleFaults, type FaultSchedule } from './fault-schedule';
import { createDuplexPair, StationSimulator } from './index';

const NONE: FaultSchedule = { garbageEveryMs: null, silentAfterMs: null, dropAfterMs: null, replugAfterMs: null, resetAfterMs: null };

let sim: StationSimulator;
let cancel = (): void => {};

/** A station on an in-memory cable; drop and replug swap in a new cable, as the CLI does. */
function start(schedule: Partial<FaultSchedule>) {
  sim = new StationSimulator({ seed: 5 });
  const plug = (): TestHost => {
    const [hostEnd, stationEnd] = createDuplexPair();
    const host = new TestHost(hostEnd);
    sim.attach(stationEnd);
    return host;
  };
  const hosts = [plug()];
  cancel = scheduleFaults({ ...NONE, ...schedule }, sim, {
    drop: () => sim.faults.dropLink(),
    replug: () => hosts.push(plug()),
  });
  return hosts;
}

beforeEach(useFakeClock);
afterEach(() => {
  cancel();
  sim.stop();
  vi.useRealTimers();
});

describe('scheduled faults', () => {
  it('--reset-after mid-dose: the pump goes off and the dose never resumes', async () => {
    const [host] = start({ resetAfterMs: 2000 });
    await host!.request('HELLO', { proto: '1.0' });
    await host!.request('DOSE', { ch: 'nut_a', ml: 10, rate: 1, max: 20000 });
    expect(sim.snapshot().pumps.nut_a).toBe(true);

    const boot = await host!.waitForEvent('boot', 2100);
    expect(boot.fields).toMatchObject({ why: 'reset' });
    const mark = host!.heard.length;
    expect(sim.snapshot().pumps.nut_a).toBe(false);

    // Long past the dose's own end, with the host talking so the watchdog stays out of it.
    for (let i = 0; i < 12; i++) {
      await vi.advanceTimersByTimeAsync(1000);
      await host!.request('PING');
    }
    const later = host!.heard.slice(mark).flatMap((h) => (h.type === 'line' && h.message.type === 'event' ? [h.message.name] : []));
    expect(later).not.toContain('dose');
    const { rows } = await host!.request('STATE');
    expect(rows.find((r) => r.fields.ch === 'nut_a')?.fields).toEqual({ ch: 'nut_a', run: '0' });
    expect(sim.snapshot()).toMatchObject({ pumps: { nut_a: false }, running: { doses: [], fills: [] } });
  });

  it('--drop-after and --replug-after: one drop, then a new cable to the same station', async () => {
    const hosts = start({ dropAfterMs: 1000, replugAfterMs: 500 });
    await hosts[0]!.request('HELLO', { proto: '1.0' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(sim.snapshot().attached).toBe(false);
    expect(hosts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(hosts).toHaveLength(2);
    // The station kept running: no new boot, and it answers on the new cable.
    expect((await hosts[1]!.request('PING', {}, 7)).final.type).toBe('ack');
    expect(hosts[1]!.events('boot')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(hosts).toHaveLength(2);
  });
});
