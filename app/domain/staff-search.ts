// The search for everything in the staff header: one text, tried as every kind of thing it can
// name, the answers grouped (payments, credits, customers) and ranked. Payments are read as the
// payments list's `q` reads them (quick-search.ts), so "Show all" there lists the same payments.
//
//   payments    paymentId, orderId (any part, any case), rrn, card last 4, total amount
//   credits     creditId
//   customers   customer number; any part of the email or of the name (every word), any case
import { recogniseQuickSearch, PARTIAL_ORDER_ID_MIN, type QuickSearch } from "./quick-search";

export const SEARCH_GROUPS = ["payments", "credits", "customers"] as const;
export type SearchGroup = (typeof SEARCH_GROUPS)[number];

/** What each group shows at most: the search answers a question, the lists browse. */
export const SEARCH_GROUP_LIMIT = 5;

export type CustomerSearch = {
  customerNumber: string | null;
  /** The whole text in lower case: an email contains it. */
  lowered: string;
  /** Its words in lower case: a name contains every one of them. */
  words: string[];
};

export type StaffSearch = {
  text: string;
  payments: QuickSearch;
  creditId: number | null;
  customers: CustomerSearch;
};

export type StaffSearchOutcome = { ok: true; search: StaffSearch | null } | { ok: false; message: string };

const ID = /^[1-9][0-9]{0,15}$/;
const CUSTOMER_NUMBER = /^[0-9]{1,20}$/;

export function recogniseStaffSearch(input: string | null): StaffSearchOutcome {
  const quick = recogniseQuickSearch(input);
  if (!quick.ok) return quick;
  if (!quick.search) return { ok: true, search: null };
  const { text } = quick.search;
  const lowered = text.toLowerCase();
  return {
    ok: true,
    search: {
      text,
      payments: quick.search,
      creditId: ID.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : null,
      customers: {
        customerNumber: CUSTOMER_NUMBER.test(text) ? text : null,
        lowered,
        words: lowered.split(/\s+/).filter(Boolean),
      },
    },
  };
}

/** Under this many characters a word matches only a whole email or name (no index helps below it). */
export const PARTIAL_TEXT_MIN = PARTIAL_ORDER_ID_MIN;
