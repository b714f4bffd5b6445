// Operation log: every operation across payments, newest first, filterable by operation, time,
// client, POS, channel, correlation id, payment and transaction. Keyset pages (`older=` /
// `newer=` a row's place) and a count that stops at 10,000, so it stays fast on millions of rows
// (app/services/queries/operation-log.server.ts). The URL is the whole state.
import { Anchor, Group, Stack, Table, Text, Tooltip } from "@mantine/core";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requirePermission } from "../auth/session.server";
import { userHasPermission } from "../auth/roles";
import { ViewsMenu } from "../components/SavedViews";
import { CsvExportButton, exportHrefOf } from "../components/CsvExportButton";
import { resolveViews, savedViewIntents } from "../http/staff/saved-views.server";
import { DataTable } from "../components/DataTable";
import { DayFilterPicker } from "../components/DayFilterPicker";
import { FilterBuilder } from "../components/FilterBuilder";
import { KeysetEmpty, KeysetPageLinks } from "../components/keyset-list";
import { Dash, FixTheFilter, PageHeader, UnknownParameters } from "../components/list-parts";
import { useHrefWith } from "../components/url-state";
import { staffArea } from "../components/staff-areas";
import { useStaffUser } from "../components/staff-user";
import listScreenStyles from "../components/list-screen.css";
import { readDayRange } from "../domain/zoned-day-range";
import { formatCount } from "../components/format";
import { filterFieldsOf, readListFilters, readPaging } from "../http/staff/list-query.server";
import { staffAction, staffCaller } from "../http/staff/action.server";
import {
  cursorFromParam,
  cursorToParam,
  MAX_PER_PAGE,
  OPERATION_LOG_FIELDS,
  searchOperationLog,
  type OperationLogQuery,
} from "../services/queries/operation-log.server";
import { OperationCells, OperationHeads } from "../components/OperationCells";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

const AREA = staffArea("/operation-log");

export const meta: MetaFunction = () => [{ title: `${AREA.label} · Paydesk` }];

export const links: LinksFunction = () => [{ rel: "stylesheet", href: listScreenStyles }];

const DEFAULT_PER_PAGE = 50;
const PER_PAGE_CHOICES = ["50", "100", "200"];
const OWN_PARAMS = ["from", "to", "older", "newer"] as const;

// A function: the filter spec is server-only, so this runs in the loader, never in the browser.
const filterFields = () =>
  filterFieldsOf(
    OPERATION_LOG_FIELDS,
    {
      operation: "Operation",
      correlationId: "Correlation id",
      clientName: "Client name",
      pos: "POS",
      distributionChannel: "Distribution channel",
      paymentId: "Payment id",
      transactionId: "Transaction id",
      actor: "Actor (client id or staff email)",
      createdAt: "Time",
    },
    { clientName: "entur-web", pos: "TVM-0042", distributionChannel: "web", actor: "support@paydesk.test" },
  );

export async function action(args: ActionFunctionArgs) {
  return staffAction(args, savedViewIntents("operation-log"));
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "log:read");
  const caller = staffCaller(user, request, context, null);
  const { params, state: views } = await resolveViews("operation-log", request, caller);
  const { filters, fieldErrors, otherErrors } = readListFilters(params, OPERATION_LOG_FIELDS, OWN_PARAMS);
  const range = readDayRange(params, user.timeZone);
  const { perPage } = readPaging(params, { perPage: DEFAULT_PER_PAGE, maxPerPage: MAX_PER_PAGE });
  const errors = { filters: fieldErrors, other: otherErrors, range: range.ok ? undefined : range.message };
  if (!range.ok || Object.keys(fieldErrors).length > 0 || otherErrors.length > 0) {
    return json({ fields: filterFields(), errors, log: null, views }, { status: 400 });
  }
  // A cursor that is not one of ours (hand-edited) shows the newest rows, like a bad page number.
  const older = cursorFromParam(params.get("older") ?? "");
  const newer = cursorFromParam(params.get("newer") ?? "");
  const cursor: OperationLogQuery["cursor"] = older
    ? { direction: "older", from: older }
    : newer
      ? { direction: "newer", from: newer }
      : null;
  const page = await searchOperationLog(caller, {
    filters,
    created: range.bounds,
    cursor,
    perPage,
  });
  return json({
    fields: filterFields(),
    errors: null,
    log: {
      ...page,
      older: page.older && cursorToParam(page.older),
      newer: page.newer && cursorToParam(page.newer),
      atNewest: cursor === null,
    },
    views,
  });
}

export default function OperationLog() {
  const { fields, errors, log, views } = useLoaderData<typeof loader>();
  const user = useStaffUser();
  const [params] = useSearchParams();
  const hrefWith = useHrefWith();
  const filtered = fields.some((field) => params.has(field.name)) || !!params.get("from") || !!params.get("to");
  const perPage = log?.perPage ?? DEFAULT_PER_PAGE;

  return (
    <Stack gap="md" className="list-screen">
      <PageHeader title="Operation log" description="Every successful operation on every payment, newest first.">
        <Group gap="xs" wrap="wrap">
          <ViewsMenu state={views} />
          <CsvExportButton
            href={exportHrefOf("/operation-log/export.csv", params.toString(), ["older", "newer"])}
            filename="operation-log.csv"
            allowed={userHasPermission(user, "export:csv")}
            disabled={log === null}
          />
        </Group>
      </PageHeader>

      <Group align="flex-start" gap="sm" wrap="wrap">
        <DayFilterPicker timeZone={user.timeZone} error={errors?.range} label="Day" />
      </Group>
      <FilterBuilder fields={fields} errors={errors?.filters} label="Operation log filters" />

      <UnknownParameters listName="operation log" messages={errors?.other ?? []} resetTo="/operation-log" />

      {log === null ? (
        <FixTheFilter what="operations" />
      ) : log.items.length === 0 ? (
        <KeysetEmpty
          atNewest={log.atNewest}
          filtered={filtered}
          noun="operations"
          clearTo="/operation-log"
          empty="Operations are logged as API clients and staff create, authorize, capture, cancel and credit payments."
        />
      ) : (
        <>
          <Group justify="space-between" align="center" wrap="wrap" gap="sm">
            <Text size="sm" aria-live="polite" data-testid="operation-count">
              {log.matching.moreThan
                ? `More than ${formatCount(log.matching.count)} operations match`
                : `${formatCount(log.matching.count)} ${log.matching.count === 1 ? "operation matches" : "operations match"}`}
            </Text>
            <KeysetPageLinks
              place={log}
              perPage={perPage}
              choices={PER_PAGE_CHOICES}
              defaultPerPage={DEFAULT_PER_PAGE}
            />
          </Group>
          <OperationTable
            items={log.items}
            correlationHref={(id) => hrefWith({ correlationId: id, older: null, newer: null })}
          />
        </>
      )}
    </Stack>
  );
}

type Entry = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["log"]>["items"][number];

function OperationTable({ items, correlationHref }: { items: Entry[]; correlationHref: (id: string) => string }) {
  const user = useStaffUser();
  return (
    <DataTable
      label="Operation log"
      minWidth={1060}
      maxHeight="var(--list-table-max-height)"
      horizontalSpacing="xs"
      head={
        <>
          <OperationHeads />
          <Table.Th>Transaction</Table.Th>
          <Table.Th>Client</Table.Th>
          <Table.Th style={{ whiteSpace: "nowrap" }}>POS / channel</Table.Th>
          <Table.Th>Actor</Table.Th>
          <Table.Th>Correlation id</Table.Th>
        </>
      }
    >
      {items.map((entry) => (
        <Table.Tr key={entry.id}>
          <OperationCells entry={entry} timeZone={user.timeZone} />
          <Table.Td style={{ whiteSpace: "nowrap" }}>
            {entry.transactionId}{" "}
            <Text span size="xs" c="dimmed">
              {entry.paymentType ?? entry.paymentTypeGroup}
            </Text>
          </Table.Td>
          <Table.Td style={{ whiteSpace: "nowrap" }}>{entry.clientName ?? <Dash />}</Table.Td>
          {/* One column for both keeps the correlation id in view at 1440 px. */}
          <Table.Td style={{ whiteSpace: "nowrap" }}>
            {entry.pos === null && entry.distributionChannel === null ? (
              <Dash />
            ) : (
              <>
                <Text size="sm">{entry.pos ?? <Dash />}</Text>
                <Text size="xs" c="dimmed">
                  {entry.distributionChannel ?? "no channel"}
                </Text>
              </>
            )}
          </Table.Td>
          <Table.Td>
            <Text size="sm" truncate maw={120} title={`${entry.actorType}: ${entry.actor}`}>
              {entry.actor}
            </Text>
          </Table.Td>
          <Table.Td>
            <Tooltip label="Show every operation of this request" withArrow openDelay={300}>
              <Anchor
                component={Link}
                to={correlationHref(entry.correlationId)}
                size="xs"
                ff="monospace"
                display="block"
                truncate
                maw={110}
                title={entry.correlationId}
              >
                {entry.correlationId}
              </Anchor>
            </Tooltip>
          </Table.Td>
        </Table.Tr>
      ))}
    </DataTable>
  );
}
