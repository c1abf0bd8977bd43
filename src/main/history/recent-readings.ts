/**
 * Recent sensor and flow readings, kept in memory so `GET /api/history` can draw charts on a
 * station that keeps no database. Each channel holds a fixed ring of samples: a day at one
 * second by default, about 1.4 MB per channel, allocated once when the channel is first seen so
 * that recording a reading never allocates. A calibrated probe's raw values get a ring of their
 * own, allocated with its first one, so the other channels do not pay for it.
 */
import type { StationChange } from '../../shared/events';
import { DEFAULT_MAX_POINTS, historySampleOf, type ChannelHistory } from '../../shared/history';

export interface ReadingHistoryOptions {
  /** One sample is kept per slot of this length; a later reading in the same slot replaces it. */
  resolutionMs?: number;
  /** Samples kept per channel; the oldest is dropped when the ring is full. */
  capacity?: number;
  /** Flow updates carry no time of their own, so they are stamped with this clock. */
  now?: () => number;
}

/** Times only ever increase along a ring, which is what lets a query binary-search it. */
class ChannelRing {
  readonly times: Float64Array;
  readonly values: Float64Array;
  /** The controller's own values beside `values`, NaN where a reading was not calibrated; null until one was. */
  raw: Float64Array | null = null;
  /** Index of the oldest sample. */
  start = 0;
  count = 0;

  constructor(capacity: number) {
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  setRaw(index: number, raw: number | null): void {
    if (raw === null && !this.raw) return;
    this.raw ??= new Float64Array(this.times.length).fill(Number.NaN);
    this.raw[index] = raw ?? Number.NaN;
  }

  /** Where the sample `age` places after the oldest lives in the arrays. */
  at(age: number): number {
    const index = this.start + age;
    return index < this.times.length ? index : index - this.times.length;
  }

  /** How many samples are older than `time` (or, with `inclusive`, no newer than it). */
  countBefore(time: number, inclusive: boolean): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const t = this.times[this.at(mid)] ?? 0;
      if (t < time || (inclusive && t === time)) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

export class ReadingHistory {
  private readonly resolutionMs: number;
  private readonly capacity: number;
  private readonly now: () => number;
  private readonly rings = new Map<string, ChannelRing>();

  constructor(options: ReadingHistoryOptions = {}) {
    const { resolutionMs = 1000, capacity = 86_400, now = Date.now } = options;
    if (!(Number.isFinite(resolutionMs) && resolutionMs > 0)) {
      throw new RangeError(`resolutionMs must be a positive number of milliseconds, not ${resolutionMs}`);
    }
    if (!(Number.isSafeInteger(capacity) && capacity > 0)) {
      throw new RangeError(`capacity must be a positive whole number of samples, not ${capacity}`);
    }
    this.resolutionMs = resolutionMs;
    this.capacity = capacity;
    this.now = now;
  }

  /** `raw` is the controller's own value, for a reading a probe calibration changed. */
  record(channel: string, at: number, value: number, raw: number | null = null): void {
    if (!Number.isFinite(value) || !Number.isFinite(at)) return;
    const rawValue = raw !== null && Number.isFinite(raw) ? raw : null;
    let ring = this.rings.get(channel);
    if (!ring) {
      ring = new ChannelRing(this.capacity);
      this.rings.set(channel, ring);
    }
    if (ring.count > 0) {
      const newest = ring.at(ring.count - 1);
      const newestAt = ring.times[newest] ?? 0;
      // A reading that arrives late would break the time order queries rely on; the newer one
      // already describes the tank better, so the late one is dropped.
      if (at < newestAt) return;
      if (Math.floor(at / this.resolutionMs) === Math.floor(newestAt / this.resolutionMs)) {
        ring.times[newest] = at;
        ring.values[newest] = value;
        ring.setRaw(newest, rawValue);
        return;
      }
    }
    if (ring.count < this.capacity) {
      const slot = ring.at(ring.count);
      ring.times[slot] = at;
      ring.values[slot] = value;
      ring.setRaw(slot, rawValue);
      ring.count++;
    } else {
      ring.times[ring.start] = at;
      ring.values[ring.start] = value;
      ring.setRaw(ring.start, rawValue);
      ring.start = ring.at(1);
    }
  }

  recordChange(change: StationChange): void {
    const sample = historySampleOf(change, this.now);
    if (sample) this.record(sample.channel, sample.at, sample.value, sample.raw ?? null);
  }

  /** Every channel that has been recorded, sorted, so a 404 can list what exists. */
  channels(): string[] {
    return [...this.rings.keys()].sort();
  }

  /** Readings with `from <= t <= to`; null when the channel has never been recorded. */
  query(channel: string, from: number, to: number, maxPoints = DEFAULT_MAX_POINTS): ChannelHistory | null {
    const ring = this.rings.get(channel);
    if (!ring) return null;
    const first = ring.countBefore(from, false);
    const end = Math.max(first, ring.countBefore(to, true));
    const limit = Math.max(1, Math.floor(maxPoints));
    const downsampled = end - first > limit;
    const { points, raw } = downsampled ? downsample(ring, first, end, limit) : samples(ring, first, end);
    return raw.some((value) => value !== null) ? { channel, from, to, points, downsampled, raw } : { channel, from, to, points, downsampled };
  }
}

interface Points {
  points: Array<[number, number]>;
  raw: Array<number | null>;
}

const rawAt = (ring: ChannelRing, index: number): number | null => {
  const raw = ring.raw?.[index] ?? Number.NaN;
  return Number.isNaN(raw) ? null : raw;
};

function samples(ring: ChannelRing, first: number, end: number): Points {
  const points: Array<[number, number]> = [];
  const raw: Array<number | null> = [];
  for (let age = first; age < end; age++) {
    const index = ring.at(age);
    points.push([ring.times[index] ?? 0, ring.values[index] ?? 0]);
    raw.push(rawAt(ring, index));
  }
  return { points, raw };
}

/**
 * Averages the samples into `buckets` equal spans of time. The spans cover the samples found
 * rather than the window asked for: a chart that asks for "since midnight" on a station that
 * started at noon still gets its full resolution. Empty spans (a gap in the readings) produce
 * no point, so a gap stays visible.
 */
function downsample(ring: ChannelRing, first: number, end: number, buckets: number): Points {
  const start = ring.times[ring.at(first)] ?? 0;
  // More samples than buckets and strictly increasing times, so the span is never zero.
  const span = (ring.times[ring.at(end - 1)] ?? 0) - start;
  const points: Array<[number, number]> = [];
  const raw: Array<number | null> = [];
  let bucket = -1;
  let timeSum = 0;
  let valueSum = 0;
  let n = 0;
  // Raw values are averaged over the samples that have one, not diluted by the rest.
  let rawSum = 0;
  let rawN = 0;
  const close = () => {
    points.push([timeSum / n, valueSum / n]);
    raw.push(rawN > 0 ? rawSum / rawN : null);
  };
  for (let age = first; age < end; age++) {
    const index = ring.at(age);
    const t = ring.times[index] ?? 0;
    const b = Math.min(buckets - 1, Math.floor(((t - start) / span) * buckets));
    if (b !== bucket && n > 0) {
      close();
      timeSum = 0;
      valueSum = 0;
      n = 0;
      rawSum = 0;
      rawN = 0;
    }
    bucket = b;
    timeSum += t;
    valueSum += ring.values[index] ?? 0;
    n++;
    const rawValue = rawAt(ring, index);
    if (rawValue !== null) {
      rawSum += rawValue;
      rawN++;
    }
  }
  if (n > 0) close();
  return { points, raw };
}
