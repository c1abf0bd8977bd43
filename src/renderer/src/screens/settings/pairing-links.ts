import type { PairingResult } from '../../../../shared/admin';
import type { Role } from '../../../../shared/station';

/** A fresh pairing, as the pairing block shows it: one code to scan, other addresses below. */
export interface PairingCode {
  role: Role;
  title: string;
  explains: string;
  /** The link the QR code holds: the station's likeliest address. */
  url: string;
  /** The same link at the station's other addresses, for a screen on another network. */
  others: string[];
}

const EXPLAINS: Record<Role, string> = {
  viewer: 'Sees everything, changes nothing (it can still press the emergency stop).',
  operator: 'Can switch outputs, dose and edit schedules: give it only to people who run the station.',
};

/** What the pairing block shows for a pairing the station has just made. */
export function pairingCode(result: PairingResult): PairingCode | null {
  const [url, ...others] = result.links;
  if (!url) return null;
  const role = result.token.role;
  return { role, title: `${role === 'operator' ? 'Control' : 'Watch'} from ${result.token.label}`, explains: EXPLAINS[role], url, others };
}
