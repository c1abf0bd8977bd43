/**
 * The host end of the serial link: it owns one connection to the station controller at a time,
 * handshakes, keeps the device's watchdog fed, notices a silent or vanished device, reconnects
 * with backoff, and turns the device's lines into station events.
 *
 * Nothing here throws out of the read path: a bad line is counted and logged, never fatal.
 */
import type { Duplex } from 'node:stream';
import {
  decodeDeviceLine,
  ESTOP_BYTE,
  HEARTBEAT_MS,
  PROTOCOL_VERSION,
  SILENCE_LIMIT_MS,
  StationLineParser,
  type FieldValues,
  type BadLineReason,
} from '../protocol';
import { emptyStats, type LinkState, type LinkStats, type LinkStatus } from '../../shared/station';
import type { StationEvent } from '../../shared/station-events';
import { backoffDelay, SERIAL_BACKOFF, type BackoffPolicy } from './backoff';
import { CommandChannel, CommandError, type CommandOptions, type CommandResult } from './commands';
import { parseChannelRows, parseIdentity, parseStateRows } from './handshake';
import { stationEventFromDevice } from './device-events';
import { LogThrottle } from './log-throttle';

/** An open connection to a controller: a byte stream, and how to close it properly. */
export interface OpenPort {
  stream: Duplex;
  close(): Promise<void>;
}

export type PortOpener = () => Promise<OpenPort>;

export interface StationLinkOptions {
  open: PortOpener;
  /** The port's path, or "simulated". */
  port: string;
  simulated: boolean;
  command?: CommandOptions;
  heartbeatMs?: number;
  silenceMs?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
  log?: (line: string) => void;
}

/** How often the link looks at its clocks: heartbeat due, device silent, stop byte unconfirmed. */
const TICK_MS = 100;
/** The stop byte is repeated until the device echoes it. */
const ESTOP_REPEAT_MS = 250;
const STATS_EVERY_MS = 1000;

/**
 * High-frequency telemetry (readings, flow counts, dose and fill progress) is coalesced per
 * channel; everything else is discrete and passes in order. Channel ids are unique across
 * kinds, so the channel alone is the key. Returns null for discrete events.
 */
function telemetryChannel(event: StationEvent): string | null {
  switch (event.type) {
    case 'reading':
    case 'flow':
      return event.channel;
    case 'dose':
    case 'fill':
      return event.done ? null : event.channel;
    default:
      return null;
  }
}

const BAD_LINE_STAT: Record<BadLineReason, keyof LinkStats> = {
  checksum: 'badChecksum',
  garbage: 'garbage',
  syntax: 'syntax',
  overlong: 'overlong',
};

export class StationLink {
  readonly stats: LinkStats = emptyStats();
  private link: LinkState;
  private readonly listeners = new Set<(event: StationEvent) => void>();
  private readonly commands: CommandChannel;
  private readonly log: (line: string) => void;
  private readonly badLines: LogThrottle;
  private port: OpenPort | null = null;
  /** Bumped on every new connection, so callbacks of an old one know they are stale. */
  private generation = 0;
  private running = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private ticker: ReturnType<typeof setInterval> | null = null;
  private lastWriteAt = 0;
  private lastValidLineAt = 0;
  private readAt = 0;
  private lastStatsAt = 0;
  private statsDirty = false;
  /** Events that arrive mid-handshake wait until the handshake's own snapshot is applied. */
  private heldEvents: StationEvent[] | null = null;
  private estop = { requested: false, confirmed: false, lastSentAt: 0 };
  /** Telemetry from the lines of one read, coalesced before it reaches the state. */
  private readonly telemetry = new Map<string, StationEvent>();
  private telemetryFlushQueued = false;

  constructor(private readonly options: StationLinkOptions) {
    this.log = options.log ?? (() => {});
    this.badLines = new LogThrottle(this.log, 5000);
    this.link = {
      status: 'disconnected',
      reason: 'not started',
      port: options.port,
      simulated: options.simulated,
      since: Date.now(),
      attempt: 0,
    };
    this.commands = new CommandChannel(
      {
        write: (line) => this.write(line),
        onRetry: (verb, seq, why) => {
          this.stats.retries++;
          this.statsDirty = true;
          this.log(`link: re-sending ${verb} #${seq} (${why})`);
        },
        onTimeout: () => {
          this.stats.timeouts++;
          this.statsDirty = true;
        },
      },
      { timeoutMs: options.command?.timeoutMs ?? 500, attempts: options.command?.attempts ?? 4 },
    );
  }

  get state(): LinkState {
    return this.link;
  }

  onEvent(listener: (event: StationEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Starts connecting and keeps the link up until `stop()`. Resolves once the port has opened;
   * rejects if the first open fails (the link still retries in the background).
   */
  start(): Promise<void> {
    if (this.running) return Promise.resolve();
    this.running = true;
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    return this.connect();
  }

  /** Switches every output off, then closes the port. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.ticker) clearInterval(this.ticker);
    this.reconnectTimer = this.ticker = null;
    if (this.link.status === 'ready') {
      try {
        await this.commands.send('STOP', {}, { attempts: 2 });
        this.log('link: every output switched off');
      } catch (err) {
        this.log(`link: could not confirm outputs off before closing (${(err as Error).message}); the device watchdog will turn them off`);
      }
    }
    await this.closePort('the link was stopped');
    this.setStatus('disconnected', 'stopped');
  }

  /** Sends a command to a ready controller and resolves with its answer. */
  command(verb: string, fields: FieldValues = {}, options?: CommandOptions): Promise<CommandResult> {
    if (this.link.status !== 'ready') {
      return Promise.reject(new CommandError('LINK_DOWN', `the controller is not connected (${this.link.status}: ${this.link.reason})`));
    }
    return this.commands.send(verb, fields, options);
  }

  /**
   * The stop byte goes straight to the port, ahead of any queued command, and is repeated until
   * the device echoes it. If the link is down, it is sent as soon as the link is back.
   */
  emergencyStop(): void {
    this.estop = { requested: true, confirmed: false, lastSentAt: Date.now() };
    this.writeEstopByte();
    this.emit({ type: 'estop', latched: true, source: 'host' });
  }

  async resetEmergencyStop(): Promise<void> {
    await this.command('RESET');
    this.estop = { requested: false, confirmed: false, lastSentAt: 0 };
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    this.setStatus('connecting', `opening ${this.options.port}`);
    let port: OpenPort;
    try {
      port = await this.options.open();
    } catch (err) {
      if (generation === this.generation && this.running) {
        this.scheduleReconnect('error', `cannot open ${this.options.port}: ${(err as Error).message}`);
      }
      throw err;
    }
    if (generation !== this.generation || !this.running) {
      await port.close().catch(() => {});
      return;
    }
    this.attach(port, generation);
    void this.handshake(generation, `handshaking with the controller on ${this.options.port}`);
  }

  private attach(port: OpenPort, generation: number): void {
    this.port = port;
    this.lastValidLineAt = Date.now();
    const parser = new StationLineParser();
    parser.on('data', (line: string) => {
      if (generation === this.generation) this.onLine(line);
    });
    parser.on('estop', () => {
      if (generation === this.generation) this.onEstopByte();
    });
    parser.on('overlong', () => this.countBadLine('overlong'));
    port.stream.on('data', (chunk: Buffer) => {
      // One clock reading per read: every line in it arrived at the same moment.
      this.readAt = Date.now();
      parser.write(chunk);
    });
    const lost = (why: string) => {
      if (generation === this.generation) this.dropConnection('disconnected', why);
    };
    port.stream.on('error', (err) => lost(`port error: ${err.message}`));
    port.stream.on('close', () => lost(`${this.options.port} closed (unplugged?)`));
    port.stream.on('end', () => lost(`${this.options.port} ended (unplugged?)`));
  }

  private async handshake(generation: number, reason: string): Promise<void> {
    this.setStatus('handshaking', reason);
    this.heldEvents = [];
    this.commands.failAll('LINK_DOWN', 'the controller is handshaking again');
    this.commands.restart(1);
    try {
      const hello = await this.commands.send('HELLO', { proto: PROTOCOL_VERSION });
      const device = parseIdentity(hello.fields);
      this.commands.setWindow(device.window);
      const table = parseChannelRows((await this.commands.send('CHANNELS')).rows);
      if (table.ignored.length) this.log(`link: ignoring channels of unknown kinds: ${table.ignored.join(', ')}`);
      const state = await this.commands.send('STATE');
      if (generation !== this.generation) return;
      const states = parseStateRows(table.channels, state.rows);
      const alarm = state.fields.alarm && state.fields.alarm !== 'none' ? state.fields.alarm : null;
      this.emit({ type: 'handshake', device, channels: table.channels, ...states, estop: state.fields.estop === '1', alarm, at: Date.now() });
      const held = this.heldEvents;
      this.heldEvents = null;
      for (const event of held) this.emit(event);
      this.link.attempt = 0;
      this.setStatus('ready', `${device.device} ${device.serial} (firmware ${device.firmware}) on ${this.options.port}`, 0);
      if (this.estop.requested && state.fields.estop !== '1') {
        this.log('link: re-sending the emergency stop the device missed while the link was down');
        this.emergencyStop();
      }
    } catch (err) {
      if (generation !== this.generation) return;
      this.dropConnection('error', `handshake failed: ${(err as Error).message}`);
    }
  }

  private onLine(line: string): void {
    this.stats.linesIn++;
    this.statsDirty = true;
    const message = decodeDeviceLine(line);
    if (typeof message === 'string') return this.countBadLine(message, line);
    this.lastValidLineAt = this.readAt;
    switch (message.type) {
      case 'ack':
        return this.commands.onAck(message.seq, message.fields);
      case 'row':
        return this.commands.onRow(message.seq, message.fields);
      case 'nak':
        return this.commands.onNak(message.seq, message.code, message.fields);
      case 'event':
        return this.onDeviceEvent(message.name, message.fields);
    }
  }

  private onDeviceEvent(name: string, fields: Record<string, string>): void {
    if (name === 'boot') {
      // The device restarted under us: its outputs are off and it has forgotten our numbers.
      if (this.link.status === 'ready') {
        void this.handshake(this.generation, `the controller restarted (${fields.why ?? 'unknown reason'}); handshaking again`);
      }
      return;
    }
    if (name === 'estop' && fields.latched === '1') this.estop.confirmed = true;
    const event = stationEventFromDevice(name, fields, this.readAt);
    if (event === undefined) {
      this.stats.unknownEvents++;
      this.badLines.note('unknown-event', `link: ignoring unknown event "${name}"`);
      return;
    }
    if (!event) return;
    const channel = telemetryChannel(event);
    if (channel === null) {
      // Telemetry waiting for the same channel goes first, so a dose's last progress can never
      // land after the event that says it is done.
      const held = 'channel' in event ? this.telemetry.get(event.channel) : undefined;
      if (held && 'channel' in held) {
        this.telemetry.delete(held.channel);
        this.emit(held);
      }
      this.emit(event);
      return;
    }
    // Latest value wins per channel, until the event loop has read everything that arrived.
    this.telemetry.set(channel, event);
    if (!this.telemetryFlushQueued) {
      this.telemetryFlushQueued = true;
      setImmediate(() => this.flushTelemetry());
    }
  }

  private flushTelemetry(): void {
    this.telemetryFlushQueued = false;
    if (this.telemetry.size === 0) return;
    for (const event of this.telemetry.values()) this.emit(event);
    this.telemetry.clear();
  }

  private onEstopByte(): void {
    this.estop.confirmed = true;
    this.emit({ type: 'estop', latched: true, source: this.estop.requested ? 'host' : 'button' });
  }

  private countBadLine(reason: BadLineReason, line?: string): void {
    this.stats[BAD_LINE_STAT[reason]]++;
    this.statsDirty = true;
    const sample = line === undefined ? '' : `: ${JSON.stringify(line.slice(0, 60))}`;
    this.badLines.note(reason, `link: dropped a line (${reason})${sample}`);
  }

  private tick(): void {
    const now = Date.now();
    const status = this.link.status;
    if (this.port && (status === 'ready' || status === 'handshaking')) {
      const silenceMs = this.options.silenceMs ?? SILENCE_LIMIT_MS;
      if (now - this.lastValidLineAt > silenceMs) {
        this.dropConnection('error', `the controller went silent (no valid line for ${silenceMs / 1000} s)`);
        return;
      }
      if (status === 'ready' && now - this.lastWriteAt >= (this.options.heartbeatMs ?? HEARTBEAT_MS) && !this.commands.busy) {
        this.commands.send('PING', {}, { attempts: 1 }).catch(() => {});
      }
      if (this.estop.requested && !this.estop.confirmed && now - this.estop.lastSentAt >= ESTOP_REPEAT_MS) {
        this.estop.lastSentAt = now;
        this.writeEstopByte();
      }
    }
    if (this.statsDirty && now - this.lastStatsAt >= STATS_EVERY_MS) {
      this.lastStatsAt = now;
      this.statsDirty = false;
      this.emit({ type: 'stats', stats: { ...this.stats } });
    }
  }

  private dropConnection(status: LinkStatus, reason: string): void {
    if (!this.port) return;
    this.generation++;
    this.heldEvents = null;
    void this.closePort(reason);
    if (this.running) this.scheduleReconnect(status, reason);
  }

  private async closePort(reason: string): Promise<void> {
    const port = this.port;
    this.port = null;
    this.commands.failAll('LINK_DOWN', `the controller link dropped: ${reason}`);
    if (port) await port.close().catch(() => {});
  }

  private scheduleReconnect(status: LinkStatus, reason: string): void {
    if (!this.running) return;
    const attempt = this.link.attempt;
    const delay = backoffDelay(attempt, this.options.backoff ?? SERIAL_BACKOFF, this.options.random);
    this.stats.reconnects++;
    this.statsDirty = true;
    this.setStatus(status, `${reason}; reconnecting in ${(delay / 1000).toFixed(1)} s`, attempt + 1);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect().catch(() => {});
    }, delay);
  }

  private write(line: string): void {
    if (!this.port) return;
    this.port.stream.write(line);
    this.stats.linesOut++;
    this.lastWriteAt = Date.now();
  }

  private writeEstopByte(): void {
    if (this.port) this.port.stream.write(Buffer.of(ESTOP_BYTE));
  }

  private setStatus(status: LinkStatus, reason: string, attempt = this.link.attempt): void {
    this.link = { ...this.link, status, reason, since: Date.now(), attempt };
    this.log(`link: ${status}: ${reason}`);
    this.emit({ type: 'link', link: this.link });
  }

  private emit(event: StationEvent): void {
    if (this.heldEvents && event.type !== 'link' && event.type !== 'handshake' && event.type !== 'stats') {
      this.heldEvents.push(event);
      return;
    }
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.log(`link: a station listener failed: ${(err as Error).message}`);
      }
    }
  }
}
