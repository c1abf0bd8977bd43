/**
 * Which channel does what in a tank. A grower can say so in the settings (`tanks[].plumbing`);
 * anything left out is worked out from the channel table by kind and name, which is enough for a
 * station wired the common way (one fill valve with its flow meter, one probe of each kind,
 * "pH up"/"pH down" pumps, the remaining pumps nutrients in id order).
 */
import type { Channel, Tank, TankPlumbing } from './station';

export const DEFAULT_HEADROOM_L = 5;
/** A drain leaves at least this share of the capacity when the tank sets no floorL. */
export const DEFAULT_FLOOR_FRACTION = 0.2;

/** The litres a fill never goes past: capacity less headroom. */
export function fillLimitOf(tank: Tank): number {
  return tank.capacityL - (tank.headroomL ?? DEFAULT_HEADROOM_L);
}

/** The litres a drain never goes below, so pumps stay primed and roots stay wet. */
export function floorOf(tank: Tank): number {
  return tank.floorL ?? Math.round(tank.capacityL * DEFAULT_FLOOR_FRACTION * 10) / 10;
}

export interface ResolvedPlumbing extends TankPlumbing {
  nutrients: string[];
}

function words(channel: Channel): string {
  return `${channel.id} ${channel.name}`.toLowerCase().replace(/[_-]/g, ' ');
}

export function resolvePlumbing(tank: Tank, channels: readonly Channel[]): ResolvedPlumbing {
  const mine = channels.filter((channel) => tank.channelIds.includes(channel.id));
  const ofKind = (kind: Channel['kind']) => mine.filter((channel) => channel.kind === kind);
  const named = (kind: Channel['kind'], pattern: RegExp) => ofKind(kind).find((channel) => pattern.test(words(channel)))?.id;
  const given = tank.plumbing ?? {};
  const pumps = ofKind('pump');
  const phUp = given.phUp ?? named('pump', /\bph\s*up\b|\bbase\b/);
  const phDown = given.phDown ?? named('pump', /\bph\s*down\b|\bacid\b/);
  return {
    fillValve: given.fillValve ?? named('relay', /\bfill\b|\binlet\b/),
    drainValve: given.drainValve ?? named('relay', /\bdrain\b|\boutlet\b|\bdump\b/),
    flowMeter: given.flowMeter ?? ofKind('flow')[0]?.id,
    levelSensor: given.levelSensor ?? ofKind('level')[0]?.id,
    circulation: given.circulation ?? named('relay', /\bcirculation\b|\brecirc/) ?? named('relay', /\bmixer\b|\bmix\b/),
    phSensor: given.phSensor ?? ofKind('ph')[0]?.id,
    ecSensor: given.ecSensor ?? ofKind('ec')[0]?.id,
    phUp,
    phDown,
    nutrients:
      given.nutrients ??
      pumps
        .map((pump) => pump.id)
        .filter((id) => id !== phUp && id !== phDown)
        .sort(),
  };
}

/** The tank a channel belongs to, if any. */
export function tankOfChannel(tanks: readonly Tank[], channelId: string): Tank | undefined {
  return tanks.find((tank) => tank.channelIds.includes(channelId));
}

/**
 * The tank whose water comes in through `relayId`, if it is a fill valve. A fill valve opens only
 * in a Fill job, which measures the water and stops at the tank's headroom: switched on by hand,
 * by a mix or by a light timer, nothing would close it before the tank overflowed.
 */
export function tankFilledBy(tanks: readonly Tank[], channels: readonly Channel[], relayId: string): Tank | undefined {
  return tanks.find((tank) => tank.channelIds.includes(relayId) && resolvePlumbing(tank, channels).fillValve === relayId);
}

/**
 * The tank that empties through `relayId`, if it is a drain valve. It opens only in a Drain job,
 * which watches the level and closes it at the tank's floor: switched on by hand, by a mix or by a
 * light timer, nothing would close it before the tank ran dry and the pumps ran without water.
 */
export function tankDrainedBy(tanks: readonly Tank[], channels: readonly Channel[], relayId: string): Tank | undefined {
  return tanks.find((tank) => tank.channelIds.includes(relayId) && resolvePlumbing(tank, channels).drainValve === relayId);
}

/** Whether a relay is a tank's fill or drain valve, which only their jobs may open. */
export function valveRole(tanks: readonly Tank[], channels: readonly Channel[], relayId: string): { role: 'fill' | 'drain'; tank: Tank } | undefined {
  const filled = tankFilledBy(tanks, channels, relayId);
  if (filled) return { role: 'fill', tank: filled };
  const drained = tankDrainedBy(tanks, channels, relayId);
  return drained ? { role: 'drain', tank: drained } : undefined;
}
