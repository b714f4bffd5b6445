// The payments list's quick search box: support pastes whatever the customer or the acquirer
// gave them, and the box works out what it can be. Exact matches only (every kind has an index);
// the kinds it can be are all tried, and the screen says which of them matched.
//
//   4 digits                     the card's last 4, or a paymentId (not with a leading 0)
//   a masked card (•••• 1234,    the card's last 4
//     411111******1234)
//   other digits                 a paymentId, an orderId or an rrn (12 digits, but any length)
//   anything else                an orderId or an rrn

export const QUICK_SEARCH_KINDS = ["paymentId", "orderId", "rrn", "cardNumber"] as const;
export type QuickSearchKind = (typeof QUICK_SEARCH_KINDS)[number];

export const QUICK_SEARCH_LABELS: Record<QuickSearchKind, string> = {
  paymentId: "paymentId",
  orderId: "orderId",
  rrn: "rrn",
  cardNumber: "card last 4",
};

export type QuickSearch = {
  /** What was typed, trimmed. */
  text: string;
  /** What it is matched against: the kinds it can be, in this order. */
  kinds: readonly QuickSearchKind[];
  /** The value each kind is compared with (the last 4 of a masked card, a number for paymentId). */
  values: Partial<Record<QuickSearchKind, string | number>>;
};

export type QuickSearchOutcome = { ok: true; search: QuickSearch | null } | { ok: false; message: string };

const MAX_LENGTH = 200;
const MASKED_CARD = /^[0-9]{0,6}[*•xX. ]*[*•xX]+[*•xX. ]*([0-9]{4})$/;

export function recogniseQuickSearch(input: string | null): QuickSearchOutcome {
  const text = (input ?? "").trim();
  if (text === "") return { ok: true, search: null };
  if (text.length > MAX_LENGTH) return { ok: false, message: `is longer than ${MAX_LENGTH} characters` };
  if (!text.isWellFormed() || /[\u0000-\u001f\u007f]/.test(text)) {
    return { ok: false, message: "must not contain control characters or invalid Unicode" };
  }
  const masked = MASKED_CARD.exec(text);
  if (masked) return { ok: true, search: { text, kinds: ["cardNumber"], values: { cardNumber: masked[1] } } };
  if (/^[0-9]{4}$/.test(text)) {
    // "0042" can only be a card: ids have no leading zeros.
    return text.startsWith("0")
      ? { ok: true, search: { text, kinds: ["cardNumber"], values: { cardNumber: text } } }
      : {
          ok: true,
          search: { text, kinds: ["cardNumber", "paymentId"], values: { cardNumber: text, paymentId: Number(text) } },
        };
  }
  if (/^[0-9]+$/.test(text)) {
    // A paymentId is a positive bigint that JavaScript holds exactly; longer digit runs are
    // only an orderId or an rrn.
    const asId = /^[1-9][0-9]{0,15}$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : null;
    return asId === null
      ? { ok: true, search: { text, kinds: ["orderId", "rrn"], values: { orderId: text, rrn: text } } }
      : {
          ok: true,
          search: {
            text,
            kinds: ["paymentId", "orderId", "rrn"],
            values: { paymentId: asId, orderId: text, rrn: text },
          },
        };
  }
  return { ok: true, search: { text, kinds: ["orderId", "rrn"], values: { orderId: text, rrn: text } } };
}

/** "paymentId, orderId or rrn": what a search was matched against, for "no match" messages. */
export function describeKinds(kinds: readonly QuickSearchKind[]): string {
  const labels = kinds.map((kind) => QUICK_SEARCH_LABELS[kind]);
  return labels.length <= 1 ? (labels[0] ?? "") : `${labels.slice(0, -1).join(", ")} or ${labels.at(-1)}`;
}
