import type { BrokerLinkState } from '../../../shared/station';
import { formatAge, formatMoment } from '../format';

/** The broker link's state as a grower reads it beside the controller link. */
export interface BrokerWords {
  /** "connected", "connecting", "reconnecting" or "down". */
  state: string;
  /** What goes with it: since when it is down, and why. */
  detail: string;
}

/**
 * The MQTT broker link in words: "connected", "reconnecting (broker refused the password)",
 * "down since 14:02 (12 min): connection refused". Null while publishing to a broker is off, so
 * the status strip shows nothing for it.
 */
export function brokerWords(broker: BrokerLinkState | undefined, now: number): BrokerWords | null {
  if (!broker) return null;
  switch (broker.status) {
    case 'connected':
      return { state: 'connected', detail: broker.broker };
    case 'connecting':
      // The first attempt is "connecting"; every later one is the link coming back.
      return broker.reason === 'connecting'
        ? { state: 'connecting', detail: broker.broker }
        : { state: 'reconnecting', detail: broker.reason };
    case 'disconnected': {
      const since = `since ${formatMoment(broker.since, now)} (${formatAge(now - broker.since)})`;
      return { state: 'down', detail: broker.reason ? `${since}: ${broker.reason}` : since };
    }
  }
}
