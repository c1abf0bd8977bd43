/**
 * A real SMTP server on loopback for the e-mail channel's tests: Debian's python3-aiosmtpd with
 * a handler (mail_sink.py) that hands each accepted message back as a line on stdout.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Debian's Python, where apt puts aiosmtpd; another python3 first on PATH may lack it. */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The whole message: headers, a blank line, the body. */
  data: string;
}

export interface SmtpServer {
  port: number;
  mails: ReceivedMail[];
  /** Resolves once `count` messages have arrived. */
  received(count: number): Promise<ReceivedMail[]>;
  stop(): Promise<void>;
}

/** Throws, saying how to install it, when aiosmtpd is missing: these tests must not pass by skipping. */
export function requireAiosmtpd(): void {
  const probe = spawnSync(PYTHON, ['-c', 'import aiosmtpd'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(`the e-mail tests need an SMTP server: ${PYTHON} cannot import aiosmtpd. Install it with "apt-get install -y python3-aiosmtpd" (.ci/run does this in CI)`);
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

export async function startSmtpServer(): Promise<SmtpServer> {
  requireAiosmtpd();
  const port = await freePort();
  const child: ChildProcess = spawn(PYTHON, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'mail_sink.MailSink'], {
    env: { ...process.env, PYTHONPATH: dirname(fileURLToPath(import.meta.url)), PYTHONUNBUFFERED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const mails: ReceivedMail[] = [];
  const waiters: Array<{ count: number; resolve: (mails: ReceivedMail[]) => void }> = [];
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    mails.push(JSON.parse(line) as ReceivedMail);
    for (const waiter of waiters.filter((w) => mails.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve([...mails]);
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Ready once it accepts a connection; it takes as long as Python takes to start.
  for (let tries = 0; !(await accepts(port)); tries++) {
    if (child.exitCode !== null || tries > 400) {
      child.kill();
      throw new Error(`aiosmtpd did not start on port ${port}: ${errors.trim() || 'no output'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return {
    port,
    mails,
    received: (count) => (mails.length >= count ? Promise.resolve([...mails]) : new Promise((resolve) => waiters.push({ count, resolve }))),
    stop: async () => {
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
      await exited;
    },
  };
}
