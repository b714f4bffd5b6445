// Collector invoices (POST and PUT …/invoice).
//
// POST creates the invoice of a COLLECTOR or COLLECTOR_B2B transaction, or replaces the one it
// has (the old one gets replaced_at and its page closes): an INITIATE entry, the transaction
// INITIATED. COLLECTOR needs a redirectUrl and answers a terminalUri, the invoice page;
// COLLECTOR_B2B answers an expiryDate (14 days on) and a publicToken, the token of the page an
// iframe shows (/sandbox/invoice/{publicToken}). Confirming on the page sets confirmed_at and
// authorizes the transaction (AUTHORIZE entry); after that the invoice cannot change.
//
// PUT changes a COLLECTOR_B2B invoice (content and/or amount) before it is confirmed: an amount
// change also changes the transaction's amount, within the payment's totalAmount; an UPDATE
// entry with the invoice's (new) amount records the change.
import { randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import { db, type Tx } from "../../../db/client";
import { invoices, paymentTransactions, providerSessions } from "../../../db/schema";
import { conflict, invalid, ruleBroken } from "../../domain/errors";
import { add, formatAmount, money, toDbAmount, type Money } from "../../domain/money";
import { claimedTotal } from "../../domain/transaction";
import { mobileProvider } from "../../providers/index.server";
import { auditStaffAction } from "../../platform/audit.server";
import {
  newReference,
  requireNoOperationInFlight,
  type OperationHandler,
  moneyAskOf,
} from "../../platform/provider-operations.server";
import type { Caller, ClientCaller, SystemCaller } from "../../domain/caller";
import { appendOperation } from "../../platform/operation-log.server";
import { lockTransaction, requireActive } from "../../platform/locks.server";
import { terminalExpiresAt, terminalState, type TerminalState } from "../../domain/terminal";
import {
  authorizeFromPage,
  decideOnPage,
  findSession,
  insertSessionLocked,
  merchantName,
  newToken,
  requireAllowedRedirect,
  settleOnPage,
  supersedeSessionsLocked,
  type PageDecision,
} from "./hosted-pages.server";
import type { TransactionRow } from "../queries/payment-view.server";
import { initiateLocked, touchPayment } from "../transactions/transactions.server";
import { inTransaction } from "../../platform/transaction.server";

export const B2B_PAYABLE_DAYS = 14;

export type InvoiceRow = typeof invoices.$inferSelect;

type InvoiceFields = {
  redirectUrl?: string;
  languageCode?: string;
  externalInvoiceNumber?: string;
  customerIdentificationNumber?: string;
};

export type InvoiceInput = InvoiceFields & {
  paymentId: number;
  transactionId: number;
  /** Where the invoice page is served (the public origin). */
  origin: string;
};

export type InvoiceChange = InvoiceFields & {
  paymentId: number;
  transactionId: number;
  invoiceId?: string;
  amount?: Money;
};

export type InvoiceResult = {
  invoiceId: string;
  paymentId: number;
  transactionId: number;
  expiryDate: string | null;
  publicToken: string | null;
  terminalUri: string | null;
};

function invoiceType(transaction: TransactionRow): "COLLECTOR" | "COLLECTOR_B2B" {
  if (transaction.paymentTypeGroup !== "INVOICE") {
    throw conflict(
      `An invoice needs an INVOICE transaction (COLLECTOR or COLLECTOR_B2B); this one is ${transaction.paymentType ?? transaction.paymentTypeGroup}`,
    );
  }
  if (transaction.paymentType !== "COLLECTOR" && transaction.paymentType !== "COLLECTOR_B2B") {
    throw ruleBroken("An invoice needs a transaction with paymentType COLLECTOR or COLLECTOR_B2B", "paymentType");
  }
  return transaction.paymentType;
}

async function currentInvoice(tx: Tx, transactionId: number): Promise<InvoiceRow | undefined> {
  const [row] = await tx
    .select()
    .from(invoices)
    .where(and(eq(invoices.transactionId, transactionId), isNull(invoices.replacedAt)))
    .orderBy(desc(invoices.createdAt))
    .limit(1)
    .for("update");
  return row;
}

function result(invoice: InvoiceRow, terminalUri: string | null): InvoiceResult {
  return {
    invoiceId: invoice.invoiceId,
    paymentId: invoice.paymentId,
    transactionId: invoice.transactionId,
    expiryDate: invoice.expiryDate,
    publicToken: invoice.publicToken,
    terminalUri,
  };
}

/**
 * POST …/invoice: creates the transaction's invoice, or replaces its unconfirmed one; the
 * transaction is INITIATED.
 * @throws invalid    redirectUrl is not one of the client's prefixes, or missing for COLLECTOR
 * @throws not_found  the payment or transaction is unknown or another organisation's
 * @throws conflict   the payment is deactivated; the transaction is not an INVOICE one, not
 *                    CREATED/INITIATED, or its invoice was confirmed
 * @throws rule       the transaction's paymentType is not COLLECTOR or COLLECTOR_B2B
 */
export async function createInvoice(caller: ClientCaller, input: InvoiceInput): Promise<InvoiceResult> {
  const { paymentId, transactionId, origin } = input;
  if (input.redirectUrl) requireAllowedRedirect(caller, input.redirectUrl);
  return inTransaction(async (tx) => {
    const { payment, transaction } = await lockTransaction(tx, caller, paymentId, transactionId);
    requireActive(payment);
    const type = invoiceType(transaction);
    const previous = await currentInvoice(tx, transactionId);
    if (previous?.confirmedAt)
      throw conflict(`Invoice ${previous.invoiceId} was confirmed by the customer; it cannot be replaced`);
    if (transaction.status !== "CREATED" && transaction.status !== "INITIATED") {
      throw conflict(`The transaction is ${transaction.status}; an invoice needs a CREATED or INITIATED one`);
    }
    if (type === "COLLECTOR" && !input.redirectUrl) throw invalid("redirectUrl", "is required for COLLECTOR invoices");

    const at = new Date();
    if (previous)
      await tx
        .update(invoices)
        .set({ replacedAt: at, updatedAt: at })
        .where(eq(invoices.invoiceId, previous.invoiceId));
    await supersedeSessionsLocked(tx, transactionId, at, "replaced");

    const b2b = type === "COLLECTOR_B2B";
    const expires = b2b ? new Date(at.getTime() + B2B_PAYABLE_DAYS * 86_400_000) : terminalExpiresAt(at);
    const expiryDate = b2b ? expires.toISOString().slice(0, 10) : null;
    const token = newToken();
    const [invoice] = await tx
      .insert(invoices)
      .values({
        invoiceId: `inv_${randomBytes(12).toString("hex")}`,
        paymentId,
        transactionId,
        paymentType: type,
        amount: transaction.amount,
        redirectUrl: input.redirectUrl ?? null,
        languageCode: input.languageCode ?? null,
        externalInvoiceNumber: input.externalInvoiceNumber ?? null,
        customerIdentificationNumber: input.customerIdentificationNumber ?? null,
        publicToken: b2b ? token : null,
        expiryDate,
        createdAt: at,
        updatedAt: at,
      })
      .returning();
    await insertSessionLocked(tx, {
      token,
      kind: "invoice",
      paymentId,
      transactionId,
      redirectUrl: input.redirectUrl ?? null,
      options: { invoiceId: invoice.invoiceId },
      // A B2B invoice is payable through the whole of its expiry date.
      expiresAt: b2b ? new Date(`${expiryDate}T23:59:59.999Z`) : expires,
    });
    await initiateLocked(tx, caller, transaction, at);
    return result(invoice, b2b ? null : `${origin}/sandbox/invoice/${token}`);
  });
}

/**
 * PUT …/invoice: changes a COLLECTOR_B2B invoice before the customer confirms it; an amount change
 * changes the transaction's amount too. Staff (invoice:adjust) call this too. Where the customer's
 * page sends them (redirectUrl) stays the API client's business: only a client may change it,
 * within its own allowed prefixes.
 * @throws invalid    nothing to change; redirectUrl from staff or outside the client's prefixes
 * @throws not_found  the payment or transaction is unknown or another organisation's
 * @throws conflict   the payment is deactivated; no invoice yet; the invoice was confirmed; the
 *                    transaction is not INITIATED or not an INVOICE one
 * @throws rule       invoiceId is not the current invoice; not COLLECTOR_B2B; the amount would
 *                    exceed the payment's totalAmount
 */
export async function changeInvoice(caller: Caller, change: InvoiceChange): Promise<InvoiceResult> {
  const { paymentId, transactionId } = change;
  if (change.redirectUrl !== undefined) {
    if (caller.kind !== "client")
      throw invalid("redirectUrl", "can only be changed by the API client that created the invoice");
    requireAllowedRedirect(caller, change.redirectUrl);
  }
  const fields = [
    "amount",
    "redirectUrl",
    "languageCode",
    "externalInvoiceNumber",
    "customerIdentificationNumber",
  ] as const;
  if (!fields.some((field) => change[field] !== undefined)) {
    throw invalid("body", `has nothing to change: give at least one of ${fields.join(", ")}`);
  }
  return inTransaction(async (tx) => {
    const { payment, transactions, transaction } = await lockTransaction(tx, caller, paymentId, transactionId);
    requireActive(payment);
    await requireNoOperationInFlight(tx, transactionId);
    const type = invoiceType(transaction);
    const invoice = await currentInvoice(tx, transactionId);
    if (!invoice) throw conflict("The transaction has no invoice yet; create it with POST …/invoice");
    if (change.invoiceId !== undefined && change.invoiceId !== invoice.invoiceId) {
      throw ruleBroken(`invoiceId is not this transaction's current invoice (${invoice.invoiceId})`, "invoiceId");
    }
    if (type !== "COLLECTOR_B2B")
      throw ruleBroken("Only a COLLECTOR_B2B invoice can be changed; create a new COLLECTOR invoice instead (POST)");
    if (invoice.confirmedAt)
      throw conflict(`Invoice ${invoice.invoiceId} was confirmed by the customer; it can no longer change`);
    if (transaction.status !== "INITIATED")
      throw conflict(`The transaction is ${transaction.status}; its invoice can no longer change`);

    const at = new Date();
    let amount = money(invoice.amount);
    if (change.amount !== undefined && change.amount !== amount) {
      const others = claimedTotal(
        transactions
          .filter((t) => t.transactionId !== transactionId)
          .map((t) => ({ status: t.status, amount: money(t.amount) })),
      );
      const total = money(payment.totalAmount);
      if (add(others, change.amount) > total) {
        throw ruleBroken(
          `amount ${formatAmount(change.amount)} would make the payment's transactions exceed its totalAmount ${formatAmount(total)}`,
          "amount",
        );
      }
      amount = change.amount;
      await tx
        .update(paymentTransactions)
        .set({ amount: toDbAmount(amount), updatedAt: at })
        .where(eq(paymentTransactions.transactionId, transactionId));
    }
    const [updated] = await tx
      .update(invoices)
      .set({
        amount: toDbAmount(amount),
        ...(change.redirectUrl !== undefined ? { redirectUrl: change.redirectUrl } : {}),
        ...(change.languageCode !== undefined ? { languageCode: change.languageCode } : {}),
        ...(change.externalInvoiceNumber !== undefined ? { externalInvoiceNumber: change.externalInvoiceNumber } : {}),
        ...(change.customerIdentificationNumber !== undefined
          ? { customerIdentificationNumber: change.customerIdentificationNumber }
          : {}),
        updatedAt: at,
      })
      .where(eq(invoices.invoiceId, invoice.invoiceId))
      .returning();
    if (change.redirectUrl !== undefined) {
      // The open page sends the customer to the new place.
      await tx
        .update(providerSessions)
        .set({ redirectUrl: change.redirectUrl })
        .where(
          and(
            eq(providerSessions.transactionId, transactionId),
            eq(providerSessions.kind, "invoice"),
            isNull(providerSessions.completedAt),
          ),
        );
    }
    await appendOperation(tx, { transactionId, paymentId, operation: "UPDATE", amount, at }, caller);
    await touchPayment(tx, paymentId, at);
    await auditStaffAction(tx, caller, {
      action: "invoice.adjust",
      entityType: "invoice",
      entityId: invoice.invoiceId,
      before: auditedInvoice(invoice),
      after: auditedInvoice(updated),
    });
    return result(updated, null);
  });
}

/** What a staff audit entry keeps of an invoice before and after a change. */
function auditedInvoice(row: InvoiceRow) {
  return {
    paymentId: row.paymentId,
    transactionId: row.transactionId,
    amount: formatAmount(money(row.amount)),
    languageCode: row.languageCode,
    externalInvoiceNumber: row.externalInvoiceNumber,
    customerIdentificationNumber: row.customerIdentificationNumber,
  };
}

// ---------------------------------------------------------------- the invoice page

export type InvoicePageView = {
  state: TerminalState;
  outcome: string | null;
  invoiceId: string;
  paymentType: string;
  amount: string;
  currency: string;
  /** The organisation that sends the invoice. */
  merchant: string;
  externalInvoiceNumber: string | null;
  languageCode: string | null;
  expiryDate: string | null;
  confirmedAt: string | null;
};

/** GET /sandbox/invoice/{token}: what the page shows; null for an unknown token. */
export async function invoicePage(token: string): Promise<InvoicePageView | null> {
  const session = await findSession(token, "invoice");
  if (!session) return null;
  const invoiceId = String((session.options as Record<string, unknown>).invoiceId);
  const [invoice] = await db().select().from(invoices).where(eq(invoices.invoiceId, invoiceId));
  if (!invoice) return null;
  const [transaction] = await db()
    .select({ currency: paymentTransactions.currency })
    .from(paymentTransactions)
    .where(eq(paymentTransactions.transactionId, invoice.transactionId));
  return {
    state: terminalState(session),
    outcome: session.outcome,
    invoiceId: invoice.invoiceId,
    paymentType: invoice.paymentType,
    amount: formatAmount(money(invoice.amount)),
    currency: transaction?.currency ?? "NOK",
    merchant: await merchantName(invoice.paymentId),
    externalInvoiceNumber: invoice.externalInvoiceNumber,
    languageCode: invoice.languageCode,
    expiryDate: invoice.expiryDate,
    confirmedAt: invoice.confirmedAt?.toISOString() ?? null,
  };
}

/**
 * The customer confirms the invoice (or leaves without confirming). Confirming asks Collector
 * (claim → ask → settle: INVOICE_AUTHORIZE, invoiceAuthorization). Null: no such page. Nothing is
 * thrown: a page that is over, a declined invoice or one still in progress is a decision's state.
 */
export async function decideInvoice(
  pageCaller: SystemCaller,
  { token, decision }: { token: string; decision: "confirm" | "cancel" },
): Promise<PageDecision | null> {
  return decideOnPage(
    pageCaller,
    token,
    "invoice",
    { INVOICE_AUTHORIZE: invoiceAuthorization },
    async ({ tx, transaction, session }) => {
      if (decision === "cancel")
        return { result: "rejected", message: "You left without confirming the invoice. Nothing was paid." };
      const invoiceId = String((session.options as Record<string, unknown>).invoiceId);
      const [invoice] = await tx.select().from(invoices).where(eq(invoices.invoiceId, invoiceId)).for("update");
      if (!invoice || invoice.replacedAt || invoice.confirmedAt)
        return { unavailable: "This invoice can no longer be confirmed." };
      return {
        ask: {
          kind: "INVOICE_AUTHORIZE",
          reference: newReference("INVOICE_AUTHORIZE", invoice.invoiceId),
          request: { invoiceId: invoice.invoiceId, amount: invoice.amount, currency: transaction.currency },
        },
        message: (answer) => (answer.ok ? "Invoice confirmed." : `The invoice was declined: ${answer.reason}.`),
      };
    },
  );
}

/** INVOICE_AUTHORIZE: Collector's credit check of a confirmed invoice; approved, the invoice is confirmed and the transaction AUTHORIZED. */
export const invoiceAuthorization: OperationHandler = {
  send: (op) => {
    const request = op.request as { invoiceId: string; amount: string; currency: string };
    return mobileProvider().authorizeInvoice({
      ...moneyAskOf(op),
      invoiceId: request.invoiceId,
    });
  },
  settle: (context, answer) =>
    settleOnPage(context, answer, async (session) => {
      const { tx, at } = context;
      const invoiceId = context.op.request.invoiceId as string;
      await tx.update(invoices).set({ confirmedAt: at, updatedAt: at }).where(eq(invoices.invoiceId, invoiceId));
      await authorizeFromPage(context, session, { rrn: (answer.ok && answer.pspReference) || null });
    }),
};
