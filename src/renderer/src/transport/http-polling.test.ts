import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { initialStationState } from '../../../shared/station';
import { httpPollingTransport } from './http-polling';
import { CommandNotDelivered, type ConnectionStatus, type StationUpdate } from './types';

const URLS = { stateUrl: 'http://station.local/api/state', commandUrl: 'http://station.local/api/command' };

function answer(seq: number): Response {
  return new Response(JSON.stringify({ seq, state: initialStationState(true, 'simulated') }), {
    headers: { 'content-type': 'application/json' },
  });
}

function ack(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

describe('httpPollingTransport', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('delivers a state only when its seq changes', async () => {
    const seqs = [1, 1, 2];
    const fetch = vi.fn(async () => answer(seqs.shift() ?? 2));
    const states: StationUpdate[] = [];
    const transport = httpPollingTransport({ ...URLS, token: 'secret', intervalMs: 1000, fetch });
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
    const transport = httpPollingTransport({ ...URLS, token: 'secret', fetch, random: () => 1 });
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
    const transport = httpPollingTransport({ ...URLS, token: 'secret', fetch });
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
    const transport = httpPollingTransport({ ...URLS, token: 'secret', fetch });
    transport.start(() => {}, (status) => statuses.push(status));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(statuses.at(-1)).toMatchObject({ state: 'disconnected', detail: expect.stringMatching(/this token is not valid.*pairing link/) });
  });

  it('asks for pairing without calling the server when it has no token', async () => {
    const fetch = vi.fn(async () => answer(1));
    const statuses: ConnectionStatus[] = [];
    httpPollingTransport({ ...URLS, token: null, fetch }).start(() => {}, (status) => statuses.push(status));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(fetch).not.toHaveBeenCalled();
    expect(statuses.at(-1)).toMatchObject({ state: 'disconnected', detail: expect.stringMatching(/not paired/) });
  });

  it('backs off 1 s, 2 s, 4 s … while the server is down, and tries at once on reconnect', async () => {
    const fetch = vi.fn(async (): Promise<Response> => {
      throw new TypeError('network down');
    });
    const transport = httpPollingTransport({ ...URLS, token: 'secret', fetch, random: () => 1 });
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
    const transport = httpPollingTransport({ ...URLS, token: 'secret', fetch, random: () => 1 });
    transport.start(() => {}, () => {});
    await vi.advanceTimersByTimeAsync(11_999);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    transport.stop();
  });

  it('posts a command with the token and resolves with the ack in the body, whatever the status', async () => {
    const posts: RequestInit[] = [];
    const fetch = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
      if (String(url) === URLS.stateUrl) return answer(1);
      posts.push(init!);
      const forbidden = { ok: false, error: { code: 'FORBIDDEN', message: 'relay.set needs an operator token' } };
      return posts.length === 1 ? ack({ ok: true, result: { latched: true } }) : ack(forbidden, 403);
    });
    const transport = httpPollingTransport({ ...URLS, token: 'secret', name: 'Android phone, Chrome', fetch });
    await expect(transport.command({ id: 'k1', type: 'estop' })).resolves.toEqual({ ok: true, result: { latched: true } });
    expect(posts[0]).toMatchObject({ method: 'POST', body: JSON.stringify({ id: 'k1', type: 'estop' }) });
    expect(posts[0]!.headers).toMatchObject({ Authorization: 'Bearer secret', 'Content-Type': 'application/json', 'X-Screen-Name': 'Android phone, Chrome' });
    await expect(transport.command({ id: 'k2', type: 'relay.set', relayId: 'air', on: true })).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('loses a command whose answer did not come, and is not connected until a poll gets through', async () => {
    let down = false;
    const fetch = vi.fn(async (url: RequestInfo | URL) => {
      if (String(url) === URLS.stateUrl) return answer(1);
      if (down) throw new TypeError('network down');
      return new Response('<html>bad gateway</html>', { status: 502 });
    });
    const statuses: ConnectionStatus[] = [];
    const transport = httpPollingTransport({ ...URLS, token: 'secret', fetch, random: () => 1 });
    transport.start(() => {}, (status) => statuses.push(status));
    await vi.advanceTimersByTimeAsync(0);
    expect(statuses.at(-1)?.state).toBe('connected');
    // A proxy's error page is not the station's answer; nor is a failed request.
    await expect(transport.command({ id: 'k1', type: 'estop' })).rejects.toBeInstanceOf(CommandNotDelivered);
    expect(statuses.at(-1)).toMatchObject({ state: 'reconnecting', detail: expect.stringMatching(/command did not reach/) });
    await vi.advanceTimersByTimeAsync(1000);
    expect(statuses.at(-1)?.state).toBe('connected');
    down = true;
    await expect(transport.command({ id: 'k1', type: 'estop' })).rejects.toBeInstanceOf(CommandNotDelivered);
    expect(statuses.at(-1)?.state).toBe('reconnecting');
    transport.stop();
  });

  it('answers a refused token without sending again, and asks for pairing', async () => {
    const fetch = vi.fn(async () => ack({ ok: false, error: { code: 'UNAUTHORIZED', message: 'this token is not valid' } }, 401));
    const transport = httpPollingTransport({ ...URLS, token: 'revoked', fetch });
    await expect(transport.command({ id: 'k1', type: 'estop' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringMatching(/this token is not valid.*pairing link/) },
    });
    await expect(httpPollingTransport({ ...URLS, token: null, fetch }).command({ id: 'k2', type: 'estop' })).rejects.toBeInstanceOf(CommandNotDelivered);
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
