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

/** Pump runs of `ml`, each ended a simulated minute after the one before. */
const runs = (...ml: number[]) => ({ ended: ml.length, recent: ml.map((m, i) => ({ pump: 'nut_a', ml: m, endedSimMs: i * 60_000 })) });
const DAY_MS = 24 * 3_600_000;

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
    // A simulated day later the earlier runs no longer count.
    const later = runs(40, 55, 10);
    const dayOn = { ended: 4, recent: [...later.recent, { pump: 'nut_a', ml: 30, endedSimMs: 2 * 60_000 + DAY_MS }] };
    ledger.observe(truth({ pumpRuns: dayOn }), 3_000);
    expect(ledger.counts.overdoses).toBe(2);
  });

  it("judges a day by the simulator's clock, however little time passed on the soak's", () => {
    // At 1000× a simulated day is 86.4 s: 30 mL a simulated day for a month, all within minutes.
    const ledger = new SoakLedger({ ...rules, caps: { nut_a: { maxMlPerDose: 50, maxMlPerDay: 40 } } });
    const recent: Array<{ pump: string; ml: number; endedSimMs: number }> = [];
    for (let day = 0; day < 30; day++) {
      recent.push({ pump: 'nut_a', ml: 30, endedSimMs: day * DAY_MS + 3_600_000 });
      ledger.observe(truth({ pumpRuns: { ended: recent.length, recent: [...recent] } }), day * 86_400);
    }
    expect(ledger.allClear()).toBe(true);
    // A second dose within the same simulated day passes the 40 mL cap, though a real day
    // went by on no clock at all.
    recent.push({ pump: 'nut_a', ml: 30, endedSimMs: 29 * DAY_MS + 7_200_000 });
    ledger.observe(truth({ pumpRuns: { ended: recent.length, recent: [...recent] } }), 30 * 86_400);
    expect(ledger.counts.overdoses).toBe(1);
    expect(ledger.failures[0]).toContain('60.0 mL within a day, over its 40 mL cap per day');
  });

  it("leaves Tendril the edge of its day: a run ending just past a day after another is not counted with it", () => {
    // Tendril asked for the second dose a day after the first by its clock; the simulator, sped
    // up, ended it a little short of a day after the first ended.
    const edge = 6 * 60_000;
    const ledger = new SoakLedger({ ...rules, caps: { nut_a: { maxMlPerDose: 50, maxMlPerDay: 40 } }, dayEdgeMs: edge });
    const first = { pump: 'nut_a', ml: 30, endedSimMs: 1_000_000 };
    const second = { pump: 'nut_a', ml: 30, endedSimMs: first.endedSimMs + DAY_MS - edge / 2 };
    ledger.observe(truth({ pumpRuns: { ended: 2, recent: [first, second] } }), 0);
    expect(ledger.allClear()).toBe(true);
    // Well inside the day, the two are an overdose all the same.
    const third = { pump: 'nut_a', ml: 30, endedSimMs: second.endedSimMs + DAY_MS - 2 * edge };
    ledger.observe(truth({ pumpRuns: { ended: 3, recent: [first, second, third] } }), 1);
    expect(ledger.counts.overdoses).toBe(1);
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
