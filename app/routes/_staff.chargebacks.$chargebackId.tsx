// One chargeback (docs/decisions/040): its amount, reason code, due date, notes and evidence, the
// transaction it holds money of, and, while it is OPEN, the forms finance and admin use: record
// notes, evidence and due date; decide it WON (the amount comes back) or LOST (it stays taken and
// lowers net volume), with a reason. Support reads.
import { Alert, Anchor, Group, Paper, Radio, SimpleGrid, Stack, Text, Textarea, Title } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { userHasPermission } from "../auth/roles";
import { requirePermission } from "../auth/session.server";
import { ActionModal } from "../components/ActionModal";
import { Amount } from "../components/Amount";
import { ChargebackStatusBadge, DueDateAndNotesFields, isOverdue } from "../components/ChargebackParts";
import { DateTime } from "../components/DateTime";
import { DetailHeader } from "../components/DetailHeader";
import { Field, SummaryNote } from "../components/Field";
import { useFormat } from "../components/use-format";
import { translator } from "../i18n/i18n";
import { staffLanguage } from "../i18n/language.server";
import { metaTitle } from "../i18n/meta";
import { useStaffUser } from "../components/staff-user";
import { intent, staffAction, staffCaller } from "../http/staff/action.server";
import { foundOr404, idOr404 } from "../http/staff/path-id.server";
import { ChargebackEvidenceForm, DecideChargebackForm } from "../http/staff/forms/chargebacks";
import { EVIDENCE_MAX_LENGTH } from "../domain/chargeback";
import { decideChargeback, updateChargebackEvidence } from "../services/chargebacks/chargebacks.server";
import { chargebackDetail } from "../services/queries/chargebacks.server";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data
    ? metaTitle(matches, "chargebacks.metaTitle", { id: data.chargeback.chargebackId })
    : metaTitle(matches, "chargebacks.title");

const chargebackIdOf = (params: ActionFunctionArgs["params"]) =>
  idOr404(params.chargebackId, `There is no chargeback ${params.chargebackId ?? ""}.`);

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "chargeback:read");
  const chargebackId = chargebackIdOf(params);
  const chargeback = await foundOr404(
    chargebackDetail(staffCaller(user, request, context, null), { chargebackId }),
    () => translator(staffLanguage(user, request))("chargebacks.notFound", { id: chargebackId }),
  );
  return json({ chargeback, today: new Date().toISOString().slice(0, 10) });
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
  const { t } = useTranslation();
  const format = useFormat();
  const money = (amount: string) => format.money(amount, c.currency);
  return (
    <Stack gap="md" maw={1200}>
      <DetailHeader
        back={{ to: "/chargebacks", label: t("chargebacks.detail.back") }}
        title={t("chargebacks.detail.title", { id: c.chargebackId })}
        badge={<ChargebackStatusBadge status={c.status} />}
      >
        {/* Mounted while open (hidden after), so the answer that decided it still shows. */}
        {mayManage ? (
          <Group gap="xs" wrap="wrap">
            <ActionModal
              label={t("chargebacks.detail.evidence")}
              title={t("chargebacks.detail.evidenceTitle", { id: c.chargebackId })}
              intent="evidence"
              reason="optional"
              confirmLabel={t("chargebacks.detail.save")}
              buttonProps={{ variant: "default", display: open ? undefined : "none", "data-testid": "evidence" }}
              fields={(errors) => (
                <>
                  <DueDateAndNotesFields
                    errors={errors}
                    dueDateHint={t("chargebacks.detail.dueDateHint")}
                    dueDate={c.dueDate ?? ""}
                    notes={c.notes ?? ""}
                  />
                  <Textarea
                    name="evidence"
                    label={t("chargebacks.detail.evidenceField")}
                    description={t("chargebacks.detail.evidenceHint")}
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
              label={t("chargebacks.detail.decide")}
              title={t("chargebacks.detail.decideTitle", { id: c.chargebackId })}
              intent="decide"
              confirmLabel={t("chargebacks.detail.recordDecision")}
              buttonProps={{ display: open ? undefined : "none", "data-testid": "decide" }}
              description={t("chargebacks.detail.decideText", { amount: money(c.amount) })}
              fields={(errors) => (
                <Radio.Group name="outcome" label={t("chargebacks.detail.outcome")} error={errors.outcome} withAsterisk>
                  <Group mt="xs">
                    <Radio value="WON" label={t("chargebacks.detail.won")} />
                    <Radio value="LOST" label={t("chargebacks.detail.lost")} />
                  </Group>
                </Radio.Group>
              )}
            />
          </Group>
        ) : null}
      </DetailHeader>

      {open && isOverdue(c, today) ? (
        <Alert color="red" title={t("chargebacks.detail.overdue")} role="status">
          {t("chargebacks.detail.overdueText", { day: c.dueDate ? format.day(c.dueDate) : "" })}
        </Alert>
      ) : null}

      <Paper withBorder p="md" radius="md">
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md" verticalSpacing="sm">
          <Field label={t("chargebacks.detail.amount")}>
            <Amount value={c.amount} currency={c.currency} fw={600} />
          </Field>
          <Field label={t("chargebacks.detail.reasonCode")}>{c.reasonCode}</Field>
          <Field label={t("chargebacks.detail.dueDate")}>{c.dueDate ? format.day(c.dueDate) : t("common.dash")}</Field>
          <Field label={t("chargebacks.detail.source")}>
            {c.source === "REPORT"
              ? t("chargebacks.detail.fromReport", { line: c.reportLineId ?? t("common.dash") })
              : t("chargebacks.detail.byStaff")}
          </Field>
          <Field label={t("chargebacks.detail.paymentTransaction")}>
            <Anchor component={Link} to={`/payments/${c.paymentId}`} size="sm">
              {c.paymentId}
            </Anchor>{" "}
            / {c.transactionId}
          </Field>
          <Field label={t("chargebacks.detail.paidWith")}>
            {c.paymentType ?? c.paymentTypeGroup}
            {c.cardNumber ? ` •••• ${c.cardNumber}` : ""}
          </Field>
          <Field label={t("chargebacks.detail.order")}>{c.orderId ?? t("common.dash")}</Field>
          <Field label={t("chargebacks.detail.organisation")}>
            {c.organisationName} ({c.organisationId})
          </Field>
          <Field label={t("chargebacks.detail.customer")}>
            {c.customerNumber ? (
              <Anchor component={Link} to={`/customers/${c.customerNumber}`} size="sm">
                {c.customerNumber}
              </Anchor>
            ) : (
              t("common.dash")
            )}
          </Field>
          <Field label={t("chargebacks.detail.opened")}>
            <DateTime value={c.createdAt} timeZone={user.timeZone} />
            {c.createdBy ? ` ${t("chargebacks.detail.by", { who: c.createdBy })}` : ""}
          </Field>
          <Field label={t("chargebacks.detail.decided")}>
            {c.decidedAt ? (
              <>
                <DateTime value={c.decidedAt} timeZone={user.timeZone} />
                {c.decidedBy ? ` ${t("chargebacks.detail.by", { who: c.decidedBy })}` : ""}
              </>
            ) : (
              t("common.dash")
            )}
          </Field>
          <Field label={t("chargebacks.detail.transactionNow")}>
            <span data-testid="transaction-creditable">
              {t("chargebacks.detail.figures", {
                captured: money(c.transaction.capturedAmount),
                chargedBack: money(c.transaction.chargedBackAmount),
                creditable: money(c.transaction.creditableAmount),
              })}
            </span>
          </Field>
        </SimpleGrid>
        <SummaryNote label={t("chargebacks.detail.decisionReason")} text={c.decisionReason} />
      </Paper>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <TextBlock title={t("chargebacks.detail.notes")} text={c.notes} testId="chargeback-notes" />
        <TextBlock title={t("chargebacks.detail.evidenceField")} text={c.evidence} testId="chargeback-evidence" />
      </SimpleGrid>
    </Stack>
  );
}

function TextBlock({ title, text, testId }: { title: string; text: string | null; testId: string }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" radius="md" data-testid={testId}>
      <Title order={2} size="h5" mb="xs">
        {title}
      </Title>
      <Text size="sm" c={text ? undefined : "dimmed"} style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
        {text ?? t("chargebacks.detail.noneYet")}
      </Text>
    </Paper>
  );
}
