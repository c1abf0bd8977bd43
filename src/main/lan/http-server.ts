/**
 * The LAN server: the web UI, a small REST API and the live Socket.IO connection, on one port.
 * Everything but the UI's files and the health check needs a paired token.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { ScreenPage } from '../../shared/admin';
import type { StationControl } from '../control';
import { ALL, LiveFeed } from '../live/feed';
import { answerRecord, StationHistory, type HistorySource, type StationRecords } from '../history';
import { DEFAULT_LAN } from '../settings';
import type { StationCore } from '../station';
import { admit, FailureLimiter, type TokenStore } from './access';
import { emitBurst } from './burst';
import { HostNames } from './host-names';
import { sendJson } from './http-answers';
import { lanCommands } from './lan-commands';
import { bearerToken, refuseToken, routeLanRequest, type LanRoutes } from './lan-routes';
import { attachLiveServer } from './live-server';
import { reachableOrigins } from './pairing';

/** Telemetry waits at most this long on the LAN for a newer value to replace it. */
export const LAN_WINDOW_MS = 100;
/**
 * How often a screen is told the hash of its state (docs/lan-api.md, 5.7): after 100 events,
 * or the first batch 5 s after the last hash, whichever comes first.
 */
export const LAN_HASH_EVERY = { events: 100, ms: 5_000 };

export interface LanServerOptions {
  core: StationCore;
  control: StationControl;
  tokens: TokenStore;
  host: string;
  port: number;
  webRoot: string | null;
  /** Readings over time (the database's when there is one); an in-memory one is kept when not given. */
  history?: HistorySource;
  /** Jobs and the dose audit, from the station database. */
  records?: StationRecords;
  limiter?: FailureLimiter;
  /** The coalescing window for telemetry, in ms (at most LAN_WINDOW_MS is sensible). */
  windowMs?: number;
  /** Origins allowed besides the server's own, e.g. a reverse proxy's public address. */
  allowedOrigins?: readonly string[];
  /**
   * Names this station answers to besides its own addresses and loopback, such as a reverse
   * proxy's public name (`lan.hostNames`).
   */
  hostNames?: readonly string[];
  /** Live connections one token may hold at once (`lan.maxScreensPerToken`). */
  maxScreensPerToken?: number;
  /** Live connections one address may hold at once (`lan.maxScreensPerAddress`). */
  maxScreensPerAddress?: number;
  /** The clock for the command and snapshot allowances; tests fix it. */
  now?: () => number;
  log?: (line: string) => void;
}

export interface LanServer {
  /** Resolves with the URL it listens on. */
  listen(): Promise<string>;
  /** The screens connected now, a page of them in the order they connected. */
  screens(offset: number, limit: number): ScreenPage;
  close(): Promise<void>;
}

export function createLanServer(options: LanServerOptions): LanServer {
  const { core, tokens, host, port, webRoot } = options;
  const limiter = options.limiter ?? new FailureLimiter();
  // Without the database's history, the readings seen while this server runs are kept in memory.
  const recording = options.history ? null : new StationHistory({ changes: (listener) => core.onEvent(listener) });
  recording?.start();
  const history: HistorySource = options.history ?? recording!;
  const commands = lanCommands(options.control, options.now);
  let listeningAt: string | null = null;
  // Its own names too: growers open a Raspberry Pi by the name its mDNS announces.
  const hostNames = new HostNames(options.hostNames ?? DEFAULT_LAN.hostNames, () =>
    listeningAt ? [listeningAt, ...reachableOrigins(listeningAt, host), `http://${hostname()}`, `http://${hostname()}.local`] : [],
  );
  let live: ReturnType<typeof attachLiveServer> | null = null;
  const feed = new LiveFeed(
    { state: () => core.state(), onChange: (listener) => core.onEvent(listener) },
    {
      windowMs: options.windowMs ?? LAN_WINDOW_MS,
      hashEvery: LAN_HASH_EVERY,
      deliver(audience, messages) {
        if (live) emitBurst(live.io, audience, messages);
      },
    },
  );

  const routes: LanRoutes = {
    hostNames,
    webRoot,
    allowedOrigins: options.allowedOrigins ?? [],
    commands,
    authorize(req, res) {
      const address = req.socket.remoteAddress ?? 'unknown';
      const admission = admit(tokens, limiter, address, bearerToken(req.headers.authorization));
      if (admission.admitted) return admission.token;
      refuseToken(res, address, admission.code === 'RATE_LIMITED' ? admission : { code: 'UNAUTHORIZED', missing: admission.missing });
      return null;
    },
    health() {
      const state = core.state();
      return { ok: true, link: state.link.status, reason: state.link.reason, simulated: state.link.simulated, device: state.device, estop: state.estop.latched };
    },
    state: () => feed.snapshot(ALL),
    record: (path) => answerRecord(path, { station: core, records: options.records ?? null, history }, Date.now()),
    // The station is at hand: it always answers.
    silent: '',
  };

  const server = createServer((req, res) => {
    try {
      routeLanRequest(req, res, routes);
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: (err as Error).message } });
      else res.destroy();
    }
  });

  live = attachLiveServer(server, {
    core,
    commands,
    feed,
    tokens,
    limiter,
    hostNames,
    caps: { perToken: options.maxScreensPerToken ?? DEFAULT_LAN.maxScreensPerToken, perAddress: options.maxScreensPerAddress ?? DEFAULT_LAN.maxScreensPerAddress },
    allowedOrigins: options.allowedOrigins,
    now: options.now,
    log: options.log,
  });

  return {
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          listeningAt = `http://${shownHost}:${address.port}`;
          resolve(listeningAt);
        });
      }),
    screens: (offset, limit) => live?.screens(offset, limit) ?? { total: 0, offset, screens: [] },
    async close() {
      recording?.stop();
      feed.close();
      // Closing Socket.IO closes the HTTP server too; idle keep-alive connections would hold it.
      const closed = live?.close();
      server.closeAllConnections();
      await closed;
    },
  };
}
