/**
 * Turning the handshake's answers into station facts. Pure functions of the fields the device
 * sent, so every malformed answer can be tested without a port.
 */
import { num, type Fields, PROTOCOL_MAJOR } from '../protocol';
import { CHANNEL_KINDS, type Channel, type ChannelKind, type DeviceIdentity, type FlowState, type PumpState, type RelayState } from '../../shared/station';

export class HandshakeError extends Error {
  /** True when retrying cannot help: a person has to update the firmware or Tendril. */
  constructor(message: string, readonly permanent: boolean) {
    super(message);
  }
}

export function parseIdentity(fields: Fields): DeviceIdentity {
  const { device, fw, proto, serial } = fields;
  if (!device || !fw || !proto || !serial) {
    throw new HandshakeError('the controller answered HELLO without its identity (device, fw, proto, serial)', false);
  }
  const major = Number(proto.split('.')[0]);
  if (major !== PROTOCOL_MAJOR) {
    throw new HandshakeError(
      `the controller speaks protocol ${proto}, Tendril speaks ${PROTOCOL_MAJOR}.x: update the controller's firmware or Tendril so they match`,
      true,
    );
  }
  const window = num(fields, 'window');
  const watchdogMs = num(fields, 'watchdog');
  return {
    device,
    firmware: fw,
    protocol: proto,
    serial,
    window: Number.isInteger(window) && window >= 1 ? Math.min(window, 8) : 1,
    watchdogMs: Number.isFinite(watchdogMs) ? watchdogMs : 3000,
  };
}

const KNOWN_KINDS: ReadonlySet<string> = new Set(CHANNEL_KINDS);

export interface ChannelTable {
  channels: Channel[];
  /** Rows of kinds this version does not know; they are ignored, as the protocol asks. */
  ignored: string[];
}

export function parseChannelRows(rows: Fields[]): ChannelTable {
  const channels: Channel[] = [];
  const ignored: string[] = [];
  for (const row of rows) {
    const { ch, kind } = row;
    if (!ch || !kind) continue;
    if (!KNOWN_KINDS.has(kind)) {
      ignored.push(`${ch} (${kind})`);
      continue;
    }
    const channel: Channel = { id: ch, kind: kind as ChannelKind, name: row.name || ch };
    if (row.unit) channel.unit = row.unit;
    const maxMl = num(row, 'maxml');
    const maxMs = num(row, 'maxms');
    const maxPulses = num(row, 'maxpulses');
    if (Number.isFinite(maxMl)) channel.maxMl = maxMl;
    if (Number.isFinite(maxMs)) channel.maxMs = maxMs;
    if (Number.isFinite(maxPulses)) channel.maxPulses = maxPulses;
    channels.push(channel);
  }
  return { channels, ignored };
}

export interface ChannelStates {
  relays: Record<string, RelayState>;
  pumps: Record<string, PumpState>;
  flows: Record<string, FlowState>;
  readings: Record<string, number>;
}

export function parseStateRows(channels: Channel[], rows: Fields[]): ChannelStates {
  const byId = new Map(channels.map((c) => [c.id, c]));
  const states: ChannelStates = { relays: {}, pumps: {}, flows: {}, readings: {} };
  for (const row of rows) {
    const channel = row.ch ? byId.get(row.ch) : undefined;
    if (!channel) continue;
    switch (channel.kind) {
      case 'relay':
        states.relays[channel.id] = { on: row.on === '1', why: 'state' };
        break;
      case 'pump':
        states.pumps[channel.id] = { running: row.run === '1', ml: num(row, 'ml') || 0, target: num(row, 'target') || 0 };
        break;
      case 'flow':
        states.flows[channel.id] = { pulses: num(row, 'pulses') || 0, rate: num(row, 'rate') || 0 };
        break;
      default: {
        const value = num(row, 'v');
        if (Number.isFinite(value)) states.readings[channel.id] = value;
      }
    }
  }
  return states;
}
