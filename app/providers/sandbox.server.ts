// The sandbox PSP: deterministic, in-process, and durable about what it did: every operation is
// kept by its reference in sandbox_operations (the first outcome wins; asking again with the same
// reference answers it without a second effect), and `lookup` reads it back.
// Refunds follow the documented test cards by their last 4 digits: 0002 is refused by the issuer,
// 9995 is a soft decline. Capture, cancel and authorization follow the amount like the mobile
// sandbox: an amount ending in .02 is refused, one ending in .05 a soft decline.
// Tests can make it fail like a real PSP (sandbox-faults.server.ts).
import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { sandboxOperations } from "../../db/schema";
import { money, toDbAmount, type Money } from "../domain/money";
import { logger } from "../platform/logger.server";
import { throughFaults } from "./sandbox-faults.server";
import type { PaymentProvider, ProviderAnswer, RefundOutcome, RefundRequest } from "./provider";

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

const UNIT = 100_000n; // Money is scaled by 10^5

/** The rule by amount: .02 refused, .05 soft decline (as sandbox-mobile's byAmount). */
function decideByAmount(amount: Money, what: string): ProviderAnswer {
  const fraction = amount % UNIT;
  if (fraction === 2_000n)
    return { ok: false, reason: `${what} was refused by the issuer`, errorReason: "REFUSED_BY_ISSUER" };
  if (fraction === 5_000n)
    return { ok: false, reason: `${what} was declined; try again later`, errorReason: "SOFT_DECLINE" };
  return { ok: true, rrn: sandboxRrn() };
}

export function sandboxRrn(): string {
  let digits = "";
  for (let i = 0; i < 12; i++) digits += Math.floor(Math.random() * 10);
  return digits;
}

/**
 * Acts once per reference: the first call stores `decided` (JSON) and answers it; a later call
 * with the same reference answers what was stored first, and nothing happens a second time.
 */
export async function sandboxOnce<T>(reference: string, kind: string, amount: Money | null, decided: T): Promise<T> {
  const [stored] = await db()
    .insert(sandboxOperations)
    .values({
      reference,
      kind,
      amount: amount === null ? null : toDbAmount(amount),
      outcome: decided as Record<string, unknown>,
    })
    .onConflictDoNothing()
    .returning();
  if (stored) return decided;
  const [first] = await db().select().from(sandboxOperations).where(eq(sandboxOperations.reference, reference));
  return first.outcome as T;
}

export const sandboxProvider: PaymentProvider = {
  async refund(request) {
    return throughFaults("REFUND", async () => {
      const outcome = await sandboxOnce(request.reference, "REFUND", request.amount, decideRefund(request));
      await latency(request.reference);
      return outcome;
    });
  },
  async capture(request) {
    return throughFaults("CAPTURE", () =>
      sandboxOnce(request.reference, "CAPTURE", request.amount, decideByAmount(request.amount, "The capture")),
    );
  },
  async cancel(request) {
    return throughFaults("CANCEL", () =>
      sandboxOnce(request.reference, "CANCEL", request.amount, decideByAmount(request.amount, "The cancellation")),
    );
  },
  async authorize(request) {
    return throughFaults("AUTHORIZE", () =>
      sandboxOnce(request.reference, "AUTHORIZE", request.amount, decideByAmount(request.amount, "The authorization")),
    );
  },
  async lookup(reference) {
    return throughFaults("LOOKUP", async () => {
      const [row] = await db().select().from(sandboxOperations).where(eq(sandboxOperations.reference, reference));
      if (!row) return { found: false as const };
      return {
        found: true as const,
        operation: row.kind,
        amount: row.amount === null ? null : money(row.amount),
        answer: row.outcome as ProviderAnswer,
      };
    });
  },
};
