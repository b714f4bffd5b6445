// The payment's own actions: deactivate (finance) while active, reactivate with the correct
// total amount while deactivated. Hidden for a role that may not do them.
import { Group, Text } from "@mantine/core";
import { userHasPermission } from "../../auth/roles";
import { formatMoney } from "../format";
import { ActionModal } from "../ActionModal";
import { useStaffUser } from "../staff-user";
import { AmountInput } from "./AmountInput";
import type { Detail } from "./types";

export function PaymentActions({ detail }: { detail: Detail }) {
  const user = useStaffUser();
  const { payment, transactions } = detail;
  const money = (amount: string) => formatMoney(amount, payment.currency);
  if (payment.active) {
    if (!userHasPermission(user, "payment:deactivate")) return null;
    const open = transactions.filter((t) => t.actions.cancel);
    const toCredit = transactions.filter((t) => t.actions.credit && !t.isImport);
    const imported = transactions.filter((t) => t.actions.credit && t.isImport);
    return (
      <Group gap="xs">
        <ActionModal
          label="Deactivate"
          title={`Deactivate payment ${payment.paymentId}`}
          intent="deactivate"
          color="red"
          confirmLabel="Deactivate payment"
          description={
            <>
              The payment will refuse every transaction operation until it is reactivated with its correct total.
              {open.length
                ? ` Cancels ${open.length} open transaction${open.length === 1 ? "" : "s"} (${open.map((t) => t.transactionId).join(", ")}).`
                : ""}
              {toCredit.length
                ? ` Credits ${toCredit.map((t) => `${t.transactionId} (${money(t.summary.creditableAmount!)})`).join(", ")} in full, at once.`
                : " Nothing is credited: no captured amount is left to give back."}
              {imported.length
                ? ` Imported transactions (${imported.map((t) => t.transactionId).join(", ")}) stay for the client to credit.`
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
      label="Reactivate"
      title={`Reactivate payment ${payment.paymentId}`}
      intent="reactivate"
      confirmLabel="Reactivate payment"
      description={`The client can use the payment again once it is active. Give the order's correct total amount${
        detail.summary.heldAmount === "0.00"
          ? "."
          : `; its transactions still hold ${money(detail.summary.heldAmount)}, so the total must be at least that.`
      }`}
      fields={(errors) => (
        <AmountInput
          name="totalAmount"
          label="Total amount"
          defaultValue={detail.summary.totalAmount}
          currency={payment.currency}
          serverError={errors.totalAmount}
          description={
            <Text span size="xs">
              Now {money(detail.summary.totalAmount)}.
            </Text>
          }
          testId="reactivate-total"
        />
      )}
      buttonProps={{ "data-testid": "reactivate" }}
    />
  );
}
