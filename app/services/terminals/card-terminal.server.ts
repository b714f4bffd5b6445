// The card terminal (POST …/terminal): the hosted card page a customer pays on, and
// merchant-initiated charges of a stored card (MIT_UCOF) that need no page at all; and the
// internal terminal (POST …/internal-terminal), the same page for customer-service staff who type
// the customer's card. What happens on the page is card-page.server.ts.
import type { ClientCaller } from "../../domain/caller";
import { ruleBroken } from "../../domain/errors";
import {
  newReference,
  requireSucceeded,
  runProviderOperation,
  type ClaimPlan,
  onTransaction,
} from "../../platform/provider-operations.server";
import { storedCardCharge, storedCardRequest } from "./card-page.server";
import { inCustomerTransaction, insertRecurringPaymentLocked } from "../recurring/recurring-payments.server";
import {
  lockPayable,
  requirePayable,
  openFixedPage,
  openSessionLocked,
  requireAllowedRedirect,
  terminalUrl,
  usableStoredCardLocked,
  type TerminalTarget,
} from "./terminal-sessions.server";

export type CardTerminalInput = TerminalTarget & {
  /** Where the terminal sends the customer back; one of the client's allowed redirect prefixes. */
  redirectUrl: string;
  /** Capture at once when the card is authorized. */
  autoSale?: boolean;
  singlePage?: boolean;
  /** Receives a POST when the payment completes. */
  callbackUrl?: string;
  /** ISO 3166-1 alpha-2; default NO. */
  countryCode?: string;
  /** Store the approved card as a recurring payment (only when the payment has a customer). */
  storePayment?: boolean;
  /** The customer of the stored card; honoured only for privileged clients. */
  customerNumber?: string;
  /** MIT_UCOF: charge the transaction's stored card at once, without a terminal. */
  transactionType?: "MIT_UCOF";
  /** Language of the page; default no_NO. */
  terminalLanguage?: string;
};

export type InternalTerminalInput = TerminalTarget & { redirectUrl: string };

export type TerminalCreated = {
  terminalUri?: string;
  paymentId: number;
  transactionId: number;
  recurringPaymentId?: number;
};

/**
 * POST …/terminal: a card terminal (201 with its terminalUri), or with MIT_UCOF an immediate
 * charge of the transaction's stored card (no terminal). With storePayment and a customer, the
 * approved card becomes a new recurring payment.
 * @throws invalid    redirectUrl or callbackUrl is not one of the client's prefixes
 * @throws not_found  the payment or transaction is unknown or another organisation's
 * @throws conflict   the payment is deactivated; the transaction is not CREATED/INITIATED, or an import
 * @throws rule       not a PAYMENTCARD transaction; MIT_UCOF without a usable stored card
 * @throws declined   MIT_UCOF: the provider declined the charge
 * @throws unavailable  MIT_UCOF: the provider did not answer; the charge is in progress and settles later
 */
export async function createTerminal(caller: ClientCaller, input: CardTerminalInput): Promise<TerminalCreated> {
  const { paymentId, transactionId, origin } = input;
  requireAllowedRedirect(caller, input.redirectUrl);
  if (input.callbackUrl) requireAllowedRedirect(caller, input.callbackUrl, "callbackUrl");
  if (input.transactionType === "MIT_UCOF") return chargeStoredCardNow(caller, input);
  return inCustomerTransaction(async (tx) => {
    const locked = await lockPayable(tx, caller, paymentId, transactionId);
    const { payment } = locked;
    const at = new Date();

    // storePayment needs a customer; without one (not logged in) it is disregarded.
    let recurringPaymentId: number | null = null;
    const customer = (caller.privileged ? input.customerNumber : undefined) ?? payment.customerNumber;
    if (input.storePayment && customer) {
      const stored = await insertRecurringPaymentLocked(
        tx,
        { organisationId: payment.organisationId, clientId: caller.clientId, customerNumber: customer },
        at,
      );
      recurringPaymentId = stored.recurringPaymentId;
    }

    const token = await openSessionLocked(tx, caller, locked, at, {
      kind: "CARD_TERMINAL",
      redirectUrl: input.redirectUrl,
      callbackUrl: input.callbackUrl ?? null,
      options: {
        autoSale: input.autoSale ?? false,
        singlePage: input.singlePage ?? false,
        countryCode: input.countryCode ?? "NO",
        terminalLanguage: input.terminalLanguage ?? "no_NO",
        recurringPaymentId,
        recurringType: null,
      },
    });
    return {
      terminalUri: terminalUrl(origin, token),
      paymentId,
      transactionId,
      ...(recurringPaymentId !== null ? { recurringPaymentId } : {}),
    };
  });
}

/**
 * POST …/internal-terminal: the same card page, for customer-service staff.
 * @throws invalid    redirectUrl is not one of the client's prefixes
 * @throws not_found  the payment or transaction is unknown or another organisation's
 * @throws conflict   the payment is deactivated; the transaction is not CREATED/INITIATED, or an import
 * @throws rule       not a PAYMENTCARD transaction
 */
export async function createInternalTerminal(
  caller: ClientCaller,
  input: InternalTerminalInput,
): Promise<{ terminalUrl: string; paymentId: number; transactionId: number }> {
  const url = await openFixedPage(caller, input, "INTERNAL_TERMINAL", async () => ({
    recurringPaymentId: null,
    recurringType: null,
  }));
  return { terminalUrl: url, paymentId: input.paymentId, transactionId: input.transactionId };
}

// ---------------------------------------------------------------- MIT_UCOF: charge at once

async function chargeStoredCardNow(caller: ClientCaller, input: CardTerminalInput): Promise<TerminalCreated> {
  const { paymentId, transactionId } = input;
  const outcome = await runProviderOperation(caller, storedCardCharge, {
    kind: "STORED_CARD_CHARGE",
    ...onTransaction(caller, paymentId, transactionId),
    plan: async (tx, locked, ofThisRequest): Promise<ClaimPlan<never>> => {
      if (ofThisRequest) return { resume: ofThisRequest };
      const { payment, transaction } = requirePayable(locked);
      if (transaction.recurringPaymentId === null) {
        throw ruleBroken(
          "transactionType MIT_UCOF charges the transaction's stored card: create the transaction with a recurringPaymentId",
          "transactionType",
        );
      }
      const stored = await usableStoredCardLocked(tx, payment, { recurringPaymentId: transaction.recurringPaymentId });
      return {
        claim: {
          reference: newReference("STORED_CARD_CHARGE", transactionId),
          request: {
            ...storedCardRequest(stored, transaction, "MERCHANT"),
            autoSale: input.autoSale ?? false,
            callbackUrl: input.callbackUrl ?? null,
          },
        },
      };
    },
  });
  if (outcome.kind === "settled") requireSucceeded(outcome.op);
  return {
    paymentId,
    transactionId,
    recurringPaymentId: outcome.kind === "settled" ? (outcome.op.request.recurringPaymentId as number) : undefined,
  };
}
