// /account: the logged-in customer's own page: their products with the current payment
// method, and their invoices. "Pay" and "Change" run the same use-cases as the API and send the
// customer straight to the provider's page, coming back here with `result`.
import {
  Alert,
  Badge,
  Button,
  Container,
  Group,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireCustomerSession } from "../auth/customer-session.server";
import { CustomerErrorBoundary } from "../components/CustomerFrame";
import { DomainError, type Say } from "../domain/errors";
import { CARD_NUMBER_MESSAGE, containsCardNumber } from "../domain/card-number";
import {
  INVOICE_PAYMENT_METHODS,
  isInvoicePaymentMethod,
  isOverdue,
  isProductPaymentMethod,
  PRODUCT_PAYMENT_METHODS,
} from "../domain/self-service";
import { useFormat } from "../components/use-format";
import { dayIn } from "../domain/zoned-day-range";
import type { CustomerCaller } from "../domain/caller";
import { publicOrigin } from "../http/hosted-page.server";
import { continueInvoicePay, continuePaymentChange, type FlowStepInput } from "../services/self-service/pages.server";
import {
  customerAccount,
  requestPaymentChange,
  startInvoicePayment,
} from "../services/self-service/self-service.server";
import { LanguageSwitch } from "../components/LanguageSwitch";
import { LogoutButton } from "../components/LoginForm";
import { useTranslation } from "react-i18next";
import { translator } from "../i18n/i18n";
import { customerMethodLabel } from "../i18n/labels";
import { matchedLanguage } from "../i18n/meta";

export const meta: MetaFunction = ({ matches }) => [
  { title: translator(matchedLanguage(matches))("customer.mySubscriptions") },
];

export const ErrorBoundary = CustomerErrorBoundary;

export async function loader({ request }: LoaderFunctionArgs) {
  const { customer } = await requireCustomerSession(request);
  // Due dates are Norwegian calendar days; "today" is Oslo's, computed here so server and
  // browser agree on what is overdue.
  const today = dayIn(new Date(), "Europe/Oslo");
  return json(
    { customer, today, ...(await customerAccount(customer.customerNumber)) },
    { headers: { "Cache-Control": "no-store" } },
  );
}

/** `error`: the English words; `say`: the same by its locale key, shown in the customer's language. */
type ActionData = { error: string; say: Say; field?: string; invoiceNumber?: string; productCode?: string };

const refusal = (error: string, key: string, values?: Say["values"]) => ({ error, say: { key, values } });

/** A 400 answer that refuses the post, with what the form needs to show the refusal in its place. */
const refused = (error: string, key: string, place: Omit<ActionData, "error" | "say"> = {}) =>
  json<ActionData>({ ...refusal(error, key), ...place }, { status: 400 });

/**
 * A service's refusal as the customer reads it: by its key, except where the staff's words would
 * not help a customer (a payment staff deactivated) or there is no key (then a general one).
 */
function customerRefusal(error: DomainError) {
  if (!error.say || error.say.key === "errors.payment.deactivated")
    return refusal(error.message, "customer.account.refused.other");
  return { error: error.message, say: error.say };
}

/** The fields this page posts that name things; none may carry a card number (they are quoted back in errors). */
const NAMING_FIELDS = ["invoiceNumber", "productCode", "companyCode"] as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const { customer } = await requireCustomerSession(request);
  const form = await request.formData();
  const field = (name: string) => String(form.get(name) ?? "").slice(0, 50);
  const caller: CustomerCaller = {
    kind: "customer",
    customerNumber: customer.customerNumber,
    correlationId: context.correlationId,
  };
  const url = new URL(request.url);
  const origin = publicOrigin(url);
  // Straight on to the provider's page; our own page is the way back (a fixed same-origin URL,
  // not one the request chose).
  const onward: FlowStepInput = {
    target: { clientId: null, returnUrl: `${origin}/account`, errorUrl: `${origin}/account` },
    origin,
    intent: "continue",
  };
  const carrier = NAMING_FIELDS.find((name) => containsCardNumber(field(name)));
  if (carrier)
    return refused(`${carrier} ${CARD_NUMBER_MESSAGE}.`, "customer.account.refused.cardNumber", { field: carrier });
  try {
    if (field("intent") === "pay") {
      const paymentMethod = field("paymentMethod");
      if (!isInvoicePaymentMethod(paymentMethod))
        return refused("Choose how to pay.", "customer.account.refused.chooseHow", {
          invoiceNumber: field("invoiceNumber"),
        });
      const attempt = await startInvoicePayment(caller, {
        customerNumber: customer.customerNumber,
        invoiceNumber: field("invoiceNumber"),
        productCode: field("productCode"),
        companyCode: field("companyCode"),
        paymentMethod,
      });
      return redirect(await continueInvoicePay(caller, { ...onward, transactionId: attempt.transactionId }));
    }
    if (field("intent") === "change") {
      const paymentMethod = field("paymentMethod");
      if (!isProductPaymentMethod(paymentMethod))
        return refused("Choose a payment method.", "customer.account.refused.chooseMethod", {
          productCode: field("productCode"),
        });
      const change = await requestPaymentChange(caller, {
        customerNumber: customer.customerNumber,
        productCode: field("productCode"),
        paymentMethod,
      });
      return redirect(await continuePaymentChange(caller, { ...onward, paymentChangeId: change.paymentChangeId }));
    }
    return refused("Unknown action.", "customer.account.refused.unknownAction");
  } catch (error) {
    if (error instanceof DomainError) {
      return json<ActionData>(
        { ...customerRefusal(error), invoiceNumber: field("invoiceNumber"), productCode: field("productCode") },
        { status: error.status },
      );
    }
    throw error;
  }
}

const COLOUR: Record<string, string> = {
  finished: "green",
  cancelled: "yellow",
  failed: "red",
  unknown: "yellow",
  initiated: "blue",
};

/** The outcomes the provider reports back (`result`), each said in words (customer.account.result). */
const OUTCOMES = ["finished", "cancelled", "failed", "unknown", "initiated"] as const;
type Outcome = (typeof OUTCOMES)[number];
const isOutcome = (value: string): value is Outcome => (OUTCOMES as readonly string[]).includes(value);

function ResultNotice() {
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const error = params.get("error");
  if (error) {
    return (
      <Alert color="red" role="alert">
        {t("customer.account.ourError", { error })}
      </Alert>
    );
  }
  const outcome = params.get("result") ?? "";
  if (!isOutcome(outcome)) return null;
  const flow = params.has("transactionId") ? "pay" : "change";
  return (
    <Alert color={COLOUR[outcome]} role="status" data-testid="result">
      {t(`customer.account.result.${flow}.${outcome}`)}
    </Alert>
  );
}

export default function AccountPage() {
  const { customer, products, invoices, today } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  const { money, day: formatDay } = useFormat();
  return (
    <Container component="main" size="md" py="xl" px="md">
      <Stack gap="lg">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={1} size="h2">
              {t("customer.mySubscriptions")}
            </Title>
            <Text c="dimmed" size="sm">
              {t("customer.account.customerLine", { name: customer.name, customerNumber: customer.customerNumber })}
            </Text>
          </div>
          <Group gap="sm">
            <LanguageSwitch />
            <LogoutButton action="/account/logout" size="sm" />
          </Group>
        </Group>
        <ResultNotice />
        {failed ? (
          <Alert color="red" role="alert">
            {(t as unknown as (key: string, values?: object) => string)(failed.say.key, failed.say.values)}
          </Alert>
        ) : null}

        <Title order={2} size="h3">
          {t("customer.account.products")}
        </Title>
        {products.length === 0 ? <Text c="dimmed">{t("customer.account.noProducts")}</Text> : null}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {products.map((product) => (
            <Paper key={product.productCode} withBorder p="md" data-testid={`product-${product.productCode}`}>
              <Stack gap="xs">
                <div>
                  <Text fw={600}>{product.name}</Text>
                  <Text
                    size="sm"
                    c="dimmed"
                  >{`${product.productCode} · ${product.merchant ?? product.companyCode}`}</Text>
                </div>
                <Text size="sm">
                  {t("customer.account.paysWith")}{" "}
                  <strong data-testid="current-method">{customerMethodLabel(t, product.currentPaymentMethod)}</strong>
                </Text>
                <Form method="post">
                  <input type="hidden" name="intent" value="change" />
                  <input type="hidden" name="productCode" value={product.productCode} />
                  <Group gap="xs" align="flex-end" wrap="nowrap">
                    <NativeSelect
                      name="paymentMethod"
                      label={t("customer.account.changeTo")}
                      aria-label={t("customer.account.newMethodFor", { productCode: product.productCode })}
                      style={{ flex: 1, minWidth: 0 }}
                      data={PRODUCT_PAYMENT_METHODS.filter((m) => m !== product.currentPaymentMethod).map((m) => ({
                        value: m,
                        label: customerMethodLabel(t, m),
                      }))}
                    />
                    <Button type="submit" variant="light" disabled={busy}>
                      {t("customer.account.change")}
                    </Button>
                  </Group>
                </Form>
              </Stack>
            </Paper>
          ))}
        </SimpleGrid>

        <Title order={2} size="h3">
          {t("customer.account.invoices")}
        </Title>
        {invoices.length === 0 ? <Text c="dimmed">{t("customer.account.noInvoices")}</Text> : null}
        <Stack gap="sm">
          {invoices.map((invoice) => (
            <Paper key={invoice.invoiceNumber} withBorder p="md" data-testid={`invoice-${invoice.invoiceNumber}`}>
              <Group justify="space-between" align="flex-start" gap="sm">
                <div style={{ minWidth: 0 }}>
                  <Group gap="xs">
                    <Text fw={600}>{invoice.invoiceNumber}</Text>
                    <Badge color={invoice.status === "PAID" ? "green" : "orange"} variant="light" data-testid="status">
                      {invoice.status === "PAID" ? t("customer.account.paid") : t("customer.account.open")}
                    </Badge>
                    {isOverdue(invoice, today) ? (
                      <Badge color="red" variant="outline" data-testid="overdue">
                        {t("customer.account.overdue")}
                      </Badge>
                    ) : null}
                  </Group>
                  <Text size="sm" c="dimmed">{`${invoice.productName} (${invoice.productCode})`}</Text>
                  <Text size="sm">
                    {invoice.status === "PAID"
                      ? t("customer.account.paidOn", { date: formatDay(invoice.paidAt?.slice(0, 10) ?? "") })
                      : t("customer.account.due", { date: formatDay(invoice.dueDate) })}
                  </Text>
                </div>
                <Text fw={700}>{money(invoice.amount, invoice.currency)}</Text>
              </Group>
              {invoice.status === "OPEN" ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="pay" />
                  <input type="hidden" name="invoiceNumber" value={invoice.invoiceNumber} />
                  <input type="hidden" name="productCode" value={invoice.productCode} />
                  <input type="hidden" name="companyCode" value={invoice.companyCode} />
                  <Group gap="xs" align="flex-end" wrap="nowrap" mt="sm">
                    <NativeSelect
                      name="paymentMethod"
                      label={t("customer.account.payWith")}
                      aria-label={t("customer.account.howToPay", { invoiceNumber: invoice.invoiceNumber })}
                      style={{ flex: 1, minWidth: 0 }}
                      data={INVOICE_PAYMENT_METHODS.map((m) => ({ value: m, label: customerMethodLabel(t, m) }))}
                    />
                    <Button type="submit" disabled={busy}>
                      {t("customer.account.pay")}
                    </Button>
                  </Group>
                </Form>
              ) : null}
            </Paper>
          ))}
        </Stack>
        <Text size="xs" c="dimmed">
          {t("customer.account.questions")}
        </Text>
      </Stack>
    </Container>
  );
}
