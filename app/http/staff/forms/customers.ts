// The forms of the customer screen: each action names what it acts on (a recurring payment or a
// payment agreement of this customer) in `target`; the reason is added by the staff action.
import { z } from "zod";
import { says } from "../fields";

export const CustomerActionForm = z.object({
  target: z.preprocess(
    (value) => (typeof value === "string" ? value.trim() : value),
    z.string({ error: says("notOnScreen") }).regex(/^[A-Za-z0-9_-]{1,100}$/, says("notOnScreen")),
  ),
});
