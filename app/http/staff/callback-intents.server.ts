// The staff intents both Callbacks screens offer: pause and resume delivery to a client's target,
// each admin-only (callback:manage) with a reason (audited by the use-case).
import type { z } from "zod";
import type { StaffCaller } from "../../domain/caller";
import { pauseCallbackTarget, resumeCallbackTarget } from "../../services/callbacks/callbacks.server";
import { intent } from "./action.server";
import { CallbackTargetForm } from "./forms/callbacks";

/**
 * A change to a client's callback target: admin-only, with a reason. `change` answers how many
 * callbacks it concerned, which the toast counts.
 */
function targetIntent(
  change: (caller: StaffCaller, input: z.output<typeof CallbackTargetForm>) => Promise<number>,
  toast: "toasts.callbacks.paused" | "toasts.callbacks.resumed",
) {
  return intent({
    permission: "callback:manage",
    reason: "required",
    schema: CallbackTargetForm,
    run: async ({ input, caller, t }) => {
      const count = await change(caller, input);
      return { message: t(toast, { target: input.target, clientId: input.clientId, count }) };
    },
  });
}

export const TARGET_INTENTS = {
  pauseTarget: targetIntent(
    async (caller, input) => (await pauseCallbackTarget(caller, input)).waiting,
    "toasts.callbacks.paused",
  ),
  resumeTarget: targetIntent(
    async (caller, input) => (await resumeCallbackTarget(caller, input)).queued,
    "toasts.callbacks.resumed",
  ),
};
