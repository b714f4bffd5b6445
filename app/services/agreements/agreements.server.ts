// Payment agreements (Vipps recurring): register, query by customer, get, stop, and
// what transactions need to create (createAgreement) and charge (paymentAgreementId) one. Used by
// the /v1 routes, the staff customer screen and the transaction use-cases.
//
// The confirmation page is the Vipps page, /sandbox/vipps/{confirmationToken}
// (mobile/app-claims.server.ts):
//   - an agreement registered here (POST /v1/payment-agreements) is PENDING at once (the
//     sandbox "drafts" it with Vipps); its token is its own, and the page confirms (ACTIVE) or
//     rejects (STOPPED) just the agreement;
//   - an agreement made by a createAgreement transaction is CREATED until the transaction's app
//     claim, which opens a Vipps page (provider_sessions) whose token becomes the agreement's;
//     that page confirms the agreement together with its first charge.
// Either way the confirmation URL is shown only while the agreement awaits confirmation
// (CREATED/PENDING) and its page is still open.
//
// Lock order: payment and its transactions (when a transaction is involved), then the agreement,
// then provider sessions.
import { randomBytes } from "node:crypto";
import { and, desc, eq, inArray, type SQL } from "drizzle-orm";
import { db, type Db, type Tx } from "../../../db/client";
import { paymentAgreements, providerSessions } from "../../../db/schema";
import {
  awaitsConfirmation,
  canCharge,
  canStop,
  chargeLimit,
  priceProblem,
  readPricing,
  type AgreementProvider,
  type Pricing,
} from "../../domain/agreement";
import type { AgreementStatus } from "../../domain/enums";
import { conflict, notFound, ruleBroken } from "../../domain/errors";
import { formatAmount, type Money } from "../../domain/money";
import { requireAllowedUrl } from "../../domain/redirects";
import { auditStaffAction } from "../../platform/audit.server";
import { customerNamedBy, tenantOf, type Caller, type ClientCaller } from "../../domain/caller";
import { inTransaction } from "../../platform/transaction.server";

export type AgreementRow = typeof paymentAgreements.$inferSelect;

export type AgreementView = {
  agreementId: string;
  organisationId: number;
  customerNumber: string;
  productName: string;
  status: AgreementStatus;
  /** The stored pricing model; amounts as API decimal strings. */
  pricing: Record<string, unknown>;
  provider: { type: string; phoneNumber?: string; confirmationUrl?: string };
  stoppedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

/** An agreement id as asked for: anything that cannot be one is answered like an unknown id. */
function requireAgreementId(raw: string): string {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(raw)) throw notFound("Payment agreement", JSON.stringify(raw).slice(0, 60));
  return raw;
}

function newAgreementId(): string {
  return `agr_${randomBytes(9).toString("base64url")}`;
}

function pricingRecord(pricing: Pricing): Record<string, unknown> {
  return pricing.type === "LEGACY"
    ? { type: "LEGACY", amount: formatAmount(pricing.amount), currency: pricing.currency }
    : { type: "VARIABLE", suggestedMaxAmount: formatAmount(pricing.suggestedMaxAmount), currency: pricing.currency };
}

function tenantCondition(caller: Caller): SQL | undefined {
  const organisationId = tenantOf(caller);
  return organisationId === null ? undefined : eq(paymentAgreements.organisationId, organisationId);
}

// ---------------------------------------------------------------- views

/** The views of some agreements, each with its confirmation URL where it has a live one. */
async function toViews(database: Db | Tx, rows: AgreementRow[], origin: string): Promise<AgreementView[]> {
  const tokens = rows
    .filter((r) => awaitsConfirmation(r.status) && r.confirmationToken)
    .map((r) => r.confirmationToken!);
  // A token that is a Vipps page session (createAgreement) is live only while that page is open.
  const closed = new Set<string>();
  if (tokens.length) {
    const sessions = await database
      .select({
        token: providerSessions.token,
        completedAt: providerSessions.completedAt,
        expiresAt: providerSessions.expiresAt,
      })
      .from(providerSessions)
      .where(and(inArray(providerSessions.token, tokens), eq(providerSessions.kind, "vipps")));
    const now = Date.now();
    for (const s of sessions) if (s.completedAt || s.expiresAt.getTime() <= now) closed.add(s.token);
  }
  return rows.map((row) => {
    const stored = row.provider as Record<string, unknown>;
    const provider: AgreementView["provider"] = { type: typeof stored.type === "string" ? stored.type : "VIPPS" };
    if (typeof stored.phoneNumber === "string") provider.phoneNumber = stored.phoneNumber;
    if (awaitsConfirmation(row.status) && row.confirmationToken && !closed.has(row.confirmationToken)) {
      provider.confirmationUrl = `${origin}/sandbox/vipps/${row.confirmationToken}`;
    }
    const pricing = readPricing(row.pricing);
    return {
      agreementId: row.agreementId,
      organisationId: row.organisationId,
      customerNumber: row.customerNumber,
      productName: row.productName,
      status: row.status,
      pricing: pricing ? pricingRecord(pricing) : row.pricing,
      provider,
      stoppedAt: row.stoppedAt,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  });
}

async function toView(database: Db | Tx, row: AgreementRow, origin: string): Promise<AgreementView> {
  return (await toViews(database, [row], origin))[0];
}

// ---------------------------------------------------------------- reading

export type AgreementQuery = {
  customerNumber: string;
  statuses?: readonly AgreementStatus[];
  /** Where confirmation pages are served (the public origin). */
  origin: string;
};

/** GET /v1/payment-agreements: the customer's agreements in the caller's organisation, newest first. */
export async function listAgreements(caller: Caller, query: AgreementQuery): Promise<AgreementView[]> {
  const database = db();
  const rows = await database
    .select()
    .from(paymentAgreements)
    .where(
      and(
        eq(paymentAgreements.customerNumber, query.customerNumber),
        tenantCondition(caller),
        query.statuses?.length ? inArray(paymentAgreements.status, [...query.statuses]) : undefined,
      ),
    )
    .orderBy(desc(paymentAgreements.createdAt), desc(paymentAgreements.agreementId));
  return toViews(database, rows, query.origin);
}

/**
 * GET /v1/payment-agreements/{agreementId}: one agreement the caller may see.
 * @throws not_found  the agreement is unknown, malformed or another organisation's
 */
export async function getAgreement(
  caller: Caller,
  input: { agreementId: string; origin: string },
): Promise<AgreementView> {
  const agreementId = requireAgreementId(input.agreementId);
  const [row] = await db()
    .select()
    .from(paymentAgreements)
    .where(and(eq(paymentAgreements.agreementId, agreementId), tenantCondition(caller)));
  if (!row) throw notFound("Payment agreement", agreementId);
  return toView(db(), row, input.origin);
}

// ---------------------------------------------------------------- registering

export type RegisterAgreementInput = {
  /** Where the confirmation page is served (the public origin). */
  origin: string;
  customerNumber?: string;
  productName: string;
  pricing: Pricing;
  provider: { type: AgreementProvider; phoneNumber?: string; redirectUrl?: string };
};

/**
 * POST /v1/payment-agreements: Vipps drafts the agreement and the answer carries the
 * confirmation URL to send the customer to. The sandbox's draft is our own confirmation page; a
 * real adapter would call Vipps here and keep the confirmation URL it returns.
 * @throws invalid    provider.redirectUrl is not one of the client's prefixes; a privileged client named no customer
 * @throws forbidden  a client that is not privileged names another customer than its logged-in one
 */
export async function registerAgreement(caller: ClientCaller, input: RegisterAgreementInput): Promise<AgreementView> {
  const customerNumber = customerNamedBy(caller, input.customerNumber);
  if (input.provider.redirectUrl)
    requireAllowedUrl(caller.allowedRedirectPrefixes, input.provider.redirectUrl, "provider.redirectUrl");
  return inTransaction(async (tx) => {
    const at = new Date();
    const [row] = await tx
      .insert(paymentAgreements)
      .values({
        agreementId: newAgreementId(),
        organisationId: caller.organisationId,
        clientId: caller.clientId,
        customerNumber,
        productName: input.productName,
        pricing: pricingRecord(input.pricing),
        provider: {
          type: input.provider.type,
          ...(input.provider.phoneNumber ? { phoneNumber: input.provider.phoneNumber } : {}),
          ...(input.provider.redirectUrl ? { redirectUrl: input.provider.redirectUrl } : {}),
        },
        status: "PENDING",
        confirmationToken: randomBytes(24).toString("base64url"),
        createdAt: at,
        updatedAt: at,
      })
      .returning();
    return toView(tx, row, input.origin);
  });
}

/** createAgreement on a new Vipps transaction: a CREATED agreement whose first charge is that transaction. */
export async function draftAgreementLocked(
  tx: Tx,
  input: {
    organisationId: number;
    clientId: string;
    customerNumber: string;
    productName: string;
    amount: Money;
    currency: string;
  },
): Promise<string> {
  const agreementId = newAgreementId();
  await tx.insert(paymentAgreements).values({
    agreementId,
    organisationId: input.organisationId,
    clientId: input.clientId,
    customerNumber: input.customerNumber,
    productName: input.productName,
    pricing: pricingRecord({ type: "VARIABLE", suggestedMaxAmount: input.amount, currency: input.currency }),
    provider: { type: "VIPPS" },
    status: "CREATED",
  });
  return agreementId;
}

// ---------------------------------------------------------------- stopping

/**
 * PUT …/stop: STOPPED; transactions can no longer charge it and its confirmation page no longer
 * confirms. Stopping a STOPPED agreement answers it unchanged. Staff stops are audited.
 * @throws not_found  the agreement is unknown, malformed or another organisation's
 * @throws conflict   the agreement is EXPIRED
 */
export async function stopAgreement(
  caller: Caller,
  input: { agreementId: string; origin: string },
): Promise<AgreementView> {
  const agreementId = requireAgreementId(input.agreementId);
  const { origin } = input;
  return inTransaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(paymentAgreements)
      .where(and(eq(paymentAgreements.agreementId, agreementId), tenantCondition(caller)))
      .for("update");
    if (!row) throw notFound("Payment agreement", agreementId);
    if (row.status === "STOPPED") return toView(tx, row, origin);
    if (!canStop(row.status))
      throw conflict(`Payment agreement ${agreementId} is ${row.status}; it cannot be stopped`, undefined, {
        key: "errors.agreement.cannotStop",
        values: { agreementId, status: row.status },
      });
    const at = new Date();
    const [stopped] = await tx
      .update(paymentAgreements)
      .set({ status: "STOPPED", stoppedAt: at, updatedAt: at })
      .where(eq(paymentAgreements.agreementId, agreementId))
      .returning();
    await auditStaffAction(tx, caller, {
      action: "payment_agreement.stop",
      entityType: "payment_agreement",
      entityId: agreementId,
      before: { status: row.status, customerNumber: row.customerNumber, productName: row.productName },
      after: { status: stopped.status, stoppedAt: at.toISOString() },
    });
    return toView(tx, stopped, origin);
  });
}

// ---------------------------------------------------------------- charging

/**
 * The agreement a new transaction is to charge: the payment's organisation's, ACTIVE, and the
 * payment's customer's when the payment names one; else 422 naming paymentAgreementId. Locked
 * FOR SHARE until the transaction commits, so it cannot be stopped in between.
 */
export async function usableAgreementLocked(
  tx: Tx,
  payment: { organisationId: number; customerNumber: string | null },
  agreementId: string,
): Promise<AgreementRow> {
  const field = "paymentAgreementId";
  const [agreement] = await tx
    .select()
    .from(paymentAgreements)
    .where(
      and(eq(paymentAgreements.agreementId, agreementId), eq(paymentAgreements.organisationId, payment.organisationId)),
    )
    .for("share");
  if (!agreement) throw ruleBroken(`payment agreement ${agreementId} was not found`, field);
  if (!canCharge(agreement.status))
    throw ruleBroken(`payment agreement ${agreementId} is ${agreement.status}, not ACTIVE`, field);
  if (payment.customerNumber && agreement.customerNumber !== payment.customerNumber) {
    throw ruleBroken("the payment agreement belongs to another customer than the payment", field);
  }
  return agreement;
}

/** A charge must stay within the agreement's price, in its currency (422 naming the field). */
export function requireWithinPrice(agreement: AgreementRow, amount: Money, currency: string): void {
  const pricing = readPricing(agreement.pricing);
  if (!pricing) return;
  const limit = chargeLimit(pricing);
  const problem = priceProblem(pricing, amount, currency);
  if (problem === "currency") {
    throw ruleBroken(
      `payment agreement ${agreement.agreementId} charges in ${limit.currency}, not ${currency}`,
      "currency",
    );
  }
  if (problem === "amount") {
    throw ruleBroken(
      `amount ${formatAmount(amount)} exceeds what payment agreement ${agreement.agreementId} allows per charge (${formatAmount(
        limit.max,
      )} ${limit.currency})`,
      "amount",
    );
  }
}
