import { AlertCount } from './AlertCount';
import { EmergencyStopButton } from './EmergencyStopButton';
import { NightModeToggle } from './NightModeToggle';

/** Stays at the top while the page scrolls, so the emergency stop is always one tap away. */
export function StationHeader() {
  return (
    <header className="station-header">
      <h1 className="brand">Tendril</h1>
      <AlertCount />
      <NightModeToggle />
      <EmergencyStopButton />
    </header>
  );
}
