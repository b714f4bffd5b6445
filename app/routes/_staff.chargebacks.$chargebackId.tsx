// One chargeback (docs/decisions/040): its amount, reason code, due date, notes and evidence, the
// transaction it holds money of, and, while it is OPEN, the forms finance and admin use: record
// notes, evidence and due date; decide it WON (the amount comes back) or LOST (it stays taken and
// lowers net volume), with a reason. Support reads.
import { Alert, Anchor, Group, Paper, Radio, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { userHasPermission } from "../auth/roles";
import { requirePermission } from "../auth/session.server";
import { ActionModal } from "../components/ActionModal";
import { Amount } from "../components/Amount";
import { ChargebackStatusBadge, isOverdue } from "../components/ChargebackParts";
import { DateTime } from "../components/DateTime";
import { Field } from "../components/Field";
import { formatMoney } from "../components/format";
import { useStaffUser } from "../components/staff-user";
import { DomainError } from "../domain/errors";
import { intent, staffAction, staffCaller } from "../http/staff/action.server";
import { ChargebackEvidenceForm, DecideChargebackForm } from "../http/staff/forms/chargebacks";
import { EVIDENCE_MAX_LENGTH, NOTES_MAX_LENGTH } from "../domain/chargeback";
import { decideChargeback, updateChargebackEvidence } from "../services/chargebacks/chargebacks.server";
import { chargebackDetail } from "../services/queries/chargebacks.server";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Chargeback ${data?.chargeback.chargebackId ?? ""} · Paydesk` },
];

/** The id of the URL; anything but a positive whole number is a 404, like an unknown id. */
function chargebackIdOf(params: ActionFunctionArgs["params"]): number {
  const raw = params.chargebackId ?? "";
  if (!/^[1-9][0-9]{0,15}$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new Response(`There is no chargeback ${raw}.`, { status: 404, statusText: "Not Found" });
  }
  return Number(raw);
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "chargeback:read");
  const chargebackId = chargebackIdOf(params);
  try {
    const chargeback = await chargebackDetail(staffCaller(user, request, context, null), { chargebackId });
    return json({ chargeback, today: new Date().toISOString().slice(0, 10) });
  } catch (error) {
    if (error instanceof DomainError && error.kind === "not_found") {
      throw new Response(`There is no chargeback ${chargebackId}.`, { status: 404, statusText: "Not Found" });
    }
    throw error;
  }
}

export async function action(args: ActionFunctionArgs) {
  const chargebackId = chargebackIdOf(args.params);
  return staffAction(args, {
    evidence: intent({
      permission: "chargeback:manage",
      reason: "optional",
      schema: ChargebackEvidenceForm,
      run: async ({ input, caller, t }) => {
        await updateChargebackEvidence(caller, { chargebackId, ...input });
        return { message: t("toasts.chargebacks.saved", { chargebackId }) };
      },
    }),
    decide: intent({
      permission: "chargeback:manage",
      reason: "required",
      schema: DecideChargebackForm,
      run: async ({ input: { outcome }, caller, t }) => {
        await decideChargeback(caller, { chargebackId, outcome });
        return {
          message:
            outcome === "WON"
              ? t("toasts.chargebacks.won", { chargebackId })
              : t("toasts.chargebacks.lost", { chargebackId }),
        };
      },
    }),
  });
}

export default function ChargebackDetailScreen() {
  const { chargeback: c, today } = useLoaderData<typeof loader>();
  const user = useStaffUser();
  const open = c.status === "OPEN";
  const mayManage = userHasPermission(user, "chargeback:manage");
  const money = (amount: string) => formatMoney(amount, c.currency);
  return (
    <Stack gap="md" maw={1200}>
      <Anchor component={Link} to="/chargebacks" size="sm" w="fit-content">
        ← All chargebacks
      </Anchor>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Group gap="sm" align="center">
          <Title order={2}>Chargeback {c.chargebackId}</Title>
          <ChargebackStatusBadge status={c.status} />
        </Group>
        {/* Mounted while open (hidden after), so the answer that decided it still shows. */}
        {mayManage ? (
          <Group gap="xs" wrap="wrap">
            <ActionModal
              label="Notes and evidence"
              title={`Notes and evidence of chargeback ${c.chargebackId}`}
              intent="evidence"
              reason="optional"
              confirmLabel="Save"
              buttonProps={{ variant: "default", display: open ? undefined : "none", "data-testid": "evidence" }}
              fields={(errors) => (
                <>
                  <TextInput
                    type="date"
                    name="dueDate"
                    label="Due date"
                    description="When the evidence must reach the card scheme. Leave empty for none."
                    defaultValue={c.dueDate ?? ""}
                    error={errors.dueDate}
                  />
                  <Textarea
                    name="notes"
                    label="Notes"
                    autosize
                    minRows={2}
                    maxLength={NOTES_MAX_LENGTH}
                    defaultValue={c.notes ?? ""}
                    error={errors.notes}
                  />
                  <Textarea
                    name="evidence"
                    label="Evidence"
                    description="What is sent to the scheme: delivery proof, usage, correspondence. Never a full card number."
                    autosize
                    minRows={3}
                    maxLength={EVIDENCE_MAX_LENGTH}
                    defaultValue={c.evidence ?? ""}
                    error={errors.evidence}
                  />
                </>
              )}
            />
            <ActionModal
              label="Decide"
              title={`Decide chargeback ${c.chargebackId}`}
              intent="decide"
              confirmLabel="Record decision"
              buttonProps={{ display: open ? undefined : "none", "data-testid": "decide" }}
              description={`The decision is final. Won: ${money(c.amount)} is creditable again. Lost: it stays with the cardholder and lowers net volume today.`}
              fields={(errors) => (
                <Radio.Group name="outcome" label="Outcome" error={errors.outcome} withAsterisk>
                  <Group mt="xs">
                    <Radio value="WON" label="Won" />
                    <Radio value="LOST" label="Lost" />
                  </Group>
                </Radio.Group>
              )}
            />
          </Group>
        ) : null}
      </Group>

      {open && isOverdue(c, today) ? (
        <Alert color="red" title="Overdue" role="status">
          The due date {c.dueDate} has passed without a decision.
        </Alert>
      ) : null}

      <Paper withBorder p="md" radius="md">
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md" verticalSpacing="sm">
          <Field label="Amount">
            <Amount value={c.amount} currency={c.currency} fw={600} />
          </Field>
          <Field label="Reason code">{c.reasonCode}</Field>
          <Field label="Due date">{c.dueDate ?? "—"}</Field>
          <Field label="Source">
            {c.source === "REPORT" ? `Settlement report (line ${c.reportLineId ?? "—"})` : "Entered by staff"}
          </Field>
          <Field label="Payment / transaction">
            <Anchor component={Link} to={`/payments/${c.paymentId}`} size="sm">
              {c.paymentId}
            </Anchor>{" "}
            / {c.transactionId}
          </Field>
          <Field label="Paid with">
            {c.paymentType ?? c.paymentTypeGroup}
            {c.cardNumber ? ` •••• ${c.cardNumber}` : ""}
          </Field>
          <Field label="Order">{c.orderId ?? "—"}</Field>
          <Field label="Organisation">
            {c.organisationName} ({c.organisationId})
          </Field>
          <Field label="Customer">
            {c.customerNumber ? (
              <Anchor component={Link} to={`/customers/${c.customerNumber}`} size="sm">
                {c.customerNumber}
              </Anchor>
            ) : (
              "—"
            )}
          </Field>
          <Field label="Opened">
            <DateTime value={c.createdAt} timeZone={user.timeZone} />
            {c.createdBy ? ` by ${c.createdBy}` : ""}
          </Field>
          <Field label="Decided">
            {c.decidedAt ? (
              <>
                <DateTime value={c.decidedAt} timeZone={user.timeZone} />
                {c.decidedBy ? ` by ${c.decidedBy}` : ""}
              </>
            ) : (
              "—"
            )}
          </Field>
          <Field label="Transaction now">
            <span data-testid="transaction-creditable">
              captured {money(c.transaction.capturedAmount)}, charged back {money(c.transaction.chargedBackAmount)},
              creditable {money(c.transaction.creditableAmount)}
            </span>
          </Field>
        </SimpleGrid>
        {c.decisionReason ? (
          <Text size="sm" mt="sm">
            <Text span c="dimmed" size="sm">
              Decision reason:{" "}
            </Text>
            {c.decisionReason}
          </Text>
        ) : null}
      </Paper>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <TextBlock title="Notes" text={c.notes} testId="chargeback-notes" />
        <TextBlock title="Evidence" text={c.evidence} testId="chargeback-evidence" />
      </SimpleGrid>
    </Stack>
  );
}

function TextBlock({ title, text, testId }: { title: string; text: string | null; testId: string }) {
  return (
    <Paper withBorder p="md" radius="md" data-testid={testId}>
      <Title order={3} size="h5" mb="xs">
        {title}
      </Title>
      <Text size="sm" c={text ? undefined : "dimmed"} style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
        {text ?? "None yet."}
      </Text>
    </Paper>
  );
}
