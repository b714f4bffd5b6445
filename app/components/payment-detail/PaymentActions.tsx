// The payment's own actions: deactivate (finance) while active, reactivate with the correct
// total amount while deactivated. Hidden for a role that may not do them.
import { Group, Text } from "@mantine/core";
import { userHasPermission } from "../../auth/roles";
import { useTranslation } from "react-i18next";
import { useFormat } from "../use-format";
import { ActionModal } from "../ActionModal";
import { useStaffUser } from "../staff-user";
import { AmountInput } from "./AmountInput";
import type { Detail } from "./types";

export function PaymentActions({ detail }: { detail: Detail }) {
  const user = useStaffUser();
  const { payment, transactions } = detail;
  const { t } = useTranslation();
  const format = useFormat();
  const money = (amount: string) => format.money(amount, payment.currency);
  if (payment.active) {
    if (!userHasPermission(user, "payment:deactivate")) return null;
    const open = transactions.filter((t) => t.actions.cancel);
    const toCredit = transactions.filter((t) => t.actions.credit && !t.isImport);
    const imported = transactions.filter((t) => t.actions.credit && t.isImport);
    return (
      <Group gap="xs">
        <ActionModal
          label={t("payment.deactivate")}
          title={t("payment.deactivateTitle", { id: payment.paymentId })}
          intent="deactivate"
          color="red"
          confirmLabel={t("payment.deactivateConfirm")}
          description={
            <>
              {t("payment.deactivateText")}
              {open.length
                ? t("payment.deactivateCancels", {
                    count: open.length,
                    ids: open.map((x) => x.transactionId).join(", "),
                  })
                : ""}
              {toCredit.length
                ? t("payment.deactivateCredits", {
                    list: toCredit.map((x) => `${x.transactionId} (${money(x.summary.creditableAmount!)})`).join(", "),
                  })
                : t("payment.deactivateNothing")}
              {imported.length
                ? t("payment.deactivateImported", { ids: imported.map((x) => x.transactionId).join(", ") })
                : ""}
            </>
          }
          buttonProps={{ variant: "light", "data-testid": "deactivate" }}
        />
      </Group>
    );
  }
  if (!userHasPermission(user, "payment:reactivate")) return null;
  return (
    <ActionModal
      label={t("payment.reactivate")}
      title={t("payment.reactivateTitle", { id: payment.paymentId })}
      intent="reactivate"
      confirmLabel={t("payment.reactivateConfirm")}
      description={
        detail.summary.heldAmount === "0.00"
          ? t("payment.reactivateText")
          : t("payment.reactivateHeld", { amount: money(detail.summary.heldAmount) })
      }
      fields={(errors) => (
        <AmountInput
          name="totalAmount"
          label={t("payment.totalAmount")}
          defaultValue={detail.summary.totalAmount}
          currency={payment.currency}
          serverError={errors.totalAmount}
          description={
            <Text span size="xs">
              {t("payment.now", { amount: money(detail.summary.totalAmount) })}
            </Text>
          }
          testId="reactivate-total"
        />
      )}
      buttonProps={{ "data-testid": "reactivate" }}
    />
  );
}
