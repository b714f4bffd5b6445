// /payment/invoice/pay?clientId=…&returnUrl=…&errorUrl=…&transactionId=…: where the
// client sends a logged-in customer after POST /v1/api/payment/invoice. Shows what is about to be
// paid; "Continue" opens the provider's page, "Cancel" goes back with result=cancelled. The
// client and both URLs are checked first: a refused link shows why and redirects nowhere.
// (app/http/self-service-flow.server.ts has the order of checks.)
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { CustomerErrorBoundary, Fact, FlowStep, RefusedLink } from "../components/CustomerFrame";
import { formatMoney } from "../components/format";
import { hostedPageHeaders } from "../http/hosted-page.server";
import { flowAction, flowLoader, type Refused, type Shown } from "../http/self-service-flow.server";
import { continueInvoicePay, invoicePayStep, type PayView } from "../services/self-service/pages.server";

export const meta: MetaFunction = () => [{ title: "Pay invoice · Paydesk" }, { name: "robots", content: "noindex" }];

export const headers = hostedPageHeaders;

export const ErrorBoundary = CustomerErrorBoundary;

export async function loader({ request, context }: LoaderFunctionArgs) {
  return flowLoader(request, context, "transactionId", (customer, transactionId, target) =>
    invoicePayStep(customer, { transactionId, target }),
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  return flowAction(request, context, "transactionId", (customer, transactionId, step) =>
    continueInvoicePay(customer, { ...step, transactionId }),
  );
}

export default function PayInvoicePage() {
  const acted = useActionData() as Refused | undefined;
  const loaded = useLoaderData() as Refused | Shown<PayView>;
  const data = acted ?? loaded;
  if (data.kind === "refused") return <RefusedLink message={data.message} />;
  const view = data.view;
  return (
    <FlowStep
      title="Pay invoice"
      clientName={data.clientName}
      customerName={data.customerName}
      provider={view.provider}
      note={`You will approve the payment on ${view.provider}'s page and then come back to ${data.clientName}.`}
    >
      <Fact label="Pay to" value={view.merchant} testId="merchant" />
      <Fact label="Amount" value={formatMoney(view.amount, view.currency)} testId="amount" />
      <Fact label="Invoice" value={view.invoiceNumber} testId="invoice" />
      <Fact label="Due date" value={view.dueDate} />
      <Fact label="Product" value={`${view.productName} (${view.productCode})`} />
      <Fact label="Pay with" value={view.methodLabel} testId="method" />
    </FlowStep>
  );
}
