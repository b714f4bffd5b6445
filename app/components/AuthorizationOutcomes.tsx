// The dashboard's authorization panel: of the attempts to authorize a payment with a provider in
// the range and currency, the share the provider declined or that failed, overall and per
// payment type group. Figures come from the daily_outcomes rollup (app/services/queries/dashboard.server.ts).
import { BarChart } from "@mantine/charts";
import { Box, Group, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { shortDay } from "./VolumeChart";
import { formatCount } from "./format";
import { plural } from "./plural";
import type { AuthorizationOutcomes as Outcomes } from "../services/queries/dashboard.server";
import { HeadedTable } from "./DataTable";

/** A right-aligned figure of the table. */
function Figure({ children }: { children: string }) {
  return (
    <Table.Td ta="right" style={{ fontVariantNumeric: "tabular-nums" }}>
      {children}
    </Table.Td>
  );
}

export function AuthorizationOutcomes({ outcomes, currency }: { outcomes: Outcomes; currency: string }) {
  return (
    <Paper withBorder radius="md" style={{ overflow: "hidden" }} data-testid="authorization-outcomes">
      <Group justify="space-between" align="baseline" wrap="wrap" gap="xs" p="md" pb="xs">
        <Title order={2} size="h4">
          Authorization attempts
        </Title>
        <Text size="xs" c="dimmed">
          {`Payments authorized in ${currency} or refused on the way; credits, card registrations and pre-authorization adjustments are not attempts.`}
        </Text>
      </Group>
      {outcomes.attempts === 0 ? (
        <Text px="md" pb="md" size="sm" c="dimmed" data-testid="authorization-share">
          {`No payment was authorized or declined in ${currency} in this range.`}
        </Text>
      ) : (
        <>
          <Text px="md" size="sm" data-testid="authorization-share">
            <Text span fw={700} fz="lg">
              {`Declined or failed: ${outcomes.unapprovedShare} %`}
            </Text>{" "}
            <Text span c="dimmed" size="sm" style={{ whiteSpace: "nowrap" }}>
              {`— ${formatCount(outcomes.declined)} declined, ${formatCount(outcomes.failed)} failed of ${plural(outcomes.attempts, "attempt")}`}
            </Text>
          </Text>
          <Text px="md" pb="xs" size="xs" c="dimmed">
            Declined: the provider said no (refused by the issuer, soft decline). Failed: the provider could not be
            reached or answered with an error. Either way the payment stayed as it was.
          </Text>
          {/* The table and the trend side by side where both fit, the trend below otherwise. */}
          <Group align="flex-start" gap="md" pb="md" wrap="wrap">
            <Table.ScrollContainer minWidth={520} type="native" style={{ flex: "1 1 600px", minWidth: 0 }}>
              <HeadedTable
                fz="sm"
                verticalSpacing={4}
                horizontalSpacing="md"
                data-testid="authorization-groups"
                head={
                  <>
                    <Table.Th>Payment type group</Table.Th>
                    <Table.Th ta="right">Declined or failed</Table.Th>
                    <Table.Th ta="right">Attempts</Table.Th>
                    <Table.Th ta="right">Approved</Table.Th>
                    <Table.Th ta="right">Declined</Table.Th>
                    <Table.Th ta="right">Failed</Table.Th>
                  </>
                }
              >
                {outcomes.groups.map((group) => (
                  <Table.Tr key={group.paymentTypeGroup} data-group={group.paymentTypeGroup}>
                    <Table.Td fw={500}>{group.paymentTypeGroup}</Table.Td>
                    <Figure>{`${group.unapprovedShare} %`}</Figure>
                    <Figure>{formatCount(group.attempts)}</Figure>
                    <Figure>{formatCount(group.approved)}</Figure>
                    <Figure>{formatCount(group.declined)}</Figure>
                    <Figure>{formatCount(group.failed)}</Figure>
                  </Table.Tr>
                ))}
              </HeadedTable>
            </Table.ScrollContainer>
            <OutcomeTrend days={outcomes.days} currency={currency} />
          </Group>
        </>
      )}
    </Paper>
  );
}

/**
 * Per day, the share of attempts approved, declined and failed (each day's bar is 100 %), so a
 * day that went wrong stands out whatever its volume; the tooltip gives the counts.
 */
function OutcomeTrend({ days, currency }: { days: Outcomes["days"]; currency: string }) {
  const data = days.map((day) => ({
    label: shortDay(day.day),
    Approved: day.approved,
    Declined: day.declined,
    Failed: day.failed,
    day,
  }));
  return (
    <Stack gap={4} px="md" style={{ flex: "1 1 380px", minWidth: 0 }} data-testid="authorization-trend">
      <Text size="sm" fw={600}>
        Approved, declined and failed per UTC day
      </Text>
      <Box
        role="img"
        aria-label={`Share of authorization attempts in ${currency} approved, declined and failed per UTC day`}
      >
        <BarChart
          h={200}
          data={data}
          dataKey="label"
          type="percent"
          series={[
            { name: "Approved", color: "teal.6" },
            { name: "Declined", color: "orange.6" },
            { name: "Failed", color: "red.7" },
          ]}
          maxBarWidth={24}
          withLegend
          legendProps={{ verticalAlign: "bottom", height: 30 }}
          tooltipProps={{
            content: ({ payload }) => {
              const day = (payload?.[0]?.payload as { day?: Outcomes["days"][number] } | undefined)?.day;
              if (!day) return null;
              return (
                <Paper withBorder shadow="md" p="xs" radius="md">
                  <Text fw={600} size="sm">
                    {day.day} (UTC)
                  </Text>
                  <Text size="xs">
                    {day.attempts === 0
                      ? "No attempts"
                      : `${formatCount(day.approved)} approved, ${formatCount(day.declined)} declined, ${formatCount(day.failed)} failed: ${day.unapprovedShare} % declined or failed`}
                  </Text>
                </Paper>
              );
            },
          }}
        />
      </Box>
    </Stack>
  );
}
