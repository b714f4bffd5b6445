// The report of a bulk credit run (docs/decisions/041): what became of each selected payment —
// credited (created and executed), waiting for a second person, created and waiting for finance,
// refused with the reason, or skipped — with links to the payments and credits. The confirm of a
// bulk credit on the payments list lands here; reloading it only reads.
import { Anchor, Group, Paper, SimpleGrid, Stack, Table, Text } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/session.server";
import { AmountCell } from "../components/OperationCells";
import { DataTable, HeaderCells } from "../components/DataTable";
import { DateTime } from "../components/DateTime";
import { useFormat } from "../components/use-format";
import { useTranslation } from "react-i18next";
import { metaTitle } from "../i18n/meta";
import { Dash, PageHeader } from "../components/list-parts";
import { useStaffUser } from "../components/staff-user";
import { formatAmount } from "../domain/money";
import { sayIn, staffCaller } from "../http/staff/action.server";
import { staffLanguage } from "../i18n/language.server";
import { foundOr404 } from "../http/staff/path-id.server";
import { getBulkCreditRun } from "../services/credits/bulk-credits.server";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, "credits.bulk.title");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "credit:read");
  const runId = params.runId ?? "";
  const language = staffLanguage(user, request);
  const run = await foundOr404(
    getBulkCreditRun(staffCaller(user, request, context, null), { runId }),
    () => "There is no such bulk credit.",
  );
  return json({
    ...run,
    // English keeps the service's words (they name amounts and thresholds); other languages say
    // the stored key. `say` itself stays on the server.
    items: run.items.map(({ say, ...item }) => ({
      ...item,
      message: say && language !== "en" ? sayIn(language, say) : item.message,
      amount: item.amount === null ? null : formatAmount(item.amount),
    })),
  });
}

/** Each outcome's colour, in the order the summary lists them (its words: credits.bulk.outcome). */
const OUTCOMES = {
  executed: { color: "green" },
  awaiting_second_person: { color: "orange" },
  created: { color: "blue" },
  execution_failed: { color: "red" },
  refused: { color: "red" },
  skipped: { color: "gray" },
} as const;

/** The outcome table's columns, in order, with their names' keys (some shared with other screens). */
const COLUMN_LABELS = {
  payment: "credits.bulk.col.payment",
  outcome: "credits.bulk.col.outcome",
  credit: "credits.col.credit",
  amount: "credits.detail.col.amount",
  why: "credits.bulk.col.why",
} as const;

export default function BulkCreditReport() {
  const run = useLoaderData<typeof loader>();
  const user = useStaffUser();
  const { t } = useTranslation();
  const format = useFormat();
  const outcomeLabel = (outcome: keyof typeof OUTCOMES) => t(`credits.bulk.outcome.${outcome}`);
  const counts = (Object.keys(OUTCOMES) as (keyof typeof OUTCOMES)[])
    .map((outcome) => ({ outcome, count: run.items.filter((i) => i.outcome === outcome).length }))
    .filter((entry) => entry.count > 0);
  const rule =
    run.amountRule === "full"
      ? t("credits.bulk.full")
      : t("credits.bulk.percentage", {
          // From the decimal string, as Intl reads it exactly.
          percentage: new Intl.NumberFormat(format.locale, { maximumFractionDigits: 2 }).format(
            run.amountRule as unknown as number,
          ),
        });
  return (
    <Stack gap="md">
      <PageHeader
        title={t("credits.bulk.title")}
        description={
          <Text size="sm" c="dimmed">
            {t("credits.bulk.summary", {
              rule,
              count: run.items.length,
              n: format.count(run.items.length),
              by: run.staffEmail ?? run.staffUserId,
            })}{" "}
            <DateTime value={run.createdAt} timeZone={user.timeZone} />
            {run.finishedAt ? null : t("credits.bulk.unfinished")}
          </Text>
        }
      >
        <Anchor component={Link} to="/credits" size="sm">
          {t("credits.bulk.allCredits")}
        </Anchor>
      </PageHeader>
      <Paper withBorder p="sm" radius="sm">
        <Text size="sm">
          <Text span fw={500}>
            {t("credits.detail.reason")}
          </Text>{" "}
          {run.reason}
        </Text>
      </Paper>
      <SimpleGrid cols={{ base: 2, sm: 3, md: 6 }} spacing="sm" aria-label={t("credits.bulk.outcomes")}>
        {counts.map((entry) => (
          <Paper key={entry.outcome} withBorder p="sm" radius="sm" data-testid={`outcome-${entry.outcome}`}>
            <Text size="xl" fw={600}>
              {format.count(entry.count)}
            </Text>
            <Text size="sm" c="dimmed">
              {outcomeLabel(entry.outcome)}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      <DataTable
        minWidth={760}
        head={
          <HeaderCells
            columns={Object.keys(COLUMN_LABELS) as Array<keyof typeof COLUMN_LABELS>}
            label={(column) => t(COLUMN_LABELS[column])}
            props={{ amount: { ta: "right" } }}
          />
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
                  {outcomeLabel(item.outcome)}
                </Text>
              </Table.Td>
              <Table.Td>
                {item.creditId === null ? (
                  <Dash />
                ) : (
                  <Anchor component={Link} to={`/credits/${item.creditId}`} size="sm">
                    {t("credits.detail.title", { id: item.creditId })}
                  </Anchor>
                )}
              </Table.Td>
              <AmountCell amount={item.amount} currency={item.currency} />
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
