import { useMemo } from 'react';
import { useStationStore } from '../../store';

const NONE: never[] = [];

/**
 * The limits the station works within. The controller's own bounds arrive with its channel
 * table; the host's stricter caps (per dose, per day, fills, closed loops) stay in main for now,
 * so this says where they are set.
 */
export function SafetySection() {
  const channels = useStationStore((s) => s.station?.channels ?? NONE);
  const bounded = useMemo(() => channels.filter((c) => c.maxMl !== undefined || c.maxMs !== undefined || c.maxPulses !== undefined), [channels]);
  return (
    <section className="panel" aria-labelledby="safety-heading">
      <h2 id="safety-heading">Caps and safety limits</h2>
      <p>
        Tendril&apos;s caps (mL per dose and per day for each pump, fill timeouts and volumes, closed-loop dosing limits) are set in <code>safety</code> in
        settings.json in the data folder, and apply from the next start. A job that would pass one is refused with the cap it hit.
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
