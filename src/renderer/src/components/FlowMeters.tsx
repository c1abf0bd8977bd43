import type { Channel } from '../../../shared/station';
import { useStationStore } from '../store';
import { formatFlowRate, formatLiters, useUnits } from '../units';
import { useChannels } from './use-channels';

export function FlowMeters() {
  const meters = useChannels('flow');
  return (
    <section className="panel" aria-labelledby="flow-heading">
      <h2 id="flow-heading">Flow meters</h2>
      {meters.length === 0 && <p className="empty">No flow meters reported.</p>}
      <ul className="rows">
        {meters.map((channel) => (
          <FlowMeterRow key={channel.id} channel={channel} />
        ))}
      </ul>
    </section>
  );
}

/** Pulses mean little to a grower; with the meter's calibration they become litres. */
function FlowMeterRow({ channel }: { channel: Channel }) {
  const flow = useStationStore((s) => s.station?.flows[channel.id] ?? null);
  const pulsesPerLiter = useStationStore((s) => s.station?.calibration.flowMeters[channel.id]?.pulsesPerLiter ?? null);
  const system = useUnits((units) => units.system);
  const running = (flow?.rate ?? 0) > 0;
  return (
    <li className="row" data-on={running || undefined}>
      <span className="row-name">{channel.name}</span>
      {!flow ? (
        <span className="row-note">no count yet</span>
      ) : pulsesPerLiter ? (
        <>
          <span className="row-note">{formatLiters(flow.pulses / pulsesPerLiter, system)} counted</span>
          <span className="pill">{formatFlowRate((flow.rate / pulsesPerLiter) * 60, system)}</span>
        </>
      ) : (
        <>
          <span className="row-note">{flow.pulses.toLocaleString('en')} pulses</span>
          <span className="pill">{flow.rate.toFixed(0)} pulses/s</span>
        </>
      )}
    </li>
  );
}
