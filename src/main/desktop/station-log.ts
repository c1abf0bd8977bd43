/**
 * The station's log as a file the grower can open (Help → Open logs folder) and send along when
 * something went wrong, written with electron-log, and echoed to stdout as before.
 *
 * This is electron-log's Node flavour on purpose. Its Electron flavour (`electron-log/main`)
 * listens on an IPC channel of its own and takes log lines from any page without asking who
 * sent them; Tendril's window never logs through main, so that channel would only be a door
 * left open.
 */
import { join } from 'node:path';
import electronLog from 'electron-log/node';

export const LOG_FILE = 'main.log';
/** Past this size the file moves to main.old.log and a new one starts: two files at most. */
export const MAX_LOG_BYTES = 5 * 1024 * 1024;

export interface StationLog {
  /** One line from the station core or the desktop shell. */
  write(line: string): void;
  /** The file written to. */
  file: string;
}

export function openStationLog(logsDir: string, options: { console?: boolean } = {}): StationLog {
  const file = join(logsDir, LOG_FILE);
  const logger = electronLog.create({ logId: `tendril:${file}` });
  logger.transports.file.resolvePathFn = () => file;
  logger.transports.file.maxSize = MAX_LOG_BYTES;
  logger.transports.file.format = '[{y}-{m}-{d} {h}:{i}:{s}.{ms}] {text}';
  logger.transports.console.level = options.console === false ? false : 'info';
  logger.transports.console.format = '{text}';
  // Nothing leaves the process: no log server, and no copies sent to windows. (Outside Electron
  // the IPC transport does not exist at all.)
  for (const name of ['remote', 'ipc'] as const) {
    const transport = logger.transports[name] as { level: unknown } | undefined;
    if (transport) transport.level = false;
  }
  return { write: (line) => logger.info(line), file };
}
