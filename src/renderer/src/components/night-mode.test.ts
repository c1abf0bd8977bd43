import { describe, expect, it } from 'vitest';
import { NIGHT_MODE_KEY, readNightMode, writeNightMode, type PreferenceStorage } from './night-mode';

function memoryStorage(initial: Record<string, string> = {}): PreferenceStorage & { items: Record<string, string> } {
  const items = { ...initial };
  return {
    items,
    getItem: (key) => items[key] ?? null,
    setItem: (key, value) => {
      items[key] = value;
    },
  };
}

describe('night mode preference', () => {
  it('is off until chosen', () => {
    expect(readNightMode(memoryStorage())).toBe(false);
    expect(readNightMode(null)).toBe(false);
  });

  it('is remembered under tendril.nightMode', () => {
    const storage = memoryStorage();
    writeNightMode(storage, true);
    expect(storage.items[NIGHT_MODE_KEY]).toBe('true');
    expect(readNightMode(storage)).toBe(true);
    writeNightMode(storage, false);
    expect(readNightMode(storage)).toBe(false);
  });

  it('survives storage that refuses', () => {
    const refusing: PreferenceStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(readNightMode(refusing)).toBe(false);
    expect(() => writeNightMode(refusing, true)).not.toThrow();
  });
});
