import type { StationState } from '../../../shared/station';
import { looksLikeStationState } from '../../../shared/station-shape';
import { reconnectDelay } from './backoff';
import { NOT_PAIRED } from './pairing';
import { CommandNotDelivered, sameStatus, type ConnectionStatus, type StationTransport } from './types';

export interface PollingOptions {
  /** Absolute URL of the snapshot endpoint (GET /api/state). */
  stateUrl: string;
  /** The pairing token, sent as a bearer token; null when this screen was never paired. */
  token: string | null;
  intervalMs?: number;
  fetch?: typeof fetch;
  random?: () => number;
}

const REQUEST_TIMEOUT_MS = 5_000;
/** An HTTP Date header has whole seconds; differences below this are rounding, not skew. */
const CLOCK_SKEW_FLOOR_MS = 1_500;

/**
 * The REST snapshot, polled. It is the fallback every browser can do: no websocket, no proxy
 * upgrade headers, just GETs. Failures back off exponentially with jitter so a room full of
 * phones does not hammer a server that is coming back. It only reads: there is no REST door
 * for commands, so they wait (see commands/) until a live connection is back.
 */
export function httpPollingTransport(options: PollingOptions): StationTransport {
  const intervalMs = options.intervalMs ?? 1_000;
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  const random = options.random ?? Math.random;

  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight: AbortController | null = null;
  let stopped = true;
  let pollNow: (() => void) | null = null;

  return {
    mode: 'polling',
    start(onState, onStatus) {
      stopped = false;
      let last: string | null = null;
      let everConnected = false;
      let failures = 0;
      let lastStatus: ConnectionStatus | null = null;

      const status = (state: ConnectionStatus['state'], detail: string | null = null): void => {
        const next: ConnectionStatus = { state, mode: 'polling', detail };
        if (sameStatus(lastStatus, next)) return;
        lastStatus = next;
        onStatus(next);
      };

      const schedule = (delayMs: number): void => {
        if (!stopped) timer = setTimeout(() => void poll(), delayMs);
      };

      const poll = async (): Promise<void> => {
        timer = null;
        if (options.token === null) {
          status('disconnected', NOT_PAIRED);
          return;
        }
        const controller = new AbortController();
        inFlight = controller;
        const timeout = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
        const sentAt = Date.now();
        try {
          const response = await fetchFn(options.stateUrl, {
            cache: 'no-store',
            headers: { Accept: 'application/json', Authorization: `Bearer ${options.token}` },
            signal: controller.signal,
          });
          if (response.status === 401) {
            // Retrying a refused token only earns a lockout; a new pairing link is the way on.
            if (!stopped) status('disconnected', `${await refusal(response)} ${NOT_PAIRED}`);
            return;
          }
          if (response.status === 429) {
            if (stopped) return;
            failures += 1;
            status(everConnected ? 'reconnecting' : 'connecting', 'the station server asked this screen to slow down');
            schedule(Math.max(reconnectDelay(failures, random), retryAfterMs(response)));
            return;
          }
          if (!response.ok) throw new Error(`the station server answered ${response.status}`);
          const body: unknown = await response.json();
          const snapshot = readSnapshot(body);
          if (!snapshot) throw new Error('the station server sent something that is not a station state');
          if (stopped) return;
          failures = 0;
          everConnected = true;
          status('connected');
          // An unchanged place in the numbering means an unchanged state; a new epoch, a restart.
          const position = `${snapshot.epoch}:${snapshot.seq}`;
          if (position !== last) {
            last = position;
            onState({ state: snapshot.state, clockOffsetMs: clockOffset(response, sentAt, Date.now()) });
          }
          schedule(intervalMs);
        } catch (error) {
          if (stopped) return;
          failures += 1;
          const reason = controller.signal.aborted ? 'the station server did not answer in time' : describe(error);
          status(everConnected ? 'reconnecting' : 'connecting', reason);
          schedule(reconnectDelay(failures, random));
        } finally {
          clearTimeout(timeout);
          if (inFlight === controller) inFlight = null;
        }
      };

      pollNow = () => {
        if (stopped || inFlight) return;
        if (timer) clearTimeout(timer);
        void poll();
      };
      status('connecting');
      void poll();
    },
    stop() {
      stopped = true;
      pollNow = null;
      if (timer) clearTimeout(timer);
      timer = null;
      inFlight?.abort();
      inFlight = null;
    },
    command() {
      return Promise.reject(new CommandNotDelivered('polling the snapshot cannot carry commands'));
    },
    reconnect() {
      pollNow?.();
    },
  };
}

async function refusal(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: unknown } };
    if (typeof body.error?.message === 'string') return `The station refused this screen: ${body.error.message}.`;
  } catch {
    // Fall through to the plain words.
  }
  return 'The station refused this screen.';
}

function readSnapshot(body: unknown): { epoch: string; seq: number; state: StationState } | null {
  if (typeof body !== 'object' || body === null) return null;
  const { epoch, seq, state } = body as { epoch?: unknown; seq?: unknown; state?: unknown };
  if (typeof seq !== 'number' || !looksLikeStationState(state)) return null;
  return { epoch: typeof epoch === 'string' ? epoch : '', seq, state };
}

/** Retry-After in seconds (the server's form); an HTTP date is not worth parsing here. */
function retryAfterMs(response: Response): number {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}

function clockOffset(response: Response, sentAt: number, receivedAt: number): number {
  const serverDate = Date.parse(response.headers.get('date') ?? '');
  if (Number.isNaN(serverDate)) return 0;
  // The header is truncated to the second, so the server's true time is on average 500 ms later.
  const offset = serverDate + 500 - (sentAt + receivedAt) / 2;
  return Math.abs(offset) < CLOCK_SKEW_FLOOR_MS ? 0 : Math.round(offset);
}

function describe(error: unknown): string {
  if (error instanceof TypeError) return 'the station server cannot be reached';
  return error instanceof Error ? error.message : String(error);
}
