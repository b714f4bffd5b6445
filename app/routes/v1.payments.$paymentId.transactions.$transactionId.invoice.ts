// POST …/transactions/{transactionId}/invoice: create or replace the Collector invoice.
// PUT …/transactions/{transactionId}/invoice: change a COLLECTOR_B2B invoice before confirmation.
import { hostedPageInput, parseBody, transactionPath } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { InvoiceBody, InvoiceChangeBody, type InvoiceJson } from "../http/api/schemas-mobile";
import { changeInvoice, createInvoice } from "../services/mobile/invoices.server";

export const { loader, action } = apiRoute({
  POST: async ({ params, caller, body, url }) => {
    const created: InvoiceJson = await createInvoice(caller, hostedPageInput(InvoiceBody, { params, body, url }));
    return json(created, 201);
  },
  PUT: async ({ params, caller, body }) => {
    const changed: InvoiceJson = await changeInvoice(caller, {
      ...parseBody(InvoiceChangeBody, body),
      ...transactionPath(params),
    });
    return json(changed);
  },
});
