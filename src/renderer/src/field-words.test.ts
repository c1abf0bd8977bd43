import { describe, expect, it } from 'vitest';
import { amountProblem, fieldProblem, firstProblemWords, namedProblem } from './field-words';

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

describe('a form’s problems in the grower’s words', () => {
  it('names a field as the form does, never by the schema’s key', () => {
    expect(fieldProblem('missedRun.graceMinutes', 'graceMinutes must be at least 1', 'metric')).toBe('The grace must be at least 1.');
    expect(fieldProblem('steps.1.timeoutSeconds', 'timeoutSeconds must be at least 1 s', 'metric')).toBe('The time to give up after must be at least 1 s.');
    expect(fieldProblem('name', 'name must not be empty', 'us')).toBe('The name must not be empty.');
    expect(fieldProblem('steps', 'a recipe needs at least one step', 'us')).toBe('A recipe needs at least one step.');
    expect(fieldProblem('name', undefined, 'us')).toBeUndefined();
  });

  it('says an amount in the unit of its field', () => {
    expect(fieldProblem('steps.0.job.liters', 'liters must be at most 100000', 'us')).toBe('Enter at most 26417 gal.');
    // Named once for its input, then read again for the summary: the words stay the same.
    expect(namedProblem('trigger.action.liters', 'liters must be more than 0')).toBe('liters must be more than 0');
    expect(fieldProblem('a.graceMinutes', namedProblem('a.graceMinutes', 'graceMinutes must be at least 1'), 'metric')).toBe('The grace must be at least 1.');
  });

  it('sums a form up by where its first problem is: "Step 2: …"', () => {
    expect(firstProblemWords({ 'steps.1.job.ml': 'ml must be more than 0' }, 'metric')).toBe('Step 2: Enter more than 0 mL.');
    expect(firstProblemWords({ 'steps.0.min': 'min must be a number' }, 'metric')).toBe('Step 1: The lowest reading must be a number.');
    expect(firstProblemWords({ steps: 'a recipe needs at least one step' }, 'metric')).toBe('A recipe needs at least one step.');
    expect(firstProblemWords({ 'trigger.action.liters': 'liters must be at least 0.01 L' }, 'us')).toBe('Enter at least 0.003 gal.');
    expect(firstProblemWords({}, 'metric')).toBeUndefined();
  });
});
