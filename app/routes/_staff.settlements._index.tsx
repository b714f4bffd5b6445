// Settlements (finance): captured, credited and net per settlement id, UTC day and currency, from
// the daily rollup, filtered by range, settlement id and currency, all in the URL; each row
// opens the operations behind it, and the whole filtered set exports as CSV. Volume of payments
// without a settlement id has rows of its own, so the totals are the dashboard's to the øre.
import { Anchor, Button, Group, Paper, Stack, Table, Text, TextInput } from "@mantine/core";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { SubmitButton } from "../components/SubmitButton";
import { userHasPermission } from "../auth/roles";
import { requirePermission } from "../auth/session.server";
import { PageHeader } from "../components/list-parts";
import { DataTable } from "../components/DataTable";
import { DayRangePicker } from "../components/DayRangePicker";
import { VolumeCells, VolumeHeads } from "../components/VolumeCells";
import { CountAndPageLinks } from "../components/PageLinks";
import { useStaffUser } from "../components/staff-user";
import { rangeParams, utcDay } from "../domain/day-range";
import type { FieldError } from "../domain/errors";
import { useFormat } from "../components/use-format";
import { readSettlementFilter, settlementFilterSearch } from "../http/staff/settlement-filter.server";
import { positiveInt } from "../components/url-state";
import { staffCaller } from "../http/staff/action.server";
import { fieldErrorsIn } from "../http/staff/list-query.server";
import { staffLanguage } from "../i18n/language.server";
import { listSettlementDays, MAX_PER_PAGE } from "../services/queries/settlements.server";
import type { SplitVolume } from "../services/queries/volume-rollup.server";
import { volumeFilterParams } from "../domain/volume-filter";
import { listScreenMeta } from "../components/list-screen-route";

export { ErrorBoundary, links } from "../components/list-screen-route";

export const meta = listScreenMeta("settlements.title");

const DEFAULT_PER_PAGE = 50;
const PER_PAGE_CHOICES = [25, 50, 100];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "settlement:read");
  const params = new URL(request.url).searchParams;
  const today = utcDay(new Date());
  const { state, errors } = readSettlementFilter(params, today);
  // A hand-edited page or perPage falls back to the default rather than erroring.
  const page = positiveInt(params.get("page")) ?? 1;
  const perPage = Math.min(MAX_PER_PAGE, positiveInt(params.get("perPage")) ?? DEFAULT_PER_PAGE);
  const list = await listSettlementDays(staffCaller(user, request, context, null), {
    from: state.range.from,
    to: state.range.to,
    settlementId: state.settlementId,
    currency: state.currency,
    page,
    perPage,
  });
  // What was typed stays in the inputs next to its error, even when it could not be used.
  const typed = { settlementId: params.get("settlementId") ?? "", currency: params.get("currency") ?? "" };
  return json({
    today,
    state,
    typed,
    errors: fieldErrorsIn(staffLanguage(user, request), errors),
    list,
    search: settlementFilterSearch(state),
  });
}

export default function Settlements() {
  const { today, state, typed, errors, list, search } = useLoaderData<typeof loader>();
  const user = useStaffUser();
  const { t } = useTranslation();
  const { count: formatCount, day: formatDay } = useFormat();
  const mayExport = userHasPermission(user, "export:csv");
  const { items, total, page, perPage, pageCount, totals } = list;
  const first = (page - 1) * perPage + 1;
  const last = first + items.length - 1;
  const range =
    state.range.from === state.range.to
      ? formatDay(state.range.from)
      : t("settlements.rangeSpan", { from: formatDay(state.range.from), to: formatDay(state.range.to) });
  const rows = t("settlements.rows", { count: total, n: formatCount(total) });

  return (
    <Stack gap="md" className="list-screen">
      <PageHeader title={t("settlements.title")} description={t("settlements.description")}>
        {mayExport && total > 0 ? (
          <Button component="a" href={`/settlements/export.csv?${search}`} download variant="default" size="xs">
            {t("listTools.csv.exportRows", { count: total, n: formatCount(total) })}
          </Button>
        ) : null}
      </PageHeader>

      <Paper withBorder radius="md" p="sm">
        <Stack gap="sm">
          <DayRangePicker range={state.range} today={today} errors={errors} />
          <FilterForm state={state} typed={typed} errors={errors} perPage={perPage} />
        </Stack>
      </Paper>

      <CountAndPageLinks
        testId="settlements-count"
        total={total}
        page={page}
        totalPages={pageCount}
        perPage={{ perPage, perPageChoices: PER_PAGE_CHOICES, defaultPerPage: DEFAULT_PER_PAGE }}
      >
        {total === 0
          ? t("settlements.noDays", { range })
          : items.length === 0
            ? t("settlements.rowsOnPages", {
                rows,
                pages: t("settlements.pages", { count: pageCount, n: formatCount(pageCount) }),
              })
            : t("settlements.showingRows", { first: formatCount(first), last: formatCount(last), rows, range })}
      </CountAndPageLinks>

      {total === 0 ? (
        <Paper withBorder radius="md" p="xl" data-testid="settlements-empty">
          <Text fw={600}>{t("settlements.noneMatch")}</Text>
          <Text c="dimmed" size="sm">
            {t("settlements.nothingFrom", { range })}
            {state.settlementId ? t("settlements.underId", { id: state.settlementId }) : ""}
            {state.currency ? t("settlements.inCurrency", { currency: state.currency }) : ""}
            {t("settlements.end")}
          </Text>
        </Paper>
      ) : (
        <>
          <CurrencyTotalsLine totals={totals} />
          {items.length === 0 ? (
            <Paper withBorder radius="md" p="xl">
              <Text>
                {t("settlements.pastEnd", { page: formatCount(page) })}{" "}
                <Anchor component={Link} to={`?${search}&page=${pageCount}`}>
                  {t("settlements.lastPage")}
                </Anchor>
              </Text>
            </Paper>
          ) : (
            <DataTable
              label={t("settlements.title")}
              minWidth={880}
              maxHeight="var(--list-table-max-height)"
              data-testid="settlements-table"
              head={
                <>
                  <Table.Th>{t("settlements.col.day")}</Table.Th>
                  <Table.Th>{t("settlements.col.settlementId")}</Table.Th>
                  <Table.Th>{t("settlements.col.currency")}</Table.Th>
                  <VolumeHeads />
                </>
              }
            >
              {items.map((row) => (
                <Table.Tr key={`${row.day}/${row.settlementId}/${row.currency}`}>
                  <Table.Td style={{ whiteSpace: "nowrap", fontVariantNumeric: "tabular-nums" }}>
                    {formatDay(row.day)}
                  </Table.Td>
                  {/* A settlement id on one line, never split at its dashes (the table scrolls on a phone). */}
                  <Table.Td style={{ whiteSpace: "nowrap" }}>
                    {row.settlementId === "" ? (
                      <Anchor
                        component={Link}
                        to={`/payments?${new URLSearchParams(
                          volumeFilterParams({
                            kind: "moved",
                            day: row.day,
                            paymentTypeGroup: null,
                            currency: row.currency,
                            settlement: { none: true },
                          }),
                        )}`}
                        size="sm"
                        fs="italic"
                        c="dimmed"
                        data-testid="no-settlement-row"
                        title={t("settlements.noSettlementTitle")}
                      >
                        {t("settlements.noSettlementId")}
                      </Anchor>
                    ) : (
                      <Anchor
                        component={Link}
                        to={`/settlements/${encodeURIComponent(row.settlementId)}?day=${row.day}`}
                        size="sm"
                        fw={500}
                        style={{ overflowWrap: "anywhere" }}
                      >
                        {row.settlementId}
                      </Anchor>
                    )}
                  </Table.Td>
                  <Table.Td>{row.currency}</Table.Td>
                  <VolumeCells row={row} />
                </Table.Tr>
              ))}
            </DataTable>
          )}
        </>
      )}
    </Stack>
  );
}

function FilterForm({
  state,
  typed,
  errors,
  perPage,
}: {
  state: ReturnType<typeof useLoaderData<typeof loader>>["state"];
  typed: { settlementId: string; currency: string };
  errors: FieldError[];
  perPage: number;
}) {
  const errorOf = (field: string) => errors.find((error) => error.field === field)?.message;
  const { t } = useTranslation();
  const textFilters = [
    { name: "settlementId", placeholder: t("settlements.filter.settlementIdExample"), w: { base: "100%", xs: 260 } },
    { name: "currency", placeholder: t("common.all"), w: 150 },
  ] as const;
  return (
    // A GET form: submitting puts the filter in the URL (and starts again at page 1).
    <Form method="get" key={`${typed.settlementId}|${typed.currency}`}>
      {Object.entries(rangeParams(state.range)).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {perPage !== DEFAULT_PER_PAGE ? <input type="hidden" name="perPage" value={perPage} /> : null}
      <Group gap="sm" align="flex-start" wrap="wrap">
        {textFilters.map(({ name, placeholder, w }) => (
          <TextInput
            key={name}
            name={name}
            label={t(`settlements.filter.${name}`)}
            placeholder={placeholder}
            defaultValue={typed[name]}
            error={errorOf(name)}
            size="xs"
            w={w}
          />
        ))}
        <Group gap="xs" mt={25}>
          <SubmitButton size="xs">{t("settlements.filter.apply")}</SubmitButton>
          <Button component={Link} to={`?${new URLSearchParams(rangeParams(state.range))}`} variant="subtle" size="xs">
            {t("settlements.filter.clear")}
          </Button>
        </Group>
      </Group>
    </Form>
  );
}

/** One part of a currency's totals, dimmed under its total; `label` names the currency too. */
function PartRow({ part, label, figures }: { part: string; label: string; figures: SplitVolume["total"] }) {
  return (
    <Table.Tr data-currency={figures.currency} data-part={part}>
      <Table.Td c="dimmed" style={{ whiteSpace: "nowrap" }}>
        {label}
      </Table.Td>
      <VolumeCells row={figures} />
    </Table.Tr>
  );
}

/**
 * Per currency over all pages: the part under a settlement id, the part without one (its own
 * row, so nothing is left out), and their total, which is the dashboard's total for the range.
 */
function CurrencyTotalsLine({ totals }: { totals: SplitVolume[] }) {
  const { t } = useTranslation();
  return (
    <DataTable
      label={t("settlements.totals.label")}
      minWidth={640}
      verticalSpacing={4}
      data-testid="settlements-totals"
      head={
        <>
          <Table.Th>{t("settlements.totals.allPages")}</Table.Th>
          <VolumeHeads />
        </>
      }
    >
      {totals.map((row) => (
        <Fragment key={row.currency}>
          {row.withSettlement.capturedCount + row.withSettlement.creditedCount > 0 ? (
            <PartRow
              part="with-settlement"
              label={t("settlements.totals.under", { currency: row.currency })}
              figures={row.withSettlement}
            />
          ) : null}
          <PartRow
            part="without-settlement"
            label={t("settlements.totals.without", { currency: row.currency })}
            figures={row.withoutSettlement}
          />
          <Table.Tr data-currency={row.currency} data-part="total">
            <Table.Td fw={600} style={{ whiteSpace: "nowrap" }}>
              {t("settlements.totals.total", { currency: row.currency })}
            </Table.Td>
            <VolumeCells row={row.total} totals />
          </Table.Tr>
        </Fragment>
      ))}
    </DataTable>
  );
}
