import { describe, expect, it } from 'vitest';
import { greeting } from './greeting';

describe('what headless prints once it listens', () => {
  it('gives the address and each pair of links', () => {
    expect(greeting('http://127.0.0.1:4545', [{ watch: 'http://a/?token=w', control: 'http://a/?token=c' }])).toEqual([
      'Tendril is listening on http://127.0.0.1:4545',
      'Pair a screen to watch:   http://a/?token=w',
      'Pair a screen to control: http://a/?token=c',
    ]);
  });

  it('says how to get links when none were made', () => {
    const lines = greeting('http://127.0.0.1:4545', []);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/no pairing links are printed.*--print-pairing/);
  });
});
