// The sandbox's provider pages (card terminal, Vipps, 3-D Secure, invoice) driven the way a
// browser without JavaScript drives them: GET the page, POST its form, follow a 302 by hand.
import { expect } from "vitest";

/** GET a page: its status and HTML. */
export async function fetchPage(url: string) {
  const response = await fetch(url);
  return { status: response.status, html: await response.text() };
}

/** GET the page, which must answer 200 with each of `texts` in its HTML; the page, for more checks. */
export async function expectPageShows(url: string, texts: string[]) {
  const shown = await fetchPage(url);
  expect(shown.status).toBe(200);
  for (const text of texts) expect(shown.html).toContain(text);
  return shown;
}

/**
 * POST a form as the browser sends it from the page: urlencoded, `origin` as its Origin header
 * (none when empty), redirects not followed.
 */
export async function submitForm(url: string, fields: Record<string, string>, origin: string) {
  const response = await fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(origin ? { Origin: origin } : {}) },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, location: response.headers.get("location"), html: await response.text() };
}

/** The sandbox card page's form, paying with card `number` (valid expiry, CVC and name unless `more` says otherwise). */
export const cardForm = (number: string, more: Record<string, string> = {}) => ({
  intent: "pay",
  cardNumber: number,
  expiry: "12/30",
  cvc: "123",
  cardholder: "Kari Nordmann",
  ...more,
});

/** Where a redirect sent the browser: the address without its query, and the query as an object. */
export function landed(location: string | null) {
  const url = new URL(location!);
  return { base: `${url.origin}${url.pathname}`, query: Object.fromEntries(url.searchParams) };
}

/**
 * A provider page's answer to the customer's decision: a 302 back to `returnUrl` with the
 * transaction's ids and `result` in its query (after `query`, what `returnUrl` carried itself).
 */
export function expectSentBack(
  answer: { status: number; location: string | null },
  returnUrl: string,
  p: { paymentId: number; transactionId: number },
  result: string,
  query: Record<string, string> = {},
) {
  expect(answer.status).toBe(302);
  expect(landed(answer.location)).toEqual({
    base: returnUrl,
    query: { ...query, paymentId: String(p.paymentId), transactionId: String(p.transactionId), result },
  });
}
