// The detail as the screen receives it (the loader's JSON).
import type { SerializeFrom } from "@remix-run/node";
import type { PaymentDetail } from "../../services/queries/payment-detail.server";
import type { PaymentCreditView } from "../../services/queries/credit-screens.server";

export type Detail = SerializeFrom<PaymentDetail>;
export type DetailTransaction = Detail["transactions"][number];
export type DetailPayment = Detail["payment"];
export type DetailCredit = SerializeFrom<PaymentCreditView>;

/** A transaction's summed amounts, in the order the screen shows them (the payment sums them too). */
export const TRANSACTION_AMOUNTS = [
  "authorizedAmount",
  "capturedAmount",
  "creditedAmount",
  "cancelledAmount",
  "creditableAmount",
] as const;
