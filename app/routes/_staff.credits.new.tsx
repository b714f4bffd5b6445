// Create a credit by choosing captured transactions and how much of each to give back. Start
// from a payment id, customer number or order id (the same search as GET /v1/payments); every
// transaction shows what it can still give back, and the form refuses more before it is sent.
// The server refuses it again: the form's schema (app/http/staff/forms/credits.ts) checks the
// lines and amounts, and the action calls the same createCredit as POST /v1/credits, which
// decides under the payments' locks.
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, SerializeFrom } from "@remix-run/node";
import { json } from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigate,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
import { useState } from "react";
import { requirePermission } from "../auth/session.server";
import { useActionNotification } from "../components/ActionModal";
import { Amount } from "../components/Amount";
import { StatusBadge } from "../components/StatusBadge";
import { REASON_MAX_LENGTH, type ActionResult } from "../domain/action-result";
import { formatAmount, parsePositiveAmount, sum } from "../domain/money";
import { parseTypedPositiveAmount } from "../domain/typed-amount";
import { parseSearchQuery } from "../domain/search-filter";
import { formatCount, formatMoney } from "../components/format";
import { intent, staffAction, staffCaller } from "../http/staff/action.server";
import { amountField, NewCreditForm } from "../http/staff/forms/credits";
import { creditablePayments } from "../services/queries/credit-screens.server";
import { createCredit } from "../services/credits/credits.server";
import { PAYMENT_SEARCH_FIELDS } from "../services/queries/payment-search.server";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction = () => [{ title: "New credit · Paydesk" }];

/** Where a new credit starts: the payments found by one of these, as the search form asks for them. */
const START_FIELDS = [
  { name: "paymentId", label: "Payment id", width: 160 },
  { name: "customerNumber", label: "Customer number", width: 180 },
  { name: "orderId", label: "Order id", width: 180 },
] as const;
const MAX_PAYMENTS = 20;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "credit:create");
  const url = new URL(request.url);
  // Only the three starting points, and only those filled in (the search form sends blanks).
  const params = new URLSearchParams();
  for (const { name } of START_FIELDS) {
    const value = url.searchParams.get(name)?.trim();
    if (value) params.set(name, value);
  }
  if (![...params.keys()].length)
    return json({ searched: false, errors: {} as Record<string, string>, payments: [], totalItems: 0 });
  const spec = Object.fromEntries(START_FIELDS.map(({ name }) => [name, PAYMENT_SEARCH_FIELDS[name]]));
  const parsed = parseSearchQuery(params, spec, { defaultPerPage: MAX_PAYMENTS });
  if (!parsed.ok) {
    return json({
      searched: true,
      errors: Object.fromEntries(parsed.errors.map((e) => [e.field, e.message])),
      payments: [],
      totalItems: 0,
    });
  }
  const found = await creditablePayments(staffCaller(user, request, context, null), { query: parsed.query });
  return json({
    searched: true,
    errors: {} as Record<string, string>,
    payments: found.items,
    totalItems: found.totalItems,
  });
}

/**
 * The service names problems by position in the body (creditTransactions[2].amount); the form
 * shows them next to the transaction they are about, and the rest under the chosen lines.
 */
function onTheForm(field: string, lines: ReadonlyArray<{ transactionId: number }>): string {
  const match = /^creditTransactions\[(\d+)\](?:\.(\w+))?/.exec(field);
  const line = match ? lines[Number(match[1])] : undefined;
  if (line) return match![2] === "amount" ? amountField(line.transactionId) : "lines";
  return field === "orderId" || field === "settlementId" ? field : "lines";
}

export async function action(args: ActionFunctionArgs) {
  return staffAction(args, {
    create: intent({
      permission: "credit:create",
      reason: "required",
      schema: NewCreditForm,
      fieldOnForm: (field, input) => onTheForm(field, input.creditTransactions),
      run: async ({ input, caller }) => {
        const credit = await createCredit(caller, { ...input, customerNumber: undefined, reason: caller.reason });
        return {
          message: `Credit ${credit.creditId} of ${formatMoney(formatAmount(credit.totalCreditAmount), credit.currency)} is created; it reserves the amounts until it is executed.`,
          data: { creditId: credit.creditId },
        };
      },
    }),
  });
}

type Payment = SerializeFrom<typeof loader>["payments"][number];
type Transaction = Payment["transactions"][number];

/** What is wrong with an amount typed for a transaction, checked before the form is sent. */
function amountProblem(value: string, creditable: string): string | null {
  const parsed = parseTypedPositiveAmount(value);
  if (!parsed.ok) return value.trim() === "" ? "Enter the amount to credit" : parsed.message;
  const limit = parsePositiveAmount(creditable);
  if (!limit.ok || parsed.value > limit.value) return `At most ${creditable} can be credited from this transaction`;
  return null;
}

export default function NewCredit() {
  const { searched, errors: searchErrors, payments, totalItems } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const result = useActionData<ActionResult>();
  const navigation = useNavigation();
  const navigate = useNavigate();
  const [amounts, setAmounts] = useState<Record<number, string>>({});
  const [touched, setTouched] = useState(false);

  useActionNotification(navigation.state, result, "New credit", (answer) => {
    if (answer.ok && typeof answer.data?.creditId === "number") navigate(`/credits/${answer.data.creditId}`);
  });

  const serverErrors = result && !result.ok ? result.fieldErrors : {};
  const all = payments.flatMap((p) => p.transactions.map((t) => ({ payment: p, transaction: t })));
  const chosen = all.filter(({ transaction }) => amounts[transaction.transactionId] !== undefined);
  const problems = new Map(
    chosen.map(({ transaction }) => [
      transaction.transactionId,
      amountProblem(amounts[transaction.transactionId], transaction.creditableAmount),
    ]),
  );
  const currencies = [...new Set(chosen.map(({ payment }) => payment.currency))];
  const valid = chosen.length > 0 && currencies.length === 1 && [...problems.values()].every((p) => p === null);
  const total = formatAmount(
    sum(
      chosen.flatMap(({ transaction }) => {
        const parsed = parseTypedPositiveAmount(amounts[transaction.transactionId]);
        return parsed.ok ? [parsed.value] : [];
      }),
    ),
  );
  const formProblem =
    currencies.length > 1
      ? `One credit is in one currency; you chose ${currencies.join(" and ")} transactions.`
      : touched && chosen.length === 0
        ? "Choose at least one captured transaction."
        : null;

  const choose = (transaction: Transaction, on: boolean) =>
    setAmounts((current) => {
      const next = { ...current };
      if (on) next[transaction.transactionId] = transaction.creditableAmount;
      else delete next[transaction.transactionId];
      return next;
    });

  return (
    <Stack gap="md" maw={1100}>
      <Anchor component={Link} to="/credits" size="sm">
        ← All credits
      </Anchor>
      <Title order={1} size="h2">
        New credit
      </Title>

      <Paper withBorder p="sm" radius="md" component="section" aria-label="Find the payment">
        <Form method="get">
          <Group align="flex-end" gap="xs" wrap="wrap">
            {START_FIELDS.map(({ name, label, width }) => (
              <TextInput
                key={name}
                name={name}
                label={label}
                defaultValue={params.get(name) ?? ""}
                error={searchErrors[name]}
                w={{ base: "100%", xs: width }}
              />
            ))}
            <Button type="submit" variant="default">
              Find payments
            </Button>
          </Group>
        </Form>
      </Paper>

      {!searched ? (
        <Text c="dimmed" size="sm">
          Start from a payment id, a customer number or an order id to see the transactions that can be credited.
        </Text>
      ) : payments.length === 0 ? (
        Object.keys(searchErrors).length ? null : (
          <Paper withBorder p="lg" radius="md">
            <Text ta="center">No payment matches. Check the id, or search by customer number or order id.</Text>
          </Paper>
        )
      ) : (
        <Form
          method="post"
          onSubmit={(event) => {
            setTouched(true);
            if (!valid) event.preventDefault();
          }}
        >
          <input type="hidden" name="intent" value="create" />
          <Stack gap="md">
            {totalItems > payments.length ? (
              <Text size="sm" c="dimmed">
                Showing the newest {payments.length} of {formatCount(totalItems)} payments; narrow the search to see
                others.
              </Text>
            ) : null}
            {payments.map((payment) => (
              <PaymentCard
                key={payment.paymentId}
                payment={payment}
                amounts={amounts}
                problems={problems}
                serverErrors={serverErrors}
                onChoose={choose}
                onAmount={(transactionId, value) => setAmounts((current) => ({ ...current, [transactionId]: value }))}
              />
            ))}

            <Paper withBorder p="md" radius="md">
              <Stack gap="sm">
                {result && !result.ok ? (
                  <Alert color="red" title="The credit was not created" role="alert">
                    {serverErrors.lines ?? result.message}
                  </Alert>
                ) : null}
                {formProblem ? (
                  <Text c="red" size="sm" role="alert">
                    {formProblem}
                  </Text>
                ) : null}
                <Group justify="space-between" wrap="wrap" gap="xs">
                  <Text fw={600}>Total credit amount</Text>
                  <Text fw={700} size="lg" data-testid="credit-total" style={{ fontVariantNumeric: "tabular-nums" }}>
                    {chosen.length ? formatMoney(total, currencies[0] ?? "NOK") : "—"}
                  </Text>
                </Group>
                <Text size="xs" c="dimmed">
                  {chosen.length === 1 ? "1 transaction chosen" : `${chosen.length} transactions chosen`}. The credit
                  reserves these amounts until it is executed or deactivated.
                </Text>
                <Group gap="sm" wrap="wrap" align="flex-start">
                  <TextInput
                    name="orderId"
                    label="Order id"
                    description="Defaults to the first payment's order"
                    maxLength={100}
                    error={serverErrors.orderId}
                    w={{ base: "100%", xs: 240 }}
                  />
                  <TextInput
                    name="settlementId"
                    label="Settlement id"
                    maxLength={100}
                    error={serverErrors.settlementId}
                    w={{ base: "100%", xs: 240 }}
                  />
                </Group>
                <Textarea
                  name="reason"
                  label="Reason"
                  description="Why the customer gets money back. Goes to the audit log with your name."
                  required
                  autosize
                  minRows={2}
                  maxLength={REASON_MAX_LENGTH}
                  error={serverErrors.reason}
                />
                <Group justify="flex-end">
                  <Button type="submit" disabled={!valid} loading={navigation.state === "submitting"}>
                    Create credit
                  </Button>
                </Group>
              </Stack>
            </Paper>
          </Stack>
        </Form>
      )}
    </Stack>
  );
}

function PaymentCard({
  payment,
  amounts,
  problems,
  serverErrors,
  onChoose,
  onAmount,
}: {
  payment: Payment;
  amounts: Record<number, string>;
  problems: Map<number, string | null>;
  serverErrors: Record<string, string>;
  onChoose: (transaction: Transaction, on: boolean) => void;
  onAmount: (transactionId: number, value: string) => void;
}) {
  return (
    <Paper withBorder radius="md" style={{ overflow: "hidden" }} data-testid="creditable-payment">
      <Group justify="space-between" p="sm" gap="xs" wrap="wrap" bg="var(--paydesk-color-subtle)">
        <Group gap="xs" wrap="wrap">
          <Anchor component={Link} to={`/payments/${payment.paymentId}`} fw={600}>
            Payment {payment.paymentId}
          </Anchor>
          {payment.active ? null : (
            <Badge color="red" variant="outline" size="sm">
              Inactive
            </Badge>
          )}
          <Text size="sm" c="dimmed">
            Order {payment.orderId ?? "—"} · customer {payment.customerNumber ?? "—"}
          </Text>
        </Group>
        <Text size="sm">
          Total <Amount value={payment.totalAmount} currency={payment.currency} />
        </Text>
      </Group>
      {payment.transactions.length === 0 ? (
        <Text size="sm" c="dimmed" p="sm">
          Nothing was captured on this payment, so there is nothing to credit.
        </Text>
      ) : (
        <Stack gap={0}>
          {payment.transactions.map((t) => {
            const value = amounts[t.transactionId];
            const chosen = value !== undefined;
            const nothingLeft = !parsePositiveAmount(t.creditableAmount).ok;
            const error = (chosen ? problems.get(t.transactionId) : null) ?? serverErrors[amountField(t.transactionId)];
            return (
              <Group
                key={t.transactionId}
                data-testid={`transaction-${t.transactionId}`}
                p="sm"
                gap="md"
                align="flex-start"
                wrap="wrap"
                style={{ borderTop: "1px solid var(--mantine-color-default-border)" }}
              >
                <Checkbox
                  mt={4}
                  miw={200}
                  style={{ flex: "1 1 200px" }}
                  aria-label={`Credit transaction ${t.transactionId}`}
                  checked={chosen}
                  disabled={nothingLeft && !chosen}
                  onChange={(event) => onChoose(t, event.currentTarget.checked)}
                  name="line"
                  value={`${payment.paymentId}:${t.transactionId}`}
                  label={
                    <Group gap={6} wrap="nowrap" component="span">
                      <StatusBadge status={t.status} />
                      <Text span size="sm" style={{ whiteSpace: "nowrap" }}>
                        {t.transactionId} · {t.paymentType ?? t.paymentTypeGroup}
                        {t.cardNumber ? ` •••• ${t.cardNumber}` : ""}
                      </Text>
                    </Group>
                  }
                />
                <Group gap="md" wrap="nowrap" style={{ flex: "2 1 300px" }} justify="space-between">
                  <Figure label="Captured" value={t.capturedAmount} currency={payment.currency} />
                  <Figure label="Credited" value={t.creditedAmount} currency={payment.currency} />
                  <Figure
                    label="Creditable"
                    value={t.creditableAmount}
                    currency={payment.currency}
                    strong={!nothingLeft}
                  />
                </Group>
                <TextInput
                  name={amountField(t.transactionId)}
                  aria-label={`Amount to credit from transaction ${t.transactionId}`}
                  value={value ?? ""}
                  placeholder={nothingLeft ? "Nothing left" : "Tick to credit"}
                  disabled={!chosen}
                  inputMode="decimal"
                  onChange={(event) => onAmount(t.transactionId, event.currentTarget.value)}
                  error={error}
                  size="sm"
                  style={{ flex: "1 1 180px" }}
                  maw={{ base: "100%", sm: 240 }}
                />
              </Group>
            );
          })}
        </Stack>
      )}
    </Paper>
  );
}

/** One labelled amount of a transaction: captured, credited or still creditable. */
function Figure({
  label,
  value,
  currency,
  strong,
}: {
  label: string;
  value: string;
  currency: string;
  strong?: boolean;
}) {
  return (
    <div style={{ textAlign: "right" }}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Amount value={value} currency={currency} size="sm" fw={strong ? 700 : 400} />
    </div>
  );
}
