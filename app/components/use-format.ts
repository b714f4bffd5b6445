// Formatting in the reader's language (ADR 042): money, counts and instants through Intl with
// the locale of the language the screen is rendered in. The server and the browser render with
// the same language, so the output hydrates unchanged.
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { INTL_LOCALE, isLanguage, DEFAULT_LANGUAGE, type Language } from "../i18n/language";
import { formatCount, formatDateTime, formatDay, formatMoney } from "./format";

export function useLanguage(): Language {
  const { i18n } = useTranslation();
  return isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE;
}

export type Formats = {
  language: Language;
  locale: string;
  /** "2596.50000", "NOK" → "2 596,50 kr" (nb) or "NOK 2,596.50" (en): from the string, never a float. */
  money: (amount: string, currency: string) => string;
  count: (value: number) => string;
  dateTime: (value: string | Date, timeZone: string) => string;
  /** A calendar day, "2026-03-05" → "05.03.2026" (nb), unchanged (en). */
  day: (value: string) => string;
};

export function formatsFor(language: Language): Formats {
  const locale = INTL_LOCALE[language];
  return {
    language,
    locale,
    money: (amount, currency) => formatMoney(amount, currency, locale),
    count: (value) => formatCount(value, locale),
    dateTime: (value, timeZone) => formatDateTime(value, timeZone, language),
    day: (value) => formatDay(value, language),
  };
}

export function useFormat(): Formats {
  const language = useLanguage();
  return useMemo(() => formatsFor(language), [language]);
}
