import { describe, expect, it } from 'vitest';
import { screenFromHash, SCREENS } from './screens';

describe('screenFromHash', () => {
  it('opens on the overview', () => {
    expect(screenFromHash('')).toBe('overview');
    expect(screenFromHash('#')).toBe('overview');
    expect(screenFromHash('#/')).toBe('overview');
  });

  it('finds every screen by its own link', () => {
    for (const screen of SCREENS) expect(screenFromHash(screen.hash)).toBe(screen.id);
  });

  it('ignores what follows the screen name and its case', () => {
    expect(screenFromHash('#/History/ec1')).toBe('history');
    expect(screenFromHash('#/jobs?kind=fill')).toBe('jobs');
  });

  it('falls back to the overview for unknown places', () => {
    expect(screenFromHash('#/nowhere')).toBe('overview');
  });
});
