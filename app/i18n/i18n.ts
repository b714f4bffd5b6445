// One i18next instance per language, made once and shared (ADR 042). Its language never changes,
// so an instance is safe to share between concurrent server renders; switching language swaps
// instances. Both languages' resources are bundled: the browser renders at once, with no fetch.
import { createInstance, type i18n, type TFunction } from "i18next";
import { en } from "../locales/en";
import { nb } from "../locales/nb";
import type { Language } from "./language";

export const resources = { en: { translation: en }, nb: { translation: nb } } as const;

/**
 * What a missing key does: nothing visible in production (i18next shows the key), a thrown error
 * under the tests, so that a screen asking for a key no locale has fails its browser test.
 */
function onMissingKey(_languages: readonly string[], _namespace: string, key: string) {
  if (typeof process !== "undefined" && process.env.VITEST) throw new Error(`Missing translation key: ${key}`);
}

const instances = new Map<Language, i18n>();

export function i18nFor(language: Language): i18n {
  let instance = instances.get(language);
  if (!instance) {
    instance = createInstance();
    void instance.init({
      lng: language,
      resources,
      fallbackLng: false,
      initAsync: false,
      interpolation: { escapeValue: false },
      returnNull: false,
      saveMissing: true,
      missingKeyHandler: onMissingKey,
      react: { useSuspense: false },
    });
    instances.set(language, instance);
  }
  return instance;
}

/** `t` for server code that answers in the reader's language (action messages, field errors). */
export function translator(language: Language): TFunction {
  return i18nFor(language).t;
}
