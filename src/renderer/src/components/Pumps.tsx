import type { Channel } from '../../../shared/station';
import { formatMl } from '../format';
import { useStationStore } from '../store';
import { DoseControl } from './DoseControl';
import { useChannels } from './use-channels';

export function Pumps() {
  const pumps = useChannels('pump');
  return (
    <section className="panel" aria-labelledby="pumps-heading">
      <h2 id="pumps-heading">Dosing pumps</h2>
      {pumps.length === 0 && <p className="empty">No dosing pumps reported.</p>}
      <ul className="rows">
        {pumps.map((channel) => (
          <PumpRow key={channel.id} channel={channel} />
        ))}
      </ul>
    </section>
  );
}

function PumpRow({ channel }: { channel: Channel }) {
  const pump = useStationStore((s) => s.station?.pumps[channel.id] ?? null);
  return (
    <li className="row" data-on={pump?.running || undefined}>
      <span className="row-name">{channel.name}</span>
      <span className="pill">{pump?.running ? 'Dosing' : 'Idle'}</span>
      {pump && pump.target > 0 && (
        <>
          <span className="row-note">
            {pump.running ? '' : 'last dose '}
            {formatMl(pump.ml)} of {formatMl(pump.target)} mL
          </span>
          <progress max={pump.target} value={pump.ml} aria-label={`${channel.name} dose progress`} />
        </>
      )}
      <DoseControl pump={channel} />
    </li>
  );
}
