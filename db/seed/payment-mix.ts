// What generated payments look like: the weighted choices (prices, quantities, currencies,
// payment types per channel, outcomes, scenarios), the forced first orders that make small runs
// cover everything, how each payment type moves, and the names that appear in the rows.
import { PAYMENT_TYPES, TRANSACTION_STATUSES, type PaymentType, type TransactionStatus } from "../../app/domain/enums";
import { money, type Money } from "../../app/domain/money";
import { Weighted } from "./prng";

export const PRICE_POINTS = new Weighted<Money>(
  (
    [
      ["29.00", 4],
      ["39.00", 8],
      ["42.00", 6],
      ["49.00", 6],
      ["64.00", 8],
      ["79.00", 7],
      ["99.00", 7],
      ["129.00", 6],
      ["149.00", 5],
      ["199.00", 6],
      ["249.00", 5],
      ["329.00", 4],
      ["459.00", 3],
      ["649.00", 3],
      ["799.00", 2],
      ["899.00", 2],
      ["1290.00", 1.5],
      ["1890.00", 1],
      ["2490.00", 0.8],
      ["3490.00", 0.5],
      ["4999.00", 0.3],
    ] as const
  ).map(([price, weight]) => [money(price), weight] as const),
);
export const QUANTITIES = new Weighted<bigint>([
  [1n, 80],
  [2n, 12],
  [3n, 5],
  [4n, 3],
]);
export const CURRENCIES = new Weighted<string>([
  ["NOK", 95],
  ["SEK", 3],
  ["EUR", 2],
]);

export const TYPES_BY_CHANNEL: Record<string, Weighted<PaymentType>> = {
  web: new Weighted<PaymentType>([
    ["VISA", 30],
    ["MASTERCARD", 20],
    ["AMEX", 3],
    ["VIPPS", 28],
    ["MOBILEPAY", 2],
    ["COLLECTOR", 5],
    ["COLLECTOR_B2B", 2],
    ["GIFTCARD", 2],
    ["ECARD", 0.5],
    ["AGENT", 1],
  ]),
  app: new Weighted<PaymentType>([
    ["VIPPS", 42],
    ["VISA", 24],
    ["MASTERCARD", 16],
    ["AMEX", 1.5],
    ["MOBILEPAY", 4],
    ["ECARD", 4],
    ["GIFTCARD", 1.5],
    ["COLLECTOR", 1],
  ]),
  "ticket-machine": new Weighted<PaymentType>([
    ["VISA", 40],
    ["MASTERCARD", 28],
    ["AMEX", 2],
    ["CASH", 14],
    ["ECARD", 10],
    ["GIFTCARD", 1],
  ]),
  "customer-service": new Weighted<PaymentType>([
    ["VISA", 22],
    ["MASTERCARD", 14],
    ["CASH", 18],
    ["AGENT", 16],
    ["COLLECTOR_B2B", 12],
    ["GIFTCARD", 6],
    ["ECARD", 4],
    ["VIPPS", 6],
  ]),
};
export const RETRY_FIRST_TYPES = new Weighted<PaymentType>([
  ["VISA", 5],
  ["MASTERCARD", 3],
  ["VIPPS", 3],
]);
export const SPLIT_CARD_TYPES = new Weighted<PaymentType>([
  ["VISA", 6],
  ["MASTERCARD", 4],
  ["AMEX", 1],
]);

/** What happens to the payment's (last) transaction; credit outcomes start from CAPTURED. */
export type Outcome = TransactionStatus | "PARTIAL_CREDIT" | "TWO_PARTIAL_CREDITS" | "OPEN_CREDIT" | "FAILED_CREDIT";
export const OUTCOMES = new Weighted<Outcome>([
  ["CAPTURED", 72],
  ["CREDITED", 6],
  ["PARTIAL_CREDIT", 3.5],
  ["TWO_PARTIAL_CREDITS", 0.6],
  ["OPEN_CREDIT", 2],
  ["FAILED_CREDIT", 0.4],
  ["AUTHORIZED", 5],
  ["INITIATED", 3],
  ["CREATED", 3],
  ["CANCELLED", 4.5],
]);
export const SCENARIOS = new Weighted<"single" | "split" | "retry">([
  ["single", 86],
  ["split", 7],
  ["retry", 7],
]);
/** The first orders of every run cover each payment type and each outcome, so small runs do too. */
export const FORCED_TYPES: readonly PaymentType[] = PAYMENT_TYPES;
export const FORCED_OUTCOMES: readonly Outcome[] = [
  ...TRANSACTION_STATUSES,
  "PARTIAL_CREDIT",
  "OPEN_CREDIT",
  "FAILED_CREDIT",
  "TWO_PARTIAL_CREDITS",
];

/** How a transaction of each type moves: hosted page/app flow, authorize-then-capture, or paid on the spot. */
export const FLOW: Record<PaymentType, "terminal" | "authorize" | "direct"> = {
  VISA: "terminal",
  MASTERCARD: "terminal",
  AMEX: "terminal",
  VIPPS: "terminal",
  MOBILEPAY: "terminal",
  COLLECTOR: "terminal",
  COLLECTOR_B2B: "terminal",
  GIFTCARD: "direct",
  CASH: "direct",
  ECARD: "authorize",
  AGENT: "authorize",
};

export const CLIENT_NAMES: Record<string, Record<string, string>> = {
  "entur-sales": {
    web: "entur-web",
    app: "entur-app",
    "ticket-machine": "entur-tvm",
    "customer-service": "entur-kundesenter",
  },
  "nordbuss-web": { web: "nordbuss-webshop", app: "nordbuss-app" },
  "fjordferje-app": { app: "fjordferje-app" },
};
export const SERVICE_DESKS = ["KS-Oslo S", "KS-Bergen", "KS-Trondheim S", "KS-Stavanger", "KS-Bodø"];
export const STAFF_CLIENT_NAME = "paydesk-backoffice";
export const CREDIT_REASONS = [
  "Cancelled departure",
  "Customer charged twice",
  "Goodwill: delayed train",
  "Wrong ticket type sold",
  "Refund on request (terms 4.2)",
];
export const FAILURE_REASONS = [
  "REFUSED_BY_ISSUER: card account closed",
  "SOFT_DECLINE: issuer unavailable, try again later",
  "Provider rejected the refund: original transaction too old",
];
export const ACQUIRER_PREFIX: Record<PaymentType, string> = {
  VISA: "nets",
  MASTERCARD: "nets",
  AMEX: "amex",
  VIPPS: "vipps",
  MOBILEPAY: "mp",
  COLLECTOR: "col",
  COLLECTOR_B2B: "colb2b",
  GIFTCARD: "gc",
  ECARD: "ecard",
  CASH: "cash",
  AGENT: "agent",
};
