// Provider operations of the payment whose outcome is not known yet: the provider was asked and
// has not answered (or its answer was lost). Each settles by itself (the recovery job asks the
// provider every few seconds); finance and admin may ask now ("Resolve now").
import { Alert, Group, List, Text } from "@mantine/core";
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

const WHAT: Record<string, string> = {
  CAPTURE: "Capture",
  CANCEL: "Cancel",
  AUTHORIZE: "Authorization",
  REFUND: "Refund",
  CARD_AUTHORIZE: "Card payment",
  STORED_CARD_CHARGE: "Stored card charge",
  VIPPS_CLAIM: "Vipps payment",
  VIPPS_CHARGE: "Vipps agreement charge",
  WALLET_AUTHORIZE: "Wallet payment",
  INVOICE_AUTHORIZE: "Invoice confirmation",
  INVOICE_PAY: "Invoice payment",
  METHOD_REGISTRATION: "Payment method registration",
};

export function OperationsInProgress({ operations }: { operations: Detail["inProgress"] }) {
  const user = useStaffUser();
  if (!operations.length) return null;
  const mayResolve = userHasPermission(user, "payment:resolve");
  return (
    <Alert color="yellow" title="In progress at the provider" role="status" data-testid="operations-in-progress">
      <Text size="sm" mb="xs">
        The provider has not answered yet. Each operation settles by itself as soon as the provider answers; until then
        nothing else can start on its transaction.
      </Text>
      <List size="sm" spacing="xs">
        {operations.map((op) => (
          <List.Item key={op.operationId} data-testid={`operation-in-progress-${op.operationId}`}>
            <Group gap="sm" wrap="wrap">
              <Text size="sm" span>
                {WHAT[op.kind] ?? op.kind}
                {op.transactionId !== null ? ` of transaction ${op.transactionId}` : ""}
                {op.creditTransactionId !== null ? ` (credit transaction ${op.creditTransactionId})` : ""}: in progress
                for {ageText(op.ageSeconds)}, asked {op.attempts} time{op.attempts === 1 ? "" : "s"}, by {op.claimedBy}.
              </Text>
              {mayResolve ? (
                <ActionModal
                  label="Resolve now"
                  title={`Resolve operation ${op.operationId} now`}
                  intent="resolve"
                  reason="optional"
                  hidden={{ operationId: op.operationId }}
                  description="Asks the provider now what became of this operation and settles it with the answer. Nothing is sent twice: the provider knows the operation by its reference."
                  confirmLabel="Ask the provider"
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
