// The work queue: what waits for a person. Credits above the four-eyes threshold wait for a
// staff user other than their creator; provider operations whose outcome is unknown wait for
// the recovery job or a "resolve now" on their payment. Finance and admin act on both; the
// navigation shows them how many there are.
import { Alert, Anchor, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { HeaderCells } from "../components/DataTable";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { userHasPermission } from "../auth/roles";
import { requirePermission } from "../auth/session.server";
import { Amount } from "../components/Amount";
import { CreditRows } from "../components/CreditRows";
import { ageText } from "../components/payment-detail/OperationsInProgress";
import { useStaffUser } from "../components/staff-user";
import { staffCaller } from "../http/staff/action.server";
import { workQueue } from "../services/queries/work-queue.server";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { operationLabel } from "../i18n/labels";
import { metaTitle } from "../i18n/meta";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, "work.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "credit:execute");
  const caller = staffCaller(user, request, context, null);
  const queue = await workQueue(caller, {
    executeCredits: true,
    resolveOperations: userHasPermission(user, "payment:resolve"),
  });
  const now = Date.now();
  return json({
    ...queue,
    operations: queue.operations.map((op) => ({
      ...op,
      ageSeconds: Math.max(0, Math.floor((now - op.createdAt.getTime()) / 1000)),
    })),
  });
}

export default function WorkQueueScreen() {
  const queue = useLoaderData<typeof loader>();
  const user = useStaffUser();
  const { t } = useTranslation();
  const nothing =
    queue.creditsForYou.length === 0 && queue.yourCreditsWaiting.length === 0 && queue.operationCount === 0;
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        {t("work.title")}
      </Title>
      {nothing ? (
        <Alert color="green" role="status" title={t("work.nothingTitle")}>
          {t("work.nothing")}
        </Alert>
      ) : null}

      <Stack gap="xs" component="section" aria-labelledby="credits-for-you">
        <Title order={2} size="h4" id="credits-for-you">
          {t("work.creditsForYou", { n: queue.creditsForYou.length })}
        </Title>
        <Text size="sm" c="dimmed">
          {t("work.creditsForYouHint")}
        </Text>
        {queue.creditsForYou.length ? (
          <CreditTable credits={queue.creditsForYou} timeZone={user.timeZone} testId="credits-for-you" />
        ) : (
          <Text size="sm">{t("work.none")}</Text>
        )}
      </Stack>

      {queue.yourCreditsWaiting.length ? (
        <Stack gap="xs" component="section" aria-labelledby="your-credits">
          <Title order={2} size="h4" id="your-credits">
            {t("work.yourCredits", { n: queue.yourCreditsWaiting.length })}
          </Title>
          <CreditTable credits={queue.yourCreditsWaiting} timeZone={user.timeZone} testId="your-credits" />
        </Stack>
      ) : null}

      {userHasPermission(user, "payment:resolve") ? (
        <Stack gap="xs" component="section" aria-labelledby="operations">
          <Title order={2} size="h4" id="operations">
            {t("work.operations", { n: queue.operationCount })}
          </Title>
          <Text size="sm" c="dimmed">
            {t("work.operationsHint")}
          </Text>
          {queue.operations.length ? (
            <Paper withBorder style={{ overflowX: "auto" }} tabIndex={0} aria-label={t("work.operationsLabel")}>
              <Table verticalSpacing="xs" data-testid="operations-in-progress">
                <Table.Thead>
                  <Table.Tr>
                    <HeaderCells
                      columns={["operation", "payment", "askedBy", "waitingFor", "asks"] as const}
                      label={(column) => t(`work.col.${column}`)}
                      props={{ asks: { ta: "right" } }}
                    />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {queue.operations.map((op) => (
                    <Table.Tr key={op.operationId}>
                      <Table.Td>
                        {operationKind(t, op.kind)} {op.operationId}
                      </Table.Td>
                      <Table.Td>
                        {op.paymentId !== null ? (
                          <Anchor component={Link} to={`/payments/${op.paymentId}`} size="sm">
                            {op.paymentId}
                            {op.transactionId !== null ? ` / ${op.transactionId}` : ""}
                          </Anchor>
                        ) : (
                          t("common.dash")
                        )}
                      </Table.Td>
                      <Table.Td>{op.claimedBy}</Table.Td>
                      <Table.Td>{ageText(op.ageSeconds)}</Table.Td>
                      <Table.Td ta="right">{op.attempts}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Paper>
          ) : (
            <Text size="sm">{t("work.none")}</Text>
          )}
        </Stack>
      ) : null}
    </Stack>
  );
}

type QueueCredit = ReturnType<typeof useLoaderData<typeof loader>>["creditsForYou"][number];

function CreditTable({ credits, timeZone, testId }: { credits: QueueCredit[]; timeZone: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <CreditRows
      credits={credits}
      timeZone={timeZone}
      label={t("credits.title")}
      testId={testId}
      rowTestId="queue-credit"
      before={[
        {
          header: t("credits.detail.col.amount"),
          align: "right",
          cell: (credit) => <Amount value={credit.totalCreditAmount} currency={credit.currency} />,
        },
        { header: t("credits.col.organisation"), cell: (credit) => credit.organisationName },
      ]}
      after={[
        {
          header: t("common.reason"),
          style: { overflowWrap: "anywhere" },
          cell: (credit) => credit.reason ?? t("common.dash"),
        },
      ]}
    />
  );
}

/** A provider operation's kind as the screens name it: English in lower case ("card authorize"), else its label. */
function operationKind(t: TFunction, kind: string): string {
  const label = operationLabel(t, kind);
  return label === kind ? kind.toLowerCase().replaceAll("_", " ") : label.toLowerCase();
}
