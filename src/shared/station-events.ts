import type { Channel, DeviceIdentity, FlowState, LinkState, LinkStats, PumpState, RelayState, StationState } from './station';

/**
 * Everything that changes the station state. The link produces these from the wire; the one
 * reducer below applies them, in main and in every client alike.
 */
export type StationEvent =
  | { type: 'link'; link: LinkState }
  | {
      type: 'handshake';
      device: DeviceIdentity;
      channels: Channel[];
      relays: Record<string, RelayState>;
      pumps: Record<string, PumpState>;
      flows: Record<string, FlowState>;
      readings: Record<string, number>;
      estop: boolean;
      alarm: string | null;
      at: number;
    }
  | { type: 'relay'; channel: string; on: boolean; why: string }
  | { type: 'dose'; channel: string; ml: number; target: number; done: boolean; why: string | null }
  | { type: 'fill'; channel: string; pulses: number; target: number; done: boolean; why: string | null }
  | { type: 'flow'; channel: string; pulses: number; rate: number }
  | { type: 'reading'; channel: string; value: number; at: number }
  | { type: 'estop'; latched: boolean; source: string | null }
  | { type: 'alarm'; code: string; message: string; at: number }
  | { type: 'stats'; stats: LinkStats };

/**
 * A shallow copy spelled out field by field. V8 copies an object literal like this many times
 * faster than `{ ...state, key: value }`, and the reducer runs for every line the device sends.
 */
function copy(state: StationState): StationState {
  return {
    link: state.link,
    device: state.device,
    channels: state.channels,
    relays: state.relays,
    pumps: state.pumps,
    flows: state.flows,
    readings: state.readings,
    estop: state.estop,
    alarm: state.alarm,
    stats: state.stats,
  };
}

function withEntry<T>(map: Record<string, T>, key: string, value: T): Record<string, T> {
  const next = Object.assign({}, map);
  next[key] = value;
  return next;
}

export function reduceStation(state: StationState, event: StationEvent): StationState {
  const next = copy(state);
  switch (event.type) {
    case 'link':
      next.link = event.link;
      return next;
    case 'handshake': {
      const readings: StationState['readings'] = {};
      for (const id in event.readings) readings[id] = { value: event.readings[id]!, at: event.at };
      next.device = event.device;
      next.channels = event.channels;
      next.relays = event.relays;
      next.pumps = event.pumps;
      next.flows = event.flows;
      next.readings = readings;
      next.estop = { latched: event.estop, source: event.estop ? state.estop.source : null };
      next.alarm = event.alarm ? { code: event.alarm, message: `the controller reports alarm ${event.alarm}`, at: event.at } : null;
      return next;
    }
    case 'relay':
      next.relays = withEntry(state.relays, event.channel, { on: event.on, why: event.why });
      return next;
    case 'dose':
      next.pumps = withEntry(state.pumps, event.channel, { running: !event.done, ml: event.ml, target: event.target });
      return next;
    case 'fill':
      // A fill's valve arrives as its own relay event, and its count as flow events.
      return state;
    case 'flow':
      next.flows = withEntry(state.flows, event.channel, { pulses: event.pulses, rate: event.rate });
      return next;
    case 'reading':
      next.readings = withEntry(state.readings, event.channel, { value: event.value, at: event.at });
      return next;
    case 'estop':
      next.estop = { latched: event.latched, source: event.latched ? event.source : null };
      return next;
    case 'alarm':
      next.alarm = { code: event.code, message: event.message, at: event.at };
      return next;
    case 'stats':
      next.stats = event.stats;
      return next;
  }
}
