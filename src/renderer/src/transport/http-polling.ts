import type { Command, CommandAck } from '../../../shared/commands';
import type { StationState } from '../../../shared/station';
import { isObject, looksLikeStationState } from '../../../shared/station-shape';
import { ACK_TIMEOUT_MS, AwaitedAcks } from './awaited-acks';
import { reconnectDelay } from './backoff';
import { NOT_PAIRED } from './pairing';
import { CommandNotDelivered, sameStatus, type ConnectionStatus, type StationTransport } from './types';

export interface PollingOptions {
  /** Absolute URL of the snapshot endpoint (GET /api/state). */
  stateUrl: string;
  /** Absolute URL of the command door (POST /api/command). */
  commandUrl: string;
  /** How this screen is named in the station's records of who asked for what. */
  name?: string;
  /** The pairing token, sent as a bearer token; null when this screen was never paired. */
  token: string | null;
  intervalMs?: number;
  fetch?: typeof fetch;
  random?: () => number;
  ackTimeoutMs?: number;
}

const REQUEST_TIMEOUT_MS = 5_000;
/** An HTTP Date header has whole seconds; differences below this are rounding, not skew. */
const CLOCK_SKEW_FLOOR_MS = 1_500;

/**
 * The REST snapshot, polled. It is the fallback every browser can do: no websocket, no proxy
 * upgrade headers, just GETs, and commands as POSTs to /api/command, which answers with the
 * same ack as the live connection. Failures back off exponentially with jitter so a room full
 * of phones does not hammer a server that is coming back.
 *
 * A command whose answer is lost (the request failed, or the answer was not an ack) counts as
 * a connection problem: the status leaves `connected` until a poll gets through again, so the
 * outbox holds the command and sends it again, with the same id, when it does.
 */
export function httpPollingTransport(options: PollingOptions): StationTransport {
  const intervalMs = options.intervalMs ?? 1_000;
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  const random = options.random ?? Math.random;

  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight: AbortController | null = null;
  let stopped = true;
  let pollNow: (() => void) | null = null;
  let commandLost: (() => void) | null = null;
  /** The server run the last snapshot came from: a command re-sent to another run might act twice. */
  let epoch = '';
  const acks = new AwaitedAcks(options.ackTimeoutMs);

  const post = async (command: Command, onAck: (answer: unknown) => void, onLost: () => void): Promise<void> => {
    const timeoutMs = options.ackTimeoutMs ?? ACK_TIMEOUT_MS;
    // A little longer than the ack's own wait, so a slow answer is a TIMEOUT, never a re-send.
    const signal = AbortSignal.timeout(timeoutMs + 1_000);
    let response: Response;
    let body: unknown;
    try {
      response = await fetchFn(options.commandUrl, {
        method: 'POST',
        cache: 'no-store',
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/json',
          Authorization: `Bearer ${options.token}`,
          ...(options.name ? { 'X-Screen-Name': options.name } : {}),
        },
        body: JSON.stringify(command),
        signal,
      });
      body = await response.json().catch(() => null);
    } catch {
      commandLost?.();
      onLost();
      return;
    }
    if (response.status === 401) {
      onAck(tokenRefused(body));
    } else if (isObject(body) && typeof body['ok'] === 'boolean') {
      onAck(body);
    } else {
      // Not the station's answer (a proxy's error page, say): whether it acted is unknown, and
      // the same id makes sending it again safe.
      commandLost?.();
      onLost();
    }
  };

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
          epoch = snapshot.epoch;
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
      let commandFailures = 0;
      commandLost = () => {
        if (stopped) return;
        commandFailures += 1;
        status(everConnected ? 'reconnecting' : 'connecting', 'a command did not reach the station; checking the connection');
        if (inFlight) return;
        if (timer) clearTimeout(timer);
        schedule(reconnectDelay(commandFailures, random));
      };
      status('connecting');
      void poll();
    },
    stop() {
      stopped = true;
      pollNow = null;
      commandLost = null;
      if (timer) clearTimeout(timer);
      timer = null;
      inFlight?.abort();
      inFlight = null;
    },
    command(command) {
      if (options.token === null) return Promise.reject(new CommandNotDelivered(NOT_PAIRED));
      // Commands in flight are not aborted when polling stops: the station answers them anyway.
      return acks.send(command, epoch, (sent, onAck, onLost) => void post(sent, onAck, onLost));
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

/** A refused token proves the command was not carried out; the poll will say so too. */
function tokenRefused(body: unknown): CommandAck {
  const said = isObject(body) && isObject(body['error']) && typeof body['error']['message'] === 'string' ? `: ${body['error']['message']}` : '';
  return { ok: false, error: { code: 'FORBIDDEN', message: `the station refused this screen${said}. ${NOT_PAIRED}` } };
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
