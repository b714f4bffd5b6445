// One customer by customer number: their payments (linked to the payment screen), credits,
// recurring payments (end, make primary), payment agreements (stop), products and invoices.
// Reading needs customer:read; each action needs customer:manage, asks for a reason and calls the
// same service function as the API, which writes the audit entry in the same DB transaction.
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
  type MantineColor,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import {
  ChargebackStatusBadge,
  isOverdue as chargebackOverdue,
  type ChargebackRow,
} from "../components/ChargebackParts";
import { chargebacksOfCustomer } from "../services/queries/chargebacks.server";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { userHasPermission } from "../auth/roles";
import { requirePermission } from "../auth/session.server";
import { DialogButtons } from "../components/ActionModal";
import { Amount } from "../components/Amount";
import { DateTime } from "../components/DateTime";
import { StateBadge, StatusBadge } from "../components/StatusBadge";
import { useStaffUser } from "../components/staff-user";
import type { ActionResult } from "../domain/action-result";
import { intent, sayIn, staffAction, staffCaller } from "../http/staff/action.server";
import { CustomerActionForm } from "../http/staff/forms/customers";
import { useFormat } from "../components/use-format";
import { customerMethodLabel, customerStateLabel } from "../i18n/labels";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { metaTitle } from "../i18n/meta";
import { dayIn } from "../domain/zoned-day-range";
import { canStop } from "../domain/agreement";
import { isOverdue } from "../domain/self-service";
import { runCustomerAction, type CustomerAction } from "../services/admin/customer-actions.server";
import { getCustomerOverview } from "../services/queries/customer-overview.server";
import { publicOrigin } from "../http/hosted-page.server";
import { Field } from "../components/Field";
import { HeadedTable } from "../components/DataTable";
import { Dash } from "../components/list-parts";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  metaTitle(matches, "customers.title", { number: data?.overview.customerNumber ?? "" });

function customerNumberOf(params: LoaderFunctionArgs["params"]): string {
  const value = params.customerNumber ?? "";
  if (!/^[0-9]{1,20}$/.test(value))
    throw new Response("A customer number has digits only (at most 20).", { status: 404, statusText: "Not Found" });
  return value;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "customer:read");
  const caller = staffCaller(user, request, context, null);
  const customerNumber = customerNumberOf(params);
  const [overview, chargebacks] = await Promise.all([
    getCustomerOverview(caller, { customerNumber, origin: publicOrigin(new URL(request.url)) }),
    userHasPermission(user, "chargeback:read") ? chargebacksOfCustomer(caller, { customerNumber }) : null,
  ]);
  // The user's calendar day, for "overdue": computed here so server and browser render alike.
  return json({ overview, chargebacks, today: dayIn(new Date(), user.timeZone) });
}

// ---------------------------------------------------------------- actions

/** End a card, make one primary, stop an agreement: each needs customer:manage and a reason. */
export async function action(args: ActionFunctionArgs) {
  const customerNumber = customerNumberOf(args.params);
  const origin = publicOrigin(new URL(args.request.url));
  const customerIntent = (action: CustomerAction) =>
    intent({
      permission: "customer:manage",
      reason: "required",
      schema: CustomerActionForm,
      run: async ({ input: { target }, caller, language }) => ({
        message: sayIn(language, (await runCustomerAction(caller, { customerNumber, action, target, origin })).say),
      }),
    });
  return staffAction(args, {
    "end-recurring": customerIntent("end-recurring"),
    "make-primary": customerIntent("make-primary"),
    "stop-agreement": customerIntent("stop-agreement"),
  });
}

// ---------------------------------------------------------------- screen

const RECURRING_COLORS: Record<string, MantineColor> = {
  ACTIVE: "green",
  CREATED: "gray",
  EXPIRED: "orange",
  CANCELLED: "red",
};
const AGREEMENT_COLORS: Record<string, MantineColor> = {
  ACTIVE: "green",
  PENDING: "blue",
  CREATED: "gray",
  STOPPED: "red",
  EXPIRED: "orange",
};
const INVOICE_COLORS: Record<string, MantineColor> = { OPEN: "yellow", PAID: "green" };

/** A stored card's, an agreement's, a credit's or an invoice's state, in the reader's words. */
function CustomerStateBadge({ status, colors }: { status: string; colors: Record<string, MantineColor> }) {
  const { t } = useTranslation();
  return (
    <StateBadge state={status} colors={colors}>
      {customerStateLabel(t, status)}
    </StateBadge>
  );
}

type Overview = ReturnType<typeof useLoaderData<typeof loader>>["overview"];

export default function CustomerScreen() {
  const { overview, chargebacks, today } = useLoaderData<typeof loader>();
  const user = useStaffUser();
  const canManage = userHasPermission(user, "customer:manage");
  const [dialog, setDialog] = useState<ActionSpec | null>(null);
  const { customer, customerNumber } = overview;
  const timeZone = user.timeZone;
  const { t } = useTranslation();
  const { day } = useFormat();
  const organisationOf = (row: { organisationId: number }) =>
    overview.organisationNames[row.organisationId] ?? row.organisationId;
  const nothing =
    !customer &&
    overview.payments.total === 0 &&
    overview.credits.total === 0 &&
    overview.recurringPayments.length === 0 &&
    overview.agreements.length === 0 &&
    overview.products.length === 0;

  return (
    <Stack gap="lg">
      <ActionDialog spec={dialog} onClose={() => setDialog(null)} />
      <Paper withBorder p="lg">
        <Stack gap="sm">
          <Group gap="sm" align="baseline" wrap="wrap">
            <Title order={1} size="h3">
              {t("customers.title", { number: customerNumber })}
            </Title>
            {customer ? <Text c="dimmed">{customer.name}</Text> : null}
          </Group>
          {customer ? (
            <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="md" verticalSpacing="xs">
              <Field label={t("customers.email")}>
                <Text size="sm" style={{ overflowWrap: "anywhere" }}>
                  {customer.email}
                </Text>
              </Field>
              <Field label={t("credits.col.organisation")}>{customer.organisationName ?? t("common.dash")}</Field>
              <Field label={t("customers.since")}>
                <DateTime value={customer.createdAt} timeZone={timeZone} />
              </Field>
            </SimpleGrid>
          ) : (
            <Text size="sm" c="dimmed">
              {nothing ? t("customers.nothingKnown") : t("customers.noRecord")}
            </Text>
          )}
        </Stack>
      </Paper>

      {nothing ? null : (
        <>
          <Section
            title={t("customers.recurring.title")}
            rows={overview.recurringPayments}
            rowKey={(card) => card.recurringPaymentId}
            empty={t("customers.recurring.empty")}
            minWidth={860}
            columns={[
              { label: t("customers.recurring.card"), nowrap: true, cell: (card) => <StoredCard card={card} /> },
              { label: t("customers.recurring.nickname"), cell: (card) => card.nickname ?? <Dash /> },
              {
                label: t("credits.col.status"),
                cell: (card) => (
                  <Group gap={6} wrap="nowrap">
                    <CustomerStateBadge status={card.recurringStatus} colors={RECURRING_COLORS} />
                    {card.primary ? (
                      <Badge color="indigo" variant="filled" size="sm" radius="sm">
                        {t("customers.recurring.primary")}
                      </Badge>
                    ) : null}
                  </Group>
                ),
              },
              {
                label: t("customers.recurring.expires"),
                cell: (card) => <DateTimeOrDash value={card.expiresAt} timeZone={timeZone} />,
              },
              { label: t("credits.col.organisation"), cell: organisationOf },
              canManage && {
                label: t("common.actions"),
                cell: (card) => <CardActions card={card} onAsk={setDialog} />,
              },
            ]}
          />

          <Section
            title={t("customers.agreements.title")}
            rows={overview.agreements}
            rowKey={(agreement) => agreement.agreementId}
            empty={t("customers.agreements.empty")}
            minWidth={820}
            columns={[
              {
                label: t("customers.product"),
                cell: (agreement) => (
                  <>
                    {agreement.productName}
                    <Text size="xs" c="dimmed" ff="monospace">
                      {agreement.agreementId}
                    </Text>
                  </>
                ),
              },
              { label: t("credits.col.organisation"), cell: organisationOf },
              {
                label: t("customers.agreements.price"),
                nowrap: true,
                cell: (agreement) => <Price pricing={agreement.pricing} />,
              },
              {
                label: t("credits.col.status"),
                cell: (agreement) => <CustomerStateBadge status={agreement.status} colors={AGREEMENT_COLORS} />,
              },
              createdColumn(t, timeZone),
              canManage && {
                label: t("common.actions"),
                cell: (agreement) =>
                  canStop(agreement.status) ? (
                    <ActionButton
                      onAsk={setDialog}
                      intent="stop-agreement"
                      target={agreement.agreementId}
                      label={t("customers.agreements.stop")}
                      title={t("customers.agreements.stopTitle", { product: agreement.productName })}
                      description={t("customers.agreements.stopText")}
                      color="red"
                    />
                  ) : null,
              },
            ]}
          />

          <Section
            title={t("payments.title")}
            rows={overview.payments.items}
            total={overview.payments.total}
            rowKey={(payment) => payment.paymentId}
            empty={t("customers.payments.empty")}
            minWidth={640}
            columns={[
              {
                label: t("payments.col.payment"),
                cell: (payment) => (
                  <Group gap={6} wrap="nowrap">
                    <Anchor component={Link} to={`/payments/${payment.paymentId}`} size="sm" fw={500}>
                      {payment.paymentId}
                    </Anchor>
                    <InactiveBadge active={payment.active} />
                  </Group>
                ),
              },
              ...orderColumns(t, timeZone, (payment: Overview["payments"]["items"][number]) => payment.totalAmount),
              {
                label: t("payments.col.transactions"),
                cell: (payment) =>
                  payment.statuses.length ? (
                    <Group gap={4} wrap="wrap">
                      {payment.statuses.map((status, i) => (
                        <StatusBadge key={i} status={status} />
                      ))}
                    </Group>
                  ) : (
                    <Text size="xs" c="dimmed">
                      {t("payments.noTransactions")}
                    </Text>
                  ),
              },
            ]}
          />

          <Section
            title={t("credits.title")}
            rows={overview.credits.items}
            total={overview.credits.total}
            rowKey={(credit) => credit.creditId}
            empty={t("customers.credits.empty")}
            minWidth={560}
            columns={[
              {
                label: t("credits.col.credit"),
                // Whoever reads customers reads credits (customer:read implies credit:read in every role).
                cell: (credit) => (
                  <Anchor component={Link} to={`/credits/${credit.creditId}`} size="sm" fw={500}>
                    {credit.creditId}
                  </Anchor>
                ),
              },
              ...orderColumns(t, timeZone, (credit: Overview["credits"]["items"][number]) => credit.totalCreditAmount),
              {
                label: t("credits.col.status"),
                cell: (credit) => (
                  <Group gap={4} wrap="nowrap">
                    <CustomerStateBadge status={credit.status} colors={{ CREATED: "yellow", CREDITED: "grape" }} />
                    <InactiveBadge active={credit.active} />
                  </Group>
                ),
              },
            ]}
          />

          {chargebacks ? (
            <Section
              title={t("chargebacks.title")}
              rows={chargebacks}
              rowKey={(chargeback) => chargeback.chargebackId}
              empty={t("customers.chargebacksEmpty")}
              minWidth={760}
              columns={chargebackColumns(t, timeZone, today, day)}
            />
          ) : null}

          <Section
            title={t("customers.products.title")}
            rows={overview.products}
            rowKey={(product) => product.productCode}
            empty={t("customers.products.empty")}
            minWidth={560}
            columns={[
              { label: t("customers.product"), monospace: true, cell: (product) => product.productCode },
              { label: t("customers.products.name"), cell: (product) => product.name },
              { label: t("customers.products.company"), cell: (product) => product.companyCode },
              {
                label: t("customers.products.paidBy"),
                cell: (product) => customerMethodLabel(t, product.currentPaymentMethod),
              },
            ]}
          />

          <Section
            title={t("customers.invoices.title")}
            rows={overview.invoices}
            rowKey={(invoice) => invoice.invoiceNumber}
            empty={t("customers.invoices.empty")}
            minWidth={620}
            columns={[
              { label: t("customers.invoices.invoice"), monospace: true, cell: (invoice) => invoice.invoiceNumber },
              { label: t("customers.product"), monospace: true, cell: (invoice) => invoice.productCode },
              { label: t("customers.invoices.due"), nowrap: true, cell: (invoice) => day(invoice.dueDate) },
              amountColumn(t, (invoice: Overview["invoices"][number]) => invoice.amount),
              {
                label: t("credits.col.status"),
                cell: (invoice) => (
                  <Group gap={4} wrap="nowrap">
                    <CustomerStateBadge status={invoice.status} colors={INVOICE_COLORS} />
                    {isOverdue(invoice, today) ? (
                      <Badge
                        color="red"
                        variant="outline"
                        size="sm"
                        radius="sm"
                        title={t("customers.invoices.dueOn", { date: day(invoice.dueDate) })}
                      >
                        {t("customers.invoices.overdue")}
                      </Badge>
                    ) : null}
                  </Group>
                ),
              },
              {
                label: t("customers.invoices.paid"),
                cell: (invoice) => <DateTimeOrDash value={invoice.paidAt} timeZone={timeZone} />,
              },
            ]}
          />
        </>
      )}
    </Stack>
  );
}

type Card = Overview["recurringPayments"][number];

/** The card's scheme and masked number (or that none is registered yet), over its recurring payment id. */
function StoredCard({ card }: { card: Card }) {
  const { t } = useTranslation();
  return (
    <>
      {card.maskedPan ? (
        <>
          {card.paymentType ? `${card.paymentType} ` : ""}
          <Text span ff="monospace" size="sm">
            {card.maskedPan}
          </Text>
        </>
      ) : (
        <Text span c="dimmed" size="sm">
          {t("customers.recurring.notRegistered")}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {t("customers.recurring.id", { id: card.recurringPaymentId })}
      </Text>
    </>
  );
}

/** Make primary (a usable card that is not) and End (any card not ended yet). */
function CardActions({ card, onAsk }: { card: Card; onAsk: (spec: ActionSpec) => void }) {
  const label = `${card.recurringPaymentId}${card.maskedPan ? ` (${card.maskedPan})` : ""}`;
  const { t } = useTranslation();
  return (
    <Group gap="xs" wrap="nowrap">
      {!card.primary && (card.recurringStatus === "ACTIVE" || card.recurringStatus === "CREATED") ? (
        <ActionButton
          onAsk={onAsk}
          intent="make-primary"
          target={String(card.recurringPaymentId)}
          label={t("customers.recurring.makePrimary")}
          title={t("customers.recurring.makePrimaryTitle", { label })}
          description={t("customers.recurring.makePrimaryText")}
          color="indigo"
        />
      ) : null}
      {card.recurringStatus !== "CANCELLED" ? (
        <ActionButton
          onAsk={onAsk}
          intent="end-recurring"
          target={String(card.recurringPaymentId)}
          label={t("customers.recurring.end")}
          title={t("customers.recurring.endTitle", { label })}
          description={card.primary ? t("customers.recurring.endPrimaryText") : t("customers.recurring.endText")}
          color="red"
        />
      ) : null}
    </Group>
  );
}

function InactiveBadge({ active }: { active: boolean }) {
  const { t } = useTranslation();
  return active ? null : (
    <Badge color="red" variant="outline" size="xs" radius="sm">
      {t("payments.inactive")}
    </Badge>
  );
}

function DateTimeOrDash({ value, timeZone }: { value: string | null; timeZone: string }) {
  return value ? <DateTime value={value} timeZone={timeZone} /> : <Dash />;
}

/** A column of a section: its header, and its cell in each row. */
type Column<Row> = {
  label: string;
  right?: boolean;
  nowrap?: boolean;
  monospace?: boolean;
  cell: (row: Row) => ReactNode;
};

const createdColumn = <Row extends { createdAt: string }>(t: TFunction, timeZone: string): Column<Row> => ({
  label: t("credits.col.created"),
  cell: (row) => <DateTime value={row.createdAt} timeZone={timeZone} />,
});

const amountColumn = <Row extends { currency: string }>(t: TFunction, amountOf: (row: Row) => string): Column<Row> => ({
  label: t("credits.detail.col.amount"),
  right: true,
  cell: (row) => <Amount value={amountOf(row)} currency={row.currency} />,
});

/** The customer's chargebacks, each linked to its own page and to its payment (as the Chargebacks list). */
function chargebackColumns(
  t: TFunction,
  timeZone: string,
  today: string,
  day: (value: string) => string,
): Column<ChargebackRow>[] {
  return [
    {
      label: t("chargebacks.col.chargeback"),
      nowrap: true,
      cell: (row) => (
        <Anchor component={Link} to={`/chargebacks/${row.chargebackId}`} size="sm" fw={500}>
          {row.chargebackId}
        </Anchor>
      ),
    },
    { label: t("chargebacks.col.status"), cell: (row) => <ChargebackStatusBadge status={row.status} /> },
    amountColumn(t, (row: ChargebackRow) => row.amount),
    {
      label: t("chargebacks.col.paymentTransaction"),
      nowrap: true,
      cell: (row) => (
        <>
          <Anchor component={Link} to={`/payments/${row.paymentId}`} size="sm">
            {row.paymentId}
          </Anchor>{" "}
          / {row.transactionId}
        </>
      ),
    },
    { label: t("chargebacks.col.reasonCode"), cell: (row) => row.reasonCode },
    {
      label: t("chargebacks.col.due"),
      nowrap: true,
      cell: (row) =>
        row.dueDate === null ? (
          <Dash />
        ) : chargebackOverdue(row, today) ? (
          <Text span size="sm" c="red" fw={600}>
            {t("chargebacks.overdue", { day: day(row.dueDate) })}
          </Text>
        ) : (
          day(row.dueDate)
        ),
    },
    { ...createdColumn<ChargebackRow>(t, timeZone), label: t("chargebacks.col.opened") },
  ];
}

/** When it was made, for which order and how much: what a payment and a credit both say of themselves. */
function orderColumns<Row extends { createdAt: string; orderId: string | null; currency: string }>(
  t: TFunction,
  timeZone: string,
  amountOf: (row: Row) => string,
): Column<Row>[] {
  return [
    createdColumn(t, timeZone),
    { label: t("credits.col.order"), cell: (row) => row.orderId ?? <Dash /> },
    amountColumn(t, amountOf),
  ];
}

/**
 * A titled box with its count: a table of its rows (scrolling sideways inside the box), or one
 * line saying there is nothing. `total` is how many there are when `rows` are only the newest.
 */
function Section<Row>(props: {
  title: string;
  rows: Row[];
  total?: number;
  rowKey: (row: Row) => string | number;
  empty: string;
  minWidth: number;
  /** A column that is `false` is left out (e.g. the actions of a role that may not act). */
  columns: (Column<Row> | false)[];
}) {
  const { title, rows, total = props.rows.length } = props;
  const columns = props.columns.filter((column): column is Column<Row> => column !== false);
  const { t } = useTranslation();
  const { count: formatCount } = useFormat();
  return (
    <Paper withBorder radius="md" style={{ overflow: "hidden" }} component="section" aria-label={title}>
      <Group justify="space-between" px="md" py="sm" wrap="wrap" gap="xs">
        <Title order={2} size="h4">
          {title}{" "}
          <Text span c="dimmed" fw={400} size="sm">
            {formatCount(total)}
          </Text>
        </Title>
        {rows.length < total ? (
          <Text size="xs" c="dimmed">
            {t("customers.newest", { shown: formatCount(rows.length), n: formatCount(total) })}
          </Text>
        ) : null}
      </Group>
      {total === 0 ? (
        <Text size="sm" c="dimmed" px="md" pb="md">
          {props.empty}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={props.minWidth} type="native">
          <HeadedTable
            verticalSpacing="xs"
            horizontalSpacing="sm"
            fz="sm"
            highlightOnHover
            head={columns.map((column) => (
              <Table.Th key={column.label} ta={column.right ? "right" : undefined}>
                {column.label}
              </Table.Th>
            ))}
          >
            {rows.map((row) => (
              <Table.Tr key={props.rowKey(row)}>
                {columns.map((column) => (
                  <Table.Td
                    key={column.label}
                    ta={column.right ? "right" : undefined}
                    ff={column.monospace ? "monospace" : undefined}
                    style={column.nowrap ? { whiteSpace: "nowrap" } : undefined}
                  >
                    {column.cell(row)}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </HeadedTable>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

function Price({ pricing }: { pricing: Record<string, unknown> }) {
  const { t } = useTranslation();
  const currency = typeof pricing.currency === "string" ? pricing.currency : "NOK";
  if (pricing.type === "LEGACY" && typeof pricing.amount === "string") {
    return <Amount value={pricing.amount} currency={currency} />;
  }
  if (pricing.type === "VARIABLE" && typeof pricing.suggestedMaxAmount === "string") {
    return (
      <>
        {t("customers.agreements.upTo")} <Amount value={pricing.suggestedMaxAmount} currency={currency} />
      </>
    );
  }
  return <Dash />;
}

type ActionSpec = {
  intent: CustomerAction;
  target: string;
  label: string;
  title: string;
  description: string;
  color: MantineColor;
};

function ActionButton({ onAsk, ...spec }: ActionSpec & { onAsk: (spec: ActionSpec) => void }) {
  return (
    <Button size="compact-xs" variant="light" color={spec.color} onClick={() => onAsk(spec)}>
      {spec.label}
    </Button>
  );
}

/**
 * The one confirmation dialog of the screen: asks for the reason, posts the action without
 * leaving the page, and shows the result: a notification when done, the error in the dialog
 * otherwise. It lives at the page level because the row whose button opened it may disappear
 * when the screen reloads after the action (an ended card loses its buttons).
 */
function ActionDialog({ spec, onClose }: { spec: ActionSpec | null; onClose: () => void }) {
  const fetcher = useFetcher<typeof action>();
  const handled = useRef<unknown>(null);
  // Kept while the dialog animates closed.
  const shown = useRef<ActionSpec | null>(null);
  if (spec) shown.current = spec;
  const current = shown.current;
  // The error of the attempt in the open dialog; opening it again starts clean.
  const [error, setError] = useState<Extract<ActionResult, { ok: false }> | null>(null);
  const result = fetcher.data as ActionResult | undefined;
  const busy = fetcher.state !== "idle";
  const { t } = useTranslation();

  useEffect(() => setError(null), [spec]);
  useEffect(() => {
    if (fetcher.state !== "idle" || !result || handled.current === result) return;
    handled.current = result;
    if (result.ok) {
      notifications.show({ color: "green", title: t("customers.done"), message: result.message });
      onClose();
    } else setError(result);
  }, [fetcher.state, result, onClose, t]);

  return (
    <Modal opened={spec !== null} onClose={onClose} title={current?.title} centered>
      {current ? (
        <fetcher.Form method="post" key={`${current.intent}:${current.target}`}>
          <Stack gap="sm">
            <input type="hidden" name="intent" value={current.intent} />
            <input type="hidden" name="target" value={current.target} />
            <Text size="sm">{current.description}</Text>
            {error && !error.fieldErrors.reason ? (
              <Alert color="red" role="alert" title={t("actions.notDone")}>
                {error.message}
              </Alert>
            ) : null}
            <Textarea
              name="reason"
              label={t("common.reason")}
              description={t("customers.reasonNote")}
              placeholder={t("customers.reasonPlaceholder")}
              required
              autosize
              minRows={2}
              maxLength={500}
              error={error?.fieldErrors.reason}
              data-autofocus
            />
            <DialogButtons onDismiss={onClose} disabled={busy}>
              <Button type="submit" color={current.color} loading={busy}>
                {current.label}
              </Button>
            </DialogButtons>
          </Stack>
        </fetcher.Form>
      ) : null}
    </Modal>
  );
}
