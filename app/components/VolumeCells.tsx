// The six figures of a rollup row (captured, captures, credited, credits, charged back by lost
// chargebacks, net) as table cells
// and their headers, in the order every volume table uses; totals rows pass a heavier weight.
import { Table } from "@mantine/core";
import { formatCount } from "./format";
import { Amount } from "./Amount";
import type { CurrencyTotals } from "../services/queries/settlements.server";

/** A rollup row's figures in its currency: what a settlement day or a currency's totals hold. */
export type VolumeFigures = CurrencyTotals;

function CountCell({ value }: { value: number }) {
  return (
    <Table.Td ta="right" style={{ fontVariantNumeric: "tabular-nums" }}>
      {formatCount(value)}
    </Table.Td>
  );
}

/** The header cells over VolumeCells, in the same order. */
export function VolumeHeads() {
  return (
    <>
      <Table.Th ta="right">Captured</Table.Th>
      <Table.Th ta="right">Captures</Table.Th>
      <Table.Th ta="right">Credited</Table.Th>
      <Table.Th ta="right">Credits</Table.Th>
      <Table.Th ta="right">Charged back</Table.Th>
      <Table.Th ta="right">Net</Table.Th>
    </>
  );
}

export function VolumeCells({ row, totals = false }: { row: VolumeFigures; totals?: boolean }) {
  const amountWeight = totals ? 600 : undefined;
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
      <Table.Td ta="right" fw={amountWeight} title={`${formatCount(row.chargedBackCount)} lost chargebacks`}>
        <Amount value={row.chargedBack} currency={row.currency} />
      </Table.Td>
      <Table.Td ta="right" fw={totals ? 600 : 500}>
        <Amount value={row.net} currency={row.currency} />
      </Table.Td>
    </>
  );
}
