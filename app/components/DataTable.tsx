// The frame every staff table shares: a bordered box that scrolls sideways inside itself below
// `minWidth` (never the page), compact small rows, and a header that stays in view when the box
// has a `maxHeight` of its own. Screens pass only their header cells and rows; HeadedTable is the
// table inside, for tables framed otherwise.
import { Paper, Table, VisuallyHidden, type TableProps, type TableThProps } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

type DataTableProps = Omit<TableProps, "children"> & {
  /**
   * What the table shows ("Payments"): names the scrolling box, which a keyboard user can focus
   * to scroll it with the arrow keys (WCAG 2.1.1).
   */
  label?: string;
  /** Below this width the table scrolls inside its box instead of squeezing its columns. */
  minWidth: number;
  /** Scroll vertically inside the box (with a sticky header) beyond this height. */
  maxHeight?: number | string;
  /** The header cells (`Table.Th`), in one header row. */
  head: ReactNode;
  /** The body rows (`Table.Tr`). */
  children: ReactNode;
  /** Align cells to the top, for rows where one cell holds several lines. */
  alignTop?: boolean;
  /**
   * The last column holds the row's actions: on a narrow screen it stays in view at the right
   * edge while the rest scrolls (app/components/staff-shell.css). Its header cell is added after
   * `head`, named only for screen readers: "Actions", or the text given here.
   */
  actions?: boolean | string;
};

export function DataTable({
  label,
  minWidth,
  maxHeight,
  head,
  children,
  alignTop = false,
  actions = false,
  className,
  ...table
}: DataTableProps) {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="md" style={{ overflow: "hidden" }}>
      <Table.ScrollContainer
        minWidth={minWidth}
        maxHeight={maxHeight}
        type="native"
        tabIndex={0}
        role="region"
        aria-label={label ?? t("listTools.table")}
      >
        <HeadedTable
          stickyHeader={maxHeight !== undefined}
          highlightOnHover
          verticalSpacing="xs"
          horizontalSpacing="sm"
          fz="sm"
          styles={alignTop ? { td: { verticalAlign: "top" } } : undefined}
          className={[actions ? "data-table--actions" : null, className].filter(Boolean).join(" ") || undefined}
          {...table}
          head={
            actions ? (
              <>
                {head}
                <Table.Th pos="relative">
                  <VisuallyHidden>{actions === true ? t("common.actions") : actions}</VisuallyHidden>
                </Table.Th>
              </>
            ) : (
              head
            )
          }
        >
          {children}
        </HeadedTable>
      </Table.ScrollContainer>
    </Paper>
  );
}

/** A table with one header row (`head`: its header cells) above its body rows (`children`). */
export function HeadedTable({
  head,
  children,
  ...table
}: Omit<TableProps, "children"> & { head: ReactNode; children: ReactNode }) {
  return (
    <Table {...table}>
      <Table.Thead>
        <Table.Tr>{head}</Table.Tr>
      </Table.Thead>
      <Table.Tbody>{children}</Table.Tbody>
    </Table>
  );
}

/**
 * A table's header cells (`Table.Th`), one per column in order: `label` names a column in the
 * reader's language and `props` gives the few columns that need it their own (`ta: "right"`).
 */
export function HeaderCells<Column extends string>({
  columns,
  label,
  props,
}: {
  columns: readonly Column[];
  label: (column: Column) => string;
  props?: Partial<Record<Column, TableThProps>>;
}) {
  return columns.map((column) => (
    <Table.Th key={column} {...props?.[column]}>
      {label(column)}
    </Table.Th>
  ));
}
