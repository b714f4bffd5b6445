// The payment's amounts at a glance and its own fields.
import { useTranslation } from "react-i18next";
import { Anchor, Paper, SimpleGrid, Text } from "@mantine/core";
import { Link } from "@remix-run/react";
import { Amount } from "../Amount";
import { DateTime } from "../DateTime";
import { TRANSACTION_AMOUNTS, type Detail, type DetailPayment } from "./types";
import { Field } from "../Field";

const SUMMARY = ["totalAmount", ...TRANSACTION_AMOUNTS] as const;

export function PaymentSummaryCards({ summary, currency }: { summary: Detail["summary"]; currency: string }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 2, xs: 3, lg: 6 }} spacing="sm" aria-label={t("payment.amounts")}>
      {SUMMARY.map((key) => (
        <Paper key={key} withBorder p="sm" title={t(`payment.hints.${key}`)} data-testid={`summary-${key}`}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t(`payment.summary.${key}`)}
          </Text>
          <Text fw={600} size="lg" ta="right">
            <Amount value={summary[key]} currency={currency} />
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

/** A value that links to its own screen (`area/value`) when the viewer may open it, plain text otherwise. */
function Linked({ value, area, allowed }: { value: string | null; area: string; allowed: boolean }) {
  if (value === null) return <>—</>;
  if (!allowed) return <>{value}</>;
  return (
    <Anchor component={Link} to={`${area}/${encodeURIComponent(value)}`} style={{ overflowWrap: "anywhere" }}>
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
  const { t } = useTranslation();
  return (
    <Paper withBorder p="lg">
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md" verticalSpacing="sm">
        <Field label={t("payment.fields.order")}>
          {payment.orderId ?? "—"}
          {payment.orderVersion !== null ? (
            <Text span c="dimmed" size="sm">
              {` v${payment.orderVersion}`}
            </Text>
          ) : null}
        </Field>
        <Field label={t("payment.fields.organisation")}>
          {payment.organisationName ?? "—"}{" "}
          <Text span c="dimmed" size="sm">
            ({payment.organisationId})
          </Text>
        </Field>
        <Field label={t("payment.fields.customer")}>
          <Linked value={payment.customerNumber} area="/customers" allowed={may.customer} />
        </Field>
        <Field label={t("payment.fields.settlement")}>
          <Linked value={payment.settlementId} area="/settlements" allowed={may.settlement} />
        </Field>
        <Field label={t("payment.fields.currency")}>{payment.currency}</Field>
        <Field label={t("payment.fields.active")}>
          {payment.active ? t("payment.fields.yes") : t("payment.fields.noDeactivated")}
        </Field>
        <Field label={t("payment.fields.created")}>
          <DateTime value={payment.createdAt!} timeZone={timeZone} />
        </Field>
        <Field label={t("payment.fields.updated")}>
          <DateTime value={payment.updatedAt!} timeZone={timeZone} />
        </Field>
      </SimpleGrid>
    </Paper>
  );
}
