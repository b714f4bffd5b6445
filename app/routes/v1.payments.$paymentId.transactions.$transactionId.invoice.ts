// POST …/transactions/{transactionId}/invoice: create or replace the Collector invoice.
// PUT …/transactions/{transactionId}/invoice: change a COLLECTOR_B2B invoice before confirmation.
import { parseBody, pathId } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { InvoiceBody, InvoiceChangeBody, type InvoiceJson } from "../http/api/schemas-mobile";
import { changeInvoice, createInvoice } from "../services/mobile/invoices.server";
import { publicOrigin } from "../services/mobile/app-claims.server";

export const { loader, action } = apiRoute({
  POST: async ({ params, caller, body, url }) => {
    const input = parseBody(InvoiceBody, body);
    const created: InvoiceJson = await createInvoice(
      caller,
      pathId(params, "paymentId"),
      pathId(params, "transactionId"),
      input,
      publicOrigin(url),
    );
    return json(created, 201);
  },
  PUT: async ({ params, caller, body }) => {
    const change = parseBody(InvoiceChangeBody, body);
    const changed: InvoiceJson = await changeInvoice(
      caller,
      pathId(params, "paymentId"),
      pathId(params, "transactionId"),
      change,
    );
    return json(changed);
  },
});
