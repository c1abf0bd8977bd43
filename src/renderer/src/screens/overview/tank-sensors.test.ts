import { describe, expect, it } from 'vitest';
import type { Channel, Tank } from '../../../../shared/station';
import { sensorsWithoutTank, tankContents, tankSensors } from './tank-sensors';

const channels: Channel[] = [
  { id: 'fill', kind: 'relay', name: 'Fill valve' },
  { id: 'ec1', kind: 'ec', name: 'EC' },
  { id: 'ph1', kind: 'ph', name: 'pH' },
  { id: 'ph2', kind: 'ph', name: 'pH (spare)' },
  { id: 'temp1', kind: 'temp', name: 'Water temperature' },
  { id: 'level1', kind: 'level', name: 'Tank level', unit: 'L' },
  { id: 'room', kind: 'temp', name: 'Room temperature' },
];

const tank: Tank = { id: 'main', name: 'Main tank', capacityL: 100, channelIds: ['fill', 'ec1', 'ph1', 'ph2', 'temp1', 'level1'] };

describe('tankSensors', () => {
  it('takes the first probe of each kind among the tank channels', () => {
    const found = tankSensors(tank, channels);
    expect(Object.fromEntries(Object.entries(found).map(([kind, channel]) => [kind, channel.id]))).toEqual({
      level: 'level1',
      ec: 'ec1',
      ph: 'ph1',
      temp: 'temp1',
    });
  });

  it('follows the plumbing the settings name', () => {
    expect(tankSensors({ ...tank, plumbing: { phSensor: 'ph2' } }, channels).ph?.id).toBe('ph2');
  });

  it('leaves out what the tank does not have', () => {
    expect(tankSensors({ ...tank, channelIds: ['ec1'] }, channels)).toEqual({ ec: channels[1] });
  });
});

describe('sensorsWithoutTank', () => {
  it('lists probes no tank claims', () => {
    expect(sensorsWithoutTank([tank], channels).map((channel) => channel.id)).toEqual(['room']);
    expect(sensorsWithoutTank([], channels)).toHaveLength(6);
  });
});

describe('tankContents', () => {
  const level = channels[5];

  it('reads litres from a level probe in litres', () => {
    expect(tankContents(tank, level, { value: 62, at: 0 })).toEqual({ liters: 62, fraction: 0.62, belowEmpty: false });
  });

  it('turns a percentage into litres', () => {
    expect(tankContents(tank, { ...level!, unit: '%' }, { value: 25, at: 0 })).toEqual({ liters: 25, fraction: 0.25, belowEmpty: false });
  });

  it('keeps the fill fraction within the tank', () => {
    expect(tankContents(tank, level, { value: 104, at: 0 })?.fraction).toBe(1);
    expect(tankContents(tank, level, { value: -1, at: 0 })?.fraction).toBe(0);
  });

  it('shows a reading below zero as empty, never negative, and flags the sensor', () => {
    expect(tankContents(tank, level, { value: -0.03, at: 0 })).toEqual({ liters: 0, fraction: 0, belowEmpty: true });
    expect(tankContents(tank, { ...level!, unit: '%' }, { value: -2, at: 0 })).toEqual({ liters: 0, fraction: 0, belowEmpty: true });
    expect(tankContents(tank, level, { value: 0, at: 0 })?.belowEmpty).toBe(false);
  });

  it('cannot tell without a probe, a reading or a known unit', () => {
    expect(tankContents(tank, undefined, { value: 1, at: 0 })).toBeNull();
    expect(tankContents(tank, level, null)).toBeNull();
    expect(tankContents(tank, { ...level!, unit: 'cm' }, { value: 30, at: 0 })).toBeNull();
  });
});
