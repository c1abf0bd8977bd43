import type { TendrilBridge } from '../../../shared/bridge';
import { FeedFollower } from '../../../shared/follow';
import type { ConnectionStatus, StationTransport } from './types';

/**
 * Inside Electron: main sends numbered event batches once per frame; this follows them from a
 * snapshot and fetches a new one on a gap. Main and renderer share one clock, and the window
 * at the station may do everything.
 */
export function ipcTransport(bridge: TendrilBridge): StationTransport {
  let unsubscribe: (() => void) | null = null;
  let stopped = false;
  let resyncNow: (() => void) | null = null;

  return {
    mode: 'desktop',
    start(onState, onStatus) {
      stopped = false;
      const status = (state: ConnectionStatus['state'], detail: string | null = null): void => onStatus({ state, mode: 'desktop', detail });
      const follower = new FeedFollower();
      let fetching = false;

      const publish = (): void => {
        const replica = follower.current;
        if (replica) onState({ state: replica.state, clockOffsetMs: 0, role: 'desktop' });
      };

      const resync = (): void => {
        if (fetching || stopped) return;
        fetching = true;
        bridge.snapshot().then(
          (snapshot) => {
            fetching = false;
            if (stopped) return;
            follower.start(snapshot);
            publish();
            status('connected');
          },
          (error: unknown) => {
            fetching = false;
            if (!stopped) status('disconnected', `the app could not read the station: ${String(error)}`);
          },
        );
      };

      status('connecting');
      // Subscribed before the snapshot is asked for, so nothing falls between the two; events
      // the snapshot already holds are recognised by their numbers and skipped.
      unsubscribe = bridge.onEvents((messages) => {
        const outcome = follower.take(messages);
        if (outcome === 'changed') publish();
        else if (outcome === 'resync') resync();
      });
      resyncNow = resync;
      resync();
    },
    stop() {
      stopped = true;
      resyncNow = null;
      unsubscribe?.();
      unsubscribe = null;
    },
    async command(command) {
      try {
        return await bridge.command(command);
      } catch (error) {
        // Main answers every command; a rejection means it broke while handling this one.
        return { ok: false, error: { code: 'INTERNAL', message: `the app failed while handling this command, which may or may not have acted: ${String(error)}` } };
      }
    },
    reconnect() {
      resyncNow?.();
    },
  };
}
