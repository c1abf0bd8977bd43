/** One dose as the controller's channel table allows it: the same answer for the station and every screen. */
import { describe, expect, it } from 'vitest';
import { pumpBoundRefusal, pumpOf } from './dose';

const channels = [
  { id: 'nut_a', name: 'Nutrient A', kind: 'pump' as const, maxMl: 250 },
  { id: 'slow', name: 'Slow pump', kind: 'pump' as const },
  { id: 'fill', name: 'Fill valve', kind: 'relay' as const },
];

describe('pumpOf', () => {
  it('finds a pump by id, and nothing for a missing channel or one of another kind', () => {
    expect(pumpOf(channels, 'nut_a')?.name).toBe('Nutrient A');
    expect(pumpOf(channels, 'fill')).toBeUndefined();
    expect(pumpOf(channels, 'nut_z')).toBeUndefined();
  });
});

describe('pumpBoundRefusal', () => {
  it('allows up to the bound, and any dose on a pump that sets none', () => {
    expect(pumpBoundRefusal(channels[0]!, 250)).toBeNull();
    expect(pumpBoundRefusal(channels[1]!, 5_000)).toBeNull();
  });

  it('says the bound, the dose asked for and what to do', () => {
    expect(pumpBoundRefusal(channels[0]!, 250.5)).toBe('Nutrient A doses at most 250 mL at a time, not 250.5 mL; dose less');
  });
});
