/** The two links a new screen pairs with: one that watches, one that controls. */
export interface PairingLinks {
  viewer: string;
  operator: string;
}

/**
 * The pairing links of the running LAN server, or null when this screen cannot know them. The
 * tokens live in main, hashed, and the bridge has no call to hand out a fresh link yet, so for
 * now this is always null; a LAN browser can never know them, by design.
 */
export function usePairingLinks(): PairingLinks | null {
  return null;
}

export interface PairingCode {
  role: 'viewer' | 'operator';
  title: string;
  explains: string;
  url: string;
}

/** What the pairing block shows for the links it was given, viewer first. */
export function pairingCodes(links: PairingLinks | null): PairingCode[] {
  if (!links) return [];
  return [
    { role: 'viewer', title: 'Pair a screen to watch', explains: 'Sees everything, changes nothing (it can still press the emergency stop).', url: links.viewer },
    { role: 'operator', title: 'Pair a screen to control', explains: 'Can switch outputs, dose and edit schedules: give it only to people who run the station.', url: links.operator },
  ];
}
