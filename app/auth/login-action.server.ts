// The one login form action behind both login pages, staff (/login) and customer
// (/account/login): the same fields and messages, the same throttling answer (429 with
// Retry-After), and a redirect only to a same-site path. Each page passes its own way of logging
// in (its own session type and cookie) and where to go by default.
import { json, redirect } from "@remix-run/node";
import { z } from "zod";
import type { TFunction } from "i18next";
import { translator } from "../i18n/i18n";
import { browserLanguage } from "../i18n/language.server";
import { MAX_PASSWORD_LENGTH } from "./password-policy.server";
import { safeRedirect } from "./safe-redirect";

/** The form, its messages in the reader's language. */
const loginForm = (t: TFunction) =>
  z.object({
    email: z.string().trim().min(1, t("auth.errors.enterEmail")).max(320).email(t("auth.errors.validEmail")),
    // The same upper bound as when a password is chosen: nothing longer can be right, and argon2 is
    // not made to hash whatever size a caller sends.
    password: z
      .string()
      .min(1, t("auth.errors.enterPassword"))
      .refine(
        (value) => [...value].length <= MAX_PASSWORD_LENGTH,
        t("auth.errors.passwordTooLong", { max: MAX_PASSWORD_LENGTH }),
      ),
    redirectTo: z.string().optional(),
  });

export type LoginActionData = { fieldErrors?: Partial<Record<"email" | "password", string>>; formError?: string };

type LoginOutcome =
  | {
      ok: true;
      setCookie: string | string[];
      /** Where the login goes on (a second step), instead of `redirectTo`. */
      location?: string;
    }
  | { ok: false; reason: "invalid" | "throttled"; retryAfterSeconds?: number };

export async function loginAction(
  request: Request,
  logIn: (credentials: { email: string; password: string }, redirectTo: string | undefined) => Promise<LoginOutcome>,
  home?: string,
): Promise<Response> {
  const t = translator(browserLanguage(request));
  const parsed = loginForm(t).safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    const fieldErrors: LoginActionData["fieldErrors"] = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if ((field === "email" || field === "password") && !fieldErrors[field]) fieldErrors[field] = issue.message;
    }
    return json<LoginActionData>({ fieldErrors }, { status: 400 });
  }
  const result = await logIn({ email: parsed.data.email, password: parsed.data.password }, parsed.data.redirectTo);
  if (!result.ok) {
    if (result.reason === "throttled") {
      const seconds = result.retryAfterSeconds ?? 60;
      return json<LoginActionData>(
        { formError: t("auth.errors.throttled", { wait: waitInWords(t, seconds) }) },
        { status: 429, headers: { "Retry-After": String(seconds) } },
      );
    }
    return json<LoginActionData>({ formError: t("auth.errors.wrongCredentials") }, { status: 401 });
  }
  const headers = new Headers();
  for (const cookie of [result.setCookie].flat()) headers.append("Set-Cookie", cookie);
  return redirect(result.location ?? safeRedirect(parsed.data.redirectTo, home), { headers });
}

function waitInWords(t: TFunction, seconds: number): string {
  if (seconds < 60) return t("auth.errors.seconds", { count: seconds });
  return t("auth.errors.minutes", { count: Math.ceil(seconds / 60) });
}
