// POST /v1/api/payment/invoice, for a logged-in customer (Entur-Customer-Token): a new
// attempt to pay one of their open invoices. Answers {success, transactionId}; the customer then
// pays through /payment/invoice/pay?…&transactionId=…. 404 another customer's invoice, 409 paid.
import { requireCustomer } from "../http/api/customer.server";
import { parseBody } from "../http/api/parse.server";
import { apiRoute, json } from "../http/api/route.server";
import { PayInvoiceBody } from "../http/api/schemas-self-service";
import { startInvoicePayment } from "../services/self-service/self-service.server";

export const { loader, action } = apiRoute({
  POST: async (args) => {
    // Validated first: a malformed request is a 400 naming the field, with or without a customer.
    const input = parseBody(PayInvoiceBody, args.body);
    const customer = await requireCustomer(args);
    const { transactionId } = await startInvoicePayment(args.caller, {
      ...input,
      customerNumber: customer.customerNumber,
    });
    return json({ success: true, transactionId });
  },
});
