// Dashboard: captured, credited and net volume over a range of UTC days, per day and payment
// type group, one currency at a time, with counts, the top payment types and the share of
// authorization attempts that were declined or failed. The range, the
// currency and the measure drawn live in the URL. All of it comes from the daily rollup
// (app/services/queries/dashboard.server.ts), so it answers as fast on millions of transactions.
import {
  Accordion,
  Alert,
  Anchor,
  Group,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useNavigate } from "@remix-run/react";
import { requirePermission } from "../auth/session.server";
import { Amount } from "../components/Amount";
import { AuthorizationOutcomes } from "../components/AuthorizationOutcomes";
import { DayRangePicker } from "../components/DayRangePicker";
import { VolumeCells, VolumeHeads } from "../components/VolumeCells";
import { shortDay, VolumeChart } from "../components/VolumeChart";
import {
  daysBetween,
  parseCurrencyParam,
  parseDayRange,
  rangeParams,
  utcDay,
  type DayRange,
} from "../domain/day-range";
import type { FieldError } from "../domain/errors";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { useFormat, type Formats } from "../components/use-format";
import { metaTitle } from "../i18n/meta";
import { useHrefWith } from "../components/url-state";
import { staffCaller } from "../http/staff/action.server";
import { fieldErrorsIn } from "../http/staff/list-query.server";
import { staffLanguage } from "../i18n/language.server";
import { getDashboard, type Dashboard, type VolumeTotals } from "../services/queries/dashboard.server";
import { HeadedTable } from "../components/DataTable";
import { useStaffUser } from "../components/staff-user";
import { userHasPermission } from "../auth/roles";
import { volumeFilterParams, type VolumeKind } from "../domain/volume-filter";
import type { PaymentTypeGroup } from "../domain/enums";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, "dashboard.title");

/** One bar per day: a year is as much as a chart can show legibly. */
const MAX_DAYS = 366;

const MEASURES = ["captured", "credited", "net"] as const;
type Measure = (typeof MEASURES)[number];
/** The operations behind each measure: net is what was captured and what was credited. */
const MEASURE_KINDS: Record<Measure, VolumeKind> = { captured: "captured", credited: "credited", net: "moved" };

/** The payments list of the payments behind a day's volume (one group's, or every group's). */
function paymentsBehind(measure: Measure, currency: string, day: string, group: string | null): string {
  const params = volumeFilterParams({
    kind: MEASURE_KINDS[measure],
    day,
    paymentTypeGroup: group as PaymentTypeGroup | null,
    currency,
    settlement: null,
  });
  return `/payments?${new URLSearchParams(params)}`;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "dashboard:read");
  const params = new URL(request.url).searchParams;
  const today = utcDay(new Date());
  const { range, errors } = parseDayRange(params, { today, defaultPreset: "30d", maxDays: MAX_DAYS });
  const currency = parseCurrencyParam(params.get("currency"));
  if (currency.error) errors.push(currency.error);
  const show = params.get("show") ?? "captured";
  const measure: Measure = (MEASURES as readonly string[]).includes(show) ? (show as Measure) : "captured";
  if (measure !== show)
    errors.push({
      field: "show",
      message: `must be one of ${MEASURES.join(", ")}`,
      say: { key: "errors.form.oneOf", values: { values: MEASURES.join(", ") } },
    });
  const dashboard = await getDashboard(staffCaller(user, request, context, null), {
    from: range.from,
    to: range.to,
    currency: currency.currency,
  });
  return json({ today, range, errors: fieldErrorsIn(staffLanguage(user, request), errors), measure, dashboard });
}

export default function DashboardScreen() {
  const { today, range, errors, measure, dashboard } = useLoaderData<typeof loader>();
  const otherErrors = errors.filter((error) => !["from", "to", "range"].includes(error.field));
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={1} size="h2">
          {t("dashboard.title")}
        </Title>
        <Text c="dimmed" size="sm">
          {t("dashboard.description")}
        </Text>
      </div>

      <Stack gap={6}>
        <DayRangePicker range={range} today={today} errors={errors} />
        <Text size="sm" c="dimmed" data-testid="range-summary">
          {describeRange(range, t, format)}
        </Text>
      </Stack>

      {otherErrors.length > 0 ? <ParamErrors errors={otherErrors} /> : null}

      {dashboard.currencies.length === 0 ? (
        <Paper withBorder radius="md" p="xl" data-testid="dashboard-empty">
          <Text fw={600}>{t("dashboard.empty")}</Text>
          <Text c="dimmed" size="sm">
            {t("dashboard.emptyHint")}
          </Text>
        </Paper>
      ) : (
        <CurrencyView dashboard={dashboard} measure={measure} />
      )}
    </Stack>
  );
}

function describeRange(range: DayRange, t: TFunction, format: Formats): string {
  const days = daysBetween(range.from, range.to);
  const span = range.from === range.to ? range.from : t("dashboard.rangeSpan", range);
  const name = range.preset === "custom" ? t("dashboard.customRange") : t(`dashboard.presets.${range.preset}`);
  return t("dashboard.rangeSummary", {
    name,
    span,
    days: t("dashboard.utcDays", { count: days, n: format.count(days) }),
  });
}

function ParamErrors({ errors }: { errors: FieldError[] }) {
  const { t } = useTranslation();
  return (
    <Alert color="orange" title={t("dashboard.addressNotUsed")} role="alert">
      {errors.map((error) => (
        <Text key={error.field} size="sm">
          {t("dashboard.paramDefault", error)}
        </Text>
      ))}
    </Alert>
  );
}

type DashboardJson = ReturnType<typeof useLoaderData<typeof loader>>["dashboard"];

function CurrencyView({ dashboard, measure }: { dashboard: DashboardJson; measure: Measure }) {
  const hrefWith = useHrefWith();
  const navigate = useNavigate();
  const currency = dashboard.currency ?? "";
  const known = dashboard.currencies.some((row) => row.currency === currency);
  const { t } = useTranslation();
  return (
    <>
      {dashboard.currencies.length > 1 || !known ? (
        <Group gap="sm" wrap="wrap">
          <Text size="sm" c="dimmed">
            {t("dashboard.currency")}
          </Text>
          <SegmentedControl
            size="xs"
            aria-label={t("dashboard.currency")}
            value={known ? currency : ""}
            data={dashboard.currencies.map((row) => row.currency)}
            onChange={(value) => navigate(hrefWith({ currency: value }), { preventScrollReset: true })}
          />
          <Text size="xs" c="dimmed">
            {t("dashboard.oneCurrency")}
          </Text>
        </Group>
      ) : null}

      {!known ? (
        <Paper withBorder radius="md" p="xl" data-testid="dashboard-empty">
          <Text fw={600}>{t("dashboard.emptyCurrency", { currency })}</Text>
          <Text c="dimmed" size="sm">
            {t("dashboard.emptyCurrencyHint")}
          </Text>
        </Paper>
      ) : (
        <>
          <Totals totals={dashboard.totals} currency={currency} />
          <SettlementSplit split={dashboard.bySettlement} currency={currency} />
          <AuthorizationOutcomes outcomes={dashboard.authorizations} currency={currency} />
          <Paper withBorder radius="md" p="md">
            <Group justify="space-between" align="center" wrap="wrap" gap="sm" mb="sm">
              <Title order={2} size="h4">
                {t("dashboard.perDay")}
              </Title>
              <SegmentedControl
                size="xs"
                aria-label={t("dashboard.chartShows")}
                value={measure}
                data={MEASURES.map((value) => ({ value, label: t(`dashboard.measures.${value}`) }))}
                onChange={(value) =>
                  navigate(hrefWith({ show: value === "captured" ? null : value }), { preventScrollReset: true })
                }
              />
            </Group>
            <VolumeChart
              label={t("dashboard.chartLabel", { measure: t(`dashboard.measures.${measure}`), currency })}
              currency={currency}
              groups={dashboard.groups}
              days={dashboard.days.map((day) => ({
                day: day.day,
                amounts: Object.fromEntries(
                  Object.entries(day.groups).map(([group, volume]) => [group, volume[measure]]),
                ),
                total: day.total[measure],
              }))}
              onBarClick={(day, group) => navigate(paymentsBehind(measure, currency, day, group))}
            />
            <Text size="xs" c="dimmed" mt={4}>
              {t("dashboard.clickBar")}
            </Text>
            <DayTable days={dashboard.days} currency={currency} measure={measure} />
          </Paper>
          <TopPaymentTypes rows={dashboard.topPaymentTypes} currency={currency} />
        </>
      )}
    </>
  );
}

function Totals({ totals, currency }: { totals: VolumeTotals; currency: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  /** The two totals whose hint is how many operations make them. */
  const counted = [
    { measure: "captured", count: totals.capturedCount, hintKey: "dashboard.captures" },
    { measure: "credited", count: totals.creditedCount, hintKey: "dashboard.credits" },
  ] as const;
  return (
    <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="md">
      {counted.map(({ measure, count, hintKey }) => (
        <Stat
          key={measure}
          testId={`total-${measure}`}
          label={t(`dashboard.measures.${measure}`)}
          value={totals[measure]}
          currency={currency}
          hint={t(hintKey, { count, n: format.count(count) })}
        />
      ))}
      <Stat
        testId="total-net"
        label={t("dashboard.measures.net")}
        value={totals.net}
        currency={currency}
        hint={
          totals.chargedBackCount
            ? t("dashboard.netHintChargebacks", {
                count: totals.chargedBackCount,
                n: format.count(totals.chargedBackCount),
                amount: format.money(totals.chargedBack, currency),
              })
            : t("dashboard.netHint")
        }
      />
    </SimpleGrid>
  );
}

/**
 * The totals above in two parts: under a settlement id (the settlements screen's settlement rows)
 * and without one (its "No settlement id" rows), so both screens' figures visibly add up.
 */
function SettlementSplit({ split, currency }: { split: Dashboard["bySettlement"]; currency: string }) {
  const user = useStaffUser();
  const { range } = useLoaderData<typeof loader>();
  const { withSettlement, withoutSettlement } = split;
  const settlements = new URLSearchParams({ ...rangeParams(range), currency });
  const { t } = useTranslation();
  return (
    <Text size="sm" c="dimmed" data-testid="settlement-split">
      {t("dashboard.split.under")} <Amount value={withSettlement.captured} currency={currency} c="dark" />
      {t("dashboard.split.credited")} <Amount value={withSettlement.credited} currency={currency} c="dark" />
      {t("dashboard.split.without")} <Amount value={withoutSettlement.captured} currency={currency} c="dark" />
      {t("dashboard.split.credited")} <Amount value={withoutSettlement.credited} currency={currency} c="dark" />
      {t("dashboard.split.end")}
      {userHasPermission(user, "settlement:read") ? (
        <>
          {" "}
          <Anchor component={Link} to={`/settlements?${settlements}`} size="sm">
            {t("dashboard.split.link")}
          </Anchor>
        </>
      ) : null}
    </Text>
  );
}

function Stat({
  label,
  value,
  currency,
  hint,
  testId,
}: {
  label: string;
  value: string;
  currency: string;
  hint: string;
  testId: string;
}) {
  return (
    <Paper withBorder radius="md" p="md" data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={{ base: 22, md: 26 }} fw={700} lh={1.3} c="dark" data-testid={`${testId}-amount`}>
        <Amount value={value} currency={currency} />
      </Text>
      <Text size="xs" c="dimmed">
        {hint}
      </Text>
    </Paper>
  );
}

function DayTable({ days, currency, measure }: { days: Dashboard["days"]; currency: string; measure: Measure }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Accordion variant="default" mt="xs" chevronPosition="left">
      <Accordion.Item value="days">
        <Accordion.Control>
          <Text size="sm">{t("dashboard.numbersPerDay")}</Text>
        </Accordion.Control>
        <Accordion.Panel>
          <Table.ScrollContainer minWidth={420} maxHeight={360} type="native">
            <HeadedTable
              stickyHeader
              fz="sm"
              verticalSpacing={4}
              head={
                <>
                  <Table.Th>{t("dashboard.utcDay")}</Table.Th>
                  <Table.Th ta="right">{t("dashboard.measures.captured")}</Table.Th>
                  <Table.Th ta="right">{t("dashboard.measures.credited")}</Table.Th>
                  <Table.Th ta="right">{t("dashboard.measures.net")}</Table.Th>
                  <Table.Th>{t("dashboard.payments")}</Table.Th>
                </>
              }
            >
              {[...days].reverse().map((day) => (
                <Table.Tr key={day.day}>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>
                    {shortDay(day.day, format.locale)}{" "}
                    <Text span c="dimmed" size="xs">
                      {day.day.slice(0, 4)}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Amount value={day.total.captured} currency={currency} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Amount value={day.total.credited} currency={currency} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Amount value={day.total.net} currency={currency} />
                  </Table.Td>
                  <Table.Td>
                    <Anchor
                      component={Link}
                      to={paymentsBehind(measure, currency, day.day, null)}
                      size="sm"
                      aria-label={t("dashboard.openDay", {
                        measure: t(`dashboard.measures.${measure}`).toLowerCase(),
                        day: day.day,
                      })}
                    >
                      {t("dashboard.open")}
                    </Anchor>
                  </Table.Td>
                </Table.Tr>
              ))}
            </HeadedTable>
          </Table.ScrollContainer>
        </Accordion.Panel>
      </Accordion.Item>
    </Accordion>
  );
}

function TopPaymentTypes({ rows, currency }: { rows: Dashboard["topPaymentTypes"]; currency: string }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="md" style={{ overflow: "hidden" }}>
      <Title order={2} size="h4" p="md" pb="xs">
        {t("dashboard.topTypes")}
      </Title>
      <Table.ScrollContainer minWidth={720} type="native">
        <HeadedTable
          fz="sm"
          verticalSpacing="xs"
          horizontalSpacing="md"
          highlightOnHover
          head={
            <>
              <Table.Th>{t("dashboard.paymentType")}</Table.Th>
              <Table.Th>{t("dashboard.group")}</Table.Th>
              <VolumeHeads />
              <Table.Th ta="right">{t("dashboard.shareCaptured")}</Table.Th>
            </>
          }
        >
          {rows.map((row) => (
            <Table.Tr key={`${row.paymentTypeGroup}/${row.paymentType}`}>
              <Table.Td fw={500}>{row.paymentType}</Table.Td>
              <Table.Td c="dimmed">{row.paymentTypeGroup}</Table.Td>
              <VolumeCells row={{ ...row, currency }} />
              <Table.Td ta="right" style={{ fontVariantNumeric: "tabular-nums" }}>
                {row.capturedShare} %
              </Table.Td>
            </Table.Tr>
          ))}
        </HeadedTable>
      </Table.ScrollContainer>
    </Paper>
  );
}
