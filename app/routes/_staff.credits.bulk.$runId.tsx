// The report of a bulk credit run (docs/decisions/041): what became of each selected payment —
// credited (created and executed), waiting for a second person, created and waiting for finance,
// refused with the reason, or skipped — with links to the payments and credits. The confirm of a
// bulk credit on the payments list lands here; reloading it only reads.
import { Anchor, Group, Paper, SimpleGrid, Stack, Table, Text } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/session.server";
import { Amount } from "../components/Amount";
import { DataTable } from "../components/DataTable";
import { DateTime } from "../components/DateTime";
import { formatCount } from "../components/format";
import { Dash, PageHeader } from "../components/list-parts";
import { useStaffUser } from "../components/staff-user";
import { DomainError } from "../domain/errors";
import { formatAmount } from "../domain/money";
import { staffCaller } from "../http/staff/action.server";
import { getBulkCreditRun } from "../services/credits/bulk-credits.server";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction = () => [{ title: "Bulk credit · Paydesk" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "credit:read");
  const runId = params.runId ?? "";
  try {
    const run = await getBulkCreditRun(staffCaller(user, request, context, null), { runId });
    return json({
      ...run,
      items: run.items.map((item) => ({ ...item, amount: item.amount === null ? null : formatAmount(item.amount) })),
    });
  } catch (error) {
    if (error instanceof DomainError && error.kind === "not_found") {
      throw new Response("There is no such bulk credit.", { status: 404, statusText: "Not Found" });
    }
    throw error;
  }
}

/** Each outcome in words, in the order the summary lists them. */
const OUTCOMES = {
  executed: { label: "Credited", color: "green" },
  awaiting_second_person: { label: "Awaiting a second person", color: "orange" },
  created: { label: "Created, awaiting execution", color: "blue" },
  execution_failed: { label: "Execution failed", color: "red" },
  refused: { label: "Refused", color: "red" },
  skipped: { label: "Skipped", color: "gray" },
} as const;

export default function BulkCreditReport() {
  const run = useLoaderData<typeof loader>();
  const user = useStaffUser();
  const counts = Object.entries(OUTCOMES)
    .map(([outcome, look]) => ({ outcome, ...look, count: run.items.filter((i) => i.outcome === outcome).length }))
    .filter((entry) => entry.count > 0);
  return (
    <Stack gap="md">
      <PageHeader
        title="Bulk credit"
        description={
          <Text size="sm" c="dimmed">
            {run.amountRule === "full" ? "Everything creditable" : `${run.amountRule} % of what is creditable`} of{" "}
            {formatCount(run.items.length)} selected {run.items.length === 1 ? "payment" : "payments"}, by{" "}
            {run.staffEmail ?? run.staffUserId}, <DateTime value={run.createdAt} timeZone={user.timeZone} />
            {run.finishedAt ? null : " — still running or interrupted; reload to see the rest"}
          </Text>
        }
      >
        <Anchor component={Link} to="/credits" size="sm">
          All credits
        </Anchor>
      </PageHeader>
      <Paper withBorder p="sm" radius="sm">
        <Text size="sm">
          <Text span fw={500}>
            Reason:
          </Text>{" "}
          {run.reason}
        </Text>
      </Paper>
      <SimpleGrid cols={{ base: 2, sm: 3, md: 6 }} spacing="sm" aria-label="Outcomes">
        {counts.map((entry) => (
          <Paper key={entry.outcome} withBorder p="sm" radius="sm" data-testid={`outcome-${entry.outcome}`}>
            <Text size="xl" fw={600}>
              {formatCount(entry.count)}
            </Text>
            <Text size="sm" c="dimmed">
              {entry.label}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      <DataTable
        minWidth={760}
        head={
          <>
            <Table.Th>Payment</Table.Th>
            <Table.Th>Outcome</Table.Th>
            <Table.Th>Credit</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
            <Table.Th>Why</Table.Th>
          </>
        }
      >
        {run.items.map((item) => {
          const look = OUTCOMES[item.outcome];
          return (
            <Table.Tr key={item.paymentId} data-testid={`report-${item.paymentId}`} data-outcome={item.outcome}>
              <Table.Td>
                <Anchor component={Link} to={`/payments/${item.paymentId}`} size="sm">
                  {item.paymentId}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Text size="sm" fw={600} c={`${look.color}.8`} style={{ whiteSpace: "nowrap" }}>
                  {look.label}
                </Text>
              </Table.Td>
              <Table.Td>
                {item.creditId === null ? (
                  <Dash />
                ) : (
                  <Anchor component={Link} to={`/credits/${item.creditId}`} size="sm">
                    Credit {item.creditId}
                  </Anchor>
                )}
              </Table.Td>
              <Table.Td ta="right">
                {item.amount !== null && item.currency !== null ? (
                  <Amount value={item.amount} currency={item.currency} />
                ) : (
                  <Dash />
                )}
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  <Text size="sm" c={item.outcome === "refused" ? "red" : "dimmed"}>
                    {item.message ?? ""}
                  </Text>
                </Group>
              </Table.Td>
            </Table.Tr>
          );
        })}
      </DataTable>
    </Stack>
  );
}
