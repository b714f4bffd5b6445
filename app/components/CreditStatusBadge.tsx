import { Badge, Tooltip, type MantineColor } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { statusLabel } from "../i18n/labels";

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
  const { t } = useTranslation();
  if (!active) {
    return (
      <Tooltip label={t("enums.creditInactive")} withArrow>
        <Badge color="red" variant="outline" size="sm" radius="sm" tabIndex={0}>
          {t("enums.status.INACTIVE")}
        </Badge>
      </Tooltip>
    );
  }
  if (inProgress) {
    return (
      <Tooltip label={t("enums.creditInProgress")} withArrow>
        <Badge color="yellow" variant="light" size="sm" radius="sm" tabIndex={0}>
          {t("enums.status.IN_PROGRESS")}
        </Badge>
      </Tooltip>
    );
  }
  return (
    <Badge color={COLORS[status] ?? "gray"} variant="light" size="sm" radius="sm" style={{ flexShrink: 0 }}>
      {statusLabel(t, status)}
    </Badge>
  );
}
