import { useEffect, useState } from 'react';
import { HISTORY_WINDOWS, readHistory, windowQuery, type ChannelHistory, type HistoryWindow } from '../../../../shared/history';
import { historyPath } from '../../../../shared/records';
import { records } from './history-source';

export type HistoryLoad = { state: 'loading'; last: ChannelHistory | null } | { state: 'ready'; history: ChannelHistory } | { state: 'failed'; message: string };

/** One channel's history over a window ending at `asOf`; a new `asOf` asks again. */
export function useChannelHistory(channel: string, window: HistoryWindow, asOf: number): HistoryLoad {
  const [load, setLoad] = useState<HistoryLoad>({ state: 'loading', last: null });
  useEffect(() => {
    let current = true;
    // The chart keeps showing what it had while a refresh is on its way.
    setLoad((previous) => ({ state: 'loading', last: shown(previous, channel) }));
    void records()
      .get(historyPath(windowQuery(channel, window, asOf)))
      .then((answer) => {
        if (!current) return;
        // A channel the station has kept nothing for yet (a meter that has not run) is empty, not broken.
        if (!answer.ok && answer.status === 404) return setLoad({ state: 'ready', history: { channel, from: asOf - HISTORY_WINDOWS[window].ms, to: asOf, points: [], downsampled: false } });
        if (!answer.ok) return setLoad({ state: 'failed', message: answer.message });
        const history = readHistory(answer.body);
        setLoad(history ? { state: 'ready', history } : { state: 'failed', message: 'the station sent history this screen cannot read' });
      });
    return () => {
      current = false;
    };
  }, [channel, window, asOf]);
  return load;
}

function shown(load: HistoryLoad, channel: string): ChannelHistory | null {
  const history = load.state === 'ready' ? load.history : load.state === 'loading' ? load.last : null;
  return history?.channel === channel ? history : null;
}
