/**
 * The reference firmware held to docs/protocol.md, section 10's checklist and more: the real
 * compiled binary on an emulated ATmega2560, its UART on a pty, its pins on the simulator's
 * tank model. Timing is measured in emulated CPU cycles (16 per microsecond), never by the
 * wall clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crcHex } from '../protocol';
import { channelIndex, channelRow, defaultLayout } from '../simulator/layout';
import { fieldsOf, RawHost } from '../../test-support/main/raw-host';
import type { FirmwareTwinSnapshot } from './bench';
import { firmwareTwinAvailable, startSimProcess, waitFor, type SimProcess } from '../../test-support/main/sim-process';

const CYCLES_PER_MS = 16_000;
/**
 * How long a wait may take in wall-clock time. Every wait ends as soon as its line arrives; the
 * limit matters only on a loaded machine, where the emulated clock can fall behind the wall
 * clock. Timing itself is asserted in emulated cycles, never by these.
 */
const SLOW = 15_000;
const twin = firmwareTwinAvailable();
if (!twin.ok) console.log(`skipped: firmware conformance needs the firmware twin (${twin.why})`);

describe.skipIf(!twin.ok)('the reference firmware (emulated ATmega2560)', () => {
  let peer: SimProcess<FirmwareTwinSnapshot>;
  let host: RawHost;
  const snapshot = () => peer.snapshot();
  const allOff = (s: FirmwareTwinSnapshot) => [...Object.values(s.relays), ...Object.values(s.pumps)].every((on) => !on);
  /** The codes SET on, DOSE and FILL get, each sure to be accepted in a session; the NOSESSION message says what to do. */
  const refusalsWithoutSession = async (): Promise<string[]> => {
    const finals = [
      (await host.command('SET', { ch: 'lights', on: 1 })).final,
      (await host.command('DOSE', { ch: 'nut_a', ml: 2, rate: 1, max: 5000 })).final,
      (await host.command('FILL', { ch: 'fill', flow: 'flow1', pulses: 100, max: 10000, noflow: 1000 })).final,
    ];
    for (const final of finals) if (final.includes('NOSESSION')) expect(fieldsOf(final).msg).toMatch(/send HELLO/);
    return finals.map((final) => final.split(' ')[2] ?? final);
  };
  /** A clean session: no latch, no alarm, nothing running. */
  const fresh = async () => {
    await host.command('STOP');
    await host.command('RESET');
    await host.command('HELLO', { proto: '1.0' });
    expect(fieldsOf((await host.command('STATE')).final)).toMatchObject({ estop: '0', alarm: 'none' });
  };

  beforeAll(async () => {
    peer = await startSimProcess([], { peer: 'firmware' });
    host = await RawHost.open(peer.serialPath);
  });
  afterAll(async () => {
    await host?.close();
    await peer?.kill();
  });

  it('boots with every output off and says so first', async () => {
    // A Mega resets when a host opens its port; the reset pin does the same here.
    const before = host.lines.length;
    await host.command('HELLO', { proto: '1.0' });
    await host.command('SET', { ch: 'lights', on: 1 });
    await host.waitForLine('EVT relay ch=lights on=1', before, SLOW);
    const from = host.lines.length;
    await peer.control('reset');
    await host.waitForLine('EVT ', from, SLOW);
    // The first line that checks out; a line the reset cut short would be one bad line before it.
    expect(host.lines.slice(from).find((l) => l.body !== null)?.body).toMatch(/^EVT boot fw=\S+ why=reset$/);
    expect(allOff(await snapshot())).toBe(true);
  });

  it('switches nothing on after a boot until the host says HELLO, and answers everything else', async () => {
    const from = host.lines.length;
    await peer.control('reset');
    await host.waitForLine('EVT boot', from, SLOW);
    expect(await refusalsWithoutSession()).toEqual(['NOSESSION', 'NOSESSION', 'NOSESSION']);
    for (const verb of ['STATE', 'CHANNELS', 'PING', 'STOP', 'RESET']) expect((await host.command(verb)).final).toMatch(/^ACK /);
    expect((await host.command('SET', { ch: 'lights', on: 0 })).final).toMatch(/^ACK /);
    expect(allOff(await snapshot())).toBe(true);
    await host.command('HELLO', { proto: '1.0' });
    expect((await host.command('SET', { ch: 'lights', on: 1 })).final).toMatch(/^ACK /);
    await waitFor(async () => (await snapshot()).relays.lights === true, SLOW, 'lights on');
    await host.command('STOP');
  });

  it('answers HELLO with its identity, and CHANNELS with the simulator\'s default station', async () => {
    const hello = await host.command('HELLO', { proto: '1.0' });
    expect(fieldsOf(hello.final)).toMatchObject({ device: 'tendril-mega', proto: '1.2', window: '1', watchdog: '3000', maxline: '512' });
    const channels = await host.command('CHANNELS');
    const expected = [...channelIndex(defaultLayout()).values()].map((c) => channelRow(c));
    expect(channels.rows.map((row) => fieldsOf(row))).toEqual(
      expected.map((row) => Object.fromEntries(Object.entries(row).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])))),
    );
    expect(fieldsOf(channels.final).count).toBe(String(expected.length));
    const state = await host.command('STATE');
    expect(state.rows).toHaveLength(expected.length);
    expect(fieldsOf(state.final)).toMatchObject({ estop: '0', alarm: 'none' });
  });

  it('sends a heartbeat every second and a reading of every sensor every second', async () => {
    const from = host.lines.length;
    const started = Date.now();
    await waitFor(() => host.since(from, 'EVT hb ').length >= 3, SLOW, 'three heartbeats');
    const seconds = (Date.now() - started) / 1000;
    for (const sensor of ['ec1', 'ph1', 'temp1', 'level1']) {
      expect(host.since(from, `EVT read ch=${sensor} `).length).toBeGreaterThanOrEqual(2);
    }
    expect(host.since(from, 'EVT hb ').length).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
  });

  it('answers damaged lines as documented, and never applies them', async () => {
    await fresh();
    let from = host.lines.length;
    host.write('7 SET ch=lights on=1*0000\n');
    expect(await host.waitForLine('NAK 7 CRC', from, SLOW)).toBe('NAK 7 CRC');
    from = host.lines.length;
    host.write('no checksum at all\n');
    await host.waitForLine('NAK 0 CRC', from, SLOW);
    from = host.lines.length;
    host.write(`${'x'.repeat(600)}\n`);
    await host.waitForLine('NAK 0 LONG', from, SLOW);
    from = host.lines.length;
    host.write(Buffer.from([0x31, 0x20, 0x50, 0x49, 0x4e, 0x47, 0x07, 0x2a, 0x30, 0x30, 0x30, 0x30, 0x0a]));
    await host.waitForLine('NAK 1 CRC', from, SLOW);
    expect(fieldsOf((await host.command('STATE')).rows.find((r) => r.includes('ch=lights'))!).on).toBe('0');
    expect((await host.command('SET', { ch: 'lights', on: 1, bogus: '"a b"' })).final).toMatch(/^ACK /);
    expect((await host.command('WHISTLE')).final).toMatch(/^NAK \d+ UNKNOWN/);
    expect((await host.command('SET', { ch: 'nope', on: 1 })).final).toMatch(/^NAK \d+ CHANNEL/);
    expect((await host.command('SET', { ch: 'fill', on: 1 })).final).toMatch(/^NAK \d+ RANGE/);
    expect((await host.command('DOSE', { ch: 'nut_a', ml: 500, rate: 1, max: 9000 })).final).toMatch(/^NAK \d+ RANGE/);
    expect((await host.command('DOSE', { ch: 'nut_a', ml: '1e3', rate: 1, max: 9000 })).final).toMatch(/^NAK \d+ RANGE/);
    expect((await host.command('FILL', { ch: 'fill', flow: 'flow1', pulses: 10, max: 1000, noflow: 100 })).final).toMatch(/^NAK \d+ RANGE/);
    from = host.lines.length;
    host.write('5 SET  ch=lights*' + crcHex('5 SET  ch=lights') + '\n');
    expect(await host.waitForLine(/^NAK 5 SYNTAX/, from, SLOW)).toMatch(/^NAK 5 SYNTAX/);
    await host.command('STOP');
  });

  it('applies a repeated sequence number once, remembering at least 8 answers', async () => {
    await fresh();
    const seq = host.nextSeq();
    const first = await host.command('DOSE', { ch: 'nut_b', ml: 2, rate: 1, max: 5000 }, seq);
    expect(first.final).toBe(`ACK ${seq}`);
    for (let i = 0; i < 7; i++) await host.command('PING');
    const again = await host.command('DOSE', { ch: 'nut_b', ml: 2, rate: 1, max: 5000 }, seq);
    expect(again.final).toBe(first.final); // not BUSY: it was not run again
    await host.command('STOP');
    const pumpOns = (await snapshot()).outChanges.filter((c) => c.id === 'nut_b' && c.on);
    expect(pumpOns).toHaveLength(1);
  });

  it('the stop byte turns every output off within 1 ms, latches, echoes, and refuses actuation until RESET', async () => {
    await fresh();
    await host.command('SET', { ch: 'mixer', on: 1 });
    await host.command('SET', { ch: 'lights', on: 1 });
    await host.command('DOSE', { ch: 'nut_a', ml: 20, rate: 1, max: 30000 });
    await waitFor(async () => (await snapshot()).pumps.nut_a === true, SLOW, 'the pump on');
    const echoes = host.stopEchoes;
    const from = host.lines.length;
    host.stopByte();
    await host.waitForLine('EVT estop latched=1 src=host', from, SLOW);
    expect(host.stopEchoes).toBeGreaterThan(echoes);
    expect(host.since(from, 'EVT dose ch=nut_a').at(-1)).toMatch(/done=1 why=estop$/);
    const s = await snapshot();
    expect(allOff(s)).toBe(true);
    const offs = s.outChanges.filter((c) => !c.on && c.cycle >= s.lastStopByteCycle!);
    const latestOff = Math.max(...offs.map((c) => c.cycle));
    expect(offs.map((c) => c.id).sort()).toEqual(['lights', 'mixer', 'nut_a']);
    expect(latestOff - s.lastStopByteCycle!).toBeLessThan(CYCLES_PER_MS);

    expect((await host.command('SET', { ch: 'mixer', on: 1 })).final).toMatch(/^NAK \d+ ESTOP/);
    expect((await host.command('DOSE', { ch: 'nut_a', ml: 'x', rate: 1, max: 9000 })).final).toMatch(/^NAK \d+ ESTOP/);
    expect((await host.command('SET', { ch: 'mixer', on: 0 })).final).toMatch(/^ACK /);
    expect((await host.command('PING')).final).toMatch(/^ACK \d+ up=\d+$/);
    expect(fieldsOf((await host.command('STATE')).final)).toMatchObject({ estop: '1', alarm: 'ESTOP' });
    const resetFrom = host.lines.length;
    await host.command('RESET');
    await host.waitForLine('EVT estop latched=0', resetFrom, SLOW);
    expect(allOff(await snapshot())).toBe(true);
    expect((await host.command('SET', { ch: 'mixer', on: 1 })).final).toMatch(/^ACK /);
    await host.command('STOP');
  });

  it("runs a dose's pump for ml / rate within 1%, by its own timer", async () => {
    await fresh();
    const from = host.lines.length;
    await host.command('DOSE', { ch: 'ph_down', ml: 3, rate: 1.5, max: 5000 });
    await host.waitForLine(/^EVT dose ch=ph_down .*done=1/, from, SLOW);
    expect(host.since(from, 'EVT dose ch=ph_down').at(-1)).toBe('EVT dose ch=ph_down ml=3.00 target=3.00 done=1 why=complete');
    const changes = (await snapshot()).outChanges.filter((c) => c.id === 'ph_down');
    const [on, off] = changes.slice(-2);
    expect(on?.on).toBe(true);
    expect(off?.on).toBe(false);
    const ms = (off!.cycle - on!.cycle) / CYCLES_PER_MS;
    expect(Math.abs(ms - 2000)).toBeLessThan(20);
    expect(host.since(from, 'EVT dose ch=ph_down').length).toBeGreaterThan(3);
  });

  it('ends a bounded SET by itself', async () => {
    await fresh();
    const from = host.lines.length;
    await host.command('SET', { ch: 'drain', on: 1, max: 600 });
    await host.waitForLine('EVT relay ch=drain on=0 why=bound', from, SLOW);
    const [on, off] = (await snapshot()).outChanges.filter((c) => c.id === 'drain').slice(-2);
    expect(Math.abs((off!.cycle - on!.cycle) / CYCLES_PER_MS - 600)).toBeLessThan(6);
  });

  it('closes the fill valve at the pulse target, at max, and after noflow', async () => {
    await fresh();
    let from = host.lines.length;
    const before = (await snapshot()).flows.flow1 ?? 0;
    await host.command('FILL', { ch: 'fill', flow: 'flow1', pulses: 90, max: 60000, noflow: 2000 });
    const done = await host.waitForLine(/^EVT fill ch=fill .*done=1/, from, SLOW);
    expect(done).toBe('EVT fill ch=fill pulses=90 target=90 done=1 why=complete');
    await host.waitForLine('EVT relay ch=fill on=0 why=fill', from, SLOW);
    const counted = ((await snapshot()).flows.flow1 ?? 0) - before;
    expect(counted).toBeGreaterThanOrEqual(90);
    expect(counted).toBeLessThanOrEqual(91);

    from = host.lines.length;
    await host.command('FILL', { ch: 'fill', flow: 'flow1', pulses: 100000, max: 1200, noflow: 1000 });
    expect(await host.waitForLine(/^EVT fill ch=fill .*done=1/, from, SLOW)).toMatch(/why=bound$/);
    await host.waitForLine('EVT alarm code=BOUND', from, SLOW);
    let [on, off] = (await snapshot()).outChanges.filter((c) => c.id === 'fill').slice(-2);
    expect(Math.abs((off!.cycle - on!.cycle) / CYCLES_PER_MS - 1200)).toBeLessThan(6);

    await peer.control('supply off');
    from = host.lines.length;
    await host.command('FILL', { ch: 'fill', flow: 'flow1', pulses: 1000, max: 60000, noflow: 800 });
    expect(await host.waitForLine(/^EVT fill ch=fill .*done=1/, from, SLOW)).toMatch(/pulses=0 .*why=noflow$/);
    [on, off] = (await snapshot()).outChanges.filter((c) => c.id === 'fill').slice(-2);
    expect(Math.abs((off!.cycle - on!.cycle) / CYCLES_PER_MS - 800)).toBeLessThan(6);
    await peer.control('supply on');
  });

  it('the float switch closes the fill valve with no host, and refuses to reopen it', async () => {
    await fresh();
    await host.command('SET', { ch: 'fill', on: 1, max: 60000 });
    await waitFor(async () => (await snapshot()).relays.fill === true, SLOW, 'the fill valve open');
    // From here the host says nothing: the 3 s watchdog is not what closes the valve.
    const from = host.lines.length;
    await peer.control('float on');
    await host.waitForLine('EVT relay ch=fill on=0 why=highlevel', from, SLOW);
    await host.waitForLine('EVT alarm code=HIGHLEVEL', from, SLOW);
    expect(host.since(from, 'EVT alarm code=WATCHDOG')).toEqual([]);
    expect((await host.command('SET', { ch: 'fill', on: 1, max: 60000 })).final).toMatch(/^NAK \d+ RANGE .*float switch/);
    expect((await host.command('FILL', { ch: 'fill', flow: 'flow1', pulses: 10, max: 6000, noflow: 1000 })).final).toMatch(/^NAK \d+ RANGE/);
    expect((await host.command('SET', { ch: 'mixer', on: 1 })).final).toMatch(/^ACK /);
    expect(fieldsOf((await host.command('STATE')).final).alarm).toBe('HIGHLEVEL');
    await peer.control('float auto');
    await waitFor(async () => (await host.command('SET', { ch: 'fill', on: 1, max: 1000 })).final.startsWith('ACK'), SLOW, 'fills allowed again');
    await host.command('STOP');
  });

  it('the stop button latches like the stop byte, with src=button', async () => {
    await fresh();
    await host.command('SET', { ch: 'air', on: 1 });
    const from = host.lines.length;
    const echoes = host.stopEchoes;
    await peer.control('button');
    await host.waitForLine('EVT estop latched=1 src=button', from, SLOW);
    expect(host.stopEchoes).toBeGreaterThan(echoes);
    expect(allOff(await snapshot())).toBe(true);
    expect((await host.command('SET', { ch: 'air', on: 1 })).final).toMatch(/^NAK \d+ ESTOP/);
    // A button still held latches again after RESET (a mushroom switch stays down), so the
    // reset waits for the 50 ms press to be over.
    const pressed = (await snapshot()).cycle;
    await waitFor(async () => (await snapshot()).cycle > pressed + 100 * CYCLES_PER_MS, SLOW, 'the button released');
    await host.command('RESET');
    expect(fieldsOf((await host.command('STATE')).final).estop).toBe('0');
  });

  it('the host watchdog turns everything off when the host goes quiet', async () => {
    await fresh();
    await host.command('SET', { ch: 'lights', on: 1 });
    const from = host.lines.length;
    await host.waitForLine('EVT alarm code=WATCHDOG', from, SLOW);
    const s = await snapshot();
    expect(allOff(s)).toBe(true);
    await host.waitForLine('EVT relay ch=lights on=0', from, SLOW).catch(() => {
      throw new Error(`no relay line; received: ${host.lines.slice(from).map((l) => l.text).join(' | ')}`);
    });
    expect(host.since(from, 'EVT relay ch=lights on=0 why=watchdog')).toHaveLength(1);
    // The host that went quiet may not know its job was ended: nothing switches on until HELLO.
    expect(await refusalsWithoutSession()).toEqual(['NOSESSION', 'NOSESSION', 'NOSESSION']);
    expect(allOff(await snapshot())).toBe(true);
    await host.command('HELLO', { proto: '1.0' });
    expect((await host.command('SET', { ch: 'lights', on: 1 })).final).toMatch(/^ACK /);
    await host.command('STOP');
  });

  it('a hung main loop is reset by the hardware watchdog and boots all-off', async () => {
    await fresh();
    await host.command('SET', { ch: 'circulation', on: 1 });
    const from = host.lines.length;
    await peer.control('hang');
    await host.waitForLine('EVT boot', from, SLOW).catch(async (err: Error) => {
      const s = await snapshot();
      throw new Error(`${err.message}; resets ${s.resets}, cycle ${s.cycle}; received: ${host.lines.slice(from).map((l) => l.text).join(' | ')}; harness: ${peer.stderr().split('\n').slice(-6).join(' | ')}`);
    });
    expect(host.since(from, 'EVT boot')).toEqual([expect.stringMatching(/why=watchdog$/)]);
    // Whatever line the hang cut off stays one bad line; it does not swallow the boot line.
    const s = await snapshot();
    expect(allOff(s)).toBe(true);
    expect(s.resets).toBeGreaterThanOrEqual(1);
    expect((await host.command('SET', { ch: 'circulation', on: 1 })).final).toMatch(/^NAK \d+ NOSESSION /);
    expect((await host.command('HELLO', { proto: '1.0' })).final).toMatch(/^ACK /);
  });
});


/**
 * A flashed Mega runs its stock bootloader (stk500v2) after every reset, and it clears the reset
 * cause before the firmware starts; the firmware then knows a watchdog reset only by the mark its
 * watchdog interrupt leaves in RAM.
 */
describe.skipIf(!twin.ok)('the reference firmware behind the stock bootloader', () => {
  let peer: SimProcess<FirmwareTwinSnapshot>;
  let host: RawHost;
  const snapshot = () => peer.snapshot();
  const allOff = (s: FirmwareTwinSnapshot) => [...Object.values(s.relays), ...Object.values(s.pumps)].every((on) => !on);
  /** The hardware watchdog's period as simavr counts it: WDTO_500MS is 65536 ticks at 128 kHz. */
  const WATCHDOG_CYCLES = 512 * CYCLES_PER_MS;
  const bootLine = async (from: number) => {
    await host.waitForLine('EVT boot', from, SLOW).catch(async (err: Error) => {
      const s = await snapshot();
      throw new Error(`${err.message}; resets ${s.resets}, cycle ${s.cycle}; received: ${host.lines.slice(from).map((l) => l.text).join(' | ')}; harness: ${peer.stderr().split('\n').slice(-6).join(' | ')}`);
    });
    return host.since(from, 'EVT boot');
  };
  /** Circulation on, then the emulated cycle just before the firmware is made to get stuck. */
  const circulating = async (): Promise<number> => {
    expect((await host.command('HELLO', { proto: '1.0' })).final).toMatch(/^ACK /);
    await host.command('SET', { ch: 'circulation', on: 1 });
    await waitFor(async () => (await snapshot()).relays.circulation === true, SLOW, 'circulation on');
    return (await snapshot()).cycle;
  };

  beforeAll(async () => {
    peer = await startSimProcess(['--bootloader', 'stk500v2'], { peer: 'firmware' });
    host = await RawHost.open(peer.serialPath);
  });
  afterAll(async () => {
    await host?.close();
    await peer?.kill();
  });

  it('a stuck main loop: the watchdog interrupt turns everything off, the reset follows, and the boot says why=watchdog', async () => {
    const before = await circulating();
    const from = host.lines.length;
    await peer.control('stall');
    expect(await bootLine(from)).toEqual([expect.stringMatching(/why=watchdog$/)]);
    const s = await snapshot();
    expect(allOff(s)).toBe(true);
    expect(s.lastReset?.why).toBe('watchdog');
    const reset = s.lastReset!.cycle;
    const off = s.outChanges.filter((c) => c.id === 'circulation' && !c.on).at(-1)!;
    // Off one watchdog period after the last pet, by the interrupt, not by the reset after it...
    expect(off.cycle - before).toBeGreaterThanOrEqual(WATCHDOG_CYCLES - CYCLES_PER_MS);
    expect(off.cycle).toBeLessThan(reset);
    // ...which comes at the watchdog's shortest period, 15 ms (2048 ticks at 128 kHz: 16 ms).
    expect(reset - off.cycle).toBeLessThanOrEqual(17 * CYCLES_PER_MS);

    // The mark is spent: the next reset, by the pin, is a plain reset.
    const next = host.lines.length;
    await peer.control('reset');
    expect(await bootLine(next)).toEqual([expect.stringMatching(/why=reset$/)]);
  });

  it('a hang with interrupts off resets at the second timeout, where the firmware leaves no mark: why=reset', async () => {
    const before = await circulating();
    const from = host.lines.length;
    await peer.control('hang');
    expect(await bootLine(from)).toEqual([expect.stringMatching(/why=reset$/)]);
    const s = await snapshot();
    expect(allOff(s)).toBe(true);
    expect(s.lastReset?.why).toBe('watchdog');
    expect(s.lastReset!.cycle - before).toBeGreaterThanOrEqual(2 * WATCHDOG_CYCLES - CYCLES_PER_MS);
    expect(s.lastReset!.cycle - before).toBeLessThan(3 * WATCHDOG_CYCLES);
  });
});
