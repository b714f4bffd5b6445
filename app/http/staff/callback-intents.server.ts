// The staff intents both Callbacks screens offer: pause and resume delivery to a client's target,
// each admin-only (callback:manage) with a reason (audited by the use-case).
import { pauseCallbackTarget, resumeCallbackTarget } from "../../services/callbacks/callbacks.server";
import { intent } from "./action.server";
import { CallbackTargetForm } from "./forms/callbacks";

export const TARGET_INTENTS = {
  pauseTarget: intent({
    permission: "callback:manage",
    reason: "required",
    schema: CallbackTargetForm,
    run: async ({ input, caller, t }) => {
      const { waiting } = await pauseCallbackTarget(caller, input);
      return {
        message: t("toasts.callbacks.paused", { target: input.target, clientId: input.clientId, count: waiting }),
      };
    },
  }),
  resumeTarget: intent({
    permission: "callback:manage",
    reason: "required",
    schema: CallbackTargetForm,
    run: async ({ input, caller, t }) => {
      const { queued } = await resumeCallbackTarget(caller, input);
      return {
        message: t("toasts.callbacks.resumed", { target: input.target, clientId: input.clientId, count: queued }),
      };
    },
  }),
};
