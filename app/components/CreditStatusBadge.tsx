import { Badge, Tooltip, type MantineColor } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { statusLabel } from "../i18n/labels";
import { StateBadge } from "./StatusBadge";

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
  if (!active) return <ExplainedBadge label="INACTIVE" color="red" variant="outline" why={t("enums.creditInactive")} />;
  if (inProgress) {
    return <ExplainedBadge label="IN_PROGRESS" color="yellow" variant="light" why={t("enums.creditInProgress")} />;
  }
  return (
    <StateBadge state={status} colors={COLORS}>
      {statusLabel(t, status)}
    </StateBadge>
  );
}

/** A state that is not the stored status, with why on hover or focus (hence the tab stop). */
function ExplainedBadge({
  label,
  color,
  variant,
  why,
}: {
  label: "INACTIVE" | "IN_PROGRESS";
  color: MantineColor;
  variant: "outline" | "light";
  why: string;
}) {
  const { t } = useTranslation();
  return (
    <Tooltip label={why} withArrow>
      <Badge color={color} variant={variant} size="sm" radius="sm" tabIndex={0}>
        {t(`enums.status.${label}`)}
      </Badge>
    </Tooltip>
  );
}
