import { create } from 'zustand';
import type { StationState } from '../../shared/station';
import type { ConnectionStatus, StationTransport } from './transport/types';

interface StationStore {
  /** The latest state from the station; null until the first one arrives. */
  station: StationState | null;
  connection: ConnectionStatus;
  /** The station's clock minus ours; see StationUpdate. */
  clockOffsetMs: number;
}

export const useStationStore = create<StationStore>()(() => ({
  station: null,
  connection: { state: 'connecting', mode: 'polling', detail: null },
  clockOffsetMs: 0,
}));

/** Feeds the store from a transport; returns the function that stops it. */
export function connectStation(transport: StationTransport): () => void {
  useStationStore.setState({ connection: { state: 'connecting', mode: transport.mode, detail: null } });
  transport.start(
    ({ state, clockOffsetMs }) => useStationStore.setState({ station: state, clockOffsetMs }),
    (connection) => useStationStore.setState({ connection }),
  );
  return () => transport.stop();
}
