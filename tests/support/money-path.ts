// For in-process use-case tests of the money path: an API client with every payment method
// (as the CLI creates one), and a payment with a captured card transaction, made through the
// use-cases themselves.
import type { ClientCaller } from "../../app/domain/caller";
import { money } from "../../app/domain/money";
import { createApiClient } from "../../app/services/admin/api-clients.server";
import { createPayment } from "../../app/services/payments/payments.server";
import { authorizeTransaction, captureTransaction } from "../../app/services/transactions/transactions.server";
import type { TestDatabase } from "./database";
import { clientCaller } from "./use-case";

let shops = 0;

/** A client of an organisation of its own, with an enabled method for every payment type. */
export async function newShop(database: TestDatabase, options: { privileged?: boolean } = {}): Promise<ClientCaller> {
  shops += 1;
  const organisationId = 9500 + shops;
  const { clientId } = await createApiClient(database.db, {
    name: `Shop ${shops}`,
    organisationId,
    channels: ["web", "app"],
    privileged: options.privileged,
  });
  return clientCaller(organisationId, { clientId, privileged: options.privileged ?? false });
}

/** A payment of `total` paid by one VISA transaction, pre-authorized and captured. */
export async function capturedCardPayment(
  caller: ClientCaller,
  total = "100.00",
): Promise<{ paymentId: number; transactionId: number }> {
  const created = await createPayment(caller, { totalAmount: money(total), transaction: { paymentType: "VISA" } });
  const ids = { paymentId: created.paymentId, transactionId: created.transactions[0].transactionId };
  await authorizeTransaction(caller, { ...ids, totalAmount: money(total) });
  await captureTransaction(caller, ids);
  return ids;
}
