import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { autostartEntry, autostartFile, isAutostartOn, launchCommand, setAutostart } from './login-item';

describe('how Tendril is started at login', () => {
  it('starts the AppImage itself, the installed binary, or Electron with the app when run from source', () => {
    expect(launchCommand({ execPath: '/tmp/.mount_Tendril/tendril', appImage: '/home/grow/Apps/Tendril.AppImage', packaged: true, appPath: '/tmp/.mount_Tendril/resources/app.asar' })).toEqual({
      command: '/home/grow/Apps/Tendril.AppImage',
      args: [],
    });
    expect(launchCommand({ execPath: '/opt/Tendril/tendril', appImage: undefined, packaged: true, appPath: '/opt/Tendril/resources/app.asar' })).toEqual({ command: '/opt/Tendril/tendril', args: [] });
    expect(launchCommand({ execPath: '/src/tendril/node_modules/electron/dist/electron', appImage: undefined, packaged: false, appPath: '/src/tendril' })).toEqual({
      command: '/src/tendril/node_modules/electron/dist/electron',
      args: ['/src/tendril'],
    });
    expect(launchCommand({ execPath: '/opt/Tendril/tendril', appImage: undefined, packaged: true, appPath: '/opt/Tendril/resources/app.asar', dataDir: '/srv/grow room' })).toEqual({
      command: '/opt/Tendril/tendril',
      args: ['--data=/srv/grow room'],
    });
  });

  it('writes an XDG autostart entry, quoting what the spec says to quote', () => {
    expect(autostartEntry({ command: '/opt/Tendril/tendril', args: [] })).toBe(
      '[Desktop Entry]\nType=Application\nName=Tendril\nComment=Control panel of the grow station\nExec=/opt/Tendril/tendril\nTerminal=false\nX-GNOME-Autostart-enabled=true\n',
    );
    const exec = (command: string, args: string[] = []) => /^Exec=(.*)$/m.exec(autostartEntry({ command, args }))![1];
    expect(exec('/home/grow/My Apps/Tendril.AppImage')).toBe('"/home/grow/My Apps/Tendril.AppImage"');
    expect(exec('/home/grow/100%/Tendril.AppImage')).toBe('/home/grow/100%%/Tendril.AppImage');
    expect(exec('/home/grow/a$b"c\\d')).toBe('"/home/grow/a\\\\$b\\\\"c\\\\\\\\d"');
    expect(exec('/usr/bin/electron', ['/src/tendril'])).toBe('/usr/bin/electron /src/tendril');
    expect(exec('/opt/Tendril/tendril', ['--data=/srv/grow room'])).toBe('/opt/Tendril/tendril "--data=/srv/grow room"');
  });

  describe('on disk', () => {
    const folders: string[] = [];
    afterEach(() => {
      for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
    });

    it('adds and removes only its own entry', () => {
      const config = mkdtempSync(join(tmpdir(), 'tendril-autostart-'));
      folders.push(config);
      const launch = { command: '/opt/Tendril/tendril', args: [] };
      expect(isAutostartOn(config)).toBe(false);
      setAutostart(config, false, launch);
      setAutostart(config, true, launch);
      expect(isAutostartOn(config)).toBe(true);
      expect(readFileSync(autostartFile(config), 'utf8')).toBe(autostartEntry(launch));
      expect(autostartFile(config)).toBe(join(config, 'autostart', 'tendril.desktop'));
      setAutostart(config, true, { command: '/opt/Tendril2/tendril', args: [] });
      expect(readFileSync(autostartFile(config), 'utf8')).toContain('Exec=/opt/Tendril2/tendril');
      setAutostart(config, false, launch);
      expect(isAutostartOn(config)).toBe(false);
    });
  });
});
