/**
 * The LAN server as something Settings can switch: on or off, and on which port. A new port is
 * opened before the old one is closed, so a port another program holds leaves the screens on
 * the old one connected and the grower told why, rather than a station nobody can reach.
 */
import type { LanStatus, ScreenPage } from '../../shared/admin';
import { Refusal } from '../../shared/refusal';
import type { LanDesk } from '../control';
import { reachableOrigins } from './pairing';
import type { LanServer } from './http-server';

export interface LanSettingsChoice {
  enabled: boolean;
  host: string;
  port: number;
}

export interface LanServiceOptions {
  settings: LanSettingsChoice;
  /** A server on `port` (not yet listening); the same core, tokens and records every time. */
  createServer(port: number): LanServer;
  /** Writes a new choice to the settings file; null where the server is not set from the app. */
  save: ((choice: LanSettingsChoice) => void) | null;
  log?: (line: string) => void;
  /** Where other devices reach a server listening on `url`; the machine's addresses by default. */
  originsOf?: (url: string, host: string) => string[];
}

export class LanService implements LanDesk {
  private choice: LanSettingsChoice;
  private server: LanServer | null = null;
  private url: string | null = null;
  private problem: string | undefined;
  private readonly log: (line: string) => void;
  private readonly originsOf: (url: string, host: string) => string[];
  /** One change at a time: two quick clicks must not open two servers. */
  private changing: Promise<unknown> = Promise.resolve();
  readonly configure?: (enabled: boolean, port: number) => Promise<LanStatus>;

  constructor(private readonly options: LanServiceOptions) {
    this.choice = { ...options.settings };
    this.log = options.log ?? (() => {});
    this.originsOf = options.originsOf ?? reachableOrigins;
    const save = options.save;
    if (save) this.configure = (enabled, port) => this.serialise(() => this.change({ ...this.choice, enabled, port }, save));
  }

  /** Starts the server if the settings say so; a failure is kept for `status()`, not thrown. */
  async start(): Promise<LanStatus> {
    return this.serialise(async () => {
      if (this.choice.enabled && !this.server) {
        try {
          await this.open(this.choice.port);
        } catch (err) {
          this.problem = describeListenFailure(err, this.choice);
          this.log(`lan: ${this.problem}`);
        }
      }
      return this.status();
    });
  }

  status(): LanStatus {
    return {
      enabled: this.choice.enabled,
      host: this.choice.host,
      port: this.choice.port,
      listening: this.server !== null,
      origins: this.origins() ?? [],
      ...(this.problem ? { problem: this.problem } : {}),
      configurable: this.configure !== undefined,
    };
  }

  screens(offset: number, limit: number): ScreenPage {
    return this.server?.screens(offset, limit) ?? { total: 0, offset, screens: [] };
  }

  /** The address the server listens on (with the real port when 0 was asked for), or null. */
  listeningUrl(): string | null {
    return this.url;
  }

  /** Where screens reach the server now, or null while it is not listening. */
  origins(): string[] | null {
    return this.url ? this.originsOf(this.url, this.choice.host) : null;
  }

  async close(): Promise<void> {
    await this.serialise(async () => {
      const server = this.server;
      this.server = null;
      this.url = null;
      await server?.close();
    });
  }

  private async change(next: LanSettingsChoice, save: (choice: LanSettingsChoice) => void): Promise<LanStatus> {
    const previous = this.server;
    if (!next.enabled) {
      save(next);
      this.choice = next;
      this.server = null;
      this.url = null;
      this.problem = undefined;
      await previous?.close();
      this.log('lan: the LAN server is off; other screens are disconnected');
      return this.status();
    }
    if (previous && next.port === this.choice.port) {
      save(next);
      this.choice = next;
      return this.status();
    }
    const previousUrl = this.url;
    try {
      await this.open(next.port);
    } catch (err) {
      // The old server (if any) is still up: nothing changed but the reason shown.
      this.server = previous;
      this.url = previousUrl;
      const why = describeListenFailure(err, next);
      throw new Refusal('REFUSED', previous ? `${why}; the LAN server stays on port ${this.choice.port}` : why);
    }
    try {
      save(next);
    } catch (err) {
      await this.server?.close();
      this.server = previous;
      this.url = previousUrl;
      throw err;
    }
    this.choice = next;
    this.problem = undefined;
    await previous?.close();
    return this.status();
  }

  private async open(port: number): Promise<void> {
    const server = this.options.createServer(port);
    const url = await server.listen();
    this.server = server;
    this.url = url;
    this.log(`lan: serving screens on ${this.originsOf(url, this.choice.host).join(', ')}`);
  }

  private serialise<T>(work: () => Promise<T>): Promise<T> {
    const next = this.changing.then(work, work);
    this.changing = next.catch(() => {});
    return next;
  }
}

function describeListenFailure(err: unknown, choice: LanSettingsChoice): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return `port ${choice.port} is in use by another program; choose another port`;
  if (code === 'EACCES') return `port ${choice.port} needs administrator rights; choose a port of 1024 or more`;
  return `the LAN server could not start on ${choice.host}:${choice.port} (${code ?? (err as Error).message})`;
}
