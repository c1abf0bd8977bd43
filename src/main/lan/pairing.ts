/**
 * Pairing links: the ones printed at start, and the ones Settings makes. A phone opens one, and
 * the web UI keeps the token and strips it from the address bar. The tokens themselves are in
 * access/, which uses these links and is never used by them.
 */
import { networkInterfaces } from 'node:os';

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
