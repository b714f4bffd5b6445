// Payment detail: a placeholder with the payment's basic fields until the detail screen
// (amounts, transactions, operation-log timeline, actions) is built.
import { Anchor, Group, Paper, SimpleGrid, Stack, Table, Text } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { requirePermission } from "../auth/session.server";
import { Amount } from "../components/Amount";
import { DateTime } from "../components/DateTime";
import { NotBuiltYet } from "../components/NotBuiltYet";
import { StatusBadge } from "../components/StatusBadge";
import { useStaffUser } from "../components/staff-user";
import { findPaymentListItem } from "../services/payment-list.server";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Payment ${data.payment.paymentId} · Paydesk` : "Payment · Paydesk" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "payment:read");
  const paymentId = /^[0-9]{1,15}$/.test(params.paymentId ?? "") ? Number(params.paymentId) : null;
  const payment = paymentId === null ? null : await findPaymentListItem(paymentId);
  if (!payment) throw new Response(`There is no payment ${params.paymentId}.`, { status: 404, statusText: "Not Found" });
  return json({ payment });
}

export default function PaymentDetail() {
  const { payment } = useLoaderData<typeof loader>();
  const user = useStaffUser();
  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/payments" size="sm" w="fit-content">
        ← Payments
      </Anchor>
      <NotBuiltYet
        title={`Payment ${payment.paymentId}`}
        summary="The full detail comes here: amounts and summary, transactions, the operation-log timeline per transaction, the actions your role allows (capture, cancel, credit, deactivate, reactivate, adjust invoice) and the raw JSON."
      />
      <Paper withBorder p="lg" maw={720}>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md" verticalSpacing="sm">
          <Field label="Order">
            {payment.orderId ?? "—"}{" "}
            {payment.orderVersion !== null ? (
              <Text span c="dimmed" size="sm">
                v{payment.orderVersion}
              </Text>
            ) : null}
          </Field>
          <Field label="Organisation">
            {payment.organisationName} <Text span c="dimmed" size="sm">({payment.organisationId})</Text>
          </Field>
          <Field label="Total amount">
            <Amount value={payment.totalAmount} currency={payment.currency} />
          </Field>
          <Field label="Customer">{payment.customerNumber ?? "—"}</Field>
          <Field label="Settlement">{payment.settlementId ?? "—"}</Field>
          <Field label="Active">{payment.active ? "Yes" : "No, deactivated"}</Field>
          <Field label="Created">
            <DateTime value={payment.createdAt} timeZone={user.timeZone} />
          </Field>
        </SimpleGrid>
      </Paper>
      <Paper withBorder maw={720} style={{ overflow: "hidden" }}>
        <Table.ScrollContainer minWidth={520} type="native">
          <Table verticalSpacing="xs" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Transaction</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Card</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {payment.transactions.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text c="dimmed" size="sm" ta="center" py="sm">
                      This payment has no transactions.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : (
                payment.transactions.map((t) => (
                  <Table.Tr key={t.transactionId}>
                    <Table.Td>{t.transactionId}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={t.status} />
                    </Table.Td>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        {t.paymentType ?? "Not known yet"}
                        <Text span c="dimmed" size="xs">
                          {t.paymentTypeGroup}
                        </Text>
                      </Group>
                    </Table.Td>
                    <Table.Td>{t.cardNumber ? `•••• ${t.cardNumber}` : "—"}</Table.Td>
                    <Table.Td ta="right">
                      <Amount value={t.amount} currency={t.currency} />
                    </Table.Td>
                  </Table.Tr>
                ))
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
    </Stack>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}
