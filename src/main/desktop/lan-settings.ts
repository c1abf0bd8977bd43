/**
 * Whether the desktop app serves the station to phones and other PCs, from `lan` in
 * settings.json. On by default: screens in the grow room are the point. Only paired screens get
 * in (see docs/lan-api.md), and a grower who wants none sets `"lan": { "enabled": false }`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { describeIssue } from '../../shared/commands';

export interface LanSettings {
  enabled: boolean;
  host: string;
  port: number;
  warning?: string;
}

export const DEFAULT_LAN: LanSettings = { enabled: true, host: '0.0.0.0', port: 4545 };

const LAN_SCHEMA = z.strictObject({
  enabled: z.boolean({ error: 'lan.enabled must be true or false' }).optional(),
  host: z.string({ error: 'lan.host must be an address such as "0.0.0.0"' }).min(1).optional(),
  port: z.number({ error: 'lan.port must be a port number' }).int().min(1, { error: 'lan.port must be 1 to 65535' }).max(65535, { error: 'lan.port must be 1 to 65535' }).optional(),
});

export function loadLanSettings(dataDir: string): LanSettings {
  const file = join(dataDir, 'settings.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // No file yet, or one the station settings already complain about.
    return DEFAULT_LAN;
  }
  const section = (raw as { lan?: unknown } | null)?.lan;
  if (section === undefined) return DEFAULT_LAN;
  const parsed = LAN_SCHEMA.safeParse(section);
  if (!parsed.success) {
    return { ...DEFAULT_LAN, enabled: false, warning: `${file}: ${describeIssue(parsed.error.issues[0])}; the LAN server stays off until it is fixed` };
  }
  return { ...DEFAULT_LAN, ...parsed.data };
}
