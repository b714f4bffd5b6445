import { Badge, type BadgeProps, type MantineColor } from "@mantine/core";
import type { ReactNode } from "react";
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

/**
 * A state or status as a small light badge, in the colour `colors` gives it; one this build does
 * not know (a new enum value) shows gray. `children` is its label in the reader's language.
 */
export function StateBadge({
  state,
  colors,
  children,
  ...badge
}: Omit<BadgeProps, "color"> & {
  state: string;
  colors: Partial<Record<string, MantineColor>>;
  children: ReactNode;
  "data-testid"?: string;
  "data-state"?: string;
}) {
  return (
    <Badge color={colors[state] ?? "gray"} variant="light" size="sm" radius="sm" style={{ flexShrink: 0 }} {...badge}>
      {children}
    </Badge>
  );
}

/** A transaction status, one color each. */
export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <StateBadge state={status} colors={COLORS}>
      {statusLabel(t, status)}
    </StateBadge>
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
    <StateBadge state={operation} colors={OPERATION_COLORS} style={{ minWidth: "max-content" }}>
      {operationLabel(t, operation)}
    </StateBadge>
  );
}
