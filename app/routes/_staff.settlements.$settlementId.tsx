// One settlement: what the rollup says per UTC day and currency, and the operations behind it
// (the CAPTURE, IMPORT and CREDIT entries of its payments), for one day (?day=) or all days,
// paginated, with a CSV export of the same operations.
import { Anchor, Breadcrumbs, Button, Group, Paper, Stack, Table, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ChargebacksSection } from "../components/ChargebackParts";
import { chargebacksOfSettlement } from "../services/queries/chargebacks.server";
import { userHasPermission } from "../auth/roles";
import { requirePermission } from "../auth/session.server";
import { DataTable, HeadedTable, HeaderCells } from "../components/DataTable";
import { CountAndPageLinks } from "../components/PageLinks";
import { VolumeCells, VolumeHeads } from "../components/VolumeCells";
import { useStaffUser } from "../components/staff-user";
import { isDay } from "../domain/day-range";
import type { FieldError } from "../domain/errors";
import { useFormat } from "../components/use-format";
import { translator } from "../i18n/i18n";
import { staffLanguage } from "../i18n/language.server";
import { metaTitle } from "../i18n/meta";
import { positiveInt } from "../components/url-state";
import { staffCaller } from "../http/staff/action.server";
import { getSettlementSummary, listSettlementOperations, MAX_PER_PAGE } from "../services/queries/settlements.server";
import { OperationCells, OperationHeads } from "../components/OperationCells";
import { isReconciled } from "../services/queries/reconciliation.server";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data
    ? metaTitle(matches, "settlements.metaTitle", { id: data.settlementId })
    : metaTitle(matches, "settlements.title");

const DEFAULT_PER_PAGE = 50;
const PER_PAGE_CHOICES = [25, 50, 100];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "settlement:read");
  const caller = staffCaller(user, request, context, null);
  const settlementId = params.settlementId ?? "";
  const search = new URL(request.url).searchParams;
  const t = translator(staffLanguage(user, request));
  const errors: FieldError[] = [];
  let day = search.get("day")?.trim() || null;
  if (day !== null && !isDay(day)) {
    errors.push({ field: "day", message: t("settlements.detail.badDay") });
    day = null;
  }
  const summary = await getSettlementSummary(caller, { settlementId });
  if (summary.length === 0) {
    throw new Response(t("settlements.notFound", { id: settlementId }), {
      status: 404,
      statusText: "Not Found",
    });
  }
  const page = positiveInt(search.get("page")) ?? 1;
  const perPage = Math.min(MAX_PER_PAGE, positiveInt(search.get("perPage")) ?? DEFAULT_PER_PAGE);
  const [operations, chargebacks, reconciled] = await Promise.all([
    listSettlementOperations(caller, { settlementId, day, page, perPage }),
    userHasPermission(user, "chargeback:read") ? chargebacksOfSettlement(caller, { settlementId }) : null,
    isReconciled(settlementId),
  ]);
  return json({
    settlementId,
    day,
    errors,
    summary,
    operations,
    chargebacks,
    reconciled,
    today: new Date().toISOString().slice(0, 10),
  });
}

export default function SettlementDetail() {
  const { settlementId, day, errors, summary, operations, chargebacks, reconciled, today } =
    useLoaderData<typeof loader>();
  const user = useStaffUser();
  const { t } = useTranslation();
  const { count: formatCount, day: formatDay } = useFormat();
  const mayExport = userHasPermission(user, "export:csv");
  const base = `/settlements/${encodeURIComponent(settlementId)}`;
  const csv = `${base}/export.csv${day ? `?day=${day}` : ""}`;
  const { items, total, page, perPage, pageCount } = operations;
  const first = (page - 1) * perPage + 1;
  const last = first + items.length - 1;
  const operationCount = t("settlements.operations", { count: total, n: formatCount(total) });

  return (
    <Stack gap="md" maw={1400}>
      <Breadcrumbs>
        <Anchor component={Link} to="/settlements" size="sm">
          {t("settlements.title")}
        </Anchor>
        <Text size="sm" style={{ overflowWrap: "anywhere" }}>
          {settlementId}
        </Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <div style={{ minWidth: 0 }}>
          <Title order={1} size="h2" style={{ overflowWrap: "anywhere" }}>
            {settlementId}
          </Title>
          <Text c="dimmed" size="sm">
            {day
              ? t("settlements.detail.operationsOn", { day: formatDay(day) })
              : t("settlements.detail.operationsEvery")}
          </Text>
        </div>
        <Group gap="xs">
          {reconciled ? (
            <Button
              component={Link}
              to={`/reconciliation/${encodeURIComponent(settlementId)}`}
              variant="light"
              size="xs"
              data-testid="settlement-reconciliation"
            >
              {t("settlements.detail.reconciliation")}
            </Button>
          ) : (
            <Text size="xs" c="dimmed">
              {t("settlements.detail.noReport")}
            </Text>
          )}
          {mayExport && total > 0 ? (
            <Button component="a" href={csv} download variant="default" size="xs">
              {t("listTools.csv.exportRows", { count: total, n: formatCount(total) })}
            </Button>
          ) : null}
        </Group>
      </Group>
      {errors.map((error) => (
        <Text key={error.field} c="red" size="sm" role="alert">
          {error.message}
        </Text>
      ))}

      <Paper withBorder radius="md" style={{ overflow: "hidden" }}>
        <Group justify="space-between" p="sm" pb={0}>
          <Title order={2} size="h4">
            {t("settlements.detail.perDay")}
          </Title>
          {day ? (
            <Anchor component={Link} to={base} size="sm">
              {t("settlements.detail.everyDay")}
            </Anchor>
          ) : null}
        </Group>
        <Table.ScrollContainer minWidth={760} maxHeight={280} type="native">
          <HeadedTable
            stickyHeader
            fz="sm"
            verticalSpacing={4}
            horizontalSpacing="sm"
            highlightOnHover
            data-testid="settlement-days"
            head={
              <>
                <Table.Th>{t("settlements.col.day")}</Table.Th>
                <Table.Th>{t("settlements.col.currency")}</Table.Th>
                <VolumeHeads />
              </>
            }
          >
            {summary.map((row) => {
              const selected = row.day === day;
              return (
                <Table.Tr
                  key={`${row.day}/${row.currency}`}
                  bg={selected ? "var(--mantine-primary-color-light)" : undefined}
                  aria-current={selected ? "true" : undefined}
                >
                  <Table.Td style={{ whiteSpace: "nowrap" }}>
                    {selected ? (
                      <Text span fw={600} size="sm">
                        {formatDay(row.day)}
                      </Text>
                    ) : (
                      <Anchor component={Link} to={`${base}?day=${row.day}`} size="sm">
                        {formatDay(row.day)}
                      </Anchor>
                    )}
                  </Table.Td>
                  <Table.Td>{row.currency}</Table.Td>
                  <VolumeCells row={row} />
                </Table.Tr>
              );
            })}
          </HeadedTable>
        </Table.ScrollContainer>
      </Paper>

      {chargebacks?.length ? <ChargebacksSection rows={chargebacks} timeZone={user.timeZone} today={today} /> : null}

      <CountAndPageLinks
        testId="operations-count"
        total={total}
        page={page}
        totalPages={pageCount}
        perPage={{ perPage, perPageChoices: PER_PAGE_CHOICES, defaultPerPage: DEFAULT_PER_PAGE }}
      >
        {total === 0
          ? day
            ? t("settlements.detail.noOperationsOn", { day: formatDay(day) })
            : t("settlements.detail.noOperations")
          : items.length === 0
            ? t("settlements.detail.operationsOnPages", {
                operations: operationCount,
                pages: t("settlements.pages", { count: pageCount, n: formatCount(pageCount) }),
              })
            : t("settlements.detail.showing", {
                first: formatCount(first),
                last: formatCount(last),
                operations: operationCount,
                timeZone: user.timeZone,
              })}
      </CountAndPageLinks>

      {total === 0 ? (
        <Paper withBorder radius="md" p="xl" data-testid="operations-empty">
          <Text fw={600}>
            {day ? t("settlements.detail.nothingOn", { day: formatDay(day) }) : t("settlements.detail.nothing")}
          </Text>
          <Text size="sm" c="dimmed">
            {t("settlements.detail.pickDay")}
          </Text>
        </Paper>
      ) : (
        <DataTable
          label={t("settlements.detail.operationsLabel")}
          minWidth={1000}
          data-testid="operations-table"
          head={
            <>
              <OperationHeads />
              <HeaderCells
                columns={["transaction", "paymentType", "order", "by"] as const}
                label={(column) => t(`settlements.detail.col.${column}`)}
              />
            </>
          }
        >
          {items.map((row) => (
            <Table.Tr key={row.operationId}>
              <OperationCells entry={row} timeZone={user.timeZone} />
              <Table.Td style={{ fontVariantNumeric: "tabular-nums" }}>{row.transactionId}</Table.Td>
              <Table.Td>
                {row.paymentType ?? row.paymentTypeGroup}
                {row.cardNumber ? (
                  <Text span c="dimmed" size="xs">
                    {" "}
                    •••• {row.cardNumber}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>
                {row.orderId ?? (
                  <Text span c="dimmed" size="xs">
                    {t("settlements.detail.none")}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="xs" truncate maw={200}>
                  {row.clientName ?? row.actor}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </DataTable>
      )}
    </Stack>
  );
}
