/**
 * Whether the desktop app serves the station to phones and other PCs, from `lan` in
 * settings.json (read in settings/desktop.ts). On by default: screens in the grow room are the
 * point. Only paired screens get in (see docs/lan-api.md), and a grower who wants none sets
 * `"lan": { "enabled": false }`.
 */
import { loadSettings, warningOf, type LanSettings } from '../settings';

export { DEFAULT_LAN } from '../settings';

export function loadLanSettings(dataDir: string): LanSettings & { warning?: string } {
  const settings = loadSettings(dataDir);
  const warning = warningOf(settings, 'lan');
  return warning ? { ...settings.lan, warning } : settings.lan;
}
