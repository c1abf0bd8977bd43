import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { initialStationState } from '../../../shared/station';
import { httpPollingTransport } from './http-polling';
import { CommandNotDelivered, type ConnectionStatus, type StationUpdate } from './types';

const URL_STATE = 'http://station.local/api/state';

function answer(seq: number): Response {
  return new Response(JSON.stringify({ seq, state: initialStationState(true, 'simulated') }), {
    headers: { 'content-type': 'application/json' },
  });
}

describe('httpPollingTransport', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('delivers a state only when its seq changes', async () => {
    const seqs = [1, 1, 2];
    const fetch = vi.fn(async () => answer(seqs.shift() ?? 2));
    const states: StationUpdate[] = [];
    const transport = httpPollingTransport({ stateUrl: URL_STATE, token: 'secret', intervalMs: 1000, fetch });
    transport.start((update) => states.push(update), () => {});
    await vi.advanceTimersByTimeAsync(2500);
    transport.stop();
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(states).toHaveLength(2);
  });

  it('says it is reconnecting after a failure, and recovers', async () => {
    let fail = false;
    const fetch = vi.fn(async () => {
      if (fail) throw new TypeError('network down');
      return answer(1);
    });
    const statuses: ConnectionStatus[] = [];
    const transport = httpPollingTransport({ stateUrl: URL_STATE, token: 'secret', fetch, random: () => 1 });
    transport.start(() => {}, (status) => statuses.push(status));
    await vi.advanceTimersByTimeAsync(0);
    fail = true;
    await vi.advanceTimersByTimeAsync(1000);
    fail = false;
    await vi.advanceTimersByTimeAsync(1000);
    transport.stop();
    expect(statuses.map((status) => status.state)).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    expect(statuses[2]?.detail).toBe('the station server cannot be reached');
  });

  it('ignores answers that are not a station state', async () => {
    const fetch = vi.fn(async () => new Response('<html>proxy error</html>', { status: 200 }));
    const states: StationUpdate[] = [];
    const statuses: ConnectionStatus[] = [];
    const transport = httpPollingTransport({ stateUrl: URL_STATE, token: 'secret', fetch });
    transport.start((update) => states.push(update), (status) => statuses.push(status));
    await vi.advanceTimersByTimeAsync(0);
    transport.stop();
    expect(states).toHaveLength(0);
    expect(statuses.at(-1)?.state).toBe('connecting');
  });

  it('sends the pairing token, and stops with the way to pair when it is refused', async () => {
    const fetch = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      expect((init?.headers as Record<string, string>).Authorization).toBe('Bearer secret');
      return new Response(JSON.stringify({ ok: false, error: { code: 'UNAUTHORIZED', message: 'this token is not valid' } }), { status: 401 });
    });
    const statuses: ConnectionStatus[] = [];
    const transport = httpPollingTransport({ stateUrl: URL_STATE, token: 'secret', fetch });
    transport.start(() => {}, (status) => statuses.push(status));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(statuses.at(-1)).toMatchObject({ state: 'disconnected', detail: expect.stringMatching(/this token is not valid.*pairing link/) });
  });

  it('asks for pairing without calling the server when it has no token', async () => {
    const fetch = vi.fn(async () => answer(1));
    const statuses: ConnectionStatus[] = [];
    httpPollingTransport({ stateUrl: URL_STATE, token: null, fetch }).start(() => {}, (status) => statuses.push(status));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(fetch).not.toHaveBeenCalled();
    expect(statuses.at(-1)).toMatchObject({ state: 'disconnected', detail: expect.stringMatching(/not paired/) });
  });

  it('backs off 1 s, 2 s, 4 s … while the server is down, and tries at once on reconnect', async () => {
    const fetch = vi.fn(async (): Promise<Response> => {
      throw new TypeError('network down');
    });
    const transport = httpPollingTransport({ stateUrl: URL_STATE, token: 'secret', fetch, random: () => 1 });
    transport.start(() => {}, () => {});
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(2000);
    expect(fetch).toHaveBeenCalledTimes(3);
    // The next try is 4 s away; the grower does not have to wait for it.
    transport.reconnect();
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch).toHaveBeenCalledTimes(4);
    transport.stop();
    transport.reconnect();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetch).toHaveBeenCalledTimes(4);
  });

  it('waits as long as a 429 asks', async () => {
    const fetch = vi.fn(async () => new Response('slow down', { status: 429, headers: { 'retry-after': '12' } }));
    const transport = httpPollingTransport({ stateUrl: URL_STATE, token: 'secret', fetch, random: () => 1 });
    transport.start(() => {}, () => {});
    await vi.advanceTimersByTimeAsync(11_999);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    transport.stop();
  });

  it('carries no commands: they are refused as not delivered, so they wait for a live connection', async () => {
    const transport = httpPollingTransport({ stateUrl: URL_STATE, token: 'secret', fetch: vi.fn(async () => answer(1)) });
    await expect(transport.command({ id: 'k1', type: 'estop' })).rejects.toBeInstanceOf(CommandNotDelivered);
  });
});
