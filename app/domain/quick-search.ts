// How the search finds payments (the header's search for everything and the payments list's
// `q`): support pastes or types whatever the customer or the acquirer gave them, and the text is
// tried as every kind it can be; the screens say which kinds matched. Every kind is index-backed
// (docs/decisions/030-search-for-everything.md).
//
//   a masked card (•••• 1234,    the card's last 4 only
//     411111******1234)
//   4 digits                     also the card's last 4
//   digits                       also a paymentId (not with a leading 0)
//   an amount as people type it  also the payment's total amount (`2 596,50`, `2596.50`, `2596`)
//   anything                     an orderId, case-insensitive and partial (`ord-2026-002997` and
//                                `002997` find ORD-2026-002997; under 3 characters the whole id),
//                                and an rrn (exact)
import type { Say } from "./errors";
import type { Money } from "./money";
import { parseTypedPositiveAmount } from "./typed-amount";

export const QUICK_SEARCH_KINDS = ["paymentId", "orderId", "rrn", "cardNumber", "amount"] as const;
export type QuickSearchKind = (typeof QUICK_SEARCH_KINDS)[number];

export const QUICK_SEARCH_LABELS: Record<QuickSearchKind, string> = {
  paymentId: "paymentId",
  orderId: "orderId",
  rrn: "rrn",
  cardNumber: "card last 4",
  amount: "amount",
};

/** From this many characters an orderId matches anywhere inside; below, only the whole id (any case). */
export const PARTIAL_ORDER_ID_MIN = 3;

export type QuickSearch = {
  /** What was typed, trimmed. */
  text: string;
  /** What it is matched against: the kinds it can be, in this order. */
  kinds: readonly QuickSearchKind[];
  /**
   * The value each kind is compared with: the last 4 of a masked card, a number for paymentId,
   * the text in lower case for orderId, the exact amount for amount.
   */
  values: QuickSearchValues;
};

export type QuickSearchValues = {
  paymentId?: number;
  orderId?: string;
  rrn?: string;
  cardNumber?: string;
  amount?: Money;
};

export type QuickSearchOutcome = { ok: true; search: QuickSearch | null } | { ok: false; message: string; say: Say };

const MAX_LENGTH = 200;
const MASKED_CARD = /^[0-9]{0,6}[*•xX. ]*[*•xX]+[*•xX. ]*([0-9]{4})$/;

export function recogniseQuickSearch(input: string | null): QuickSearchOutcome {
  const text = (input ?? "").trim();
  if (text === "") return { ok: true, search: null };
  if (text.length > MAX_LENGTH)
    return {
      ok: false,
      message: `is longer than ${MAX_LENGTH} characters`,
      say: { key: "errors.form.tooLong", values: { max: MAX_LENGTH } },
    };
  if (!text.isWellFormed() || /[\u0000-\u001f\u007f]/.test(text)) {
    return {
      ok: false,
      message: "must not contain control characters or invalid Unicode",
      say: { key: "errors.filter.controlCharacters" },
    };
  }
  const masked = MASKED_CARD.exec(text);
  if (masked) return { ok: true, search: { text, kinds: ["cardNumber"], values: { cardNumber: masked[1] } } };
  const values: QuickSearchValues = {};
  if (/^[0-9]{4}$/.test(text)) values.cardNumber = text;
  // A paymentId is a positive bigint that JavaScript holds exactly, without a leading 0.
  if (/^[1-9][0-9]{0,15}$/.test(text) && Number.isSafeInteger(Number(text))) values.paymentId = Number(text);
  values.orderId = text.toLowerCase();
  values.rrn = text;
  // "0042" is no amount anyone types; "0,50" is.
  const amount = /^0[0-9]/.test(text) ? null : parseTypedPositiveAmount(text);
  if (amount?.ok) values.amount = amount.value;
  return { ok: true, search: { text, kinds: ORDER.filter((kind) => values[kind] !== undefined), values } };
}

/**
 * The part of a text that finds it fastest through a trigram index: its longest run of letters
 * and digits ("500000" of "ORD-2026-500000"). Every order shares the trigrams of "ord-2026-", so
 * an index scan for all of them reads every order's entries; the longest run's are rare. The
 * whole text is then checked on the few rows found. Null when no run is long enough to use.
 */
export function selectiveFragment(lowered: string): string | null {
  const runs = lowered.match(/[\p{L}\p{N}]+/gu) ?? [];
  const longest = runs.reduce((best, run) => (run.length > best.length ? run : best), "");
  return longest.length >= PARTIAL_ORDER_ID_MIN ? longest : null;
}

/** The order the kinds are tried and shown in: what identifies one payment first. */
const ORDER: readonly QuickSearchKind[] = ["cardNumber", "paymentId", "orderId", "rrn", "amount"];

/** "paymentId, orderId or rrn": what a search was matched against, for "no match" messages. */
export function describeKinds(kinds: readonly QuickSearchKind[]): string {
  const labels = kinds.map((kind) => QUICK_SEARCH_LABELS[kind]);
  return labels.length <= 1 ? (labels[0] ?? "") : `${labels.slice(0, -1).join(", ")} or ${labels.at(-1)}`;
}
