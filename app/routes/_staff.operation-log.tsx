// Operation log: every operation across payments, newest first, filterable by operation, time,
// client, POS, channel, correlation id, payment and transaction. Keyset pages (`older=` /
// `newer=` a row's place) and a count that stops at 10,000, so it stays fast on millions of rows
// (app/services/queries/operation-log.server.ts). The URL is the whole state.
import { Anchor, Group, Stack, Table, Text, Tooltip } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../auth/session.server";
import { userHasPermission } from "../auth/roles";
import { ViewsMenu } from "../components/SavedViews";
import { CsvExportButton, exportHrefOf } from "../components/CsvExportButton";
import { resolveViews, savedViewIntents } from "../http/staff/saved-views.server";
import { DataTable, HeaderCells } from "../components/DataTable";
import { DayFilterPicker } from "../components/DayFilterPicker";
import { FilterBuilder } from "../components/FilterBuilder";
import { KeysetListBody } from "../components/keyset-list";
import { Dash, PageHeader, UnknownParameters } from "../components/list-parts";
import { useHrefWith } from "../components/url-state";
import { useStaffUser } from "../components/staff-user";
import { readDayRange } from "../domain/zoned-day-range";
import { useFormat } from "../components/use-format";
import { ACTOR_TYPES, type ActorType } from "../domain/enums";
import { translator } from "../i18n/i18n";
import { staffLanguage } from "../i18n/language.server";
import { filterFieldsOf, keysetPlace, readListFilters, readPaging, saidIn } from "../http/staff/list-query.server";
import { staffAction, staffCaller } from "../http/staff/action.server";
import { MAX_PER_PAGE, OPERATION_LOG_FIELDS, searchOperationLog } from "../services/queries/operation-log.server";
import { cursorOfParams, cursorToParam } from "../services/queries/keyset-page.server";
import { OperationCells, OperationHeads } from "../components/OperationCells";
import { listScreenMeta } from "../components/list-screen-route";

export { ErrorBoundary, links } from "../components/list-screen-route";

export const meta = listScreenMeta("operationLog.title");

const DEFAULT_PER_PAGE = 50;
const PER_PAGE_CHOICES = ["50", "100", "200"];
const OWN_PARAMS = ["from", "to", "older", "newer"] as const;

// A function: the filter spec is server-only, so this runs in the loader, never in the browser.
const filterFields = (t: TFunction) =>
  filterFieldsOf(OPERATION_LOG_FIELDS, t("operationLog.filters", { returnObjects: true }), {
    clientName: "entur-web",
    pos: "TVM-0042",
    distributionChannel: "web",
    actor: "support@paydesk.test",
  });

export async function action(args: ActionFunctionArgs) {
  return staffAction(args, savedViewIntents("operation-log"));
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "log:read");
  const caller = staffCaller(user, request, context, null);
  const { params, state: views } = await resolveViews("operation-log", request, caller);
  const language = staffLanguage(user, request);
  const t = translator(language);
  const { filters, fieldErrors, otherErrors } = readListFilters(params, OPERATION_LOG_FIELDS, OWN_PARAMS, language);
  const range = readDayRange(params, user.timeZone);
  const { perPage } = readPaging(params, { perPage: DEFAULT_PER_PAGE, maxPerPage: MAX_PER_PAGE });
  const errors = {
    filters: fieldErrors,
    other: otherErrors,
    range: range.ok ? undefined : saidIn(language, range.message, range.say),
  };
  if (!range.ok || Object.keys(fieldErrors).length > 0 || otherErrors.length > 0) {
    return json({ fields: filterFields(t), errors, log: null, views }, { status: 400 });
  }
  // A cursor that is not one of ours (hand-edited) shows the newest rows, like a bad page number.
  const cursor = cursorOfParams(params);
  const page = await searchOperationLog(caller, {
    filters,
    created: range.bounds,
    cursor,
    perPage,
  });
  return json({
    fields: filterFields(t),
    errors: null,
    log: keysetPlace(page, cursor, cursorToParam),
    views,
  });
}

export default function OperationLog() {
  const { fields, errors, log, views } = useLoaderData<typeof loader>();
  const user = useStaffUser();
  const [params] = useSearchParams();
  const hrefWith = useHrefWith();
  const { t } = useTranslation();
  const { count: formatCount } = useFormat();
  const filtered = fields.some((field) => params.has(field.name)) || !!params.get("from") || !!params.get("to");
  const perPage = log?.perPage ?? DEFAULT_PER_PAGE;

  return (
    <Stack gap="md" className="list-screen">
      <PageHeader title={t("operationLog.title")} description={t("operationLog.description")}>
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
        <DayFilterPicker timeZone={user.timeZone} error={errors?.range} label={t("operationLog.day")} />
      </Group>
      <FilterBuilder fields={fields} errors={errors?.filters} label={t("operationLog.filtersLabel")} />

      <UnknownParameters
        listName={t("operationLog.listName")}
        messages={errors?.other ?? []}
        resetTo="/operation-log"
      />

      <KeysetListBody
        list={log}
        filtered={filtered}
        noun={t("operationLog.noun")}
        clearTo="/operation-log"
        empty={t("operationLog.empty")}
        count={({ matching }) =>
          matching.moreThan
            ? t("operationLog.matchMoreThan", { n: formatCount(matching.count) })
            : t("operationLog.match", { count: matching.count, n: formatCount(matching.count) })
        }
        countTestId="operation-count"
        paging={{ perPage, choices: PER_PAGE_CHOICES, defaultPerPage: DEFAULT_PER_PAGE }}
      >
        {({ items }) => (
          <OperationTable
            items={items}
            correlationHref={(id) => hrefWith({ correlationId: id, older: null, newer: null })}
          />
        )}
      </KeysetListBody>
    </Stack>
  );
}

type Entry = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["log"]>["items"][number];

function OperationTable({ items, correlationHref }: { items: Entry[]; correlationHref: (id: string) => string }) {
  const user = useStaffUser();
  const { t } = useTranslation();
  const actorType = (type: string) =>
    (ACTOR_TYPES as readonly string[]).includes(type) ? t(`operationLog.actorTypes.${type as ActorType}`) : type;
  return (
    <DataTable
      label={t("operationLog.title")}
      minWidth={1060}
      maxHeight="var(--list-table-max-height)"
      horizontalSpacing="xs"
      head={
        <>
          <OperationHeads />
          <HeaderCells
            columns={["transaction", "client", "posChannel", "actor", "correlationId"] as const}
            label={(column) => t(`operationLog.col.${column}`)}
            props={{ posChannel: { style: { whiteSpace: "nowrap" } } }}
          />
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
                  {entry.distributionChannel ?? t("operationLog.noChannel")}
                </Text>
              </>
            )}
          </Table.Td>
          <Table.Td>
            <Text
              size="sm"
              truncate
              maw={120}
              title={t("operationLog.actorTitle", { type: actorType(entry.actorType), actor: entry.actor })}
            >
              {entry.actor}
            </Text>
          </Table.Td>
          <Table.Td>
            <Tooltip label={t("operationLog.sameRequest")} withArrow openDelay={300}>
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
