import { useMemo } from 'react';
import { valveRole } from '../../../shared/plumbing';
import type { Channel } from '../../../shared/station';
import { useStationStore } from '../store';
import { useChannels } from './use-channels';
import { useCommand } from './use-command';
import { useViewOnly, VIEW_ONLY_HINT } from './view-only';

/**
 * What switched a relay, when it was not the grower (a command) or the state read at a
 * (re)connect: those are the ones worth a note.
 */
const NOTABLE_CAUSES: Record<string, string> = {
  bound: 'its time limit',
  fill: 'a fill',
  stop: 'a stop',
  estop: 'the emergency stop',
  watchdog: 'the watchdog',
};

export function Relays() {
  const relays = useChannels('relay');
  return (
    <section className="panel" aria-labelledby="relays-heading">
      <h2 id="relays-heading">Relays</h2>
      {relays.length === 0 && <p className="empty">No relays reported.</p>}
      <ul className="rows">
        {relays.map((channel) => (
          <RelayRow key={channel.id} channel={channel} />
        ))}
      </ul>
    </section>
  );
}

/**
 * The switch shows what the station reports, never what was asked: a relay the controller
 * refused, or one a job holds, must not look switched.
 */
function RelayRow({ channel }: { channel: Channel }) {
  const relay = useStationStore((s) => s.station?.relays[channel.id] ?? null);
  const tanks = useStationStore((s) => s.station?.tanks);
  const channels = useStationStore((s) => s.station?.channels);
  const valve = useMemo(() => (tanks && channels ? valveRole(tanks, channels, channel.id) : undefined), [tanks, channels, channel.id]);
  const viewOnly = useViewOnly();
  const { send, sending, refusal } = useCommand();
  const on = relay?.on ?? false;
  // Fill and drain valves open only in their jobs, as the station answers any screen or phone
  // that asks; one that is open may still be closed here.
  const jobOnly = valve !== undefined && !on;
  const jobOnlyNote = valve ? valveNote(valve.role, valve.tank.name) : undefined;

  return (
    <li className="row" data-on={on || undefined}>
      <span className="row-name">
        {channel.name}
        {relay && NOTABLE_CAUSES[relay.why] && <span className="row-note row-cause">switched by {NOTABLE_CAUSES[relay.why]}</span>}
        {jobOnlyNote && <span className="row-note">{jobOnlyNote}</span>}
      </span>
      <button
        type="button"
        role="switch"
        className="relay-switch"
        aria-checked={on}
        aria-label={channel.name}
        aria-busy={sending || undefined}
        disabled={viewOnly || !relay || jobOnly}
        title={viewOnly ? VIEW_ONLY_HINT : jobOnly ? jobOnlyNote : undefined}
        onClick={() => {
          if (!sending) void send({ type: 'relay.set', relayId: channel.id, on: !on });
        }}
      >
        <span className="relay-switch-track" aria-hidden="true" />
        <span className="relay-switch-state">{relay ? (on ? 'On' : 'Off') : 'Unknown'}</span>
      </button>
      {refusal && (
        <p className="row-problem" role="alert">
          {refusal}
        </p>
      )}
    </li>
  );
}

/** Why a valve has no switch to open it, and where to go instead. */
export function valveNote(role: 'fill' | 'drain', tankName: string): string {
  return role === 'fill'
    ? `Fills ${tankName}; opens only in a Fill job, which measures the water (Jobs).`
    : `Drains ${tankName}; opens only in a Drain job, which stops at the tank's floor (Jobs).`;
}
