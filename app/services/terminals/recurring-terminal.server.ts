// The recurring terminal (POST …/recurring-terminal): the card page on which the customer
// confirms a charge of one of their stored cards (by panHash, or the transaction's
// recurringPaymentId). Confirming is card-page.server.ts (confirmStoredCard).
import type { ClientCaller } from "../../domain/caller";
import { invalid } from "../../domain/errors";
import { openFixedPage, usableStoredCardLocked, type TerminalTarget } from "./terminal-sessions.server";

export type RecurringTerminalInput = TerminalTarget & {
  /** The stored card's panHash; may be left out when the transaction has a recurringPaymentId. */
  panHash?: string;
  redirectUrl: string;
  recurringType: "R" | "S";
};

/**
 * POST …/recurring-terminal: the customer confirms a charge of a stored card on the page.
 * @throws invalid    redirectUrl is not one of the client's prefixes; no panHash and no
 *                    recurringPaymentId on the transaction
 * @throws not_found  the payment or transaction is unknown or another organisation's
 * @throws conflict   the payment is deactivated; the transaction is not CREATED/INITIATED, or an import
 * @throws rule       not a PAYMENTCARD transaction; no ACTIVE, unexpired stored card of the customer matches
 */
export async function createRecurringTerminal(
  caller: ClientCaller,
  input: RecurringTerminalInput,
): Promise<{ terminalUri: string; paymentId: number; transactionId: number }> {
  const terminalUri = await openFixedPage(caller, input, "RECURRING_TERMINAL", async (tx, { payment, transaction }) => {
    if (input.panHash === undefined && transaction.recurringPaymentId === null) {
      throw invalid("panHash", "is required unless the transaction was created with a recurringPaymentId");
    }
    const stored = await usableStoredCardLocked(tx, payment, {
      panHash: input.panHash,
      recurringPaymentId: input.panHash === undefined ? transaction.recurringPaymentId! : undefined,
    });
    return { recurringPaymentId: stored.recurringPaymentId, recurringType: input.recurringType };
  });
  return { terminalUri, paymentId: input.paymentId, transactionId: input.transactionId };
}
