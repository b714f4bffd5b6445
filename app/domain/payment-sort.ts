// The orders the staff payments list (and its export) can show payments in. Every order ends
// with paymentId in the same direction, so it is total and pages never overlap.
export const PAYMENT_SORT_KEYS = ["createdAt", "totalAmount", "paymentId"] as const;
export type PaymentSortKey = (typeof PAYMENT_SORT_KEYS)[number];
export type SortDirection = "asc" | "desc";
export type PaymentSort = { key: PaymentSortKey; direction: SortDirection };

/** Newest first: the API's order. */
export const DEFAULT_PAYMENT_SORT: PaymentSort = { key: "createdAt", direction: "desc" };

/** An unknown sort or direction shows the default order, as a bad page number shows page 1. */
export function readSort(params: URLSearchParams): PaymentSort {
  const key = params.get("sort");
  const dir = params.get("dir");
  return {
    key: (PAYMENT_SORT_KEYS as readonly string[]).includes(key ?? "")
      ? (key as PaymentSortKey)
      : DEFAULT_PAYMENT_SORT.key,
    direction: dir === "asc" || dir === "desc" ? dir : "desc",
  };
}
