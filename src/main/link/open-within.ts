import type { Duplex } from 'node:stream';

/** An open connection to a controller: a byte stream, and how to close it properly. */
export interface OpenPort {
  stream: Duplex;
  close(): Promise<void>;
}

export type PortOpener = () => Promise<OpenPort>;

/** Opens a port, or fails if the operating system neither opens nor refuses it in time. */
export async function openWithin(open: PortOpener, timeoutMs: number): Promise<OpenPort> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const opening = open();
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(new Error(`no answer from the port within ${timeoutMs / 1000} s`));
    }, timeoutMs);
  });
  // A port that opens after we gave up must still be closed, or it stays locked.
  opening.then((port) => (timedOut ? port.close() : undefined)).catch(() => {});
  try {
    return await Promise.race([opening, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
