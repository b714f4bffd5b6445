// Pieces of the Callbacks screens: the delivery state, an attempt's outcome, and the pause or
// resume of a client's target (an ActionModal posting pauseTarget or resumeTarget).
import { Badge, type MantineColor } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { ActionModal } from "./ActionModal";
import { StateBadge } from "./StatusBadge";
import { CALLBACK_STATES, type CallbackState } from "../domain/callback";

const COLORS: Record<CallbackState, MantineColor> = {
  PENDING: "gray",
  RETRYING: "orange",
  DELIVERED: "green",
  PAUSED: "yellow",
};

const isState = (state: string): state is CallbackState => (CALLBACK_STATES as readonly string[]).includes(state);

/** A state's label in the reader's language; a state this build does not know shows as itself. */
export function useCallbackStateLabel(): (state: string) => string {
  const { t } = useTranslation();
  return (state) => (isState(state) ? t(`callbacks.state.${state}`) : state);
}

/** A callback's delivery state (app/domain/callback.ts), one color each. */
export function CallbackStateBadge({ state }: { state: string }) {
  const label = useCallbackStateLabel();
  return (
    <StateBadge state={state} colors={COLORS} data-testid="callback-state" data-state={state}>
      {label(state)}
    </StateBadge>
  );
}

/** An attempt's outcome: the HTTP status (green when accepted) or "no answer". */
export function AttemptStatus({ statusCode, delivered }: { statusCode: number | null; delivered: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge color={delivered ? "green" : statusCode === null ? "gray" : "red"} variant="outline" size="sm" radius="sm">
      {statusCode ?? t("callbacks.noAnswer")}
    </Badge>
  );
}

/** Pause or resume delivery to a client's target, with a reason (both audited). */
export function PauseResume({
  clientId,
  target,
  paused,
  action,
}: {
  clientId: string;
  target: string;
  paused: boolean;
  action?: string;
}) {
  const { t } = useTranslation();
  return paused ? (
    <ActionModal
      label={t("callbacks.pause.resume")}
      title={t("callbacks.pause.resumeTitle", { target })}
      intent="resumeTarget"
      action={action}
      hidden={{ clientId, target }}
      buttonProps={{ size: "xs", variant: "light", "data-testid": "resume-target" }}
      description={t("callbacks.pause.resumeText", { client: clientId, target })}
    />
  ) : (
    <ActionModal
      label={t("callbacks.pause.pause")}
      title={t("callbacks.pause.pauseTitle", { target })}
      intent="pauseTarget"
      action={action}
      color="yellow"
      hidden={{ clientId, target }}
      buttonProps={{ size: "xs", variant: "light", "data-testid": "pause-target" }}
      description={t("callbacks.pause.pauseText", { client: clientId, target })}
    />
  );
}
