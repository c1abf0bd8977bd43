import { useMemo } from 'react';
import type { Channel } from '../../../../shared/station';
import { useUnits } from '../../units';
import { useStationStore } from '../../store';
import { HISTORY_WINDOWS, type HistoryWindow } from '../../../../shared/history';
import { HistoryChart } from './chart';
import { bandLegend, chartSpan, describeBand, describeHistory, summarise } from './chart-data';
import { channelScale, convertPoints } from './channel-scale';
import { MarkList } from './mark-list';
import { useChannelHistory } from './use-history';
import { useFollowedPoints, useLiveSample } from './use-live';
import { useChartMarks, useTargetBand, type RecordedMarks } from './use-marks';

interface ChannelHistoryProps {
  channel: Channel;
  window: HistoryWindow;
  asOf: number;
  /** What the station recorded in the window: the doses, fills and stops to mark, the adjustments' targets. */
  recorded: RecordedMarks;
}

export function ChannelHistory({ channel, window, asOf, recorded }: ChannelHistoryProps) {
  const load = useChannelHistory(channel.id, window, asOf);
  const system = useUnits((units) => units.system);
  const pulsesPerLiter = useStationStore((s) => s.station?.calibration.flowMeters[channel.id]?.pulsesPerLiter ?? null);
  const { unit, format, convert } = useMemo(() => channelScale(channel, system, pulsesPerLiter), [channel, system, pulsesPerLiter]);
  const history = load.state === 'ready' ? load.history : load.state === 'loading' ? load.last : null;
  const windowMs = HISTORY_WINDOWS[window].ms;
  const followed = useFollowedPoints(history, useLiveSample(channel), windowMs);
  const points = useMemo(() => (followed ? convertPoints(followed, convert) : undefined), [followed, convert]);
  const span = useMemo(() => chartSpan(windowMs, asOf, followed ?? []), [windowMs, asOf, followed]);
  const band = useTargetBand(channel, recorded, span, convert);
  const marks = useChartMarks(channel, recorded, span);
  const legend = bandLegend(band, format, unit);
  const summary = useMemo(() => (points ? summarise(points) : null), [points]);
  const name = channel.name || channel.id;
  const label = HISTORY_WINDOWS[window].label;
  const headingId = `history-${channel.id}`;
  const description = `${describeHistory(name, label, summary, format, unit)}${describeBand(band, format, unit)}`;

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
      {points && points.length > 0 && <HistoryChart points={points} span={span} band={band} marks={marks} name={name} unit={unit} format={format} description={description} />}
      {points && points.length > 0 && legend && <p className="row-note band-legend">{legend}</p>}
      {points && points.length > 0 && <MarkList name={name} marks={marks} />}
    </section>
  );
}
