// What happened to each transaction: its operation log as a timeline (operation, amount, who,
// when, from which client, POS and channel), each entry linking to everything else done under
// the same correlation id.
import {
  Anchor,
  Badge,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  ThemeIcon,
  Timeline,
  Title,
  type MantineColor,
} from "@mantine/core";
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { Amount } from "../Amount";
import { DateTime } from "../DateTime";
import { StatusBadge } from "../StatusBadge";
import { Field } from "../Field";
import { OperationIcon } from "../OperationIcon";
import type { DetailTransaction } from "./types";

const OPERATION_COLORS: Record<string, MantineColor> = {
  CREATE: "gray",
  INITIATE: "blue",
  AUTHORIZE: "cyan",
  CAPTURE: "green",
  IMPORT: "green",
  CREDIT: "grape",
  CANCEL: "red",
  UPDATE: "yellow",
};

/** Reasons staff gave, by correlation id (empty for a viewer who may not read them). */
type Reasons = ReadonlyArray<{ correlationId: string; actorEmail: string; reason: string }>;

export function TransactionLogs({
  transactions,
  reasons,
  timeZone,
}: {
  transactions: DetailTransaction[];
  reasons: Reasons;
  timeZone: string;
}) {
  if (!transactions.length) return null;
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        Operation log
      </Title>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        {transactions.map((t) => (
          <TransactionLog key={t.transactionId} transaction={t} reasons={reasons} timeZone={timeZone} />
        ))}
      </SimpleGrid>
    </Stack>
  );
}

function TransactionLog({
  transaction: t,
  reasons,
  timeZone,
}: {
  transaction: DetailTransaction;
  reasons: Reasons;
  timeZone: string;
}) {
  return (
    <Paper
      withBorder
      p="md"
      id={`transaction-${t.transactionId}`}
      data-testid={`log-${t.transactionId}`}
      style={{ minWidth: 0 }}
    >
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Group gap="xs">
            <Text fw={600}>Transaction {t.transactionId}</Text>
            <StatusBadge status={t.status} />
          </Group>
          <Text size="sm" c="dimmed">
            {t.paymentType ?? t.paymentTypeGroup} · <Amount value={t.amount!} currency={t.currency} />
          </Text>
        </Group>
        <TransactionFacts transaction={t} timeZone={timeZone} />
        {t.operationLog.length === 0 ? (
          <Text size="sm" c="dimmed">
            No operations logged.
          </Text>
        ) : (
          <Timeline
            bulletSize={22}
            lineWidth={2}
            active={t.operationLog.length - 1}
            aria-label={`Operation log of transaction ${t.transactionId}`}
          >
            {t.operationLog.map((entry, index) => (
              <Timeline.Item
                key={`${entry.createdAt}-${index}`}
                color={OPERATION_COLORS[entry.operation] ?? "gray"}
                bullet={
                  <ThemeIcon
                    size={22}
                    radius="xl"
                    color={OPERATION_COLORS[entry.operation] ?? "gray"}
                    title={entry.operation}
                  >
                    <OperationIcon operation={entry.operation} />
                  </ThemeIcon>
                }
                title={
                  <Group justify="space-between" gap="xs" wrap="nowrap">
                    <Text size="sm" fw={600}>
                      {entry.operation}
                    </Text>
                    {entry.amount !== null ? (
                      <Text size="sm">
                        <Amount value={entry.amount} currency={t.currency} />
                      </Text>
                    ) : null}
                  </Group>
                }
              >
                <Text size="xs" c="dimmed">
                  <DateTime value={entry.createdAt!} timeZone={timeZone} /> · by{" "}
                  <Text span inherit c="dark" style={{ overflowWrap: "anywhere" }}>
                    {entry.actor}
                  </Text>
                </Text>
                <Text size="xs" c="dimmed">
                  Client {entry.clientName ?? "—"} · POS {entry.pos ?? "—"} · Channel {entry.distributionChannel ?? "—"}
                </Text>
                {reasons
                  .filter((r) => r.correlationId === entry.correlationId)
                  .map((r, i) => (
                    <Text key={i} size="xs" style={{ overflowWrap: "anywhere" }} data-testid="staff-reason">
                      Reason: {r.reason}
                    </Text>
                  ))}
                <Text size="xs" c="dimmed" style={{ overflowWrap: "anywhere" }}>
                  Correlation{" "}
                  <Anchor
                    component={Link}
                    to={`/operation-log?correlationId=${encodeURIComponent(entry.correlationId)}`}
                    size="xs"
                    ff="monospace"
                  >
                    {entry.correlationId}
                  </Anchor>
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
        )}
      </Stack>
    </Paper>
  );
}

/** The transaction's references, shown only when it has them. */
function TransactionFacts({ transaction: t, timeZone }: { transaction: DetailTransaction; timeZone: string }) {
  const facts: Array<[string, ReactNode]> = [];
  if (t.rrn) facts.push(["RRN", t.rrn]);
  if (t.cardNumber) facts.push(["Card", `•••• ${t.cardNumber}`]);
  if (t.externalTransactionId) facts.push(["External id", t.externalTransactionId]);
  if (t.terminalId) facts.push(["Terminal", t.terminalId]);
  if (t.recurringPaymentId) facts.push(["Recurring payment", t.recurringPaymentId]);
  if (t.paymentAgreementId) facts.push(["Agreement", t.paymentAgreementId]);
  if (t.reimbursementTypeGroup) facts.push(["Credits go through", t.reimbursementTypeGroup]);
  if (t.scaExemption !== "NO_EXEMPTION") facts.push(["SCA exemption", t.scaExemption]);
  if (t.invoice) {
    facts.push(["Invoice", t.invoice.invoiceId]);
    facts.push([
      "Customer",
      t.invoice.confirmedAt ? (
        <Badge size="sm" color="green" variant="light">
          confirmed
        </Badge>
      ) : (
        <Badge size="sm" color="yellow" variant="light">
          not confirmed yet
        </Badge>
      ),
    ]);
    facts.push(["Invoice amount", <Amount key="a" value={t.invoice.amount} currency={t.currency} />]);
    if (t.invoice.externalInvoiceNumber) facts.push(["Invoice number", t.invoice.externalInvoiceNumber]);
    if (t.invoice.customerIdentificationNumber) facts.push(["KID", t.invoice.customerIdentificationNumber]);
    if (t.invoice.languageCode) facts.push(["Language", t.invoice.languageCode]);
    if (t.invoice.expiryDate) facts.push(["Payable until", t.invoice.expiryDate]);
  }
  facts.push(["Created", <DateTime key="c" value={t.createdAt!} timeZone={timeZone} />]);
  return (
    <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="sm" verticalSpacing={6}>
      {facts.map(([label, value]) => (
        <Field key={label} label={label}>
          {value}
        </Field>
      ))}
    </SimpleGrid>
  );
}
