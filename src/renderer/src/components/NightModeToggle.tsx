import { setNightMode, useNightMode } from './night-mode';

export function NightModeToggle() {
  const night = useNightMode();
  return (
    <button
      type="button"
      className="night-toggle"
      aria-pressed={night}
      title="Dim red-on-black screen for the dark period; remembered on this device"
      onClick={() => setNightMode(!night)}
    >
      <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
        <path d="M11.5 10.5A5.5 5.5 0 0 1 5.5 4.5a5.5 5.5 0 0 1 .6-2.5A6 6 0 1 0 14 9.9a5.5 5.5 0 0 1-2.5.6Z" fill="currentColor" />
      </svg>
      <span className="night-toggle-label">Night mode</span>
    </button>
  );
}
