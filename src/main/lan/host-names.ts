/**
 * The names this server answers to. A browser trusts a page's origin by its name alone, so a
 * page from `evil.example` whose name is later pointed at the station's address (DNS
 * rebinding) would be "same origin" with the station, and the origin rule would let it in. What
 * the browser cannot fake is the name it asked for: the Host header. So every request must name
 * this station: one of its own addresses, a loopback name, or a name the grower configured
 * (`hostNames` in the lan section of settings.json, for a reverse proxy or a local DNS name).
 *
 * Names are compared without their port: a port forwarded from elsewhere is still this station,
 * and a rebinding page cannot make a browser send a name it does not own.
 */
import type { IncomingMessage } from 'node:http';

const LOOPBACK = new Set(['localhost', '[::1]']);

/** The name in a Host header or an origin, lowercased, without port or a final dot; null if it is not a name. */
export function hostName(hostOrOrigin: string): string | null {
  try {
    const url = new URL(hostOrOrigin.includes('://') ? hostOrOrigin : `http://${hostOrOrigin}`);
    if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '')) return null;
    return url.hostname.replace(/\.$/, '').toLowerCase() || null;
  } catch {
    return null;
  }
}

function isLoopback(name: string): boolean {
  return LOOPBACK.has(name) || /^127\.\d+\.\d+\.\d+$/.test(name);
}

export class HostNames {
  private readonly configured: Set<string>;
  private own = new Set<string>();

  /**
   * @param configured names the grower added, such as "grow.example.com"
   * @param origins where the server is reached now (as the LAN status lists them); asked again
   *   when a name is not known, since the machine's addresses can change while it runs
   */
  constructor(
    configured: readonly string[],
    private readonly origins: () => readonly string[],
  ) {
    this.configured = new Set(configured.map((name) => hostName(name)).filter((name): name is string => name !== null));
  }

  /** Whether the Host header names this station. A request without one names nothing. */
  allows(host: string | undefined): boolean {
    const name = host === undefined ? null : hostName(host);
    if (name === null) return false;
    if (isLoopback(name) || this.configured.has(name) || this.own.has(name)) return true;
    this.own = new Set(this.origins().map((origin) => hostName(origin)).filter((known): known is string => known !== null));
    return this.own.has(name);
  }

  allowsRequest(req: IncomingMessage): boolean {
    return this.allows(req.headers.host);
  }

  /** Why a request was refused, and what to do about it. */
  refusal(host: string | undefined): string {
    if (host === undefined || host === '') return 'this request names no host (no Host header); open Tendril at the address it prints';
    return `this station does not answer to the name "${host.slice(0, 100)}"; open it at the address Tendril prints, or add the name to "hostNames" in the "lan" section of settings.json`;
  }
}
