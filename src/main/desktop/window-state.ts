/**
 * Where the window was, so it opens there again: `window-state.json` in the data folder. The
 * displays may have changed since (a laptop undocked, a monitor unplugged), so the saved place is
 * fitted onto a display that still exists before it is used.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { replaceJsonFile } from '../files/json-file';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** The window's size and place when not maximized. */
  bounds: Rect;
  maximized: boolean;
}

export interface WindowSize {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
}

export const WINDOW_STATE_FILE = 'window-state.json';

const RECT = z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().positive(), height: z.number().int().positive() });
const STATE_SCHEMA = z.object({ bounds: RECT, maximized: z.boolean() });

/**
 * Where to open the window. `displays` are the work areas (the screen minus task bars and docks)
 * of the displays attached now, the primary one first. The saved place goes to the display it
 * overlaps most, shrunk to fit and moved fully onto it; if it overlaps none, the window opens at
 * the default size in the middle of the primary display.
 */
export function placeWindow(saved: WindowState | null, displays: readonly Rect[], size: WindowSize): WindowState {
  const primary = displays[0];
  if (!primary) return { bounds: { x: 0, y: 0, width: size.width, height: size.height }, maximized: false };
  let best: Rect | null = null;
  let bestOverlap = 0;
  if (saved) {
    for (const area of displays) {
      const overlap = overlapArea(saved.bounds, area);
      if (overlap > bestOverlap) {
        best = area;
        bestOverlap = overlap;
      }
    }
  }
  if (!saved || !best) {
    const width = fit(size.width, size.minWidth, primary.width);
    const height = fit(size.height, size.minHeight, primary.height);
    return { bounds: { x: primary.x + Math.floor((primary.width - width) / 2), y: primary.y + Math.floor((primary.height - height) / 2), width, height }, maximized: false };
  }
  const width = fit(saved.bounds.width, size.minWidth, best.width);
  const height = fit(saved.bounds.height, size.minHeight, best.height);
  return {
    bounds: { x: clamp(saved.bounds.x, best.x, best.x + best.width - width), y: clamp(saved.bounds.y, best.y, best.y + best.height - height), width, height },
    maximized: saved.maximized,
  };
}

export function loadWindowState(dataDir: string): WindowState | null {
  try {
    const parsed = STATE_SCHEMA.safeParse(JSON.parse(readFileSync(join(dataDir, WINDOW_STATE_FILE), 'utf8')));
    // A missing or damaged file only costs the window its place: open at the default.
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveWindowState(dataDir: string, state: WindowState): void {
  replaceJsonFile(join(dataDir, WINDOW_STATE_FILE), state);
}

/** Within [min, room], except that the window never goes below its minimum size. */
function fit(wanted: number, min: number, room: number): number {
  return Math.max(min, Math.min(wanted, room));
}

/** Within [low, high]; `low` wins when the window is larger than the display. */
function clamp(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(value, high));
}

function overlapArea(a: Rect, b: Rect): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}
