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
import { DataTable, HeaderCells } from "../components/DataTable";
import { ActionModal } from "../components/ActionModal";
import { Amount } from "../components/Amount";
import { CreatorName } from "../components/CreatorName";
import { CreditStatusBadge } from "../components/CreditStatusBadge";
import { DateTime } from "../components/DateTime";
import { DetailHeader } from "../components/DetailHeader";
import { useStaffUser } from "../components/staff-user";
import { formatAmount, money, sum } from "../domain/money";
import { useFormat } from "../components/use-format";
import { useTranslation } from "react-i18next";
import { metaTitle } from "../i18n/meta";
import { intent, staffAction, staffCaller } from "../http/staff/action.server";
import { foundOr404, idOr404 } from "../http/staff/path-id.server";
import { DeactivateCreditForm, ExecuteCreditForm, SettlementIdForm } from "../http/staff/forms/credits";
import { creditDetail } from "../services/queries/credit-screens.server";
import { executeCredit, updateCredit } from "../services/credits/credits.server";
import { Field, SummaryNote } from "../components/Field";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  metaTitle(matches, "credits.detail.title", { id: data?.credit.creditId ?? "" });

const creditIdOf = (params: ActionFunctionArgs["params"]) =>
  idOr404(params.creditId, `There is no credit ${params.creditId ?? ""}.`);

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "credit:read");
  const creditId = creditIdOf(params);
  const caller = staffCaller(user, request, context, null);
  return json(await foundOr404(creditDetail(caller, { creditId }), () => `There is no credit ${creditId}.`));
}

export async function action(args: ActionFunctionArgs) {
  const creditId = creditIdOf(args.params);
  return staffAction(args, {
    execute: intent({
      permission: "credit:execute",
      reason: "required",
      schema: ExecuteCreditForm,
      run: async ({ caller, t }) => {
        const credit = await executeCredit(caller, { creditId });
        const credited = credit.creditTransactions.filter((l) => l.status === "CREDITED").length;
        const total = credit.creditTransactions.length;
        return {
          message:
            credit.status === "CREDITED"
              ? t("toasts.credits.executed", { creditId, count: credited })
              : t("toasts.credits.partlyExecuted", { creditId, credited, count: total }),
        };
      },
    }),
    updateSettlement: intent({
      permission: "credit:create",
      reason: "optional",
      schema: SettlementIdForm,
      run: async ({ input: { settlementId }, caller, t }) => {
        const credit = await updateCredit(caller, { creditId, patch: { settlementId } });
        return {
          message: credit.settlementId
            ? t("toasts.credits.settlementSet", { settlementId: credit.settlementId })
            : t("toasts.credits.settlementRemoved"),
        };
      },
    }),
    deactivate: intent({
      permission: "credit:create",
      reason: "required",
      schema: DeactivateCreditForm,
      run: async ({ caller, t }) => {
        await updateCredit(caller, { creditId, patch: { active: false } });
        return { message: t("toasts.credits.deactivated", { creditId }) };
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
  const { t } = useTranslation();
  const format = useFormat();
  const total = format.money(credit.totalCreditAmount, credit.currency);
  // The server's refusal is the API's English; the screen says the same rule in the reader's words.
  const refusal = !fourEyes.refusal
    ? null
    : fourEyes.threshold === null
      ? t("credits.detail.refusalAlways", { amount: total, currency: credit.currency })
      : t("credits.detail.refusalAbove", {
          amount: total,
          threshold: format.money(fourEyes.threshold, credit.currency),
        });

  return (
    <Stack gap="md" maw={1200}>
      <DetailHeader
        back={{ to: "/credits", label: t("credits.detail.allCredits") }}
        title={t("credits.detail.title", { id: credit.creditId })}
        badge={
          <CreditStatusBadge
            status={credit.status}
            active={credit.active}
            inProgress={lines.some((l) => l.inProgress)}
          />
        }
      >
        {/* Actions stay mounted (hidden) once their state has passed, so that the answer that
            changed the state still reaches its notification. */}
        <Group gap="xs" wrap="wrap">
          <ExecuteButton
            shown={open && pending.length > 0}
            creditId={credit.creditId}
            amount={pendingTotal}
            currency={credit.currency}
            lineCount={pending.length}
            disabledBecause={!mayExecute ? t("credits.detail.mayNotExecute") : refusal}
          />
          {mayChange ? (
            <>
              <ActionModal
                label={t("credits.detail.changeSettlement")}
                title={t("credits.detail.settlementTitle", { id: credit.creditId })}
                intent="updateSettlement"
                reason="optional"
                confirmLabel={t("common.save")}
                buttonProps={{ variant: "default", display: untouched ? undefined : "none" }}
                fields={(errors) => (
                  <TextInput
                    name="settlementId"
                    label={t("credits.fields.settlementId")}
                    description={t("credits.detail.settlementEmpty")}
                    defaultValue={credit.settlementId ?? ""}
                    maxLength={100}
                    error={errors.settlementId}
                  />
                )}
              />
              <ActionModal
                label={t("credits.detail.deactivate")}
                title={t("credits.detail.deactivateTitle", { id: credit.creditId })}
                intent="deactivate"
                color="red"
                confirmLabel={t("credits.detail.deactivateConfirm")}
                buttonProps={{ variant: "outline", display: untouched ? undefined : "none" }}
                description={t("credits.detail.deactivateText")}
              />
            </>
          ) : null}
        </Group>
      </DetailHeader>

      {open && pending.length > 0 && fourEyes.required ? (
        refusal ? (
          <Alert color="yellow" title={t("credits.detail.refusalTitle")} data-testid="four-eyes-refusal">
            {refusal}
          </Alert>
        ) : (
          <Alert color="blue" title={t("credits.detail.fourEyesApplies")} data-testid="four-eyes-note">
            {fourEyes.threshold === null
              ? t("credits.detail.everyCredit", { currency: credit.currency })
              : t("credits.detail.aboveThreshold", {
                  threshold: format.money(fourEyes.threshold, credit.currency),
                })}{" "}
            {mayExecute ? t("credits.detail.creatorMayNotYouMay") : t("credits.detail.creatorMayNot")}
          </Alert>
        )
      ) : null}

      <Paper withBorder p="md" radius="md">
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md" verticalSpacing="sm">
          <Field label={t("credits.fields.totalCreditAmount")}>
            <Amount value={credit.totalCreditAmount} currency={credit.currency} fw={600} />
          </Field>
          <Field label={t("credits.col.order")}>
            {credit.orderId ?? t("common.dash")}
            {credit.orderVersion !== null ? t("credits.detail.orderVersion", { version: credit.orderVersion }) : ""}
          </Field>
          <Field label={t("credits.fields.customerNumber")}>{credit.customerNumber ?? t("common.dash")}</Field>
          <Field label={t("credits.col.organisation")}>
            {credit.organisationName} ({credit.organisationId})
          </Field>
          <Field label={t("credits.fields.settlementId")}>{credit.settlementId ?? t("common.dash")}</Field>
          <Field label={t("credits.col.created")}>
            <DateTime value={credit.createdAt} timeZone={user.timeZone} />
          </Field>
          <Field label={t("credits.fields.updatedAt")}>
            <DateTime value={credit.updatedAt} timeZone={user.timeZone} />
          </Field>
          <Field label={t("credits.col.createdBy")}>
            <CreatorName creator={credit.creator} />
          </Field>
        </SimpleGrid>
        <SummaryNote label={t("credits.detail.reason")} text={credit.reason} />
      </Paper>

      <Title order={2} size="h4">
        {t("credits.detail.lines")}
      </Title>
      <DataTable
        label={t("credits.detail.lines")}
        minWidth={980}
        alignTop
        head={
          <HeaderCells
            columns={
              ["line", "status", "amount", "paymentTransaction", "paidWith", "reimbursedAs", "rrn", "credited"] as const
            }
            label={(column) =>
              column === "status"
                ? t("credits.col.status")
                : column === "rrn"
                  ? t("credits.fields.rrn")
                  : t(`credits.detail.col.${column}`)
            }
            props={{ amount: { ta: "right" } }}
          />
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
                  : t("common.dash")}
              </Table.Td>
              <Table.Td style={{ whiteSpace: "nowrap" }}>
                {line.reimbursementMethod}
                <Text span size="xs" c="dimmed">
                  {" "}
                  ({line.reimbursementTypeGroup})
                </Text>
              </Table.Td>
              <Table.Td>{line.rrn ?? t("common.dash")}</Table.Td>
              <Table.Td>
                {line.creditedAt ? <DateTime value={line.creditedAt} timeZone={user.timeZone} /> : t("common.dash")}
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
  const { t } = useTranslation();
  const format = useFormat();
  if (disabledBecause) {
    if (!shown) return null;
    return (
      <Tooltip label={disabledBecause} multiline w={300} withArrow>
        {/* A disabled button gets no pointer events; the wrapper shows the tooltip. */}
        <span tabIndex={0}>
          <Button disabled style={{ pointerEvents: "none" }}>
            {t("credits.detail.execute")}
          </Button>
        </span>
      </Tooltip>
    );
  }
  return (
    <ActionModal
      label={t("credits.detail.execute")}
      title={t("credits.detail.executeTitle", { id: creditId })}
      intent="execute"
      confirmLabel={t("credits.detail.executeConfirm", { amount: format.money(amount, currency) })}
      buttonProps={shown ? undefined : { display: "none" }}
      description={
        <>
          {t("credits.detail.executeSends")}{" "}
          <Text span fw={700} inherit>
            {format.money(amount, currency)}
          </Text>{" "}
          {t("credits.detail.executeThrough", { count: lineCount })}
        </>
      }
    />
  );
}
