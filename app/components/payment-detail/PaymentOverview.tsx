// The payment's amounts at a glance and its own fields.
import { Anchor, Paper, SimpleGrid, Text } from "@mantine/core";
import { Link } from "@remix-run/react";
import { Amount } from "../Amount";
import { DateTime } from "../DateTime";
import type { Detail, DetailPayment } from "./types";
import { Field } from "../Field";

const SUMMARY: ReadonlyArray<{ key: keyof Detail["summary"]; label: string; hint: string }> = [
  { key: "totalAmount", label: "Total", hint: "What the order costs (totalAmount)" },
  { key: "authorizedAmount", label: "Authorized", hint: "Reserved with the provider" },
  { key: "capturedAmount", label: "Captured", hint: "Taken from the customer" },
  { key: "creditedAmount", label: "Credited", hint: "Given back to the customer" },
  { key: "cancelledAmount", label: "Cancelled", hint: "Released before capture" },
  { key: "creditableAmount", label: "Creditable", hint: "Captured − credited − held by open credits" },
];

export function PaymentSummaryCards({ summary, currency }: { summary: Detail["summary"]; currency: string }) {
  return (
    <SimpleGrid cols={{ base: 2, xs: 3, lg: 6 }} spacing="sm" aria-label="Amounts">
      {SUMMARY.map(({ key, label, hint }) => (
        <Paper key={key} withBorder p="sm" title={hint} data-testid={`summary-${key}`}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {label}
          </Text>
          <Text fw={600} size="lg" ta="right">
            <Amount value={summary[key]} currency={currency} />
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

/** A value that links to its own screen when the viewer may open it, plain text otherwise. */
function Linked({ value, to, allowed }: { value: string | null; to: string; allowed: boolean }) {
  if (value === null) return <>—</>;
  if (!allowed) return <>{value}</>;
  return (
    <Anchor component={Link} to={to} style={{ overflowWrap: "anywhere" }}>
      {value}
    </Anchor>
  );
}

export function PaymentFields({
  payment,
  timeZone,
  may,
}: {
  payment: DetailPayment;
  timeZone: string;
  /** Which linked screens the viewer may open. */
  may: { customer: boolean; settlement: boolean };
}) {
  return (
    <Paper withBorder p="lg">
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md" verticalSpacing="sm">
        <Field label="Order">
          {payment.orderId ?? "—"}
          {payment.orderVersion !== null ? (
            <Text span c="dimmed" size="sm">
              {" "}
              v{payment.orderVersion}
            </Text>
          ) : null}
        </Field>
        <Field label="Organisation">
          {payment.organisationName ?? "—"}{" "}
          <Text span c="dimmed" size="sm">
            ({payment.organisationId})
          </Text>
        </Field>
        <Field label="Customer">
          <Linked
            value={payment.customerNumber}
            to={`/customers/${encodeURIComponent(payment.customerNumber ?? "")}`}
            allowed={may.customer}
          />
        </Field>
        <Field label="Settlement">
          <Linked
            value={payment.settlementId}
            to={`/settlements/${encodeURIComponent(payment.settlementId ?? "")}`}
            allowed={may.settlement}
          />
        </Field>
        <Field label="Currency">{payment.currency}</Field>
        <Field label="Active">{payment.active ? "Yes" : "No, deactivated"}</Field>
        <Field label="Created">
          <DateTime value={payment.createdAt!} timeZone={timeZone} />
        </Field>
        <Field label="Updated">
          <DateTime value={payment.updatedAt!} timeZone={timeZone} />
        </Field>
      </SimpleGrid>
    </Paper>
  );
}
