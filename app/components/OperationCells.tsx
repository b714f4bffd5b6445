// The first four cells of an operation-log row (when, which operation, how much, on which
// payment) and their header cells, in the order every operation table uses (the operation log,
// a settlement's operations).
import { Anchor, Table } from "@mantine/core";
import { HeaderCells } from "./DataTable";
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Amount } from "./Amount";
import { DateTime } from "./DateTime";
import { Dash } from "./list-parts";
import { OperationBadge } from "./StatusBadge";

type OperationFigures = {
  createdAt: string;
  operation: string;
  /** Null for an operation without an amount (CREATE, INITIATE). */
  amount: string | null;
  currency: string | null;
  paymentId: number;
};

/** The header cells over OperationCells, in the same order. */
export function OperationHeads() {
  const { t } = useTranslation();
  return (
    <HeaderCells
      columns={["time", "operation", "amount", "payment"] as const}
      label={(column) => t(`operationLog.col.${column}`)}
      props={{ amount: { ta: "right" } }}
    />
  );
}

export function OperationCells({ entry, timeZone }: { entry: OperationFigures; timeZone: string }) {
  return (
    <>
      <Table.Td>
        <DateTime value={entry.createdAt} timeZone={timeZone} />
      </Table.Td>
      <Table.Td>
        <OperationBadge operation={entry.operation} />
      </Table.Td>
      <AmountCell amount={entry.amount} currency={entry.currency} />
      <Table.Td>
        <Anchor component={Link} to={`/payments/${entry.paymentId}`} size="sm" fw={500}>
          {entry.paymentId}
        </Anchor>
      </Table.Td>
    </>
  );
}

/** A right-aligned amount cell, or a dash for a row without an amount. */
export function AmountCell({ amount, currency }: { amount: string | null; currency: string | null }) {
  return (
    <Table.Td ta="right">
      {amount !== null && currency !== null ? <Amount value={amount} currency={currency} /> : <Dash />}
    </Table.Td>
  );
}
