/**
 * docs/protocol.md is what firmware authors build against, so its examples must be true: every
 * example line has a correct checksum and parses with the same codec the link uses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDeviceBody, parseHostBody, unframe } from './codec';

const doc = readFileSync(join(__dirname, '../../../docs/protocol.md'), 'utf8');
const examples = [...doc.matchAll(/^(host: {3}|device: |> |< )(.*\*[0-9A-F]{4})$/gm)].map((m) => ({
  from: m[1]!.startsWith('host') || m[1] === '> ' ? 'host' : 'device',
  line: m[2]!,
}));

describe('docs/protocol.md', () => {
  it('has examples in both directions', () => {
    expect(examples.filter((e) => e.from === 'host').length).toBeGreaterThan(10);
    expect(examples.filter((e) => e.from === 'device').length).toBeGreaterThan(20);
    expect(doc).not.toMatch(/\*XXXX/);
  });

  it.each(examples)('$from: $line', ({ from, line }) => {
    const unframed = unframe(line);
    expect(unframed.ok).toBe(true);
    if (!unframed.ok) return;
    const parsed = from === 'host' ? parseHostBody(unframed.body) : parseDeviceBody(unframed.body);
    expect(parsed).not.toBeNull();
  });
});
