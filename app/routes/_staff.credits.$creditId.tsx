// One credit: its fields, who created it and why, the status of every credit transaction (with
// the provider's failure reason), and the actions its state and the viewer's role allow:
// execute (finance/admin, with a confirmation; the four-eyes rule may forbid it to its creator),
// change the settlement id, deactivate. Each action calls the same service as /v1/credits.
import {
  Alert,
  Anchor,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { userHasPermission } from "../auth/roles";
import { requirePermission } from "../auth/session.server";
import { DataTable } from "../components/DataTable";
import { ActionModal } from "../components/ActionModal";
import { Amount } from "../components/Amount";
import { CreatorName } from "../components/CreatorName";
import { CreditStatusBadge } from "../components/CreditStatusBadge";
import { DateTime } from "../components/DateTime";
import { useStaffUser } from "../components/staff-user";
import { DomainError } from "../domain/errors";
import { formatAmount, money, sum } from "../domain/money";
import { formatMoney } from "../components/format";
import { intent, staffAction, staffCaller } from "../http/staff/action.server";
import { DeactivateCreditForm, ExecuteCreditForm, SettlementIdForm } from "../http/staff/forms/credits";
import { creditDetail } from "../services/queries/credit-screens.server";
import { executeCredit, updateCredit } from "../services/credits/credits.server";
import { Field } from "../components/Field";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Credit ${data?.credit.creditId ?? ""} · Paydesk` },
];

/** The credit id of the URL; anything but a positive whole number is a 404, like an unknown id. */
function creditIdOf(params: ActionFunctionArgs["params"]): number {
  const raw = params.creditId ?? "";
  if (!/^[1-9][0-9]{0,15}$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new Response(`There is no credit ${raw}.`, { status: 404, statusText: "Not Found" });
  }
  return Number(raw);
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "credit:read");
  const creditId = creditIdOf(params);
  try {
    return json(await creditDetail(staffCaller(user, request, context, null), { creditId }));
  } catch (error) {
    if (error instanceof DomainError && error.kind === "not_found") {
      throw new Response(`There is no credit ${creditId}.`, { status: 404, statusText: "Not Found" });
    }
    throw error;
  }
}

export async function action(args: ActionFunctionArgs) {
  const creditId = creditIdOf(args.params);
  return staffAction(args, {
    execute: intent({
      permission: "credit:execute",
      reason: "required",
      schema: ExecuteCreditForm,
      run: async ({ caller }) => {
        const credit = await executeCredit(caller, { creditId });
        const credited = credit.creditTransactions.filter((l) => l.status === "CREDITED").length;
        return {
          message:
            credit.status === "CREDITED"
              ? `Credit ${creditId} is executed: all ${credited} credit transactions are credited.`
              : `Credit ${creditId}: ${credited} of ${credit.creditTransactions.length} credit transactions are credited.`,
        };
      },
    }),
    updateSettlement: intent({
      permission: "credit:create",
      reason: "optional",
      schema: SettlementIdForm,
      run: async ({ input: { settlementId }, caller }) => {
        const credit = await updateCredit(caller, { creditId, patch: { settlementId } });
        return {
          message: credit.settlementId
            ? `Settlement id is now ${credit.settlementId}.`
            : "The settlement id is removed.",
        };
      },
    }),
    deactivate: intent({
      permission: "credit:create",
      reason: "required",
      schema: DeactivateCreditForm,
      run: async ({ caller }) => {
        await updateCredit(caller, { creditId, patch: { active: false } });
        return { message: `Credit ${creditId} is deactivated; its amounts can be credited again.` };
      },
    }),
  });
}

export default function CreditDetail() {
  const { credit, transactions, fourEyes } = useLoaderData<typeof loader>();
  const user = useStaffUser();
  const lines = credit.creditTransactions;
  const pending = lines.filter((l) => l.status === "CREATED");
  const open = credit.active && credit.status === "CREATED";
  // PATCH and deactivation only while no execution has touched a line (decision 006).
  const untouched = open && lines.every((l) => l.status === "CREATED" && !l.inProgress);
  const mayExecute = userHasPermission(user, "credit:execute");
  const mayChange = userHasPermission(user, "credit:create");
  const transactionOf = (id: number) => transactions.find((t) => t.transactionId === id);
  const pendingTotal = formatAmount(sum(pending.map((l) => money(l.amount))));

  return (
    <Stack gap="md" maw={1200}>
      <Anchor component={Link} to="/credits" size="sm">
        ← All credits
      </Anchor>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Group gap="sm" align="center">
          <Title order={1} size="h2">
            Credit {credit.creditId}
          </Title>
          <CreditStatusBadge
            status={credit.status}
            active={credit.active}
            inProgress={lines.some((l) => l.inProgress)}
          />
        </Group>
        {/* Actions stay mounted (hidden) once their state has passed, so that the answer that
            changed the state still reaches its notification. */}
        <Group gap="xs" wrap="wrap">
          <ExecuteButton
            shown={open && pending.length > 0}
            creditId={credit.creditId}
            amount={pendingTotal}
            currency={credit.currency}
            lineCount={pending.length}
            disabledBecause={
              !mayExecute ? "Only finance and admin may execute credits (credit:execute)." : fourEyes.refusal
            }
          />
          {mayChange ? (
            <>
              <ActionModal
                label="Change settlement id"
                title={`Settlement id of credit ${credit.creditId}`}
                intent="updateSettlement"
                reason="optional"
                confirmLabel="Save"
                buttonProps={{ variant: "default", display: untouched ? undefined : "none" }}
                fields={(errors) => (
                  <TextInput
                    name="settlementId"
                    label="Settlement id"
                    description="Leave empty to remove it."
                    defaultValue={credit.settlementId ?? ""}
                    maxLength={100}
                    error={errors.settlementId}
                  />
                )}
              />
              <ActionModal
                label="Deactivate"
                title={`Deactivate credit ${credit.creditId}`}
                intent="deactivate"
                color="red"
                confirmLabel="Deactivate credit"
                buttonProps={{ variant: "outline", display: untouched ? undefined : "none" }}
                description="The credit will never be executed, and the amounts it reserved become creditable again. This cannot be undone."
              />
            </>
          ) : null}
        </Group>
      </Group>

      {open && pending.length > 0 && fourEyes.required ? (
        fourEyes.refusal ? (
          <Alert
            color="yellow"
            title="Four-eyes rule: another staff user must execute this credit"
            data-testid="four-eyes-refusal"
          >
            {fourEyes.refusal}
          </Alert>
        ) : (
          <Alert color="blue" title="Four-eyes rule applies" data-testid="four-eyes-note">
            {fourEyes.threshold === null
              ? `Every ${credit.currency} credit needs a second staff user. `
              : `It is above the four-eyes threshold of ${formatMoney(fourEyes.threshold, credit.currency)}. `}
            Its creator may not execute it{mayExecute ? "; you may." : "."}
          </Alert>
        )
      ) : null}

      <Paper withBorder p="md" radius="md">
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md" verticalSpacing="sm">
          <Field label="Total credit amount">
            <Amount value={credit.totalCreditAmount} currency={credit.currency} fw={600} />
          </Field>
          <Field label="Order">
            {credit.orderId ?? "—"}
            {credit.orderVersion !== null ? ` (version ${credit.orderVersion})` : ""}
          </Field>
          <Field label="Customer number">{credit.customerNumber ?? "—"}</Field>
          <Field label="Organisation">
            {credit.organisationName} ({credit.organisationId})
          </Field>
          <Field label="Settlement id">{credit.settlementId ?? "—"}</Field>
          <Field label="Created">
            <DateTime value={credit.createdAt} timeZone={user.timeZone} />
          </Field>
          <Field label="Updated">
            <DateTime value={credit.updatedAt} timeZone={user.timeZone} />
          </Field>
          <Field label="Created by">
            <CreatorName creator={credit.creator} />
          </Field>
        </SimpleGrid>
        {credit.reason ? (
          <Text size="sm" mt="sm">
            <Text span c="dimmed" size="sm">
              Reason:{" "}
            </Text>
            {credit.reason}
          </Text>
        ) : null}
      </Paper>

      <Title order={2} size="h4">
        Credit transactions
      </Title>
      <DataTable
        label="Credit transactions"
        minWidth={980}
        alignTop
        head={
          <>
            <Table.Th>Line</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
            <Table.Th>Payment / transaction</Table.Th>
            <Table.Th>Paid with</Table.Th>
            <Table.Th>Reimbursed as</Table.Th>
            <Table.Th>RRN</Table.Th>
            <Table.Th>Credited</Table.Th>
          </>
        }
      >
        {lines.map((line) => {
          const transaction = transactionOf(line.transactionId);
          return (
            <Table.Tr key={line.creditTransactionId} data-testid="credit-line">
              <Table.Td>{line.creditTransactionId}</Table.Td>
              <Table.Td miw={130}>
                <Stack gap={4} align="flex-start">
                  <CreditStatusBadge status={line.status} inProgress={line.inProgress} />
                  {line.failureReason ? (
                    <Text size="xs" c="red" maw={240}>
                      {line.failureReason}
                    </Text>
                  ) : null}
                </Stack>
              </Table.Td>
              <Table.Td ta="right">
                <Amount value={line.amount} currency={credit.currency} />
              </Table.Td>
              <Table.Td style={{ whiteSpace: "nowrap" }}>
                <Anchor component={Link} to={`/payments/${line.paymentId}`} size="sm">
                  {line.paymentId}
                </Anchor>{" "}
                / {line.transactionId}
              </Table.Td>
              <Table.Td style={{ whiteSpace: "nowrap" }}>
                {transaction
                  ? `${transaction.paymentType ?? transaction.paymentTypeGroup}${transaction.cardNumber ? ` •••• ${transaction.cardNumber}` : ""}`
                  : "—"}
              </Table.Td>
              <Table.Td style={{ whiteSpace: "nowrap" }}>
                {line.reimbursementMethod}
                <Text span size="xs" c="dimmed">
                  {" "}
                  ({line.reimbursementTypeGroup})
                </Text>
              </Table.Td>
              <Table.Td>{line.rrn ?? "—"}</Table.Td>
              <Table.Td>
                {line.creditedAt ? <DateTime value={line.creditedAt} timeZone={user.timeZone} /> : "—"}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </DataTable>
    </Stack>
  );
}

/**
 * Execute, behind a confirmation that says what leaves and that it cannot be undone. Disabled
 * (with the reason on hover and in an alert above) for a role without credit:execute and for
 * the creator of a credit under the four-eyes rule; the server refuses both anyway.
 */
function ExecuteButton({
  shown,
  creditId,
  amount,
  currency,
  lineCount,
  disabledBecause,
}: {
  shown: boolean;
  creditId: number;
  amount: string;
  currency: string;
  lineCount: number;
  disabledBecause: string | null;
}) {
  if (disabledBecause) {
    if (!shown) return null;
    return (
      <Tooltip label={disabledBecause} multiline w={300} withArrow>
        {/* A disabled button gets no pointer events; the wrapper shows the tooltip. */}
        <span tabIndex={0}>
          <Button disabled style={{ pointerEvents: "none" }}>
            Execute credit
          </Button>
        </span>
      </Tooltip>
    );
  }
  return (
    <ActionModal
      label="Execute credit"
      title={`Execute credit ${creditId}?`}
      intent="execute"
      confirmLabel={`Credit ${formatMoney(amount, currency)}`}
      buttonProps={shown ? undefined : { display: "none" }}
      description={
        <>
          This sends{" "}
          <Text span fw={700} inherit>
            {formatMoney(amount, currency)}
          </Text>{" "}
          back to the customer through {lineCount === 1 ? "1 credit transaction" : `${lineCount} credit transactions`},
          one after the other. Money that has been credited cannot be taken back.
        </>
      }
    />
  );
}
