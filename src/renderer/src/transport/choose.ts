import { httpPollingTransport } from './http-polling';
import { ipcTransport } from './ipc';
import { takePairingToken } from './pairing';
import type { StationTransport } from './types';

/**
 * The preload script defines `window.tendril` only inside the desktop app; anywhere else this
 * page was served by the LAN server, whose API sits next to it.
 */
export function chooseTransport(page: Window): StationTransport {
  if (page.tendril) return ipcTransport(page.tendril);
  return httpPollingTransport({ stateUrl: new URL('api/state', page.location.href).href, token: takePairingToken(page) });
}
