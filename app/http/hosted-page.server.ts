// What the sandbox's decision pages (Vipps, wallet 3-D Secure, Collector invoice) share: no
// caching of a page whose URL holds its token, the status a page state answers with, and the
// form action that takes the customer's decision and sends them back to the shop.
import type { HeadersFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import type { SystemCaller } from "../domain/caller";

// (server/app.ts already sends Referrer-Policy: same-origin, so the token never leaves in a
// Referer to the shop; a stricter no-referrer would make browsers send "Origin: null" on the
// form POST, which the CSRF check refuses.)
export const hostedPageHeaders: HeadersFunction = () => ({ "Cache-Control": "no-store" });

/** Where hosted pages live: PAYDESK_PUBLIC_URL when set (behind a proxy), else the request's origin. */
export function publicOrigin(url: URL): string {
  const configured = process.env.PAYDESK_PUBLIC_URL?.trim().replace(/\/+$/, "");
  return configured || url.origin;
}

/** Who acts on a sandbox provider page: the provider itself, named by its page, with the request's correlationId. */
export function sandboxCaller(page: string, correlationId: string): SystemCaller {
  return { kind: "system", name: `sandbox-${page}`, correlationId };
}

// in_progress: another request holds the page's claim and the provider has not answered yet; the
// page says so (202, like the card page) and settles by itself.
const STATUS_OF_STATE: Record<string, number> = { expired: 410, completed: 409, unavailable: 409, in_progress: 202 };

type PageView = { state: string };

/** What a page says once it is closed: after it expired, and after it completed (by its outcome). */
type ClosedWords<V> = { expired: string; completed: (view: V) => string };

/** The loader's answer: the page view with its message (none while open), 410 once the page expired. */
export function pageResponse<V extends PageView>(view: V | null, notFound: string, closed: ClosedWords<V>) {
  if (!view) throw new Response(notFound, { status: 404 });
  const message =
    view.state === "expired" ? closed.expired : view.state === "completed" ? closed.completed(view) : null;
  return json({ ...view, message }, { status: view.state === "expired" ? 410 : 200 });
}

type Outcome = { redirectTo?: string | null; state: string; message: string } | null;

/**
 * The action: reads the form's `decision` (one of two choices), lets `decide` apply it, and
 * redirects to the shop or re-renders the page with the outcome's message.
 */
export async function decisionAction<D extends string>(
  request: Request,
  choices: readonly [D, D],
  prompt: string,
  notFound: string,
  decide: (decision: D) => Promise<Outcome>,
) {
  const decision = (await request.formData()).get("decision");
  if (decision !== choices[0] && decision !== choices[1]) {
    return json({ state: "invalid", message: prompt }, { status: 400 });
  }
  const outcome = await decide(decision as D);
  if (!outcome) throw new Response(notFound, { status: 404 });
  if (outcome.redirectTo) return redirect(outcome.redirectTo);
  return json({ state: outcome.state, message: outcome.message }, { status: STATUS_OF_STATE[outcome.state] ?? 200 });
}
