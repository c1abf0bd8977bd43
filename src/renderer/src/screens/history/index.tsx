import { useEffect, useMemo, useState } from 'react';
import { HISTORY_WINDOWS, type HistoryWindow } from '../../../../shared/history';
import { useStationStore } from '../../store';
import { ChannelHistory } from './channel-history';
import { Exports } from './exports';
import { useRecordedMarks } from './use-marks';
import '../schedules/forms.css';
import './history.css';

/**
 * Charts follow the live state as readings arrive, and ask the station again this often for
 * what it recorded (the averages of a long window, the doses, fills and stops for the marks).
 */
const REFRESH_MS = 60_000;
const CHARTED = new Set(['ec', 'ph', 'temp', 'level', 'flow']);
const WINDOWS = Object.keys(HISTORY_WINDOWS) as HistoryWindow[];

export function HistoryScreen() {
  const allChannels = useStationStore((s) => s.station?.channels);
  const channels = useMemo(() => (allChannels ?? []).filter((channel) => CHARTED.has(channel.kind)), [allChannels]);
  const [window, setWindow] = useState<HistoryWindow>('24h');
  const [asOf, setAsOf] = useState(() => Date.now());
  const recorded = useRecordedMarks(window, asOf);

  useEffect(() => {
    const timer = setInterval(() => setAsOf(Date.now()), REFRESH_MS);
    return () => clearInterval(timer);
  }, [window]);

  return (
    <div className="screen-stack history-screen">
      <div className="panel history-controls">
        <fieldset className="window-picker">
          <legend>Show the last</legend>
          {WINDOWS.map((option) => (
            <label key={option}>
              <input
                type="radio"
                name="history-window"
                value={option}
                checked={window === option}
                onChange={() => {
                  setWindow(option);
                  setAsOf(Date.now());
                }}
              />
              {HISTORY_WINDOWS[option].label}
            </label>
          ))}
        </fieldset>
        <button type="button" onClick={() => setAsOf(Date.now())}>
          Refresh charts
        </button>
      </div>
      {channels.length === 0 && <p className="empty">No sensors or flow meters reported yet.</p>}
      <div className="charts">
        {channels.map((channel) => (
          <ChannelHistory key={channel.id} channel={channel} window={window} asOf={asOf} recorded={recorded} />
        ))}
      </div>
      <Exports channels={channels} window={window} />
    </div>
  );
}
