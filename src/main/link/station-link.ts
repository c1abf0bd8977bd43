/**
 * The host end of the serial link: it owns one connection to the station controller at a time,
 * handshakes, keeps the device's watchdog fed, notices a silent or vanished device, reconnects
 * with backoff, and turns the device's lines into station events.
 *
 * Nothing here throws out of the read path: a bad line is counted and logged, never fatal.
 */
import {
  DeviceEventLine,
  ESTOP_BYTE,
  FieldSpans,
  HEARTBEAT_MS,
  PROTOCOL_VERSION,
  SILENCE_LIMIT_MS,
  readDeviceLine,
  StationLineParser,
  type FieldValues,
  type BadLineReason,
} from '../protocol';
import { emptyStats, type Alert, type LinkState, type LinkStats, type LinkStatus } from '../../shared/station';
import type { StationChange } from '../../shared/events';
import { backoffDelay, SERIAL_BACKOFF, type BackoffPolicy } from './backoff';
import { asRefusal, CommandChannel, CommandError, type CommandOptions, type CommandResult } from './commands';
import { HandshakeError, parseChannelRows, parseIdentity, parseStateRows } from './handshake';
import { heldTelemetryChannel, stationChangeFromDevice } from './device-events';
import { LogThrottle } from './log-throttle';
import { TelemetryCoalescer, type TelemetryLine } from './telemetry';
import { openWithin, type OpenPort, type PortOpener } from './open-within';
import { afterHandshake, awaitingEcho, deviceLatched, pressStop, RELEASED, type StopLatch } from './stop-latch';
import { heartbeatFor, livenessActions, uptimeWentBack } from './liveness';

export type { OpenPort, PortOpener } from './open-within';

/** Which controller a link talks to: how to open its port, and what to call it. */
export interface LinkTarget {
  open: PortOpener;
  /** The port's path, or "simulated". */
  port: string;
  simulated: boolean;
}

export interface StationLinkOptions extends LinkTarget {
  command?: CommandOptions;
  heartbeatMs?: number;
  silenceMs?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
  log?: (line: string) => void;
  /** Alert ids, when others raise alerts into the same state. */
  nextAlertId?: () => number;
}

// Bound once rather than read through the module binding on every line (see protocol/codec.ts).
const readLine = readDeviceLine;
const EventLine = DeviceEventLine;
const changeFromDevice = stationChangeFromDevice;
const telemetryChannel = heldTelemetryChannel;

/** How often the link looks at its clocks: heartbeat due, device silent, stop byte unconfirmed. */
const TICK_MS = 100;
const STATS_EVERY_MS = 1000;
/** A port that neither opens nor fails within this long is treated as failed. */
const OPEN_TIMEOUT_MS = 15_000;
/** After an error retrying cannot fix (a protocol mismatch), try again only this often. */
const PERMANENT_ERROR_RETRY_MS = 30_000;

/** Commands that move water or chemicals; refused on the host while a stop is latched. */
function isActuating(verb: string, fields: FieldValues): boolean {
  if (verb === 'DOSE' || verb === 'FILL') return true;
  return verb === 'SET' && fields.on !== undefined && fields.on !== 0 && fields.on !== false && fields.on !== '0';
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
  private readonly listeners = new Set<(event: StationChange) => void>();
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
  private heldEvents: StationChange[] | null = null;
  private alertCount = 0;
  private readonly nextAlertId = (): number => this.options.nextAlertId?.() ?? ++this.alertCount;
  private stopLatch: StopLatch = RELEASED;
  private readonly telemetry = new TelemetryCoalescer(
    (event) => this.emit(event),
    (line) => this.translateHeld(line),
  );
  /** The event line being read; refilled by every event the device sends. */
  private readonly eventLine = new DeviceEventLine();
  /** The fields of a held telemetry line as it is translated. */
  private readonly heldFields = new FieldSpans();
  private heartbeatMs = HEARTBEAT_MS;
  /** The latest `up` of the device's heartbeat in this session; null until one arrives. */
  private lastUptime: number | null = null;

  constructor(private options: StationLinkOptions) {
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

  onEvent(listener: (event: StationChange) => void): () => void {
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
    if (this.port && (this.link.status === 'ready' || this.link.status === 'handshaking')) {
      try {
        await this.commands.send('STOP', {}, { attempts: 2, first: true });
        this.log('link: every output switched off');
      } catch (err) {
        this.log(`link: could not confirm outputs off before closing (${(err as Error).message}); the device watchdog will turn them off`);
      }
    }
    await this.closePort('the link was stopped');
    this.setStatus('disconnected', 'stopped');
  }

  /**
   * Moves the link to another controller: every output on the current one is switched off and
   * its port closed first, exactly as `stop()` does, so nothing is left running on a controller
   * nobody is watching. Resolves once the new port has opened; rejects if it cannot be opened
   * (the link keeps retrying it in the background, as after any failed open).
   */
  async retarget(target: LinkTarget): Promise<void> {
    await this.stop();
    this.options = { ...this.options, ...target };
    this.link = { ...this.link, port: target.port, simulated: target.simulated };
    this.setStatus('disconnected', `switching to ${target.port}`, 0);
    await this.start();
  }

  /**
   * Sends a command to a ready controller and resolves with its answer, or rejects with the
   * wire's CommandError. The station goes through controllerCommands, which speaks its codes.
   */
  command(verb: string, fields: FieldValues = {}, options?: CommandOptions): Promise<CommandResult> {
    if (this.link.status !== 'ready') {
      return Promise.reject(new CommandError('LINK_DOWN', `the controller is not connected (${this.link.status}: ${this.link.reason})`));
    }
    if (this.stopLatch.held && isActuating(verb, fields)) {
      return Promise.reject(new CommandError('ESTOP', 'the emergency stop is latched; reset it before switching anything on'));
    }
    return this.commands.send(verb, fields, options);
  }

  /**
   * The stop byte goes straight to the port, ahead of any queued command, and is repeated until
   * the device echoes it. If the link is down, it is sent as soon as the link is back.
   */
  emergencyStop(): void {
    this.stopLatch = pressStop(Date.now());
    this.writeEstopByte();
    // Anything that would switch something on and has not been answered yet is void.
    this.commands.failWhere(isActuating, 'ESTOP', 'cancelled by the emergency stop');
    this.emit({ type: 'estop_update', latched: true, source: 'host' });
  }

  /** Rejects with a Refusal: the station calls this, and hears its reasons in the API's codes. */
  async resetEmergencyStop(): Promise<void> {
    await this.command('RESET').catch((err: unknown) => {
      throw asRefusal(err);
    });
    this.stopLatch = RELEASED;
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    this.setStatus('connecting', `opening ${this.options.port}`);
    let port: OpenPort;
    try {
      port = await openWithin(this.options.open, OPEN_TIMEOUT_MS);
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
    this.lastUptime = null;
    this.commands.failAll('LINK_DOWN', 'the controller is handshaking again');
    this.commands.restart(1);
    try {
      const hello = await this.commands.send('HELLO', { proto: PROTOCOL_VERSION });
      const device = parseIdentity(hello.fields);
      this.commands.setWindow(device.window);
      this.heartbeatMs = heartbeatFor(device.watchdogMs, HEARTBEAT_MS);
      const table = parseChannelRows((await this.commands.send('CHANNELS')).rows);
      if (table.ignored.length) this.log(`link: ignoring channels of unknown kinds: ${table.ignored.join(', ')}`);
      const state = await this.commands.send('STATE');
      if (generation !== this.generation) return;
      const states = parseStateRows(table.channels, state.rows);
      const alarm = state.fields.alarm && state.fields.alarm !== 'none' ? state.fields.alarm : null;
      const at = Date.now();
      const readings: Record<string, { value: number; at: number }> = {};
      for (const id in states.readings) readings[id] = { value: states.readings[id]!, at };
      this.emit({
        type: 'device_update',
        device,
        channels: table.channels,
        relays: states.relays,
        pumps: states.pumps,
        flows: states.flows,
        readings,
        estop: state.fields.estop === '1',
        alarm,
        at,
      });
      const held = this.heldEvents;
      this.heldEvents = null;
      for (const event of held) this.emit(event);
      this.link.attempt = 0;
      this.setStatus('ready', `${device.device} ${device.serial} (firmware ${device.firmware}) on ${this.options.port}`, 0);
      const { latch, resend } = afterHandshake(this.stopLatch, state.fields.estop === '1');
      this.stopLatch = latch;
      if (resend) {
        this.log('link: the controller lost the emergency stop (restarted?); sending it again');
        this.emergencyStop();
      }
    } catch (err) {
      if (generation !== this.generation) return;
      const permanent = err instanceof HandshakeError && err.permanent;
      this.dropConnection('error', `handshake failed: ${(err as Error).message}`, permanent ? PERMANENT_ERROR_RETRY_MS : undefined);
    }
  }

  private onLine(line: string): void {
    this.stats.linesIn++;
    this.statsDirty = true;
    const message = readLine(line, this.eventLine);
    if (typeof message === 'string') return this.countBadLine(message, line);
    this.lastValidLineAt = this.readAt;
    if (message instanceof EventLine) return this.onDeviceEvent(message);
    switch (message.type) {
      case 'ack':
        return this.commands.onAck(message.seq, message.fields);
      case 'row':
        return this.commands.onRow(message.seq, message.fields);
      case 'nak':
        // Only a device that lost our session refuses this way: it restarted or its watchdog
        // ended the session, and whatever we were in the middle of is over. The handshake fails
        // the refused command with everything else that was waiting. Outside 'ready' it can only
        // be a late answer from before the handshake, whose number now means something else.
        if (message.code === 'NOSESSION') return this.link.status === 'ready' ? this.restartedUnnoticed('nosession') : undefined;
        return this.commands.onNak(message.seq, message.code, message.fields);
    }
  }

  private onDeviceEvent({ name, fields }: DeviceEventLine): void {
    if (name === 'boot') {
      // The device restarted under us: its outputs are off and it has forgotten our numbers.
      // (A boot while connecting is the port's own reset: a Mega restarts when a host opens it.)
      if (this.link.status === 'ready') this.restartedUnnoticed(fields.get('why') ?? 'unknown reason');
      return;
    }
    if (name === 'hb') {
      // The second guard, for a boot line lost on the wire and a device too old to refuse
      // without a session: an uptime that went back means a restart.
      const up = fields.number('up');
      if (!Number.isFinite(up)) return;
      const last = this.lastUptime;
      this.lastUptime = up;
      if (last !== null && uptimeWentBack(last, up) && this.link.status === 'ready') this.restartedUnnoticed('uptime');
      return;
    }
    if (name === 'estop') {
      // latched=0 only follows a RESET, ours or a person's at the device: the stop is over.
      this.stopLatch = fields.is('latched', '1') ? deviceLatched(this.stopLatch) : RELEASED;
    }
    // Telemetry is held as the line: a newer one usually replaces it before anyone reads it.
    const channel = telemetryChannel(name, fields);
    if (channel !== null) return this.telemetry.pushLine(channel, name, fields.text, fields.from, fields.end, this.readAt);
    const event = changeFromDevice(name, fields, { now: this.readAt, nextAlertId: this.nextAlertId });
    if (event === undefined) {
      this.stats.unknownEvents++;
      this.badLines.note('unknown-event', `link: ignoring unknown event "${name}"`);
      return;
    }
    if (event) this.telemetry.push(event);
  }

  /**
   * The device restarted, or lost our session, without us seeing it happen: its outputs are off
   * and it has forgotten our numbers. Leaving 'ready' fails the jobs that were running, so
   * nothing carries on from where it was; the handshake starts a new session.
   */
  private restartedUnnoticed(why: string): void {
    this.emit({ type: 'alert', alert: restartAlert(this.nextAlertId(), why, this.readAt) });
    const what =
      why === 'nosession' ? 'the controller lost the session (it restarted, or its watchdog tripped)'
      : why === 'uptime' ? 'the controller restarted (its uptime went back)'
      : `the controller restarted (${why})`;
    void this.handshake(this.generation, `${what}; handshaking again`);
  }

  /** The change a held telemetry line makes, as it would have been made when the line was read. */
  private translateHeld(line: TelemetryLine): StationChange | null {
    if (!this.heldFields.locate(line.text, line.from, line.end)) return null;
    return changeFromDevice(line.name, this.heldFields, { now: line.at, nextAlertId: this.nextAlertId }) ?? null;
  }

  private onEstopByte(): void {
    const fromHost = awaitingEcho(this.stopLatch);
    this.stopLatch = deviceLatched(this.stopLatch);
    this.emit({ type: 'estop_update', latched: true, source: fromHost ? 'host' : 'button' });
  }

  private countBadLine(reason: BadLineReason, line?: string): void {
    this.stats[BAD_LINE_STAT[reason]]++;
    this.statsDirty = true;
    const sample = line === undefined ? '' : `: ${JSON.stringify(line.slice(0, 60))}`;
    this.badLines.note(reason, `link: dropped a line (${reason})${sample}`);
  }

  private tick(): void {
    const now = Date.now();
    const actions = livenessActions({
      now,
      status: this.link.status,
      portOpen: this.port !== null,
      lastValidLineAt: this.lastValidLineAt,
      lastWriteAt: this.lastWriteAt,
      commandsBusy: this.commands.busy,
      heartbeatMs: this.options.heartbeatMs ?? this.heartbeatMs,
      silenceMs: this.options.silenceMs ?? SILENCE_LIMIT_MS,
      stopLatch: this.stopLatch,
    });
    for (const action of actions) {
      switch (action.kind) {
        case 'silent':
          return this.dropConnection('error', action.reason);
        case 'stop-byte':
          this.stopLatch = { ...this.stopLatch, sentAt: now };
          this.writeEstopByte();
          break;
        case 'ping':
          this.commands.send('PING', {}, { attempts: 1 }).catch(() => {});
          break;
      }
    }
    if (this.statsDirty && now - this.lastStatsAt >= STATS_EVERY_MS) {
      this.lastStatsAt = now;
      this.statsDirty = false;
      this.emit({ type: 'link_stats', stats: { ...this.stats } });
    }
  }

  private dropConnection(status: LinkStatus, reason: string, retryInMs?: number): void {
    if (!this.port) return;
    this.generation++;
    this.heldEvents = null;
    this.telemetry.flush();
    void this.closePort(reason);
    if (this.running) this.scheduleReconnect(status, reason, retryInMs);
  }

  private async closePort(reason: string): Promise<void> {
    const port = this.port;
    this.port = null;
    this.commands.failAll('LINK_DOWN', `the controller link dropped: ${reason}`);
    if (port) await port.close().catch(() => {});
  }

  private scheduleReconnect(status: LinkStatus, reason: string, retryInMs?: number): void {
    if (!this.running) return;
    const attempt = this.link.attempt;
    const delay = retryInMs ?? backoffDelay(attempt, this.options.backoff ?? SERIAL_BACKOFF, this.options.random);
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
    this.emit({ type: 'link_update', link: this.link });
  }

  private emit(event: StationChange): void {
    if (this.heldEvents && event.type !== 'link_update' && event.type !== 'device_update' && event.type !== 'link_stats') {
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


/** A controller that restarted while Tendril drove it: what it means, by the reason it gives. */
function restartAlert(id: number, why: string, at: number): Alert {
  const what: Record<string, string> = {
    watchdog: 'the controller restarted: its watchdog restarted it (its program stopped running)',
    power: 'the controller restarted: it lost power',
    reset: 'the controller restarted: it was reset',
    uptime: 'the controller restarted: its uptime started again from zero (its restart message was lost)',
    nosession: 'the controller restarted or its watchdog switched everything off, and the message saying so was lost: it refused the next command until Tendril connected again',
  };
  return {
    id,
    level: why === 'watchdog' ? 'error' : 'warning',
    code: 'CONTROLLER_RESTARTED',
    subject: 'controller',
    message: `${what[why] ?? `the controller restarted: it says "${why}"`}. Every output went off with it, and nothing resumes by itself`,
    at,
    source: 'host',
  };
}
