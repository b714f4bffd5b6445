// /paymentChange?clientId=…&returnUrl=…&errorUrl=…&paymentChangeId=…: where the client
// sends a logged-in customer after POST /v1/product/payment/{productCode}. Shows the change;
// "Continue" opens the provider's page, "Cancel" goes back with result=cancelled. The client and
// both URLs are checked first: a refused link shows why and redirects nowhere.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { customerMethodLabel } from "../i18n/labels";
import { CustomerErrorBoundary, Fact } from "../components/CustomerFrame";
import { FlowStep, flowStepMeta } from "../components/FlowStep";
import { hostedPageHeaders } from "../http/hosted-page.server";
import { flowAction, flowLoader } from "../http/self-service-flow.server";
import { continuePaymentChange, paymentChangeStep, type ChangeView } from "../services/self-service/pages.server";

export const meta = flowStepMeta("customer.change.metaTitle");

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
  const { t } = useTranslation();
  return (
    <FlowStep<ChangeView>
      title={t("customer.change.title")}
      note={(view, client) => t("customer.change.note", { provider: view.provider, client })}
      facts={(view) => (
        <>
          <Fact
            label={t("customer.change.product")}
            value={`${view.productName} (${view.productCode})`}
            testId="product"
          />
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
        </>
      )}
    />
  );
}
