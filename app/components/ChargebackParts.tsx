// Chargebacks as every screen shows them (docs/decisions/040): the status badge and one table,
// on the Chargebacks list and in the sections of a payment, a customer and a settlement; and the
// due date and notes fields that opening one and recording its evidence both ask for.
import {
  Anchor,
  Badge,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
  Tooltip,
  type MantineColor,
} from "@mantine/core";
import type { SerializeFrom } from "@remix-run/node";
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { NOTES_MAX_LENGTH } from "../domain/chargeback";
import { CHARGEBACK_STATUSES, type ChargebackStatus } from "../domain/enums";
import type { ChargebackListItem } from "../services/queries/chargebacks.server";
import { Amount } from "./Amount";
import { DataTable, HeaderCells } from "./DataTable";
import { DateTime } from "./DateTime";
import { Dash } from "./list-parts";
import { useFormat } from "./use-format";

export type ChargebackRow = SerializeFrom<ChargebackListItem>;

const COLORS: Record<string, MantineColor> = { OPEN: "orange", WON: "green", LOST: "red" };

const isStatus = (status: string): status is ChargebackStatus =>
  (CHARGEBACK_STATUSES as readonly string[]).includes(status);

/** A status's label and meaning in the reader's language; a status this build does not know shows as itself. */
export function ChargebackStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const known = isStatus(status);
  return (
    <Tooltip label={known ? t(`chargebacks.meaning.${status}`) : status} withArrow multiline w={260}>
      <Badge color={COLORS[status] ?? "gray"} variant="light" size="sm" radius="sm" tabIndex={0} data-status={status}>
        {known ? t(`chargebacks.status.${status}`) : status}
      </Badge>
    </Tooltip>
  );
}

/** Whether an open chargeback's due date has passed (days compared as YYYY-MM-DD). */
export function isOverdue(row: { status: string; dueDate: string | null }, today: string): boolean {
  return row.status === "OPEN" && row.dueDate !== null && row.dueDate < today;
}

export function ChargebackTable({
  rows,
  timeZone,
  today,
  showPayment = true,
}: {
  rows: ChargebackRow[];
  timeZone: string;
  /** Today's UTC day, to mark overdue ones. */
  today: string;
  showPayment?: boolean;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <DataTable
      label={t("chargebacks.title")}
      minWidth={showPayment ? 900 : 700}
      head={
        <>
          <Table.Th>{t("chargebacks.col.chargeback")}</Table.Th>
          <Table.Th>{t("chargebacks.col.status")}</Table.Th>
          <Table.Th ta="right">{t("chargebacks.col.amount")}</Table.Th>
          <Table.Th>
            {showPayment ? t("chargebacks.col.paymentTransaction") : t("chargebacks.col.transaction")}
          </Table.Th>
          <HeaderCells
            columns={["paidWith", "reasonCode", "due", "opened"] as const}
            label={(column) => t(`chargebacks.col.${column}`)}
          />
        </>
      }
    >
      {rows.map((row) => (
        <Table.Tr key={row.chargebackId} data-testid="chargeback-row">
          <Table.Td>
            <Anchor component={Link} to={`/chargebacks/${row.chargebackId}`} size="sm">
              {row.chargebackId}
            </Anchor>
            {row.source === "REPORT" ? (
              <Text span size="xs" c="dimmed">
                {" "}
                {t("chargebacks.fromReport")}
              </Text>
            ) : null}
          </Table.Td>
          <Table.Td>
            <ChargebackStatusBadge status={row.status} />
          </Table.Td>
          <Table.Td ta="right">
            <Amount value={row.amount} currency={row.currency} />
          </Table.Td>
          <Table.Td style={{ whiteSpace: "nowrap" }}>
            {showPayment ? (
              <>
                <Anchor component={Link} to={`/payments/${row.paymentId}`} size="sm">
                  {row.paymentId}
                </Anchor>{" "}
                / {row.transactionId}
              </>
            ) : (
              row.transactionId
            )}
          </Table.Td>
          <Table.Td style={{ whiteSpace: "nowrap" }}>
            {row.paymentType ?? row.paymentTypeGroup}
            {row.cardNumber ? ` •••• ${row.cardNumber}` : ""}
          </Table.Td>
          <Table.Td>{row.reasonCode}</Table.Td>
          <Table.Td style={{ whiteSpace: "nowrap" }}>
            {row.dueDate ? (
              <Text
                size="sm"
                c={isOverdue(row, today) ? "red" : undefined}
                fw={isOverdue(row, today) ? 600 : undefined}
              >
                {isOverdue(row, today)
                  ? t("chargebacks.overdue", { day: format.day(row.dueDate) })
                  : format.day(row.dueDate)}
              </Text>
            ) : (
              <Dash />
            )}
          </Table.Td>
          <Table.Td>
            <DateTime value={row.createdAt} timeZone={timeZone} />
          </Table.Td>
        </Table.Tr>
      ))}
    </DataTable>
  );
}

/** A screen's "Chargebacks" section: its table, or a line saying there are none. */
export function ChargebacksSection({
  rows,
  timeZone,
  today,
  showPayment,
  action,
  empty,
}: {
  rows: ChargebackRow[];
  timeZone: string;
  today: string;
  showPayment?: boolean;
  action?: ReactNode;
  /** What stands in for the table when there are none; by default "No chargebacks." */
  empty?: string;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" component="section" aria-labelledby="chargebacks-title" data-testid="chargebacks-section">
      <Title order={3} size="h4" id="chargebacks-title">
        {t("chargebacks.title")}
      </Title>
      {action}
      {rows.length ? (
        <ChargebackTable rows={rows} timeZone={timeZone} today={today} showPayment={showPayment} />
      ) : (
        <Text size="sm" c="dimmed">
          {empty ?? t("chargebacks.none")}
        </Text>
      )}
    </Stack>
  );
}

/** A chargeback's due date (with the hint the dialog gives) and notes, blank or as they are now. */
export function DueDateAndNotesFields({
  errors,
  dueDateHint,
  dueDate,
  notes,
}: {
  errors: Record<string, string>;
  dueDateHint: string;
  dueDate?: string;
  notes?: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <TextInput
        type="date"
        name="dueDate"
        label={t("chargebacks.detail.dueDate")}
        description={dueDateHint}
        defaultValue={dueDate}
        error={errors.dueDate}
      />
      <Textarea
        name="notes"
        label={t("chargebacks.detail.notes")}
        autosize
        minRows={2}
        maxLength={NOTES_MAX_LENGTH}
        defaultValue={notes}
        error={errors.notes}
      />
    </>
  );
}
