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
import { formatCount } from "./format";
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
  return (
    <Checkbox
      aria-label="Select all payments on this page"
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
  return (
    <Checkbox
      aria-label={`Select payment ${paymentId}`}
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
          {formatCount(selected.length)} {selected.length === 1 ? "payment" : "payments"} selected
          {tooMany ? ` — at most ${MAX_BULK_PAYMENTS} can be credited in one step` : ""}
        </Text>
        <Group gap="xs">
          <Button size="xs" variant="default" onClick={onClear}>
            Clear selection
          </Button>
          <Button size="xs" onClick={() => setOpened(true)} disabled={tooMany} data-testid="bulk-credit-open">
            Credit selected…
          </Button>
        </Group>
      </Group>
      <Modal
        opened={opened}
        onClose={() => setOpened(false)}
        title={`Credit ${formatCount(selected.length)} ${selected.length === 1 ? "payment" : "payments"}`}
        size="lg"
        centered
      >
        {showPreview && previewed ? (
          <Stack gap="sm" data-testid="bulk-credit-preview">
            <Text size="sm">
              {credits.length ? (
                <>
                  <b>{formatCount(credits.length)}</b> {credits.length === 1 ? "credit" : "credits"}, one per payment,{" "}
                  {amount === "full" ? "of everything creditable" : `of ${percentage} % of what is creditable`}
                  {previewed.execute
                    ? waiting
                      ? `; ${waiting} above the four-eyes threshold will wait for a second person`
                      : "; each is executed at once"
                    : "; they reserve the amounts until finance executes them"}
                  .
                </>
              ) : (
                "None of the selected payments can be credited."
              )}
            </Text>
            {previewed.totals.length ? (
              <Table fz="sm" withTableBorder maw={360} aria-label="Totals per currency">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Currency</Table.Th>
                    <Table.Th ta="right">Credits</Table.Th>
                    <Table.Th ta="right">Total</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {previewed.totals.map((t) => (
                    <Table.Tr key={t.currency} data-testid="bulk-credit-total">
                      <Table.Td>{t.currency}</Table.Td>
                      <Table.Td ta="right">{formatCount(t.count)}</Table.Td>
                      <Table.Td ta="right">
                        <Amount value={t.total} currency={t.currency} fw={500} />
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
                    <Table.Th>Payment</Table.Th>
                    <Table.Th>Credit</Table.Th>
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
                            Skipped: {item.reason}
                          </Text>
                        ) : (
                          <Group gap="xs">
                            <Amount value={item.total} currency={item.currency} />
                            {item.secondPerson ? (
                              <Badge size="xs" color="orange" variant="light" radius="sm">
                                waits for a second person
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
                  ? `Create ${formatCount(credits.length)} ${credits.length === 1 ? "credit" : "credits"}`
                  : "Nothing to credit"}
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
            <Radio.Group label="How much of each" value={amount} onChange={setAmount} error={errors.amount}>
              <Stack gap={6} mt={6}>
                <Radio value="full" label="Everything still creditable" />
                <Radio value="percentage" label="A percentage of what is creditable" />
              </Stack>
            </Radio.Group>
            {amount === "percentage" ? (
              <TextInput
                label="Percentage"
                description="Of each captured transaction's creditable amount, rounded down to whole øre."
                rightSection="%"
                w={260}
                value={percentage}
                onChange={(event) => setPercentage(event.currentTarget.value)}
                error={errors.percentage}
                inputMode="decimal"
              />
            ) : null}
            <BulkReason value={reason} onChange={setReason} error={errors.reason} what="credit" />
            <Text size="xs" c="dimmed">
              Nothing is written until you confirm the preview.
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
