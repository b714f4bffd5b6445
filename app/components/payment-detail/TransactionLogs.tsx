// What happened to each transaction: its operation log as a timeline (operation, amount, who,
// when, from which client, POS and channel), each entry linking to everything else done under
// the same correlation id; its chargebacks (opened, won or lost) in between, in time order
// (they are not operations of the /v1 log: docs/decisions/040).
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { resources } from "../../i18n/i18n";
import { operationLabel } from "../../i18n/labels";
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
import { CorrelationLink } from "../list-parts";
import { OperationIcon } from "../OperationIcon";
import type { DetailTransaction } from "./types";
import type { ChargebackRow } from "../ChargebackParts";

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
  chargebacks = [],
  reasons,
  timeZone,
}: {
  transactions: DetailTransaction[];
  chargebacks?: ChargebackRow[];
  reasons: Reasons;
  timeZone: string;
}) {
  const { t } = useTranslation();
  if (!transactions.length) return null;
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        {t("log.title")}
      </Title>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        {transactions.map((t) => (
          <TransactionLog
            key={t.transactionId}
            transaction={t}
            chargebacks={chargebacks.filter((c) => c.transactionId === t.transactionId)}
            reasons={reasons}
            timeZone={timeZone}
          />
        ))}
      </SimpleGrid>
    </Stack>
  );
}

type LogEntry = DetailTransaction["operationLog"][number];

/** A chargeback's events on the timeline: opened, and decided once it is. */
type ChargebackEvent = { at: string; chargeback: ChargebackRow; what: "OPENED" | "WON" | "LOST" };

type TimelineEvent = { at: string; entry: LogEntry } | ChargebackEvent;

function timelineOf(t: DetailTransaction, chargebacks: ChargebackRow[]): TimelineEvent[] {
  const events: TimelineEvent[] = t.operationLog.map((entry) => ({ at: entry.createdAt!, entry }));
  for (const chargeback of chargebacks) {
    events.push({ at: chargeback.createdAt, chargeback, what: "OPENED" });
    if (chargeback.decidedAt && chargeback.status !== "OPEN")
      events.push({ at: chargeback.decidedAt, chargeback, what: chargeback.status });
  }
  // ISO 8601 UTC times sort as text; the sort is stable, so equal times keep the log's order.
  return events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

const CHARGEBACK_COLORS: Record<ChargebackEvent["what"], MantineColor> = {
  OPENED: "orange",
  WON: "green",
  LOST: "red",
};

function ChargebackItem({ event, timeZone }: { event: ChargebackEvent; timeZone: string }) {
  const { chargeback: c, what } = event;
  const { t } = useTranslation();
  return (
    <>
      <Text size="xs" c="dimmed">
        <DateTime value={event.at} timeZone={timeZone} /> · {t("log.chargeback.reasonCode", { code: c.reasonCode })}
        {what === "OPENED" && c.source === "REPORT" ? ` · ${t("log.chargeback.fromReport")}` : ""}
      </Text>
      <Text size="xs">
        <Anchor component={Link} to={`/chargebacks/${c.chargebackId}`} size="xs">
          {t("log.chargeback.link", { id: c.chargebackId })}
        </Anchor>{" "}
        {t(`log.chargeback.${what}`)}
      </Text>
    </>
  );
}

function TransactionLog({
  transaction: t,
  chargebacks,
  reasons,
  timeZone,
}: {
  transaction: DetailTransaction;
  chargebacks: ChargebackRow[];
  reasons: Reasons;
  timeZone: string;
}) {
  const events = timelineOf(t, chargebacks);
  const { t: translate } = useTranslation();
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
            <Text fw={600}>{translate("log.transaction", { id: t.transactionId })}</Text>
            <StatusBadge status={t.status} />
          </Group>
          <Text size="sm" c="dimmed">
            {t.paymentType ?? t.paymentTypeGroup} · <Amount value={t.amount!} currency={t.currency} />
          </Text>
        </Group>
        <TransactionFacts transaction={t} timeZone={timeZone} />
        {events.length === 0 ? (
          <Text size="sm" c="dimmed">
            {translate("log.none")}
          </Text>
        ) : (
          <Timeline
            bulletSize={22}
            lineWidth={2}
            active={events.length - 1}
            aria-label={translate("log.ofTransaction", { id: t.transactionId })}
          >
            {events.map((event, index) =>
              "chargeback" in event ? (
                <Timeline.Item
                  key={`chargeback-${event.chargeback.chargebackId}-${event.what}`}
                  color={CHARGEBACK_COLORS[event.what]}
                  data-testid="timeline-chargeback"
                  bullet={
                    <ThemeIcon size={22} radius="xl" color={CHARGEBACK_COLORS[event.what]} title="CHARGEBACK">
                      <OperationIcon operation="CHARGEBACK" />
                    </ThemeIcon>
                  }
                  title={
                    <Group justify="space-between" gap="xs" wrap="nowrap">
                      <Text size="sm" fw={600}>
                        {translate(`log.chargeback.title.${event.what}`)}
                      </Text>
                      <Text size="sm">
                        <Amount value={event.chargeback.amount} currency={t.currency} />
                      </Text>
                    </Group>
                  }
                >
                  <ChargebackItem event={event} timeZone={timeZone} />
                </Timeline.Item>
              ) : (
                // A function, not a component: Timeline styles its direct Timeline.Item children.
                operationItem({ key: `${event.at}-${index}`, entry: event.entry, t, reasons, timeZone, translate })
              ),
            )}
          </Timeline>
        )}
      </Stack>
    </Paper>
  );
}

function operationItem({
  key,
  entry,
  t,
  reasons,
  timeZone,
  translate,
}: {
  key: string;
  entry: LogEntry;
  t: DetailTransaction;
  reasons: Reasons;
  timeZone: string;
  translate: TFunction;
}) {
  return (
    <Timeline.Item
      key={key}
      color={OPERATION_COLORS[entry.operation] ?? "gray"}
      bullet={
        <ThemeIcon
          size={22}
          radius="xl"
          color={OPERATION_COLORS[entry.operation] ?? "gray"}
          title={operationLabel(translate, entry.operation)}
        >
          <OperationIcon operation={entry.operation} />
        </ThemeIcon>
      }
      title={
        <Group justify="space-between" gap="xs" wrap="nowrap">
          <Text size="sm" fw={600}>
            {operationLabel(translate, entry.operation)}
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
        <DateTime value={entry.createdAt!} timeZone={timeZone} /> · {translate("log.by")}{" "}
        <Text span inherit c="dark" style={{ overflowWrap: "anywhere" }}>
          {entry.actor}
        </Text>
      </Text>
      <Text size="xs" c="dimmed">
        {translate("log.origin", {
          client: entry.clientName ?? "—",
          pos: entry.pos ?? "—",
          channel: entry.distributionChannel ?? "—",
        })}
      </Text>
      {reasons
        .filter((r) => r.correlationId === entry.correlationId)
        .map((r, i) => (
          <Text key={i} size="xs" style={{ overflowWrap: "anywhere" }} data-testid="staff-reason">
            {translate("log.reason", { reason: r.reason })}
          </Text>
        ))}
      <Text size="xs" c="dimmed" style={{ overflowWrap: "anywhere" }}>
        {translate("log.correlation")} <CorrelationLink id={entry.correlationId} size="xs" />
      </Text>
    </Timeline.Item>
  );
}

/** The transaction's references, shown only when it has them. */
function TransactionFacts({ transaction: t, timeZone }: { transaction: DetailTransaction; timeZone: string }) {
  const { t: translate } = useTranslation();
  const f = (key: keyof typeof resources.en.translation.log.facts) => translate(`log.facts.${key}`);
  const facts: Array<[string, ReactNode]> = [];
  if (t.rrn) facts.push(["RRN", t.rrn]);
  if (t.cardNumber) facts.push([f("card"), `•••• ${t.cardNumber}`]);
  if (t.externalTransactionId) facts.push([f("externalId"), t.externalTransactionId]);
  if (t.terminalId) facts.push([f("terminal"), t.terminalId]);
  if (t.recurringPaymentId) facts.push([f("recurringPayment"), t.recurringPaymentId]);
  if (t.paymentAgreementId) facts.push([f("agreement"), t.paymentAgreementId]);
  if (t.reimbursementTypeGroup) facts.push([f("creditsThrough"), t.reimbursementTypeGroup]);
  if (t.scaExemption !== "NO_EXEMPTION") facts.push([f("sca"), t.scaExemption]);
  if (t.invoice) {
    facts.push([f("invoice"), t.invoice.invoiceId]);
    facts.push([
      f("customer"),
      t.invoice.confirmedAt ? (
        <Badge size="sm" color="green" variant="light">
          {translate("log.facts.confirmed")}
        </Badge>
      ) : (
        <Badge size="sm" color="yellow" variant="light">
          {translate("log.facts.notConfirmed")}
        </Badge>
      ),
    ]);
    facts.push([f("invoiceAmount"), <Amount key="a" value={t.invoice.amount} currency={t.currency} />]);
    if (t.invoice.externalInvoiceNumber) facts.push([f("invoiceNumber"), t.invoice.externalInvoiceNumber]);
    if (t.invoice.customerIdentificationNumber) facts.push(["KID", t.invoice.customerIdentificationNumber]);
    if (t.invoice.languageCode) facts.push([f("language"), t.invoice.languageCode]);
    if (t.invoice.expiryDate) facts.push([f("payableUntil"), t.invoice.expiryDate]);
  }
  facts.push([f("created"), <DateTime key="c" value={t.createdAt!} timeZone={timeZone} />]);
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
