/**
 * How long the sensor history keeps what (`history`): every raw reading for some days, then one
 * row per minute for much longer. The database's size is bounded by these two: a grower on a
 * small SD card keeps less, one who compares seasons keeps more.
 */
import { z } from 'zod';
import { describeIssue } from '../../shared/commands';
import type { SectionRead } from './section';

export interface HistorySettings {
  /** Days every raw reading is kept before it is summarised into minutes. */
  rawDays: number;
  /** Days the minute summaries are kept. */
  minuteDays: number;
}

export const DEFAULT_HISTORY: HistorySettings = { rawDays: 7, minuteDays: 365 };

/** One minute, as days: less would summarise readings before their minute is over. */
const SHORTEST_DAYS = 1 / 1440;
const LONGEST_DAYS = 3650;

const days = (what: string) =>
  z
    .number({ error: `${what} must be a number of days` })
    .min(SHORTEST_DAYS, { error: `${what} must be at least ${SHORTEST_DAYS.toFixed(5)} (one minute)` })
    .max(LONGEST_DAYS, { error: `${what} must be at most ${LONGEST_DAYS} (ten years)` });

export const HISTORY_SCHEMA = z
  .strictObject({ rawDays: days('rawDays'), minuteDays: days('minuteDays') })
  .partial()
  .refine((history) => (history.minuteDays ?? DEFAULT_HISTORY.minuteDays) >= (history.rawDays ?? DEFAULT_HISTORY.rawDays), {
    error: 'minuteDays must be at least rawDays: the minutes are what is left of the raw readings once they go',
  });

const FALLBACK = `keeping raw readings ${DEFAULT_HISTORY.rawDays} days and minutes ${DEFAULT_HISTORY.minuteDays} days until it is fixed`;

export function readHistory(section: unknown, file: string): SectionRead<HistorySettings> {
  if (section === undefined) return { value: DEFAULT_HISTORY };
  const parsed = HISTORY_SCHEMA.safeParse(section);
  if (!parsed.success) return { value: DEFAULT_HISTORY, warning: `${file}: history.${describeIssue(parsed.error.issues[0])}; ${FALLBACK}` };
  return { value: { ...DEFAULT_HISTORY, ...parsed.data } };
}

const DAY_MS = 86_400_000;

/** The sensor history's retention, as the database takes it. */
export function historyRetention(history: HistorySettings): { rawRetentionMs: number; rollupRetentionMs: number } {
  return { rawRetentionMs: Math.round(history.rawDays * DAY_MS), rollupRetentionMs: Math.round(history.minuteDays * DAY_MS) };
}
