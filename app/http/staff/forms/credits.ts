// The forms of the credit screens: a new credit from chosen transactions, a credit's settlement
// id, and the four-eyes thresholds. One schema per intent (the reason is added by the staff action).
import { z } from "zod";
import { formatAmount, parsePositiveAmount, sum, type Money } from "../../../domain/money";
import { parseTypedPositiveAmount } from "../../../domain/typed-amount";
import { AMOUNT_PARAMS, list, optionalAmount, optionalText, says } from "../fields";

/** The new-credit form's name for a line's amount, which is also where its errors show. */
export const amountField = (transactionId: number) => `amount-${transactionId}`;

/** As many lines as a credit may have. */
export const MAX_CREDIT_LINES = 100;

const LINE = /^([1-9][0-9]{0,15}):([1-9][0-9]{0,15})$/;
const line = z
  .string({ error: says("noSuchTransaction") })
  .regex(LINE, says("noSuchTransaction"))
  .transform((value) => {
    const [, paymentId, transactionId] = LINE.exec(value)!;
    return { paymentId: Number(paymentId), transactionId: Number(transactionId) };
  })
  .refine((l) => Number.isSafeInteger(l.paymentId) && Number.isSafeInteger(l.transactionId), says("noSuchTransaction"));

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
          .min(1, says("chooseCreditLines"))
          .max(MAX_CREDIT_LINES, says("tooManyCreditLines")),
      ),
      orderId: optionalText(100),
      settlementId: optionalText(100),
    })
    .transform((form, ctx) => {
      let allRead = true;
      const creditTransactions = form.lines.map((l) => {
        const field = amountField(l.transactionId);
        const raw = form[field];
        const parsed = parseTypedPositiveAmount(typeof raw === "string" ? raw : "");
        if (!parsed.ok) {
          allRead = false;
          ctx.addIssue({ code: "custom", path: [field], message: `amount.${parsed.problem}`, params: AMOUNT_PARAMS });
        }
        return { ...l, amount: (parsed.ok ? parsed.value : 0n) as Money };
      });
      const total = sum(creditTransactions.map((l) => l.amount));
      // The total of amounts that all read (a refused one is named at its own field).
      if (creditTransactions.length && allRead && !parsePositiveAmount(formatAmount(total)).ok)
        ctx.addIssue({ code: "custom", path: ["lines"], message: says("totalTooLarge") });
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
    .pipe(z.string().regex(/^[A-Z]{3}$/, says("currency"))),
  amount: optionalAmount({ zero: true }).transform((value) => (value === undefined ? null : formatAmount(value))),
});
