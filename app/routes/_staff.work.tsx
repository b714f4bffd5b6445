// The work queue: what waits for a person. Credits above the four-eyes threshold wait for a
// staff user other than their creator; provider operations whose outcome is unknown wait for
// the recovery job or a "resolve now" on their payment. Finance and admin act on both; the
// navigation shows them how many there are.
import { Alert, Anchor, Paper, Stack, Table, Text, Title } from "@mantine/core";
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

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction = () => [{ title: "Work queue · Paydesk" }];

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
  const nothing =
    queue.creditsForYou.length === 0 && queue.yourCreditsWaiting.length === 0 && queue.operationCount === 0;
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        Work queue
      </Title>
      {nothing ? (
        <Alert color="green" role="status" title="Nothing waits for you">
          No credit waits for a second staff user and no provider operation is in progress.
        </Alert>
      ) : null}

      <Stack gap="xs" component="section" aria-labelledby="credits-for-you">
        <Title order={2} size="h4" id="credits-for-you">
          Credits waiting for a second staff user ({queue.creditsForYou.length})
        </Title>
        <Text size="sm" c="dimmed">
          Above the four-eyes threshold: their creator may not execute them. Open one to check it and execute it.
        </Text>
        {queue.creditsForYou.length ? (
          <CreditTable credits={queue.creditsForYou} timeZone={user.timeZone} testId="credits-for-you" />
        ) : (
          <Text size="sm">None.</Text>
        )}
      </Stack>

      {queue.yourCreditsWaiting.length ? (
        <Stack gap="xs" component="section" aria-labelledby="your-credits">
          <Title order={2} size="h4" id="your-credits">
            Your credits waiting for someone else ({queue.yourCreditsWaiting.length})
          </Title>
          <CreditTable credits={queue.yourCreditsWaiting} timeZone={user.timeZone} testId="your-credits" />
        </Stack>
      ) : null}

      {userHasPermission(user, "payment:resolve") ? (
        <Stack gap="xs" component="section" aria-labelledby="operations">
          <Title order={2} size="h4" id="operations">
            Provider operations in progress ({queue.operationCount})
          </Title>
          <Text size="sm" c="dimmed">
            The provider has not answered yet. The recovery job asks again by itself; &quot;Resolve now&quot; on the
            payment asks at once.
          </Text>
          {queue.operations.length ? (
            <Paper withBorder style={{ overflowX: "auto" }} tabIndex={0} aria-label="Provider operations in progress">
              <Table verticalSpacing="xs" data-testid="operations-in-progress">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Operation</Table.Th>
                    <Table.Th>Payment</Table.Th>
                    <Table.Th>Asked by</Table.Th>
                    <Table.Th>Waiting for</Table.Th>
                    <Table.Th ta="right">Asks so far</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {queue.operations.map((op) => (
                    <Table.Tr key={op.operationId}>
                      <Table.Td>
                        {op.kind.toLowerCase().replaceAll("_", " ")} {op.operationId}
                      </Table.Td>
                      <Table.Td>
                        {op.paymentId !== null ? (
                          <Anchor component={Link} to={`/payments/${op.paymentId}`} size="sm">
                            {op.paymentId}
                            {op.transactionId !== null ? ` / ${op.transactionId}` : ""}
                          </Anchor>
                        ) : (
                          "—"
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
            <Text size="sm">None.</Text>
          )}
        </Stack>
      ) : null}
    </Stack>
  );
}

type QueueCredit = ReturnType<typeof useLoaderData<typeof loader>>["creditsForYou"][number];

function CreditTable({ credits, timeZone, testId }: { credits: QueueCredit[]; timeZone: string; testId: string }) {
  return (
    <CreditRows
      credits={credits}
      timeZone={timeZone}
      label="Credits"
      testId={testId}
      rowTestId="queue-credit"
      before={[
        {
          header: "Amount",
          align: "right",
          cell: (credit) => <Amount value={credit.totalCreditAmount} currency={credit.currency} />,
        },
        { header: "Organisation", cell: (credit) => credit.organisationName },
      ]}
      after={[{ header: "Reason", style: { overflowWrap: "anywhere" }, cell: (credit) => credit.reason ?? "—" }]}
    />
  );
}
