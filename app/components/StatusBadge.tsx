import { Badge, type MantineColor } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Operation, TransactionStatus } from "../domain/enums";
import { operationLabel, statusLabel } from "../i18n/labels";

const COLORS: Record<TransactionStatus, MantineColor> = {
  CREATED: "gray",
  INITIATED: "blue",
  AUTHORIZED: "cyan",
  CAPTURED: "green",
  CREDITED: "grape",
  CANCELLED: "red",
};

/** A transaction status, one color each; an unknown status (new enum value) shows gray. */
export function StatusBadge({ status }: { status: string }) {
  const color = COLORS[status as TransactionStatus] ?? "gray";
  const { t } = useTranslation();
  return (
    <Badge color={color} variant="light" size="sm" radius="sm" style={{ flexShrink: 0 }}>
      {statusLabel(t, status)}
    </Badge>
  );
}

const OPERATION_COLORS: Record<Operation, MantineColor> = {
  CREATE: "gray",
  INITIATE: "blue",
  AUTHORIZE: "cyan",
  CAPTURE: "green",
  CANCEL: "red",
  CREDIT: "grape",
  IMPORT: "teal",
  UPDATE: "yellow",
};

/** An operation-log entry's operation, one color each (gray for one it does not know). */
export function OperationBadge({ operation }: { operation: string }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={OPERATION_COLORS[operation as Operation] ?? "gray"}
      variant="light"
      size="sm"
      radius="sm"
      style={{ minWidth: "max-content" }}
    >
      {operationLabel(t, operation)}
    </Badge>
  );
}
