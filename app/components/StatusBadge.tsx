import { Badge, type MantineColor } from "@mantine/core";
import type { TransactionStatus } from "../domain/enums";

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
  return (
    <Badge color={color} variant="light" size="sm" radius="sm" style={{ flexShrink: 0 }}>
      {status}
    </Badge>
  );
}
