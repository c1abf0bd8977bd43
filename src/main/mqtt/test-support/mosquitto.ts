/**
 * Test harness: Debian's Mosquitto on a free loopback port, with a password file and an ACL made
 * here, as a grower's broker would be set up. Started and stopped by its pid; a restart keeps the
 * port, so clients that knew the old one find the new one.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MOSQUITTO = '/usr/sbin/mosquitto';
const READY = /mosquitto version \S+ running/;
const START_TIMEOUT_MS = 10_000;

export interface BrokerUser {
  name: string;
  password: string;
  /** ACL lines for this user: "topic readwrite tendril/#". */
  acl: string[];
}

export interface Broker {
  port: number;
  /** mqtt://127.0.0.1:<port>, or mqtts:// for a broker started with TLS. */
  url: string;
  /** The CA certificate (PEM) that signed a TLS broker's certificate. */
  caFile: string | null;
  /** Everything it logged so far. */
  log(): string;
  /** Kills the broker (SIGKILL: nothing is saved) and resolves once it is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
  /** Stops it for good and removes its files. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/**
 * A CA of the test's own and a certificate it signed for 127.0.0.1, as a grower's broker with its
 * own CA would have.
 */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const file = (name: string) => join(dir, name);
  const run = (args: string[]): void => {
    const made = spawnSync('openssl', args, { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`openssl ${args[0]} failed: ${made.stderr}`);
  };
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Tendril test CA', '-keyout', file('ca.key'), '-out', file('ca.pem')]);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', file('broker.key'), '-out', file('broker.csr')]);
  writeFileSync(file('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  run(['x509', '-req', '-in', file('broker.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', file('san.ext'), '-out', file('broker.pem')]);
  return { ca: file('ca.pem'), cert: file('broker.pem'), key: file('broker.key') };
}

export async function startBroker(users: BrokerUser[], options: { tls?: boolean } = {}): Promise<Broker> {
  const dir = mkdtempSync(join(tmpdir(), 'tendril-mosquitto-'));
  const tls = options.tls ? makeCertificates(dir) : null;
  const passwords = join(dir, 'passwords');
  writeFileSync(passwords, '', { mode: 0o600 });
  for (const user of users) {
    const made = spawnSync('mosquitto_passwd', ['-b', passwords, user.name, user.password], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`mosquitto_passwd failed: ${made.stderr}`);
  }
  writeFileSync(join(dir, 'acl'), users.map((user) => [`user ${user.name}`, ...user.acl, ''].join('\n')).join('\n'), { mode: 0o600 });
  const port = await freePort();
  writeFileSync(
    join(dir, 'mosquitto.conf'),
    [
      // Started as root (CI), Mosquitto would switch to its own user, who cannot read this folder.
      'user root',
      `listener ${port} 127.0.0.1`,
      ...(tls ? [`cafile ${tls.ca}`, `certfile ${tls.cert}`, `keyfile ${tls.key}`] : []),
      'allow_anonymous false',
      `password_file ${passwords}`,
      `acl_file ${join(dir, 'acl')}`,
      'persistence false',
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      'log_type notice',
      'log_type information',
      '',
    ].join('\n'),
  );
  let output = '';
  let child: ChildProcess | null = null;

  const launch = async (): Promise<void> => {
    const started = spawn(MOSQUITTO, ['-c', join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    let seen = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(`not running within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
      function fail(why: string): void {
        clearTimeout(timer);
        started.kill('SIGKILL');
        reject(new Error(`mosquitto did not start: ${why}\n${seen}`));
      }
      const take = (chunk: Buffer): void => {
        const text = chunk.toString();
        seen += text;
        output += text;
        if (READY.test(seen)) {
          clearTimeout(timer);
          started.off('exit', exited);
          resolve();
        }
      };
      const exited = (code: number | null, signal: string | null): void => fail(`it exited (code ${code}, signal ${signal})`);
      started.stderr!.on('data', take);
      started.stdout!.on('data', take);
      started.once('exit', exited);
      started.once('error', (error) => fail(error.message));
    });
  };

  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    process.kill(running.pid!, signal);
    await exited;
  };

  await launch();
  return {
    port,
    url: `${tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${port}`,
    caFile: tls?.ca ?? null,
    log: () => output,
    kill: () => end('SIGKILL'),
    restart: launch,
    stop: async () => {
      await end('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
