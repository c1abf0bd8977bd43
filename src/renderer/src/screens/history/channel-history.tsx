import { useMemo } from 'react';
import type { Channel } from '../../../../shared/station';
import { useUnits } from '../../units';
import { HISTORY_WINDOWS, type HistoryWindow } from '../../../../shared/history';
import { HistoryChart } from './chart';
import { describeHistory, summarise } from './chart-data';
import { channelScale, convertPoints } from './channel-scale';
import { useChannelHistory } from './use-history';

interface ChannelHistoryProps {
  channel: Channel;
  window: HistoryWindow;
  asOf: number;
}

export function ChannelHistory({ channel, window, asOf }: ChannelHistoryProps) {
  const load = useChannelHistory(channel.id, window, asOf);
  const system = useUnits((units) => units.system);
  const { unit, format, convert } = useMemo(() => channelScale(channel, system), [channel, system]);
  const history = load.state === 'ready' ? load.history : load.state === 'loading' ? load.last : null;
  const points = useMemo(() => (history ? convertPoints(history.points, convert) : undefined), [history, convert]);
  const summary = useMemo(() => (points ? summarise(points) : null), [points]);
  const name = channel.name || channel.id;
  const label = HISTORY_WINDOWS[window].label;
  const headingId = `history-${channel.id}`;

  return (
    <section className="panel channel-history" aria-labelledby={headingId} aria-busy={load.state === 'loading'}>
      <div className="section-head">
        <h2 id={headingId}>{name}</h2>
        {summary && (
          <p className="row-note">
            {format(summary.min)}–{format(summary.max)} {unit} · latest {format(summary.latest)} {unit}
            {history?.downsampled ? ' · averaged' : ''}
          </p>
        )}
      </div>
      {load.state === 'failed' && (
        <p className="field-problem" role="alert">
          {load.message}
        </p>
      )}
      {load.state === 'loading' && !history && <p className="empty">Loading…</p>}
      {history && points && points.length === 0 && <p className="empty">No readings in the last {label}.</p>}
      {points && points.length > 0 && <HistoryChart points={points} name={name} unit={unit} description={describeHistory(name, label, summary, format, unit)} />}
    </section>
  );
}
