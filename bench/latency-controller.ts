/**
 * The controller of the latency bench, in a process of its own: the station simulator on a
 * real socat pty pair, as `npm run simulator -- --pty` runs it, except that every relay event
 * and sensor read it writes to the pty is stamped (Date.now()) and reported to the bench just
 * before the write. Relays are switched from the device side, as a grower's button on the
 * controller would, so the change starts at the controller and not at Tendril.
 *
 * For the renderer bench it can also stand for a bigger station reporting faster:
 * `--more-sensors` adds a second EC, pH and temperature probe (eight charted series with the
 * fill line's meter), and `--read-hz N` sends a read of every sensor N times a second instead
 * of once, each near the simulator's own latest value.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SerialPort } from 'serialport';
import { deviceLine } from '../src/main/protocol';
import { defaultLayout, StationSimulator, type StationLayout } from '../src/main/simulator';
import { killPtyPairsNow, openPtyPair } from '../src/main/simulator/pty';
import type { FromController, ToController } from './latency-shared';

const RELAY = /^EVT relay ch=(\w+) on=([01])/;
const READ = /^EVT read ch=(\w+) v=(-?[\d.]+)/;

const { values } = parseArgs({ options: { 'more-sensors': { type: 'boolean', default: false }, 'read-hz': { type: 'string', default: '1' } } });
const READ_HZ = Number(values['read-hz']);

function layout(): StationLayout {
  const base = defaultLayout();
  if (!values['more-sensors']) return base;
  const second = base.sensors
    .filter((sensor) => sensor.kind !== 'level')
    .map((sensor) => ({ ...sensor, id: sensor.id.replace('1', '2'), name: `${sensor.name} (second probe)` }));
  return { ...base, sensors: [...base.sensors, ...second] };
}

function tell(message: FromController): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tendril-latency-'));
  process.on('exit', () => {
    killPtyPairsNow();
    rmSync(dir, { recursive: true, force: true });
  });
  const pair = await openPtyPair(join(dir, 'tty-host'), join(dir, 'tty-station'), () => {});
  const port = await new Promise<SerialPort>((resolve, reject) => {
    const opened = new SerialPort({ path: pair.stationPath, baudRate: 115200 }, (err) => (err ? reject(err) : resolve(opened)));
  });
  const write = port.write.bind(port) as (chunk: Buffer) => boolean;
  // The simulator writes one framed line per call; the stamp is taken right before it goes to the pty.
  (port as unknown as { write: (chunk: Buffer) => boolean }).write = (chunk: Buffer): boolean => {
    const at = Date.now();
    const line = chunk.toString('latin1');
    const relay = RELAY.exec(line);
    if (relay) tell({ kind: 'wrote', at, what: 'relay', ch: relay[1]!, on: relay[2] === '1' });
    const read = READ.exec(line);
    if (read) tell({ kind: 'wrote', at, what: 'read', ch: read[1]!, value: Number(read[2]) });
    return write(chunk);
  };
  const stationLayout = layout();
  const sim = new StationSimulator({ seed: 11, layout: stationLayout });
  sim.attach(port);
  if (READ_HZ > 1) {
    // The extra reads jitter around the simulator's own latest value, in the sensor's decimals.
    let n = 0;
    setInterval(() => {
      const latest = sim.snapshot().sensors;
      for (const sensor of stationLayout.sensors) {
        const v = (latest[sensor.id] ?? 0) + sensor.noise * Math.sin(++n * 1.7);
        port.write(Buffer.from(deviceLine.event('read', { ch: sensor.id, v: v.toFixed(sensor.decimals) }), 'latin1'));
      }
    }, 1000 / READ_HZ);
  }
  process.on('message', (message: ToController) => {
    if (message.kind === 'stop') {
      sim.stop();
      port.close(() => void pair.close().then(() => process.exit(0)));
      return;
    }
    try {
      sim.pressRelayButton(message.ch, message.on);
    } catch (err) {
      process.stderr.write(`controller: ${(err as Error).message}\n`);
    }
  });
  tell({ kind: 'ready', serialPath: pair.hostPath });
}

main().catch((err: unknown) => {
  process.stderr.write(`controller: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
