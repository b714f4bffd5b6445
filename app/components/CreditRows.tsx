// A table of credits, as the payment detail and the work queue show them: every row links its
// credit and says who created it and when; each screen adds its own columns before and after.
import { Anchor, Paper, Table } from "@mantine/core";
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { CSSProperties, ReactNode } from "react";
import type { CreditCreator } from "../services/queries/credit-screens.server";
import { CreatorName } from "./CreatorName";
import { DateTime } from "./DateTime";

/** What every credit table shows of a credit. */
type ListedCredit = { creditId: number; creator: CreditCreator; createdAt: string | null };

/** A screen's own column: its header and what its cell shows of a credit. */
export type CreditColumn<C> = {
  header: string;
  cell: (credit: C) => ReactNode;
  align?: "right";
  minWidth?: number;
  style?: CSSProperties;
};

export function CreditRows<C extends ListedCredit>({
  credits,
  timeZone,
  label,
  testId,
  rowTestId,
  before,
  after,
}: {
  credits: C[];
  timeZone: string;
  /** The accessible name of the scrolling box. */
  label: string;
  testId: string;
  /** The prefix of each row's test id (the credit id follows). */
  rowTestId: string;
  /** Columns between the credit id and its creator. */
  before: CreditColumn<C>[];
  /** Columns after the time it was created. */
  after: CreditColumn<C>[];
}) {
  const { t } = useTranslation();
  const cells = (columns: CreditColumn<C>[], credit: C) =>
    columns.map((column) => (
      <Table.Td key={column.header} ta={column.align} miw={column.minWidth} style={column.style}>
        {column.cell(credit)}
      </Table.Td>
    ));
  const heads = (columns: CreditColumn<C>[]) =>
    columns.map((column) => (
      <Table.Th key={column.header} ta={column.align}>
        {column.header}
      </Table.Th>
    ));
  return (
    <Paper withBorder style={{ overflowX: "auto" }} tabIndex={0} aria-label={label}>
      <Table verticalSpacing="xs" data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("credits.col.credit")}</Table.Th>
            {heads(before)}
            <Table.Th>{t("credits.col.createdBy")}</Table.Th>
            <Table.Th>{t("credits.col.created")}</Table.Th>
            {heads(after)}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {credits.map((credit) => (
            <Table.Tr key={credit.creditId} data-testid={`${rowTestId}-${credit.creditId}`}>
              <Table.Td>
                <Anchor component={Link} to={`/credits/${credit.creditId}`} size="sm">
                  {credit.creditId}
                </Anchor>
              </Table.Td>
              {cells(before, credit)}
              <Table.Td>
                <CreatorName creator={credit.creator} />
              </Table.Td>
              <Table.Td>
                <DateTime value={credit.createdAt!} timeZone={timeZone} />
              </Table.Td>
              {cells(after, credit)}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
