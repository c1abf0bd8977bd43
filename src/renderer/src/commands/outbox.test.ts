import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Command, CommandAck } from '../../../shared/commands';
import { CommandNotDelivered } from '../transport/types';
import { CommandOutbox, type OutboxReport } from './outbox';

/** A station on the other end: it answers each command when the test says so. */
function fakeStation() {
  const received: Array<{ command: Command; answer: (ack: CommandAck) => void; lose: () => void }> = [];
  const deliver = (command: Command) =>
    new Promise<CommandAck>((resolve, reject) => {
      received.push({ command, answer: resolve, lose: () => reject(new CommandNotDelivered('the connection dropped')) });
    });
  return { deliver, received, ids: () => received.map((entry) => entry.command.id) };
}

const dose = (id: string, ml = 3): Command => ({ id, type: 'pump.dose', pumpId: 'nut_a', ml });
const relay = (id: string, on: boolean): Command => ({ id, type: 'relay.set', relayId: 'lights', on });
const estop = (id: string): Command => ({ id, type: 'estop' });
const OK: CommandAck = { ok: true };

function outbox() {
  const reports: OutboxReport[] = [];
  return { box: new CommandOutbox((report) => reports.push(report)), reports };
}

// From a fixed instant, so no run depends on the moment it starts.
beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
});
afterEach(() => vi.useRealTimers());

describe('CommandOutbox', () => {
  it('sends at once while connected and resolves with the ack', async () => {
    const { box } = outbox();
    const station = fakeStation();
    box.setDelivery(station.deliver);
    const answer = box.send(dose('d1'));
    expect(station.ids()).toEqual(['d1']);
    station.received[0]!.answer({ ok: true, result: { jobId: 12 } });
    await expect(answer).resolves.toEqual({ ok: true, result: { jobId: 12 } });
  });

  it('queues while offline and flushes in order, one at a time, with the same ids', async () => {
    const { box, reports } = outbox();
    const station = fakeStation();
    const answers = [box.send(relay('r1', true)), box.send(dose('d1')), box.send(relay('r2', false))];
    expect(box.report).toEqual({ waiting: 3, estopWaiting: false });

    box.setDelivery(station.deliver);
    expect(station.ids()).toEqual(['r1']);
    station.received[0]!.answer(OK);
    await vi.advanceTimersByTimeAsync(0);
    expect(station.ids()).toEqual(['r1', 'd1']);
    station.received[1]!.answer(OK);
    await vi.advanceTimersByTimeAsync(0);
    station.received[2]!.answer(OK);
    await expect(Promise.all(answers)).resolves.toEqual([OK, OK, OK]);
    expect(station.received.map((entry) => entry.command)).toEqual([relay('r1', true), dose('d1'), relay('r2', false)]);
    expect(reports.map((report) => report.waiting)).toEqual([1, 2, 3, 2, 1, 0]);
  });

  it('keeps the order when commands arrive during a flush', async () => {
    const { box } = outbox();
    const station = fakeStation();
    void box.send(relay('r1', true));
    box.setDelivery(station.deliver);
    void box.send(relay('r2', false));
    station.received[0]!.answer(OK);
    await vi.advanceTimersByTimeAsync(0);
    expect(station.ids()).toEqual(['r1', 'r2']);
  });

  it('drops a command that waited 2 minutes, and says nothing was done', async () => {
    const { box } = outbox();
    const station = fakeStation();
    const answer = box.send(dose('d1'));
    await vi.advanceTimersByTimeAsync(119_999);
    expect(box.report.waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(answer).resolves.toEqual({
      ok: false,
      error: { code: 'NOT_READY', message: expect.stringMatching(/not sent: this screen could not reach the station for 2 minutes.*nothing was done/) },
    });
    expect(box.report.waiting).toBe(0);
    box.setDelivery(station.deliver);
    expect(station.received).toHaveLength(0);
  });

  it('re-sends a command whose answer was lost with the same id on the next connection', async () => {
    const { box } = outbox();
    const station = fakeStation();
    box.setDelivery(station.deliver);
    const answer = box.send(dose('d1'));
    box.setDelivery(null);
    station.received[0]!.lose();
    await vi.advanceTimersByTimeAsync(0);
    expect(box.report.waiting).toBe(1);

    box.setDelivery(station.deliver);
    expect(station.ids()).toEqual(['d1', 'd1']);
    station.received[1]!.answer({ ok: true, result: { jobId: 12 } });
    await expect(answer).resolves.toEqual({ ok: true, result: { jobId: 12 } });
  });

  it('gives up on a lost answer after 2 minutes, and says it may have acted', async () => {
    const { box } = outbox();
    const station = fakeStation();
    box.setDelivery(station.deliver);
    const answer = box.send(dose('d1'));
    await vi.advanceTimersByTimeAsync(30_000);
    box.setDelivery(null);
    station.received[0]!.lose();
    // The 2 minutes count from the press, not from the drop.
    await vi.advanceTimersByTimeAsync(90_000);
    await expect(answer).resolves.toMatchObject({ ok: false, error: { code: 'TIMEOUT', message: expect.stringMatching(/may or may not have acted/) } });
  });

  it('stops a flush when its connection drops, and starts over on the next', async () => {
    const { box } = outbox();
    const station = fakeStation();
    void box.send(relay('r1', true));
    void box.send(relay('r2', false));
    box.setDelivery(station.deliver);
    box.setDelivery(null);
    station.received[0]!.lose();
    await vi.advanceTimersByTimeAsync(0);
    expect(box.report.waiting).toBe(2);
    box.setDelivery(station.deliver);
    expect(station.ids()).toEqual(['r1', 'r1']);
    station.received[1]!.answer(OK);
    await vi.advanceTimersByTimeAsync(0);
    expect(station.ids()).toEqual(['r1', 'r1', 'r2']);
  });
});

describe('CommandOutbox and the emergency stop', () => {
  it('sends a stop at once, ahead of a flush still going', async () => {
    const { box } = outbox();
    const station = fakeStation();
    void box.send(dose('d1'));
    void box.send(dose('d2'));
    box.setDelivery(station.deliver);
    const stop = box.send(estop('s1'));
    expect(station.ids()).toEqual(['d1', 's1']);
    station.received[1]!.answer({ ok: true, result: { latched: true } });
    await expect(stop).resolves.toEqual({ ok: true, result: { latched: true } });
  });

  it('offline, says at once that the stop has not gone out, keeps it waiting without a limit, and sends it first', async () => {
    const { box, reports } = outbox();
    const station = fakeStation();
    void box.send(dose('d1'));
    const stop = await box.send(estop('s1'));
    expect(stop).toMatchObject({ ok: false, error: { code: 'NOT_READY', message: expect.stringMatching(/emergency stop has not been sent yet.*the moment the connection is back/) } });
    expect(reports.at(-1)).toEqual({ waiting: 2, estopWaiting: true });
    // A second press does not stack a second stop.
    await box.send(estop('s2'));
    expect(box.report.waiting).toBe(2);

    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(box.report).toEqual({ waiting: 1, estopWaiting: true });
    box.setDelivery(station.deliver);
    expect(station.ids()).toEqual(['s1']);
    expect(box.report).toEqual({ waiting: 0, estopWaiting: false });
  });

  it('puts a stop whose answer was lost back at the head of the line, and says so', async () => {
    const { box } = outbox();
    const station = fakeStation();
    void box.send(dose('d1'));
    box.setDelivery(station.deliver);
    const stop = box.send(estop('s1'));
    box.setDelivery(null);
    station.received[1]!.lose();
    station.received[0]!.lose();
    await expect(stop).resolves.toMatchObject({ ok: false, error: { code: 'NOT_READY' } });
    expect(box.report).toEqual({ waiting: 2, estopWaiting: true });
    box.setDelivery(station.deliver);
    expect(station.ids().slice(2)).toEqual(['s1']);
  });
});
