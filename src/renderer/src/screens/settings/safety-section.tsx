import { useMemo, useState } from 'react';
import type { SafetyLimits } from '../../../../shared/limits';
import { useViewOnly, VIEW_ONLY_HINT } from '../../components/view-only';
import { useStationStore } from '../../store';
import { CapsForm } from './caps-form';

const NONE: never[] = [];

const seconds = (ms: number) => (ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`);

/** The host's caps as rows of words: what a refusal will quote. */
export function limitRows(limits: SafetyLimits, pumpName: (id: string) => string): Array<{ name: string; value: string }> {
  const rows = [
    { name: 'Each pump, per dose', value: `at most ${limits.pump.maxMlPerDose} mL` },
    { name: 'Each pump, per 24 hours', value: `at most ${limits.pump.maxMlPerDay} mL` },
  ];
  for (const [pumpId, caps] of Object.entries(limits.pumps)) {
    const parts = [caps.maxMlPerDose !== undefined ? `${caps.maxMlPerDose} mL a dose` : null, caps.maxMlPerDay !== undefined ? `${caps.maxMlPerDay} mL a day` : null].filter(Boolean);
    if (parts.length > 0) rows.push({ name: pumpName(pumpId), value: `at most ${parts.join(', ')}` });
  }
  rows.push(
    { name: 'A fill', value: `stops after ${seconds(limits.fill.timeoutMs)}, or ${seconds(limits.fill.noFlowMs)} without flow` },
    { name: 'pH and EC adjustments', value: `at most ${limits.loop.maxStepMl} mL a step and ${limits.loop.maxTotalMl} mL in all` },
    { name: 'Between doses', value: `${seconds(limits.loop.mixWaitMs)} to mix; ${seconds(limits.loop.abPauseMs)} between nutrient A and B` },
    { name: 'Readings', value: `older than ${seconds(limits.loop.maxReadingAgeMs)} are not dosed on` },
    { name: 'Circulation', value: limits.loop.requireCirculation ? 'must be running for an adjustment to dose' : 'not required to dose (safety.loop.requireCirculation is off)' },
  );
  return rows;
}

/** The limits the station works within: Tendril's caps, and the controller's own bounds. */
export function SafetySection() {
  const limits = useStationStore((s) => s.station?.limits ?? null);
  const channels = useStationStore((s) => s.station?.channels ?? NONE);
  const bounded = useMemo(() => channels.filter((c) => c.maxMl !== undefined || c.maxMs !== undefined || c.maxPulses !== undefined), [channels]);
  const nameOf = (id: string) => channels.find((channel) => channel.id === id)?.name || id;
  const readOnly = useViewOnly();
  const [editing, setEditing] = useState(false);
  return (
    <section className="panel" aria-labelledby="safety-heading">
      <h2 id="safety-heading">Caps and safety limits</h2>
      <h3 className="subhead">Tendril’s caps</h3>
      {limits ? (
        <dl className="item-facts settings-facts limit-rows" aria-label="Tendril’s caps">
          {limitRows(limits, nameOf).map((row) => (
            <div key={row.name}>
              <dt>{row.name}</dt>
              <dd>{row.value}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="empty">Waiting for the station…</p>
      )}
      {limits && editing && <CapsForm limits={limits} channels={channels} onDone={() => setEditing(false)} />}
      {limits && !editing && (
        <button type="button" disabled={readOnly} title={readOnly ? VIEW_ONLY_HINT : undefined} onClick={() => setEditing(true)}>
          Change the caps
        </button>
      )}
      <p className="row-note">
        A job that would pass a cap is refused with the cap it hit. A change applies at once, to the next job and the next step of a running one, and is kept
        as <code>safety</code> in settings.json in the data folder.{readOnly && ` ${VIEW_ONLY_HINT}. Operators change the caps here.`}
      </p>
      <h3 className="subhead">Bounds the controller enforces itself</h3>
      {bounded.length === 0 ? (
        <p className="empty">The controller reported no bounds.</p>
      ) : (
        <ul className="rows">
          {bounded.map((channel) => (
            <li key={channel.id} className="row">
              <span className="row-name">{channel.name || channel.id}</span>
              {channel.maxMl !== undefined && <span className="row-note">at most {channel.maxMl} mL a dose</span>}
              {channel.maxMs !== undefined && <span className="row-note">at most {Math.round(channel.maxMs / 1000)} s on</span>}
              {channel.maxPulses !== undefined && <span className="row-note">at most {channel.maxPulses.toLocaleString()} pulses a fill</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
