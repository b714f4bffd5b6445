// /paymentChange?clientId=…&returnUrl=…&errorUrl=…&paymentChangeId=…: where the client
// sends a logged-in customer after POST /v1/product/payment/{productCode}. Shows the change;
// "Continue" opens the provider's page, "Cancel" goes back with result=cancelled. The client and
// both URLs are checked first: a refused link shows why and redirects nowhere.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { CustomerErrorBoundary, Fact, FlowStep, RefusedLink } from "../components/CustomerFrame";
import { hostedPageHeaders } from "../http/hosted-page.server";
import { flowAction, flowLoader, type Refused, type Shown } from "../http/self-service-flow.server";
import { continuePaymentChange, paymentChangeStep, type ChangeView } from "../services/self-service/pages.server";

export const meta: MetaFunction = () => [
  { title: "Change payment method · Paydesk" },
  { name: "robots", content: "noindex" },
];

export const headers = hostedPageHeaders;

export const ErrorBoundary = CustomerErrorBoundary;

export async function loader({ request, context }: LoaderFunctionArgs) {
  return flowLoader(request, context, "paymentChangeId", (customer, paymentChangeId, target) =>
    paymentChangeStep(customer, { paymentChangeId, target }),
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  return flowAction(request, context, "paymentChangeId", (customer, paymentChangeId, step) =>
    continuePaymentChange(customer, { ...step, paymentChangeId }),
  );
}

export default function PaymentChangePage() {
  const acted = useActionData() as Refused | undefined;
  const loaded = useLoaderData() as Refused | Shown<ChangeView>;
  const data = acted ?? loaded;
  if (data.kind === "refused") return <RefusedLink message={data.message} />;
  const view = data.view;
  return (
    <FlowStep
      title="Change payment method"
      clientName={data.clientName}
      customerName={data.customerName}
      provider={view.provider}
      note={`You will confirm the new payment method on ${view.provider}'s page and then come back to ${data.clientName}. Until then nothing changes.`}
    >
      <Fact label="Product" value={`${view.productName} (${view.productCode})`} testId="product" />
      <Fact label="Sold by" value={view.merchant} />
      <Fact label="Pays now with" value={view.currentLabel} testId="current" />
      <Fact label="Will pay with" value={view.methodLabel} testId="method" />
    </FlowStep>
  );
}
