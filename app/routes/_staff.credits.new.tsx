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
import { MAX_TYPED_DECIMALS, parseTypedPositiveAmount, TYPED_AMOUNT_EXAMPLE } from "../domain/typed-amount";
import { parseSearchQuery } from "../domain/search-filter";
import { formatMoney } from "../components/format";
import { useFormat } from "../components/use-format";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { metaTitle } from "../i18n/meta";
import { intent, staffAction, staffCaller } from "../http/staff/action.server";
import { filterErrorsIn } from "../http/staff/list-query.server";
import { staffLanguage } from "../i18n/language.server";
import { INTL_LOCALE } from "../i18n/language";
import { amountField, NewCreditForm } from "../http/staff/forms/credits";
import { creditablePayments } from "../services/queries/credit-screens.server";
import { createCredit } from "../services/credits/credits.server";
import { PAYMENT_SEARCH_FIELDS } from "../services/queries/payment-search.server";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, "credits.new.title");

/** Where a new credit starts: the payments found by one of these, as the search form asks for them. */
const START_FIELDS = [
  { name: "paymentId", width: 160 },
  { name: "customerNumber", width: 180 },
  { name: "orderId", width: 180 },
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
      errors: filterErrorsIn(staffLanguage(user, request), parsed.errors),
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
      run: async ({ input, caller, t, language }) => {
        const credit = await createCredit(caller, { ...input, customerNumber: undefined, reason: caller.reason });
        const amount = formatMoney(formatAmount(credit.totalCreditAmount), credit.currency, INTL_LOCALE[language]);
        return {
          message: t("toasts.credits.created", { creditId: credit.creditId, amount }),
          data: { creditId: credit.creditId },
        };
      },
    }),
  });
}

type Payment = SerializeFrom<typeof loader>["payments"][number];
type Transaction = Payment["transactions"][number];

/** What is wrong with an amount typed for a transaction, checked before the form is sent. */
function amountProblem(t: TFunction, value: string, creditable: string, creditableText: string): string | null {
  const parsed = parseTypedPositiveAmount(value);
  if (!parsed.ok)
    return value.trim() === ""
      ? t("credits.new.enterAmount")
      : t(`amount.${parsed.problem}`, { example: TYPED_AMOUNT_EXAMPLE, max: MAX_TYPED_DECIMALS });
  const limit = parsePositiveAmount(creditable);
  if (!limit.ok || parsed.value > limit.value) return t("credits.new.atMost", { amount: creditableText });
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
  const { t } = useTranslation();
  const format = useFormat();

  useActionNotification(navigation.state, result, t("credits.new.title"), (answer) => {
    if (answer.ok && typeof answer.data?.creditId === "number") navigate(`/credits/${answer.data.creditId}`);
  });

  const serverErrors = result && !result.ok ? result.fieldErrors : {};
  const all = payments.flatMap((p) => p.transactions.map((t) => ({ payment: p, transaction: t })));
  const chosen = all.filter(({ transaction }) => amounts[transaction.transactionId] !== undefined);
  const problems = new Map(
    chosen.map(({ transaction }) => [
      transaction.transactionId,
      amountProblem(
        t,
        amounts[transaction.transactionId],
        transaction.creditableAmount,
        // A bare amount, as typed in the field beside it ("300.00", "300,00").
        new Intl.NumberFormat(format.locale, { minimumFractionDigits: 2, maximumFractionDigits: 5 }).format(
          transaction.creditableAmount as unknown as number,
        ),
      ),
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
      ? t("credits.new.oneCurrency", { currencies: currencies.join(t("credits.new.and")) })
      : touched && chosen.length === 0
        ? t("credits.new.chooseOne")
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
        {t("credits.detail.allCredits")}
      </Anchor>
      <Title order={1} size="h2">
        {t("credits.new.title")}
      </Title>

      <Paper withBorder p="sm" radius="md" component="section" aria-label={t("credits.new.findPayment")}>
        <Form method="get">
          <Group align="flex-end" gap="xs" wrap="wrap">
            {START_FIELDS.map(({ name, width }) => (
              <TextInput
                key={name}
                name={name}
                label={t(`credits.new.start.${name}`)}
                defaultValue={params.get(name) ?? ""}
                error={searchErrors[name]}
                w={{ base: "100%", xs: width }}
              />
            ))}
            <Button type="submit" variant="default">
              {t("credits.new.findPayments")}
            </Button>
          </Group>
        </Form>
      </Paper>

      {!searched ? (
        <Text c="dimmed" size="sm">
          {t("credits.new.startHint")}
        </Text>
      ) : payments.length === 0 ? (
        Object.keys(searchErrors).length ? null : (
          <Paper withBorder p="lg" radius="md">
            <Text ta="center">{t("credits.new.noMatch")}</Text>
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
                {t("credits.new.newest", { shown: format.count(payments.length), n: format.count(totalItems) })}
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
                  <Alert color="red" title={t("credits.new.notCreated")} role="alert">
                    {serverErrors.lines ?? result.message}
                  </Alert>
                ) : null}
                {formProblem ? (
                  <Text c="red" size="sm" role="alert">
                    {formProblem}
                  </Text>
                ) : null}
                <Group justify="space-between" wrap="wrap" gap="xs">
                  <Text fw={600}>{t("credits.fields.totalCreditAmount")}</Text>
                  <Text fw={700} size="lg" data-testid="credit-total" style={{ fontVariantNumeric: "tabular-nums" }}>
                    {chosen.length ? format.money(total, currencies[0] ?? "NOK") : t("common.dash")}
                  </Text>
                </Group>
                <Text size="xs" c="dimmed">
                  {t("credits.new.chosen", { count: chosen.length })}
                </Text>
                <Group gap="sm" wrap="wrap" align="flex-start">
                  <TextInput
                    name="orderId"
                    label={t("credits.fields.orderId")}
                    description={t("credits.new.orderDefault")}
                    maxLength={100}
                    error={serverErrors.orderId}
                    w={{ base: "100%", xs: 240 }}
                  />
                  <TextInput
                    name="settlementId"
                    label={t("credits.fields.settlementId")}
                    maxLength={100}
                    error={serverErrors.settlementId}
                    w={{ base: "100%", xs: 240 }}
                  />
                </Group>
                <Textarea
                  name="reason"
                  label={t("common.reason")}
                  description={t("credits.new.reasonNote")}
                  required
                  autosize
                  minRows={2}
                  maxLength={REASON_MAX_LENGTH}
                  error={serverErrors.reason}
                />
                <Group justify="flex-end">
                  <Button type="submit" disabled={!valid} loading={navigation.state === "submitting"}>
                    {t("credits.new.create")}
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
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="md" style={{ overflow: "hidden" }} data-testid="creditable-payment">
      <Group justify="space-between" p="sm" gap="xs" wrap="wrap" bg="var(--paydesk-color-subtle)">
        <Group gap="xs" wrap="wrap">
          <Anchor component={Link} to={`/payments/${payment.paymentId}`} fw={600}>
            {t("credits.new.payment", { id: payment.paymentId })}
          </Anchor>
          {payment.active ? null : (
            <Badge color="red" variant="outline" size="sm">
              {t("payments.inactive")}
            </Badge>
          )}
          <Text size="sm" c="dimmed">
            {t("credits.new.orderCustomer", {
              order: payment.orderId ?? t("common.dash"),
              customer: payment.customerNumber ?? t("common.dash"),
            })}
          </Text>
        </Group>
        <Text size="sm">
          {t("credits.new.total")} <Amount value={payment.totalAmount} currency={payment.currency} />
        </Text>
      </Group>
      {payment.transactions.length === 0 ? (
        <Text size="sm" c="dimmed" p="sm">
          {t("credits.new.nothingCaptured")}
        </Text>
      ) : (
        <Stack gap={0}>
          {payment.transactions.map((tr) => {
            const value = amounts[tr.transactionId];
            const chosen = value !== undefined;
            const nothingLeft = !parsePositiveAmount(tr.creditableAmount).ok;
            const error =
              (chosen ? problems.get(tr.transactionId) : null) ?? serverErrors[amountField(tr.transactionId)];
            return (
              <Group
                key={tr.transactionId}
                data-testid={`transaction-${tr.transactionId}`}
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
                  aria-label={t("credits.new.creditTransaction", { id: tr.transactionId })}
                  checked={chosen}
                  disabled={nothingLeft && !chosen}
                  onChange={(event) => onChoose(tr, event.currentTarget.checked)}
                  name="line"
                  value={`${payment.paymentId}:${tr.transactionId}`}
                  label={
                    <Group gap={6} wrap="nowrap" component="span">
                      <StatusBadge status={tr.status} />
                      <Text span size="sm" style={{ whiteSpace: "nowrap" }}>
                        {tr.transactionId} · {tr.paymentType ?? tr.paymentTypeGroup}
                        {tr.cardNumber ? ` •••• ${tr.cardNumber}` : ""}
                      </Text>
                    </Group>
                  }
                />
                <Group gap="md" wrap="nowrap" style={{ flex: "2 1 300px" }} justify="space-between">
                  <Figure label={t("credits.new.captured")} value={tr.capturedAmount} currency={payment.currency} />
                  <Figure label={t("credits.new.credited")} value={tr.creditedAmount} currency={payment.currency} />
                  <Figure
                    label={t("credits.new.creditable")}
                    value={tr.creditableAmount}
                    currency={payment.currency}
                    strong={!nothingLeft}
                  />
                </Group>
                <TextInput
                  name={amountField(tr.transactionId)}
                  aria-label={t("credits.new.amountOf", { id: tr.transactionId })}
                  value={value ?? ""}
                  placeholder={nothingLeft ? t("credits.new.nothingLeft") : t("credits.new.tickToCredit")}
                  disabled={!chosen}
                  inputMode="decimal"
                  onChange={(event) => onAmount(tr.transactionId, event.currentTarget.value)}
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
