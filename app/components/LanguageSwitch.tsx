// The quick language switch in the header of every screen (ADR 042). Staff post to their account
// (the choice is theirs, stored with the user); anyone else posts to /language (a cookie).
import { SegmentedControl, VisuallyHidden } from "@mantine/core";
import { useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LANGUAGE_NAMES, LANGUAGES, type Language } from "../i18n/language";
import { useLanguage } from "./use-format";
import { shownValue, useSavedChoice } from "./use-saved-choice";

const SHORT: Record<Language, string> = { en: "EN", nb: "NO" };

export function LanguageSwitch({ staff = false }: { staff?: boolean }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const location = useLocation();
  const { submit, shown } = useSavedChoice({ method: "post", action: staff ? "/me" : "/language" });
  const choose = (next: string) => {
    const form: Record<string, string> = staff
      ? { intent: "set-language", language: next }
      : { language: next, redirectTo: `${location.pathname}${location.search}` };
    submit(form);
  };
  return (
    <fieldset style={{ border: 0, margin: 0, padding: 0, minWidth: 0 }}>
      <VisuallyHidden component="legend">{t("common.language")}</VisuallyHidden>
      <SegmentedControl
        size="xs"
        value={shownValue(shown, "language") ?? language}
        onChange={choose}
        data={LANGUAGES.map((value) => ({
          value,
          label: (
            <span lang={value} aria-label={LANGUAGE_NAMES[value]} title={LANGUAGE_NAMES[value]}>
              {SHORT[value]}
            </span>
          ),
        }))}
      />
    </fieldset>
  );
}
