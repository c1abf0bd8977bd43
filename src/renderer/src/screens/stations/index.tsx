import type { FleetStation } from '../../../../shared/station';
import { useStationStore } from '../../store';
import { useUnits } from '../../units';
import { fleetCard } from './fleet-words';
import './stations.css';

const NONE: FleetStation[] = [];

/** Every Tendril station on the broker, live, each with a way to its own screens. */
export function StationsScreen() {
  const fleet = useStationStore((s) => s.station?.fleet ?? NONE);
  const system = useUnits((units) => units.system);
  return (
    <div className="screen-stack stations-screen">
      {fleet.length === 0 ? (
        <p className="row-note">No Tendril station has published to the broker yet. Each one appears here as soon as it does.</p>
      ) : (
        <ul className="fleet-list" aria-label="Stations">
          {fleet.map((station) => {
            const card = fleetCard(station, system);
            return (
              <li key={station.id} className="fleet-card" data-presence={card.presence} data-station={station.id} aria-label={station.name}>
                <header>
                  <h2>{station.name}</h2>
                  <span className="fleet-presence" role="status">
                    {card.presenceWords}
                  </span>
                </header>
                <p className="fleet-status" data-estop={station.estop ? 'latched' : undefined}>
                  {card.status}
                </p>
                <dl>
                  <div>
                    <dt>EC</dt>
                    <dd>{card.ec}</dd>
                  </div>
                  <div>
                    <dt>pH</dt>
                    <dd>{card.ph}</dd>
                  </div>
                  <div>
                    <dt>Level</dt>
                    <dd>{card.level}</dd>
                  </div>
                  <div>
                    <dt>Running</dt>
                    <dd>{card.job}</dd>
                  </div>
                  <div>
                    <dt>Alerts</dt>
                    <dd>{card.alerts}</dd>
                  </div>
                </dl>
                {station.url ? (
                  <a className="button-link fleet-open" href={station.url} target="_blank" rel="noopener noreferrer">
                    Open {station.name}
                  </a>
                ) : (
                  <p className="row-note">Its LAN server is off, so its screens open only on its own computer.</p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
