// Payment detail: what support reads first when a customer calls (amounts, transactions, and
// what happened to each: the operation log), and the fixes the payment's state and the user's
// role allow. Every action calls the same service as its /v1 route with a StaffCaller, so the
// rules, the operation log and the audit entry are the API's own.
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
import { idOf, paymentDetailIntents } from "./actions.server";
import { staffAction, staffCaller } from "../../http/staff/action.server";
import { findPaymentDetail, staffReasonsOf } from "../../services/queries/payment-detail.server";
import { creditsOfPayment } from "../../services/queries/credit-screens.server";
import { paymentDetailJson } from "./detail.server";

export { RouteErrorBoundary as ErrorBoundary } from "../../components/RouteErrorBoundary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Payment ${data.detail.payment.paymentId} · Paydesk` : "Payment · Paydesk" },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "payment:read");
  const paymentId = idOf(params.paymentId);
  const caller = staffCaller(user, request, context, null);
  const found = paymentId === null ? null : await findPaymentDetail(caller, { paymentId });
  if (!found) throw new Response(`There is no payment ${params.paymentId}.`, { status: 404, statusText: "Not Found" });
  const credits = userHasPermission(user, "credit:read")
    ? await creditsOfPayment(caller, {
        paymentId: found.payment.paymentId,
        viewerMayExecute: userHasPermission(user, "credit:execute"),
      })
    : null;
  // Staff reasons are the operation log's context: whoever may read the log reads them.
  const reasons = userHasPermission(user, "log:read") ? await staffReasonsOf(found) : [];
  return json({ detail: paymentDetailJson(found), credits, reasons });
}

export const action = (args: ActionFunctionArgs) => staffAction(args, paymentDetailIntents(args.params.paymentId));

// ---------------------------------------------------------------- screen

export default function PaymentDetailScreen() {
  const { detail, credits, reasons } = useLoaderData<typeof loader>();
  const { payment } = detail;
  const user = useStaffUser();
  const may = {
    capture: userHasPermission(user, "payment:capture"),
    cancel: userHasPermission(user, "payment:cancel"),
    credit: userHasPermission(user, "credit:create"),
    adjustInvoice: userHasPermission(user, "invoice:adjust"),
  };
  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/payments" size="sm" w="fit-content">
        ← Payments
      </Anchor>
      <Group justify="space-between" align="flex-start" gap="sm">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Group gap="sm">
            <Title order={1} size="h2">
              Payment {payment.paymentId}
            </Title>
            {payment.active ? (
              <Badge color="green" variant="light">
                Active
              </Badge>
            ) : (
              <Badge color="red" variant="filled">
                Deactivated
              </Badge>
            )}
          </Group>
          <Text c="dimmed" size="sm">
            {payment.orderId
              ? `Order ${payment.orderId}${payment.orderVersion !== null ? ` v${payment.orderVersion}` : ""} · `
              : "No order · "}
            {payment.organisationName ?? "Organisation"} ({payment.organisationId})
          </Text>
        </Stack>
        <PaymentActions detail={detail} />
      </Group>
      {!payment.active ? (
        <Alert color="red" title="This payment is deactivated" role="status">
          Every transaction operation is refused until it is reactivated with its correct total amount. Captured
          transactions can still be credited.
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
      <TransactionLogs transactions={detail.transactions} reasons={reasons} timeZone={user.timeZone} />
      <RawJson paymentId={payment.paymentId} json={detail.rawJson} />
    </Stack>
  );
}
