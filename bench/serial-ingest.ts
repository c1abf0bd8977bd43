/**
 * Lines per second through the whole serial ingest path, against a bare ReadlineParser in the
 * same process:
 *
 *   bytes → StationLink (stop byte and length guard, checksum, decode, telemetry coalescing)
 *         → station changes → the store (numbered, the shared reducer) → state
 *
 * Run: npm run bench:serial-ingest [-- --lines N --rounds N --chunk BYTES]
 */
import { parseArgs } from 'node:util';
import { ReadlineParser } from '@serialport/parser-readline';
import { Duplex } from 'node:stream';
import { deviceLine, parseHostBody, unframe } from '../src/main/protocol';
import { StationLink } from '../src/main/link';
import { initialStationState, type StationState } from '../src/shared/station';
import { StationStore } from '../src/main/store';

const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '200000' },
    rounds: { type: 'string', default: '15' },
    // A USB full-speed packet carries at most 64 bytes, so that is what a read usually returns.
    chunk: { type: 'string', default: '64' },
  },
});
const LINES = Number(values.lines);
const ROUNDS = Number(values.rounds);
const CHUNK = Number(values.chunk);

/** What a busy station sends: mostly readings, with dose, flow, relay and heartbeat lines. */
function stationTraffic(count: number): Buffer[] {
  const sensors = ['ec1', 'ph1', 'temp1', 'level1'];
  let text = '';
  for (let i = 0; i < count; i++) {
    const kind = i % 10;
    if (kind < 6) text += deviceLine.event('read', { ch: sensors[i % 4], v: (1 + (i % 997) / 1000).toFixed(3) });
    else if (kind === 6) text += deviceLine.event('dose', { ch: 'nut_a', ml: (i % 500) / 100, target: 5 });
    else if (kind === 7) text += deviceLine.event('flow', { ch: 'flow1', pulses: i, rate: 60 });
    else if (kind === 8) text += deviceLine.event('relay', { ch: 'mixer', on: i % 2 });
    else text += deviceLine.event('hb', { up: i * 10 });
  }
  const all = Buffer.from(text, 'latin1');
  const chunks: Buffer[] = [];
  for (let at = 0; at < all.length; at += CHUNK) chunks.push(all.subarray(at, at + CHUNK));
  return chunks;
}

/**
 * The baseline: the same kind of port stream feeding a ReadlineParser and nothing else: no
 * checks, no decoding, no state. Measured twice: with the parser's defaults ("\n", utf8), and
 * with latin1 as the link's own parser decodes, which is cheaper and so the stricter yardstick.
 */
function bareParser(encoding: 'utf8' | 'latin1'): (chunks: Buffer[]) => Promise<number> {
  const port = new Duplex({ read() {}, write: (_chunk, _encoding, done) => done() });
  const parser = encoding === 'utf8' ? new ReadlineParser() : new ReadlineParser({ delimiter: '\n', encoding });
  let lines = 0;
  parser.on('data', () => {
    lines++;
  });
  port.on('data', (chunk: Buffer) => parser.write(chunk));
  return async (chunks) => {
    const before = lines;
    for (const chunk of chunks) port.push(chunk);
    while (lines - before < LINES) await new Promise((resolve) => setImmediate(resolve));
    return lines - before;
  };
}

/**
 * The real StationLink on an in-memory port. A few lines answer its handshake the way a
 * controller would; after that the port delivers the prepared traffic chunk by chunk.
 */
async function readyLink(): Promise<{ link: StationLink; feed: (chunks: Buffer[]) => Promise<number>; state: () => StationState }> {
  const port = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, done) {
      const line = chunk.toString('latin1').trimEnd();
      const unframed = unframe(line);
      const command = unframed.ok ? parseHostBody(unframed.body) : null;
      if (command?.verb === 'HELLO') {
        port.push(deviceLine.ack(command.seq, { device: 'bench', fw: '1', proto: '1.0', serial: 'B1', window: 1, watchdog: 3000, maxline: 512 }));
      } else if (command?.verb === 'CHANNELS') {
        for (const ch of ['ec1', 'ph1', 'temp1', 'level1']) port.push(deviceLine.row(command.seq, { ch, kind: ch.replace(/\d$/, ''), name: ch }));
        port.push(deviceLine.row(command.seq, { ch: 'nut_a', kind: 'pump', name: 'A' }));
        port.push(deviceLine.row(command.seq, { ch: 'flow1', kind: 'flow', name: 'F' }));
        port.push(deviceLine.row(command.seq, { ch: 'mixer', kind: 'relay', name: 'M' }));
        port.push(deviceLine.ack(command.seq, { count: 7 }));
      } else if (command) {
        port.push(deviceLine.ack(command.seq, { estop: 0, alarm: 'none', up: 1 }));
      }
      done();
    },
  });
  const link = new StationLink({ port: 'bench', simulated: true, open: async () => ({ stream: port, close: async () => {} }) });
  // The same store the station core keeps: numbered changes through the shared reducer.
  const store = new StationStore(initialStationState(true, 'bench'));
  link.onEvent((change) => store.apply(change));
  await link.start();
  while (link.state.status !== 'ready') await new Promise((resolve) => setImmediate(resolve));
  const feed = async (chunks: Buffer[]) => {
    const before = link.stats.linesIn;
    for (const chunk of chunks) port.push(chunk);
    while (link.stats.linesIn - before < LINES) await new Promise((resolve) => setImmediate(resolve));
    // Coalesced telemetry reaches the state once the event loop has read everything.
    await new Promise((resolve) => setImmediate(resolve));
    return link.stats.linesIn - before;
  };
  return { link, feed, state: () => store.state };
}

async function timed(run: () => Promise<number>): Promise<number> {
  const started = process.hrtime.bigint();
  const lines = await run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // The link may also have read a heartbeat answer meanwhile.
  if (lines < LINES) throw new Error(`expected ${LINES} lines, counted ${lines}`);
  return LINES / seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const chunks = stationTraffic(LINES);
  // Warm both paths up so the JIT has compiled them before anything is timed.
  const station = await readyLink();
  const bare = bareParser('utf8');
  const bareLatin1 = bareParser('latin1');
  await bare(chunks);
  await bareLatin1(chunks);
  await station.feed(chunks);
  if (Object.keys(station.state().readings).length !== 4) throw new Error('the ingest path did not reach the state');

  const rates = { bare: [] as number[], bareLatin1: [] as number[], full: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    rates.bare.push(await timed(() => bare(chunks)));
    rates.bareLatin1.push(await timed(() => bareLatin1(chunks)));
    rates.full.push(await timed(() => station.feed(chunks)));
  }
  const bareRate = median(rates.bare);
  const latin1Rate = median(rates.bareLatin1);
  const fullRate = median(rates.full);
  // Each round runs all three back to back, so a ratio within a round cancels the machine's
  // drift between rounds; the overheads are medians of those paired ratios.
  const overhead = median(rates.bare.map((rate, i) => rate / rates.full[i]!));
  const overheadLatin1 = median(rates.bareLatin1.map((rate, i) => rate / rates.full[i]!));
  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const lps = (rate: number) => `${Math.round(rate).toLocaleString('en').padStart(10)} lines/s`;
  console.log(`serial-ingest: ${LINES} lines in ${CHUNK}-byte chunks, median of ${ROUNDS} rounds`);
  console.log(`  port → ReadlineParser (defaults, utf8):  ${lps(bareRate)}`);
  console.log(`  port → ReadlineParser (latin1):          ${lps(latin1Rate)}`);
  console.log(`  port → Tendril link → state:             ${lps(fullRate)}   target ≥ 100,000: ${mark(fullRate >= 100_000)}`);
  console.log(`  overhead vs the default parser:          ${overhead.toFixed(2)}×   target ≤ 2×: ${mark(overhead <= 2)}`);
  console.log(`  overhead vs the latin1 parser:           ${overheadLatin1.toFixed(2)}×`);
  console.log(`  rss:                                     ${(process.memoryUsage().rss / 1024 / 1024).toFixed(1)} MiB`);
  await station.link.stop();
}

void main();
