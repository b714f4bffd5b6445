// Date ranges of the staff lists: whole days in the staff user's time zone (`from=2026-11-01&
// to=2026-11-07`, both inclusive), turned into UTC bounds on the server. A day is what a person
// means by "the 3rd": in Oslo it starts at 23:00 or 22:00 UTC the day before, depending on DST.
// Isomorphic (no server imports): the screens use `dayIn` for "today" in their presets.
import type { Say } from "./errors";

export type DayRange = { from: string | null; to: string | null };

/** UTC bounds: createdAt >= gte and createdAt < lt (the start of the day after `to`). */
export type InstantBounds = { gte: Date | null; lt: Date | null };

/** A refusal's `say`: its locale key, for the screens to say in the reader's language. */
export type DayRangeOutcome =
  { ok: true; range: DayRange; bounds: InstantBounds } | { ok: false; range: DayRange; message: string; say: Say };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2026-11-01" when it is a real calendar day (years 1000 to 9998, so the day after is one too), else null. */
export function parseDay(text: string): { year: number; month: number; day: number } | null {
  const match = DAY.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1000 || year > 9998) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? { year, month, day } : null;
}

function safeTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
}

/** How far the wall clock in `timeZone` is ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
  for (const { type, value } of format.formatToParts(new Date(instant))) parts[type] = Number(value);
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a calendar day starts in a time zone. Midnight as if it were UTC, moved by the
 * zone's offset, then by the offset at that result once more, which settles DST changes (where
 * midnight does not exist, the first instant of the day after the gap).
 */
export function startOfDay(day: string, timeZone: string): Date {
  const parsed = parseDay(day);
  if (!parsed) throw new Error(`not a day: ${day}`);
  const zone = safeTimeZone(timeZone);
  const asUtc = Date.UTC(parsed.year, parsed.month - 1, parsed.day);
  const first = asUtc - offsetAt(asUtc, zone);
  return new Date(asUtc - offsetAt(first, zone));
}

/** The day after, as "YYYY-MM-DD". */
export function nextDay(day: string): string {
  const parsed = parseDay(day);
  if (!parsed) throw new Error(`not a day: ${day}`);
  return new Date(Date.UTC(parsed.year, parsed.month - 1, parsed.day + 1)).toISOString().slice(0, 10);
}

/** The calendar day an instant falls on in a time zone, "YYYY-MM-DD". */
export function dayIn(instant: Date, timeZone: string): string {
  const parts: Record<string, string> = {};
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: safeTimeZone(timeZone),
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  });
  for (const { type, value } of format.formatToParts(instant)) parts[type] = value;
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** `days` days back from `day` ("YYYY-MM-DD"); 0 is the same day. */
export function daysBefore(day: string, days: number): string {
  const parsed = parseDay(day);
  if (!parsed) throw new Error(`not a day: ${day}`);
  return new Date(Date.UTC(parsed.year, parsed.month - 1, parsed.day - days)).toISOString().slice(0, 10);
}

/**
 * Reads `from` and `to` of a list URL. Either may be missing (open-ended); a malformed day or a
 * range that ends before it starts is an error for the screen to show next to the picker.
 */
export function readDayRange(params: URLSearchParams, timeZone: string): DayRangeOutcome {
  const range: DayRange = { from: params.get("from") || null, to: params.get("to") || null };
  for (const name of ["from", "to"] as const) {
    const value = range[name];
    if (value !== null && !parseDay(value)) {
      return {
        ok: false,
        range,
        message: `${name} must be a day as YYYY-MM-DD, not "${value.slice(0, 40)}"`,
        say: { key: "errors.filter.day", values: { name, typed: value.slice(0, 40) } },
      };
    }
  }
  if (range.from && range.to && range.from > range.to) {
    return {
      ok: false,
      range,
      message: `the range ends (${range.to}) before it starts (${range.from})`,
      say: { key: "errors.filter.rangeBackwards", values: { from: range.from, to: range.to } },
    };
  }
  return {
    ok: true,
    range,
    bounds: {
      gte: range.from ? startOfDay(range.from, timeZone) : null,
      lt: range.to ? startOfDay(nextDay(range.to), timeZone) : null,
    },
  };
}
