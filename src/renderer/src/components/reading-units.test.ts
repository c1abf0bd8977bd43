import { describe, expect, it } from 'vitest';
import { readingInUnits } from './reading-units';

const temp = { id: 'temp1', kind: 'temp' as const, name: 'Water temperature', unit: 'C' };
const level = { id: 'level1', kind: 'level' as const, name: 'Tank level', unit: 'L' };
const ph = { id: 'ph1', kind: 'ph' as const, name: 'pH', unit: 'pH' };

describe('readingInUnits', () => {
  it('shows metric as the probe reports it', () => {
    expect(readingInUnits(temp, 21.34, 'metric')).toEqual({ text: '21.3', unit: '°C' });
    expect(readingInUnits(level, 62, 'metric')).toEqual({ text: '62.0', unit: 'L' });
  });

  it('turns temperatures into °F and volumes into gallons for US units', () => {
    expect(readingInUnits(temp, 20, 'us')).toEqual({ text: '68.0', unit: '°F' });
    expect(readingInUnits(level, 37.85411784, 'us')).toEqual({ text: '10.0', unit: 'gal' });
  });

  it('never shows a level below zero, not even "-0.0 gal": empty, flagged as a sensor fault', () => {
    expect(readingInUnits(level, -0.03, 'us')).toEqual({ text: '0.0', unit: 'gal', belowEmpty: true });
    expect(readingInUnits(level, -4, 'metric')).toEqual({ text: '0.0', unit: 'L', belowEmpty: true });
    expect(readingInUnits(level, 0, 'metric').belowEmpty).toBeUndefined();
  });

  it('leaves pH and EC alone, which have no US units', () => {
    expect(readingInUnits(ph, 5.812, 'us')).toEqual({ text: '5.81', unit: 'pH' });
  });
});
