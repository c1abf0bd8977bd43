import { describe, expect, it } from 'vitest';
import { SoakLedger, type Truth } from './ledger';

const rules = {
  caps: { nut_a: { maxMlPerDose: 50, maxMlPerDay: 100 } },
  overflowL: 95,
  watchdogMs: 3_000,
  mayStayOn: new Set(['lights']),
};

/** The simulator at rest: 60 L, everything off, no pump run yet. */
function truth(patch: Partial<Truth> = {}): Truth {
  return {
    simMs: 0,
    relays: { fill: false, lights: false },
    pumps: { nut_a: false },
    tank: { volumeL: 60, peakVolumeL: 60 },
    dosedMl: { nut_a: 0 },
    pumpRuns: { ended: 0, recent: [] },
    ...patch,
  };
}

const runs = (...ml: number[]) => ({ ended: ml.length, recent: ml.map((m) => ({ pump: 'nut_a', ml: m })) });

describe('the soak ledger', () => {
  it('counts a pump run over its cap per dose, and runs within a day over the daily cap', () => {
    const ledger = new SoakLedger(rules);
    ledger.observe(truth({ pumpRuns: runs(40) }), 0);
    expect(ledger.allClear()).toBe(true);
    ledger.observe(truth({ pumpRuns: runs(40, 55) }), 1_000);
    expect(ledger.counts.overdoses).toBe(1);
    expect(ledger.failures[0]).toContain('55.0 mL in one go, over its 50 mL cap per dose');
    // 40 + 55 + 10 within a day: over 100 mL.
    ledger.observe(truth({ pumpRuns: runs(40, 55, 10) }), 2_000);
    expect(ledger.counts.overdoses).toBe(2);
    expect(ledger.failures[1]).toContain('105.0 mL within a day');
    // A day later the earlier runs no longer count.
    ledger.observe(truth({ pumpRuns: runs(40, 55, 10, 30) }), 2_000 + 24 * 3_600_000);
    expect(ledger.counts.overdoses).toBe(2);
  });

  it('sees each run once, however many snapshots carry it', () => {
    const ledger = new SoakLedger(rules);
    for (let at = 0; at < 5; at++) ledger.observe(truth({ pumpRuns: runs(30) }), at);
    expect(ledger.runs).toHaveLength(1);
  });

  it('counts the tank past capacity minus headroom once per time it goes over', () => {
    const ledger = new SoakLedger(rules);
    ledger.observe(truth({ tank: { volumeL: 94, peakVolumeL: 94 } }), 0);
    ledger.observe(truth({ tank: { volumeL: 95.5, peakVolumeL: 95.5 } }), 1);
    ledger.observe(truth({ tank: { volumeL: 95.6, peakVolumeL: 95.6 } }), 2);
    expect(ledger.counts.overflows).toBe(1);
  });

  it('wants every output off within the watchdog and a second of a link loss, and times it', () => {
    const ledger = new SoakLedger(rules);
    ledger.expectAllOff(0, 'the cable was pulled');
    ledger.observe(truth({ pumps: { nut_a: true } }), 2_000);
    expect(ledger.awaitingOff).toBe(true);
    ledger.observe(truth(), 3_100);
    expect(ledger.awaitingOff).toBe(false);
    expect(ledger.offTimes).toEqual([3_100]);

    ledger.expectAllOff(10_000, 'Tendril was killed');
    ledger.observe(truth({ relays: { fill: true, lights: false } }), 14_001);
    expect(ledger.counts.late_offs).toBe(1);
    expect(ledger.failures[0]).toBe('late_offs: fill still on 4001 ms after Tendril was killed (allowed: 4000 ms)');
  });

  it('counts a pump or a valve that comes on while nobody asked, but not the lights', () => {
    const ledger = new SoakLedger(rules);
    ledger.observe(truth(), 0);
    ledger.handsOffFrom(0, 'a device reset');
    ledger.observe(truth({ relays: { fill: false, lights: true } }), 500);
    expect(ledger.counts.resumed).toBe(0);
    ledger.observe(truth({ relays: { fill: true, lights: true } }), 900);
    expect(ledger.failures).toEqual(['resumed: fill came on by itself 900 ms after a device reset']);
    ledger.handsOn();
    ledger.observe(truth({ pumps: { nut_a: true } }), 1_000);
    expect(ledger.counts.resumed).toBe(1);
  });

  it('holds the pumps to the dose audit within 1%, a dose cut short by a crash counting from nothing to its full amount', () => {
    const ledger = new SoakLedger(rules);
    ledger.observe(truth({ dosedMl: { nut_a: 100.5 } }), 0);
    ledger.checkAudit({ known: { nut_a: 100 }, atMost: {} });
    expect(ledger.allClear()).toBe(true);
    ledger.checkAudit({ known: { nut_a: 90 }, atMost: { nut_a: 20 } });
    expect(ledger.allClear()).toBe(true);
    ledger.checkAudit({ known: { nut_a: 95 }, atMost: {} });
    expect(ledger.failures).toEqual(['overdoses: nut_a: the pump delivered 100.5 mL in all, the dose audit says 95.0 mL']);
  });

  it('counts lost jobs and screens that drifted', () => {
    const ledger = new SoakLedger(rules);
    ledger.lostJob('accepted job 7 is not in the database');
    ledger.divergedScreen('screen 1 hashed 00000000');
    expect(ledger.counts).toMatchObject({ lost: 1, diverged: 1 });
    expect(ledger.allClear()).toBe(false);
  });
});
