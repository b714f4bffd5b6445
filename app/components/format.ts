// Display formatting for the staff screens. Isomorphic: the server renders with it and the
// browser hydrates with the same output, so it imports nothing server-only.
//
// Money arrives as the database's decimal string ("199.00000") and goes to Intl as that string:
// Intl.NumberFormat formats decimal strings exactly, so an amount never passes through a float.

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    // The currency's own digits (2 for NOK), more only when the amount has them (up to the
    // 5 decimals the database keeps), so "0.12345" is not silently shown as 0,12.
    format = new Intl.NumberFormat(locale, { style: "currency", currency, maximumFractionDigits: 5 });
    moneyFormats.set(key, format);
  }
  return format;
}

/** "199.00000", "NOK" → "kr 199,00" (nb-NO). Unknown currency codes fall back to "199.00000 XYZ". */
export function formatMoney(amount: string, currency: string, locale = "nb-NO"): string {
  try {
    // Intl accepts a decimal string (ECMA-402 NumberFormat v3); the lib typings only know
    // number | bigint, so the argument's type is cast. The value stays the exact string.
    return moneyFormat(locale, currency).format(amount as unknown as number);
  } catch {
    return `${amount} ${currency}`;
  }
}

const inputFormats = new Map<string, Intl.NumberFormat>();

/**
 * An amount as a person would type it into a field: "2596.50" → "2596,50" (nb-NO), no grouping
 * and no currency, so the field starts as the reader writes numbers. Exact: Intl reads the string.
 */
export function formatAmountForInput(amount: string, locale = "nb-NO"): string {
  let format = inputFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { useGrouping: false, minimumFractionDigits: 2, maximumFractionDigits: 5 });
    inputFormats.set(locale, format);
  }
  return /^[0-9]+(\.[0-9]+)?$/.test(amount) ? format.format(amount as unknown as number) : amount;
}

const countFormats = new Map<string, Intl.NumberFormat>();

/** Counts for people: 3000 → "3 000" (nb-NO). */
export function formatCount(value: number, locale = "nb-NO"): string {
  let format = countFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    countFormats.set(locale, format);
  }
  return format.format(value);
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(timeZone: string): Intl.DateTimeFormat {
  let format = dateTimeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    dateTimeFormats.set(timeZone, format);
  }
  return format;
}

/**
 * An instant in the staff user's time zone. English screens show "2026-03-05 14:22:01"
 * (unambiguous and sortable), Norwegian ones the Norwegian way, "05.03.2026 14:22:01".
 * A bad time zone falls back to UTC; a bad date is shown as given.
 */
export function formatDateTime(iso: string | Date, timeZone: string, language: "en" | "nb" = "en"): string {
  const date = typeof iso === "string" ? new Date(iso) : iso;
  if (Number.isNaN(date.getTime())) return String(iso);
  let format: Intl.DateTimeFormat;
  try {
    format = dateTimeFormat(timeZone);
  } catch {
    format = dateTimeFormat("UTC");
  }
  const part: Record<string, string> = {};
  for (const { type, value } of format.formatToParts(date)) part[type] = value;
  const time = `${part.hour}:${part.minute}:${part.second}`;
  if (language === "nb") return `${part.day}.${part.month}.${part.year} ${time}`;
  return `${part.year}-${part.month}-${part.day} ${time}`;
}

/**
 * A calendar day ("2026-03-05": a UTC day of the rollups, a chargeback's due date) as the
 * language writes one: English keeps the sortable ISO day, Norwegian writes "05.03.2026".
 * Anything that is not such a day is shown as given.
 */
export function formatDay(day: string, language: "en" | "nb" = "en"): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match || language === "en") return day;
  return `${match[3]}.${match[2]}.${match[1]}`;
}

/** The same instant in UTC, ISO 8601 with milliseconds, for tooltips and copying. */
export function formatUtc(iso: string | Date): string {
  const date = typeof iso === "string" ? new Date(iso) : iso;
  return Number.isNaN(date.getTime()) ? String(iso) : date.toISOString();
}
