import { describe, expect, it } from 'vitest';
import { formatDuration, formatEta, numberFromText } from './format';

describe('formatDuration', () => {
  it('counts seconds under a minute', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(44_200)).toBe('45 s');
    expect(formatDuration(59_000)).toBe('59 s');
  });

  it('rounds minutes up, so a job never finishes later than it said', () => {
    expect(formatDuration(60_000)).toBe('1 min');
    expect(formatDuration(61_000)).toBe('2 min');
    expect(formatDuration(59 * 60_000)).toBe('59 min');
  });

  it('gives hours and minutes past an hour', () => {
    expect(formatDuration(60 * 60_000)).toBe('1 h');
    expect(formatDuration(80 * 60_000)).toBe('1 h 20 min');
    expect(formatDuration(25 * 3_600_000)).toBe('25 h');
  });

  it('never counts below zero', () => {
    expect(formatDuration(-5_000)).toBe('0 s');
  });
});

describe('formatEta', () => {
  it('says when the time left cannot be told', () => {
    expect(formatEta(null)).toBe('time left unknown');
  });

  it('says almost done in the last second', () => {
    expect(formatEta(400)).toBe('almost done');
  });

  it('gives the time left', () => {
    expect(formatEta(30_000)).toBe('about 30 s left');
    expect(formatEta(150_000)).toBe('about 3 min left');
  });
});

describe('numberFromText', () => {
  it('reads points and commas alike', () => {
    expect(numberFromText('5.5')).toBe(5.5);
    expect(numberFromText(' 5,5 ')).toBe(5.5);
  });

  it('is undefined for empty text and NaN for words', () => {
    expect(numberFromText('  ')).toBeUndefined();
    expect(numberFromText('five')).toBeNaN();
  });
});
