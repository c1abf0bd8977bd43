import { useMemo } from 'react';
import type { Channel, ChannelKind } from '../../../shared/station';
import { useStationStore } from '../store';

/** The station's channels of one kind, in the order the controller reports them. */
export function useChannels(kind: ChannelKind): Channel[] {
  const channels = useStationStore((s) => s.station?.channels);
  return useMemo(() => (channels ?? []).filter((channel) => channel.kind === kind), [channels, kind]);
}
