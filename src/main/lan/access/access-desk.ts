/**
 * What the Settings screen does with pairing: list the screens that may use the station, pair a
 * new one, and revoke one. The secrets stay in the TokenStore; a new one leaves here once, inside
 * the links its screen opens. The door for commands owns the shape of this desk; it is built here
 * because the tokens live here.
 */
import type { AccessDesk } from '../../control';
import { Refusal } from '../../../shared/refusal';
import { pairingUrl } from '../pairing';
import type { TokenStore } from './tokens';

/**
 * @param origins Where the LAN server answers now, or null while it is not listening: a link to
 *   nowhere would only confuse whoever scans it.
 */
export function accessDesk(store: TokenStore, origins: () => string[] | null): AccessDesk {
  return {
    tokens: () => store.list(),
    pair(role, label) {
      const where = origins();
      if (!where || where.length === 0) {
        throw new Refusal('NOT_READY', 'the LAN server is not running, so a new screen has nowhere to connect; switch it on first');
      }
      const { token, info } = store.create(role, label);
      return { token: info, links: where.map((origin) => pairingUrl(origin, token)) };
    },
    revoke(tokenId) {
      const info = store.list().find((token) => token.id === tokenId);
      if (!info) throw new Refusal('NOT_FOUND', `there is no token ${tokenId}; it may have been revoked already`);
      store.revoke(tokenId);
      return info;
    },
  };
}
