/**
 * Starting Tendril at login. macOS and Windows keep a list of login items, which Electron's
 * `app.setLoginItemSettings` edits. Linux desktops read XDG autostart entries instead
 * (~/.config/autostart/*.desktop), which Electron does not write; this module does.
 */
import { existsSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** How to start this copy of Tendril again. */
export interface Launch {
  command: string;
  args: string[];
}

export interface LaunchFacts {
  /** process.execPath: the installed binary, or Electron itself when run from source. */
  execPath: string;
  /** $APPIMAGE: an AppImage runs from a temporary mount, so the image itself is what to start. */
  appImage: string | undefined;
  packaged: boolean;
  /** app.getAppPath(): needed by Electron when run from source. */
  appPath: string;
  /** The --data folder this copy was started with, if any: a side-by-side install keeps its own. */
  dataDir?: string;
}

export function launchCommand(facts: LaunchFacts): Launch {
  const data = facts.dataDir ? [`--data=${facts.dataDir}`] : [];
  if (facts.appImage) return { command: facts.appImage, args: data };
  return { command: facts.execPath, args: [...(facts.packaged ? [] : [facts.appPath]), ...data] };
}

export const AUTOSTART_NAME = 'tendril.desktop';

export function autostartFile(configDir: string): string {
  return join(configDir, 'autostart', AUTOSTART_NAME);
}

/** The autostart entry (freedesktop.org Desktop Entry). */
export function autostartEntry(launch: Launch): string {
  const exec = [launch.command, ...launch.args].map(quoteExecArgument).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Tendril',
    'Comment=Control panel of the grow station',
    // The Exec value is a string value first: backslashes are escaped once more, after quoting.
    // A literal % would start a field code.
    `Exec=${exec.replace(/\\/g, '\\\\').replace(/%/g, '%%')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function isAutostartOn(configDir: string): boolean {
  return existsSync(autostartFile(configDir));
}

/** Writes or removes the entry; only ever touches Tendril's own file. */
export function setAutostart(configDir: string, on: boolean, launch: Launch): void {
  const file = autostartFile(configDir);
  if (!on) {
    if (existsSync(file)) unlinkSync(file);
    return;
  }
  const text = autostartEntry(launch);
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return;
  mkdirSync(join(configDir, 'autostart'), { recursive: true });
  writeFileSync(file, text);
}

/** Quoting as the Desktop Entry spec asks for arguments with reserved characters. */
function quoteExecArgument(argument: string): string {
  if (argument !== '' && !/[\s"'\\><~|&;$*?#()`]/.test(argument)) return argument;
  return `"${argument.replace(/["`$\\]/g, '\\$&')}"`;
}
