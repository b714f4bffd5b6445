import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { customerLogout } from "../auth/customer-session.server";

// A POST (the Origin check applies): ends the customer session and every token it issued.
export async function action({ request }: ActionFunctionArgs) {
  return redirect("/account/login", { headers: { "Set-Cookie": await customerLogout(request) } });
}

export function loader() {
  return redirect("/account");
}
