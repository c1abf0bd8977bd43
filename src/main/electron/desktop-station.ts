/**
 * The station as the desktop app starts it: the source and the LAN server from settings.json,
 * and a policy that keeps the app running when a part fails, so the grower sees the problem in
 * Settings or the log rather than an app that will not open. Only the database stops it.
 */
import { join } from 'node:path';
import { app, dialog } from 'electron';
import { startStation, StationStartError, type Station } from '../app';
import { DATABASE_FILE } from '../db';
import { findWebRoot } from '../lan';
import { loadSettings, warningOf } from '../settings';

/** The device's watchdog turns outputs off anyway; this only bounds how long quitting can hang. */
const SHUTDOWN_TIMEOUT_MS = 5_000;

/** The station, or null when it cannot run: the grower has been told why and the app exits. */
export async function startDesktopStation(dataDir: string, mainDir: string, log: (line: string) => void): Promise<Station | null> {
  // Read once; the station core is handed the same sections.
  const settings = loadSettings(dataDir);
  for (const section of ['station', 'lan'] as const) {
    const warning = warningOf(settings, section);
    if (warning) log(`settings: ${warning}`);
  }
  // Phones and other PCs in the room: the same LAN server headless runs, switched on or off and
  // moved to another port from Settings (or `lan` in settings.json).
  const lan = settings.lan;
  try {
    const station = await startStation({
      dataDir,
      source: settings.station,
      settings,
      policy: { tokens: 'carry-on', link: 'carry-on', lan: 'carry-on' },
      lan: { choice: { enabled: lan.enabled, host: lan.host, port: lan.port }, configurable: true, webRoot: findWebRoot(mainDir) },
      log,
      shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS,
    });
    for (const links of station.pairing) {
      log(`lan: pair a screen to watch:   ${links.watch}`);
      log(`lan: pair a screen to control: ${links.control}`);
    }
    return station;
  } catch (error) {
    if (!(error instanceof StationStartError) || error.part !== 'database') throw error;
    // Running without the record of doses and jobs would hide what the station did: say so, stop.
    await app.whenReady();
    const file = error.file ?? join(dataDir, DATABASE_FILE);
    dialog.showErrorBox('Tendril cannot open its database', `${error.reason}\n\nThe file is ${file}. Move it aside to start with an empty one, or install the Tendril that wrote it.`);
    app.exit(1);
    return null;
  }
}
