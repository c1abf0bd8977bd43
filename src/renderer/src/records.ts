/**
 * The station's records: sensor history, recent jobs and the CSV exports (docs/lan-api.md,
 * section 12). A LAN browser asks the HTTP server that served it, with its pairing token; the
 * desktop window has no token and asks main over the bridge, which answers the same paths the
 * same way. Screens see one interface and one kind of error either way.
 */
import type { RecordResponse, TendrilBridge } from '../../shared/bridge';
import { NOT_PAIRED, takePairingToken } from './transport/pairing';

/** `status` is the HTTP status when the station answered, and 0 when it could not be asked. */
export type RecordAnswer = { ok: true; contentType: string; body: string } | { ok: false; status: number; message: string };

export interface RecordSource {
  get(pathAndQuery: string): Promise<RecordAnswer>;
}

/** The history windows a grower picks between, and how far each reaches back. */
export const HISTORY_WINDOWS = {
  '1h': { label: '1 h', ms: 3_600_000 },
  '24h': { label: '24 h', ms: 24 * 3_600_000 },
  '7d': { label: '7 d', ms: 7 * 24 * 3_600_000 },
} as const;

export type HistoryWindow = keyof typeof HISTORY_WINDOWS;

/** A chart is a few hundred pixels wide: more points than this only cost the phone time. */
export const CHART_POINTS = 600;

export interface HistoryQuery {
  channel: string;
  from?: number;
  to?: number;
  maxPoints?: number;
}

/** The query for one channel over a window ending now; epoch ms need no time zone. */
export function windowQuery(channel: string, window: HistoryWindow, now: number): HistoryQuery {
  return { channel, from: Math.round(now - HISTORY_WINDOWS[window].ms), to: Math.round(now), maxPoints: CHART_POINTS };
}

function withQuery(path: string, params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) search.set(name, String(value));
  }
  const query = search.toString();
  return query === '' ? path : `${path}?${query}`;
}

export function historyPath(query: HistoryQuery): string {
  return withQuery('/api/history', { channel: query.channel, from: query.from, to: query.to, maxPoints: query.maxPoints });
}

export function jobsPath(limit?: number): string {
  return withQuery('/api/jobs', { limit });
}

export type ExportKind = 'doses' | 'jobs' | 'history';

/** The CSV exports; only the sensor history needs a channel, and only it and the doses take a window. */
export function exportPath(kind: ExportKind, query: Partial<HistoryQuery> = {}): string {
  const path = `/api/export/${kind}.csv`;
  if (kind === 'jobs') return path;
  if (kind === 'doses') return withQuery(path, { from: query.from, to: query.to });
  return withQuery(path, { channel: query.channel, from: query.from, to: query.to, maxPoints: query.maxPoints });
}

/** The file name the server would give the same export. */
export function exportFileName(kind: ExportKind, channel?: string): string {
  if (kind === 'history') return `tendril-${(channel ?? 'history').replace(/[^A-Za-z0-9_-]/g, '_')}.csv`;
  return `tendril-${kind}.csv`;
}

/** The server's own words when it sent them (they are written to be shown), else the status. */
export function recordError(status: number, contentType: string, body: string): string {
  if (contentType.includes('json')) {
    try {
      const parsed = JSON.parse(body) as { error?: { message?: unknown } };
      if (typeof parsed.error?.message === 'string' && parsed.error.message !== '') {
        return status === 401 ? `The station refused this screen: ${parsed.error.message}.` : parsed.error.message;
      }
    } catch {
      // Fall through to the status.
    }
  }
  if (status === 401) return `The station refused this screen. ${NOT_PAIRED}`;
  if (status === 429) return 'The station is turning requests away for a while (too many failed attempts); wait a minute and try again.';
  if (status >= 500) return `The station could not answer (HTTP ${status}); try again, and check the station's log if it keeps failing.`;
  return `The station answered HTTP ${status}.`;
}

function answerOf(response: RecordResponse): RecordAnswer {
  if (response.status >= 200 && response.status < 300) return { ok: true, contentType: response.contentType, body: response.body };
  return { ok: false, status: response.status, message: recordError(response.status, response.contentType, response.body) };
}

/** Inside the desktop app: main answers for the LAN server. */
export function bridgeRecords(bridge: Pick<TendrilBridge, 'record'>): RecordSource {
  return {
    async get(pathAndQuery) {
      try {
        return answerOf(await bridge.record(pathAndQuery));
      } catch (error) {
        return { ok: false, status: 0, message: `The station could not fetch its records: ${error instanceof Error ? error.message : String(error)}` };
      }
    },
  };
}

export interface HttpRecordOptions {
  /** The page's own address; the API sits next to it, behind any reverse-proxy prefix. */
  pageHref: string;
  token: string | null;
  fetch?: typeof fetch;
}

/** The absolute URL of a record path; relative, so a proxy's sub-path is kept. */
export function recordUrl(pathAndQuery: string, pageHref: string): string {
  return new URL(pathAndQuery.replace(/^\//, ''), pageHref).href;
}

/**
 * In a LAN browser: the token goes in the Authorization header rather than the URL, so it does
 * not end up in a download list or a proxy's access log.
 */
export function httpRecords(options: HttpRecordOptions): RecordSource {
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  return {
    async get(pathAndQuery) {
      if (options.token === null) return { ok: false, status: 0, message: NOT_PAIRED };
      try {
        const response = await fetchFn(recordUrl(pathAndQuery, options.pageHref), {
          cache: 'no-store',
          headers: { Authorization: `Bearer ${options.token}` },
        });
        return answerOf({ status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.text() });
      } catch (error) {
        return { ok: false, status: 0, message: `The station server could not be reached (${error instanceof Error ? error.message : String(error)}); check the network and try again.` };
      }
    },
  };
}

/** Whichever way this page reaches the station. */
export function pageRecords(page: Window): RecordSource {
  if (page.tendril) return bridgeRecords(page.tendril);
  // The transport took the token out of the address bar at start; this reads the kept copy.
  return httpRecords({ pageHref: page.location.href, token: takePairingToken(page) });
}

export interface ChannelHistory {
  channel: string;
  from: number;
  to: number;
  /** [epoch ms, value], oldest first. */
  points: Array<[number, number]>;
  downsampled: boolean;
}

/** Reads /api/history's answer; null when it is not one. */
export function readHistory(body: string): ChannelHistory | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { channel, from, to, points, downsampled } = parsed as Record<string, unknown>;
  if (typeof channel !== 'string' || typeof from !== 'number' || typeof to !== 'number' || !Array.isArray(points)) return null;
  const clean = points.filter(
    (point): point is [number, number] => Array.isArray(point) && typeof point[0] === 'number' && typeof point[1] === 'number',
  );
  return { channel, from, to, points: clean, downsampled: downsampled === true };
}
