/**
 * POST /api/command: the command door for screens that cannot keep a live connection (a proxy
 * that blocks websockets, a network that drops them). It carries the same command as the live
 * `command` event, through the same road (LanCommands), and answers with the same ack, so a
 * screen that only polls can still stop the station.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CommandAck, ErrorCode } from '../../shared/commands';
import type { TokenInfo } from './access';
import { sendJson } from './http-answers';
import type { LanCommands } from './lan-commands';
import { cleanName, MAX_MESSAGE_BYTES, originAllowed } from './live-server';

/** The same bound as a live message: a command that fits one road fits the other. */
export const MAX_COMMAND_BYTES = MAX_MESSAGE_BYTES;
/** A body this far over the bound is not read to its end: the connection is cut instead. */
const MAX_DRAINED_BYTES = 16 * MAX_COMMAND_BYTES;

export interface CommandRouteOptions {
  commands: LanCommands;
  /** The REST API's token check: the caller's token, or null when it already answered. */
  authorize(req: IncomingMessage, res: ServerResponse): TokenInfo | null | Promise<TokenInfo | null>;
  allowedOrigins: readonly string[];
}

/**
 * The body is always the ack; the status sorts it for HTTP tools. A refusal of the request
 * itself has its HTTP status; anything the station answered (done, or not, and why) is 200.
 */
const STATUS: Partial<Record<ErrorCode, number>> = { INVALID: 400, FORBIDDEN: 403, RATE_LIMITED: 429, INTERNAL: 500 };

const refuse = (res: ServerResponse, status: number, code: string, message: string): void => sendJson(res, status, { ok: false, error: { code, message } });

export function answerCommand(req: IncomingMessage, res: ServerResponse, options: CommandRouteOptions): void {
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    refuse(res, 405, 'METHOD', `${req.method} is not supported here; send the command with POST`);
    return;
  }
  // A page from another site may not press the station's buttons through a grower's browser:
  // the live connection's origin rule, applied to the one REST route that acts.
  if (!originAllowed(req, options.allowedOrigins)) {
    refuse(res, 403, 'FORBIDDEN', `a page from ${req.headers.origin} may not send commands to this station; open Tendril from the station's own address`);
    return;
  }
  const authorized = options.authorize(req, res);
  // A screens' worker asks the station's process; the body waits, unread, for the answer.
  if (authorized instanceof Promise) void authorized.then((token) => token && readCommand(req, res, options, token));
  else if (authorized) readCommand(req, res, options, authorized);
}

function readCommand(req: IncomingMessage, res: ServerResponse, options: CommandRouteOptions, token: TokenInfo): void {
  const type = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    refuse(res, 415, 'INVALID', `send the command as JSON with "Content-Type: application/json" (this request said ${type ? `"${type}"` : 'nothing'})`);
    return;
  }
  const tooLarge = (): void => {
    res.setHeader('connection', 'close');
    refuse(res, 413, 'TOO_LARGE', `a command is at most ${MAX_COMMAND_BYTES / 1024} KiB of JSON; this one is larger, so it was not read`);
  };
  if (Number(req.headers['content-length'] ?? 0) > MAX_COMMAND_BYTES) {
    tooLarge();
    drain(req);
    return;
  }

  const chunks: Buffer[] = [];
  let size = 0;
  const onData = (chunk: Buffer): void => {
    size += chunk.length;
    if (size <= MAX_COMMAND_BYTES) {
      chunks.push(chunk);
      return;
    }
    req.off('data', onData);
    req.off('end', onEnd);
    tooLarge();
    drain(req);
  };
  const onEnd = (): void => {
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (err) {
      refuse(res, 400, 'INVALID', `the body is not JSON (${(err as Error).message}); send one command as a JSON object such as {"id": "…", "type": "estop"}`);
      return;
    }
    const name = cleanName(req.headers['x-screen-name']);
    void options.commands.send({ id: token.id, role: token.role, name }, payload).then((ack) => answer(res, ack));
  };
  req.on('data', onData);
  req.on('end', onEnd);
  // A client that gave up mid-body gets no answer; an unheard error would end the server.
  req.on('error', () => res.destroy());
}

function answer(res: ServerResponse, ack: CommandAck): void {
  if (res.destroyed) return;
  const status = ack.ok ? 200 : (STATUS[ack.error.code] ?? 200);
  // The allowance refills a command every 100 ms; a second is the least a header can say.
  if (status === 429) res.setHeader('retry-after', '1');
  sendJson(res, status, ack);
}

/** Reads the rest of a refused body so the answer reaches the client, but not forever. */
function drain(req: IncomingMessage): void {
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > MAX_DRAINED_BYTES) req.destroy();
  });
  req.resume();
}
