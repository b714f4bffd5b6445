// The pieces both bulk actions share (docs/decisions/041): two fetchers, one that previews and
// one that confirms the preview, their errors by field, the one reason, and the buttons of each step.
import { Alert, Button, Textarea } from "@mantine/core";
import { useFetcher } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { REASON_MAX_LENGTH, type ActionResult } from "../domain/action-result";
import { DialogButtons } from "./ActionModal";

/** The preview's answer (once it is there), the confirm's, and the errors of both by field. */
export function useBulkFetchers<Preview>() {
  const preview = useFetcher<ActionResult>();
  const confirm = useFetcher<ActionResult>();
  const previewed = preview.state === "idle" && preview.data?.ok ? (preview.data.data as Preview) : undefined;
  const errors: Record<string, string> = {
    ...(preview.data && !preview.data.ok ? preview.data.fieldErrors : {}),
    ...(confirm.data && !confirm.data.ok ? confirm.data.fieldErrors : {}),
  };
  return { preview, confirm, previewed, errors };
}

/** A refusal that names no field (a conflict, a 404) as an alert; field errors show at their fields. */
export function NotDone({ result, always = false }: { result: ActionResult | undefined; always?: boolean }) {
  const { t } = useTranslation();
  if (!result || result.ok || (!always && Object.keys(result.fieldErrors).length)) return null;
  return (
    <Alert color="red" title={t("actions.notDone")} role="alert">
      {result.message}
    </Alert>
  );
}

/** The one reason of a bulk action: `what` says what it is given for. */
export function BulkReason({
  value,
  onChange,
  error,
  what,
}: {
  value: string;
  onChange: (value: string) => void;
  error?: string;
  /** In the reader's language. */
  what: string;
}) {
  const { t } = useTranslation();
  return (
    <Textarea
      label={t("common.reason")}
      description={t("actions.bulk.reasonDescription", { what })}
      required
      autosize
      minRows={2}
      maxLength={REASON_MAX_LENGTH}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      error={error}
    />
  );
}

/** The form step's buttons: cancel, or preview. */
export function PreviewButtons({
  onCancel,
  onPreview,
  loading,
  testId,
}: {
  onCancel: () => void;
  onPreview: () => void;
  loading: boolean;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <DialogButtons onDismiss={onCancel}>
      <Button onClick={onPreview} loading={loading} data-testid={testId}>
        {t("actions.bulk.preview")}
      </Button>
    </DialogButtons>
  );
}

/** The preview step's buttons: back to the form, preview again after a refused confirm, confirm. */
export function ConfirmButtons({
  onBack,
  refused,
  onPreviewAgain,
  children,
}: {
  onBack: () => void;
  refused: boolean;
  onPreviewAgain: () => void;
  /** The confirm button. */
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <DialogButtons onDismiss={onBack} dismissLabel={t("actions.bulk.back")}>
      {refused ? (
        <Button variant="light" onClick={onPreviewAgain}>
          {t("actions.bulk.previewAgain")}
        </Button>
      ) : null}
      {children}
    </DialogButtons>
  );
}
