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
  PRESET_LABELS,
  rangeParams,
  utcDay,
  type DayRange,
} from "../domain/day-range";
import type { FieldError } from "../domain/errors";
import { plural } from "../components/plural";
import { useHrefWith } from "../components/url-state";
import { staffCaller } from "../http/staff/action.server";
import { getDashboard, type Dashboard, type VolumeTotals } from "../services/queries/dashboard.server";
import { HeadedTable } from "../components/DataTable";
import { useStaffUser } from "../components/staff-user";
import { userHasPermission } from "../auth/roles";
import { volumeFilterParams, type VolumeKind } from "../domain/volume-filter";
import type { PaymentTypeGroup } from "../domain/enums";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction = () => [{ title: "Dashboard · Paydesk" }];

/** One bar per day: a year is as much as a chart can show legibly. */
const MAX_DAYS = 366;

const MEASURES = ["captured", "credited", "net"] as const;
type Measure = (typeof MEASURES)[number];
const MEASURE_LABELS: Record<Measure, string> = { captured: "Captured", credited: "Credited", net: "Net" };
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
  if (measure !== show) errors.push({ field: "show", message: `must be one of ${MEASURES.join(", ")}` });
  const dashboard = await getDashboard(staffCaller(user, request, context, null), {
    from: range.from,
    to: range.to,
    currency: currency.currency,
  });
  return json({ today, range, errors, measure, dashboard });
}

export default function DashboardScreen() {
  const { today, range, errors, measure, dashboard } = useLoaderData<typeof loader>();
  const otherErrors = errors.filter((error) => !["from", "to", "range"].includes(error.field));
  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={1} size="h2">
          Dashboard
        </Title>
        <Text c="dimmed" size="sm">
          Captured, credited and net volume and authorization attempts from the daily rollups. Days are UTC days
          (00:00–24:00 UTC).
        </Text>
      </div>

      <Stack gap={6}>
        <DayRangePicker range={range} today={today} errors={errors} />
        <Text size="sm" c="dimmed" data-testid="range-summary">
          {describeRange(range)}
        </Text>
      </Stack>

      {otherErrors.length > 0 ? <ParamErrors errors={otherErrors} /> : null}

      {dashboard.currencies.length === 0 ? (
        <Paper withBorder radius="md" p="xl" data-testid="dashboard-empty">
          <Text fw={600}>Nothing was captured, credited or authorized in this range.</Text>
          <Text c="dimmed" size="sm">
            Choose a longer range, or another one, above.
          </Text>
        </Paper>
      ) : (
        <CurrencyView dashboard={dashboard} measure={measure} />
      )}
    </Stack>
  );
}

function describeRange(range: DayRange): string {
  const days = daysBetween(range.from, range.to);
  const span = range.from === range.to ? range.from : `${range.from} to ${range.to}`;
  const name =
    range.preset === "custom"
      ? "Custom range"
      : range.preset === "today"
        ? "Today"
        : `Last ${PRESET_LABELS[range.preset]}`;
  return `${name}: ${span} (${plural(days, "UTC day")})`;
}

function ParamErrors({ errors }: { errors: FieldError[] }) {
  return (
    <Alert color="orange" title="Part of the address could not be used" role="alert">
      {errors.map((error) => (
        <Text key={error.field} size="sm">
          {`${error.field} ${error.message}; the default is shown instead.`}
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
  return (
    <>
      {dashboard.currencies.length > 1 || !known ? (
        <Group gap="sm" wrap="wrap">
          <Text size="sm" c="dimmed">
            Currency
          </Text>
          <SegmentedControl
            size="xs"
            aria-label="Currency"
            value={known ? currency : ""}
            data={dashboard.currencies.map((row) => row.currency)}
            onChange={(value) => navigate(hrefWith({ currency: value }), { preventScrollReset: true })}
          />
          <Text size="xs" c="dimmed">
            One currency at a time: amounts in different currencies are never added.
          </Text>
        </Group>
      ) : null}

      {!known ? (
        <Paper withBorder radius="md" p="xl" data-testid="dashboard-empty">
          <Text fw={600}>Nothing was captured or credited in {currency} in this range.</Text>
          <Text c="dimmed" size="sm">
            Choose one of the currencies above.
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
                Per day, by payment type group
              </Title>
              <SegmentedControl
                size="xs"
                aria-label="Volume shown in the chart"
                value={measure}
                data={MEASURES.map((value) => ({ value, label: MEASURE_LABELS[value] }))}
                onChange={(value) =>
                  navigate(hrefWith({ show: value === "captured" ? null : value }), { preventScrollReset: true })
                }
              />
            </Group>
            <VolumeChart
              label={`${MEASURE_LABELS[measure]} volume in ${currency} per UTC day, stacked by payment type group`}
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
              Click a bar to open the payments behind it.
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
  return (
    <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="md">
      <Stat
        testId="total-captured"
        label="Captured"
        value={totals.captured}
        currency={currency}
        hint={plural(totals.capturedCount, "capture")}
      />
      <Stat
        testId="total-credited"
        label="Credited"
        value={totals.credited}
        currency={currency}
        hint={plural(totals.creditedCount, "credit")}
      />
      <Stat testId="total-net" label="Net" value={totals.net} currency={currency} hint="Captured minus credited" />
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
  return (
    <Text size="sm" c="dimmed" data-testid="settlement-split">
      Under a settlement id: captured <Amount value={withSettlement.captured} currency={currency} c="dark" />, credited{" "}
      <Amount value={withSettlement.credited} currency={currency} c="dark" />. Without a settlement id: captured{" "}
      <Amount value={withoutSettlement.captured} currency={currency} c="dark" />, credited{" "}
      <Amount value={withoutSettlement.credited} currency={currency} c="dark" />.
      {userHasPermission(user, "settlement:read") ? (
        <>
          {" "}
          <Anchor component={Link} to={`/settlements?${settlements}`} size="sm">
            The same figures on Settlements
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
  return (
    <Accordion variant="default" mt="xs" chevronPosition="left">
      <Accordion.Item value="days">
        <Accordion.Control>
          <Text size="sm">The numbers per day</Text>
        </Accordion.Control>
        <Accordion.Panel>
          <Table.ScrollContainer minWidth={420} maxHeight={360} type="native">
            <HeadedTable
              stickyHeader
              fz="sm"
              verticalSpacing={4}
              head={
                <>
                  <Table.Th>UTC day</Table.Th>
                  <Table.Th ta="right">Captured</Table.Th>
                  <Table.Th ta="right">Credited</Table.Th>
                  <Table.Th ta="right">Net</Table.Th>
                  <Table.Th>Payments</Table.Th>
                </>
              }
            >
              {[...days].reverse().map((day) => (
                <Table.Tr key={day.day}>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>
                    {shortDay(day.day)}{" "}
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
                      aria-label={`Payments ${MEASURE_LABELS[measure].toLowerCase()} on ${day.day}`}
                    >
                      Open
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
  return (
    <Paper withBorder radius="md" style={{ overflow: "hidden" }}>
      <Title order={2} size="h4" p="md" pb="xs">
        Top payment types
      </Title>
      <Table.ScrollContainer minWidth={720} type="native">
        <HeadedTable
          fz="sm"
          verticalSpacing="xs"
          horizontalSpacing="md"
          highlightOnHover
          head={
            <>
              <Table.Th>Payment type</Table.Th>
              <Table.Th>Group</Table.Th>
              <VolumeHeads />
              <Table.Th ta="right">Share of captured</Table.Th>
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
