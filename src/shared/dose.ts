/**
 * What the controller's channel table allows one dose: which channels are pumps, and how much a
 * pump may dose at once (its maxMl). The controller enforces this too; the station checks it
 * before sending and the screens before the grower confirms, all with these same words.
 */
import type { Channel } from './station';

/** The pump `id` names, or undefined when the controller has no such channel or it is not a pump. */
export function pumpOf<C extends Pick<Channel, 'id' | 'kind'>>(channels: readonly C[], id: string): C | undefined {
  return channels.find((channel) => channel.id === id && channel.kind === 'pump');
}

const round = (ml: number) => Math.round(ml * 100) / 100;

/** Why the pump's own bound refuses a dose of `ml`, or null when it allows it (or sets none). */
export function pumpBoundRefusal(pump: Pick<Channel, 'name' | 'maxMl'>, ml: number): string | null {
  if (pump.maxMl === undefined || ml <= pump.maxMl) return null;
  return `${pump.name} doses at most ${round(pump.maxMl)} mL at a time, not ${round(ml)} mL; dose less`;
}
