/**
 * The station's records: sensor history, recent jobs and the CSV exports (docs/lan-api.md,
 * section 12). A LAN browser asks the HTTP server that served it, with its pairing token; the
 * desktop window has no token and asks main over the bridge, which answers the same paths the
 * same way. Screens see one interface and one kind of error either way; the paths and the
 * answers' shapes are the station's own, from src/shared/records.ts and src/shared/history.ts.
 */
import type { RecordResponse, TendrilBridge } from '../../shared/bridge';
import { NOT_PAIRED, takePairingToken } from './transport/pairing';

/** `status` is the HTTP status when the station answered, and 0 when it could not be asked. */
export type RecordAnswer = { ok: true; contentType: string; body: string } | { ok: false; status: number; message: string };

export interface RecordSource {
  get(pathAndQuery: string): Promise<RecordAnswer>;
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
