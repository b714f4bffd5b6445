// Page titles (<title>) in the page's language. A meta function has no hooks: it reads the
// language from the loaders' data of the matched routes, as root.tsx does.
import type { ParseKeys } from "i18next";
import { translator } from "./i18n";
import { DEFAULT_LANGUAGE, isLanguage, type Language } from "./language";

type Match = { id: string; data: unknown };

export function matchedLanguage(matches: readonly Match[]): Language {
  const of = (id: string) => (matches.find((m) => m.id === id)?.data as { language?: unknown } | undefined)?.language;
  const staff = of("routes/_staff");
  if (isLanguage(staff)) return staff;
  const root = of("root");
  return isLanguage(root) ? root : DEFAULT_LANGUAGE;
}

/** `[{ title: "Payments · Paydesk" }]` in the page's language; `values` fill the key's blanks. */
export function metaTitle(matches: readonly Match[], key: ParseKeys, values?: Record<string, unknown>) {
  const t = translator(matchedLanguage(matches));
  return [{ title: t("common.pageTitle", { title: t(key, values as never) }) }];
}
