// Finishing provider operations whose outcome is unknown (docs/decisions/019-claim-ask-settle.md):
// the recovery job, which every instance runs, and a staff user's "resolve now". Both ask the PSP
// by reference and settle with the handler of the operation's kind; this table is the one place
// that knows every kind.
import { and, eq } from "drizzle-orm";
import { providerOperations } from "../../../db/schema";
import type { StaffCaller } from "../../domain/caller";
import type { ProviderOperationKind } from "../../domain/enums";
import { notFound } from "../../domain/errors";
import { db } from "../../platform/db.server";
import { logger } from "../../platform/logger.server";
import { repeatEvery } from "../../platform/repeating-job.server";
import {
  recoverDueOperations,
  type OperationHandler,
  type OperationRow,
  type RecoveryReport,
} from "../../platform/provider-operations.server";
import { refundOperation } from "../credits/credits.server";
import { vippsCharge, vippsClaim } from "../mobile/app-claims.server";
import { invoiceAuthorization } from "../mobile/invoices.server";
import { walletAuthorization } from "../mobile/wallets.server";
import { invoicePayment, methodRegistration } from "../self-service/pages.server";
import { storedCardCharge, typedCardAuthorization } from "../terminals/card-page.server";
import { authorizeOperation, cancelOperation, captureOperation } from "../transactions/transactions.server";

/** Every kind's handler (a Record, so a new kind without one does not compile). */
const HANDLERS: Record<ProviderOperationKind, OperationHandler> = {
  CAPTURE: captureOperation,
  CANCEL: cancelOperation,
  AUTHORIZE: authorizeOperation,
  REFUND: refundOperation,
  CARD_AUTHORIZE: typedCardAuthorization,
  STORED_CARD_CHARGE: storedCardCharge,
  VIPPS_CLAIM: vippsClaim,
  VIPPS_CHARGE: vippsCharge,
  WALLET_AUTHORIZE: walletAuthorization,
  INVOICE_AUTHORIZE: invoiceAuthorization,
  INVOICE_PAY: invoicePayment,
  METHOD_REGISTRATION: methodRegistration,
};

/** The handler of an operation kind. */
export function operationHandler(kind: ProviderOperationKind): OperationHandler {
  return HANDLERS[kind];
}

/**
 * One pass of the recovery job: every due PENDING operation is asked about and settled where the
 * PSP answers. Safe on several instances at once (SKIP LOCKED and a lease per operation).
 */
export async function recoverProviderOperations(options: { limit?: number } = {}): Promise<RecoveryReport> {
  return recoverDueOperations(operationHandler, options);
}

/**
 * "Resolve now" on the payment detail screen: asks the PSP about one pending operation of the
 * payment at once and settles it if the PSP answers. Answers the operation as it stands after.
 * @throws not_found  the payment has no such operation
 */
export async function resolveProviderOperation(
  caller: StaffCaller,
  input: { paymentId: number; operationId: number },
): Promise<OperationRow> {
  const where = and(eq(providerOperations.id, input.operationId), eq(providerOperations.paymentId, input.paymentId));
  const [op] = await db().select().from(providerOperations).where(where);
  if (!op) throw notFound("Provider operation", input.operationId);
  if (op.status === "PENDING") {
    logger.info("staff resolves a provider operation now", {
      correlationId: caller.correlationId,
      operationId: op.id,
      staff: caller.email,
    });
    await recoverDueOperations(operationHandler, { operationIds: [op.id] });
  }
  const [after] = await db().select().from(providerOperations).where(where);
  return after;
}

/** Runs the recovery job every `intervalMs` (PAYDESK_RECOVERY_INTERVAL_MS, default 2 s) until stopped. */
export function startRecoveryJob(
  intervalMs = Number.parseInt(process.env.PAYDESK_RECOVERY_INTERVAL_MS ?? "2000", 10) || 2000,
): () => void {
  return repeatEvery(intervalMs, "provider operation recovery failed", async () => {
    // Keep going while a full batch came back: a backlog after an outage.
    while ((await recoverProviderOperations()).looked >= 50) {
      // next batch
    }
  });
}
