import { httpPollingTransport } from './http-polling';
import { ipcTransport } from './ipc';
import { takePairingToken } from './pairing';
import { socketTransport } from './socket';
import type { StationTransport } from './types';

/**
 * The preload script defines `window.tendril` only inside the desktop app; anywhere else this
 * page was served by the LAN server, whose live connection and API sit next to it.
 */
export function chooseTransport(page: Window): StationTransport {
  if (page.tendril) return ipcTransport(page.tendril);
  const token = takePairingToken(page);
  const name = screenName(page.navigator.userAgent);
  const api = (path: string): string => new URL(path, page.location.href).href;
  return socketTransport({
    origin: page.location.origin,
    token,
    name,
    fallback: httpPollingTransport({ stateUrl: api('api/state'), commandUrl: api('api/command'), token, name }),
  });
}

/** First match wins: tablets and phones before the desktop systems their agents also name. */
const DEVICES: Array<[RegExp, string]> = [
  [/iPhone/, 'iPhone'],
  [/iPad/, 'iPad'],
  [/Android.*Mobile/, 'Android phone'],
  [/Android/, 'Android tablet'],
  [/Windows/, 'Windows PC'],
  [/Macintosh/, 'Mac'],
  [/Linux/, 'Linux PC'],
];
/** Edge and Chrome also say "Safari", and Edge says "Chrome": the order matters. */
const BROWSERS: Array<[RegExp, string]> = [
  [/Edg\//, 'Edge'],
  [/Firefox\//, 'Firefox'],
  [/Chrome\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];

/** How this screen shows up in the station's list of viewers: the kind of device and browser. */
export function screenName(userAgent: string): string {
  const device = DEVICES.find(([pattern]) => pattern.test(userAgent))?.[1] ?? 'screen';
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  return browser ? `${device}, ${browser}` : device;
}
