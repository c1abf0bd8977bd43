/** The sensor health machine, one rule at a time, on plain numbers for times. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_HEALTH_RULES, newWatch, observe, rangeFor, suspect, type HealthRules, type HealthTransition, type SensorWatch } from './sensor-health';

const rules: HealthRules = { ...DEFAULT_HEALTH_RULES, stuckAfterMs: 10 * 60_000, clearAfterMs: 2 * 60_000 };
const SECOND = 1000;

/** Feeds one reading a second from `from`, values from `value(i)`; returns the watch and every transition with its time. */
function feed(watch: SensorWatch, from: number, count: number, value: (i: number) => number) {
  const transitions: Array<HealthTransition & { atMs: number }> = [];
  let current = watch;
  for (let i = 0; i < count; i++) {
    const at = from + i * SECOND;
    const seen = observe(current, value(i), at, rules);
    current = seen.watch;
    if (seen.transition) transitions.push({ ...seen.transition, atMs: at });
  }
  return { watch: current, transitions };
}

/** A healthy pH probe: wanders a few hundredths around 6. */
const wandering = (i: number) => Math.round((6 + 0.02 * Math.sin(i / 7) + 0.01 * Math.sin(i * 1.3)) * 100) / 100;
const ph = () => newWatch('ph', rangeFor('ph', rules, null));

describe('stuck', () => {
  it('is flagged while idle once the reading has stayed flat for the configured time, and not a second before', () => {
    const { transitions } = feed(ph(), 0, 11 * 60, () => 7.9);
    expect(transitions).toHaveLength(1);
    expect(transitions[0]).toMatchObject({ to: 'suspect', suspicion: { reason: 'stuck', detail: 'reading has not moved for 10 min', since: rules.stuckAfterMs }, atMs: rules.stuckAfterMs });
  });

  it('counts a probe that flickers one count as flat, and one that wanders as healthy', () => {
    expect(feed(ph(), 0, 11 * 60, (i) => (i % 2 ? 7.9 : 7.91)).transitions).toHaveLength(1);
    expect(feed(ph(), 0, 60 * 60, wandering).transitions).toEqual([]);
  });

  it('clears only after it moves and keeps moving for the hold', () => {
    const stuck = feed(ph(), 0, 11 * 60, () => 7.9).watch;
    // One step to a new flat value: it moved once, then froze again, so it is still suspect.
    const once = feed(stuck, 11 * 60 * SECOND, 5 * 60, () => 7.5);
    expect(once.transitions).toEqual([]);
    // Moving like a probe again: cleared once the hold has passed since the first move.
    const start = 11 * 60 * SECOND;
    const moving = feed(stuck, start, 5 * 60, (i) => wandering(i) + 1);
    expect(moving.transitions).toHaveLength(1);
    expect(moving.transitions[0]).toMatchObject({ to: 'ok', was: { reason: 'stuck' } });
    expect(moving.transitions[0]!.atMs - start).toBeGreaterThanOrEqual(rules.clearAfterMs);
    expect(moving.transitions[0]!.atMs - start).toBeLessThan(rules.clearAfterMs + 30 * SECOND);
  });
});

describe('range', () => {
  it('flags values no probe of the kind can read, at once', () => {
    expect(observe(ph(), 14.2, 0, rules).transition).toMatchObject({ to: 'suspect', suspicion: { reason: 'range', detail: expect.stringMatching(/14.2 is outside what it can read \(0 to 14\)/) } });
    const ec = newWatch('ec', rangeFor('ec', rules, null));
    expect(observe(ec, -0.1, 0, rules).transition).toMatchObject({ to: 'suspect', suspicion: { reason: 'range' } });
    const temp = newWatch('temp', rangeFor('temp', rules, null));
    expect(observe(temp, 61, 0, rules).transition).toMatchObject({ suspicion: { reason: 'range' } });
    expect(observe(temp, -6, 0, rules).transition).toMatchObject({ suspicion: { reason: 'range' } });
    expect(observe(temp, 21, 0, rules).transition).toBeNull();
  });

  it('bounds a level by its tank: below empty or above capacity', () => {
    const level = newWatch('level', rangeFor('level', rules, 100));
    expect(observe(level, 100.5, 0, rules).transition).toMatchObject({ suspicion: { reason: 'range', detail: expect.stringMatching(/\(0 to 100\)/) } });
    expect(observe(level, -1, 0, rules).transition).toMatchObject({ suspicion: { reason: 'range' } });
    expect(observe(level, 60, 0, rules).transition).toBeNull();
  });

  it('clears once it has read inside the range for the hold, and the hold restarts on a bad reading', () => {
    let watch = observe(ph(), 15, 0, rules).watch;
    const back = feed(watch, SECOND, 60, wandering);
    expect(back.transitions).toEqual([]);
    watch = observe(back.watch, 15, 61 * SECOND, rules).watch;
    const again = feed(watch, 62 * SECOND, 3 * 60, wandering);
    expect(again.transitions).toHaveLength(1);
    expect(again.transitions[0]).toMatchObject({ to: 'ok', was: { reason: 'range' }, atMs: 62 * SECOND + rules.clearAfterMs });
  });
});

describe('jumps', () => {
  it('flags a change faster than the kind allows per second, judged over at least a second', () => {
    let watch = observe(ph(), 6.0, 0, rules).watch;
    expect(observe(watch, 6.5, SECOND, rules).transition).toBeNull();
    watch = observe(watch, 6.5, SECOND, rules).watch;
    // Arrival jitter: two readings 100 ms apart are judged over a second.
    expect(observe(watch, 7.6, SECOND + 100, rules).transition).toBeNull();
    expect(observe(watch, 8.5, 2 * SECOND, rules).transition).toMatchObject({ suspicion: { reason: 'jump', detail: 'reading jumped from 6.5 to 8.5 in 1 s' } });
    // A slow change over a long gap is no jump.
    expect(observe(watch, 9.5, 60 * SECOND, rules).transition).toBeNull();
  });

  it('clears after the hold without another jump', () => {
    const watch = observe(observe(ph(), 6, 0, rules).watch, 9, SECOND, rules).watch;
    const calm = feed(watch, 2 * SECOND, 3 * 60, (i) => wandering(i) + 3);
    expect(calm.transitions).toEqual([expect.objectContaining({ to: 'ok', was: expect.objectContaining({ reason: 'jump' }), atMs: 2 * SECOND + rules.clearAfterMs })]);
  });
});

describe('unresponsive', () => {
  it('is suspect from the moment a loop says so, once, and clears like a stuck probe', () => {
    const watch = feed(ph(), 0, 30, () => 7.9).watch;
    const marked = suspect(watch, 'unresponsive', 'did not answer a dose', 30 * SECOND);
    expect(marked.transition).toEqual({ to: 'suspect', suspicion: { reason: 'unresponsive', detail: 'did not answer a dose', since: 30 * SECOND } });
    expect(suspect(marked.watch, 'unresponsive', 'again', 31 * SECOND).transition).toBeNull();
    expect(feed(marked.watch, 31 * SECOND, 5 * 60, () => 7.9).transitions).toEqual([]);
    const moving = feed(marked.watch, 31 * SECOND, 5 * 60, (i) => wandering(i) - 2);
    expect(moving.transitions).toEqual([expect.objectContaining({ to: 'ok', was: expect.objectContaining({ reason: 'unresponsive' }) })]);
  });
});
