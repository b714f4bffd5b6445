// One callback: where it goes, what it says (pretty JSON), every delivery attempt, when it is tried
// next, and what staff did to it. Admins resend it or pause / resume its client's target.
import { Anchor, Code, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { userHasPermission } from "../auth/roles";
import { requirePermission } from "../auth/session.server";
import { ActionModal } from "../components/ActionModal";
import { AttemptStatus, CallbackStateBadge, PauseResume } from "../components/callback-parts";
import { DataTable } from "../components/DataTable";
import { DateTime } from "../components/DateTime";
import { Field } from "../components/Field";
import { Dash, ListNotice } from "../components/list-parts";
import { useStaffUser } from "../components/staff-user";
import { DomainError } from "../domain/errors";
import { intent, staffAction, staffCaller } from "../http/staff/action.server";
import { TARGET_INTENTS } from "../http/staff/callback-intents.server";
import { ResendCallbackForm } from "../http/staff/forms/callbacks";
import { resendCallback } from "../services/callbacks/callbacks.server";
import { getCallbackForStaff } from "../services/queries/callbacks.server";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Callback ${data.callback.id} · Paydesk` : "Callback · Paydesk" },
];

function callbackIdOf(params: { callbackId?: string }): number {
  const raw = params.callbackId ?? "";
  if (!/^[1-9][0-9]{0,15}$/.test(raw) || !Number.isSafeInteger(Number(raw)))
    throw new Response(`There is no callback ${raw.slice(0, 40)}.`, { status: 404, statusText: "Not Found" });
  return Number(raw);
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "callback:read");
  const callbackId = callbackIdOf(params);
  try {
    return json({ callback: await getCallbackForStaff(staffCaller(user, request, context, null), { callbackId }) });
  } catch (error) {
    if (error instanceof DomainError && error.kind === "not_found")
      throw new Response(`There is no callback ${callbackId}.`, { status: 404, statusText: "Not Found" });
    throw error;
  }
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

const ACTION_NAMES: Record<string, string> = {
  "callback.resend": "Resent",
  "callback.pause": "Target paused",
  "callback.resume": "Target resumed",
};

export default function CallbackDetail() {
  const { callback } = useLoaderData<typeof loader>();
  const user = useStaffUser();
  const mayManage = userHasPermission(user, "callback:manage");
  const attempts = callback.attemptList;

  return (
    <Stack gap="md" maw={1200}>
      <Anchor component={Link} to="/callbacks" size="sm">
        ← All callbacks
      </Anchor>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Group gap="sm" align="center">
          <Title order={1} size="h2">
            Callback {callback.id}
          </Title>
          <CallbackStateBadge state={callback.state} />
        </Group>
        {mayManage ? (
          <Group gap="xs" wrap="wrap">
            <ActionModal
              label="Resend"
              title={`Resend callback ${callback.id}`}
              intent="resend"
              hidden={{ callbackId: callback.id }}
              buttonProps={{ variant: "light", "data-testid": "resend-callback" }}
              description={
                callback.state === "DELIVERED"
                  ? "It was delivered; it is posted again at once and tried until the receiver answers 202 again."
                  : callback.state === "PAUSED"
                    ? "Its target is paused: it is queued, and goes out once delivery is resumed."
                    : "It is posted again at once instead of at its next retry."
              }
            />
            {callback.clientId && callback.target ? (
              <PauseResume clientId={callback.clientId} target={callback.target} paused={!!callback.pause} />
            ) : null}
          </Group>
        ) : null}
      </Group>

      <Paper withBorder p="md" radius="md">
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md" verticalSpacing="sm">
          <Field label="API client">
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
          <Field label="Target URL">
            <Text span size="sm" ff="monospace" data-testid="callback-url">
              {callback.url}
            </Text>
          </Field>
          <Field label="Payment / transaction">
            {callback.paymentId ? (
              <Anchor component={Link} to={`/payments/${callback.paymentId}`} size="sm">
                {callback.paymentId} / {callback.transactionId ?? "—"}
              </Anchor>
            ) : (
              "—"
            )}
          </Field>
          <Field label="Correlation id">
            {callback.correlationId ? (
              <Anchor
                component={Link}
                to={`/operation-log?correlationId=${encodeURIComponent(callback.correlationId)}`}
                size="sm"
                ff="monospace"
              >
                {callback.correlationId}
              </Anchor>
            ) : (
              "—"
            )}
          </Field>
          <Field label="Created">
            <DateTime value={callback.createdAt} timeZone={user.timeZone} />
          </Field>
          <Field label="Attempts">{callback.attempts}</Field>
          <Field label="Delivered">
            {callback.deliveredAt ? <DateTime value={callback.deliveredAt} timeZone={user.timeZone} /> : "not yet"}
          </Field>
          <Field label="Next attempt">
            {callback.nextAttemptAt ? (
              <span data-testid="next-attempt">
                <DateTime value={callback.nextAttemptAt} timeZone={user.timeZone} />
              </span>
            ) : callback.state === "PAUSED" ? (
              "after delivery is resumed"
            ) : (
              "none"
            )}
          </Field>
        </SimpleGrid>
        {callback.pause ? (
          <Text size="sm" mt="sm" c="yellow.9" data-testid="pause-note">
            Delivery to {callback.target} for this client is paused since{" "}
            <DateTime value={callback.pause.pausedAt} timeZone={user.timeZone} /> by {callback.pause.pausedBy}:{" "}
            {callback.pause.reason}
          </Text>
        ) : null}
      </Paper>

      <Title order={2} size="h4">
        Attempts
      </Title>
      {attempts.length === 0 ? (
        <ListNotice title="Not tried yet">
          The delivery job posts it within a second or two of being queued, unless its target is paused.
        </ListNotice>
      ) : (
        <DataTable
          label="Delivery attempts"
          minWidth={640}
          alignTop
          head={
            <>
              <Table.Th>#</Table.Th>
              <Table.Th>Time</Table.Th>
              <Table.Th miw={110}>Answer</Table.Th>
              <Table.Th ta="right">Latency</Table.Th>
              <Table.Th>Error</Table.Th>
            </>
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
                {attempt.latencyMs.toLocaleString("en")} ms
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
        Payload
      </Title>
      <Code block data-testid="callback-payload" style={{ overflowX: "auto" }}>
        {JSON.stringify(callback.payload, null, 2)}
      </Code>

      {callback.staffActions.length > 0 ? (
        <>
          <Title order={2} size="h4">
            Staff actions
          </Title>
          <Stack gap={4}>
            {callback.staffActions.map((entry, index) => (
              <Text key={index} size="sm" data-testid="callback-staff-action">
                <DateTime value={entry.at} timeZone={user.timeZone} /> · {ACTION_NAMES[entry.action] ?? entry.action} by{" "}
                {entry.actorEmail}
                {entry.reason ? `: ${entry.reason}` : ""}
              </Text>
            ))}
          </Stack>
        </>
      ) : null}
    </Stack>
  );
}
