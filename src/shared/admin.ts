/**
 * Running the station rather than the grow: which controller it talks to, which screens may
 * use it, and the LAN server they use. These are commands like any other (commands.ts), for
 * operators only, and their answers carry what the Settings screen shows.
 */
import { z } from 'zod';
import { BAUD_SCHEMA as baud } from './baud';
import { hasControlCharacters } from './plain-text';
import type { Role, Viewer } from './station';

export { BAUD_RATES } from './baud';

/** Where the controller is: a serial port, the first port whose device answers, or the simulator. */
export const STATION_SOURCE_SCHEMA = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('simulated') }),
    z.strictObject({
      kind: z.literal('serial'),
      path: z.string({ error: 'path must be the serial port, such as "/dev/ttyUSB0" or "COM3"' }).min(1, { error: 'path must not be empty' }).max(256, { error: 'path must be at most 256 characters' }),
      baud,
    }),
    z.strictObject({ kind: z.literal('auto'), baud }),
  ],
  { error: 'source.kind must be "serial", "auto" or "simulated"' },
);

export type ChosenSource = z.infer<typeof STATION_SOURCE_SCHEMA>;

/** The most screens one `lan.screens` page lists. */
export const MAX_SCREENS_PAGE = 200;

const tokenId = z.string({ error: 'tokenId must be the id of a token, from access.tokens' }).min(1).max(64);

const label = z
  .string({ error: 'label must name the screen, such as "Ana\'s phone"' })
  .trim()
  .min(1, { error: 'label must name the screen, such as "Ana\'s phone"' })
  .max(60, { error: 'label must be at most 60 characters' })
  // A label is shown in lists and written to the station's log and exports: one plain line.
  .refine((text) => !hasControlCharacters(text), {
    error: 'label must be plain text on one line: no line breaks, tabs, control characters or text-direction marks',
  });

/** The payloads, without the command envelope (`id`, `type`). */
export const ADMIN_COMMAND_PAYLOADS = {
  'station.ports': z.strictObject({}),
  'station.connect': z.strictObject({ source: STATION_SOURCE_SCHEMA }),
  'access.tokens': z.strictObject({}),
  'access.pair': z.strictObject({ role: z.enum(['viewer', 'operator'], { error: 'role must be "viewer" or "operator"' }), label }),
  'access.revoke': z.strictObject({ tokenId }),
  'lan.status': z.strictObject({}),
  /** Who is connected now, a page at a time, in the order they connected. */
  'lan.screens': z.strictObject({
    offset: z.number({ error: 'offset must be a number of screens to skip, such as 0' }).int({ error: 'offset must be a whole number' }).min(0, { error: 'offset must be 0 or more' }).optional(),
    limit: z
      .number({ error: 'limit must be how many screens to list, such as 50' })
      .int({ error: 'limit must be a whole number' })
      .min(1, { error: 'limit must be 1 or more' })
      .max(MAX_SCREENS_PAGE, { error: `limit must be at most ${MAX_SCREENS_PAGE}; ask for the next page with offset` })
      .optional(),
  }),
  'lan.configure': z.strictObject({
    enabled: z.boolean({ error: 'enabled must be true or false' }),
    port: z
      .number({ error: 'port must be a port number such as 4545' })
      .int({ error: 'port must be a whole number' })
      .min(1024, { error: 'port must be 1024 or more (lower ports need administrator rights)' })
      .max(65535, { error: 'port must be at most 65535' }),
  }),
} as const;

/** A serial port as `station.ports` lists it. */
export interface SerialPortEntry {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
}

/** The answer to `station.ports`. */
export interface PortList {
  ports: SerialPortEntry[];
  /** What the station uses now. */
  current: ChosenSource;
}

/** The answer to `station.connect`. */
export interface ConnectResult {
  source: ChosenSource;
  /** Whether the port opened; when not, the station keeps retrying it and `problem` says why. */
  opened: boolean;
  problem?: string;
}

/** A paired screen, as `access.tokens` lists it: never the secret. */
export interface AccessToken {
  id: string;
  role: Role;
  label: string;
  createdAt: number;
  usedAt: number | null;
  /** paired: from `access.pair`; start: a link printed at start; environment: set by automation. */
  source: 'paired' | 'start' | 'environment';
}

/** The answer to `access.pair`: the secret, shown once, in links a phone can open. */
export interface PairingResult {
  token: AccessToken;
  /** One link per address the LAN server answers on, the likeliest first. */
  links: string[];
}

/** The answer to `lan.screens`: one page of the screens connected now, and how many there are. */
export interface ScreenPage {
  total: number;
  offset: number;
  screens: Viewer[];
}

/** The answer to `lan.status` and `lan.configure`. */
export interface LanStatus {
  enabled: boolean;
  host: string;
  port: number;
  /** Whether the server is listening now. */
  listening: boolean;
  /** Where screens reach it, such as "http://192.168.1.50:4545". */
  origins: string[];
  /** Why it is not listening, when it should be. */
  problem?: string;
  /** Whether `lan.configure` can change it from here: only the station's own computer can. */
  configurable: boolean;
}
