import { describe, expect, it } from 'vitest';
import { amountProblem } from './field-words';

describe('amount problems beside their field', () => {
  it('say what to enter in the field’s unit, never the field’s key or litres on a gallons field', () => {
    expect(amountProblem('liters', 'liters must be a number of litres', 'us')).toBe('Enter a number of gallons.');
    expect(amountProblem('liters', 'liters must be a number of litres', 'metric')).toBe('Enter a number of litres.');
    expect(amountProblem('toLiters', 'toLiters must be more than 0', 'us')).toBe('Enter more than 0 gal.');
    expect(amountProblem('liters', 'liters must be at most 100000', 'us')).toBe('Enter at most 26417 gal.');
    expect(amountProblem('liters', 'liters must be at least 0.01 L', 'us')).toBe('Enter at least 0.003 gal.');
    expect(amountProblem('liters', 'liters must be at least 0.01 L', 'metric')).toBe('Enter at least 0.01 L.');
    expect(amountProblem('ml', 'ml must be a number of millilitres', 'us')).toBe('Enter a number of millilitres.');
    expect(amountProblem('ml', 'ml must be at most 10000', 'metric')).toBe('Enter at most 10000 mL.');
    expect(amountProblem('seconds', 'seconds must be more than 0', 'metric')).toBe('Enter more than 0 s.');
  });

  it('leave the station’s own sentences, and no problem, as they are', () => {
    expect(amountProblem('liters', 'Main tank holds 26.4 gal in all.', 'us')).toBe('Main tank holds 26.4 gal in all.');
    expect(amountProblem('ml', undefined, 'metric')).toBeUndefined();
  });
});
