/**
 * What the simulated station is made of: its channel table (what CHANNELS reports) plus the
 * physical facts the model needs (which valve feeds which flow meter, true pump rates).
 */
import type { FieldValues } from '../protocol';
import type { ChannelKind, SensorKind } from '../../shared/station';

export type RelayRole = 'fill' | 'drain' | 'mixing' | 'other';
export type Chemical = 'nutrient' | 'ph_up' | 'ph_down';

export interface RelaySpec {
  id: string;
  name: string;
  role: RelayRole;
  /** The longest one SET or FILL may keep it on; valves have one so a lost host cannot flood. */
  maxMs?: number;
}

export interface PumpSpec {
  id: string;
  name: string;
  doses: Chemical;
  maxMl: number;
  maxMs: number;
  /** What the pump really delivers; the host only knows its own calibration. */
  trueMlPerS: number;
}

export interface FlowSpec {
  id: string;
  name: string;
  /** The valve whose water passes through this meter. */
  line: string;
  pulsesPerL: number;
  maxPulses: number;
  /** Flow through the open line, litres per minute. */
  lpm: number;
}

export interface SensorSpec {
  id: string;
  name: string;
  kind: SensorKind;
  unit: string;
  decimals: number;
  /** Standard deviation of the reading noise, in the sensor's unit. */
  noise: number;
}

export interface StationLayout {
  tank: { capacityL: number; startL: number; spillL: number; drainLpm: number };
  relays: RelaySpec[];
  pumps: PumpSpec[];
  flows: FlowSpec[];
  sensors: SensorSpec[];
}

export function defaultLayout(): StationLayout {
  return {
    tank: { capacityL: 100, startL: 60, spillL: 5, drainLpm: 10 },
    relays: [
      { id: 'fill', name: 'Fill valve', role: 'fill', maxMs: 900_000 },
      { id: 'drain', name: 'Drain valve', role: 'drain', maxMs: 900_000 },
      { id: 'mixer', name: 'Mixer', role: 'mixing' },
      { id: 'circulation', name: 'Circulation pump', role: 'mixing' },
      { id: 'lights', name: 'Lights', role: 'other' },
      { id: 'air', name: 'Air pump', role: 'other' },
    ],
    pumps: [
      { id: 'nut_a', name: 'Nutrient A', doses: 'nutrient', maxMl: 250, maxMs: 300_000, trueMlPerS: 1.2 },
      { id: 'nut_b', name: 'Nutrient B', doses: 'nutrient', maxMl: 250, maxMs: 300_000, trueMlPerS: 1.2 },
      { id: 'ph_up', name: 'pH up', doses: 'ph_up', maxMl: 250, maxMs: 300_000, trueMlPerS: 1.2 },
      { id: 'ph_down', name: 'pH down', doses: 'ph_down', maxMl: 250, maxMs: 300_000, trueMlPerS: 1.2 },
    ],
    flows: [{ id: 'flow1', name: 'Fill line', line: 'fill', pulsesPerL: 450, maxPulses: 200_000, lpm: 8 }],
    sensors: [
      { id: 'ec1', name: 'EC', kind: 'ec', unit: 'mS/cm', decimals: 2, noise: 0.01 },
      { id: 'ph1', name: 'pH', kind: 'ph', unit: 'pH', decimals: 2, noise: 0.01 },
      { id: 'temp1', name: 'Water temperature', kind: 'temp', unit: 'C', decimals: 1, noise: 0.05 },
      { id: 'level1', name: 'Tank level', kind: 'level', unit: 'L', decimals: 1, noise: 0.1 },
    ],
  };
}

export type ChannelSpec =
  | { kind: 'relay'; spec: RelaySpec }
  | { kind: 'pump'; spec: PumpSpec }
  | { kind: 'flow'; spec: FlowSpec }
  | { kind: SensorKind; spec: SensorSpec };

/** Every channel by id, in the stable order CHANNELS and STATE report them. */
export function channelIndex(layout: StationLayout): Map<string, ChannelSpec> {
  const index = new Map<string, ChannelSpec>();
  for (const spec of layout.relays) index.set(spec.id, { kind: 'relay', spec });
  for (const spec of layout.pumps) index.set(spec.id, { kind: 'pump', spec });
  for (const spec of layout.flows) index.set(spec.id, { kind: 'flow', spec });
  for (const spec of layout.sensors) index.set(spec.id, { kind: spec.kind, spec });
  return index;
}

export function channelRow(channel: ChannelSpec): FieldValues {
  const kind: ChannelKind = channel.kind;
  const head = { ch: channel.spec.id, kind, name: channel.spec.name };
  switch (channel.kind) {
    case 'relay':
      return { ...head, maxms: channel.spec.maxMs };
    case 'pump':
      return { ...head, maxml: channel.spec.maxMl, maxms: channel.spec.maxMs };
    case 'flow':
      return { ...head, maxpulses: channel.spec.maxPulses };
    default:
      return { ...head, unit: channel.spec.unit };
  }
}
