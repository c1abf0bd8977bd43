import { useMemo } from 'react';
import type { Channel, ChannelKind } from '../../../shared/station';
import { formatMl } from '../format';
import { useStationStore } from '../store';

/** Causes every relay shares after a (re)connect; only the unusual ones are worth a note. */
const ROUTINE_CAUSES = new Set(['', 'state', 'boot']);

/** Read-only for now: switching comes with the command path and its confirmation rules. */
export function Relays() {
  const relays = useChannels('relay');
  const states = useStationStore((s) => s.station?.relays);
  return (
    <section className="panel" aria-labelledby="relays-heading">
      <h2 id="relays-heading">Relays</h2>
      {relays.length === 0 && <p className="empty">No relays reported.</p>}
      <ul className="rows">
        {relays.map((channel) => {
          const relay = states?.[channel.id];
          return (
            <li key={channel.id} className="row" data-on={relay?.on || undefined}>
              <span className="row-name">{channel.name}</span>
              <span className="pill">{relay ? (relay.on ? 'On' : 'Off') : 'Unknown'}</span>
              {relay && !ROUTINE_CAUSES.has(relay.why) && <span className="row-note">by {relay.why}</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function Pumps() {
  const pumps = useChannels('pump');
  const states = useStationStore((s) => s.station?.pumps);
  return (
    <section className="panel" aria-labelledby="pumps-heading">
      <h2 id="pumps-heading">Dosing pumps</h2>
      {pumps.length === 0 && <p className="empty">No dosing pumps reported.</p>}
      <ul className="rows">
        {pumps.map((channel) => {
          const pump = states?.[channel.id];
          return (
            <li key={channel.id} className="row" data-on={pump?.running || undefined}>
              <span className="row-name">{channel.name}</span>
              <span className="pill">{pump?.running ? 'Dosing' : 'Idle'}</span>
              {pump && pump.target > 0 && (
                <>
                  <span className="row-note">
                    {formatMl(pump.ml)} of {formatMl(pump.target)} mL
                  </span>
                  <progress max={pump.target} value={pump.ml} aria-label={`${channel.name} dose progress`} />
                </>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function FlowMeters() {
  const meters = useChannels('flow');
  const states = useStationStore((s) => s.station?.flows);
  return (
    <section className="panel" aria-labelledby="flow-heading">
      <h2 id="flow-heading">Flow meters</h2>
      {meters.length === 0 && <p className="empty">No flow meters reported.</p>}
      <ul className="rows">
        {meters.map((channel) => {
          const flow = states?.[channel.id];
          return (
            <li key={channel.id} className="row" data-on={(flow?.rate ?? 0) > 0 || undefined}>
              <span className="row-name">{channel.name}</span>
              <span className="row-note">{flow ? `${flow.pulses.toLocaleString('en')} pulses` : 'no count yet'}</span>
              <span className="pill">{flow ? `${flow.rate.toFixed(0)} pulses/s` : '–'}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function useChannels(kind: ChannelKind): Channel[] {
  const channels = useStationStore((s) => s.station?.channels);
  return useMemo(() => (channels ?? []).filter((channel) => channel.kind === kind), [channels, kind]);
}
