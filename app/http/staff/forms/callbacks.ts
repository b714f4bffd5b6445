// The forms of the Callbacks screens (app/routes/_staff.callbacks.*): resend one, resend the
// filtered set (the filter is the page's URL; the form carries the count the preview showed),
// pause and resume a client's target. The reason is added by the staff action.
import { z } from "zod";
import { id, requiredText, says } from "../fields";

export const ResendCallbackForm = z.object({ callbackId: id(says("callbackId")) });

export const ResendFilteredForm = z.object({
  expected: z.preprocess(
    (value) => (typeof value === "string" ? value.trim() : value),
    z
      .string({ error: says("callbacksPreviewed") })
      .regex(/^[0-9]{1,6}$/, says("callbacksPreviewed"))
      .transform(Number),
  ),
});

export const CallbackTargetForm = z.object({
  clientId: requiredText(100, { missing: says("apiClientId") }),
  target: requiredText(300, { missing: says("callbackTarget") }),
});
