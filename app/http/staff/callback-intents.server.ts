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
    run: async ({ input, caller }) => {
      const { waiting } = await pauseCallbackTarget(caller, input);
      return {
        message: `Delivery to ${input.target} for ${input.clientId} is paused; ${waiting} ${waiting === 1 ? "callback waits" : "callbacks wait"}`,
      };
    },
  }),
  resumeTarget: intent({
    permission: "callback:manage",
    reason: "required",
    schema: CallbackTargetForm,
    run: async ({ input, caller }) => {
      const { queued } = await resumeCallbackTarget(caller, input);
      return {
        message: `Delivery to ${input.target} for ${input.clientId} is resumed; ${queued} ${queued === 1 ? "callback goes" : "callbacks go"} out now`,
      };
    },
  }),
};
