/**
 * The reference firmware's figures, measured on the emulated ATmega2560 (real time, 16 MHz):
 *
 *   - flash and RAM use (from the build);
 *   - stop byte → every output off, in emulated microseconds, over repeated stops;
 *   - the main loop: how long a pass takes and how often it comes round, idle and under load;
 *   - the deepest the stack reached during the run;
 *   - how many command lines a second it parses and answers at 115200 baud: one at a time
 *     (the protocol's window of 1) and pipelined flat out;
 *   - whether the host link's decoding keeps up with a firmware talking flat out.
 *
 * Run: npm run bench:firmware [-- --stops N --pings N]
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeDeviceLine, encodeCommand } from '../src/main/protocol';
import { CYCLES_PER_MS, FirmwareTwin, type LoopTiming } from '../src/main/firmware-twin';
import { RawHost } from '../src/test-support/main/raw-host';

const { values } = parseArgs({ options: { stops: { type: 'string', default: '20' }, pings: { type: 'string', default: '400' } } });
const STOPS = Number(values.stops);
const PINGS = Number(values.pings);
const BAUD = 115200;

function quantiles(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `min ${sorted[0]!.toFixed(1)}, median ${at(0.5).toFixed(1)}, max ${sorted.at(-1)!.toFixed(1)}`;
}

function loopLine(what: string, t: LoopTiming): string {
  return (
    `main loop ${what}: a pass takes ${t.passUs.typical} µs typical, ${t.passUs.worst} µs worst; ` +
    `it comes round every ${t.periodUs.typical} µs typical, ${t.periodUs.worst} µs worst (${t.passes} passes, emulated)`
  );
}

async function main(): Promise<void> {
  const build = spawnSync(process.execPath, [join(import.meta.dirname, '../scripts/firmware-build.mjs')], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(build.stderr || build.stdout);
  process.stdout.write(build.stdout);

  const twin = new FirmwareTwin();
  const path = await twin.start();
  const host = await RawHost.open(path);
  try {
    await host.command('HELLO', { proto: '1.0' });

    // Idle: sensors sampled, readings and heartbeats reported, a PING a second to keep the host
    // watchdog fed.
    await twin.loopTiming();
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await host.command('PING');
    }
    console.log(loopLine('idle', await twin.loopTiming()));

    // Stop byte → all off, with four outputs on each time.
    const latenciesUs: number[] = [];
    for (let i = 0; i < STOPS; i++) {
      await host.command('RESET');
      for (const ch of ['mixer', 'lights', 'air']) await host.command('SET', { ch, on: 1 });
      await host.command('DOSE', { ch: 'nut_a', ml: 10, rate: 1, max: 20000 });
      await host.until(() => twin.snapshot().pumps.nut_a === true, 2000, 'the pump on');
      const from = host.lines.length;
      host.stopByte();
      await host.waitForLine('EVT estop latched=1', from, 2000);
      const s = twin.snapshot();
      const offs = s.outChanges.filter((c) => !c.on && c.cycle >= (s.lastStopByteCycle ?? Infinity));
      latenciesUs.push(((Math.max(...offs.map((c) => c.cycle)) - s.lastStopByteCycle!) / CYCLES_PER_MS) * 1000);
    }
    await host.command('RESET');
    console.log(`stop byte → every output off: ${quantiles(latenciesUs)} µs (emulated, ${STOPS} stops, 4 outputs on)`);

    // One command at a time, as the protocol's window of 1 allows.
    let started = performance.now();
    for (let i = 0; i < 300; i++) await host.command('PING');
    const windowed = 300 / ((performance.now() - started) / 1000);
    console.log(`commands answered one at a time (window 1): ${windowed.toFixed(0)} lines/s`);

    // Pipelined flat out: the wire is the limit (a PING is ~12 bytes in, its ACK ~22 out).
    const from = host.lines.length;
    const seqs: number[] = [];
    let wire = '';
    for (let i = 0; i < PINGS; i++) {
      const seq = host.nextSeq();
      seqs.push(seq);
      wire += encodeCommand(seq, 'PING');
    }
    started = performance.now();
    host.write(wire);
    const last = seqs.at(-1)!;
    // Lines the firmware could not take in while its answers queued are lost, as on a real UART:
    // the run ends when the answers stop coming (events go on, so only answers count).
    const answers = () => host.lines.slice(from).filter((l) => /^(ACK|NAK) /.test(l.body ?? '')).length;
    let lastAt = performance.now();
    let seen = 0;
    while (performance.now() - lastAt < 500 && !host.lines.slice(from).some((l) => l.body?.startsWith(`ACK ${last} `))) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (answers() !== seen) [seen, lastAt] = [answers(), performance.now()];
    }
    const seconds = (lastAt - started) / 1000;
    const answered = host.lines.slice(from).filter((l) => l.body?.startsWith('ACK ')).length;
    const refused = host.lines.slice(from).filter((l) => l.body?.startsWith('NAK ')).length;
    const bytesOut = host.lines.slice(from).reduce((n, l) => n + l.text.length + 1, 0);
    console.log(
      `commands pipelined flat out (beyond the protocol's window): ${(answered / seconds).toFixed(0)} lines/s answered (${answered} ACK, ${refused} NAK, ${PINGS - answered - refused} lost of ${PINGS}); ` +
        `sending ${(bytesOut / seconds).toFixed(0)} of ${BAUD / 10} bytes/s the wire carries`,
    );

    // The host side: the lines the firmware sent, decoded by the link's own codec.
    const texts = host.lines.map((l) => l.text);
    const rounds = Math.ceil(500_000 / texts.length);
    started = performance.now();
    let decoded = 0;
    for (let r = 0; r < rounds; r++) for (const text of texts) if (typeof decodeDeviceLine(text) === 'object') decoded++;
    const decodeRate = decoded / ((performance.now() - started) / 1000);
    const wireLimit = BAUD / 10 / 22;
    console.log(`host decoding of the firmware's lines: ${decodeRate.toFixed(0)} lines/s, ${(decodeRate / wireLimit).toFixed(0)}× a firmware talking flat out (${wireLimit.toFixed(0)} lines/s at ${BAUD} baud)`);

    console.log(loopLine('under load (the stops, a dose, and the floods above)', await twin.loopTiming()));
    console.log(`stack: deepest ${await twin.stackBytes()} bytes during this run, of ${8192} bytes of RAM`);
  } finally {
    await host.close();
    await twin.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
