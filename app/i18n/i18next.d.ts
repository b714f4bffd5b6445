// Keys are typed: `t("no.such.key")` is a type error, English is the shape both locales follow.
import "i18next";
import type { en } from "../locales/en";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: typeof en };
  }
}
