// Vipps (POST …/app-claim) and the sandbox Vipps page, /sandbox/vipps/{token}.
//
// app-claim answers in one of three ways, by how the transaction was created:
//   - a plain VIPPS transaction: an INITIATE entry, the transaction INITIATED, 201 with the
//     appClaimUrl (the sandbox Vipps page, where the customer approves or rejects);
//   - a createAgreement transaction (its agreement is CREATED or PENDING): the same, but the page
//     asks the customer to confirm the agreement; confirming makes it ACTIVE and charges the
//     transaction's amount as the initial charge;
//   - a transaction on an ACTIVE agreement (paymentAgreementId): charged at once, no customer
//     interaction (claim → ask → settle): INITIATE and AUTHORIZE entries and 204; a decline is a
//     422 with errorReason and changes nothing; no answer is a 503 and settles later.
//
// The same page also confirms an agreement registered on its own (POST /v1/payment-agreements):
// its token is the agreement's confirmationToken, and the page confirms (ACTIVE) or rejects
// (STOPPED) just the agreement.
//
// Lock order everywhere: payment, its transactions (locks.server.ts), then an agreement, then
// provider sessions.
import { and, eq } from "drizzle-orm";
import { db } from "../../../db/client";
import { organisations, paymentAgreements } from "../../../db/schema";
import { awaitsConfirmation, canCharge, chargeLimit, readPricing } from "../../domain/agreement";
import type { ClientCaller, SystemCaller } from "../../domain/caller";
import { conflict, invalid, ruleBroken } from "../../domain/errors";
import { formatAmount, money } from "../../domain/money";
import { terminalState, type TerminalState } from "../../domain/terminal";
import { requireActive } from "../../platform/locks.server";
import {
  newReference,
  requireSucceeded,
  runProviderOperation,
  transactionOf,
  type ClaimPlan,
  type OperationHandler,
  onTransaction,
  moneyAskOf,
} from "../../platform/provider-operations.server";
import { inTransaction } from "../../platform/transaction.server";
import { mobileProvider } from "../../providers/index.server";
import { appendInitiate } from "../transactions/transactions.server";
import {
  agreementClosedMessage,
  authorizeFromPage,
  decideOnPage,
  endOpenSessionsLocked,
  findSession,
  merchantName,
  openPageLocked,
  requireAllowedRedirect,
  settleOnPage,
  type PageDecision,
} from "./hosted-pages.server";

// ---------------------------------------------------------------- Vipps app claim

export type AppClaimInput = {
  paymentId: number;
  transactionId: number;
  /** Where the Vipps page is served (the public origin). */
  origin: string;
  phoneNumber?: string;
  description?: string;
  redirectUrl?: string;
};

export type AppClaimOutcome =
  { kind: "claim"; paymentId: number; transactionId: number; appClaimUrl: string } | { kind: "charged" };

const CLAIMABLE = new Set(["CREATED", "INITIATED"]);
const MOBILE_TYPES = new Set(["VIPPS", "MOBILEPAY"]);

/**
 * POST …/app-claim: opens the Vipps page for a plain payment or a new agreement (`claim`), or
 * charges the transaction's ACTIVE agreement at once (`charged`: claim → ask → settle,
 * VIPPS_CHARGE).
 * @throws invalid      redirectUrl is not one of the client's prefixes; phoneNumber is missing for a page
 * @throws not_found    the payment or transaction is unknown or another organisation's
 * @throws conflict     the payment is deactivated; the transaction is not a Vipps one, or not
 *                      CREATED/INITIATED; another operation on it is in progress (RESOURCE_BUSY)
 * @throws rule         the transaction's agreement is unknown, stopped or expired
 * @throws declined     the provider declined the charge of an ACTIVE agreement
 * @throws unavailable  the provider did not answer: the charge is in progress and settles later
 */
export async function createAppClaim(caller: ClientCaller, input: AppClaimInput): Promise<AppClaimOutcome> {
  const { paymentId, transactionId, origin } = input;
  if (input.redirectUrl) requireAllowedRedirect(caller, input.redirectUrl);
  const outcome = await runProviderOperation(caller, vippsCharge, {
    kind: "VIPPS_CHARGE",
    ...onTransaction(caller, paymentId, transactionId),
    plan: async (tx, { payment, transaction }, ofThisRequest): Promise<ClaimPlan<AppClaimOutcome>> => {
      if (ofThisRequest) return { resume: ofThisRequest };
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

      if (agreement && canCharge(agreement.status)) {
        // Existing agreement: a merchant-initiated charge, no customer interaction. A decline
        // changes nothing here (422) but is counted when it settles.
        return {
          claim: {
            reference: newReference("VIPPS_CHARGE", transactionId),
            request: { agreementId: agreement.agreementId, amount: transaction.amount, currency: transaction.currency },
          },
        };
      }
      if (agreement && !awaitsConfirmation(agreement.status)) {
        throw ruleBroken(
          `payment agreement ${agreement.agreementId} is ${agreement.status}; it cannot be confirmed or charged`,
          "paymentAgreementId",
        );
      }
      if (!input.phoneNumber) throw invalid("phoneNumber", "is required");

      const session = await openPageLocked(tx, caller, transaction, at, {
        kind: "vipps",
        redirectUrl: input.redirectUrl ?? null,
        options: {
          mode: agreement ? "agreement" : "payment",
          phoneNumber: input.phoneNumber,
          description: input.description ?? null,
          amount: formatAmount(amount),
          currency: transaction.currency,
          ...(agreement ? { agreementId: agreement.agreementId, productName: agreement.productName } : {}),
        },
      });
      if (agreement) {
        // The agreement's confirmation URL (GET /v1/payment-agreements/{id}) is this page.
        await tx
          .update(paymentAgreements)
          .set({ status: "PENDING", confirmationToken: session.token, updatedAt: at })
          .where(eq(paymentAgreements.agreementId, agreement.agreementId));
      }
      return {
        done: { kind: "claim", paymentId, transactionId, appClaimUrl: `${origin}/sandbox/vipps/${session.token}` },
      };
    },
  });
  if (outcome.kind === "done") return outcome.value;
  requireSucceeded(outcome.op);
  return { kind: "charged" };
}

type VippsRequest = { amount: string; currency: string; agreementId?: string; phoneNumber?: string };

/**
 * VIPPS_CHARGE: a charge under an ACTIVE agreement, from the API (its INITIATE entry is written
 * with the authorization, open pages end) or as the first charge of an agreement the customer
 * confirmed on the Vipps page.
 */
export const vippsCharge: OperationHandler = {
  send: (op) => {
    const request = op.request as VippsRequest;
    return mobileProvider().chargeAgreement({
      ...moneyAskOf(op),
      agreementId: request.agreementId!,
    });
  },
  settle: (context, answer) =>
    settleOnPage(context, answer, async (session) => {
      const { tx, at } = context;
      const caller = context.caller as ClientCaller | SystemCaller;
      const transaction = transactionOf(context);
      if (!session) {
        await endOpenSessionsLocked(tx, transaction.transactionId, at);
        await appendInitiate(tx, caller, transaction, at);
      }
      await authorizeFromPage(context, session, { rrn: (answer.ok && answer.pspReference) || null });
    }),
};

/** VIPPS_CLAIM: the customer approved the payment in the app (the Vipps page); the amount is reserved. */
export const vippsClaim: OperationHandler = {
  send: (op) => {
    const request = op.request as VippsRequest;
    return mobileProvider().reserveClaim({
      ...moneyAskOf(op),
      phoneNumber: request.phoneNumber!,
    });
  },
  settle: (context, answer) =>
    settleOnPage(context, answer, async (session) => {
      await authorizeFromPage(context, session, { rrn: (answer.ok && answer.pspReference) || null });
    }),
};

export type VippsPageView = {
  state: TerminalState;
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

/** GET /sandbox/vipps/{token}: what the page shows, for an app claim or an agreement; null for an unknown token. */
export async function vippsPage(token: string): Promise<VippsPageView | null> {
  return (await claimPage(token)) ?? (await agreementConfirmationPage(token));
}

async function claimPage(token: string): Promise<VippsPageView | null> {
  const session = await findSession(token, "vipps");
  if (!session) return null;
  const o = session.options as Record<string, string | null>;
  return {
    state: terminalState(session),
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

/**
 * The customer approves or rejects on the (sandbox) Vipps page: an app claim (approving reserves
 * the payment, or confirms the agreement and charges its first payment), or an agreement
 * registered on its own. Null: no such page. Nothing is thrown: a page that is over or a declined
 * charge is a decision's state.
 */
export async function decideOnVippsPage(
  caller: SystemCaller,
  input: { token: string; decision: "approve" | "reject" },
): Promise<PageDecision | null> {
  return (await decideVippsClaim(caller, input)) ?? (await decideAgreementConfirmation(input));
}

async function decideVippsClaim(
  pageCaller: SystemCaller,
  { token, decision }: { token: string; decision: "approve" | "reject" },
): Promise<PageDecision | null> {
  return decideOnPage(
    pageCaller,
    token,
    "vipps",
    { VIPPS_CLAIM: vippsClaim, VIPPS_CHARGE: vippsCharge },
    async ({ tx, transaction, session, at }) => {
      if (decision === "reject") return { result: "rejected", message: "You rejected the payment. Nothing was paid." };
      const options = session.options as Record<string, string>;
      const request = { amount: transaction.amount, currency: transaction.currency };
      if (options.mode === "agreement") {
        const [agreement] = await tx
          .select()
          .from(paymentAgreements)
          .where(eq(paymentAgreements.agreementId, options.agreementId))
          .for("update");
        if (!agreement || !awaitsConfirmation(agreement.status)) {
          return { unavailable: `The agreement is ${agreement?.status ?? "gone"}; it can no longer be confirmed.` };
        }
        // Confirmed now, whatever the first charge's outcome.
        await tx
          .update(paymentAgreements)
          .set({ status: "ACTIVE", updatedAt: at })
          .where(eq(paymentAgreements.agreementId, agreement.agreementId));
        return {
          ask: {
            kind: "VIPPS_CHARGE",
            reference: newReference("VIPPS_CHARGE", transaction.transactionId),
            request: { ...request, agreementId: agreement.agreementId },
          },
          message: (answer) =>
            answer.ok
              ? "Agreement confirmed and the first payment approved."
              : `The agreement is confirmed, but the first charge was declined: ${answer.reason}.`,
        };
      }
      return {
        ask: {
          kind: "VIPPS_CLAIM",
          reference: newReference("VIPPS_CLAIM", transaction.transactionId),
          request: { ...request, phoneNumber: options.phoneNumber },
        },
        message: (answer) => (answer.ok ? "Payment approved." : `The payment was declined: ${answer.reason}.`),
      };
    },
  );
}

// ---------------------------------------------------------------- an agreement registered on its own

async function agreementByToken(token: string) {
  if (!/^[A-Za-z0-9_-]{16,100}$/.test(token)) return null;
  const [row] = await db()
    .select({ agreement: paymentAgreements, merchant: organisations.name })
    .from(paymentAgreements)
    .innerJoin(organisations, eq(organisations.id, paymentAgreements.organisationId))
    .where(eq(paymentAgreements.confirmationToken, token));
  return row ? { ...row.agreement, merchant: row.merchant } : null;
}

/** The Vipps page of an agreement registered on its own (no transaction): null for an unknown token. */
async function agreementConfirmationPage(token: string): Promise<VippsPageView | null> {
  const row = await agreementByToken(token);
  if (!row) return null;
  const pricing = readPricing(row.pricing);
  const provider = row.provider as Record<string, unknown>;
  return {
    state: awaitsConfirmation(row.status) ? "open" : "completed",
    outcome: `agreement:${row.status}`,
    mode: "agreement",
    amount: pricing ? formatAmount(chargeLimit(pricing).max) : null,
    currency: pricing?.currency ?? "NOK",
    amountNote: pricing?.type === "LEGACY" ? "Price per charge." : pricing ? "The most a single charge may be." : null,
    phoneNumber: typeof provider.phoneNumber === "string" ? provider.phoneNumber : null,
    description: null,
    productName: row.productName,
    merchant: row.merchant,
  };
}

/**
 * The customer confirms (ACTIVE) or rejects (STOPPED) an agreement registered on its own, and is
 * sent back to the client's provider.redirectUrl with agreementId and result. Null: no such page.
 */
async function decideAgreementConfirmation({
  token,
  decision,
}: {
  token: string;
  decision: "approve" | "reject";
}): Promise<PageDecision | null> {
  const peek = await agreementByToken(token);
  if (!peek) return null;
  return inTransaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(paymentAgreements)
      .where(eq(paymentAgreements.agreementId, peek.agreementId))
      .for("update");
    if (!awaitsConfirmation(row.status))
      return { state: "completed", message: agreementClosedMessage(row.status), redirectTo: null };
    const at = new Date();
    const approved = decision === "approve";
    await tx
      .update(paymentAgreements)
      .set(approved ? { status: "ACTIVE", updatedAt: at } : { status: "STOPPED", stoppedAt: at, updatedAt: at })
      .where(eq(paymentAgreements.agreementId, row.agreementId));
    const result = approved ? "approved" : "rejected";
    const redirectUrl = (row.provider as Record<string, unknown>).redirectUrl;
    let redirectTo: string | null = null;
    if (typeof redirectUrl === "string") {
      const target = new URL(redirectUrl);
      target.searchParams.set("agreementId", row.agreementId);
      target.searchParams.set("result", result);
      redirectTo = target.toString();
    }
    return {
      state: result,
      message: approved ? "Agreement confirmed." : "You rejected the agreement. Nothing will be charged.",
      redirectTo,
    };
  });
}
