/**
 * The desktop app's sections: whether it serves the station to phones and other PCs (`lan`),
 * and how it behaves around its window (`desktop`). Headless honours `lan` too, with its
 * command line over it.
 */
import { z } from 'zod';
import { describeIssue } from '../../shared/commands';
import type { SectionRead } from './section';

export interface LanSettings {
  enabled: boolean;
  host: string;
  port: number;
  /** Names the server answers to besides its own addresses, such as a reverse proxy's. */
  hostNames: string[];
  maxScreensPerToken: number;
  maxScreensPerAddress: number;
  /**
   * Worker processes that serve the screens, fed through Redis (headless only; see
   * docs/deployment.md). 0: one process serves everything.
   */
  workers: number;
}

/**
 * On by default: screens in the grow room are the point. Only paired screens get in. The caps
 * leave room for a room full of phones on one printed token, behind one proxy, with tabs to
 * spare, and stop one client holding thousands of connections.
 */
export const DEFAULT_LAN: LanSettings = { enabled: true, host: '0.0.0.0', port: 4545, hostNames: [], maxScreensPerToken: 100, maxScreensPerAddress: 200, workers: 0 };

/** More workers than this only share the same cores; a bigger station spreads over hosts instead. */
export const MAX_LAN_WORKERS = 32;

/** A host name as a browser sends it in Host: letters, digits, dots and dashes, or an IP address. */
const HOST_NAME = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.?$|^\[[0-9a-f:.]+\]$/i;

const screenCap = (key: string) =>
  z
    .number({ error: `lan.${key} must be a whole number of connections` })
    .int({ error: `lan.${key} must be a whole number of connections` })
    .min(1, { error: `lan.${key} must be at least 1` })
    .max(100_000, { error: `lan.${key} must be at most 100000` })
    .optional();

export const LAN_SCHEMA = z.strictObject({
  enabled: z.boolean({ error: 'lan.enabled must be true or false' }).optional(),
  host: z.string({ error: 'lan.host must be an address such as "0.0.0.0"' }).min(1).optional(),
  port: z.number({ error: 'lan.port must be a port number' }).int().min(1, { error: 'lan.port must be 1 to 65535' }).max(65535, { error: 'lan.port must be 1 to 65535' }).optional(),
  hostNames: z
    .array(
      z.string({ error: 'lan.hostNames must list names such as "grow.example.com"' }).max(253).regex(HOST_NAME, { error: 'lan.hostNames must list bare names such as "grow.example.com", without http:// or a port' }),
      { error: 'lan.hostNames must be a list of names such as ["grow.example.com"]' },
    )
    .max(50, { error: 'lan.hostNames may list at most 50 names' })
    .optional(),
  maxScreensPerToken: screenCap('maxScreensPerToken'),
  maxScreensPerAddress: screenCap('maxScreensPerAddress'),
  workers: z
    .number({ error: 'lan.workers must be a whole number of processes' })
    .int({ error: 'lan.workers must be a whole number of processes' })
    .min(0, { error: 'lan.workers must be 0 (one process) or more' })
    .max(MAX_LAN_WORKERS, { error: `lan.workers must be at most ${MAX_LAN_WORKERS}; more processes than cores only share the same cores` })
    .optional(),
});

/**
 * `value` is the defaults with the grower's keys; `given` only the keys written, for headless,
 * whose own defaults differ. A bad section keeps the server off rather than guess an address.
 */
export function readLan(section: unknown, file: string): SectionRead<LanSettings> & { given: Partial<LanSettings> } {
  if (section === undefined) return { value: DEFAULT_LAN, given: {} };
  const parsed = LAN_SCHEMA.safeParse(section);
  if (!parsed.success) {
    const issue = describeIssue(parsed.error.issues[0]);
    return { value: { ...DEFAULT_LAN, enabled: false }, given: {}, issue, warning: `${file}: ${issue}; the LAN server stays off until it is fixed` };
  }
  return { value: { ...DEFAULT_LAN, ...parsed.data }, given: parsed.data };
}

export interface DesktopSettings {
  closeToTray: boolean;
  startAtLogin: boolean;
}

/** Closing the window keeps the station running in the tray: schedules must go on when nobody looks. */
export const DEFAULT_DESKTOP: DesktopSettings = { closeToTray: true, startAtLogin: false };

export const DESKTOP_SCHEMA = z.strictObject({
  closeToTray: z.boolean({ error: 'closeToTray must be true or false' }).optional(),
  startAtLogin: z.boolean({ error: 'startAtLogin must be true or false' }).optional(),
});

export function readDesktop(section: unknown, file: string): SectionRead<DesktopSettings> {
  if (section === undefined) return { value: DEFAULT_DESKTOP };
  const parsed = DESKTOP_SCHEMA.safeParse(section);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const what =
      issue?.code === 'unrecognized_keys'
        ? `desktop has an ${describeIssue(issue)}`
        : issue && issue.path.length > 0
          ? `desktop.${describeIssue(issue)}`
          : 'desktop must be an object such as { "closeToTray": true }';
    return { value: DEFAULT_DESKTOP, warning: `${file}: ${what}; the desktop app uses its defaults (keep running in the tray, do not start at login) until it is fixed` };
  }
  return { value: { ...DEFAULT_DESKTOP, ...parsed.data } };
}
