// The payment's transactions with their amounts, and the actions each one's state allows to a
// role that may do them (the server checks both again).
import { Anchor, Group, Paper, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { DueDateAndNotesFields } from "../ChargebackParts";
import { ActionModal } from "../ActionModal";
import { Amount } from "../Amount";
import { StatusBadge } from "../StatusBadge";
import type { ComponentProps, ReactNode } from "react";
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

type ActionFieldsProps = { transaction: DetailTransaction; errors: Record<string, string> };

/**
 * The actions a transaction may offer, in button order. Each needs both the transaction's own
 * `actions` flag and the role's ability of its name, posts its intent, and has its words under
 * payment.transactionAction.<ability>; `amount` is the sum its text names.
 */
const TRANSACTION_ACTIONS: {
  ability: keyof Abilities;
  intent: string;
  color?: string;
  amount?: (transaction: DetailTransaction) => string | null;
  /** The modal's button that closes it without doing anything, where "Cancel" would confuse. */
  dismiss?: "payment.keepIt";
  Fields?: (props: ActionFieldsProps) => ReactNode;
}[] = [
  {
    ability: "capture",
    intent: "capture",
    amount: (t) => (t.summary.authorizedAmount !== "0.00" ? t.summary.authorizedAmount : t.amount),
  },
  { ability: "cancel", intent: "cancel", color: "red", amount: (t) => t.amount, dismiss: "payment.keepIt" },
  { ability: "credit", intent: "credit", color: "grape", amount: creditable, Fields: CreditFields },
  {
    ability: "chargeback",
    intent: "openChargeback",
    color: "orange",
    amount: creditable,
    Fields: OpenChargebackFields,
  },
  { ability: "adjustInvoice", intent: "invoice", Fields: InvoiceFields },
];

function creditable(t: DetailTransaction) {
  return t.summary.creditableAmount;
}

function TransactionActionButtons({ transaction: t, may }: { transaction: DetailTransaction; may: Abilities }) {
  const id = t.transactionId;
  const { t: translate } = useTranslation();
  const format = useFormat();
  const type = t.paymentType ?? t.paymentTypeGroup;
  const offered = TRANSACTION_ACTIONS.filter(
    ({ ability }) => t.actions[ability] && may[ability] && (ability !== "adjustInvoice" || t.invoice),
  );
  if (!offered.length) {
    return (
      <Text c="dimmed" size="xs">
        —
      </Text>
    );
  }
  return (
    <Group gap={6}>
      {offered.map(({ ability, intent, color, amount, dismiss, Fields }) => {
        const words = `payment.transactionAction.${ability}` as const;
        const values = {
          id,
          type,
          amount: amount ? format.money(amount(t) ?? "0", t.currency) : undefined,
          invoice: t.invoice?.invoiceId,
        };
        return (
          <ActionModal
            key={ability}
            label={translate(`${words}.label`)}
            title={translate(`${words}.title`, values)}
            intent={intent}
            hidden={{ transactionId: id }}
            color={color}
            description={translate(`${words}.text`, values)}
            confirmLabel={translate(`${words}.confirm`)}
            dismissLabel={dismiss && translate(dismiss)}
            fields={Fields && ((errors) => <Fields transaction={t} errors={errors} />)}
            buttonProps={{ size: "compact-sm", variant: "light", "data-testid": `${intent}-${id}` }}
          />
        );
      })}
    </Group>
  );
}

function CreditFields({ transaction: t, errors }: ActionFieldsProps) {
  const { t: translate } = useTranslation();
  const format = useFormat();
  return (
    <CreditableAmountInput
      transaction={t}
      label={translate("payment.creditAmount")}
      maxLabel={translate("payment.creditableAmount")}
      description={translate("payment.creditable", {
        amount: format.money(t.summary.creditableAmount ?? "0", t.currency),
      })}
      serverError={errors.amount ?? errors.transactionId}
      testId="credit-amount"
    />
  );
}

/** The invoice's own text fields after its amount: each field's name, words and longest value. */
const INVOICE_TEXT_FIELDS = [
  {
    name: "externalInvoiceNumber",
    label: "payment.externalInvoiceNumber",
    hint: "payment.externalInvoiceNumberHint",
    maxLength: 50,
  },
  { name: "customerIdentificationNumber", label: "payment.kid", hint: undefined, maxLength: 50 },
  { name: "languageCode", label: "payment.language", hint: "payment.languageHint", maxLength: 3 },
] as const;

function InvoiceFields({ transaction: t, errors }: ActionFieldsProps) {
  const { t: translate } = useTranslation();
  const invoice = t.invoice!;
  return (
    <>
      <AmountInput
        name="amount"
        label={translate("payment.amount")}
        defaultValue={invoice.amount}
        currency={t.currency}
        serverError={errors.amount}
        testId="invoice-amount"
      />
      {INVOICE_TEXT_FIELDS.map(({ name, label, hint, maxLength }) => (
        <TextInput
          key={name}
          name={name}
          label={translate(label)}
          description={hint && translate(hint)}
          defaultValue={invoice[name] ?? ""}
          maxLength={maxLength}
          error={errors[name]}
        />
      ))}
    </>
  );
}

function OpenChargebackFields({ transaction: t, errors }: ActionFieldsProps) {
  const { t: translate } = useTranslation();
  return (
    <>
      <CreditableAmountInput
        transaction={t}
        label={translate("payment.chargeback.amount")}
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
      <DueDateAndNotesFields errors={errors} dueDateHint={translate("payment.chargeback.dueDateHint")} />
    </>
  );
}

/** An amount of the transaction's creditable amount: that much at first, and no more. */
function CreditableAmountInput({
  transaction: t,
  ...input
}: Omit<ComponentProps<typeof AmountInput>, "name" | "defaultValue" | "currency" | "max"> & {
  transaction: DetailTransaction;
}) {
  return (
    <AmountInput
      name="amount"
      defaultValue={t.summary.creditableAmount!}
      currency={t.currency}
      max={t.summary.creditableAmount!}
      {...input}
    />
  );
}
