// Which language a request is answered in (ADR 042): a staff user's own choice, else the
// language cookie (set by the switch on every screen), else the browser's Accept-Language.
import { cookieAttributes } from "../auth/cookie.server";
import { isLanguage, LANGUAGE_COOKIE, languageFromAcceptLanguage, type Language } from "./language";

function cookieLanguage(request: Request): Language | null {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [name, value] = part.trim().split("=");
    if (name === LANGUAGE_COOKIE && isLanguage(value)) return value;
  }
  return null;
}

/** The language of someone not signed in as staff: the cookie, else what the browser asks for. */
export function browserLanguage(request: Request): Language {
  return cookieLanguage(request) ?? languageFromAcceptLanguage(request.headers.get("accept-language"));
}

/** The language of a staff user's screens: theirs when chosen, else the browser's. */
export function staffLanguage(user: { language: Language | null }, request: Request): Language {
  return user.language ?? browserLanguage(request);
}

/** The Set-Cookie that remembers a language on this browser for a year (none: forget it). */
export function languageCookie(language: Language | null, request: Request): string {
  const age = language ? 365 * 24 * 60 * 60 : 0;
  return `${LANGUAGE_COOKIE}=${language ?? ""}; Max-Age=${age}; ${cookieAttributes(request)}`;
}
