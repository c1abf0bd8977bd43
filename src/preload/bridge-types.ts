/**
 * What the renderer sees of the preload script. The renderer compiles against this file only;
 * `window.tendril` is absent in a LAN browser, which is how it knows to use the network.
 */
import type { TendrilBridge } from '../shared/bridge';

declare global {
  interface Window {
    tendril?: TendrilBridge;
  }
}

export {};
