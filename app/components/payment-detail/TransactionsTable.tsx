// The payment's transactions with their amounts, and the actions each one's state allows to a
// role that may do them (the server checks both again).
import { Anchor, Group, Paper, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { ActionModal, type ActionModalProps } from "../ActionModal";
import { Amount } from "../Amount";
import { StatusBadge } from "../StatusBadge";
import { formatMoney } from "../format";
import { AmountInput } from "./AmountInput";
import type { DetailTransaction } from "./types";
import { HeadedTable } from "../DataTable";

export type Abilities = { capture: boolean; cancel: boolean; credit: boolean; adjustInvoice: boolean };

const AMOUNT_COLUMNS = [
  ["authorizedAmount", "Authorized"],
  ["capturedAmount", "Captured"],
  ["creditedAmount", "Credited"],
  ["cancelledAmount", "Cancelled"],
  ["creditableAmount", "Creditable"],
] as const;

export function TransactionsTable({ transactions, may }: { transactions: DetailTransaction[]; may: Abilities }) {
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        Transactions ({transactions.length})
      </Title>
      <Paper withBorder style={{ overflow: "hidden" }}>
        <Table.ScrollContainer minWidth={1100} type="native">
          <HeadedTable
            verticalSpacing="xs"
            fz="sm"
            striped
            highlightOnHover
            aria-label="Transactions"
            style={{ whiteSpace: "nowrap" }}
            head={
              <>
                <Table.Th>Transaction</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
                {AMOUNT_COLUMNS.map(([key, label]) => (
                  <Table.Th key={key} ta="right">
                    {label}
                  </Table.Th>
                ))}
                <Table.Th>Actions</Table.Th>
              </>
            }
          >
            {transactions.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={10}>
                  <Text c="dimmed" size="sm" ta="center" py="sm">
                    This payment has no transactions yet. The API client adds them (POST …/transactions).
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
                        import
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={t.status} />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>
                    {t.paymentType ?? "Not known yet"}
                    {t.cardNumber ? ` •••• ${t.cardNumber}` : ""}
                    <Text c="dimmed" size="xs">
                      {t.paymentTypeGroup}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Amount value={t.amount!} currency={t.currency} />
                  </Table.Td>
                  {AMOUNT_COLUMNS.map(([key]) => (
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
  const money = (amount: string | null) => formatMoney(amount ?? "0", t.currency);
  const buttons = [
    t.actions.capture && may.capture ? (
      <TransactionAction
        key="capture"
        transactionId={id}
        label="Capture"
        title={`Capture transaction ${id}`}
        intent="capture"
        description={`Takes ${money(t.summary.authorizedAmount !== "0.00" ? t.summary.authorizedAmount : t.amount)} from the customer (${t.paymentType ?? t.paymentTypeGroup}).`}
      />
    ) : null,
    t.actions.cancel && may.cancel ? (
      <TransactionAction
        key="cancel"
        transactionId={id}
        label="Cancel"
        title={`Cancel transaction ${id}`}
        intent="cancel"
        color="red"
        confirmLabel="Cancel transaction"
        dismissLabel="Keep it"
        description={`Releases ${money(t.amount)}; the transaction ends CANCELLED and cannot be captured any more.`}
      />
    ) : null,
    t.actions.credit && may.credit ? (
      <TransactionAction
        key="credit"
        transactionId={id}
        label="Credit"
        title={`Credit transaction ${id}`}
        intent="credit"
        color="grape"
        description={`Gives money back to the customer through ${t.paymentType ?? t.paymentTypeGroup}, at once. Up to ${money(t.summary.creditableAmount)} can be credited.`}
        fields={(errors) => (
          <AmountInput
            name="amount"
            label="Amount to credit"
            defaultValue={t.summary.creditableAmount!}
            currency={t.currency}
            max={t.summary.creditableAmount!}
            maxLabel="creditable amount"
            description={`Creditable: ${money(t.summary.creditableAmount)}.`}
            serverError={errors.amount ?? errors.transactionId}
            testId="credit-amount"
          />
        )}
      />
    ) : null,
    t.actions.adjustInvoice && may.adjustInvoice && t.invoice ? (
      <TransactionAction
        key="invoice"
        transactionId={id}
        label="Adjust invoice"
        title={`Adjust invoice of transaction ${id}`}
        intent="invoice"
        description={`Invoice ${t.invoice.invoiceId} is not confirmed by the customer yet, so it can still change. A new amount changes the transaction too, within the payment's total.`}
        confirmLabel="Save invoice"
        fields={(errors) => (
          <>
            <AmountInput
              name="amount"
              label="Amount"
              defaultValue={t.invoice!.amount}
              currency={t.currency}
              serverError={errors.amount}
              testId="invoice-amount"
            />
            <TextInput
              name="externalInvoiceNumber"
              label="External invoice number"
              description="The number on the written invoice"
              defaultValue={t.invoice!.externalInvoiceNumber ?? ""}
              maxLength={50}
              error={errors.externalInvoiceNumber}
            />
            <TextInput
              name="customerIdentificationNumber"
              label="Customer identification number (KID)"
              defaultValue={t.invoice!.customerIdentificationNumber ?? ""}
              maxLength={50}
              error={errors.customerIdentificationNumber}
            />
            <TextInput
              name="languageCode"
              label="Language"
              description="ISO 639-3, e.g. nob or eng"
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
