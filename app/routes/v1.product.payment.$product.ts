// Product self-service, for a logged-in customer (Entur-Customer-Token):
//   GET  /v1/product/payment/{product}: the product's current and possible payment methods;
//   POST /v1/product/payment/{productCode}: ask to change it ({paymentChangeId}); the customer
//        then confirms with the provider through /paymentChange.
// Another customer's (or organisation's) product answers 404. The request is validated before
// the customer is looked for: a malformed one is a 400 naming the field with or without a token.
import { requireCustomer } from "../http/api/customer.server";
import { parseBody } from "../http/api/parse.server";
import { apiRoute, invalidInput, json } from "../http/api/route.server";
import { ChangePaymentMethodBody, ProductCodeParam } from "../http/api/schemas-self-service";
import { productPaymentMethods, requestPaymentChange } from "../services/self-service/self-service.server";

function productCode(value: string | undefined, field: string): string {
  const parsed = ProductCodeParam.safeParse(value ?? "");
  if (!parsed.success) throw invalidInput(parsed.error.issues.map((issue) => ({ field, message: issue.message })));
  return parsed.data;
}

export const { loader, action } = apiRoute({
  GET: async (args) => {
    const code = productCode(args.params.product, "product");
    const customer = await requireCustomer(args);
    return json({
      paymentMethodResponseItems: await productPaymentMethods(args.caller, {
        customerNumber: customer.customerNumber,
        productCode: code,
      }),
    });
  },
  POST: async (args) => {
    const code = productCode(args.params.product, "productCode");
    const { paymentMethod } = parseBody(ChangePaymentMethodBody, args.body);
    const customer = await requireCustomer(args);
    return json(
      await requestPaymentChange(args.caller, {
        customerNumber: customer.customerNumber,
        productCode: code,
        paymentMethod,
      }),
    );
  },
});
