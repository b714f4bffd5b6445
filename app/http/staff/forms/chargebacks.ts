// The forms of chargebacks (docs/decisions/040): open one on a captured transaction (the payment
// detail screen), record its evidence, decide it. One schema per intent (the reason is added by
// the staff action: required to open and to decide, where money moves).
import { z } from "zod";
import { EVIDENCE_MAX_LENGTH, NOTES_MAX_LENGTH } from "../../../domain/chargeback";
import { CHARGEBACK_OUTCOMES } from "../../../domain/enums";
import { amount, choice, id, optionalText, requiredText, says } from "../fields";

/** A calendar day as a date input posts it; blank is none. */
const dueDate = optionalText(10).pipe(
  z
    .string()
    .regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, says("day"))
    .optional(),
);

const nullable = <T>(value: T | undefined) => value ?? null;

export const OpenChargebackForm = z.object({
  transactionId: id(says("transactionId")),
  amount: amount(says("chargebackAmount")),
  reasonCode: requiredText(20),
  dueDate: dueDate.transform(nullable),
  notes: optionalText(NOTES_MAX_LENGTH).transform(nullable),
  evidence: optionalText(EVIDENCE_MAX_LENGTH).transform(nullable),
});

/** Blank clears a field. */
export const ChargebackEvidenceForm = z.object({
  notes: optionalText(NOTES_MAX_LENGTH).transform(nullable),
  evidence: optionalText(EVIDENCE_MAX_LENGTH).transform(nullable),
  dueDate: dueDate.transform(nullable),
});

export const DecideChargebackForm = z.object({
  outcome: choice(CHARGEBACK_OUTCOMES, says("wonOrLost")),
});
