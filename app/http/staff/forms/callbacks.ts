// The forms of the Callbacks screens (app/routes/_staff.callbacks.*): resend one, resend the
// filtered set (the filter is the page's URL; the form carries the count the preview showed),
// pause and resume a client's target. The reason is added by the staff action.
import { z } from "zod";
import { id, requiredText } from "../fields";

export const ResendCallbackForm = z.object({ callbackId: id("must be a callback id") });

export const ResendFilteredForm = z.object({
  expected: z.preprocess(
    (value) => (typeof value === "string" ? value.trim() : value),
    z
      .string({ error: "must be the number of callbacks previewed" })
      .regex(/^[0-9]{1,6}$/, "must be the number of callbacks previewed")
      .transform(Number),
  ),
});

export const CallbackTargetForm = z.object({
  clientId: requiredText(100, { missing: "must be an API client id" }),
  target: requiredText(300, { missing: "must be a callback target (scheme, host and port)" }),
});
