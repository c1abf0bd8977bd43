/** A channel id and a dose volume are judged by one rule with one set of words, whichever command carries them. */
import { describe, expect, it } from 'vitest';
import { parseCommand } from './commands';

const refusal = (command: unknown) => {
  const parsed = parseCommand(command);
  return parsed.ok ? null : parsed.error.message;
};

describe('channel ids and dose volumes', () => {
  it('refuses a bad pump id with the same words in a dose and in a dose job', () => {
    const dose = refusal({ id: '1', type: 'pump.dose', pumpId: 'nut a', ml: 5 });
    const job = refusal({ id: '2', type: 'job.start', job: { kind: 'dose', pumpId: 'nut a', ml: 5 } });
    expect(dose).toBe('pumpId must be 1 to 16 letters, digits, "_" or "-"');
    expect(job).toBe('job.pumpId: pumpId must be 1 to 16 letters, digits, "_" or "-"');
  });

  it('refuses a dose too large with the same words in a dose and in a dose job', () => {
    expect(refusal({ id: '1', type: 'pump.dose', pumpId: 'nut_a', ml: 20_000 })).toBe('ml must be at most 10000');
    expect(refusal({ id: '2', type: 'job.start', job: { kind: 'dose', pumpId: 'nut_a', ml: 20_000 } })).toBe('job.ml: ml must be at most 10000');
  });

  it('gives an example that fits the channel asked for', () => {
    expect(refusal({ id: '1', type: 'relay.set', relayId: 7, on: true })).toBe('relayId must be a channel id string, such as "fill"');
    expect(refusal({ id: '1', type: 'pump.dose', pumpId: 7, ml: 1 })).toBe('pumpId must be a channel id string, such as "nut_a"');
    expect(refusal({ id: '1', type: 'alarms.configure', sensorId: 7, limits: null })).toBe('sensorId must be a channel id string, such as "ph1"');
  });
});
