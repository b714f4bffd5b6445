import { Badge, Tooltip, type MantineColor } from "@mantine/core";

const COLORS: Record<string, MantineColor> = { CREATED: "gray", CREDITED: "grape", FAILED: "red" };

/**
 * The status of a credit or of one credit transaction. A line claimed by an execution without an
 * outcome yet shows "IN PROGRESS" (decision 006: the next execute resolves it); an inactive
 * credit shows "INACTIVE", since it can no longer be executed.
 */
export function CreditStatusBadge({
  status,
  inProgress,
  active = true,
}: {
  status: string;
  inProgress?: boolean;
  active?: boolean;
}) {
  if (!active) {
    return (
      <Tooltip label="Deactivated: its reservations were released and it can no longer be executed" withArrow>
        <Badge color="red" variant="outline" size="sm" radius="sm" tabIndex={0}>
          INACTIVE
        </Badge>
      </Tooltip>
    );
  }
  if (inProgress) {
    return (
      <Tooltip
        label="An execution claimed it and has no answer from the provider yet; executing again resolves it without crediting twice"
        withArrow
      >
        <Badge color="yellow" variant="light" size="sm" radius="sm" tabIndex={0}>
          IN PROGRESS
        </Badge>
      </Tooltip>
    );
  }
  return (
    <Badge color={COLORS[status] ?? "gray"} variant="light" size="sm" radius="sm" style={{ flexShrink: 0 }}>
      {status}
    </Badge>
  );
}
