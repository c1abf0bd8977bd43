/**
 * Which links the desktop window may hand to the system browser: another station's own screens,
 * from the Stations screen. The address comes from that station's state on the broker, which
 * anyone who may publish there can write, so only a plain web address goes out: http or https,
 * a host, no user name or password in it (a link that logs in as someone), nothing overlong.
 * Everything else (file:, javascript:, a custom scheme that starts a program) is dropped.
 */

const MAX_LINK_LENGTH = 2048;

/** The address to open in the system browser, or null when it is not one to open. */
export function externalLink(text: string): string | null {
  if (text.length > MAX_LINK_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!url.hostname || url.username || url.password) return null;
  return url.toString();
}
