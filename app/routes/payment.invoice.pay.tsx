// /payment/invoice/pay?clientId=…&returnUrl=…&errorUrl=…&transactionId=…: where the
// client sends a logged-in customer after POST /v1/api/payment/invoice. Shows what is about to be
// paid; "Continue" opens the provider's page, "Cancel" goes back with result=cancelled. The
// client and both URLs are checked first: a refused link shows why and redirects nowhere.
// (app/http/self-service-flow.server.ts has the order of checks.)
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { CustomerErrorBoundary, Fact } from "../components/CustomerFrame";
import { FlowStep, flowStepMeta } from "../components/FlowStep";
import { useFormat } from "../components/use-format";
import { customerMethodLabel } from "../i18n/labels";
import { hostedPageHeaders } from "../http/hosted-page.server";
import { flowAction, flowLoader } from "../http/self-service-flow.server";
import { continueInvoicePay, invoicePayStep, type PayView } from "../services/self-service/pages.server";

export const meta = flowStepMeta("customer.pay.metaTitle");

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
  const { t } = useTranslation();
  const { money, day } = useFormat();
  return (
    <FlowStep<PayView>
      title={t("customer.pay.title")}
      note={(view, client) => t("customer.pay.note", { provider: view.provider, client })}
      facts={(view) => (
        <>
          <Fact label={t("customer.pay.payTo")} value={view.merchant} testId="merchant" />
          <Fact label={t("customer.pay.amount")} value={money(view.amount, view.currency)} testId="amount" />
          <Fact label={t("customer.pay.invoice")} value={view.invoiceNumber} testId="invoice" />
          <Fact label={t("customer.pay.dueDate")} value={day(view.dueDate)} />
          <Fact label={t("customer.pay.product")} value={`${view.productName} (${view.productCode})`} />
          <Fact label={t("customer.pay.payWith")} value={customerMethodLabel(t, view.paymentMethod)} testId="method" />
        </>
      )}
    />
  );
}
