/**
 * Which probes describe a tank, and how full it is. The station's settings may name them in the
 * tank's plumbing; otherwise the first probe of each kind among the tank's channels is taken,
 * the same way the job engine picks them.
 */
import type { Channel, Reading, SensorKind, Tank } from '../../../../shared/station';
import { isSensor } from '../../format';

export type SensorChannel = Channel & { kind: SensorKind };

/** The order a grower reads a tank in: how much water, then what is in it. */
export const TANK_SENSOR_ORDER: readonly SensorKind[] = ['level', 'ec', 'ph', 'temp'];

const PLUMBED: Record<SensorKind, 'levelSensor' | 'ecSensor' | 'phSensor' | null> = {
  level: 'levelSensor',
  ec: 'ecSensor',
  ph: 'phSensor',
  temp: null,
};

export function tankSensors(tank: Tank, channels: readonly Channel[]): Partial<Record<SensorKind, SensorChannel>> {
  const sensors = channels.filter(isSensor);
  const found: Partial<Record<SensorKind, SensorChannel>> = {};
  for (const kind of TANK_SENSOR_ORDER) {
    const named = PLUMBED[kind] && tank.plumbing?.[PLUMBED[kind]];
    const channel = named
      ? sensors.find((sensor) => sensor.id === named)
      : sensors.find((sensor) => sensor.kind === kind && tank.channelIds.includes(sensor.id));
    if (channel) found[kind] = channel;
  }
  return found;
}

/** Probes that belong to no tank: still worth showing, under their own heading. */
export function sensorsWithoutTank(tanks: readonly Tank[], channels: readonly Channel[]): SensorChannel[] {
  const served = new Set<string>();
  for (const tank of tanks) {
    for (const id of tank.channelIds) served.add(id);
    for (const channel of Object.values(tankSensors(tank, channels))) served.add(channel.id);
  }
  return channels.filter(isSensor).filter((channel) => !served.has(channel.id));
}

/**
 * How much water the tank holds, from its level probe. The probe reports litres (the protocol's
 * default) or a percentage of the capacity; any other unit cannot be turned into a volume. A
 * tank cannot hold less than nothing: a reading below zero is shown as empty and flagged, since
 * it says the sensor is wrong, not the tank.
 */
export function tankContents(tank: Tank, probe: Channel | undefined, reading: Reading | null): { liters: number; fraction: number; belowEmpty: boolean } | null {
  if (!probe || !reading || !(tank.capacityL > 0)) return null;
  const unit = (probe.unit ?? 'L').trim();
  let liters: number;
  if (unit === 'L' || unit === 'l') liters = reading.value;
  else if (unit === '%') liters = (reading.value / 100) * tank.capacityL;
  else return null;
  const belowEmpty = liters < 0;
  if (belowEmpty) liters = 0;
  return { liters, fraction: Math.min(1, Math.max(0, liters / tank.capacityL)), belowEmpty };
}
