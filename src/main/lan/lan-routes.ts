/**
 * The LAN's HTTP requests, routed one way for a server beside the station (http-server.ts) and for
 * a screens' worker (workers/screen-worker.ts): the web UI, `/api/command`, the state, health and
 * the records. What differs is only where an answer comes from: the station at hand, or the
 * station's process asked over Redis, which may not answer (null).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RECORD_PATHS } from '../../shared/records';
import type { RecordAnswer } from '../history';
import type { TokenInfo } from './access';
import { answerCommand } from './command-route';
import type { HostNames } from './host-names';
import { sendJson } from './http-answers';
import type { LanCommands } from './lan-commands';
import { serveStatic } from './static-files';

/** An answer now, or later, or none when the station could not be asked. */
type Answer<T> = T | null | Promise<T | null>;

export interface LanRoutes {
  hostNames: HostNames;
  webRoot: string | null;
  allowedOrigins: readonly string[];
  commands: LanCommands;
  /** The caller's token from `Authorization: Bearer …`, or null once the refusal is sent. */
  authorize(req: IncomingMessage, res: ServerResponse): TokenInfo | null | Promise<TokenInfo | null>;
  health(): Answer<unknown>;
  /** The snapshot a poller gets, numbered as the live connection numbers events. */
  state(): Answer<unknown>;
  record(path: string): Answer<RecordAnswer>;
  /** What a request is told when the station did not answer. */
  silent: string;
}

/** Why a token was not taken, as the REST API says it. */
export type TokenRefusal = { code: 'RATE_LIMITED'; retryAfterMs: number } | { code: 'UNAUTHORIZED'; missing: boolean };

/** Answers a request whose token was not taken: 429 while an address guesses, else 401. */
export function refuseToken(res: ServerResponse, address: string, refusal: TokenRefusal): void {
  if (refusal.code === 'RATE_LIMITED') {
    const seconds = Math.ceil(refusal.retryAfterMs / 1000);
    res.setHeader('retry-after', String(seconds));
    sendJson(res, 429, { ok: false, error: { code: 'RATE_LIMITED', message: `too many wrong tokens from ${address}; wait ${seconds} s and try again` } });
    return;
  }
  res.setHeader('www-authenticate', 'Bearer');
  const message = refusal.missing
    ? 'send the pairing token as "Authorization: Bearer <token>"; the pairing link shown by Tendril carries it'
    : 'this token is not valid (mistyped, or revoked); pair again with a current link';
  sendJson(res, 401, { ok: false, error: { code: 'UNAUTHORIZED', message } });
}

/**
 * The token in `Authorization: Bearer <token>`. Any other header holds no token, and a bare
 * `Bearer` an empty one: neither is counted as a guess.
 */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer(?:\s+(.*))?$/i.exec(header);
  return match ? (match[1] ?? '').trim() : undefined;
}

export function routeLanRequest(req: IncomingMessage, res: ServerResponse, routes: LanRoutes): void {
  if (!routes.hostNames.allowsRequest(req)) {
    sendJson(res, 421, { ok: false, error: { code: 'UNKNOWN_HOST', message: routes.hostNames.refusal(req.headers.host) } });
    return;
  }
  const url = new URL(req.url ?? '/', 'http://station');
  if (url.pathname === '/api/command') {
    answerCommand(req, res, { commands: routes.commands, authorize: routes.authorize, allowedOrigins: routes.allowedOrigins });
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    sendJson(res, 405, { ok: false, error: { code: 'METHOD', message: `${req.method} is not supported here; use GET` } });
    return;
  }
  const reply = <T>(answer: Answer<T>, send: (value: T) => void): void =>
    whenAnswered(answer, res, (value) => {
      if (value === null) sendJson(res, 503, { ok: false, error: { code: 'UNAVAILABLE', message: routes.silent } });
      else send(value);
    });
  const authorized = (then: () => void): void => whenAnswered(routes.authorize(req, res), res, (token) => token && then());
  if (url.pathname === '/api/health') {
    reply(routes.health(), (health) => sendJson(res, 200, health));
    return;
  }
  if (url.pathname === '/api/state') {
    authorized(() => reply(routes.state(), (state) => sendJson(res, 200, state)));
    return;
  }
  if (url.pathname.startsWith('/api/')) {
    if (RECORD_PATHS.has(url.pathname)) {
      authorized(() => reply(routes.record(`${url.pathname}${url.search}`), (answer) => sendRecord(res, answer)));
      return;
    }
    sendJson(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: `no API at ${url.pathname}; see docs for the available endpoints` } });
    return;
  }
  serveStatic(routes.webRoot, req, res, url.pathname);
}

/**
 * Goes on with an answer at once when it is at hand, or when it comes; a request whose answer
 * failed is told so (500) rather than left waiting.
 */
function whenAnswered<T>(answer: T | Promise<T>, res: ServerResponse, then: (value: T) => void): void {
  if (!(answer instanceof Promise)) {
    then(answer);
    return;
  }
  answer.then(then).catch((err: unknown) => {
    if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: (err as Error).message } });
    else res.destroy();
  });
}

/** A record as answered for every screen; a CSV export comes as a download. */
function sendRecord(res: ServerResponse, answer: RecordAnswer): void {
  res.writeHead(answer.status, {
    'content-type': answer.contentType,
    ...(answer.filename === undefined ? {} : { 'content-disposition': `attachment; filename="${answer.filename}"` }),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(answer.body);
}
