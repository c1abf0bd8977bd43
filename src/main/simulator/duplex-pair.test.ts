import { describe, expect, it } from 'vitest';
import { createDuplexPair } from './duplex-pair';

function collect(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    stream.on('end', () => resolve(text));
  });
}

describe('createDuplexPair', () => {
  it('carries bytes both ways and ends the peer when one side ends', async () => {
    const [a, b] = createDuplexPair();
    const atB = collect(b);
    const atA = collect(a);
    a.write('hello ');
    a.end('station');
    expect(await atB).toBe('hello station');
    b.end('host');
    expect(await atA).toBe('host');
  });

  it('ends the peer when one side is destroyed', async () => {
    const [a, b] = createDuplexPair();
    const atB = collect(b);
    a.write('x');
    a.destroy();
    expect(await atB).toBe('x');
  });

  it('holds the writer back until a slow reader catches up', async () => {
    const [a, b] = createDuplexPair();
    const big = Buffer.alloc(64 * 1024, 0x41);
    let drained = false;
    if (!a.write(big)) a.once('drain', () => (drained = true));
    a.write(big);
    const got = new Promise<number>((resolve) => {
      let n = 0;
      b.on('data', (c: Buffer) => {
        n += c.length;
        if (n === 2 * big.length) resolve(n);
      });
    });
    expect(await got).toBe(2 * big.length);
    await new Promise((r) => setImmediate(r));
    expect(drained || a.writableLength === 0).toBe(true);
  });
});
