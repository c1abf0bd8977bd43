import { useViewOnly } from './view-only';
import { useStationStore } from '../store';

/**
 * On a fresh install Tendril runs the simulated station, so there is something to look at. Say
 * so plainly on the overview, and point to where the real controller is chosen.
 */
export function SimulatedNotice() {
  const simulated = useStationStore((s) => s.station?.link.simulated ?? false);
  const readOnly = useViewOnly();
  if (!simulated) return null;
  return (
    <section className="panel simulated-notice" aria-labelledby="simulated-heading">
      <h2 id="simulated-heading">This is the simulated station</h2>
      <p>Nothing here touches real water: the tanks, pumps and readings are simulated, so you can try every control safely.</p>
      {readOnly ? (
        <p className="row-note">An operator connects the real controller in Settings.</p>
      ) : (
        <p>
          <a className="button-link" href="#/settings">
            Connect your controller
          </a>
        </p>
      )}
    </section>
  );
}
