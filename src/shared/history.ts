/**
 * Sensor history on the wire: what a history request may ask (`GET /api/history` and the CSV
 * export of one channel, docs/lan-api.md), the words a refused one gets, and the answer's shape.
 * The station parses requests with this and every screen builds them with it, so the two cannot
 * drift apart.
 */
import { z } from 'zod';
import type { StationChange } from './events';

/** A channel's readings within a time window, oldest first, as `[epoch ms, value]` pairs. */
export interface ChannelHistory {
  channel: string;
  from: number;
  to: number;
  points: Array<[number, number]>;
  /** True when the points are bucket averages rather than the samples themselves. */
  downsampled: boolean;
  /**
   * Beside `points`, one for each: the controller's own value where a probe calibration changed
   * the reading, null where it did not. Left out when no point in the window has one.
   */
  raw?: Array<number | null>;
}

/** Enough points for a chart as wide as a screen, few enough to send every few seconds. */
export const DEFAULT_MAX_POINTS = 2000;
export const MAX_MAX_POINTS = 10_000;
/** What a request that gives no `from` reaches back from its `to`. */
export const DEFAULT_WINDOW_MS = 3_600_000;

/** The history windows a grower picks between, and how far each reaches back. */
export const HISTORY_WINDOWS = {
  '1h': { label: '1 h', ms: 3_600_000 },
  '24h': { label: '24 h', ms: 24 * 3_600_000 },
  '7d': { label: '7 d', ms: 7 * 24 * 3_600_000 },
} as const;

export type HistoryWindow = keyof typeof HISTORY_WINDOWS;

/** A chart is a few hundred pixels wide: more points than this only cost the phone time. */
export const CHART_POINTS = 600;

/** A history request as a screen builds it; what is left out takes the station's default. */
export interface HistoryRequest {
  channel: string;
  from?: number;
  to?: number;
  maxPoints?: number;
}

/** The request for one channel over a window ending now; epoch ms need no time zone. */
export function windowQuery(channel: string, window: HistoryWindow, now: number): HistoryRequest {
  return { channel, from: Math.round(now - HISTORY_WINDOWS[window].ms), to: Math.round(now), maxPoints: CHART_POINTS };
}

/**
 * What a change adds to a channel's history: a reading at its time, or a flow meter's rate,
 * stamped with `now` because flow updates carry no time of their own. Null for the rest.
 */
export function historySampleOf(change: StationChange, now: () => number): { channel: string; at: number; value: number; raw?: number } | null {
  switch (change.type) {
    case 'ecph_reading':
      // A calibrated probe's reading keeps the controller's own value beside it.
      return change.raw === undefined ? { channel: change.sensorId, at: change.at, value: change.value } : { channel: change.sensorId, at: change.at, value: change.value, raw: change.raw };
    case 'flow_update':
      return { channel: change.meterId, at: now(), value: change.rate };
    default:
      return null;
  }
}

/** A history request as the station reads it, every default applied; or why it is refused. */
export type HistoryQuery =
  | { ok: true; channel: string; from: number; to: number; maxPoints: number }
  | { ok: false; message: string };

const TIME_HINT = 'epoch milliseconds or an ISO date such as 2026-05-01T12:00:00Z';
const EPOCH_MS = /^\d+(\.\d+)?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;
/** The latest instant a JavaScript Date can hold. */
const MAX_TIME = 8.64e15;

const CHANNEL_REQUIRED = 'channel is required: send the id of a sensor or flow meter, such as ?channel=ec1';

/** A time parameter: epoch ms or an ISO date; empty counts as left out. */
const timeParam = (name: 'from' | 'to') =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const text = raw?.trim() ?? '';
      if (text === '') return undefined;
      const parsed = parseTime(text);
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: 'custom', message: `${name} ${parsed}` });
        return z.NEVER;
      }
      return parsed;
    });

const HISTORY_QUERY = z.object({
  channel: z
    .string({ error: CHANNEL_REQUIRED })
    .trim()
    .min(1, { error: CHANNEL_REQUIRED }),
  from: timeParam('from'),
  to: timeParam('to'),
  maxPoints: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const text = raw?.trim() ?? '';
      if (text === '') return DEFAULT_MAX_POINTS;
      const value = /^\d+$/.test(text) ? Number(text) : NaN;
      if (!(value >= 1 && value <= MAX_MAX_POINTS)) {
        ctx.addIssue({
          code: 'custom',
          message: `maxPoints must be a whole number from 1 to ${MAX_MAX_POINTS}, not ${quote(text)}; leave it out for ${DEFAULT_MAX_POINTS}`,
        });
        return z.NEVER;
      }
      return value;
    }),
});

/**
 * Reads `channel`, `from`, `to` and `maxPoints` from a history request. Empty parameters count
 * as absent, because a form or a URL template (`?channel=ec1&from=&to=`) sends them that way.
 */
export function parseHistoryQuery(params: URLSearchParams, now: number): HistoryQuery {
  const parsed = HISTORY_QUERY.safeParse(Object.fromEntries(params));
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? 'the query is not valid' };
  const { channel, maxPoints } = parsed.data;
  const to = parsed.data.to ?? now;
  const from = parsed.data.from ?? to - DEFAULT_WINDOW_MS;
  if (from > to) {
    return {
      ok: false,
      message: `from (${new Date(from).toISOString()}) is after to (${new Date(to).toISOString()}): send a from at or before to, or leave from out for the hour before to`,
    };
  }
  return { ok: true, channel, from, to, maxPoints };
}

/** Epoch milliseconds, or the end of a sentence saying why the text is not a time. */
export function parseTime(text: string): number | string {
  if (EPOCH_MS.test(text)) {
    const ms = Number(text);
    return ms <= MAX_TIME ? ms : `is too far in the future: send ${TIME_HINT}`;
  }
  const iso = ISO_DATE.exec(text);
  if (!iso) return `must be ${TIME_HINT}, not ${quote(text)}`;
  const [, year, month, day, hour, , , zone] = iso;
  // Without a zone the server's clock would pick one, and it may not be the reader's.
  if (hour !== undefined && zone === undefined) {
    return `needs a time zone: add Z for UTC or an offset, such as ${text}Z or ${text}+02:00`;
  }
  // Date.parse rolls impossible days over (2026-02-30 becomes 2 March) instead of refusing them.
  const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const ms = Date.parse(text);
  if (calendar.getUTCDate() !== Number(day) || calendar.getUTCMonth() !== Number(month) - 1 || Number.isNaN(ms)) {
    return `is not a real date (${quote(text)}): send ${TIME_HINT}`;
  }
  return ms;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** Reads /api/history's answer; null when it is not one. */
export function readHistory(body: string): ChannelHistory | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { channel, from, to, points, downsampled } = parsed as Record<string, unknown>;
  if (typeof channel !== 'string' || typeof from !== 'number' || typeof to !== 'number' || !Array.isArray(points)) return null;
  const clean = points.filter(
    (point): point is [number, number] => Array.isArray(point) && typeof point[0] === 'number' && typeof point[1] === 'number',
  );
  return { channel, from, to, points: clean, downsampled: downsampled === true };
}
