/**
 * The controller picker's model: what the grower picked in the form, as the `station.connect`
 * source, and the words for each choice.
 */
import type { ChosenSource, SerialPortEntry } from '../../../../shared/admin';
import { BAUD_RATES, DEFAULT_BAUD } from '../../../../shared/baud';

/** The picker's value: a listed port is `port:<path>`, so a port named "auto" stays a port. */
export type PickerValue = 'auto' | 'simulated' | 'typed' | `port:${string}`;

export interface ControllerForm {
  picked: PickerValue;
  /** The path typed for a port the list does not show (a symlink, a port plugged in later). */
  typedPath: string;
  baud: string;
}

export const BAUD_OPTIONS = BAUD_RATES.map((rate) => ({ value: String(rate), label: rate === DEFAULT_BAUD ? `${rate} (the controller's default)` : String(rate) }));

/** The form as it first shows: what the station uses now. */
export function formFor(current: ChosenSource | null): ControllerForm {
  if (!current) return { picked: 'auto', typedPath: '', baud: String(DEFAULT_BAUD) };
  switch (current.kind) {
    case 'simulated':
      return { picked: 'simulated', typedPath: '', baud: String(DEFAULT_BAUD) };
    case 'auto':
      return { picked: 'auto', typedPath: '', baud: String(current.baud) };
    case 'serial':
      return { picked: `port:${current.path}`, typedPath: current.path, baud: String(current.baud) };
  }
}

/** The picker's options: every listed port, plus the current one if it is not plugged in now. */
export function pickerOptions(ports: readonly SerialPortEntry[], current: ChosenSource | null): Array<{ value: PickerValue; label: string }> {
  const listed = ports.map((port) => ({ value: `port:${port.path}` as const, label: portLabel(port) }));
  if (current?.kind === 'serial' && !ports.some((port) => port.path === current.path)) {
    listed.unshift({ value: `port:${current.path}`, label: `${current.path} (in use now, not listed)` });
  }
  return [
    { value: 'auto', label: 'Auto-detect: the first port whose device answers' },
    ...listed,
    { value: 'typed', label: 'Another port: type its path' },
    { value: 'simulated', label: 'The simulated station (no hardware)' },
  ];
}

/** "/dev/ttyUSB0: FTDI, serial A10K3" — the maker and serial tell two adapters apart. */
export function portLabel(port: SerialPortEntry): string {
  const about = [port.manufacturer, port.serialNumber ? `serial ${port.serialNumber}` : undefined].filter(Boolean);
  return about.length > 0 ? `${port.path}: ${about.join(', ')}` : port.path;
}

/** The source the form describes, or what to fix first. */
export function sourceFromForm(form: ControllerForm): { source: ChosenSource } | { problem: string } {
  if (form.picked === 'simulated') return { source: { kind: 'simulated' } };
  const baud = Number(form.baud);
  if (!(BAUD_RATES as readonly number[]).includes(baud)) return { problem: `choose a speed from the list; the controller's default is ${DEFAULT_BAUD}` };
  if (form.picked === 'auto') return { source: { kind: 'auto', baud } };
  const path = form.picked === 'typed' ? form.typedPath.trim() : form.picked.slice('port:'.length);
  if (path === '') return { problem: 'type the port’s path, such as /dev/ttyUSB0 on Linux, /dev/cu.usbserial-… on a Mac or COM3 on Windows' };
  return { source: { kind: 'serial', path, baud } };
}

/** The source in words: "/dev/ttyUSB0 at 115200 baud". */
export function describeChosen(source: ChosenSource): string {
  switch (source.kind) {
    case 'simulated':
      return 'the simulated station';
    case 'auto':
      return `auto-detect at ${source.baud} baud`;
    case 'serial':
      return `${source.path} at ${source.baud} baud`;
  }
}

export function sameSource(a: ChosenSource | null, b: ChosenSource): boolean {
  return a !== null && JSON.stringify(a) === JSON.stringify(b);
}
