/**
 * One station on the broker in the words of the Stations screen. Pure, for tests: the screen
 * only lays these out.
 */
import type { FleetStation } from '../../../../shared/station';
import { formatReading } from '../../format';
import { formatLiters, type UnitSystem } from '../../units';
import { volumesIn } from '../../volume-words';

export interface FleetCard {
  /** "online", "offline", or "not heard yet". */
  presence: 'online' | 'offline' | 'unknown';
  presenceWords: string;
  /** The controller link, or the stop latch, which matters more. */
  status: string;
  ec: string;
  ph: string;
  level: string;
  job: string;
  alerts: string;
}

const LINK_WORDS: Record<string, string> = {
  ready: 'controller connected',
  connecting: 'controller connecting',
  handshaking: 'controller connecting',
  disconnected: 'controller not connected',
  error: 'controller link lost',
};

export function fleetCard(station: FleetStation, system: UnitSystem): FleetCard {
  const presence = station.online === true ? 'online' : station.online === false ? 'offline' : 'unknown';
  return {
    presence,
    // Offline: what follows is what it said last, and the screen says so.
    presenceWords: presence === 'online' ? 'online' : presence === 'offline' ? 'offline (showing what it last said)' : 'not heard yet',
    status: station.estop ? 'emergency stop latched' : station.link === null ? 'no state yet' : (LINK_WORDS[station.link] ?? `controller ${station.link}`),
    ec: station.ec === null ? '–' : `${formatReading('ec', station.ec)} mS/cm`,
    ph: station.ph === null ? '–' : formatReading('ph', station.ph),
    level:
      station.levelL === null
        ? '–'
        : station.capacityL
          ? `${formatLiters(station.levelL, system)} of ${formatLiters(station.capacityL, system)}`
          : formatLiters(station.levelL, system),
    job: station.runningJob === null ? 'idle' : volumesIn(station.runningJob, system),
    alerts: station.unreadAlerts === null ? '–' : station.unreadAlerts === 0 ? 'none waiting' : `${station.unreadAlerts} waiting`,
  };
}
