import { create } from 'zustand';
import type { Command } from '../../shared/commands';
import type { StationState } from '../../shared/station';
import { setCommandDelivery, watchWaitingCommands } from './commands';
import { carriesCommands, type ConnectionStatus, type ScreenRole, type StationTransport } from './transport/types';

interface StationStore {
  /** The latest state from the station; null until the first one arrives. */
  station: StationState | null;
  connection: ConnectionStatus;
  /** The station's clock minus ours; see StationUpdate. */
  clockOffsetMs: number;
  /**
   * What this screen may do: the desktop app and operator tokens control the station, a viewer
   * token only watches (and may still press the emergency stop). Null until the station says;
   * while only polling works, the role from the last live connection.
   */
  role: ScreenRole | null;
  /** Commands waiting for the connection to come back. */
  pendingCommands: number;
  /** An emergency stop is among them: it has not reached the station yet. */
  estopWaiting: boolean;
}

export const useStationStore = create<StationStore>()(() => ({
  station: null,
  connection: { state: 'connecting', mode: 'polling', detail: null },
  clockOffsetMs: 0,
  role: null,
  pendingCommands: 0,
  estopWaiting: false,
}));

let connected: StationTransport | null = null;

/**
 * Feeds the store from a transport, and sends commands through it while it carries them;
 * returns the function that stops it.
 */
export function connectStation(transport: StationTransport): () => void {
  connected = transport;
  const deliver = (command: Command) => transport.command(command);
  useStationStore.setState({ connection: { state: 'connecting', mode: transport.mode, detail: null } });
  const stopWatching = watchWaitingCommands(({ waiting, estopWaiting }) => useStationStore.setState({ pendingCommands: waiting, estopWaiting }));
  transport.start(
    ({ state, clockOffsetMs, role }) => useStationStore.setState((store) => ({ station: state, clockOffsetMs, role: role ?? store.role })),
    (connection) => {
      useStationStore.setState({ connection });
      setCommandDelivery(carriesCommands(connection) ? deliver : null);
    },
  );
  return () => {
    // Commands first: what is in flight when the transport stops waits instead of being lost.
    setCommandDelivery(null);
    transport.stop();
    stopWatching();
    if (connected === transport) connected = null;
  };
}

/** Tries the station again now rather than at the end of the backoff: the "Reconnect" button. */
export function reconnectNow(): void {
  connected?.reconnect();
}
