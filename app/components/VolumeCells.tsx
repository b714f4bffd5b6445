// The six figures of a rollup row (captured, captures, credited, credits, charged back by lost
// chargebacks, net) as table cells
// and their headers, in the order every volume table uses; totals rows pass a heavier weight.
import { Table } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useFormat } from "./use-format";
import { Amount } from "./Amount";
import type { CurrencyTotals } from "../services/queries/settlements.server";

/** A rollup row's figures in its currency: what a settlement day or a currency's totals hold. */
export type VolumeFigures = CurrencyTotals;

function CountCell({ value }: { value: number }) {
  const format = useFormat();
  return (
    <Table.Td ta="right" style={{ fontVariantNumeric: "tabular-nums" }}>
      {format.count(value)}
    </Table.Td>
  );
}

/** The header cells over VolumeCells, in the same order. */
export function VolumeHeads() {
  const { t } = useTranslation();
  return (
    <>
      <Table.Th ta="right">{t("dashboard.measures.captured")}</Table.Th>
      <Table.Th ta="right">{t("dashboard.captures")}</Table.Th>
      <Table.Th ta="right">{t("dashboard.measures.credited")}</Table.Th>
      <Table.Th ta="right">{t("dashboard.creditsHead")}</Table.Th>
      <Table.Th ta="right">{t("dashboard.measures.chargedBack")}</Table.Th>
      <Table.Th ta="right">{t("dashboard.measures.net")}</Table.Th>
    </>
  );
}

export function VolumeCells({ row, totals = false }: { row: VolumeFigures; totals?: boolean }) {
  const amountWeight = totals ? 600 : undefined;
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <>
      <Table.Td ta="right" fw={amountWeight}>
        <Amount value={row.captured} currency={row.currency} />
      </Table.Td>
      <CountCell value={row.capturedCount} />
      <Table.Td ta="right" fw={amountWeight}>
        <Amount value={row.credited} currency={row.currency} />
      </Table.Td>
      <CountCell value={row.creditedCount} />
      <Table.Td
        ta="right"
        fw={amountWeight}
        title={t("dashboard.lostChargebacks", { count: row.chargedBackCount, n: format.count(row.chargedBackCount) })}
      >
        <Amount value={row.chargedBack} currency={row.currency} />
      </Table.Td>
      <Table.Td ta="right" fw={totals ? 600 : 500}>
        <Amount value={row.net} currency={row.currency} />
      </Table.Td>
    </>
  );
}
