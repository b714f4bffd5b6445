// Provider operations of the payment whose outcome is not known yet: the provider was asked and
// has not answered (or its answer was lost). Each settles by itself (the recovery job asks the
// provider every few seconds); finance and admin may ask now ("Resolve now").
import { Alert, Group, List, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { providerOperationLabel } from "../../i18n/labels";
import { userHasPermission } from "../../auth/roles";
import { ActionModal } from "../ActionModal";
import { useStaffUser } from "../staff-user";
import type { Detail } from "./types";

/** "42 s", "3 min", "2 h 5 min". */
export function ageText(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function OperationsInProgress({ operations }: { operations: Detail["inProgress"] }) {
  const user = useStaffUser();
  const { t } = useTranslation();
  if (!operations.length) return null;
  const mayResolve = userHasPermission(user, "payment:resolve");
  return (
    <Alert color="yellow" title={t("payment.inProgress.title")} role="status" data-testid="operations-in-progress">
      <Text size="sm" mb="xs">
        {t("payment.inProgress.text")}
      </Text>
      <List size="sm" spacing="xs">
        {operations.map((op) => (
          <List.Item key={op.operationId} data-testid={`operation-in-progress-${op.operationId}`}>
            <Group gap="sm" wrap="wrap">
              <Text size="sm" span>
                {t("payment.inProgress.line", {
                  what: providerOperationLabel(t, op.kind),
                  of:
                    (op.transactionId !== null ? t("payment.inProgress.ofTransaction", { id: op.transactionId }) : "") +
                    (op.creditTransactionId !== null
                      ? t("payment.inProgress.ofCredit", { id: op.creditTransactionId })
                      : ""),
                  age: ageText(op.ageSeconds),
                  count: op.attempts,
                  by: op.claimedBy,
                })}
              </Text>
              {mayResolve ? (
                <ActionModal
                  label={t("payment.inProgress.resolve")}
                  title={t("payment.inProgress.resolveTitle", { id: op.operationId })}
                  intent="resolve"
                  reason="optional"
                  hidden={{ operationId: op.operationId }}
                  description={t("payment.inProgress.resolveText")}
                  confirmLabel={t("payment.inProgress.resolveConfirm")}
                  buttonProps={{ size: "compact-xs", variant: "light", "data-testid": `resolve-${op.operationId}` }}
                />
              ) : null}
            </Group>
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}
