// A range of whole days, as the dashboard and the settlements screen take it from the URL:
//   ?range=today|7d|30d|90d      a preset ending today
//   ?from=2026-11-01&to=2026-11-15   a custom range, both days included
// Days are calendar days in UTC, because that is how the daily_volume rollup counts them (the
// day of each capture or credit in UTC). A value that cannot be read is reported with the name
// of its parameter and the default range is used instead, so a hand-edited link still shows
// something sensible next to the message.
//
// Days are "YYYY-MM-DD" strings throughout; the arithmetic below goes through Date.UTC only to
// step from one calendar day to the next.
import type { FieldError, Say } from "./errors";

export const RANGE_PRESETS = ["today", "7d", "30d", "90d"] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export const PRESET_LABELS: Record<RangePreset, string> = {
  today: "Today",
  "7d": "7 days",
  "30d": "30 days",
  "90d": "90 days",
};

const PRESET_DAYS: Record<RangePreset, number> = { today: 1, "7d": 7, "30d": 30, "90d": 90 };

export type DayRange = {
  /** First day, included. */
  from: string;
  /** Last day, included. */
  to: string;
  /** The preset it came from, or "custom" for from/to. */
  preset: RangePreset | "custom";
};

export type DayRangeOptions = {
  /** Today's UTC day, from the server's clock. */
  today: string;
  defaultPreset: RangePreset;
  /** The longest range accepted, in days. */
  maxDays: number;
};

const DAY = 86_400_000;
const DAY_PATTERN = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** The UTC day of an instant, "YYYY-MM-DD". */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** True for a real calendar day written as YYYY-MM-DD (2026-02-30 is not one). */
export function isDay(value: string): boolean {
  const match = DAY_PATTERN.exec(value);
  if (!match) return false;
  const at = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return match[1] !== "0000" && utcDay(at) === value;
}

/** The day `days` after `day` (negative: before). */
export function addDays(day: string, days: number): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY));
}

/** Days from `from` to `to`, both included (0 when `to` is before `from`). */
export function daysBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY) + 1);
}

/** Every day of the range, oldest first. */
export function daysOf(range: { from: string; to: string }): string[] {
  const count = daysBetween(range.from, range.to);
  return Array.from({ length: count }, (_, i) => addDays(range.from, i));
}

export function presetRange(preset: RangePreset, today: string): DayRange {
  return { from: addDays(today, 1 - PRESET_DAYS[preset]), to: today, preset };
}

export function isPreset(value: string | null): value is RangePreset {
  return value !== null && (RANGE_PRESETS as readonly string[]).includes(value);
}

/** A parameter's problem, with its locale key (errors.dayRange.*) for the screens' reader. */
const problem = (field: string, message: string, key: string, values?: Say["values"]): FieldError => ({
  field,
  message,
  say: { key: `errors.dayRange.${key}`, values },
});

/**
 * Reads `range`, or `from` and `to`, from the query string. Never throws: what cannot be used
 * comes back in `errors` (one per parameter, with a message a person can act on) and the
 * default preset is used in its place.
 */
export function parseDayRange(
  params: URLSearchParams,
  options: DayRangeOptions,
): { range: DayRange; errors: FieldError[] } {
  const fallback = presetRange(options.defaultPreset, options.today);
  const from = params.get("from")?.trim() || null;
  const to = params.get("to")?.trim() || null;
  const preset = params.get("range")?.trim() || null;

  if (from === null && to === null) {
    if (preset === null) return { range: fallback, errors: [] };
    if (isPreset(preset)) return { range: presetRange(preset, options.today), errors: [] };
    return {
      range: fallback,
      errors: [
        problem("range", `must be one of ${RANGE_PRESETS.join(", ")}`, "preset", { values: RANGE_PRESETS.join(", ") }),
      ],
    };
  }

  const errors: FieldError[] = [];
  if (from === null) errors.push(problem("from", "is needed with to: choose the first day too", "fromNeeded"));
  else if (!isDay(from))
    errors.push(
      problem("from", "must be a day written as YYYY-MM-DD, e.g. 2026-11-01", "day", { example: "2026-11-01" }),
    );
  if (to === null) errors.push(problem("to", "is needed with from: choose the last day too", "toNeeded"));
  else if (!isDay(to))
    errors.push(
      problem("to", "must be a day written as YYYY-MM-DD, e.g. 2026-11-30", "day", { example: "2026-11-30" }),
    );
  if (errors.length > 0 || from === null || to === null) return { range: fallback, errors };

  if (to < from)
    return { range: fallback, errors: [problem("to", "must be the same day as from or later", "backwards")] };
  if (daysBetween(from, to) > options.maxDays) {
    return {
      range: fallback,
      errors: [
        problem("to", `must be at most ${options.maxDays} days after from`, "tooLong", { max: options.maxDays }),
      ],
    };
  }
  return { range: { from, to, preset: "custom" }, errors: [] };
}

/** The query-string values that reproduce a range. */
export function rangeParams(range: DayRange): Record<string, string> {
  return range.preset === "custom" ? { from: range.from, to: range.to } : { range: range.preset };
}

const CURRENCY_PATTERN = /^[A-Z]{3}$/;

/** An optional ISO 4217 code from the query string (upper-cased), or an error for anything else. */
export function parseCurrencyParam(value: string | null): { currency: string | null; error: FieldError | null } {
  const text = value?.trim().toUpperCase() || null;
  if (text === null) return { currency: null, error: null };
  if (!CURRENCY_PATTERN.test(text))
    return {
      currency: null,
      error: problem("currency", "must be a three-letter currency code such as NOK", "currency"),
    };
  return { currency: text, error: null };
}
