// Time for the generator: the 90-day window, millisecond units, UTC dates and the slots that
// spread payments over the window by weekday and hour of day.
import type { Rng } from "./prng";

const DAYS = 90;

export const SEC = 1000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

const dates = new Map<number, string>();
/** "YYYY-MM-DD" of a UTC instant, memoised per day (the generator asks millions of times). */
export function utcDate(ms: number): string {
  const day = Math.floor(ms / DAY);
  let date = dates.get(day);
  if (date === undefined) {
    date = new Date(day * DAY).toISOString().slice(0, 10);
    dates.set(day, date);
  }
  return date;
}

/**
 * Timestamps for `total` payments over the last 90 days, handed out in ascending order (so
 * payment ids grow with time, as in production): each hour gets its share by a weekday and
 * time-of-day profile (Oslo time, taken as UTC+1), exactly `total` in all.
 */
export class TimeSlots {
  private readonly counts: Int32Array;
  private bucket = -1;
  private times: Float64Array = new Float64Array(0);
  private index = 0;

  constructor(
    private readonly rng: Rng,
    total: number,
    private readonly now: number,
  ) {
    const start = now - DAYS * DAY;
    const buckets = DAYS * 24;
    const weights = new Float64Array(buckets);
    let sum = 0;
    for (let h = 0; h < buckets; h++) {
      const local = new Date(start + h * HOUR + HOUR / 2 + HOUR);
      const day = local.getUTCDay();
      const dayWeight = day === 0 ? 0.6 : day === 6 ? 0.7 : day === 5 ? 1.1 : 1;
      weights[h] = dayWeight * HOUR_WEIGHTS[local.getUTCHours()];
      sum += weights[h];
    }
    this.counts = new Int32Array(buckets);
    let cumulative = 0;
    let assigned = 0;
    for (let h = 0; h < buckets; h++) {
      cumulative += weights[h];
      const upTo = h === buckets - 1 ? total : Math.round((total * cumulative) / sum);
      this.counts[h] = upTo - assigned;
      assigned = upTo;
    }
  }

  next(): number {
    while (this.index >= this.times.length) {
      this.bucket++;
      if (this.bucket >= this.counts.length) return this.now - 1;
      const from = this.now - DAYS * DAY + this.bucket * HOUR;
      const times = new Float64Array(this.counts[this.bucket]);
      for (let i = 0; i < times.length; i++) times[i] = from + Math.floor(this.rng.next() * HOUR);
      times.sort(); // a typed array sorts numerically
      this.times = times;
      this.index = 0;
    }
    return Math.min(this.times[this.index++], this.now - 1);
  }
}

// Oslo local hour 0..23: quiet nights, commuter peaks.
const HOUR_WEIGHTS = [
  0.15, 0.08, 0.05, 0.04, 0.06, 0.25, 0.7, 1.3, 1.2, 0.9, 0.8, 0.85, 0.9, 0.9, 1.0, 1.3, 1.4, 1.1, 0.9, 0.8, 0.7, 0.55,
  0.4, 0.25,
];
