/**
 * The link against a station peer running as a separate process on a real pty: the same path a
 * USB controller takes, minus the cable. One definition runs against both peers: the simulator
 * (on a socat pty pair) and the firmware twin (the real firmware on an emulated Mega, its UART
 * a pty). Both fake the wire's faults the same way: unplug, replug, silent, garbage, corrupt.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { initialStationState, type StationState } from '../../shared/station';
import { applyChange, type StationChange } from '../../shared/events';
import { firmwareTwinAvailable, socatAvailable, startSimProcess, waitFor, type Peer, type PeerSnapshot, type SimProcess, type SimSnapshot } from '../../test-support/main/sim-process';
import { Refusal } from '../../shared/refusal';
import { CommandError } from './commands';
import { controllerCommands } from './controller-commands';
import { detectController, probeController } from './discovery';
import { openSerialPort } from './serial-port';
import { StationLink, type OpenPort } from './station-link';

/** What differs between the peers; everything else the link must see the same from both. */
interface PeerCase {
  peer: Peer;
  name: string;
  /** Why its tests are skipped here, or null. */
  skipped: string | null;
  identity: { device: string; protocol: string; serial: string };
  /** Peer arguments for the dose test, and a dose that finishes in well under a second or two. */
  doseArgs: string[];
  dose: { ml: number; mlPerSecond: number };
  /** The device's own latch, where its snapshot shows it (the twin's shows only the pins). */
  latched: ((snapshot: PeerSnapshot) => boolean) | null;
}

const twin = firmwareTwinAvailable();
const PEERS: PeerCase[] = [
  {
    peer: 'simulator',
    name: 'simulator',
    skipped: socatAvailable() ? null : 'link pty tests need socat (apt-get install -y socat)',
    identity: { device: 'tendril-sim', protocol: '1.2', serial: 'SIM-0001' },
    doseArgs: ['--time-scale', '10'],
    dose: { ml: 5, mlPerSecond: 1.25 },
    latched: (snapshot) => (snapshot as SimSnapshot).estopLatched === true,
  },
  {
    peer: 'firmware',
    name: 'firmware twin',
    skipped: twin.ok ? null : `link pty tests against the firmware twin need it built (${twin.why})`,
    identity: { device: 'tendril-mega', protocol: '1.2', serial: 'MEGA-0001' },
    // The twin runs in real time only.
    doseArgs: [],
    dose: { ml: 2, mlPerSecond: 1.25 },
    latched: null,
  },
];
for (const { skipped } of PEERS) if (skipped) console.log(`skipped: ${skipped}`);

/** Either peer, typed by what both have. */
function startPeer(peer: Peer, args: string[] = []): Promise<SimProcess<PeerSnapshot>> {
  return peer === 'firmware' ? startSimProcess(args, { peer }) : startSimProcess(args);
}

interface Harness {
  sim: SimProcess<PeerSnapshot>;
  link: StationLink;
  state: () => StationState;
  events: StationChange[];
  port: () => OpenPort | null;
  logs: string[];
}

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of running.splice(0).reverse()) await stop();
});

async function connect(peer: Peer, simArgs: string[] = []): Promise<Harness> {
  const sim = await startPeer(peer, simArgs);
  running.push(() => sim.kill());
  let current: OpenPort | null = null;
  const logs: string[] = [];
  const link = new StationLink({
    port: sim.serialPath,
    simulated: false,
    open: async () => (current = await openSerialPort(sim.serialPath, 115200)),
    log: (line) => logs.push(line),
    random: () => 0.5,
  });
  let state = initialStationState(false, sim.serialPath);
  const events: StationChange[] = [];
  link.onEvent((event) => {
    events.push(event);
    state = applyChange(state, event);
  });
  running.push(() => link.stop());
  await link.start();
  await waitFor(() => state.link.status === 'ready', 10_000, 'the link to be ready');
  return { sim, link, state: () => state, events, port: () => current, logs };
}

describe.each(PEERS)('station link over a real pty, against the $name', ({ peer, skipped, identity, doseArgs, dose, latched }) => {
  // A peer that cannot run here still lists its tests, as skipped.
  const it = skipped ? test.skip : test;

  it('finds the controller by handshake among candidate ports', async () => {
    const sim = await startPeer(peer);
    running.push(() => sim.kill());
    expect(await probeController('/dev/tendril-no-such-port', 115200)).toBeNull();
    expect(await probeController(sim.serialPath, 115200)).toMatchObject({ device: identity.device, serial: identity.serial });
    const found = await detectController(115200, ['/dev/tendril-no-such-port', sim.serialPath]);
    expect(found?.path).toBe(sim.serialPath);
  });

  it('doses through the typed commands, with progress until done', async () => {
    const { link, state, events } = await connect(peer, doseArgs);
    const controller = controllerCommands(link);
    expect(await controller.ping()).toBeGreaterThan(0);
    await controller.dose('nut_a', dose.ml, dose.mlPerSecond, 6000);
    const doseEvents = () => events.filter((e) => e.type === 'pump_progress' && e.pumpId === 'nut_a');
    await waitFor(() => doseEvents().some((e) => e.type === 'pump_progress' && e.done), 10_000, 'the dose to finish');
    const progress = doseEvents();
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatchObject({ done: true, why: 'complete', ml: dose.ml });
    expect(progress.slice(0, -1).every((e) => e.type === 'pump_progress' && !e.done && e.ml < dose.ml)).toBe(true);
    expect(state().pumps.nut_a).toMatchObject({ running: false, ml: dose.ml, target: dose.ml });
    const refused = await controller.dose('nut_a', 9999, dose.mlPerSecond, 6000).catch((err: unknown) => err);
    // The device's RANGE reaches the station as the API's REFUSED, in the device's words.
    expect(refused).toBeInstanceOf(Refusal);
    expect(refused).toMatchObject({ code: 'REFUSED' });
  });

  it('handshakes, then commands are acknowledged and events arrive', async () => {
    const { link, state, sim } = await connect(peer);
    const s = state();
    expect(s.device).toMatchObject(identity);
    expect(s.channels.map((c) => c.id)).toEqual(
      expect.arrayContaining(['fill', 'drain', 'mixer', 'circulation', 'lights', 'air', 'nut_a', 'nut_b', 'ph_up', 'ph_down', 'flow1', 'ec1', 'ph1', 'temp1', 'level1']),
    );
    expect(s.relays.lights).toEqual({ on: false, why: 'state' });

    await link.command('SET', { ch: 'lights', on: 1 });
    await waitFor(() => state().relays.lights?.on === true, 5000, 'the relay event');
    expect((await sim.snapshot()).relays.lights).toBe(true);

    const before = state().readings.ec1?.at ?? 0;
    await waitFor(() => (state().readings.ec1?.at ?? 0) > before, 5000, 'a fresh EC reading');
    // The firmware twin's probes read what its harness puts on the analog pins; a round read
    // before the harness first set them reads 0 V, so wait for a round after.
    await waitFor(() => (state().readings.ph1?.value ?? 0) > 3, 5000, 'a pH reading from the probe');
  });

  it('reconnects after an unplug and reconciles the state', async () => {
    const { link, state, sim } = await connect(peer);
    await link.command('SET', { ch: 'lights', on: 1 });
    await waitFor(() => state().relays.lights?.on === true, 5000, 'lights on');

    await sim.control('unplug');
    await waitFor(() => state().link.status !== 'ready', 5000, 'the link to notice the unplug');
    expect(state().link.reason).toMatch(/closed|ended|error|silent/);

    // While unplugged the device hears nothing, so its watchdog switches the lights off; the
    // host's last word was "on", and only the handshake's state query can tell it otherwise.
    await waitFor(async () => (await sim.snapshot()).relays.lights === false, 8000, 'the device watchdog');
    expect(state().relays.lights?.on).toBe(true);

    const replugged = Date.now();
    await sim.control('replug');
    // Worst case: a full capped backoff delay (5 s) plus the handshake.
    await waitFor(() => state().link.status === 'ready', 8000, 'the link to come back');
    expect(Date.now() - replugged).toBeLessThan(8000);
    expect(state().relays.lights?.on).toBe(false);
    await link.command('PING');
  });

  it('notices a device that goes silent', async () => {
    const { state, sim } = await connect(peer);
    await sim.control('silent on');
    const silentAt = Date.now();
    await waitFor(() => state().link.status !== 'ready', 6000, 'the link to notice the silence');
    expect(Date.now() - silentAt).toBeLessThan(6000);
    expect(state().link.reason).toMatch(/silent|acknowledge/);
    await sim.control('silent off');
    await waitFor(() => state().link.status === 'ready', 10_000, 'the link to recover');
  });

  it("the device watchdog turns outputs off when the host goes quiet", async () => {
    const { link, state, sim, port } = await connect(peer);
    await link.command('SET', { ch: 'air', on: 1 });
    await waitFor(() => state().relays.air?.on === true, 5000, 'the air pump on');
    // A hung host: the port stays open but nothing is written any more.
    const stream = port()!.stream;
    stream.write = (() => true) as typeof stream.write;
    await waitFor(async () => (await sim.snapshot()).relays.air === false, 8000, 'the watchdog to switch the air pump off');
  });

  it('the emergency stop latches and refuses actuation until reset', async () => {
    const { link, state, sim, events } = await connect(peer);
    await link.command('SET', { ch: 'mixer', on: 1 });
    const pressed = events.length;
    link.emergencyStop();
    expect(state().estop.latched).toBe(true);
    // The host repeats the stop byte until the device answers it (its echo or its estop event,
    // each an estop_update after the host's own). A RESET sent before that answer can be
    // overtaken by a repeat, which latches the device again; the refusal below is the host's
    // own and does not wait for the device.
    const stopUpdates = () => events.slice(pressed).filter((e) => e.type === 'estop_update' && e.latched).length;
    await waitFor(() => stopUpdates() >= 2, 5000, 'the device to answer the stop');
    await waitFor(async () => (await sim.snapshot()).relays.mixer === false, 5000, 'the device to stop the mixer');
    // Only the simulator's snapshot shows the device's latch; the twin's shows it through the
    // link (the answer awaited above) and its outputs.
    if (latched) expect(latched(await sim.snapshot())).toBe(true);

    const refused = await link.command('SET', { ch: 'mixer', on: 1 }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(CommandError);
    expect((refused as CommandError).code).toBe('ESTOP');

    await link.resetEmergencyStop();
    await waitFor(() => state().estop.latched === false, 5000, 'the latch to clear');
    await link.command('SET', { ch: 'mixer', on: 1 });
    expect((await sim.snapshot()).relays.mixer).toBe(true);
  });

  it('survives garbage and corrupted checksums from the device', async () => {
    const { link, state, sim } = await connect(peer);
    await sim.control('garbage 2000');
    await sim.control('corrupt 5');
    await waitFor(() => link.stats.garbage + link.stats.badChecksum >= 2, 5000, 'bad lines to be counted');
    await link.command('PING');
    expect(state().link.status).toBe('ready');
    expect(link.stats.badChecksum).toBeGreaterThan(0);
  });

  it('retries a command the device could not read', async () => {
    const { link, port, sim } = await connect(peer);
    // Corrupt the next command on its way out, as line noise would.
    const stream = port()!.stream;
    const write = stream.write.bind(stream) as (chunk: string | Buffer) => boolean;
    let corruptNext = true;
    stream.write = ((chunk: string | Buffer) => {
      if (corruptNext && typeof chunk === 'string' && chunk.includes(' SET ')) {
        corruptNext = false;
        return write(chunk.replace('on=1', 'on=7'));
      }
      return write(chunk);
    }) as typeof stream.write;
    await link.command('SET', { ch: 'lights', on: 1 });
    expect(link.stats.retries).toBeGreaterThanOrEqual(1);
    const snapshot = await sim.snapshot();
    expect(snapshot.relays.lights).toBe(true);
  });
});

describe.each(PEERS)('stopping the link, against the $name', ({ peer, skipped }) => {
  // A peer that cannot run here still lists its tests, as skipped.
  const it = skipped ? test.skip : test;

  it('switches every output off before the port closes', async () => {
    const { link, sim } = await connect(peer);
    await link.command('SET', { ch: 'lights', on: 1 });
    await link.command('SET', { ch: 'air', on: 1 });
    await link.stop();
    // Well inside the 3 s watchdog: it was the STOP command that switched them off.
    const snapshot = await sim.snapshot();
    expect(snapshot.relays.lights).toBe(false);
    expect(snapshot.relays.air).toBe(false);
    expect(link.state.status).toBe('disconnected');
  });
});
