import { useState } from 'react';
import { useViewOnly, VIEW_ONLY_HINT } from '../../components/view-only';
import { useStationStore } from '../../store';
import { formatLiters, useUnits } from '../../units';
import { headroomOf, tankMapping } from './tank-mapping';
import { TankForm } from './tank-form';

const NONE: never[] = [];

/** The tanks and which channel does which job in each: what every fill, dose and loop goes by. */
export function TanksSection() {
  const tanks = useStationStore((s) => s.station?.tanks ?? NONE);
  const channels = useStationStore((s) => s.station?.channels ?? NONE);
  const system = useUnits((units) => units.system);
  const readOnly = useViewOnly();
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <section className="panel" aria-labelledby="tanks-heading">
      <h2 id="tanks-heading">Tanks and channels</h2>
      {tanks.length === 0 ? (
        <p className="empty">The controller has not reported its channels yet.</p>
      ) : (
        tanks.map((tank) => (
          <section key={tank.id} className="tank-mapping" aria-labelledby={`tank-${tank.id}-heading`}>
            <h3 id={`tank-${tank.id}-heading`} className="subhead">
              {tank.name}: {formatLiters(tank.capacityL, system)}, fills stop {formatLiters(headroomOf(tank), system)} below the brim
            </h3>
            <dl className="item-facts settings-facts">
              {tankMapping(tank, channels).map((row) => (
                <div key={row.role}>
                  <dt>{row.role}</dt>
                  <dd>
                    {row.channels ? row.channels.join(', ') : <span className="field-problem">none: {row.without}</span>}
                    {row.channels && row.from === 'names' && <span className="row-note"> (from its name)</span>}
                  </dd>
                </div>
              ))}
            </dl>
            {editing === tank.id ? (
              <TankForm tank={tank} tanks={tanks} channels={channels} onDone={() => setEditing(null)} />
            ) : (
              <button type="button" disabled={readOnly} title={readOnly ? VIEW_ONLY_HINT : undefined} onClick={() => setEditing(tank.id)}>
                Change {tank.name}
              </button>
            )}
          </section>
        ))
      )}
      <p className="row-note">
        Operators change a tank’s size, headroom, floor and valves here; a change applies to the next job at once and is kept as <code>tanks</code> in
        settings.json in the data folder, where the rest of the plumbing is set. Whatever is left out is worked out from the channels&apos; kinds and names,
        as shown.
      </p>
    </section>
  );
}
