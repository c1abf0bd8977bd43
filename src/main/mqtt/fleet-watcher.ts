/**
 * Watches the other stations on the broker for the Stations screen. Its own light connection,
 * apart from the publisher's: it subscribes to retained topics only, carries no Last Will (its
 * going away says nothing about this station), and a broker whose ACL does not let this user
 * read the others costs the Stations screen, never the publishing. MQTT.js's own reconnects
 * are enough here: nothing the station does waits on it.
 */
import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { FleetStation } from '../../shared/station';
import { fleetFilters, reduceFleet } from './fleet';
import type { MqttSettings } from './publisher';

/** Retained messages arrive in a burst on connect: the screens get one update for it, not fifty. */
const PUSH_EVERY_MS = 250;

export interface FleetWatcherOptions {
  settings: Pick<MqttSettings, 'url' | 'username' | 'password' | 'caFile'>;
  /** The level the stations sit under, e.g. "tendril". */
  root: string;
  clientId: string;
  show(fleet: FleetStation[]): void;
  log(line: string): void;
}

export class FleetWatcher {
  private client: MqttClient | null = null;
  private fleet: FleetStation[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(private readonly options: FleetWatcherOptions) {}

  start(): void {
    const { settings, root, log } = this.options;
    this.options.show(this.fleet);
    let ca: Buffer | undefined;
    if (settings.caFile) {
      try {
        ca = readFileSync(settings.caFile);
      } catch {
        // The publisher says what is wrong with the CA file; the Stations screen stays empty.
        return;
      }
    }
    const options: IClientOptions = {
      protocolVersion: 5,
      reconnectPeriod: 5_000,
      connectTimeout: 10_000,
      keepalive: 30,
      clean: true,
      clientId: this.options.clientId,
      ...(settings.username !== undefined ? { username: settings.username } : {}),
      ...(settings.password !== undefined ? { password: settings.password } : {}),
      ...(ca ? { ca } : {}),
    };
    let client: MqttClient;
    try {
      client = mqtt.connect(settings.url, options);
    } catch {
      return;
    }
    this.client = client;
    client.on('connect', () => {
      client.subscribe(fleetFilters(root), { qos: 0 }, (error) => {
        if (error && !this.closed) log(`mqtt fleet: could not subscribe to ${root}/+/state (${error.message}); the Stations screen needs this station's broker user to read the others' state`);
      });
    });
    client.on('message', (topic, payload) => {
      const next = reduceFleet(this.fleet, root, { topic, payload }, Date.now(), log);
      if (next === this.fleet) return;
      this.fleet = next;
      this.timer ??= setTimeout(() => {
        this.timer = null;
        if (!this.closed) this.options.show(this.fleet);
      }, PUSH_EVERY_MS);
    });
    // The publisher reports the broker's trouble; this connection keeps quiet about it.
    client.on('error', () => {});
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const client = this.client;
    this.client = null;
    if (client) await client.endAsync(true).catch(() => {});
  }
}
