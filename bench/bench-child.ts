/**
 * What the benches share to drive their other processes: a child process spoken to over Node's
 * IPC, and the wait for a headless station to reach its controller.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** A bench process of its own (a controller on a pty, a crowd of screens), spoken to over IPC. */
export class Child<In> {
  readonly process: ChildProcess;
  private readonly listeners = new Set<(message: In) => void>();
  // A child can answer before anyone listens (the controller is ready before Chromium is):
  // what arrives with no listener waits here for the next `next`.
  private readonly unheard: In[] = [];

  constructor(file: string, args: string[] = []) {
    this.process = fork(join(__dirname, file), args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.process.on('message', (message: In) => {
      if (this.listeners.size === 0) {
        if (this.unheard.length < 1_000) this.unheard.push(message);
        return;
      }
      for (const listener of this.listeners) listener(message);
    });
  }

  on(listener: (message: In) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  next<K extends In>(match: (message: In) => message is K, timeoutMs = 120_000): Promise<K> {
    const waiting = this.unheard.findIndex(match);
    if (waiting >= 0) return Promise.resolve(this.unheard.splice(waiting, 1)[0] as K);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer from ${this.process.spawnfile} within ${timeoutMs} ms`)), timeoutMs);
      const off = this.on((message) => {
        if (!match(message)) return;
        clearTimeout(timer);
        off();
        resolve(message);
      });
    });
  }

  send(message: unknown): void {
    this.process.send(message as never);
  }

  async stop(message: unknown): Promise<void> {
    if (this.process.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    this.send(message);
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Until the headless station at `url` has handshaken with its controller and read its table. */
export async function linkReady(url: string, token: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answer = await fetch(`${url}/api/state`, { headers: { authorization: `Bearer ${token}` } }).catch(() => null);
    const body = answer?.ok ? ((await answer.json()) as { state: { link: { status: string }; channels: unknown[] } }) : null;
    if (body?.state.link.status === 'ready' && body.state.channels.length > 0) return;
    if (Date.now() > deadline) throw new Error(`the station at ${url} did not reach its controller`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
