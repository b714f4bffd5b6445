// Vipps app claims (seed 000, POST …/app-claim) and what the hosted provider pages of the app,
// wallet and invoice flows share: session tokens, redirect checks, and one way to let a customer
// decide on a page (approve, reject) inside one DB transaction.
//
// app-claim answers in one of three ways, by how the transaction was created:
//   - a plain VIPPS transaction: an INITIATE entry, the transaction INITIATED, 201 with the
//     appClaimUrl (the sandbox Vipps page, where the customer approves or rejects);
//   - a createAgreement transaction (its agreement is CREATED or PENDING): the same, but the page
//     asks the customer to confirm the agreement; confirming makes it ACTIVE and charges the
//     transaction's amount as the initial charge;
//   - a transaction on an ACTIVE agreement (paymentAgreementId): charged at once, no customer
//     interaction: INITIATE and AUTHORIZE entries and 204; a decline is a 422 with errorReason
//     and changes nothing.
//
// Lock order everywhere: payment, its transactions (locks.server.ts), then an agreement or an
// invoice, then provider sessions.
import { randomBytes } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { db, type Tx } from "../../../db/client";
import { organisations, paymentAgreements, paymentTransactions, payments, providerSessions } from "../../../db/schema";
import { requireAllowedUrl } from "../../domain/redirects";
import { conflict, invalid, ruleBroken } from "../../domain/errors";
import { formatAmount, money, toDbAmount, type Money } from "../../domain/money";
import { mobileProvider } from "../../providers/index.server";
import { enqueueCallback, transactionCallbackPayload } from "../../platform/outbox.server";
import {
  askProvider,
  countOutcome,
  declinedError,
  inAuthorizingTransaction,
  outcomeKeyOf,
} from "../../platform/outcomes.server";
import type { ClientCaller, SystemCaller } from "../../domain/caller";
import { appendOperation } from "../../platform/operation-log.server";
import { lockTransaction, requireActive } from "../../platform/locks.server";
import type { PaymentRow, TransactionRow } from "../queries/payment-view.server";
import { initiateLocked, touchPayment } from "../transactions/transactions.server";
import { agreementClosedMessage } from "../agreements/agreements.server";

export const SESSION_MINUTES = 15;

export type SessionRow = typeof providerSessions.$inferSelect;
export type SessionKind = "vipps" | "wallet" | "invoice";

/** Where hosted pages live: PAYDESK_PUBLIC_URL when set (behind a proxy), else the request's origin. */
export function publicOrigin(url: URL): string {
  const configured = process.env.PAYDESK_PUBLIC_URL?.trim().replace(/\/+$/, "");
  return configured || url.origin;
}

export function newToken(): string {
  return randomBytes(24).toString("base64url");
}

/** No open redirects: see app/domain/redirects.ts. */
export function requireAllowedRedirect(caller: ClientCaller, url: string, field = "redirectUrl"): void {
  requireAllowedUrl(caller.allowedRedirectPrefixes, url, field);
}

export type PageResult = "approved" | "rejected" | "failed";

/** The customer's way back: the redirect URL with paymentId, transactionId and result added. */
export function resultRedirect(
  redirectUrl: string,
  paymentId: number,
  transactionId: number,
  result: PageResult,
): string {
  const target = new URL(redirectUrl);
  target.searchParams.set("paymentId", String(paymentId));
  target.searchParams.set("transactionId", String(transactionId));
  target.searchParams.set("result", result);
  return target.toString();
}

/** Ends the open pages of a transaction (a new claim, terminal or invoice replaces them). */
export async function supersedeSessions(
  tx: Tx,
  transactionId: number,
  at: Date,
  outcome = "superseded",
): Promise<void> {
  await tx
    .update(providerSessions)
    .set({ completedAt: at, outcome })
    .where(and(eq(providerSessions.transactionId, transactionId), isNull(providerSessions.completedAt)));
}

export async function insertSession(
  tx: Tx,
  values: {
    token?: string;
    kind: SessionKind;
    paymentId: number;
    transactionId: number;
    redirectUrl: string | null;
    callbackUrl?: string | null;
    options: Record<string, unknown>;
    expiresAt: Date;
  },
): Promise<SessionRow> {
  const [row] = await tx
    .insert(providerSessions)
    .values({ ...values, token: values.token ?? newToken(), callbackUrl: values.callbackUrl ?? null })
    .returning();
  return row;
}

/** A page's session by its token (no lock: for rendering). */
export async function findSession(token: string, kind: SessionKind): Promise<SessionRow | null> {
  if (!/^[A-Za-z0-9_-]{16,100}$/.test(token)) return null;
  const [row] = await db()
    .select()
    .from(providerSessions)
    .where(and(eq(providerSessions.token, token), eq(providerSessions.kind, kind)));
  return row ?? null;
}

export type SessionState = "open" | "expired" | "completed";

export function sessionState(session: SessionRow, now = new Date()): SessionState {
  if (session.completedAt) return "completed";
  if (session.expiresAt.getTime() <= now.getTime()) return "expired";
  return "open";
}

/**
 * Marks a transaction authorized for its whole amount, logs AUTHORIZE, counts the approved
 * attempt and announces it.
 */
export async function authorizeLocked(
  tx: Tx,
  caller: SystemCaller | ClientCaller,
  payment: { organisationId: number },
  transaction: TransactionRow,
  at: Date,
  extra: Partial<typeof paymentTransactions.$inferInsert> = {},
  callbackUrl: string | null = null,
): Promise<TransactionRow> {
  const amount = money(transaction.amount);
  const [row] = await tx
    .update(paymentTransactions)
    .set({ ...extra, status: "AUTHORIZED", authorizedAmount: toDbAmount(amount), updatedAt: at })
    .where(eq(paymentTransactions.transactionId, transaction.transactionId))
    .returning();
  await appendOperation(
    tx,
    { transactionId: row.transactionId, paymentId: row.paymentId, operation: "AUTHORIZE", amount, at },
    caller,
  );
  await countOutcome(tx, outcomeKeyOf(payment, row), "approved", at);
  if (callbackUrl) await enqueueCallback(tx, callbackUrl, transactionCallbackPayload(row));
  await touchPayment(tx, row.paymentId, at);
  return row;
}

// ---------------------------------------------------------------- a customer decides on a page

export type PageDecision = {
  /** approved/rejected/failed: what happened now; expired/completed/unavailable: nothing changed. */
  state: PageResult | "expired" | "completed" | "unavailable";
  message: string;
  /** Where to send the customer (the client's redirectUrl with the result), or null to show the message. */
  redirectTo: string | null;
};

export type DecisionContext = {
  tx: Tx;
  caller: SystemCaller;
  payment: PaymentRow;
  transaction: TransactionRow;
  session: SessionRow;
  at: Date;
};

/**
 * Runs a customer's decision on a hosted page in one DB transaction: locks the payment, its
 * transactions and the session; an expired or finished session changes nothing; otherwise
 * `decide` acts and the session is closed with its result. Null: no such page. A provider call
 * that throws is counted as a failed authorization (askProvider) after the rollback.
 */
export async function decideOnPage(
  token: string,
  kind: SessionKind,
  correlationId: string,
  decide: (context: DecisionContext) => Promise<{ result: PageResult; message: string } | { unavailable: string }>,
): Promise<PageDecision | null> {
  const peek = await findSession(token, kind);
  if (!peek || peek.paymentId === null || peek.transactionId === null) return null;
  const paymentId = peek.paymentId;
  const transactionId = peek.transactionId;
  return inAuthorizingTransaction(async (tx) => {
    const caller: SystemCaller = { kind: "system", name: `sandbox-${kind}`, correlationId };
    const { payment, transaction } = await lockTransaction(tx, caller, paymentId, transactionId);
    const [session] = await tx.select().from(providerSessions).where(eq(providerSessions.id, peek.id)).for("update");
    const at = new Date();
    const state = sessionState(session, at);
    if (state === "expired") {
      return {
        state,
        message: "This page has expired. Nothing was paid; go back to the shop and start again.",
        redirectTo: null,
      };
    }
    if (state === "completed") return { state, message: completedMessage(session.outcome), redirectTo: null };
    if (!payment.active || transaction.status !== "INITIATED") {
      return {
        state: "unavailable",
        message: "This payment can no longer be completed here (it was cancelled or changed).",
        redirectTo: null,
      };
    }
    const decision = await decide({ tx, caller, payment, transaction, session, at });
    if ("unavailable" in decision) return { state: "unavailable", message: decision.unavailable, redirectTo: null };
    await tx
      .update(providerSessions)
      .set({ completedAt: at, outcome: decision.result })
      .where(eq(providerSessions.id, session.id));
    return {
      state: decision.result,
      message: decision.message,
      redirectTo: session.redirectUrl
        ? resultRedirect(session.redirectUrl, paymentId, transactionId, decision.result)
        : null,
    };
  });
}

export function completedMessage(outcome: string | null): string {
  if (outcome?.startsWith("agreement:")) return agreementClosedMessage(outcome.slice("agreement:".length));
  switch (outcome) {
    case "approved":
      return "This payment has already been approved.";
    case "rejected":
      return "This payment was rejected.";
    case "failed":
      return "This payment was declined.";
    case "replaced":
    case "superseded":
      return "This page has been replaced by a newer one. Nothing was paid here.";
    default:
      return "This page is no longer in use.";
  }
}

// ---------------------------------------------------------------- Vipps app claim

export type AppClaimInput = { phoneNumber?: string; description?: string; redirectUrl?: string };

export type AppClaimOutcome =
  { kind: "claim"; paymentId: number; transactionId: number; appClaimUrl: string } | { kind: "charged" };

const CLAIMABLE = new Set(["CREATED", "INITIATED"]);
const MOBILE_TYPES = new Set(["VIPPS", "MOBILEPAY"]);

export async function createAppClaim(
  caller: ClientCaller,
  paymentId: number,
  transactionId: number,
  input: AppClaimInput,
  origin: string,
): Promise<AppClaimOutcome> {
  if (input.redirectUrl) requireAllowedRedirect(caller, input.redirectUrl);
  return inAuthorizingTransaction(async (tx) => {
    const { payment, transaction } = await lockTransaction(tx, caller, paymentId, transactionId);
    requireActive(payment);
    if (
      transaction.paymentTypeGroup !== "MOBILE" ||
      (transaction.paymentType !== null && !MOBILE_TYPES.has(transaction.paymentType))
    ) {
      throw conflict(
        `An app claim is for Vipps (paymentTypeGroup MOBILE); this transaction is ${transaction.paymentType ?? transaction.paymentTypeGroup}`,
      );
    }
    if (!CLAIMABLE.has(transaction.status)) {
      throw conflict(`The transaction is ${transaction.status}; an app claim needs a CREATED or INITIATED one`);
    }
    const amount = money(transaction.amount);
    const at = new Date();

    let agreement: typeof paymentAgreements.$inferSelect | undefined;
    if (transaction.paymentAgreementId) {
      [agreement] = await tx
        .select()
        .from(paymentAgreements)
        .where(
          and(
            eq(paymentAgreements.agreementId, transaction.paymentAgreementId),
            eq(paymentAgreements.organisationId, payment.organisationId),
          ),
        )
        .for("update");
      if (!agreement)
        throw ruleBroken(`payment agreement ${transaction.paymentAgreementId} was not found`, "paymentAgreementId");
    }

    if (agreement?.status === "ACTIVE") {
      // Existing agreement: a merchant-initiated charge, no customer interaction. A decline
      // changes nothing here (422) but is counted after the rollback.
      const key = outcomeKeyOf(payment, transaction);
      const outcome = await askProvider(key, () =>
        mobileProvider().chargeAgreement({
          reference: `vipps:charge:${transactionId}`,
          agreementId: agreement.agreementId,
          amount,
          currency: transaction.currency,
        }),
      );
      if (!outcome.ok) throw declinedError(key, outcome);
      await supersedeSessions(tx, transactionId, at);
      await appendOperation(tx, { transactionId, paymentId, operation: "INITIATE", amount, at }, caller);
      await authorizeLocked(tx, caller, payment, transaction, at, { rrn: outcome.pspReference });
      return { kind: "charged" };
    }
    if (agreement && agreement.status !== "CREATED" && agreement.status !== "PENDING") {
      throw ruleBroken(
        `payment agreement ${agreement.agreementId} is ${agreement.status}; it cannot be confirmed or charged`,
        "paymentAgreementId",
      );
    }
    if (!input.phoneNumber) throw invalid("phoneNumber", "is required");

    await supersedeSessions(tx, transactionId, at);
    const session = await insertSession(tx, {
      kind: "vipps",
      paymentId,
      transactionId,
      redirectUrl: input.redirectUrl ?? null,
      options: {
        mode: agreement ? "agreement" : "payment",
        phoneNumber: input.phoneNumber,
        description: input.description ?? null,
        amount: formatAmount(amount),
        currency: transaction.currency,
        ...(agreement ? { agreementId: agreement.agreementId, productName: agreement.productName } : {}),
      },
      expiresAt: new Date(at.getTime() + SESSION_MINUTES * 60_000),
    });
    if (agreement) {
      // The agreement's confirmation URL (GET /v1/payment-agreements/{id}) is this page.
      await tx
        .update(paymentAgreements)
        .set({ status: "PENDING", confirmationToken: session.token, updatedAt: at })
        .where(eq(paymentAgreements.agreementId, agreement.agreementId));
    }
    await initiateLocked(tx, caller, transaction, at);
    return { kind: "claim", paymentId, transactionId, appClaimUrl: `${origin}/sandbox/vipps/${session.token}` };
  });
}

export type VippsPageView = {
  state: SessionState;
  outcome: string | null;
  mode: "payment" | "agreement";
  /** What the customer approves: the payment, the agreement's first charge, or its price (null if unknown). */
  amount: string | null;
  currency: string;
  /** What the amount means, when it is not simply the payment. */
  amountNote: string | null;
  phoneNumber: string | null;
  description: string | null;
  productName: string | null;
  merchant: string;
};

export async function vippsPage(token: string): Promise<VippsPageView | null> {
  const session = await findSession(token, "vipps");
  if (!session) return null;
  const o = session.options as Record<string, string | null>;
  return {
    state: sessionState(session),
    merchant: await merchantName(session.paymentId),
    outcome: session.outcome,
    mode: o.mode === "agreement" ? "agreement" : "payment",
    amount: String(o.amount),
    currency: String(o.currency),
    amountNote: o.mode === "agreement" ? "The first charge under the agreement." : null,
    phoneNumber: String(o.phoneNumber),
    description: o.description ?? null,
    productName: o.productName ?? null,
  };
}

/** The organisation the customer pays, as the page names it. */
export async function merchantName(paymentId: number | null): Promise<string> {
  if (paymentId === null) return "Paydesk";
  const [row] = await db()
    .select({ name: organisations.name })
    .from(payments)
    .innerJoin(organisations, eq(organisations.id, payments.organisationId))
    .where(eq(payments.paymentId, paymentId));
  return row?.name ?? "Paydesk";
}

/** The customer approves or rejects in the (sandbox) Vipps app. */
export async function decideVippsClaim(
  token: string,
  decision: "approve" | "reject",
  correlationId: string,
): Promise<PageDecision | null> {
  return decideOnPage(token, "vipps", correlationId, async ({ tx, caller, payment, transaction, session, at }) => {
    if (decision === "reject") return { result: "rejected", message: "You rejected the payment. Nothing was paid." };
    const options = session.options as Record<string, string>;
    const amount: Money = money(transaction.amount);
    const key = outcomeKeyOf(payment, transaction);
    if (options.mode === "agreement") {
      const [agreement] = await tx
        .select()
        .from(paymentAgreements)
        .where(eq(paymentAgreements.agreementId, options.agreementId))
        .for("update");
      if (!agreement || (agreement.status !== "CREATED" && agreement.status !== "PENDING")) {
        return { unavailable: `The agreement is ${agreement?.status ?? "gone"}; it can no longer be confirmed.` };
      }
      await tx
        .update(paymentAgreements)
        .set({ status: "ACTIVE", updatedAt: at })
        .where(eq(paymentAgreements.agreementId, agreement.agreementId));
      const charge = await askProvider(key, () =>
        mobileProvider().chargeAgreement({
          reference: `vipps:charge:${transaction.transactionId}`,
          agreementId: agreement.agreementId,
          amount,
          currency: transaction.currency,
        }),
      );
      if (!charge.ok) {
        await countOutcome(tx, key, "declined", at);
        return {
          result: "failed",
          message: `The agreement is confirmed, but the first charge was declined: ${charge.reason}.`,
        };
      }
      await authorizeLocked(tx, caller, payment, transaction, at, { rrn: charge.pspReference }, session.callbackUrl);
      return { result: "approved", message: "Agreement confirmed and the first payment approved." };
    }
    const reservation = await askProvider(key, () =>
      mobileProvider().reserveClaim({
        reference: `vipps:claim:${transaction.transactionId}:${session.id}`,
        phoneNumber: options.phoneNumber,
        amount,
        currency: transaction.currency,
      }),
    );
    if (!reservation.ok) {
      await countOutcome(tx, key, "declined", at);
      return { result: "failed", message: `The payment was declined: ${reservation.reason}.` };
    }
    await authorizeLocked(tx, caller, payment, transaction, at, { rrn: reservation.pspReference }, session.callbackUrl);
    return { result: "approved", message: "Payment approved." };
  });
}
