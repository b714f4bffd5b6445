// Payments: the list every support question starts from. The header's search (`q`: paymentId,
// orderId, rrn, card last 4, amount; app/domain/quick-search.ts) opens it with all its payment
// matches; the API's filters in the filter builder, a day range, a sortable table and totals per
// currency narrow it. The URL is the whole state (app/http/staff/payment-list-url.server.ts), so a
// copied link shows the same view; the CSV export reads the same URL.
import { Anchor, Badge, Box, Button, Group, Skeleton, Stack, Table, Text, Tooltip } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { defer, redirect } from "@remix-run/node";
import { Await, Link, useLoaderData, useSearchParams, type ShouldRevalidateFunction } from "@remix-run/react";
import { Fragment, Suspense, useState, useSyncExternalStore } from "react";
import { userHasPermission } from "../auth/roles";
import { requirePermission } from "../auth/session.server";
import { DataTable } from "../components/DataTable";
import { Amount } from "../components/Amount";
import { DateTime } from "../components/DateTime";
import { DayFilterPicker } from "../components/DayFilterPicker";
import { Dash, FixTheFilter, ListNotice, PageHeader, UnknownParameters } from "../components/list-parts";
import { useHrefWith } from "../components/url-state";
import { PageLinks } from "../components/PageLinks";
import { FilterBuilder } from "../components/FilterBuilder";
import { StatusBadge } from "../components/StatusBadge";
import { useStaffUser } from "../components/staff-user";
import { DEFAULT_PAYMENT_SORT, type PaymentSort, type PaymentSortKey } from "../domain/payment-sort";
import { describeKinds, QUICK_SEARCH_LABELS, type QuickSearchKind } from "../domain/quick-search";
import { useTranslation } from "react-i18next";
import { useFormat } from "../components/use-format";
import type { TFunction } from "i18next";
import { translator } from "../i18n/i18n";
import { staffLanguage } from "../i18n/language.server";
import { EXACT_COUNT_CAP } from "../domain/search-filter";
import { describeVolumeFilter, readVolumeFilter, VOLUME_PARAMS, type VolumeWords } from "../domain/volume-filter";
import { filterFieldsOf, readPaging } from "../http/staff/list-query.server";
import { readPaymentListUrl } from "../http/staff/payment-list-url.server";
import { resolveViews, savedViewIntents } from "../http/staff/saved-views.server";
import { ViewsMenu } from "../components/SavedViews";
import { CsvExportButton } from "../components/CsvExportButton";
import { intent, sayIn, staffAction, staffCaller } from "../http/staff/action.server";
import { BulkCreditForm, BulkCreditPreviewForm } from "../http/staff/forms/bulk";
import {
  BulkCreditPanel,
  SelectAllOnPage,
  SelectPayment,
  type BulkCreditPreviewData,
} from "../components/BulkCreditPanel";
import { formatAmount } from "../domain/money";
import { previewBulkCredit, runBulkCredit } from "../services/credits/bulk-credits.server";
import {
  MAX_PER_PAGE,
  paymentPage,
  paymentTotals,
  resolvePaymentQuery,
  type PaymentListTransaction,
} from "../services/queries/payment-list.server";
import { PAYMENT_SEARCH_FIELDS } from "../services/queries/payment-search.server";
import { cursorOfParams, cursorToParam } from "../services/queries/keyset-page.server";
import { listScreenMeta } from "../components/list-screen-route";

export { ErrorBoundary, links } from "../components/list-screen-route";

export const meta = listScreenMeta("payments.title");

const DEFAULT_PER_PAGE = 25;
const PER_PAGE_CHOICES = [25, 50, 100];

// A function: the filter spec is server-only, so this runs in the loader, never in the browser.
const filterFields = (t: TFunction) =>
  filterFieldsOf(PAYMENT_SEARCH_FIELDS, t("filters.payments", { returnObjects: true }), {
    cardNumber: "4242",
    settlementId: "EJ-1-2026-11-01-web",
    rrn: "612300001234",
  });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "payment:read");
  const caller = staffCaller(user, request, context, null);
  const { params, state: views } = await resolveViews("payments", request, caller);
  const language = staffLanguage(user, request);
  const url = readPaymentListUrl(params, user.timeZone, language);
  const t = translator(language);
  const paging = readPaging(params, { perPage: DEFAULT_PER_PAGE, maxPerPage: MAX_PER_PAGE });
  if (!url.ok) {
    // The page with the errors next to what caused them; 400 so that scripts and tests can tell.
    return defer(
      { fields: filterFields(t), errors: url.errors, sort: url.sort, list: null, totals: null, views },
      { status: 400 },
    );
  }
  const resolved = await resolvePaymentQuery(caller, { query: url.query });
  // Next/previous links carry their neighbour's edge (older=/newer=): read from there by keyset.
  const { places, ...page } = await paymentPage(caller, { resolved, ...paging, cursor: cursorOfParams(params) });
  // The page first; the totals stream in after it. Exact up to a cap, an estimate above it unless
  // the user asked for exact totals (docs/decisions/029-bounded-counts-and-read-paths.md).
  const totals = paymentTotals(caller, { resolved, exact: params.get("exactTotal") === "true" });
  return defer({
    fields: filterFields(t),
    errors: null,
    sort: url.sort,
    list: {
      ...page,
      cursors: places && { older: cursorToParam(places.older), newer: cursorToParam(places.newer) },
      quickSearch: resolved.quickSearch,
    },
    totals,
    views,
  });
}

// Credit the ticked payments: preview (nothing written), then run that preview (docs/decisions/041).
// Whoever may also execute credits gets them executed at once, unless four eyes hold one back.
export const action = (args: ActionFunctionArgs) =>
  staffAction(args, {
    ...savedViewIntents("payments"),
    "bulk-credit-preview": intent({
      permission: "credit:create",
      reason: "required",
      schema: BulkCreditPreviewForm,
      run: async ({ input, user, caller, t, language }) => {
        const execute = userHasPermission(user, "credit:execute");
        const preview = await previewBulkCredit(caller, { ...input, execute });
        const secondPerson = new Set(preview.awaitingSecondPerson);
        const data: BulkCreditPreviewData = {
          runId: preview.runId,
          fingerprint: preview.fingerprint,
          execute,
          totals: preview.plan.totals.map((t) => ({ ...t, total: formatAmount(t.total) })),
          items: preview.plan.items.map((item) =>
            item.kind === "skip"
              ? { kind: item.kind, paymentId: item.paymentId, reason: sayIn(language, item.say) }
              : {
                  kind: item.kind,
                  paymentId: item.paymentId,
                  currency: item.currency,
                  total: formatAmount(item.total),
                  secondPerson: secondPerson.has(item.paymentId),
                },
          ),
        };
        return { message: t("toasts.credits.bulkPreview"), data };
      },
    }),
    "bulk-credit": intent({
      permission: "credit:create",
      reason: "required",
      schema: BulkCreditForm,
      run: async ({ input, user, caller }) => {
        const execute = userHasPermission(user, "credit:execute");
        const { runId } = await runBulkCredit(caller, { ...input, execute });
        return redirect(`/credits/bulk/${runId}`);
      },
    }),
  });

/** A preview writes nothing: the list need not be read again after it. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "bulk-credit-preview" ? false : defaultShouldRevalidate;

export default function PaymentsList() {
  const { fields, errors, sort, list, totals, views } = useLoaderData<typeof loader>();
  const user = useStaffUser();
  const [params] = useSearchParams();
  const hrefWith = useHrefWith();
  // The streamed totals render once the page is hydrated: a Suspense boundary that is still
  // hydrating when the shell's providers update would throw React error 421 and re-render.
  const hydrated = useHydrated();
  const { t } = useTranslation();
  const { count: formatCount } = useFormat();
  // Anything besides the quick search that narrows the list: filters or a day range.
  const filtered =
    fields.some((field) => params.has(field.name)) ||
    !!params.get("from") ||
    !!params.get("to") ||
    params.has("volume");
  const narrowed = filtered || !!params.get("q");

  // What the export downloads: the same filters, search, range and order; every page.
  const exportParams = new URLSearchParams(params);
  exportParams.delete("page");
  exportParams.delete("older");
  exportParams.delete("newer");
  exportParams.delete("perPage");
  exportParams.delete("exactTotal");
  exportParams.delete("view");
  const exportHref = `/payments/export.csv${exportParams.toString() ? `?${exportParams}` : ""}`;
  const mayExport = userHasPermission(user, "export:csv");
  // Ticked payments for a bulk credit; only those of the page shown count.
  const mayCredit = userHasPermission(user, "credit:create");
  const [selected, setSelected] = useState<number[]>([]);
  const selectedOnPage = (items: { paymentId: number }[]) =>
    selected.filter((id) => items.some((item) => item.paymentId === id));

  return (
    <Stack gap="md" className="list-screen">
      <PageHeader title={t("payments.title")}>
        <Group gap="xs" wrap="wrap">
          <ViewsMenu state={views} />
          <CsvExportButton href={exportHref} filename="payments.csv" allowed={mayExport} disabled={errors !== null} />
        </Group>
      </PageHeader>

      <Group align="flex-start" gap="sm" wrap="wrap">
        <DayFilterPicker timeZone={user.timeZone} error={errors?.range} />
      </Group>
      {errors?.q ? (
        <Text size="sm" c="red" role="alert">
          {t("payments.searchError", { q: params.get("q"), error: errors.q })}{" "}
          <Anchor component={Link} to={hrefWith({ q: null, page: null })} size="sm">
            {t("payments.clearSearch")}
          </Anchor>
        </Text>
      ) : null}
      {list?.quickSearch ? <QuickSearchSummary outcome={list.quickSearch} filtered={filtered} /> : null}

      <VolumeFilterChip />

      <FilterBuilder fields={fields} errors={errors?.filters} />

      <UnknownParameters listName={t("payments.listName")} messages={errors?.other ?? []} resetTo="/payments" />

      {list === null ? (
        <FixTheFilter what={t("payments.fixWhat")} />
      ) : list.items.length === 0 ? (
        list.page > 1 ? (
          <ListNotice title={t("payments.noPage", { page: formatCount(list.page) })}>
            <Button component={Link} to={hrefWith({ page: null })} variant="light" size="xs">
              {t("payments.firstPage")}
            </Button>
          </ListNotice>
        ) : narrowed ? (
          <ListNotice title={t("payments.noMatch")}>
            {t("payments.noMatchHint")}{" "}
            <Anchor component={Link} to="/payments" size="sm">
              {t("payments.clearEverything")}
            </Anchor>
          </ListNotice>
        ) : (
          <ListNotice title={t("payments.noneYet")}>
            {t("payments.noneYetHint")}{" "}
            <Text span ff="monospace" size="sm">
              {/* A command, typed as it is in any language. */}
              {/* eslint-disable-next-line i18next/no-literal-string */}
              {"npm run db:seed"}
            </Text>
            .
          </ListNotice>
        )
      ) : (
        <>
          {hydrated ? (
            // Keyed by the query: a new filter's page shows the placeholder until its own totals
            // arrive, never the last query's page links (which would open the unfiltered list).
            <Suspense key={params.toString()} fallback={<TotalsBar />}>
              <Await
                resolve={totals}
                errorElement={
                  <Text size="sm" c="red">
                    {t("payments.totalsFailed")}
                  </Text>
                }
              >
                {(resolved) =>
                  resolved ? (
                    <TotalsBar
                      totals={resolved}
                      page={list.page}
                      perPage={list.perPage}
                      shown={list.items.length}
                      cursors={list.cursors}
                    />
                  ) : null
                }
              </Await>
            </Suspense>
          ) : (
            <TotalsBar />
          )}
          {mayCredit ? <BulkCreditPanel selected={selectedOnPage(list.items)} onClear={() => setSelected([])} /> : null}
          <PaymentsTable
            items={list.items}
            sort={sort}
            selection={mayCredit ? { selected: selectedOnPage(list.items), setSelected } : null}
          />
        </>
      )}
    </Stack>
  );
}

/**
 * The payments behind a dashboard bar or a settlements row (app/domain/volume-filter.ts): what
 * the link asked for, in words, and a way to drop it and keep the other filters.
 */
function VolumeFilterChip() {
  const [params] = useSearchParams();
  const hrefWith = useHrefWith();
  const outcome = readVolumeFilter(params);
  const { t } = useTranslation();
  const { day } = useFormat();
  if (!outcome.ok || outcome.filter === null) return null;
  // In the reader's words, the day as the reader writes days.
  const say: VolumeWords = (key, values) =>
    (t as unknown as VolumeWords)(key, values?.day ? { ...values, day: day(values.day) } : values);
  return (
    <Group gap="xs" wrap="wrap" data-testid="volume-filter">
      <Text size="sm" c="dimmed">
        {t("payments.behindFigure")}
      </Text>
      <Text
        size="sm"
        fw={500}
        c="var(--mantine-primary-color-light-color)"
        bg="var(--mantine-primary-color-light)"
        px="xs"
        py={2}
        style={{ borderRadius: "var(--mantine-radius-sm)", overflowWrap: "anywhere" }}
      >
        {describeVolumeFilter(outcome.filter, say)}
      </Text>
      <Anchor
        component={Link}
        to={hrefWith({ ...Object.fromEntries(VOLUME_PARAMS.map((name) => [name, null])), page: null })}
        size="sm"
        preventScrollReset
      >
        {t("payments.everyPayment")}
      </Anchor>
    </Group>
  );
}

const noSubscription = () => () => {};

/** False on the server and while hydrating, true once the page runs in the browser. */
function useHydrated() {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

/** What the search (`q`, from the header's search) matched, and a way to drop it. */
function QuickSearchSummary({
  outcome,
  filtered,
}: {
  outcome: { text: string; tried: QuickSearchKind[]; matched: { kind: QuickSearchKind; count: number }[] };
  filtered: boolean;
}) {
  const hrefWith = useHrefWith();
  const { t } = useTranslation();
  const { count: formatCount } = useFormat();
  const clear = (
    <Anchor component={Link} to={hrefWith({ q: null, page: null, exactTotal: null })} size="sm">
      {t("payments.clearSearch")}
    </Anchor>
  );
  if (outcome.matched.length === 0) {
    const values = { kinds: describeKinds(outcome.tried), text: outcome.text };
    return (
      <Text size="sm" c="dimmed" role="status">
        {filtered ? t("payments.searchNoneFiltered", values) : t("payments.searchNone", values)} {clear}
      </Text>
    );
  }
  return (
    <Group gap={6} role="status" aria-label={t("payments.searchMatches")}>
      <Text size="sm" c="dimmed">
        {t("payments.searchMatchedBy", { text: outcome.text })}
      </Text>
      {outcome.matched.map(({ kind, count }) => (
        <Badge key={kind} variant="light" color="indigo" radius="sm" tt="none" data-testid="quick-search-match">
          {QUICK_SEARCH_LABELS[kind]}:{" "}
          {t("payments.paymentCount", {
            count,
            n:
              count > EXACT_COUNT_CAP
                ? t("payments.moreThan", { n: formatCount(EXACT_COUNT_CAP) })
                : formatCount(count),
          })}
        </Badge>
      ))}
      {clear}
    </Group>
  );
}

type Totals = {
  total: number;
  estimated: boolean;
  totals: { currency: string; count: number; totalAmount: string }[];
};

/**
 * "Showing 1–25 of 1 234 payments", the total amount per currency and the pagination. Without
 * totals (while they are counted) a placeholder of the same height, so nothing jumps.
 */
function TotalsBar({
  totals,
  page = 1,
  perPage = DEFAULT_PER_PAGE,
  shown = 0,
  cursors = null,
}: {
  totals?: Totals;
  page?: number;
  perPage?: number;
  shown?: number;
  /** The page's edges as next/previous links carry them (newest first only). */
  cursors?: { older: string; newer: string } | null;
}) {
  const { t } = useTranslation();
  const { count: formatCount } = useFormat();
  if (!totals) {
    return (
      <Group gap="sm" mih={30} aria-busy="true">
        <Text size="sm" c="dimmed">
          {t("payments.counting")}
        </Text>
        <Skeleton height={16} width={220} radius="sm" />
      </Group>
    );
  }
  const pageCount = Math.max(1, Math.ceil(totals.total / perPage));
  const first = (page - 1) * perPage + 1;
  return (
    <Group justify="space-between" align="center" wrap="wrap" gap="sm">
      <Stack gap={2}>
        <Text size="sm" aria-live="polite" data-testid="payments-total">
          {t(totals.estimated ? "payments.showingAbout" : "payments.showing", {
            count: totals.total,
            first: formatCount(first),
            last: formatCount(first + shown - 1),
            n: formatCount(totals.total),
          })}
        </Text>
        {totals.estimated ? <ExactTotalsLink /> : null}
        <Group gap="xs" wrap="wrap" aria-label={t("payments.totalPerCurrency")}>
          {totals.totals.map((row) => (
            <Text key={row.currency} size="sm" c="dimmed" data-testid="currency-total">
              <Amount value={row.totalAmount} currency={row.currency} fw={500} c="dark" />{" "}
              {t("payments.inPayments", { count: row.count, n: formatCount(row.count), currency: row.currency })}
            </Text>
          ))}
        </Group>
      </Stack>
      <PageLinks
        page={page}
        totalPages={pageCount}
        perPage={{ perPage, perPageChoices: PER_PAGE_CHOICES, defaultPerPage: DEFAULT_PER_PAGE }}
        cursors={cursors}
      />
    </Group>
  );
}

/**
 * Above the cap the count is an estimate and the amounts are not summed (that aggregate over
 * every match took seconds); this asks for both, exactly, streamed in after the page as before.
 */
function ExactTotalsLink() {
  const hrefWith = useHrefWith();
  const { t } = useTranslation();
  const { count: formatCount } = useFormat();
  return (
    <Text size="sm" c="dimmed">
      {t("payments.estimated", { n: formatCount(EXACT_COUNT_CAP) })}{" "}
      <Anchor component={Link} to={hrefWith({ exactTotal: "true" })} preventScrollReset size="sm">
        {t("payments.countExactly")}
      </Anchor>{" "}
      {t("payments.takesSeconds")}
    </Text>
  );
}

/** A column header that sorts by its key: first click newest/largest first, the next reverses. */
function SortHeader({
  label,
  sortKey,
  sort,
  align,
}: {
  label: string;
  sortKey: PaymentSortKey;
  sort: PaymentSort;
  align?: "right";
}) {
  const hrefWith = useHrefWith();
  const { t } = useTranslation();
  const active = sort.key === sortKey;
  const direction = active && sort.direction === "desc" ? "asc" : "desc";
  const isDefault = sortKey === DEFAULT_PAYMENT_SORT.key && direction === DEFAULT_PAYMENT_SORT.direction;
  const to = hrefWith({ sort: isDefault ? null : sortKey, dir: isDefault ? null : direction, page: null });
  return (
    <Table.Th ta={align} aria-sort={active ? (sort.direction === "asc" ? "ascending" : "descending") : "none"}>
      <Anchor
        component={Link}
        to={to}
        preventScrollReset
        size="sm"
        fw={700}
        c={active ? undefined : "dark"}
        underline="hover"
        style={{ whiteSpace: "nowrap" }}
        aria-label={t("payments.sortBy", {
          label: label.toLowerCase(),
          direction: direction === "asc" ? t("payments.ascending") : t("payments.descending"),
        })}
      >
        {label}{" "}
        {active ? (
          sort.direction === "asc" ? (
            "↑"
          ) : (
            "↓"
          )
        ) : (
          <Text span c="dimmed">
            ↕
          </Text>
        )}
      </Anchor>
    </Table.Th>
  );
}

type ListItem = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["list"]>["items"][number];

type Selection = { selected: number[]; setSelected: (ids: number[]) => void };

function PaymentsTable({
  items,
  sort,
  selection,
}: {
  items: ListItem[];
  sort: PaymentSort;
  selection: Selection | null;
}) {
  const user = useStaffUser();
  const { t } = useTranslation();
  return (
    <DataTable
      label={t("payments.title")}
      minWidth={980}
      maxHeight="var(--list-table-max-height)"
      alignTop
      head={
        <>
          {selection ? (
            <Table.Th w={36}>
              <SelectAllOnPage ids={items.map((p) => p.paymentId)} {...selection} />
            </Table.Th>
          ) : null}
          <SortHeader label={t("payments.col.payment")} sortKey="paymentId" sort={sort} />
          <SortHeader label={t("payments.col.created")} sortKey="createdAt" sort={sort} />
          <Table.Th>{t("payments.col.order")}</Table.Th>
          <Table.Th>{t("payments.col.organisation")}</Table.Th>
          <SortHeader label={t("payments.col.amount")} sortKey="totalAmount" sort={sort} align="right" />
          <Table.Th>{t("payments.col.transactions")}</Table.Th>
          <Table.Th>{t("payments.col.settlement")}</Table.Th>
        </>
      }
    >
      {items.map((payment) => (
        <Table.Tr key={payment.paymentId}>
          {selection ? (
            <Table.Td>
              <SelectPayment paymentId={payment.paymentId} {...selection} />
            </Table.Td>
          ) : null}
          <Table.Td>
            <Stack gap={2} align="flex-start">
              <Anchor component={Link} to={`/payments/${payment.paymentId}`} fw={500} size="sm">
                {payment.paymentId}
              </Anchor>
              {payment.active ? null : (
                <Tooltip label={t("payments.deactivatedTip")} withArrow>
                  <Badge color="red" variant="outline" size="xs" radius="sm" tabIndex={0}>
                    {t("payments.inactive")}
                  </Badge>
                </Tooltip>
              )}
            </Stack>
          </Table.Td>
          <Table.Td>
            <DateTime value={payment.createdAt} timeZone={user.timeZone} />
          </Table.Td>
          <Table.Td style={{ whiteSpace: "nowrap" }}>
            {payment.orderId === null ? (
              <Dash />
            ) : (
              <>
                {payment.orderId}
                {payment.orderVersion !== null && payment.orderVersion !== 1 ? (
                  <Text size="xs" c="dimmed" span ml={4} title={t("payments.orderVersion")}>
                    {`v${payment.orderVersion}`}
                  </Text>
                ) : null}
              </>
            )}
          </Table.Td>
          {/* One column for both keeps the settlement id in view at 1440 px without scrolling. */}
          <Table.Td>
            <Text size="sm" truncate maw={160} title={t("payments.organisationTip", { id: payment.organisationId })}>
              {payment.organisationName}
            </Text>
            {payment.customerNumber === null ? null : (
              <Text size="xs" c="dimmed" title={t("payments.customerNumber")}>
                {t("payments.customer", { number: payment.customerNumber })}
              </Text>
            )}
          </Table.Td>
          <Table.Td ta="right">
            <Amount value={payment.totalAmount} currency={payment.currency} />
          </Table.Td>
          <Table.Td>
            {payment.transactions.length === 0 ? (
              <Text size="xs" c="dimmed">
                {t("payments.noTransactions")}
              </Text>
            ) : (
              <TransactionLines transactions={payment.transactions} />
            )}
          </Table.Td>
          {/* Long settlement ids (EJ-1-2026-12-05-ticket-machine) wrap at a dash instead of being cut. */}
          <Table.Td miw={150} style={{ overflowWrap: "anywhere" }}>
            {payment.settlementId ?? <Dash />}
          </Table.Td>
        </Table.Tr>
      ))}
    </DataTable>
  );
}

/**
 * The transactions of a list row, one line each: status, then payment type (or only its group,
 * until the card's scheme is known) and card. A grid, so the types line up after the badges.
 */
function TransactionLines({ transactions }: { transactions: PaymentListTransaction[] }) {
  const { t: translate } = useTranslation();
  return (
    <Box
      style={{
        display: "grid",
        gridTemplateColumns: "max-content max-content",
        columnGap: 8,
        rowGap: 4,
        alignItems: "center",
      }}
    >
      {transactions.map((t) => (
        <Fragment key={t.transactionId}>
          <Box style={{ justifySelf: "start" }}>
            <StatusBadge status={t.status} />
          </Box>
          <Text size="sm" span style={{ whiteSpace: "nowrap", fontVariantNumeric: "tabular-nums" }}>
            {t.paymentType ?? (
              <Text span c="dimmed" size="sm" title={translate("payments.schemeLater")}>
                {t.paymentTypeGroup}
              </Text>
            )}
            {t.cardNumber ? ` •••• ${t.cardNumber}` : null}
          </Text>
        </Fragment>
      ))}
    </Box>
  );
}
