// The forms of the bulk actions (docs/decisions/041): switching a payment type for many clients
// and channels (Payment methods screen) and crediting many payments (payments list). Each is
// posted twice, to preview and to confirm; the confirm also carries what the preview answered
// (the fingerprint, and the run id of a bulk credit). The reason is added by the staff action.
import { z } from "zod";
import { MAX_BULK_PAYMENTS, parsePercentage, type BulkAmountRule } from "../../../domain/bulk-credit";
import { PAYMENT_TYPES } from "../../../domain/enums";
import { checkbox, choice, id, list, optionalText, requiredText, says } from "../fields";

const fingerprint = requiredText(100, { missing: says("previewFirst") });

// ---------------------------------------------------------------- payment methods

/**
 * One payment type, clients and channels (ticked ones, or every one with `allClients` /
 * `allChannels`), and whether to enable or disable it.
 */
export const MethodSwitchPreviewForm = z
  .object({
    paymentType: choice(PAYMENT_TYPES as [string, ...string[]], says("choosePaymentType")),
    clientId: list(requiredText(100)).pipe(z.array(z.string()).max(500, says("tooManyClients"))),
    allClients: checkbox(),
    channel: list(requiredText(100)).pipe(z.array(z.string()).max(100, says("tooManyChannels"))),
    allChannels: checkbox(),
    enabled: choice(["true", "false"], says("chooseEnableDisable")).transform((value) => value === "true"),
  })
  .transform((form, ctx) => {
    if (!form.allClients && !form.clientId.length)
      ctx.addIssue({ code: "custom", path: ["clientId"], message: says("atLeastOneClient") });
    if (!form.allChannels && !form.channel.length)
      ctx.addIssue({ code: "custom", path: ["channel"], message: says("atLeastOneChannel") });
    return {
      scope: {
        paymentType: form.paymentType,
        clientIds: form.allClients ? null : [...new Set(form.clientId)],
        channels: form.allChannels ? null : [...new Set(form.channel)],
      },
      enabled: form.enabled,
    };
  });

export const MethodSwitchApplyForm = z
  .object({ fingerprint })
  .and(MethodSwitchPreviewForm)
  .transform(({ fingerprint, scope, enabled }) => ({ fingerprint, scope, enabled }));

// ---------------------------------------------------------------- credits

/** The ticked payments, full or a percentage of what is creditable. */
export const BulkCreditPreviewForm = z
  .object({
    paymentId: list(id(says("paymentId"))).pipe(
      z.array(z.number()).min(1, says("atLeastOnePayment")).max(MAX_BULK_PAYMENTS, says("tooManyPayments")),
    ),
    amount: choice(["full", "percentage"], says("chooseBulkAmount")),
    percentage: optionalText(10),
  })
  .transform((form, ctx) => {
    let rule: BulkAmountRule = { kind: "full" };
    if (form.amount === "percentage") {
      const parsed = parsePercentage(form.percentage ?? "");
      if (parsed.ok) rule = parsed.rule;
      else ctx.addIssue({ code: "custom", path: ["percentage"], message: says("percentage") });
    }
    return { paymentIds: form.paymentId, rule };
  });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const BulkCreditForm = z
  .object({
    fingerprint,
    runId: requiredText(36, { missing: says("previewCreditsFirst") }).pipe(z.string().regex(UUID, says("notABulkRun"))),
  })
  .and(BulkCreditPreviewForm);
