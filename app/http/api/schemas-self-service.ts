// Request and response schemas of product self-service. They validate requests and
// describe the routes in GET /v1/openapi.json (openapi-self-service.ts), so the two cannot drift.
import { z } from "zod";
import { INVOICE_PAYMENT_METHODS, PRODUCT_PAYMENT_METHODS } from "../../domain/enums";
import { resourceId, text } from "./schemas";

/** The length limits of product self-service: invoiceNumber ≤ 10, productCode and companyCode ≤ 12. */
export const INVOICE_NUMBER_MAX = 10;
export const PRODUCT_CODE_MAX = 12;
export const COMPANY_CODE_MAX = 12;

export const PayInvoiceBody = z.object({
  invoiceNumber: text(INVOICE_NUMBER_MAX).meta({ description: "Specific invoice for payment", example: "7435367" }),
  productCode: text(PRODUCT_CODE_MAX).meta({ description: "Specific product for payment", example: "CO27409" }),
  companyCode: text(COMPANY_CODE_MAX).meta({ description: "Specific company for payment", example: "68979834" }),
  paymentMethod: z
    .enum(INVOICE_PAYMENT_METHODS, { error: `must be one of ${INVOICE_PAYMENT_METHODS.join(", ")}` })
    .meta({
      description:
        "creditcardPayex: payment card; swishPayex: Swish payex payment; vippsEcommerce: Vipps eCommerce payment; nexi: Nexi payment",
    }),
});
export type PayInvoiceInput = z.output<typeof PayInvoiceBody>;

export const ChangePaymentMethodBody = z.object({
  paymentMethod: z
    .enum(PRODUCT_PAYMENT_METHODS, { error: `must be one of ${PRODUCT_PAYMENT_METHODS.join(", ")}` })
    .meta({
      description:
        'invoice: common invoice; autoGiro: automatic withdraw ("Avtalegiro"); recurringVippsPayment, recurringPayExCardPayment, ' +
        "recurringKlarnaPayment, recurringNexiPayment: recurring payment with that provider",
    }),
});

export const CustomerTokenBody = z.object({
  code: text(200).meta({ description: "The one-time code /account/authorize sent to the client's redirectUri" }),
});

// ---------------------------------------------------------------- responses

export const PaymentMethodItem = z
  .object({
    paymentMethod: z.enum(PRODUCT_PAYMENT_METHODS),
    description: z.string(),
    current: z.boolean().meta({ description: "true for the product's current payment method (listed first)" }),
  })
  .strict();

export const ProductPaymentMethodsResponse = z
  .object({
    paymentMethodResponseItems: z
      .array(PaymentMethodItem)
      .meta({ description: "The current payment method, then every other possible one" }),
  })
  .strict();

export const PayInvoiceResponse = z
  .object({
    success: z.boolean().meta({ description: "true: the payment was added (a refusal is a problem response instead)" }),
    transactionId: resourceId.meta({
      description: "For /payment/invoice/pay?clientId=…&returnUrl=…&errorUrl=…&transactionId=…",
    }),
  })
  .strict();

export const PaymentChangeResponse = z
  .object({
    paymentChangeId: resourceId.meta({
      description: "For /paymentChange?clientId=…&returnUrl=…&errorUrl=…&paymentChangeId=…",
    }),
  })
  .strict();

export const CustomerTokenResponse = z
  .object({
    customerToken: z.string().meta({ description: "Send as Entur-Customer-Token on the self-service routes" }),
    customerNumber: z.string(),
    expiresAt: z.iso
      .datetime()
      .meta({ description: "At the latest; logout or the customer session's timeouts end it sooner" }),
  })
  .strict();

/** The product code in the path ({product} on GET, {productCode} on POST in product self-service): 1 to 12 characters. */
export const ProductCodeParam = text(PRODUCT_CODE_MAX);
