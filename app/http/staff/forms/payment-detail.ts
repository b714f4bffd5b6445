// The forms of the payment detail screen, one schema per intent (the reason is added by the
// staff action). Hidden fields carry the transaction; amounts are read as people type them
// (app/domain/typed-amount.ts).
import { z } from "zod";
import { amount, id, optionalAmount, optionalText, says } from "../fields";

const transactionId = id(says("transactionId"));

export const CaptureForm = z.object({ transactionId });
export const CancelForm = z.object({ transactionId });
/** No amount: the whole creditable amount. */
export const CreditForm = z.object({ transactionId, amount: optionalAmount() });
export const DeactivateForm = z.object({});
/** A provider operation still in progress on this payment. */
export const ResolveForm = z.object({ operationId: id(says("operationId")) });
export const ReactivateForm = z.object({
  totalAmount: amount(says("correctTotal")),
});

/** ISO 639-3, as the invoice API takes it. */
const languageCode = optionalText(3).pipe(
  z
    .string()
    .regex(/^[a-z]{3}$/, says("languageCode"))
    .optional(),
);

/** A blank field stays as it is. */
export const InvoiceForm = z.object({
  transactionId,
  amount: optionalAmount(),
  externalInvoiceNumber: optionalText(50),
  customerIdentificationNumber: optionalText(50),
  languageCode,
});
