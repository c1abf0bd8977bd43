import { describe, expect, it } from 'vitest';
import { initialStationState } from './station';
import { canonicalJson, fnv1a32, stateHash } from './state-hash';

/** Worked out once, and the Python client (docs/examples/lan_client.py) gives the same for each. */
const HASH_VECTORS: ReadonlyArray<{ value: unknown; canonical: string; hash: string }> = [
  { value: { b: 1, a: [true, null, 'x'] }, canonical: '{"a":[true,null,"x"],"b":1}', hash: '7e2a283e' },
  {
    value: { n: [1.5, 1e21, 1e-7, 0.00001, -0, 123456789012, 0.1 + 0.2, 100, 2.5e-6] },
    canonical: '{"n":[1.5,1e+21,1e-7,0.00001,0,123456789012,0.30000000000000004,100,0.0000025]}',
    hash: '82558403',
  },
  { value: { é: 1, z: 2, A: 'line\nbreak "q" \u0001' }, canonical: '{"A":"line\\nbreak \\"q\\" \\u0001","z":2,"é":1}', hash: '13038795' },
  { value: { name: 'Gewächshaus 🌱', gone: undefined }, canonical: '{"name":"Gewächshaus 🌱"}', hash: 'e1db94f5' },
];

describe('canonicalJson', () => {
  it.each(HASH_VECTORS)('$canonical', ({ value, canonical }) => {
    expect(canonicalJson(value)).toBe(canonical);
  });

  it('is what JSON.parse reads back as the same value', () => {
    const state = initialStationState(true, 'simulated', 1795313812457);
    expect(JSON.parse(canonicalJson(state))).toEqual(JSON.parse(JSON.stringify(state)));
  });
});

describe('fnv1a32', () => {
  it.each([
    ['', '811c9dc5'],
    ['a', 'e40c292c'],
    ['foobar', 'bf9cf968'],
  ])('of %j is the published FNV-1a value %s', (text, hash) => {
    expect(fnv1a32(text)).toBe(hash);
  });

  it('hashes the UTF-8 bytes, as Python and a browser encode them', () => {
    const text = 'Gewächshaus 🌱 °C';
    let hash = 0x811c9dc5;
    for (const byte of Buffer.from(text, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    expect(fnv1a32(text)).toBe(hash.toString(16).padStart(8, '0'));
  });
});

describe('stateHash', () => {
  it.each(HASH_VECTORS)('of $canonical is $hash', ({ value, hash }) => {
    expect(stateHash(value)).toBe(hash);
  });

  it('does not depend on the order of keys, and tells a changed field', () => {
    const state = initialStationState(true, 'simulated', 1795313812457);
    const reordered = Object.fromEntries(Object.entries(state).reverse());
    expect(stateHash(reordered)).toBe(stateHash(state));
    expect(stateHash({ ...state, stats: { ...state.stats, retries: 1 } })).not.toBe(stateHash(state));
  });
});
