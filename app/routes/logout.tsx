import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { logout } from "../auth/session.server";

// Logging out changes state, so it is a POST (the Origin check applies); a GET just goes home.
export async function action({ request, context }: ActionFunctionArgs) {
  return redirect("/login", { headers: { "Set-Cookie": await logout(request, context) } });
}

export function loader() {
  return redirect("/");
}
