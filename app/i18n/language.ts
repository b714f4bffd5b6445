// The languages of the screens and how a browser's wishes map onto them (ADR 042). Pure and
// isomorphic: the server picks the language, the browser renders with the same one.

export const LANGUAGES = ["en", "nb"] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "en";

/** The cookie that carries the language chosen before login, for customers, or on this browser. */
export const LANGUAGE_COOKIE = "paydesk_lang";

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/** The Intl locale numbers, money and dates are formatted with. */
export const INTL_LOCALE: Record<Language, string> = { en: "en-GB", nb: "nb-NO" };

/** The name of each language in itself, for the switch. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: "English", nb: "Norsk" };

/** A language tag's primary subtag mapped onto ours: every Norwegian (nb, no, nn) reads bokmål. */
function fromTag(tag: string): Language | null {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  if (primary === "nb" || primary === "no" || primary === "nn") return "nb";
  if (primary === "en") return "en";
  return null;
}

/**
 * The language an Accept-Language header asks for: the most wanted tag we speak (by q, then by
 * order), English when none is.
 */
export function languageFromAcceptLanguage(header: string | null | undefined): Language {
  if (!header) return DEFAULT_LANGUAGE;
  const wishes = header
    .split(",")
    .map((part, index) => {
      const [tag, ...params] = part.split(";");
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { language: fromTag(tag), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((wish): wish is { language: Language; q: number; index: number } => wish.language !== null && wish.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return wishes[0]?.language ?? DEFAULT_LANGUAGE;
}
