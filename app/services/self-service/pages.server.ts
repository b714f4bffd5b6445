// The browser half of product self-service. After the API call, the client sends the
// customer to our redirect page (/payment/invoice/pay or /paymentChange, logged in as the
// customer). Its GET shows what is about to be paid or changed and changes nothing; its POST
// ("Continue") opens the provider's hosted page (/sandbox/checkout/{token}: PayEx, Swish, Vipps,
// Nexi, AvtaleGiro, Klarna, served by the sandbox), or ("Cancel") goes back with
// result=cancelled. On the provider's page the customer approves or cancels; then they go back to
// the client's returnUrl with `result`, or to errorUrl on a system error. returnUrl and errorUrl
// are checked against the client's allowed prefixes before anything else (checkFlowTarget); a
// refused URL is never redirected to.
//
// Lock order: invoice, payment, its transactions, provider session (paying); product, payment
// change, provider session (changing). Each step is one DB transaction, so a double submit or two
// tabs cannot pay an invoice twice: the second finds the page completed or the invoice PAID.
import { and, eq, isNull } from "drizzle-orm";
import { db, type Tx } from "../../../db/client";
import {
  apiClients,
  customerInvoices,
  operationLog,
  organisations,
  paymentChanges,
  paymentTransactions,
  payments,
  products,
  providerSessions,
} from "../../../db/schema";
import { CARD_NUMBER_MESSAGE, containsCardNumber } from "../../domain/card-number";
import {
  REDIRECT_RESULTS,
  type InvoicePaymentMethod,
  type ProductPaymentMethod,
  type RedirectResult,
} from "../../domain/enums";
import { terminalExpiresAt, terminalState } from "../../domain/terminal";
import { isAllowedRedirect } from "../../domain/redirects";
import {
  attemptResult,
  changeResult,
  errorTo,
  INVOICE_METHODS,
  isInvoicePaymentMethod,
  isProductPaymentMethod,
  PRODUCT_METHODS,
  productMethodLabel,
  returnTo,
  type PaymentChangeStatus,
  type ProviderBrand,
} from "../../domain/self-service";
import { selfServiceProvider } from "../../providers/index.server";
import { countOutcome, outcomeKeyOf } from "../../platform/outcomes.server";
import {
  newReference,
  pendingOperationOfSession,
  runProviderOperation,
  transactionOf,
  type ClaimPlan,
  type OperationAnswer,
  type OperationHandler,
  type Subject,
  moneyAskOf,
} from "../../platform/provider-operations.server";
import type { Say } from "../../domain/errors";
import type { CustomerCaller, SystemCaller } from "../../domain/caller";
import type { InvoiceRow } from "./self-service.server";
import { lockPayment } from "../../platform/locks.server";
import { newToken, runPageOperation, supersedeSessionsLocked, type SessionRow } from "../mobile/hosted-pages.server";
import { authorizeLocked, cancelLocked, captureLocked, initiateLocked } from "../transactions/transactions.server";
import { inTransaction } from "../../platform/transaction.server";

export const PAY_SESSION = "selfservice-pay";
export const CHANGE_SESSION = "selfservice-change";

/** Where a flow may send the customer back to: both URLs already checked against the client. */
export type FlowTarget = { clientId: string | null; returnUrl: string; errorUrl: string };

// ---------------------------------------------------------------- the redirect pages' parameters

/** Why a link is refused: in English (the log, tests) and by its locale key (the customer's page). */
export type LinkRefusal = { message: string; say: Say };

export type TargetCheck =
  { ok: true; target: FlowTarget; clientName: string } | ({ ok: false; field: string } & LinkRefusal);

/** The link names no enabled client. */
export const NO_CLIENT: LinkRefusal = {
  message: "The link names no client that Paydesk knows (clientId).",
  say: { key: "errors.customerLink.noClient" },
};

/** A redirect page's link, as the customer's browser brought it (each parameter may be missing). */
export type FlowLink = { clientId: string | null; returnUrl: string | null; errorUrl: string | null };

/**
 * clientId, returnUrl and errorUrl of a redirect page: a known, enabled client, and both URLs
 * starting with one of its allowed prefixes. Anything else is refused with its reason, and the
 * page shows it instead of redirecting (an attacker's returnUrl must never be followed).
 */
export async function checkFlowTarget(link: FlowLink): Promise<TargetCheck> {
  const client = await activeClient(link.clientId);
  if (!client) return { ok: false, field: "clientId", ...NO_CLIENT };
  for (const field of ["returnUrl", "errorUrl"] as const) {
    const refused = refusedUrl(client, field, link[field]);
    if (refused) return { ok: false, field, ...refused };
  }
  return {
    ok: true,
    target: { clientId: client.clientId, returnUrl: link.returnUrl!, errorUrl: link.errorUrl! },
    clientName: client.name,
  };
}

/** An enabled API client by its id, or null. */
export async function activeClient(clientId: string | null) {
  const id = clientId?.trim() ?? "";
  if (!id || id.length > 200) return null;
  const [client] = await db()
    .select()
    .from(apiClients)
    .where(and(eq(apiClients.clientId, id), isNull(apiClients.disabledAt)));
  return client ?? null;
}

/** Why `url` may not be used as this client's `field` (missing, too long, not an allowed prefix), or null. */
export function refusedUrl(
  client: { name: string; allowedRedirectPrefixes: string[] },
  field: string,
  url: string | null,
): LinkRefusal | null {
  if (!url)
    return { message: `The link has no ${field}.`, say: { key: "errors.customerLink.missing", values: { field } } };
  if (url.length > 2048 || !isAllowedRedirect(url, client.allowedRedirectPrefixes)) {
    return {
      message: `The ${field} of this link is not an address that ${client.name} has registered with Paydesk.`,
      say: { key: "errors.customerLink.notRegistered", values: { field, client: client.name } },
    };
  }
  // It would be kept with the flow and sent back to; a card number has no business in it.
  if (containsCardNumber(url))
    return {
      message: `The ${field} of this link ${CARD_NUMBER_MESSAGE}.`,
      say: { key: "errors.customerLink.cardNumber", values: { field } },
    };
  return null;
}

const checkoutUrl = (origin: string, token: string) => `${origin}/sandbox/checkout/${token}`;

// ---------------------------------------------------------------- /payment/invoice/pay

/**
 * The redirect pages answer in one of two ways: straight back (to returnUrl when the flow is
 * over, to errorUrl when it is not this customer's or this client's), or our page that says what
 * is about to happen, with "Continue to <provider>" and "Cancel" (a POST: a GET changes nothing).
 */
export type Step<V> = { redirect: string } | { view: V };

export type PayView = {
  merchant: string;
  productName: string;
  productCode: string;
  invoiceNumber: string;
  amount: string;
  currency: string;
  dueDate: string;
  paymentMethod: string;
  methodLabel: string;
  provider: ProviderBrand;
};

/** Who sells the product and what it is: every page of a flow shows it. */
function productFacts(row: { product: typeof products.$inferSelect; merchant: string | null }) {
  return {
    merchant: row.merchant ?? row.product.companyCode,
    productName: row.product.name,
    productCode: row.product.productCode,
  };
}

/** The method the customer pays or registers, as its pages name it, and whose page it is. */
function methodFacts(paymentMethod: string, info: { label: string; provider: ProviderBrand }) {
  return { paymentMethod, methodLabel: info.label, provider: info.provider };
}

type PayAttempt = { invoiceNumber: string; paymentId: number };

/** The customer's own attempt, started by this client; null sends the customer to errorUrl. */
async function findAttempt(
  customer: CustomerCaller,
  transactionId: number,
  clientId: string | null,
): Promise<PayAttempt | null> {
  const [found] = await db()
    .select({ invoiceNumber: customerInvoices.invoiceNumber, paymentId: payments.paymentId })
    .from(paymentTransactions)
    .innerJoin(payments, eq(payments.paymentId, paymentTransactions.paymentId))
    .innerJoin(customerInvoices, eq(customerInvoices.paymentId, payments.paymentId))
    .where(
      and(
        eq(paymentTransactions.transactionId, transactionId),
        eq(customerInvoices.customerNumber, customer.customerNumber),
      ),
    );
  return found && (await startedBy(transactionId, clientId)) ? found : null;
}

/** Whether the attempt was started by this client (its CREATE entry names it); /account's own flow (null) skips this. */
async function startedBy(transactionId: number, clientId: string | null): Promise<boolean> {
  if (clientId === null) return true;
  const [created] = await db()
    .select({ actorType: operationLog.actorType, actor: operationLog.actor })
    .from(operationLog)
    .where(and(eq(operationLog.transactionId, transactionId), eq(operationLog.operation, "CREATE")));
  return created?.actorType === "CLIENT" && created.actor === clientId;
}

/** The result an attempt already has (paid, cancelled, …), or null while it can be paid. */
function attemptOver(
  invoice: InvoiceRow,
  payment: { active: boolean },
  attempt: { status: string },
): RedirectResult | null {
  return attemptResult(attempt.status) ?? (invoice.status === "PAID" || !payment.active ? "failed" : null);
}

/** GET /payment/invoice/pay: what the customer is about to pay, or where they go instead. Throws nothing. */
export async function invoicePayStep(
  customer: CustomerCaller,
  input: { transactionId: number; target: FlowTarget },
): Promise<Step<PayView>> {
  const { transactionId, target } = input;
  const ids = { transactionId };
  const found = await findAttempt(customer, transactionId, target.clientId);
  if (!found) return { redirect: errorTo(target.errorUrl, "not_found", ids) };
  const [row] = await db()
    .select({
      invoice: customerInvoices,
      product: products,
      merchant: organisations.name,
      payment: payments,
      attempt: paymentTransactions,
    })
    .from(customerInvoices)
    .innerJoin(products, eq(products.productCode, customerInvoices.productCode))
    .innerJoin(payments, eq(payments.paymentId, customerInvoices.paymentId))
    .innerJoin(paymentTransactions, eq(paymentTransactions.transactionId, transactionId))
    .leftJoin(organisations, eq(organisations.id, products.organisationId))
    .where(eq(customerInvoices.invoiceNumber, found.invoiceNumber));
  const over = attemptOver(row.invoice, row.payment, row.attempt);
  if (over) return { redirect: returnTo(target.returnUrl, over, ids) };
  const method = isInvoicePaymentMethod(row.invoice.paymentMethod) ? row.invoice.paymentMethod : "creditcardPayex";
  return {
    view: {
      ...productFacts(row),
      invoiceNumber: row.invoice.invoiceNumber,
      amount: row.invoice.amount,
      currency: row.invoice.currency,
      dueDate: row.invoice.dueDate,
      ...methodFacts(method, INVOICE_METHODS[method]),
    },
  };
}

export type Intent = "continue" | "cancel";

/** What the POST of a redirect page carries: where the flow may go back to, where pages are served, and the button. */
export type FlowStepInput = { target: FlowTarget; origin: string; intent: Intent };

/** How one redirect flow (an invoice payment attempt, a payment change) is found, locked and moved on. */
type FlowSubject<Found, Locked> = {
  /** The ids its redirects carry. */
  ids: Record<string, number>;
  /** The customer's own subject, started by this client; null otherwise. */
  find: () => Promise<Found | null>;
  lock: (tx: Tx, found: Found) => Promise<Locked>;
  /** The result it has already, or null while it can go on. */
  over: (locked: Locked) => RedirectResult | null;
  /** Ends its open provider pages: the page opened now replaces them. */
  supersede: (tx: Tx, locked: Locked, at: Date) => Promise<unknown>;
  cancel: (tx: Tx, locked: Locked, at: Date) => Promise<unknown>;
  initiate: (tx: Tx, locked: Locked, at: Date) => Promise<unknown>;
  /** The provider page: its kind, what it is about, and options beyond where it goes back to. */
  page: (
    locked: Locked,
  ) => Pick<
    typeof providerSessions.$inferInsert,
    "kind" | "paymentId" | "transactionId" | "paymentChangeId" | "options"
  >;
};

/**
 * The POST of a redirect page: a subject that is not the customer's (or not this client's) goes
 * to errorUrl with not_found, one that is over goes back with its result. Otherwise its open
 * provider pages stop working and "cancel" cancels it (back with result=cancelled), while
 * "continue" INITIATEs it and opens a new provider page. Answers where the customer goes next.
 */
async function continueFlow<Found, Locked>(input: FlowStepInput, subject: FlowSubject<Found, Locked>): Promise<string> {
  const { target, origin, intent } = input;
  const { ids } = subject;
  const found = await subject.find();
  if (!found) return errorTo(target.errorUrl, "not_found", ids);

  return inTransaction(async (tx) => {
    const locked = await subject.lock(tx, found);
    const over = subject.over(locked);
    if (over) return returnTo(target.returnUrl, over, ids);

    const at = new Date();
    await subject.supersede(tx, locked, at);
    if (intent === "cancel") {
      await subject.cancel(tx, locked, at);
      return returnTo(target.returnUrl, "cancelled", ids);
    }
    await subject.initiate(tx, locked, at);
    const { options, ...page } = subject.page(locked);
    const token = newToken();
    await tx.insert(providerSessions).values({
      token,
      ...page,
      redirectUrl: target.returnUrl,
      options: { errorUrl: target.errorUrl, clientId: target.clientId, ...options },
      expiresAt: terminalExpiresAt(at),
      createdAt: at,
    });
    return checkoutUrl(origin, token);
  });
}

/**
 * POST /payment/invoice/pay: "continue" opens the provider's page (a new one; an older page of
 * the attempt stops working) and INITIATEs the attempt; "cancel" cancels the attempt and goes
 * back with result=cancelled. An attempt that is over goes back with its result. Answers where
 * the customer goes next; throws nothing.
 */
export async function continueInvoicePay(
  customer: CustomerCaller,
  input: FlowStepInput & { transactionId: number },
): Promise<string> {
  const { transactionId, target } = input;
  return continueFlow(input, {
    ids: { transactionId },
    find: () => findAttempt(customer, transactionId, target.clientId),
    lock: async (tx, found) => {
      const [invoice] = await tx
        .select()
        .from(customerInvoices)
        .where(eq(customerInvoices.invoiceNumber, found.invoiceNumber))
        .for("update");
      const { payment, transactions } = await lockPayment(tx, customer, found.paymentId);
      return { invoice, payment, attempt: transactions.find((t) => t.transactionId === transactionId)! };
    },
    over: ({ invoice, payment, attempt }) => attemptOver(invoice, payment, attempt),
    supersede: (tx, _locked, at) => supersedeSessionsLocked(tx, transactionId, at, "replaced"),
    cancel: (tx, { attempt }, at) => cancelLocked(tx, customer, attempt, at),
    initiate: async (tx, { attempt }, at) => {
      if (attempt.status === "CREATED") await initiateLocked(tx, customer, attempt, at);
    },
    page: ({ invoice, payment }) => ({
      kind: PAY_SESSION,
      paymentId: payment.paymentId,
      transactionId,
      options: { invoiceNumber: invoice.invoiceNumber, paymentMethod: invoice.paymentMethod },
    }),
  });
}

// ---------------------------------------------------------------- /paymentChange

export type ChangeView = {
  merchant: string;
  productName: string;
  productCode: string;
  currentPaymentMethod: string;
  currentLabel: string;
  paymentMethod: string;
  methodLabel: string;
  provider: ProviderBrand;
};

type ChangeRow = typeof paymentChanges.$inferSelect;

async function findChange(
  customer: CustomerCaller,
  paymentChangeId: number,
  clientId: string | null,
): Promise<ChangeRow | null> {
  const [found] = await db()
    .select()
    .from(paymentChanges)
    .where(
      and(
        eq(paymentChanges.paymentChangeId, paymentChangeId),
        eq(paymentChanges.customerNumber, customer.customerNumber),
      ),
    );
  return found && (clientId === null || found.clientId === clientId) ? found : null;
}

/** GET /paymentChange: the change the customer is about to confirm, or where they go instead. Throws nothing. */
export async function paymentChangeStep(
  customer: CustomerCaller,
  input: { paymentChangeId: number; target: FlowTarget },
): Promise<Step<ChangeView>> {
  const { paymentChangeId, target } = input;
  const ids = { paymentChangeId };
  const change = await findChange(customer, paymentChangeId, target.clientId);
  if (!change) return { redirect: errorTo(target.errorUrl, "not_found", ids) };
  const over = changeResult(change.status);
  if (over) return { redirect: returnTo(target.returnUrl, over, ids) };
  const [row] = await db()
    .select({ product: products, merchant: organisations.name })
    .from(products)
    .leftJoin(organisations, eq(organisations.id, products.organisationId))
    .where(eq(products.productCode, change.productCode));
  const method = change.paymentMethod as ProductPaymentMethod;
  const current = row.product.currentPaymentMethod;
  return {
    view: {
      ...productFacts(row),
      currentPaymentMethod: current,
      currentLabel: productMethodLabel(current),
      ...methodFacts(method, PRODUCT_METHODS[method]),
    },
  };
}

/** POST /paymentChange: like continueInvoicePay, for a payment change. Throws nothing. */
export async function continuePaymentChange(
  customer: CustomerCaller,
  input: FlowStepInput & { paymentChangeId: number },
): Promise<string> {
  const { paymentChangeId, target } = input;
  const setStatus = (tx: Tx, values: Partial<typeof paymentChanges.$inferInsert>) =>
    tx.update(paymentChanges).set(values).where(eq(paymentChanges.paymentChangeId, paymentChangeId));
  return continueFlow(input, {
    ids: { paymentChangeId },
    find: () => findChange(customer, paymentChangeId, target.clientId),
    lock: async (tx, found) => (await lockChange(tx, found)).change,
    over: (change) => changeResult(change.status),
    supersede: (tx, _change, at) =>
      tx
        .update(providerSessions)
        .set({ completedAt: at, outcome: "replaced" })
        .where(and(eq(providerSessions.paymentChangeId, paymentChangeId), isNull(providerSessions.completedAt))),
    cancel: (tx, _change, at) =>
      setStatus(tx, { status: "CANCELLED", result: "cancelled", completedAt: at, updatedAt: at }),
    initiate: (tx, _change, at) => setStatus(tx, { status: "INITIATED", updatedAt: at }),
    page: () => ({ kind: CHANGE_SESSION, paymentChangeId }),
  });
}

async function lockChange(tx: Tx, change: ChangeRow) {
  const [product] = await tx.select().from(products).where(eq(products.productCode, change.productCode)).for("update");
  const [locked] = await tx
    .select()
    .from(paymentChanges)
    .where(eq(paymentChanges.paymentChangeId, change.paymentChangeId))
    .for("update");
  return { product, change: locked };
}

// ---------------------------------------------------------------- the provider's page

async function findCheckoutSession(token: string): Promise<SessionRow | null> {
  if (!/^[A-Za-z0-9_-]{16,100}$/.test(token)) return null;
  const [row] = await db().select().from(providerSessions).where(eq(providerSessions.token, token));
  return row && (row.kind === PAY_SESSION || row.kind === CHANGE_SESSION) ? row : null;
}

const option = (session: SessionRow, name: string): string | null => {
  const value = session.options[name];
  return typeof value === "string" ? value : null;
};

export type CheckoutView = {
  mode: "pay" | "change";
  state: "open" | "expired" | "completed";
  outcome: string | null;
  provider: ProviderBrand;
  paymentMethod: string;
  methodLabel: string;
  merchant: string;
  productName: string;
  productCode: string;
  invoiceNumber: string | null;
  amount: string | null;
  currency: string | null;
  /** Back to the client with the recorded result, once the page is completed. */
  backUrl: string | null;
};

export async function checkoutPage(token: string): Promise<CheckoutView | null> {
  const session = await findCheckoutSession(token);
  if (!session) return null;
  const state = terminalState(session);
  const outcome = session.outcome;
  const backUrl = (ids: Record<string, number>) =>
    state === "completed" && session.redirectUrl && (REDIRECT_RESULTS as readonly string[]).includes(outcome ?? "")
      ? returnTo(session.redirectUrl, outcome as RedirectResult, ids)
      : null;

  if (session.kind === PAY_SESSION) {
    const [row] = await db()
      .select({ invoice: customerInvoices, product: products, merchant: organisations.name })
      .from(customerInvoices)
      .innerJoin(products, eq(products.productCode, customerInvoices.productCode))
      .leftJoin(organisations, eq(organisations.id, products.organisationId))
      .where(eq(customerInvoices.invoiceNumber, option(session, "invoiceNumber") ?? ""));
    const method = option(session, "paymentMethod");
    if (!row || !isInvoicePaymentMethod(method)) return null;
    return {
      mode: "pay",
      state,
      outcome,
      ...methodFacts(method, INVOICE_METHODS[method]),
      ...productFacts(row),
      invoiceNumber: row.invoice.invoiceNumber,
      amount: row.invoice.amount,
      currency: row.invoice.currency,
      backUrl: backUrl({ transactionId: session.transactionId! }),
    };
  }
  const [row] = await db()
    .select({ change: paymentChanges, product: products, merchant: organisations.name })
    .from(paymentChanges)
    .innerJoin(products, eq(products.productCode, paymentChanges.productCode))
    .leftJoin(organisations, eq(organisations.id, products.organisationId))
    .where(eq(paymentChanges.paymentChangeId, session.paymentChangeId ?? 0));
  if (!row || !isProductPaymentMethod(row.change.paymentMethod)) return null;
  return {
    mode: "change",
    state,
    outcome,
    ...methodFacts(row.change.paymentMethod, PRODUCT_METHODS[row.change.paymentMethod]),
    ...productFacts(row),
    invoiceNumber: null,
    amount: null,
    currency: null,
    backUrl: backUrl({ paymentChangeId: row.change.paymentChangeId }),
  };
}

export type CheckoutDecision = {
  /** in_progress: the provider has not answered yet (the page settles by itself later). */
  state: RedirectResult | "expired" | "completed" | "unavailable" | "in_progress";
  message: string;
  /** The client's returnUrl with the result, or null to show the message on the page. */
  redirectTo: string | null;
};

export type Decision = "approve" | "cancel";

const EXPIRED = "This page has expired. Nothing was paid or changed; go back and start again.";

export function completedMessage(mode: "pay" | "change", outcome: string | null): string {
  switch (outcome) {
    case "finished":
      return mode === "pay" ? "This invoice has been paid." : "The payment method has been changed.";
    case "cancelled":
      return mode === "pay"
        ? "This payment was cancelled. Nothing was paid."
        : "This change was cancelled. Nothing was changed.";
    case "failed":
      return mode === "pay"
        ? "The provider refused this payment. Nothing was paid."
        : "The provider refused this payment method. Nothing was changed.";
    case "replaced":
      return "This page has been replaced by a newer one. Nothing was paid or changed here.";
    default:
      return "This page is no longer in use.";
  }
}

/**
 * The customer's decision on the provider page, in one DB transaction. Null: no such page.
 * Approving pays the invoice (AUTHORIZE + CAPTURE, invoice PAID) or switches the product's
 * payment method; a provider refusal changes nothing but ends the page with result=failed.
 * The operation-log entries are the provider's (sandbox-<method>), with the caller's
 * correlationId. Nothing is thrown on purpose: an error here is a system error (errorUrl).
 */
export async function decideCheckout(
  caller: SystemCaller,
  input: { token: string; decision: Decision },
): Promise<CheckoutDecision | null> {
  const session = await findCheckoutSession(input.token);
  if (!session) return null;
  return session.kind === PAY_SESSION
    ? decidePayment(session, input.decision, caller.correlationId)
    : decideChange(session, input.decision, caller.correlationId);
}

type Finish = { result: RedirectResult; message: string };
/** Ask the provider: the session stays open until its answer settles (and closes) it. */
type Ask = { ask: { reference: string; request: Record<string, unknown> } };

/** The checks every decision shares: the session still open, then `act` under the session's row lock. */
async function onOpenSession(
  tx: Tx,
  peek: SessionRow,
  mode: "pay" | "change",
  ids: Record<string, number>,
  act: (at: Date) => Promise<Finish | { unavailable: string } | Ask>,
): Promise<CheckoutDecision | Ask> {
  const [session] = await tx.select().from(providerSessions).where(eq(providerSessions.id, peek.id)).for("update");
  const at = new Date();
  const state = terminalState(session, at);
  if (state === "expired") return { state, message: EXPIRED, redirectTo: null };
  if (state === "completed") return { state, message: completedMessage(mode, session.outcome), redirectTo: null };
  if (await pendingOperationOfSession(tx, session.id))
    return { state: "in_progress", message: IN_PROGRESS, redirectTo: null };
  const outcome = await act(at);
  if ("unavailable" in outcome) return { state: "unavailable", message: outcome.unavailable, redirectTo: null };
  if ("ask" in outcome) return { ask: { ...outcome.ask, request: { ...outcome.ask.request, sessionId: session.id } } };
  await closeSession(tx, session.id, outcome.result, at);
  return {
    state: outcome.result,
    message: outcome.message,
    redirectTo: returnTo(session.redirectUrl!, outcome.result, ids),
  };
}

const IN_PROGRESS =
  "The provider has not answered yet: this is being processed. Reload this page in a moment to see the result.";

async function closeSession(tx: Tx, sessionId: number, result: RedirectResult, at: Date): Promise<void> {
  await tx.update(providerSessions).set({ completedAt: at, outcome: result }).where(eq(providerSessions.id, sessionId));
}

/**
 * A decision through claim → ask → settle (platform/provider-operations.server.ts): `plan` runs
 * the session's checks under the locks; when it asks the provider, the handler settles and
 * closes the session, and the customer sees its result (or, without an answer yet, that it is in
 * progress).
 */
async function decideThroughProvider<Locked>(
  caller: SystemCaller,
  handler: OperationHandler,
  peek: SessionRow,
  ids: Record<string, number>,
  spec: {
    kind: "INVOICE_PAY" | "METHOD_REGISTRATION";
    lock: (tx: Tx) => Promise<Locked>;
    subject: (locked: Locked) => Subject;
    decide: (tx: Tx, locked: Locked) => Promise<CheckoutDecision | Ask>;
    message: (answer: OperationAnswer) => string;
  },
): Promise<CheckoutDecision> {
  const inProgress: CheckoutDecision = { state: "in_progress", message: IN_PROGRESS, redirectTo: null };
  const outcome = await runPageOperation(peek, inProgress, () =>
    runProviderOperation(caller, handler, {
      kind: spec.kind,
      lock: spec.lock,
      subject: spec.subject,
      plan: async (tx, locked): Promise<ClaimPlan<CheckoutDecision>> => {
        const step = await spec.decide(tx, locked);
        return "ask" in step ? { claim: step.ask } : { done: step };
      },
    }),
  );
  if ("done" in outcome) return outcome.done;
  const result: RedirectResult = outcome.op.status === "SUCCEEDED" ? "finished" : "failed";
  return {
    state: result,
    message: spec.message(outcome.op.answer as OperationAnswer),
    redirectTo: returnTo(outcome.session.redirectUrl!, result, ids),
  };
}

async function decidePayment(peek: SessionRow, decision: Decision, correlationId: string): Promise<CheckoutDecision> {
  const transactionId = peek.transactionId!;
  const method = option(peek, "paymentMethod");
  const caller: SystemCaller = {
    kind: "system",
    name: `sandbox-${isInvoicePaymentMethod(method) ? method : "checkout"}`,
    correlationId,
  };
  return decideThroughProvider(
    caller,
    invoicePayment,
    peek,
    { transactionId },
    {
      kind: "INVOICE_PAY",
      lock: async (tx) => {
        const [invoice] = await tx
          .select()
          .from(customerInvoices)
          .where(eq(customerInvoices.invoiceNumber, option(peek, "invoiceNumber") ?? ""))
          .for("update");
        return { invoice, ...(await lockPayment(tx, caller, peek.paymentId!)) };
      },
      subject: ({ payment }) => ({
        organisationId: payment.organisationId,
        paymentId: payment.paymentId,
        transactionId,
      }),
      decide: (tx, { invoice, payment, transactions }) => {
        const attempt = transactions.find((t) => t.transactionId === transactionId)!;
        return onOpenSession(tx, peek, "pay", { transactionId }, async (at) => {
          if (
            !invoice ||
            invoice.status === "PAID" ||
            attempt.status !== "INITIATED" ||
            !payment.active ||
            !isInvoicePaymentMethod(method)
          ) {
            return {
              unavailable:
                "This invoice can no longer be paid here: it was paid already, or a newer payment attempt replaced this one.",
            };
          }
          if (decision === "cancel") {
            await cancelLocked(tx, caller, attempt, at);
            return { result: "cancelled", message: completedMessage("pay", "cancelled") };
          }
          return {
            ask: {
              reference: newReference("INVOICE_PAY", `${invoice.invoiceNumber}-${transactionId}`),
              request: {
                invoiceNumber: invoice.invoiceNumber,
                paymentMethod: method,
                amount: attempt.amount,
                currency: attempt.currency,
              },
            },
          };
        });
      },
      message: (answer) => (answer.ok ? completedMessage("pay", "finished") : `${answer.reason}. Nothing was paid.`),
    },
  );
}

/**
 * INVOICE_PAY: the customer paid one invoice on the provider's page. Paid, the attempt is
 * authorized and captured and the invoice PAID; refused, the attempt stays INITIATED (nothing is
 * logged but the declined count): a new attempt may follow.
 */
export const invoicePayment: OperationHandler = {
  // Every step of an invoice payment locks the invoice before its payment (a new attempt reads the
  // payment from the invoice); settling does too.
  lockBefore: async (tx, op) => {
    await tx
      .select({ invoiceNumber: customerInvoices.invoiceNumber })
      .from(customerInvoices)
      .where(eq(customerInvoices.invoiceNumber, op.request.invoiceNumber as string))
      .for("update");
  },
  send: (op) => {
    const request = op.request as { paymentMethod: InvoicePaymentMethod; amount: string; currency: string };
    return selfServiceProvider().payInvoice({
      ...moneyAskOf(op),
      paymentMethod: request.paymentMethod,
    });
  },
  async settle(context, answer) {
    const { tx, op, at } = context;
    const caller = context.caller as SystemCaller;
    const { payment } = context.locked!;
    const attempt = transactionOf(context);
    const sessionId = op.request.sessionId as number;
    if (!answer.ok) {
      await countOutcome(tx, outcomeKeyOf(payment, attempt), answer.unreached ? "failed" : "declined", at);
      await closeSession(tx, sessionId, "failed", at);
      return;
    }
    const authorized = await authorizeLocked(tx, caller, payment, attempt, at, {
      externalTransactionId: answer.pspReference ?? null,
    });
    const captured = await captureLocked(tx, caller, payment, authorized, at, "CAPTURE");
    await tx
      .update(customerInvoices)
      .set({ status: "PAID", paidTransactionId: captured.transactionId, paidAt: at, updatedAt: at })
      .where(eq(customerInvoices.invoiceNumber, op.request.invoiceNumber as string));
    await closeSession(tx, sessionId, "finished", at);
  },
};

async function decideChange(peek: SessionRow, decision: Decision, correlationId: string): Promise<CheckoutDecision> {
  const paymentChangeId = peek.paymentChangeId!;
  const [found] = await db().select().from(paymentChanges).where(eq(paymentChanges.paymentChangeId, paymentChangeId));
  const caller: SystemCaller = { kind: "system", name: "sandbox-checkout", correlationId };
  return decideThroughProvider(
    caller,
    methodRegistration,
    peek,
    { paymentChangeId },
    {
      kind: "METHOD_REGISTRATION",
      lock: (tx) => lockChange(tx, found),
      subject: () => ({ organisationId: null, paymentId: null, transactionId: null }),
      decide: (tx, { change }) =>
        onOpenSession(tx, peek, "change", { paymentChangeId }, async (at) => {
          if (change.status !== "INITIATED" || !isProductPaymentMethod(change.paymentMethod)) {
            return { unavailable: "This payment change can no longer be completed here." };
          }
          if (decision === "cancel") return finishChange(tx, paymentChangeId, "CANCELLED", "cancelled", at);
          return {
            ask: {
              reference: newReference("METHOD_REGISTRATION", paymentChangeId),
              request: { paymentChangeId, paymentMethod: change.paymentMethod, productCode: change.productCode },
            },
          };
        }),
      message: (answer) => completedMessage("change", answer.ok ? "finished" : "failed"),
    },
  );
}

async function finishChange(
  tx: Tx,
  paymentChangeId: number,
  status: PaymentChangeStatus,
  result: RedirectResult,
  at: Date,
): Promise<Finish> {
  await tx
    .update(paymentChanges)
    .set({ status, result, completedAt: at, updatedAt: at })
    .where(eq(paymentChanges.paymentChangeId, paymentChangeId));
  return { result, message: completedMessage("change", result) };
}

/** METHOD_REGISTRATION: the provider registered the product's new payment method (or refused to). */
export const methodRegistration: OperationHandler = {
  send: (op) => {
    const request = op.request as { paymentMethod: ProductPaymentMethod; productCode: string };
    return selfServiceProvider().registerPaymentMethod({
      reference: op.reference,
      paymentMethod: request.paymentMethod,
      productCode: request.productCode,
    });
  },
  async settle(context, answer) {
    const { tx, op, at } = context;
    const paymentChangeId = op.request.paymentChangeId as number;
    const [change] = await tx.select().from(paymentChanges).where(eq(paymentChanges.paymentChangeId, paymentChangeId));
    await lockChange(tx, change);
    const finished = answer.ok;
    if (finished) {
      await tx
        .update(products)
        .set({ currentPaymentMethod: op.request.paymentMethod as ProductPaymentMethod, updatedAt: at })
        .where(eq(products.productCode, op.request.productCode as string));
    }
    const result = finished ? "finished" : "failed";
    await finishChange(tx, paymentChangeId, finished ? "FINISHED" : "FAILED", result, at);
    await closeSession(tx, op.request.sessionId as number, result, at);
  },
};

/** errorUrl with error=system_error for this page, when a decision failed on our side; null if the page is unknown. */
export async function checkoutErrorUrl(token: string): Promise<string | null> {
  const session = await findCheckoutSession(token);
  const errorUrl = session ? option(session, "errorUrl") : null;
  if (!session || !errorUrl) return null;
  const ids: Record<string, number> =
    session.kind === PAY_SESSION
      ? { transactionId: session.transactionId! }
      : { paymentChangeId: session.paymentChangeId! };
  return errorTo(errorUrl, "system_error", ids);
}
