// Payment detail: what support reads first when a customer calls (amounts, transactions, and
// what happened to each: the operation log), and the fixes the payment's state and the user's
// role allow. Every action calls the same service as its /v1 route with a StaffCaller, so the
// rules, the operation log and the audit entry are the API's own.
import { useTranslation } from "react-i18next";
import { translator } from "../../i18n/i18n";
import { staffLanguage } from "../../i18n/language.server";
import { metaTitle } from "../../i18n/meta";
import { Alert, Anchor, Badge, Group, Stack, Text, Title } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { userHasPermission } from "../../auth/roles";
import { requirePermission } from "../../auth/session.server";
import { useStaffUser } from "../../components/staff-user";
import { PaymentCredits } from "../../components/payment-detail/PaymentCredits";
import { OperationsInProgress } from "../../components/payment-detail/OperationsInProgress";
import { PaymentActions } from "../../components/payment-detail/PaymentActions";
import { PaymentFields, PaymentSummaryCards } from "../../components/payment-detail/PaymentOverview";
import { RawJson } from "../../components/payment-detail/RawJson";
import { TransactionLogs } from "../../components/payment-detail/TransactionLogs";
import { TransactionsTable } from "../../components/payment-detail/TransactionsTable";
import { paymentDetailIntents } from "./actions.server";
import { idOf } from "../../http/staff/path-id.server";
import { staffAction, staffCaller } from "../../http/staff/action.server";
import { findPaymentDetail, staffReasonsOf } from "../../services/queries/payment-detail.server";
import { creditsOfPayment } from "../../services/queries/credit-screens.server";
import { chargebacksOfPayment } from "../../services/queries/chargebacks.server";
import { ChargebacksSection } from "../../components/ChargebackParts";
import { paymentDetailJson } from "./detail.server";

export { RouteErrorBoundary as ErrorBoundary } from "../../components/RouteErrorBoundary";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data
    ? metaTitle(matches, "payment.metaTitle", { id: data.detail.payment.paymentId })
    : metaTitle(matches, "payment.metaTitleNone");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "payment:read");
  const paymentId = idOf(params.paymentId);
  const caller = staffCaller(user, request, context, null);
  const found = paymentId === null ? null : await findPaymentDetail(caller, { paymentId });
  if (!found) {
    const t = translator(staffLanguage(user, request));
    throw new Response(t("payment.notFound", { id: params.paymentId }), { status: 404, statusText: "Not Found" });
  }
  const credits = userHasPermission(user, "credit:read")
    ? await creditsOfPayment(caller, {
        paymentId: found.payment.paymentId,
        viewerMayExecute: userHasPermission(user, "credit:execute"),
      })
    : null;
  const chargebacks = userHasPermission(user, "chargeback:read")
    ? await chargebacksOfPayment(caller, { paymentId: found.payment.paymentId })
    : null;
  // Staff reasons are the operation log's context: whoever may read the log reads them.
  const reasons = userHasPermission(user, "log:read") ? await staffReasonsOf(found) : [];
  return json({
    detail: paymentDetailJson(found),
    credits,
    chargebacks,
    reasons,
    today: new Date().toISOString().slice(0, 10),
  });
}

export const action = (args: ActionFunctionArgs) => staffAction(args, paymentDetailIntents(args.params.paymentId));

// ---------------------------------------------------------------- screen

export default function PaymentDetailScreen() {
  const { detail, credits, chargebacks, reasons, today } = useLoaderData<typeof loader>();
  const { payment } = detail;
  const user = useStaffUser();
  const { t } = useTranslation();
  const may = {
    capture: userHasPermission(user, "payment:capture"),
    cancel: userHasPermission(user, "payment:cancel"),
    credit: userHasPermission(user, "credit:create"),
    chargeback: userHasPermission(user, "chargeback:manage"),
    adjustInvoice: userHasPermission(user, "invoice:adjust"),
  };
  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/payments" size="sm" w="fit-content">
        {t("payment.back")}
      </Anchor>
      <Group justify="space-between" align="flex-start" gap="sm">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Group gap="sm">
            <Title order={1} size="h2">
              {t("payment.title", { id: payment.paymentId })}
            </Title>
            {payment.active ? (
              <Badge color="green" variant="light">
                {t("payment.active")}
              </Badge>
            ) : (
              <Badge color="red" variant="filled">
                {t("payment.deactivated")}
              </Badge>
            )}
          </Group>
          <Text c="dimmed" size="sm">
            {payment.orderId
              ? `${t("payment.order", { order: payment.orderId })}${payment.orderVersion !== null ? ` v${payment.orderVersion}` : ""} · `
              : `${t("payment.noOrder")} · `}
            {payment.organisationName ?? t("payment.organisation")} ({payment.organisationId})
          </Text>
        </Stack>
        <PaymentActions detail={detail} />
      </Group>
      {!payment.active ? (
        <Alert color="red" title={t("payment.deactivatedTitle")} role="status">
          {t("payment.deactivatedText")}
        </Alert>
      ) : null}
      <OperationsInProgress operations={detail.inProgress} />
      <PaymentSummaryCards summary={detail.summary} currency={payment.currency} />
      <PaymentFields
        payment={payment}
        timeZone={user.timeZone}
        may={{
          customer: userHasPermission(user, "customer:read"),
          settlement: userHasPermission(user, "settlement:read"),
        }}
      />
      <TransactionsTable transactions={detail.transactions} may={may} />
      {credits ? <PaymentCredits credits={credits} currency={payment.currency} timeZone={user.timeZone} /> : null}
      {chargebacks?.length ? (
        <ChargebacksSection rows={chargebacks} timeZone={user.timeZone} today={today} showPayment={false} />
      ) : null}
      <TransactionLogs
        transactions={detail.transactions}
        chargebacks={chargebacks ?? []}
        reasons={reasons}
        timeZone={user.timeZone}
      />
      <RawJson paymentId={payment.paymentId} json={detail.rawJson} />
    </Stack>
  );
}
