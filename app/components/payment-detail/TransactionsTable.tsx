// The payment's transactions with their amounts, and the actions each one's state allows to a
// role that may do them (the server checks both again).
import { Anchor, Group, Paper, Stack, Table, Text, Textarea, TextInput, Title } from "@mantine/core";
import { NOTES_MAX_LENGTH } from "../../domain/chargeback";
import { ActionModal, type ActionModalProps } from "../ActionModal";
import { Amount } from "../Amount";
import { StatusBadge } from "../StatusBadge";
import { useTranslation } from "react-i18next";
import { useFormat } from "../use-format";
import { AmountInput } from "./AmountInput";
import { TRANSACTION_AMOUNTS, type DetailTransaction } from "./types";
import { HeadedTable } from "../DataTable";

export type Abilities = {
  capture: boolean;
  cancel: boolean;
  credit: boolean;
  chargeback: boolean;
  adjustInvoice: boolean;
};

export function TransactionsTable({ transactions, may }: { transactions: DetailTransaction[]; may: Abilities }) {
  const { t: translate } = useTranslation();
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        {translate("payment.transactions", { count: transactions.length })}
      </Title>
      <Paper withBorder style={{ overflow: "hidden" }}>
        <Table.ScrollContainer minWidth={1100} type="native">
          <HeadedTable
            verticalSpacing="xs"
            fz="sm"
            striped
            highlightOnHover
            aria-label={translate("payment.transactionsLabel")}
            style={{ whiteSpace: "nowrap" }}
            head={
              <>
                <Table.Th>{translate("payment.col.transaction")}</Table.Th>
                <Table.Th>{translate("payment.col.status")}</Table.Th>
                <Table.Th>{translate("payment.col.type")}</Table.Th>
                <Table.Th ta="right">{translate("payment.col.amount")}</Table.Th>
                {TRANSACTION_AMOUNTS.map((key) => (
                  <Table.Th key={key} ta="right">
                    {translate(`payment.summary.${key}`)}
                  </Table.Th>
                ))}
                <Table.Th>{translate("payment.col.actions")}</Table.Th>
              </>
            }
          >
            {transactions.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={10}>
                  <Text c="dimmed" size="sm" ta="center" py="sm">
                    {translate("payment.noTransactions")}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : (
              transactions.map((t) => (
                <Table.Tr key={t.transactionId} data-testid={`transaction-${t.transactionId}`}>
                  <Table.Td>
                    <Anchor href={`#transaction-${t.transactionId}`} size="sm">
                      {t.transactionId}
                    </Anchor>
                    {t.isImport ? (
                      <Text span c="dimmed" size="xs">
                        {" "}
                        {translate("payment.import")}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={t.status} />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>
                    {t.paymentType ?? translate("payment.typeUnknown")}
                    {t.cardNumber ? ` •••• ${t.cardNumber}` : ""}
                    <Text c="dimmed" size="xs">
                      {t.paymentTypeGroup}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Amount value={t.amount!} currency={t.currency} />
                  </Table.Td>
                  {TRANSACTION_AMOUNTS.map((key) => (
                    <Table.Td key={key} ta="right">
                      <Amount
                        value={t.summary[key]!}
                        currency={t.currency}
                        c={t.summary[key] === "0.00" ? "dimmed" : undefined}
                      />
                    </Table.Td>
                  ))}
                  <Table.Td>
                    <TransactionActionButtons transaction={t} may={may} />
                  </Table.Td>
                </Table.Tr>
              ))
            )}
          </HeadedTable>
        </Table.ScrollContainer>
      </Paper>
    </Stack>
  );
}

function TransactionActionButtons({ transaction: t, may }: { transaction: DetailTransaction; may: Abilities }) {
  const id = t.transactionId;
  const { t: translate } = useTranslation();
  const format = useFormat();
  const money = (amount: string | null) => format.money(amount ?? "0", t.currency);
  const type = t.paymentType ?? t.paymentTypeGroup;
  const buttons = [
    t.actions.capture && may.capture ? (
      <TransactionAction
        key="capture"
        transactionId={id}
        label={translate("payment.capture")}
        title={translate("payment.captureTitle", { id })}
        intent="capture"
        description={translate("payment.captureText", {
          amount: money(t.summary.authorizedAmount !== "0.00" ? t.summary.authorizedAmount : t.amount),
          type,
        })}
      />
    ) : null,
    t.actions.cancel && may.cancel ? (
      <TransactionAction
        key="cancel"
        transactionId={id}
        label={translate("payment.cancel")}
        title={translate("payment.cancelTitle", { id })}
        intent="cancel"
        color="red"
        confirmLabel={translate("payment.cancelConfirm")}
        dismissLabel={translate("payment.keepIt")}
        description={translate("payment.cancelText", { amount: money(t.amount) })}
      />
    ) : null,
    t.actions.credit && may.credit ? (
      <TransactionAction
        key="credit"
        transactionId={id}
        label={translate("payment.credit")}
        title={translate("payment.creditTitle", { id })}
        intent="credit"
        color="grape"
        description={translate("payment.creditText", { type, amount: money(t.summary.creditableAmount) })}
        fields={(errors) => (
          <AmountInput
            name="amount"
            label={translate("payment.creditAmount")}
            defaultValue={t.summary.creditableAmount!}
            currency={t.currency}
            max={t.summary.creditableAmount!}
            maxLabel={translate("payment.creditableAmount")}
            description={translate("payment.creditable", { amount: money(t.summary.creditableAmount) })}
            serverError={errors.amount ?? errors.transactionId}
            testId="credit-amount"
          />
        )}
      />
    ) : null,
    t.actions.chargeback && may.chargeback ? (
      <TransactionAction
        key="chargeback"
        transactionId={id}
        label={translate("payment.chargeback.label")}
        title={translate("payment.chargeback.title", { id })}
        intent="openChargeback"
        color="orange"
        confirmLabel={translate("payment.chargeback.confirm")}
        description={translate("payment.chargeback.text", { amount: money(t.summary.creditableAmount) })}
        fields={(errors) => <OpenChargebackFields transaction={t} errors={errors} />}
      />
    ) : null,
    t.actions.adjustInvoice && may.adjustInvoice && t.invoice ? (
      <TransactionAction
        key="invoice"
        transactionId={id}
        label={translate("payment.adjustInvoice")}
        title={translate("payment.adjustInvoiceTitle", { id })}
        intent="invoice"
        description={translate("payment.adjustInvoiceText", { invoice: t.invoice.invoiceId })}
        confirmLabel={translate("payment.saveInvoice")}
        fields={(errors) => (
          <>
            <AmountInput
              name="amount"
              label={translate("payment.amount")}
              defaultValue={t.invoice!.amount}
              currency={t.currency}
              serverError={errors.amount}
              testId="invoice-amount"
            />
            <TextInput
              name="externalInvoiceNumber"
              label={translate("payment.externalInvoiceNumber")}
              description={translate("payment.externalInvoiceNumberHint")}
              defaultValue={t.invoice!.externalInvoiceNumber ?? ""}
              maxLength={50}
              error={errors.externalInvoiceNumber}
            />
            <TextInput
              name="customerIdentificationNumber"
              label={translate("payment.kid")}
              defaultValue={t.invoice!.customerIdentificationNumber ?? ""}
              maxLength={50}
              error={errors.customerIdentificationNumber}
            />
            <TextInput
              name="languageCode"
              label={translate("payment.language")}
              description={translate("payment.languageHint")}
              defaultValue={t.invoice!.languageCode ?? ""}
              maxLength={3}
              error={errors.languageCode}
            />
          </>
        )}
      />
    ) : null,
  ].filter(Boolean);
  if (!buttons.length) {
    return (
      <Text c="dimmed" size="xs">
        —
      </Text>
    );
  }
  return <Group gap={6}>{buttons}</Group>;
}

function OpenChargebackFields({
  transaction: t,
  errors,
}: {
  transaction: DetailTransaction;
  errors: Record<string, string>;
}) {
  const { t: translate } = useTranslation();
  return (
    <>
      <AmountInput
        name="amount"
        label={translate("payment.chargeback.amount")}
        defaultValue={t.summary.creditableAmount!}
        currency={t.currency}
        max={t.summary.creditableAmount!}
        maxLabel={translate("payment.chargeback.maxLabel")}
        serverError={errors.amount ?? errors.transactionId ?? errors.currency}
        testId="chargeback-amount"
      />
      <TextInput
        name="reasonCode"
        label={translate("payment.chargeback.reasonCode")}
        description={translate("payment.chargeback.reasonCodeHint")}
        maxLength={20}
        required
        error={errors.reasonCode}
      />
      <TextInput
        type="date"
        name="dueDate"
        label={translate("payment.chargeback.dueDate")}
        description={translate("payment.chargeback.dueDateHint")}
        error={errors.dueDate}
      />
      <Textarea
        name="notes"
        label={translate("payment.chargeback.notes")}
        autosize
        minRows={2}
        maxLength={NOTES_MAX_LENGTH}
        error={errors.notes}
      />
    </>
  );
}

/** One action on a transaction: its compact button (test id `<intent>-<transactionId>`) and modal. */
function TransactionAction({
  transactionId,
  ...modal
}: Omit<ActionModalProps, "hidden" | "buttonProps"> & { transactionId: number }) {
  return (
    <ActionModal
      {...modal}
      hidden={{ transactionId }}
      buttonProps={{ size: "compact-sm", variant: "light", "data-testid": `${modal.intent}-${transactionId}` }}
    />
  );
}
