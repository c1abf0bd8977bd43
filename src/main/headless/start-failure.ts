/**
 * Why headless could not start, in one line for the terminal: what went wrong and what to do
 * about it from the command line.
 */
import type { StationStartError } from '../app';
import type { StationSource } from '../station';

export function startFailure(error: StationStartError, listen: { host: string; port: number }, source: StationSource): string {
  switch (error.part) {
    case 'tokens':
      return error.reason;
    case 'database':
      return `cannot open the station database ${error.file} (${error.reason})`;
    case 'link': {
      const where = source.kind === 'serial' ? source.path : 'the controller';
      return (
        `cannot open ${where} (${error.reason}); check the cable and the path (ls /dev/serial/by-id), ` +
        `make sure you may use it (the dialout group), or run with --simulate`
      );
    }
    case 'lan':
      return `cannot listen on ${listen.host}:${listen.port}: ${error.reason} (pass --port or --host to change it)`;
  }
}
