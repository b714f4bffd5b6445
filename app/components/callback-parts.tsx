// Pieces of the Callbacks screens: the delivery state, an attempt's outcome, and the pause or
// resume of a client's target (an ActionModal posting pauseTarget or resumeTarget).
import { Badge, type MantineColor } from "@mantine/core";
import { ActionModal } from "./ActionModal";
import type { CallbackState } from "../domain/callback";

const COLORS: Record<CallbackState, MantineColor> = {
  PENDING: "gray",
  RETRYING: "orange",
  DELIVERED: "green",
  PAUSED: "yellow",
};

/** A callback's delivery state (app/domain/callback.ts), one color each. */
export function CallbackStateBadge({ state }: { state: string }) {
  return (
    <Badge
      color={COLORS[state as CallbackState] ?? "gray"}
      variant="light"
      size="sm"
      radius="sm"
      style={{ flexShrink: 0 }}
      data-testid="callback-state"
    >
      {state}
    </Badge>
  );
}

/** An attempt's outcome: the HTTP status (green when accepted) or "no answer". */
export function AttemptStatus({ statusCode, delivered }: { statusCode: number | null; delivered: boolean }) {
  return (
    <Badge color={delivered ? "green" : statusCode === null ? "gray" : "red"} variant="outline" size="sm" radius="sm">
      {statusCode ?? "no answer"}
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
  return paused ? (
    <ActionModal
      label="Resume delivery"
      title={`Resume delivery to ${target}`}
      intent="resumeTarget"
      action={action}
      hidden={{ clientId, target }}
      buttonProps={{ size: "xs", variant: "light", "data-testid": "resume-target" }}
      description={`Callbacks of ${clientId} to ${target} are posted again; those waiting go out at once.`}
    />
  ) : (
    <ActionModal
      label="Pause delivery"
      title={`Pause delivery to ${target}`}
      intent="pauseTarget"
      action={action}
      color="yellow"
      hidden={{ clientId, target }}
      buttonProps={{ size: "xs", variant: "light", "data-testid": "pause-target" }}
      description={`No callback of ${clientId} is posted to ${target} until delivery is resumed. They are kept, and new ones are queued behind them.`}
    />
  );
}
