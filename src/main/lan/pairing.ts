/**
 * Pairing links: the ones printed at start, and the ones Settings makes. A phone opens one, and
 * the web UI keeps the token and strips it from the address bar.
 */
import { networkInterfaces } from 'node:os';
import type { Role } from '../../shared/station';
import type { TokenStore } from './access';

export const TOKEN_ENV: Record<Role, string> = {
  viewer: 'TENDRIL_VIEWER_TOKEN',
  operator: 'TENDRIL_OPERATOR_TOKEN',
};

/** Registers the tokens automation chose through the environment; returns any complaint. */
export function presetTokensFromEnv(tokens: TokenStore, env: NodeJS.ProcessEnv): string | null {
  for (const role of ['viewer', 'operator'] as const) {
    const secret = env[TOKEN_ENV[role]];
    if (secret === undefined || secret === '') continue;
    try {
      tokens.preset(role, secret, `${TOKEN_ENV[role]}`);
    } catch (err) {
      return `${TOKEN_ENV[role]}: ${(err as Error).message}`;
    }
  }
  return null;
}

/**
 * Where other devices can reach the server. Listening on every interface, loopback is useless
 * to a phone, so each LAN address gets its own link.
 */
export function reachableOrigins(listenUrl: string, host: string): string[] {
  const url = new URL(listenUrl);
  if (host !== '0.0.0.0' && host !== '::') return [url.origin];
  const origins: string[] = [];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.internal || address.family !== 'IPv4') continue;
      origins.push(`http://${address.address}:${url.port}`);
    }
  }
  return origins.length > 0 ? origins : [url.origin];
}

export function pairingUrl(origin: string, token: string): string {
  return `${origin}/?token=${encodeURIComponent(token)}`;
}
