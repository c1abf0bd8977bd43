/**
 * The HTTP side of the LAN server: health, the state snapshot, and the web UI. Listens where it
 * is told, loopback by default, because the pairing that guards the LAN comes with it later.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StationCore } from '../station';
import { serveStatic } from './static-files';

export interface LanServerOptions {
  core: StationCore;
  host: string;
  port: number;
  webRoot: string | null;
}

export interface LanServer {
  /** Resolves with the URL it listens on. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

export function createLanServer({ core, host, port, webRoot }: LanServerOptions): LanServer {
  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://station');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { ok: false, error: { code: 'METHOD', message: `${req.method} is not supported here; use GET` } });
      return;
    }
    switch (url.pathname) {
      case '/api/health': {
        const state = core.state();
        sendJson(res, 200, {
          ok: true,
          link: state.link.status,
          reason: state.link.reason,
          simulated: state.link.simulated,
          device: state.device,
          estop: state.estop.latched,
        });
        return;
      }
      case '/api/state':
        // The sequence number lets a poller tell "nothing new", and the epoch a restart.
        sendJson(res, 200, core.snapshot());
        return;
    }
    if (url.pathname.startsWith('/api/')) {
      sendJson(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: `no API at ${url.pathname}; see docs for the available endpoints` } });
      return;
    }
    serveStatic(webRoot, req, res, url.pathname);
  }

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: (err as Error).message } });
      else res.destroy();
    }
  });

  return {
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve(`http://${shownHost}:${address.port}`);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
