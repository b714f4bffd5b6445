// /paymentChange?clientId=…&returnUrl=…&errorUrl=…&paymentChangeId=…: where the client
// sends a logged-in customer after POST /v1/product/payment/{productCode}. Shows the change;
// "Continue" opens the provider's page, "Cancel" goes back with result=cancelled. The client and
// both URLs are checked first: a refused link shows why and redirects nowhere.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { customerMethodLabel } from "../i18n/labels";
import { metaTitle } from "../i18n/meta";
import { CustomerErrorBoundary, Fact, FlowStep, RefusedLink } from "../components/CustomerFrame";
import { hostedPageHeaders } from "../http/hosted-page.server";
import { flowAction, flowLoader, type Refused, type Shown } from "../http/self-service-flow.server";
import { continuePaymentChange, paymentChangeStep, type ChangeView } from "../services/self-service/pages.server";

export const meta: MetaFunction = ({ matches }) => [
  ...metaTitle(matches, "customer.change.metaTitle"),
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
  const { t } = useTranslation();
  if (data.kind === "refused") return <RefusedLink message={data.message} said={data.say} />;
  const view = data.view;
  return (
    <FlowStep
      title={t("customer.change.title")}
      clientName={data.clientName}
      customerName={data.customerName}
      provider={view.provider}
      note={t("customer.change.note", { provider: view.provider, client: data.clientName })}
    >
      <Fact label={t("customer.change.product")} value={`${view.productName} (${view.productCode})`} testId="product" />
      <Fact label={t("customer.change.soldBy")} value={view.merchant} />
      <Fact
        label={t("customer.change.paysNowWith")}
        value={customerMethodLabel(t, view.currentPaymentMethod)}
        testId="current"
      />
      <Fact
        label={t("customer.change.willPayWith")}
        value={customerMethodLabel(t, view.paymentMethod)}
        testId="method"
      />
    </FlowStep>
  );
}
