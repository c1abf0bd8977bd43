import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stationWindowOptions } from './window';
import { loadWindowState, placeWindow, saveWindowState, WINDOW_STATE_FILE, type Rect, type WindowState } from './window-state';

const SIZE = { width: 1120, height: 780, minWidth: 360, minHeight: 480 };
/** A 1920×1080 laptop panel with a 40 px task bar, and a 2560×1440 monitor to its right. */
const LAPTOP: Rect = { x: 0, y: 0, width: 1920, height: 1040 };
const MONITOR: Rect = { x: 1920, y: 0, width: 2560, height: 1400 };

const at = (x: number, y: number, width: number, height: number, maximized = false): WindowState => ({ bounds: { x, y, width, height }, maximized });

describe('placing the window', () => {
  it('opens at the default size in the middle of the primary display the first time', () => {
    expect(placeWindow(null, [LAPTOP, MONITOR], SIZE)).toEqual(at(400, 130, 1120, 780));
  });

  it('opens where it was when that place is still on screen', () => {
    expect(placeWindow(at(100, 50, 900, 700), [LAPTOP, MONITOR], SIZE)).toEqual(at(100, 50, 900, 700));
    expect(placeWindow(at(2200, 300, 1600, 900, true), [LAPTOP, MONITOR], SIZE)).toEqual(at(2200, 300, 1600, 900, true));
  });

  it('moves a window that hangs off a display back onto it', () => {
    expect(placeWindow(at(-300, -20, 900, 700), [LAPTOP], SIZE)).toEqual(at(0, 0, 900, 700));
    expect(placeWindow(at(1500, 600, 900, 700), [LAPTOP], SIZE)).toEqual(at(1020, 340, 900, 700));
  });

  it('goes to the display it overlaps most when it straddles two', () => {
    expect(placeWindow(at(1700, 100, 1000, 700), [LAPTOP, MONITOR], SIZE)).toEqual(at(1920, 100, 1000, 700));
    expect(placeWindow(at(1200, 100, 1000, 700), [LAPTOP, MONITOR], SIZE)).toEqual(at(920, 100, 1000, 700));
  });

  it('comes back to the primary display when its monitor is unplugged', () => {
    expect(placeWindow(at(2200, 300, 1600, 900, true), [LAPTOP], SIZE)).toEqual(at(400, 130, 1120, 780));
  });

  it('shrinks to fit a smaller display, but never below its minimum size', () => {
    const tablet: Rect = { x: 0, y: 0, width: 1024, height: 600 };
    expect(placeWindow(at(2200, 0, 2800, 1300), [tablet, MONITOR], SIZE)).toEqual(at(1920, 0, 2560, 1300));
    expect(placeWindow(at(0, 0, 1600, 900), [tablet], SIZE)).toEqual(at(0, 0, 1024, 600));
    expect(placeWindow(null, [tablet], SIZE)).toEqual(at(0, 0, 1024, 600));
    const tiny: Rect = { x: 0, y: 0, width: 320, height: 400 };
    expect(placeWindow(at(0, 0, 800, 600), [tiny], SIZE)).toEqual(at(0, 0, 360, 480));
  });

  it('uses displays placed left of or above the primary one', () => {
    const left: Rect = { x: -1280, y: -200, width: 1280, height: 1024 };
    expect(placeWindow(at(-1200, -150, 800, 600), [LAPTOP, left], SIZE)).toEqual(at(-1200, -150, 800, 600));
  });
});

describe('the saved place', () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });
  const folder = (): string => {
    const made = mkdtempSync(join(tmpdir(), 'tendril-window-'));
    folders.push(made);
    return made;
  };

  it('is read back as it was saved', () => {
    const dir = folder();
    expect(loadWindowState(dir)).toBeNull();
    saveWindowState(dir, at(10, 20, 900, 700, true));
    expect(loadWindowState(dir)).toEqual(at(10, 20, 900, 700, true));
  });

  it('is ignored when damaged', () => {
    const dir = folder();
    for (const text of ['{', '{"bounds":{"x":0,"y":0,"width":-5,"height":10},"maximized":false}', '{"bounds":null,"maximized":false}']) {
      writeFileSync(join(dir, WINDOW_STATE_FILE), text);
      expect(loadWindowState(dir), text).toBeNull();
    }
  });
});

describe('the station window', () => {
  it('carries the icon, and turns off the middle click that asks for new windows', () => {
    const options = stationWindowOptions('/app/out/main', '/app/resources/icon.png');
    expect(options).toMatchObject({ icon: '/app/resources/icon.png', minWidth: SIZE.minWidth, minHeight: SIZE.minHeight, width: SIZE.width, height: SIZE.height });
    expect(options.webPreferences.disableBlinkFeatures).toBe('Auxclick');
    expect(stationWindowOptions('/app/out/main')).not.toHaveProperty('icon');
  });
});
