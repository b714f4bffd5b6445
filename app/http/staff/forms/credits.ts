// The forms of the credit screens: a new credit from chosen transactions, a credit's settlement
// id, and the four-eyes thresholds. One schema per intent (the reason is added by the staff action).
import { z } from "zod";
import { formatAmount, parsePositiveAmount, sum, type Money } from "../../../domain/money";
import { parseTypedPositiveAmount } from "../../../domain/typed-amount";
import { list, optionalAmount, optionalText } from "../fields";

/** The new-credit form's name for a line's amount, which is also where its errors show. */
export const amountField = (transactionId: number) => `amount-${transactionId}`;

/** As many lines as a credit may have. */
export const MAX_CREDIT_LINES = 100;

const LINE = /^([1-9][0-9]{0,15}):([1-9][0-9]{0,15})$/;
const line = z
  .string({ error: "names a transaction that does not exist" })
  .regex(LINE, "names a transaction that does not exist")
  .transform((value) => {
    const [, paymentId, transactionId] = LINE.exec(value)!;
    return { paymentId: Number(paymentId), transactionId: Number(transactionId) };
  })
  .refine(
    (l) => Number.isSafeInteger(l.paymentId) && Number.isSafeInteger(l.transactionId),
    "names a transaction that does not exist",
  );

/**
 * A new credit: the ticked transactions (`line` = "paymentId:transactionId"), each with the
 * amount typed next to it (`amount-<transactionId>`), and optional order and settlement ids.
 * The total is the lines' sum. Errors about the ticked lines show under `lines`.
 */
export const NewCreditForm = z.preprocess(
  (form) => (form && typeof form === "object" ? { ...form, lines: (form as Record<string, unknown>).line } : form),
  z
    .looseObject({
      lines: list(line).pipe(
        z
          .array(z.object({ paymentId: z.number(), transactionId: z.number() }))
          .min(1, "choose at least one captured transaction and the amount to credit")
          .max(MAX_CREDIT_LINES, `may contain at most ${MAX_CREDIT_LINES} credit transactions`),
      ),
      orderId: optionalText(100),
      settlementId: optionalText(100),
    })
    .transform((form, ctx) => {
      const creditTransactions = form.lines.map((l) => {
        const field = amountField(l.transactionId);
        const raw = form[field];
        const parsed = parseTypedPositiveAmount(typeof raw === "string" ? raw : "");
        if (!parsed.ok) ctx.addIssue({ code: "custom", path: [field], message: parsed.message });
        return { ...l, amount: (parsed.ok ? parsed.value : 0n) as Money };
      });
      const total = sum(creditTransactions.map((l) => l.amount));
      if (creditTransactions.length && !parsePositiveAmount(formatAmount(total)).ok)
        ctx.addIssue({ code: "custom", path: ["lines"], message: "the total credit amount is too large" });
      return {
        orderId: form.orderId,
        settlementId: form.settlementId,
        totalCreditAmount: total,
        creditTransactions,
      };
    }),
);

/** Blank removes the settlement id. */
export const SettlementIdForm = z.object({
  settlementId: optionalText(100).transform((value) => value ?? null),
});

export const ExecuteCreditForm = z.object({});
export const DeactivateCreditForm = z.object({});

/** A currency's threshold; a blank amount removes it (every credit in it then needs four eyes). */
export const FourEyesThresholdForm = z.object({
  currency: optionalText(3)
    .transform((value) => (value ?? "").toUpperCase())
    .pipe(z.string().regex(/^[A-Z]{3}$/, "must be a 3-letter ISO 4217 code such as NOK")),
  amount: optionalAmount({ zero: true }).transform((value) => (value === undefined ? null : formatAmount(value))),
});
