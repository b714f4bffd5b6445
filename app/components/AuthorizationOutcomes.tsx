// The dashboard's authorization panel: of the attempts to authorize a payment with a provider in
// the range and currency, the share the provider declined or that failed, overall and per
// payment type group. Figures come from the daily_outcomes rollup (app/services/queries/dashboard.server.ts).
import { BarChart } from "@mantine/charts";
import { Box, Group, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { shortDay } from "./VolumeChart";
import { useTranslation } from "react-i18next";
import { useFormat } from "./use-format";
import type { AuthorizationOutcomes as Outcomes } from "../services/queries/dashboard.server";
import { HeadedTable, HeaderCells } from "./DataTable";

/** A right-aligned figure of the table. */
function Figure({ children }: { children: string }) {
  return (
    <Table.Td ta="right" style={{ fontVariantNumeric: "tabular-nums" }}>
      {children}
    </Table.Td>
  );
}

export function AuthorizationOutcomes({ outcomes, currency }: { outcomes: Outcomes; currency: string }) {
  const { t } = useTranslation();
  const { count: formatCount } = useFormat();
  return (
    <Paper withBorder radius="md" style={{ overflow: "hidden" }} data-testid="authorization-outcomes">
      <Group justify="space-between" align="baseline" wrap="wrap" gap="xs" p="md" pb="xs">
        <Title order={2} size="h4">
          {t("dashboard.auth.title")}
        </Title>
        <Text size="xs" c="dimmed">
          {t("dashboard.auth.description", { currency })}
        </Text>
      </Group>
      {outcomes.attempts === 0 ? (
        <Text px="md" pb="md" size="sm" c="dimmed" data-testid="authorization-share">
          {t("dashboard.auth.none", { currency })}
        </Text>
      ) : (
        <>
          <Text px="md" size="sm" data-testid="authorization-share">
            <Text span fw={700} fz="lg">
              {t("dashboard.auth.unapproved", { share: outcomes.unapprovedShare })}
            </Text>{" "}
            <Text span c="dimmed" size="sm" style={{ whiteSpace: "nowrap" }}>
              {t("dashboard.auth.ofAttempts", {
                count: outcomes.attempts,
                n: formatCount(outcomes.attempts),
                declined: formatCount(outcomes.declined),
                failed: formatCount(outcomes.failed),
              })}
            </Text>
          </Text>
          <Text px="md" pb="xs" size="xs" c="dimmed">
            {t("dashboard.auth.explain")}
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
                  <HeaderCells
                    columns={["group", "declinedOrFailed", "attempts", "approved", "declined", "failed"] as const}
                    label={(column) => t(`dashboard.auth.${column}`)}
                    props={{
                      declinedOrFailed: { ta: "right" },
                      attempts: { ta: "right" },
                      approved: { ta: "right" },
                      declined: { ta: "right" },
                      failed: { ta: "right" },
                    }}
                  />
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
  const { t } = useTranslation();
  const { count: formatCount, locale } = useFormat();
  const data = days.map((day) => ({
    label: shortDay(day.day, locale),
    Approved: day.approved,
    Declined: day.declined,
    Failed: day.failed,
    day,
  }));
  return (
    <Stack gap={4} px="md" style={{ flex: "1 1 380px", minWidth: 0 }} data-testid="authorization-trend">
      <Text size="sm" fw={600}>
        {t("dashboard.auth.trendTitle")}
      </Text>
      <Box role="img" aria-label={t("dashboard.auth.chartLabel", { currency })}>
        <BarChart
          h={200}
          data={data}
          dataKey="label"
          type="percent"
          series={[
            { name: "Approved", label: t("dashboard.auth.approved"), color: "teal.6" },
            { name: "Declined", label: t("dashboard.auth.declined"), color: "orange.6" },
            { name: "Failed", label: t("dashboard.auth.failed"), color: "red.7" },
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
                    {`${day.day} (UTC)`}
                  </Text>
                  <Text size="xs">
                    {day.attempts === 0
                      ? t("dashboard.auth.noAttempts")
                      : t("dashboard.auth.dayTip", {
                          approved: formatCount(day.approved),
                          declined: formatCount(day.declined),
                          failed: formatCount(day.failed),
                          share: day.unapprovedShare,
                        })}
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
