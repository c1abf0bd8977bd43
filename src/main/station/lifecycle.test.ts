import { describe, expect, it } from 'vitest';
import { createLifecycle, type Part } from './lifecycle';

/** Parts that write what they do into one list, in the order it happens. */
function recorded(names: string[], overrides: Record<string, Partial<Part>> = {}): { parts: Part[]; done: string[] } {
  const done: string[] = [];
  const parts = names.map((name) => ({
    name,
    start: () => void done.push(`start ${name}`),
    stop: () => void done.push(`stop ${name}`),
    ...overrides[name],
  }));
  return { parts, done };
}

describe('the station lifecycle', () => {
  it('starts the parts in the order listed and stops them in the reverse', async () => {
    const { parts, done } = recorded(['simulator', 'link', 'jobs', 'schedules']);
    const lifecycle = createLifecycle(parts);
    await lifecycle.start();
    await lifecycle.stop();
    expect(done).toEqual(['start simulator', 'start link', 'start jobs', 'start schedules', 'stop schedules', 'stop jobs', 'stop link', 'stop simulator']);
  });

  it('waits for a part that starts or stops with a promise before the next, and starts the rest in the same turn', async () => {
    let opened!: () => void;
    const { parts, done } = recorded(['history', 'setup', 'connect'], {
      connect: { start: () => new Promise<void>((resolve) => (opened = () => (done.push('start connect'), resolve()))) },
    });
    const lifecycle = createLifecycle(parts);
    const starting = lifecycle.start();
    expect(done).toEqual(['start history', 'start setup']);
    opened();
    await starting;
    expect(done).toEqual(['start history', 'start setup', 'start connect']);
  });

  it('still stops every other part when one stop throws, says which, and then rejects with it', async () => {
    const lines: string[] = [];
    const { parts, done } = recorded(['link', 'jobs', 'schedules'], {
      jobs: {
        stop: () => {
          throw new Error('the journal is closed');
        },
      },
    });
    const lifecycle = createLifecycle(parts, (line) => lines.push(line));
    await lifecycle.start();
    await expect(lifecycle.stop()).rejects.toThrow('the journal is closed');
    // The link's stop switches every output off: it ran although a part above it failed.
    expect(done.filter((step) => step.startsWith('stop'))).toEqual(['stop schedules', 'stop link']);
    expect(lines).toEqual(['station: jobs did not stop cleanly (the journal is closed); stopping the rest']);
  });

  it('goes on past a stop whose promise rejects', async () => {
    const { parts, done } = recorded(['link', 'history'], { history: { stop: () => Promise.reject(new Error('disk full')) } });
    const lifecycle = createLifecycle(parts);
    await lifecycle.start();
    await expect(lifecycle.stop()).rejects.toThrow('disk full');
    expect(done).toContain('stop link');
  });

  it('stops once: stopping twice returns the same promise', async () => {
    const { parts, done } = recorded(['link']);
    const lifecycle = createLifecycle(parts);
    await lifecycle.start();
    expect(lifecycle.stopping).toBe(false);
    const first = lifecycle.stop();
    expect(lifecycle.stopping).toBe(true);
    expect(lifecycle.stop()).toBe(first);
    await first;
    expect(done.filter((step) => step === 'stop link')).toHaveLength(1);
  });

  it('stops what had started when a start fails, the failing part included, and throws its reason', async () => {
    const lines: string[] = [];
    const { parts, done } = recorded(['notifier', 'link', 'connect', 'schedules'], {
      connect: {
        start: async () => {
          throw new Error('no controller answered');
        },
      },
    });
    const lifecycle = createLifecycle(parts, (line) => lines.push(line));
    await expect(lifecycle.start()).rejects.toThrow('no controller answered');
    expect(done).toEqual(['start notifier', 'start link', 'stop connect', 'stop link', 'stop notifier']);
    expect(lines).toEqual(['station: connect could not start (no controller answered); stopping what had started']);
    // Shutting down afterwards stops nothing twice.
    await lifecycle.stop();
    expect(done).toHaveLength(5);
  });

  it('before any start, stops only the parts that are live once built', async () => {
    const done: string[] = [];
    const lifecycle = createLifecycle([
      { name: 'simulator', stop: () => void done.push('stop simulator') },
      { name: 'history', start: () => void done.push('start history'), stop: () => void done.push('stop history') },
      { name: 'link', stop: () => void done.push('stop link') },
    ]);
    await lifecycle.stop();
    expect(done).toEqual(['stop link', 'stop simulator']);
  });

  it('starts nothing more once a stop has overtaken the start', async () => {
    let opened!: () => void;
    const { parts, done } = recorded(['link', 'connect', 'schedules'], {
      connect: { start: () => new Promise<void>((resolve) => (opened = resolve)) },
    });
    const lifecycle = createLifecycle(parts);
    const starting = lifecycle.start();
    const stopping = lifecycle.stop();
    opened();
    await Promise.all([starting, stopping]);
    expect(done).not.toContain('start schedules');
    expect(done).toContain('stop link');
  });

  it('starts once: starting twice returns the same promise', async () => {
    const { parts, done } = recorded(['link']);
    const lifecycle = createLifecycle(parts);
    expect(lifecycle.start()).toBe(lifecycle.start());
    await lifecycle.start();
    expect(done).toEqual(['start link']);
  });
});
