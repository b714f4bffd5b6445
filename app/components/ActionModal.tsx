// A staff action behind a button: the button opens a modal with the action's own fields and a
// reason, posts it with a fetcher (the page does not navigate), shows the server's field errors
// next to their fields, and a notification with the result. The server (app/http/staff/action.server.ts)
// decides; this only asks.
import { Alert, Button, Group, Modal, Stack, Text, Textarea, type ButtonProps } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { REASON_MAX_LENGTH, type ActionResult } from "../domain/action-result";

export type ActionModalProps = {
  /** The button that opens the modal. */
  label: string;
  /** The modal's title; the button's label when absent. */
  title?: string;
  intent: string;
  /** Where to post; the current route's action when absent. */
  action?: string;
  /** Hidden fields (ids and the like). */
  hidden?: Record<string, string | number>;
  /** Ask for a reason: required where money moves. */
  reason?: "required" | "optional" | "none";
  /** What will happen, in a sentence or two. */
  description?: ReactNode;
  /** The action's own fields; receives the server's errors by field name. */
  fields?: (errors: Record<string, string>) => ReactNode;
  confirmLabel?: string;
  /** The button that closes the modal without doing anything ("Cancel" unless that is confusing). */
  dismissLabel?: string;
  color?: string;
  buttonProps?: ButtonProps & { "data-testid"?: string };
  disabled?: boolean;
  /** Called after a successful answer (e.g. to show a one-time token). */
  onSuccess?: (result: Extract<ActionResult, { ok: true }>) => void;
};

export function ActionModal({
  label,
  title = label,
  intent,
  action,
  hidden = {},
  reason = "required",
  description,
  fields,
  confirmLabel,
  dismissLabel,
  color,
  buttonProps,
  disabled,
  onSuccess,
}: ActionModalProps) {
  const [opened, setOpened] = useState(false);
  const { t } = useTranslation();
  const fetcher = useFetcher<ActionResult>();
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = result && !result.ok ? result.fieldErrors : {};
  useActionNotification(fetcher.state, fetcher.data, title, (ok) => {
    if (ok.ok) {
      setOpened(false);
      onSuccess?.(ok);
    }
  });
  return (
    <>
      <Button color={color} disabled={disabled} onClick={() => setOpened(true)} {...buttonProps}>
        {label}
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={title} centered>
        <fetcher.Form method="post" action={action}>
          <input type="hidden" name="intent" value={intent} />
          {Object.entries(hidden).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={String(value)} />
          ))}
          <Stack gap="sm">
            {description ? <Text size="sm">{description}</Text> : null}
            {result && !result.ok ? (
              <Alert color="red" title={t("actions.notDone")} role="alert">
                {result.message}
              </Alert>
            ) : null}
            {fields?.(errors)}
            {reason !== "none" ? (
              <Textarea
                name="reason"
                label={t("common.reason")}
                description={t("actions.reasonNote")}
                required={reason === "required"}
                autosize
                minRows={2}
                maxLength={REASON_MAX_LENGTH}
                error={errors.reason}
              />
            ) : null}
            <DialogButtons onDismiss={() => setOpened(false)} dismissLabel={dismissLabel}>
              <Button type="submit" color={color} loading={fetcher.state !== "idle"}>
                {confirmLabel ?? label}
              </Button>
            </DialogButtons>
          </Stack>
        </fetcher.Form>
      </Modal>
    </>
  );
}

/** A dialog's buttons, right-aligned: the way out ("Cancel" unless told otherwise) first, then its own. */
export function DialogButtons({
  onDismiss,
  dismissLabel,
  disabled,
  children,
}: {
  onDismiss: () => void;
  dismissLabel?: string;
  /** Whether the way out is disabled (while the dialog's answer is awaited). */
  disabled?: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end" gap="sm">
      <Button variant="default" onClick={onDismiss} disabled={disabled}>
        {dismissLabel ?? t("common.cancel")}
      </Button>
      {children}
    </Group>
  );
}

/** One side of an EnableDisableAction: the modal's title and words, and the button's test id. */
type SwitchSide = { title: string; description: ReactNode; confirmLabel?: string; testId: string };

/**
 * The Enable or the Disable button (whichever applies) of something an admin switches off and on
 * again; it posts the `enable` or `disable` intent of switchIntents (app/http/staff/action.server.ts).
 * Disabling asks why and is red; enabling may be told why.
 */
export function EnableDisableAction({
  enabled,
  hidden,
  enable,
  disable,
}: {
  /** Whether it is enabled now (the button then disables it). */
  enabled: boolean;
  hidden: Record<string, string | number>;
  enable: SwitchSide;
  disable: SwitchSide;
}) {
  const side = enabled ? disable : enable;
  const { t } = useTranslation();
  return (
    <ActionModal
      label={enabled ? t("actions.disable") : t("actions.enable")}
      title={side.title}
      intent={enabled ? "disable" : "enable"}
      hidden={hidden}
      reason={enabled ? "required" : "optional"}
      color={enabled ? "red" : undefined}
      description={side.description}
      confirmLabel={side.confirmLabel}
      buttonProps={{ size: "xs", variant: "light", "data-testid": side.testId }}
    />
  );
}

/**
 * Shows a notification once per answer of a fetcher or form: green with the message on success,
 * red on failure. `onSettled` runs once per answer too. It fires as soon as the answer is there
 * (state "loading" while the page's loaders revalidate), not only at "idle": a button whose action
 * succeeded often disappears with the revalidated data (a captured transaction has no Capture
 * button), and with it this hook, in the very render where the state turns idle.
 */
export function useActionNotification(
  state: "idle" | "loading" | "submitting",
  data: ActionResult | undefined,
  title: string,
  onSettled?: (result: ActionResult) => void,
) {
  const seen = useRef<ActionResult | undefined>(undefined);
  const { t } = useTranslation();
  useEffect(() => {
    if (state === "submitting" || !data || seen.current === data) return;
    seen.current = data;
    notifications.show({
      color: data.ok ? "green" : "red",
      title: data.ok ? title : t("actions.titleNotDone", { title }),
      message: data.message,
    });
    onSettled?.(data);
  }, [state, data, title, onSettled, t]);
}
