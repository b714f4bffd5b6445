// Where the colour-scheme menu posts a choice (auto, light, dark): a cookie for the server's next
// first render, and, for a signed-in staff user, their account (so it follows them elsewhere).
import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { cookieAttributes } from "../auth/cookie.server";
import { getStaffUser } from "../auth/session.server";
import { COLOR_SCHEME_COOKIE, isColorSchemeChoice } from "../domain/color-scheme";
import { staffCaller } from "../http/staff/action.server";
import { chooseColorScheme } from "../services/admin/staff-account.server";

const YEAR_SECONDS = 365 * 24 * 60 * 60;

export async function action({ request, context }: ActionFunctionArgs) {
  const choice = (await request.formData()).get("colorScheme");
  if (!isColorSchemeChoice(choice))
    return json({ ok: false, fieldErrors: { colorScheme: "must be auto, light or dark" } }, { status: 400 });
  const user = await getStaffUser(request);
  if (user) await chooseColorScheme(staffCaller(user, request, context, null), { colorScheme: choice });
  // HttpOnly like every cookie here: the server reads it and renders the scheme; no script needs it.
  const cookie = `${COLOR_SCHEME_COOKIE}=${choice}; ${cookieAttributes(request)}; Max-Age=${YEAR_SECONDS}`;
  return json({ ok: true, colorScheme: choice }, { headers: { "Set-Cookie": cookie } });
}
