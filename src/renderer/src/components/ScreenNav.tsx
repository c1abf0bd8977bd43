import { useStationStore } from '../store';
import { SCREENS, type ScreenId } from './screens';

/** Plain links: Tab and Enter move between screens, and the back button works as everywhere else. */
export function ScreenNav({ current }: { current: ScreenId }) {
  // The fleet is there while MQTT is on; without a broker there are no other stations to list.
  const fleetOn = useStationStore((s) => s.station?.fleet !== undefined);
  return (
    <nav className="screen-nav" aria-label="Screens">
      <ul>
        {SCREENS.filter((screen) => screen.id !== 'stations' || fleetOn || current === 'stations').map((screen) => (
          <li key={screen.id}>
            <a href={screen.hash} aria-current={screen.id === current ? 'page' : undefined}>
              {screen.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
