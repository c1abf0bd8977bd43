/**
 * The screens of the app and where each lives in the address: the part after "#", so a reload
 * or the back button lands where the grower was, and nothing is asked of the server.
 */
export const SCREENS = [
  { id: 'overview', label: 'Overview', hash: '#/' },
  { id: 'jobs', label: 'Jobs', hash: '#/jobs' },
  { id: 'schedules', label: 'Schedules', hash: '#/schedules' },
  { id: 'history', label: 'History', hash: '#/history' },
  { id: 'alerts', label: 'Alerts', hash: '#/alerts' },
  // Shown only while the station publishes to an MQTT broker (ScreenNav).
  { id: 'stations', label: 'Stations', hash: '#/stations' },
  { id: 'settings', label: 'Settings', hash: '#/settings' },
] as const;

export type ScreenId = (typeof SCREENS)[number]['id'];

/** The screen an address shows; anything unknown (or nothing) is the overview. */
export function screenFromHash(hash: string): ScreenId {
  const path = hash.replace(/^#\/?/, '').split(/[/?]/)[0]!.toLowerCase();
  return SCREENS.find((screen) => screen.id === path)?.id ?? 'overview';
}
