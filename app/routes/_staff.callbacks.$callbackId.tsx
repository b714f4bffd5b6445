// One callback: where it goes, what it says (pretty JSON), every delivery attempt, when it is tried
// next, and what staff did to it. Admins resend it or pause / resume its client's target.
import { Anchor, Code, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { userHasPermission } from "../auth/roles";
import { requirePermission } from "../auth/session.server";
import { ActionModal } from "../components/ActionModal";
import { AttemptStatus, CallbackStateBadge, PauseResume } from "../components/callback-parts";
import { DataTable, HeaderCells } from "../components/DataTable";
import { DateTime } from "../components/DateTime";
import { DetailHeader } from "../components/DetailHeader";
import { Field } from "../components/Field";
import { CorrelationLink, Dash, ListNotice } from "../components/list-parts";
import { useStaffUser } from "../components/staff-user";
import { useFormat } from "../components/use-format";
import { translator } from "../i18n/i18n";
import { staffLanguage } from "../i18n/language.server";
import { metaTitle } from "../i18n/meta";
import { intent, staffAction, staffCaller } from "../http/staff/action.server";
import { foundOr404, idOr404 } from "../http/staff/path-id.server";
import { TARGET_INTENTS } from "../http/staff/callback-intents.server";
import { ResendCallbackForm } from "../http/staff/forms/callbacks";
import { resendCallback } from "../services/callbacks/callbacks.server";
import { getCallbackForStaff } from "../services/queries/callbacks.server";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data
    ? metaTitle(matches, "callbacks.metaTitle", { id: data.callback.id })
    : metaTitle(matches, "callbacks.metaTitleNone");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "callback:read");
  const t = translator(staffLanguage(user, request));
  const callbackId = idOr404(
    params.callbackId,
    t("callbacks.notFound", { id: (params.callbackId ?? "").slice(0, 40) }),
  );
  const callback = await foundOr404(
    getCallbackForStaff(staffCaller(user, request, context, null), { callbackId }),
    () => t("callbacks.notFound", { id: callbackId }),
  );
  return json({ callback });
}

export const action = (args: ActionFunctionArgs) =>
  staffAction(args, {
    resend: intent({
      permission: "callback:manage",
      reason: "required",
      schema: ResendCallbackForm,
      run: async ({ input, caller, t }) => {
        const { callbackId, paused } = await resendCallback(caller, input);
        return {
          message: paused
            ? t("toasts.callbacks.queuedPaused", { callbackId })
            : t("toasts.callbacks.queued", { callbackId }),
        };
      },
    }),
    ...TARGET_INTENTS,
  });

/** The audit actions a callback's staff history names (callback.resend → callbacks.detail.actions.resend). */
const STAFF_ACTIONS = ["resend", "pause", "resume"] as const;

export default function CallbackDetail() {
  const { callback } = useLoaderData<typeof loader>();
  const user = useStaffUser();
  const mayManage = userHasPermission(user, "callback:manage");
  const attempts = callback.attemptList;
  const { t } = useTranslation();
  const format = useFormat();
  const actionName = (action: string) => {
    const name = STAFF_ACTIONS.find((known) => action === `callback.${known}`);
    return name ? t(`callbacks.detail.actions.${name}`) : action;
  };

  return (
    <Stack gap="md" maw={1200}>
      <DetailHeader
        back={{ to: "/callbacks", label: t("callbacks.detail.back") }}
        title={t("callbacks.detail.title", { id: callback.id })}
        badge={<CallbackStateBadge state={callback.state} />}
      >
        {mayManage ? (
          <Group gap="xs" wrap="wrap">
            <ActionModal
              label={t("callbacks.detail.resend")}
              title={t("callbacks.detail.resendTitle", { id: callback.id })}
              intent="resend"
              hidden={{ callbackId: callback.id }}
              buttonProps={{ variant: "light", "data-testid": "resend-callback" }}
              description={
                callback.state === "DELIVERED"
                  ? t("callbacks.detail.resendDelivered")
                  : callback.state === "PAUSED"
                    ? t("callbacks.detail.resendPaused")
                    : t("callbacks.detail.resendOther")
              }
            />
            {callback.clientId && callback.target ? (
              <PauseResume clientId={callback.clientId} target={callback.target} paused={!!callback.pause} />
            ) : null}
          </Group>
        ) : null}
      </DetailHeader>

      <Paper withBorder p="md" radius="md">
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md" verticalSpacing="sm">
          <Field label={t("callbacks.detail.client")}>
            {callback.clientId ? (
              <>
                {callback.clientName ?? callback.clientId}{" "}
                <Text span size="xs" c="dimmed" ff="monospace">
                  {callback.clientId}
                </Text>
              </>
            ) : (
              "—"
            )}
          </Field>
          <Field label={t("callbacks.detail.targetUrl")}>
            <Text span size="sm" ff="monospace" data-testid="callback-url">
              {callback.url}
            </Text>
          </Field>
          <Field label={t("callbacks.detail.paymentTransaction")}>
            {callback.paymentId ? (
              <Anchor component={Link} to={`/payments/${callback.paymentId}`} size="sm">
                {callback.paymentId} / {callback.transactionId ?? "—"}
              </Anchor>
            ) : (
              "—"
            )}
          </Field>
          <Field label={t("callbacks.detail.correlationId")}>
            {callback.correlationId ? <CorrelationLink id={callback.correlationId} size="sm" /> : "—"}
          </Field>
          <Field label={t("callbacks.detail.created")}>
            <DateTime value={callback.createdAt} timeZone={user.timeZone} />
          </Field>
          <Field label={t("callbacks.detail.attempts")}>{format.count(callback.attempts)}</Field>
          <Field label={t("callbacks.detail.delivered")}>
            {callback.deliveredAt ? (
              <DateTime value={callback.deliveredAt} timeZone={user.timeZone} />
            ) : (
              t("callbacks.detail.notYet")
            )}
          </Field>
          <Field label={t("callbacks.detail.nextAttempt")}>
            {callback.nextAttemptAt ? (
              <span data-testid="next-attempt">
                <DateTime value={callback.nextAttemptAt} timeZone={user.timeZone} />
              </span>
            ) : callback.state === "PAUSED" ? (
              t("callbacks.detail.afterResume")
            ) : (
              t("callbacks.detail.none")
            )}
          </Field>
        </SimpleGrid>
        {callback.pause ? (
          <Text size="sm" mt="sm" c="yellow.9" data-testid="pause-note">
            {t("callbacks.detail.pauseNote", { target: callback.target })}{" "}
            <DateTime value={callback.pause.pausedAt} timeZone={user.timeZone} />{" "}
            {t("callbacks.detail.pauseNoteBy", { who: callback.pause.pausedBy, reason: callback.pause.reason })}
          </Text>
        ) : null}
      </Paper>

      <Title order={2} size="h4">
        {t("callbacks.detail.attemptsTitle")}
      </Title>
      {attempts.length === 0 ? (
        <ListNotice title={t("callbacks.detail.notTried")}>{t("callbacks.detail.notTriedText")}</ListNotice>
      ) : (
        <DataTable
          label={t("callbacks.detail.attemptsLabel")}
          minWidth={640}
          alignTop
          head={
            <HeaderCells
              columns={["number", "time", "answer", "latency", "error"] as const}
              label={(column) => t(`callbacks.detail.col.${column}`)}
              props={{ answer: { miw: 110 }, latency: { ta: "right" } }}
            />
          }
        >
          {attempts.map((attempt, index) => (
            <Table.Tr key={attempt.id} data-testid="callback-attempt">
              <Table.Td>{index + 1}</Table.Td>
              <Table.Td style={{ whiteSpace: "nowrap" }}>
                <DateTime value={attempt.attemptedAt} timeZone={user.timeZone} />
              </Table.Td>
              <Table.Td>
                <AttemptStatus statusCode={attempt.statusCode} delivered={attempt.delivered} />
              </Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: "nowrap" }}>
                {t("callbacks.detail.latency", { n: format.count(attempt.latencyMs) })}
              </Table.Td>
              <Table.Td>
                {attempt.error ? (
                  <Text size="xs" style={{ overflowWrap: "anywhere" }}>
                    {attempt.error}
                  </Text>
                ) : (
                  <Dash />
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </DataTable>
      )}

      <Title order={2} size="h4">
        {t("callbacks.detail.payload")}
      </Title>
      <Code block data-testid="callback-payload" tabIndex={0} style={{ overflowX: "auto" }}>
        {JSON.stringify(callback.payload, null, 2)}
      </Code>

      {callback.staffActions.length > 0 ? (
        <>
          <Title order={2} size="h4">
            {t("callbacks.detail.staffActions")}
          </Title>
          <Stack gap={4}>
            {callback.staffActions.map((entry, index) => (
              <Text key={index} size="sm" data-testid="callback-staff-action">
                <DateTime value={entry.at} timeZone={user.timeZone} /> · {actionName(entry.action)}{" "}
                {t("callbacks.detail.by", { who: entry.actorEmail })}
                {entry.reason ? `: ${entry.reason}` : ""}
              </Text>
            ))}
          </Stack>
        </>
      ) : null}
    </Stack>
  );
}
