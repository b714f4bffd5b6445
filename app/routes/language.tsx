// The language switch of the screens before login and of customers (ADR 042): remembered in a
// cookie, then back to the page it was chosen on. Staff choose theirs on /me (stored with them).
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { safeRedirect } from "../auth/safe-redirect";
import { isLanguage } from "../i18n/language";
import { languageCookie } from "../i18n/language.server";

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const language = form.get("language");
  const back = safeRedirect(String(form.get("redirectTo") ?? "/"), "/");
  if (!isLanguage(language)) return redirect(back);
  return redirect(back, { headers: { "Set-Cookie": languageCookie(language, request) } });
}

export function loader() {
  return redirect("/");
}
