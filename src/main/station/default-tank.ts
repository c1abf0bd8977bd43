/**
 * With no tanks configured, one tank holds whatever the controller reports, so every screen
 * (and every tank-following phone) sees the whole station.
 */
import type { Channel, Tank } from '../../shared/station';

/** The tank list for a new channel table, or null when the one tank already holds exactly these channels. */
export function defaultTanks(current: readonly Tank[], channels: readonly Pick<Channel, 'id'>[]): Tank[] | null {
  const channelIds = channels.map((channel) => channel.id);
  if (current.length === 1 && current[0]?.channelIds.join() === channelIds.join()) return null;
  return [{ id: 'main', name: 'Main tank', capacityL: 100, channelIds }];
}
