// The sandbox PSP: deterministic, in-process, and durable about what it did. Outcomes follow
// the documented test cards by their last 4 digits: 0002 is refused by the issuer, 9995 is a
// soft decline; everything else succeeds.
import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { sandboxOperations } from "../../db/schema";
import { toDbAmount } from "../domain/money";
import { logger } from "../platform/logger.server";
import type { PaymentProvider, RefundOutcome, RefundRequest } from "./provider";

const REFUSED_LAST4 = "0002";
const SOFT_DECLINE_LAST4 = "9995";

/**
 * Optional latency after the PSP has acted and before it answers: the window in which a crash
 * is most dangerous (money moved, we do not know yet). Tests kill the process inside it.
 */
async function latency(reference: string): Promise<void> {
  const ms = Number.parseInt(process.env.PAYDESK_SANDBOX_LATENCY_MS ?? "0", 10);
  if (ms <= 0) return;
  // The line a crash test waits for before it kills the process: the refund is done, unanswered.
  logger.info("sandbox refund done, answer delayed", { reference, latencyMs: ms });
  await new Promise((resolve) => setTimeout(resolve, ms));
}

function decideRefund(request: RefundRequest): RefundOutcome {
  if (request.cardNumber === REFUSED_LAST4) {
    return { ok: false, reason: "The issuer refused the refund", errorReason: "REFUSED_BY_ISSUER" };
  }
  if (request.cardNumber === SOFT_DECLINE_LAST4) {
    return { ok: false, reason: "The refund was declined; try again later", errorReason: "SOFT_DECLINE" };
  }
  return { ok: true, rrn: sandboxRrn() };
}

export function sandboxRrn(): string {
  let digits = "";
  for (let i = 0; i < 12; i++) digits += Math.floor(Math.random() * 10);
  return digits;
}

export const sandboxProvider: PaymentProvider = {
  async refund(request) {
    const decided = decideRefund(request);
    const [stored] = await db()
      .insert(sandboxOperations)
      .values({ reference: request.reference, kind: "REFUND", amount: toDbAmount(request.amount), outcome: decided })
      .onConflictDoNothing()
      .returning();
    await latency(request.reference);
    if (stored) return decided;
    const [first] = await db()
      .select()
      .from(sandboxOperations)
      .where(eq(sandboxOperations.reference, request.reference));
    return first.outcome as RefundOutcome;
  },
};
