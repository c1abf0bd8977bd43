import type { TendrilBridge } from '../../../shared/bridge';
import type { ConnectionStatus, StationTransport } from './types';

/** Inside Electron: main pushes every change; main and renderer share one clock. */
export function ipcTransport(bridge: TendrilBridge): StationTransport {
  let unsubscribe: (() => void) | null = null;
  let stopped = false;

  return {
    mode: 'desktop',
    start(onState, onStatus) {
      stopped = false;
      const status = (state: ConnectionStatus['state'], detail: string | null = null): void =>
        onStatus({ state, mode: 'desktop', detail });
      status('connecting');

      // Subscribe first so no change is lost; a push that beats the snapshot is newer than it.
      let pushed = false;
      unsubscribe = bridge.onState((state) => {
        pushed = true;
        onState({ state, clockOffsetMs: 0 });
      });
      bridge.getState().then(
        (state) => {
          if (stopped) return;
          if (!pushed) onState({ state, clockOffsetMs: 0 });
          status('connected');
        },
        (error: unknown) => {
          if (!stopped) status('disconnected', `the app could not read the station: ${String(error)}`);
        },
      );
    },
    stop() {
      stopped = true;
      unsubscribe?.();
      unsubscribe = null;
    },
  };
}
