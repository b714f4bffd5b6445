// Volume per day, stacked by payment type group. recharts needs numbers for bar heights, so each
// exact decimal string becomes a number here and only here, for drawing; every figure a person
// reads (tooltip, table) is formatted from the decimal string itself.
import { BarChart } from "@mantine/charts";
import { Box, Group, Paper, Stack, Text } from "@mantine/core";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { money, SCALE } from "../domain/money";
import { useFormat } from "./use-format";

export type ChartDay = {
  day: string;
  /** Per group, the decimal string to draw. */
  amounts: Record<string, string>;
  total: string;
};

/** Mantine colours per payment type group, fixed so a group keeps its colour across screens. */
export const GROUP_COLORS: Record<string, string> = {
  PAYMENTCARD: "indigo.6",
  MOBILE: "orange.6",
  INVOICE: "teal.6",
  GIFTCARD: "grape.6",
  ECARD: "cyan.6",
  CASH: "lime.7",
  AGENT: "gray.6",
};

/** For drawing only: the height of a bar. Never used for a figure anybody reads. */
function barHeight(amount: string): number {
  return Number(money(amount)) / 10 ** SCALE;
}

/** "2026-11-05" → "5 Nov" (a UTC day, shown as the day it is, whatever the browser's zone). */
export function shortDay(day: string, locale = "en-GB"): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString(locale, { day: "numeric", month: "short", timeZone: "UTC" });
}

export function VolumeChart({
  days,
  groups,
  currency,
  label,
  onBarClick,
}: {
  days: ChartDay[];
  groups: string[];
  currency: string;
  label: string;
  /** A click on one group's part of a day's bar (the day's table offers the same by keyboard). */
  onBarClick?: (day: string, group: string) => void;
}) {
  const { locale } = useFormat();
  // The axis in the reader's language: "1,2 k" (nb) or "1.2K" (en).
  const axisFormat = useMemo(
    () => new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 }),
    [locale],
  );
  const data = days.map((entry) => ({
    ...Object.fromEntries(groups.map((group) => [group, barHeight(entry.amounts[group] ?? "0")])),
    label: shortDay(entry.day, locale),
    entry,
  }));
  return (
    <Box role="img" aria-label={label}>
      <BarChart
        h={280}
        data={data}
        dataKey="label"
        type="stacked"
        series={groups.map((group) => ({ name: group, color: GROUP_COLORS[group] ?? "gray.5" }))}
        // Net volume can be negative on a day with more credited than captured.
        barChartProps={{ stackOffset: "sign" }}
        valueFormatter={(value) => axisFormat.format(value)}
        yAxisProps={{ width: 48 }}
        maxBarWidth={36}
        barProps={(series) => ({
          className: `volume-bar volume-bar-${series.name}`,
          style: onBarClick ? { cursor: "pointer" } : undefined,
          onClick: onBarClick
            ? (bar: { payload?: { entry?: ChartDay } }) => {
                const day = bar.payload?.entry?.day;
                if (day) onBarClick(day, series.name);
              }
            : undefined,
        })}
        tooltipProps={{
          content: ({ payload }) => {
            const entry = (payload?.[0]?.payload as { entry?: ChartDay } | undefined)?.entry;
            return entry ? <DayTooltip entry={entry} groups={groups} currency={currency} /> : null;
          },
        }}
      />
      {/* The legend wraps under the chart on a narrow screen instead of overlapping it. */}
      <Group gap="md" justify="center" mt="xs" aria-hidden>
        {groups.map((group) => (
          <Group key={group} gap={6} wrap="nowrap">
            <Swatch group={group} />
            <Text size="xs">{group}</Text>
          </Group>
        ))}
      </Group>
    </Box>
  );
}

function Swatch({ group }: { group: string }) {
  const color = (GROUP_COLORS[group] ?? "gray.5").replace(".", "-");
  return <Box w={10} h={10} style={{ flexShrink: 0, borderRadius: 2, background: `var(--mantine-color-${color})` }} />;
}

function DayTooltip({ entry, groups, currency }: { entry: ChartDay; groups: string[]; currency: string }) {
  const { money: formatMoney, day: formatDay } = useFormat();
  const { t } = useTranslation();
  return (
    <Paper withBorder shadow="md" p="xs" radius="md" miw={200}>
      <Text fw={600} size="sm" mb={4}>
        {t("listTools.chart.day", { day: formatDay(entry.day) })}
      </Text>
      <Stack gap={2}>
        {groups.map((group) => (
          <Group key={group} justify="space-between" gap="md" wrap="nowrap">
            <Group gap={6} wrap="nowrap">
              <Swatch group={group} />
              <Text size="xs">{group}</Text>
            </Group>
            <Text size="xs" style={{ fontVariantNumeric: "tabular-nums" }}>
              {formatMoney(entry.amounts[group] ?? "0", currency)}
            </Text>
          </Group>
        ))}
        <Group justify="space-between" gap="md" wrap="nowrap" mt={2}>
          <Text size="xs" fw={600}>
            {t("listTools.chart.total")}
          </Text>
          <Text size="xs" fw={600} style={{ fontVariantNumeric: "tabular-nums" }}>
            {formatMoney(entry.total, currency)}
          </Text>
        </Group>
      </Stack>
    </Paper>
  );
}
