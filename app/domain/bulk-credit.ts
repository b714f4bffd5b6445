// Bulk credits from the payments list (docs/decisions/041): one credit per selected payment, of
// every CAPTURED transaction it still has something creditable on, for the full creditable amount
// or a percentage of it. The plan is computed from what the payments are now, shown as the
// preview, and computed again at confirm: the same plan (the same fingerprint) or nothing.
import type { Say } from "./errors";
import { formatAmount, sum, type Money } from "./money";

/** As many payments as one bulk run may take (the preview lists each of them). */
export const MAX_BULK_PAYMENTS = 200;

/**
 * How much of each transaction's creditable amount a bulk credit takes: all of it, or a
 * percentage in hundredths of a percent (12.5 % is 1250n), so no float ever touches an amount.
 */
export type BulkAmountRule = { kind: "full" } | { kind: "percentage"; hundredths: bigint };

const PERCENTAGE = /^(100(?:[.,]0{1,2})?|[1-9]?[0-9](?:[.,][0-9]{1,2})?)$/;

/**
 * A percentage as typed: 0.01 to 100 with at most two decimals (a comma or a dot), e.g. "50",
 * "12,5". The message says what is wrong in the user's words.
 */
export function parsePercentage(text: string): { ok: true; rule: BulkAmountRule } | { ok: false; message: string } {
  const trimmed = text.trim().replace(/\s*%$/, "");
  if (!PERCENTAGE.test(trimmed)) return { ok: false, message: "Enter a percentage from 0.01 to 100, like 50 or 12.5" };
  const [whole, fraction = ""] = trimmed.replace(",", ".").split(".");
  const hundredths = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0"));
  if (hundredths === 0n) return { ok: false, message: "Enter a percentage from 0.01 to 100, like 50 or 12.5" };
  return { ok: true, rule: { kind: "percentage", hundredths } };
}

/** The rule as the run records and the report shows it: "full" or "50", "12.5". */
export function describeAmountRule(rule: BulkAmountRule): string {
  if (rule.kind === "full") return "full";
  const whole = rule.hundredths / 100n;
  const fraction = (rule.hundredths % 100n).toString().padStart(2, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

/** The inverse of describeAmountRule, for a recorded run. */
export function readAmountRule(text: string): BulkAmountRule {
  if (text === "full") return { kind: "full" };
  const parsed = parsePercentage(text);
  if (!parsed.ok) throw new Error(`Not an amount rule: ${text}`);
  return parsed.rule;
}

/** One øre (or cent) in Money's 10^-5 units: amounts of a percentage are whole øre. */
const ORE = 1000n;

/**
 * What a bulk credit takes of a transaction's creditable amount. Full: exactly the creditable
 * amount (also sub-øre digits an import left). A percentage: creditable × p / 100, rounded DOWN
 * to whole øre, so a share never exceeds the percentage asked for nor, at 100 %, the creditable
 * amount, and two runs of 50 % never take more than everything.
 */
export function bulkCreditAmount(creditable: Money, rule: BulkAmountRule): Money {
  if (creditable <= 0n) return 0n as Money;
  if (rule.kind === "full") return creditable;
  const exact = (creditable * rule.hundredths) / 10_000n; // bigint division truncates: rounds down
  return ((exact / ORE) * ORE) as Money;
}

/** A selected payment as the plan needs it (null: not found, or another organisation's). */
export type BulkCreditCandidate = {
  paymentId: number;
  organisationId: number;
  currency: string;
  transactions: { transactionId: number; status: string; creditable: Money }[];
};

export type BulkCreditLine = { paymentId: number; transactionId: number; amount: Money };

export type PlannedCredit = {
  kind: "credit";
  paymentId: number;
  organisationId: number;
  currency: string;
  total: Money;
  lines: BulkCreditLine[];
};
/** `reason`: English (the run's stored outcome); `say`: the same by its locale key, for the preview. */
export type SkippedPayment = { kind: "skip"; paymentId: number; reason: string; say: Say };
export type BulkCreditPlan = {
  items: (PlannedCredit | SkippedPayment)[];
  /** The organisation every credit of the run is for (that of the lowest selected payment id). */
  organisationId: number | null;
  totals: { currency: string; count: number; total: Money }[];
};

/**
 * Which selected payments get a credit and of how much, and why the others are skipped: not
 * found; another organisation than the run's (one run, one organisation: a bulk credit answers
 * one shop's problem, and a stray row of another shop is more likely a slip than intended);
 * nothing captured; nothing left to credit (other credits reserve it); a share that rounds to
 * nothing. Ordered by payment id, the order the run creates the credits in.
 */
export function planBulkCredit(
  selected: readonly number[],
  candidates: ReadonlyMap<number, BulkCreditCandidate>,
  rule: BulkAmountRule,
): BulkCreditPlan {
  const ids = [...new Set(selected)].sort((a, b) => a - b);
  const organisationId = ids.map((id) => candidates.get(id)?.organisationId).find((id) => id !== undefined) ?? null;
  const items = ids.map((paymentId): PlannedCredit | SkippedPayment => {
    const payment = candidates.get(paymentId);
    const skip = (reason: string, key: string, values?: Say["values"]): SkippedPayment => ({
      kind: "skip",
      paymentId,
      reason,
      say: { key: `bulk.skip.${key}`, values },
    });
    if (!payment) return skip("Not found", "notFound");
    if (payment.organisationId !== organisationId)
      return skip(
        `Another organisation (${payment.organisationId}) than the first selected payment's (${organisationId}); credit it in a run of its own`,
        "otherOrganisation",
        { organisationId: String(payment.organisationId), first: String(organisationId) },
      );
    const captured = payment.transactions.filter((t) => t.status === "CAPTURED");
    if (!captured.length) return skip("No captured transaction", "notCaptured");
    if (captured.every((t) => t.creditable <= 0n))
      return skip("Nothing left to credit (other credits reserve it)", "nothingLeft");
    const lines = captured
      .map((t) => ({ paymentId, transactionId: t.transactionId, amount: bulkCreditAmount(t.creditable, rule) }))
      .filter((line) => line.amount > 0n);
    // The smallest amount as a decimal string, so that it is said in the reader's number format.
    if (!lines.length)
      return skip("The percentage of what is creditable is less than 0.01", "belowSmallest", { smallest: "0.01" });
    return {
      kind: "credit",
      paymentId,
      organisationId: payment.organisationId,
      currency: payment.currency,
      total: sum(lines.map((l) => l.amount)),
      lines,
    };
  });
  const byCurrency = new Map<string, { currency: string; count: number; total: Money }>();
  for (const item of items) {
    if (item.kind !== "credit") continue;
    const entry = byCurrency.get(item.currency) ?? { currency: item.currency, count: 0, total: 0n as Money };
    byCurrency.set(item.currency, { ...entry, count: entry.count + 1, total: (entry.total + item.total) as Money });
  }
  return {
    items,
    organisationId,
    totals: [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}

/**
 * The plan as one string: what the preview showed, to compare with the plan at confirm. Equal
 * strings mean the same credits of the same amounts and the same skips.
 */
export function bulkCreditPlanText(plan: BulkCreditPlan): string {
  return plan.items
    .map((item) =>
      item.kind === "skip"
        ? `${item.paymentId}:skip`
        : `${item.paymentId}:${item.lines.map((l) => `${l.transactionId}=${formatAmount(l.amount)}`).join(",")}`,
    )
    .join(";");
}
