import { describe, expect, it } from 'vitest';
import {
  UNITS_STORAGE_KEY,
  defaultUnitSystem,
  followUnitChoice,
  formatFlowRate,
  formatLiters,
  formatTemperature,
  formatVolume,
  litersFrom,
  readUnitSystem,
  saveUnitSystem,
  tankVolumeUnit,
  unitSystem,
  useUnits,
  type UnitStorage,
} from './units';

function storage(saved: Record<string, string> = {}): UnitStorage & { saved: Record<string, string> } {
  return {
    saved,
    getItem: (key) => saved[key] ?? null,
    setItem: (key, value) => {
      saved[key] = value;
    },
  };
}

const refusing: UnitStorage = {
  getItem: () => {
    throw new Error('SecurityError');
  },
  setItem: () => {
    throw new Error('QuotaExceededError');
  },
};

describe('formatVolume', () => {
  it('shows mL for doses and litres for tanks', () => {
    expect(formatVolume(2.5, 'metric')).toBe('2.5 mL');
    expect(formatVolume(250, 'metric')).toBe('250 mL');
    expect(formatVolume(1500, 'metric')).toBe('1.5 L');
    expect(formatLiters(120, 'metric')).toBe('120 L');
  });

  it('shows fl oz below a gallon and gallons above', () => {
    expect(formatVolume(5, 'us')).toBe('0.17 fl oz');
    expect(formatVolume(250, 'us')).toBe('8.45 fl oz');
    expect(formatVolume(1000, 'us')).toBe('33.8 fl oz');
    expect(formatLiters(3.785411784, 'us')).toBe('1.0 gal');
    expect(formatLiters(100, 'us')).toBe('26.4 gal');
    expect(formatLiters(1000, 'us')).toBe('264 gal');
  });

  it('keeps tank volumes in gallons in US units, however small, rounded as a grower reads them', () => {
    expect(formatLiters(0.5, 'us')).toBe('0.13 gal');
    expect(formatLiters(0.01, 'us')).toBe('0.003 gal');
    expect(formatLiters(0, 'us')).toBe('0 gal');
    expect(formatLiters(3.7, 'us')).toBe('0.98 gal');
    expect(formatLiters(37.85411784, 'us')).toBe('10.0 gal');
    expect(formatLiters(37.85411784, 'metric')).toBe('37.9 L');
    const list = [0.2, 1, 4, 40, 400].map((liters) => formatLiters(liters, 'us'));
    expect(list.every((text) => text.endsWith(' gal'))).toBe(true);
  });

  it('has a dash for a volume nobody knows', () => {
    expect(formatVolume(Number.NaN, 'metric')).toBe('—');
  });
});

describe('formatFlowRate', () => {
  it('shows L/min or gal/min', () => {
    expect(formatFlowRate(4.5, 'metric')).toBe('4.5 L/min');
    expect(formatFlowRate(4.5, 'us')).toBe('1.19 gal/min');
  });
});

describe('formatTemperature', () => {
  it('shows °C or °F', () => {
    expect(formatTemperature(21.5, 'metric')).toBe('21.5 °C');
    expect(formatTemperature(21.5, 'us')).toBe('70.7 °F');
    expect(formatTemperature(0, 'us')).toBe('32.0 °F');
    expect(formatTemperature(-0.01, 'metric')).toBe('0.0 °C');
  });
});

describe('tank volumes typed by the grower', () => {
  it('are read in litres or gallons and kept in litres', () => {
    expect(tankVolumeUnit('metric')).toBe('L');
    expect(tankVolumeUnit('us')).toBe('gal');
    expect(litersFrom(50, 'metric')).toBe(50);
    expect(litersFrom(10, 'us')).toBeCloseTo(37.854, 3);
  });
});

describe('the unit choice', () => {
  it('defaults by locale: US units in the US, metric elsewhere', () => {
    expect(defaultUnitSystem('en-US')).toBe('us');
    expect(defaultUnitSystem('en-GB')).toBe('metric');
    expect(defaultUnitSystem('de')).toBe('metric');
    expect(defaultUnitSystem('')).toBe('metric');
  });

  it('is kept per device, over the locale', () => {
    const device = storage();
    expect(readUnitSystem(device, 'en-US')).toBe('us');
    saveUnitSystem(device, 'metric');
    expect(device.saved[UNITS_STORAGE_KEY]).toBe('metric');
    expect(readUnitSystem(device, 'en-US')).toBe('metric');
    expect(readUnitSystem(storage({ [UNITS_STORAGE_KEY]: 'imperial' }), 'fr-FR')).toBe('metric');
  });

  it('survives refused storage', () => {
    expect(readUnitSystem(refusing, 'en-US')).toBe('us');
    expect(() => saveUnitSystem(refusing, 'us')).not.toThrow();
    expect(readUnitSystem(null, 'en-GB')).toBe('metric');
  });

  it('is one store for every component, and follows other tabs', () => {
    useUnits.getState().setSystem('us');
    expect(unitSystem()).toBe('us');
    const listeners: Array<(event: StorageEvent) => void> = [];
    const page = {
      addEventListener: (_type: string, listener: (event: StorageEvent) => void) => listeners.push(listener),
      removeEventListener: () => listeners.pop(),
    };
    const stop = followUnitChoice(page as unknown as Window);
    listeners[0]!({ key: UNITS_STORAGE_KEY, newValue: 'metric' } as StorageEvent);
    expect(unitSystem()).toBe('metric');
    listeners[0]!({ key: 'tendril.token', newValue: 'us' } as StorageEvent);
    expect(unitSystem()).toBe('metric');
    stop();
    expect(listeners).toHaveLength(0);
  });
});
