/**
 * A web server on loopback that stands in for a webhook or an ntfy server: it records every
 * request and answers as the test says, including not at all.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SinkRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The status to answer the nth request (from 1) with, or 'hang' to never answer. */
export type SinkAnswer = (request: SinkRequest, nth: number) => number | 'hang';

export interface HttpSink {
  url: string;
  requests: SinkRequest[];
  /** Resolves once `count` requests have arrived. */
  received(count: number): Promise<SinkRequest[]>;
  close(): Promise<void>;
}

export async function startHttpSink(answer: SinkAnswer = () => 200): Promise<HttpSink> {
  const requests: SinkRequest[] = [];
  const waiters: Array<{ count: number; resolve: (requests: SinkRequest[]) => void }> = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const request: SinkRequest = { method: incoming.method ?? '', path: incoming.url ?? '', headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(request);
      const status = answer(request, requests.length);
      if (status === 'hang') hanging.push(response);
      else response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : `refused with ${status}`);
      for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve([...requests]);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    received: (count) => (requests.length >= count ? Promise.resolve([...requests]) : new Promise((resolve) => waiters.push({ count, resolve }))),
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
