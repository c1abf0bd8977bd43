/**
 * The last few readings of one sensor, as seen since the screen opened: enough for a sparkline
 * to show which way a tank is heading. The full record is the History screen's job.
 */
export interface Trend {
  /** Oldest first; at most `capacity` of them. */
  readonly values: readonly number[];
  /** When the newest value was taken, so the same reading is never counted twice. */
  readonly lastAt: number;
}

export const TREND_POINTS = 60;

export const EMPTY_TREND: Trend = { values: [], lastAt: Number.NEGATIVE_INFINITY };

/** The trend with one more reading; the oldest falls out once the trend is full. */
export function addToTrend(trend: Trend, reading: { value: number; at: number }, capacity = TREND_POINTS): Trend {
  if (reading.at <= trend.lastAt || !Number.isFinite(reading.value)) return trend;
  const kept = trend.values.length >= capacity ? trend.values.slice(trend.values.length - capacity + 1) : trend.values;
  return { values: [...kept, reading.value], lastAt: reading.at };
}
