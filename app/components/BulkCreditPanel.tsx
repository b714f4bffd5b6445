// Bulk credits on the payments list: the row checkboxes, "select all on this page", and the bar
// that credits the ticked payments. The first post previews (credits per currency, the payments
// skipped and why, those that will wait for a second person) and writes nothing; the second runs
// that preview by its run id and fingerprint, and the server answers with the run's report page
// (docs/decisions/041). Posts the payments list's `bulk-credit-preview` and `bulk-credit` intents.
import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  Paper,
  Radio,
  ScrollArea,
  Stack,
  Table,
  Text,
  TextInput,
} from "@mantine/core";
import { Link } from "@remix-run/react";
import { useState } from "react";
import { MAX_BULK_PAYMENTS } from "../domain/bulk-credit";
import { Amount } from "./Amount";
import { useTranslation } from "react-i18next";
import { useFormat } from "./use-format";
import { BulkReason, ConfirmButtons, NotDone, PreviewButtons, useBulkFetchers } from "./bulk-parts";

export type BulkCreditPreviewData = {
  runId: string;
  fingerprint: string;
  /** Whether the credits are executed at once (the user may execute credits). */
  execute: boolean;
  totals: { currency: string; count: number; total: string }[];
  items: (
    | { kind: "credit"; paymentId: number; currency: string; total: string; secondPerson: boolean }
    | { kind: "skip"; paymentId: number; reason: string }
  )[];
};

/** The header checkbox: ticks or clears every payment of the page. */
export function SelectAllOnPage({
  ids,
  selected,
  setSelected,
}: {
  ids: number[];
  selected: number[];
  setSelected: (ids: number[]) => void;
}) {
  const ticked = ids.filter((id) => selected.includes(id)).length;
  const { t } = useTranslation();
  return (
    <Checkbox
      aria-label={t("bulk.selectPage")}
      checked={ticked > 0 && ticked === ids.length}
      indeterminate={ticked > 0 && ticked < ids.length}
      onChange={(event) => setSelected(event.currentTarget.checked ? ids : [])}
      data-testid="select-page"
    />
  );
}

export function SelectPayment({
  paymentId,
  selected,
  setSelected,
}: {
  paymentId: number;
  selected: number[];
  setSelected: (ids: number[]) => void;
}) {
  const { t } = useTranslation();
  return (
    <Checkbox
      aria-label={t("bulk.selectPayment", { id: paymentId })}
      checked={selected.includes(paymentId)}
      onChange={(event) =>
        setSelected(event.currentTarget.checked ? [...selected, paymentId] : selected.filter((id) => id !== paymentId))
      }
      data-testid={`select-payment-${paymentId}`}
    />
  );
}

/** The bar under the totals while payments are ticked, and its modal. */
export function BulkCreditPanel({ selected, onClear }: { selected: number[]; onClear: () => void }) {
  const [opened, setOpened] = useState(false);
  const [amount, setAmount] = useState("full");
  const [percentage, setPercentage] = useState("");
  const [reason, setReason] = useState("");
  const [showPreview, setShowPreview] = useState(false);
  const { preview, confirm: run, previewed, errors } = useBulkFetchers<BulkCreditPreviewData>();
  const { t } = useTranslation();
  const { count: formatCount } = useFormat();
  if (!selected.length) return null;

  const fields = (extra: Record<string, string>) => {
    const form = new FormData();
    for (const id of selected) form.append("paymentId", String(id));
    form.set("amount", amount);
    if (amount === "percentage") form.set("percentage", percentage);
    form.set("reason", reason);
    for (const [name, value] of Object.entries(extra)) form.set(name, value);
    return form;
  };
  const askPreview = () => {
    setShowPreview(true);
    preview.submit(fields({ intent: "bulk-credit-preview" }), { method: "post", action: "/payments?index" });
  };
  const credits = previewed?.items.filter((i) => i.kind === "credit") ?? [];
  const skipped = previewed?.items.filter((i) => i.kind === "skip") ?? [];
  const waiting = credits.filter((i) => i.kind === "credit" && i.secondPerson).length;
  const tooMany = selected.length > MAX_BULK_PAYMENTS;

  return (
    <Paper withBorder p="xs" radius="sm" bg="indigo.0" data-testid="bulk-credit-bar">
      <Group justify="space-between" gap="sm" wrap="wrap">
        <Text size="sm" fw={500}>
          {t("bulk.selected", { count: selected.length, n: formatCount(selected.length) })}
          {tooMany ? t("bulk.tooMany", { max: formatCount(MAX_BULK_PAYMENTS) }) : ""}
        </Text>
        <Group gap="xs">
          <Button size="xs" variant="default" onClick={onClear}>
            {t("bulk.clear")}
          </Button>
          <Button size="xs" onClick={() => setOpened(true)} disabled={tooMany} data-testid="bulk-credit-open">
            {t("bulk.creditSelected")}
          </Button>
        </Group>
      </Group>
      <Modal
        opened={opened}
        onClose={() => setOpened(false)}
        title={t("bulk.modalTitle", { count: selected.length, n: formatCount(selected.length) })}
        size="lg"
        centered
      >
        {showPreview && previewed ? (
          <Stack gap="sm" data-testid="bulk-credit-preview">
            <Text size="sm">
              {credits.length ? (
                <>
                  <b>{formatCount(credits.length)}</b> {t("bulk.creditsOnePer", { count: credits.length })}{" "}
                  {amount === "full" ? t("bulk.ofFull") : t("bulk.ofPercentage", { percentage })}
                  {previewed.execute
                    ? waiting
                      ? t("bulk.willWait", { count: waiting })
                      : t("bulk.executedAtOnce")
                    : t("bulk.reserveUntilFinance")}
                  .
                </>
              ) : (
                t("bulk.noneCreditable")
              )}
            </Text>
            {previewed.totals.length ? (
              <Table fz="sm" withTableBorder maw={360} aria-label={t("bulk.totals")}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("credits.fourEyes.currency")}</Table.Th>
                    <Table.Th ta="right">{t("credits.title")}</Table.Th>
                    <Table.Th ta="right">{t("credits.col.total")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {previewed.totals.map((total) => (
                    <Table.Tr key={total.currency} data-testid="bulk-credit-total">
                      <Table.Td>{total.currency}</Table.Td>
                      <Table.Td ta="right">{formatCount(total.count)}</Table.Td>
                      <Table.Td ta="right">
                        <Amount value={total.total} currency={total.currency} fw={500} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            ) : null}
            <NotDone result={run.data} always />
            <ScrollArea.Autosize mah={300}>
              <Table fz="sm" striped stickyHeader>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("credits.bulk.col.payment")}</Table.Th>
                    <Table.Th>{t("credits.col.credit")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {[...credits, ...skipped].map((item) => (
                    <Table.Tr
                      key={item.paymentId}
                      data-testid={item.kind === "skip" ? "preview-skip" : "preview-credit"}
                    >
                      <Table.Td>
                        <Anchor component={Link} to={`/payments/${item.paymentId}`} size="sm" target="_blank">
                          {item.paymentId}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        {item.kind === "skip" ? (
                          <Text size="sm" c="dimmed">
                            {t("bulk.skipped", { reason: item.reason })}
                          </Text>
                        ) : (
                          <Group gap="xs">
                            <Amount value={item.total} currency={item.currency} />
                            {item.secondPerson ? (
                              <Badge size="xs" color="orange" variant="light" radius="sm">
                                {t("bulk.waits")}
                              </Badge>
                            ) : null}
                          </Group>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
            <ConfirmButtons
              onBack={() => setShowPreview(false)}
              refused={!!run.data && !run.data.ok}
              onPreviewAgain={askPreview}
            >
              <Button
                disabled={!credits.length}
                loading={run.state !== "idle"}
                onClick={() =>
                  run.submit(
                    fields({ intent: "bulk-credit", runId: previewed.runId, fingerprint: previewed.fingerprint }),
                    {
                      method: "post",
                      action: "/payments?index",
                    },
                  )
                }
                data-testid="bulk-credit-confirm"
              >
                {credits.length
                  ? t("bulk.create", { count: credits.length, n: formatCount(credits.length) })
                  : t("bulk.nothing")}
              </Button>
            </ConfirmButtons>
          </Stack>
        ) : (
          <Stack gap="sm">
            <NotDone result={preview.data} />
            {errors.paymentId ? (
              <Text size="sm" c="red" role="alert">
                {errors.paymentId}
              </Text>
            ) : null}
            <Radio.Group label={t("bulk.howMuch")} value={amount} onChange={setAmount} error={errors.amount}>
              <Stack gap={6} mt={6}>
                <Radio value="full" label={t("bulk.full")} />
                <Radio value="percentage" label={t("bulk.percentageChoice")} />
              </Stack>
            </Radio.Group>
            {amount === "percentage" ? (
              <TextInput
                label={t("bulk.percentage")}
                description={t("bulk.percentageNote")}
                rightSection="%"
                w={260}
                value={percentage}
                onChange={(event) => setPercentage(event.currentTarget.value)}
                error={errors.percentage}
                inputMode="decimal"
              />
            ) : null}
            <BulkReason value={reason} onChange={setReason} error={errors.reason} what={t("bulk.creditNoun")} />
            <Text size="xs" c="dimmed">
              {t("bulk.nothingWritten")}
            </Text>
            <PreviewButtons
              onCancel={() => setOpened(false)}
              onPreview={askPreview}
              loading={preview.state !== "idle"}
              testId="bulk-credit-preview-button"
            />
          </Stack>
        )}
      </Modal>
    </Paper>
  );
}
