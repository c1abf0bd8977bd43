import { useEffect, useMemo, useState } from 'react';
import type { ChannelHistory } from '../../../../shared/history';
import type { Channel } from '../../../../shared/station';
import { isSensor } from '../../format';
import { useStationStore } from '../../store';
import { followLive, type LiveSample } from './chart-data';

/**
 * The channel's newest value from the live state: a sensor's reading at its own time, a flow
 * meter's rate at the station's clock, since flow updates carry no time (the station records
 * them the same way).
 */
export function useLiveSample(channel: Channel): LiveSample | null {
  const reading = useStationStore((s) => (isSensor(channel) ? s.station?.readings[channel.id] : undefined));
  const flow = useStationStore((s) => (channel.kind === 'flow' ? s.station?.flows[channel.id] : undefined));
  const clockOffsetMs = useStationStore((s) => s.clockOffsetMs);
  // Each flow update is a new object, so a steady rate still moves the chart along.
  return useMemo(() => {
    if (reading) return { at: reading.at, value: reading.value };
    if (flow) return { at: Date.now() + clockOffsetMs, value: flow.rate };
    return null;
  }, [reading, flow, clockOffsetMs]);
}

/**
 * The fetched history with the live samples that arrived since, at most one a second, the
 * oldest sliding out of the window: the chart follows the station while the screen is open.
 * A fresh fetch starts again from what the station recorded.
 */
export function useFollowedPoints(history: ChannelHistory | null, sample: LiveSample | null, windowMs: number): ReadonlyArray<[number, number]> | null {
  const [followed, setFollowed] = useState<{ base: ChannelHistory | null; points: ReadonlyArray<[number, number]> }>({ base: null, points: [] });
  useEffect(() => {
    if (!history || !sample) return;
    setFollowed((previous) => {
      const points = previous.base === history ? previous.points : history.points;
      const next = followLive(points, sample, sample.at - windowMs);
      return next === points && previous.base === history ? previous : { base: history, points: next };
    });
  }, [history, sample, windowMs]);
  if (!history) return null;
  return followed.base === history ? followed.points : history.points;
}
