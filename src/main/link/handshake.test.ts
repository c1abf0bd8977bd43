import { describe, expect, it } from 'vitest';
import { HandshakeError, parseChannelRows, parseIdentity, parseStateRows } from './handshake';

describe('handshake answers', () => {
  const hello = { device: 'x', fw: '1.2.0', proto: '1.3', serial: 'S1', window: '2', watchdog: '2500' };

  it('reads the identity', () => {
    expect(parseIdentity(hello)).toEqual({ device: 'x', firmware: '1.2.0', protocol: '1.3', serial: 'S1', window: 2, watchdogMs: 2500 });
  });

  it('refuses another major version with a clear, permanent error', () => {
    let error: unknown;
    try {
      parseIdentity({ ...hello, proto: '2.0' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(HandshakeError);
    expect((error as HandshakeError).permanent).toBe(true);
    expect((error as Error).message).toMatch(/speaks protocol 2\.0, Tendril speaks 1\.x/);
  });

  it('refuses an answer without identity', () => {
    expect(() => parseIdentity({ device: 'x' })).toThrow(/identity/);
  });

  it('ignores channel kinds it does not know', () => {
    const table = parseChannelRows([
      { ch: 'fill', kind: 'relay', name: 'Fill valve', maxms: '600000' },
      { ch: 'co2', kind: 'co2', name: 'CO2' },
      { ch: 'nut_a', kind: 'pump', name: 'Nutrient A', maxml: '250', maxms: '300000' },
      { kind: 'relay' },
    ]);
    expect(table.channels).toEqual([
      { id: 'fill', kind: 'relay', name: 'Fill valve', maxMs: 600000 },
      { id: 'nut_a', kind: 'pump', name: 'Nutrient A', maxMl: 250, maxMs: 300000 },
    ]);
    expect(table.ignored).toEqual(['co2 (co2)']);
  });

  it('reads channel states by kind', () => {
    const { channels } = parseChannelRows([
      { ch: 'fill', kind: 'relay', name: 'Fill' },
      { ch: 'nut_a', kind: 'pump', name: 'A' },
      { ch: 'flow1', kind: 'flow', name: 'F' },
      { ch: 'ec1', kind: 'ec', name: 'EC' },
    ]);
    expect(
      parseStateRows(channels, [
        { ch: 'fill', on: '1' },
        { ch: 'nut_a', run: '1', ml: '2.5', target: '10' },
        { ch: 'flow1', pulses: '100', rate: '3' },
        { ch: 'ec1', v: '1.4' },
        { ch: 'ghost', v: '1' },
      ]),
    ).toEqual({
      relays: { fill: { on: true, why: 'state' } },
      pumps: { nut_a: { running: true, ml: 2.5, target: 10 } },
      flows: { flow1: { pulses: 100, rate: 3 } },
      readings: { ec1: 1.4 },
    });
  });
});
