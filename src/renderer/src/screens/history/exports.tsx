import { useState } from 'react';
import { useUnits } from '../../units';
import type { Channel } from '../../../../shared/station';
import { SelectField } from '../schedules/fields';
import { HISTORY_WINDOWS, MAX_MAX_POINTS, windowQuery, type HistoryWindow } from '../../../../shared/history';
import { exportFileName, exportPath, type ExportKind } from '../../../../shared/records';
import { saveFile } from './download';
import { records } from './history-source';

interface ExportsProps {
  channels: readonly Channel[];
  window: HistoryWindow;
}

/** The CSV exports: for a spreadsheet, a grow log or an inspector. */
export function Exports({ channels, window }: ExportsProps) {
  const [channelId, setChannelId] = useState(channels[0]?.id ?? '');
  const [busy, setBusy] = useState<ExportKind | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A spreadsheet for the grower reads in their units; one for a program, as the station records.
  const [inMyUnits, setInMyUnits] = useState(true);
  const system = useUnits((units) => units.system);
  const chosen = channels.find((channel) => channel.id === channelId) ?? channels[0];
  const label = HISTORY_WINDOWS[window].label;

  const download = async (kind: ExportKind) => {
    setBusy(kind);
    setError(null);
    const query = kind === 'history' && chosen ? windowQuery(chosen.id, window, Date.now()) : {};
    // The spreadsheet gets every sample, not the chart's few hundred.
    const history = kind === 'history' ? { maxPoints: MAX_MAX_POINTS, units: inMyUnits ? system : ('station' as const) } : {};
    const answer = await records().get(exportPath(kind, { ...query, ...history }));
    setBusy(null);
    if (!answer.ok) return setError(answer.message);
    saveFile(exportFileName(kind, chosen?.id, query), answer.body, answer.contentType || 'text/csv');
  };

  return (
    <section className="panel" aria-labelledby="exports-heading">
      <h2 id="exports-heading">Export as CSV</h2>
      <div className="exports">
        <button type="button" disabled={busy !== null} onClick={() => void download('doses')}>
          Dose audit (CSV)
        </button>
        <button type="button" disabled={busy !== null} onClick={() => void download('jobs')}>
          Job history (CSV)
        </button>
        {channels.length > 0 && (
          <div className="export-history">
            <SelectField
              label="Sensor to export"
              value={chosen?.id ?? ''}
              options={channels.map((channel) => ({ value: channel.id, label: channel.name || channel.id }))}
              onChange={setChannelId}
            />
            <label className="check">
              <input type="checkbox" checked={inMyUnits} onChange={(event) => setInMyUnits(event.target.checked)} />
              Values in my units ({system === 'us' ? '°F, gal, gal/min' : '°C, L, L/min'}), not as recorded
            </label>
            <button type="button" disabled={busy !== null || !chosen} onClick={() => void download('history')}>
              {chosen ? `${chosen.name || chosen.id}, last ${label} (CSV)` : 'Sensor history (CSV)'}
            </button>
          </div>
        )}
      </div>
      {busy && <p className="row-note">Preparing the file…</p>}
      {error && (
        <p className="field-problem" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
