// "Switch for many" on the Payment methods screen: one payment type, a set of clients and
// channels (or all), enable or disable, one reason. The first post previews exactly which
// (client, channel) methods change and which are so already; the second applies that preview,
// carrying its fingerprint, and the server refuses if the methods moved in between
// (docs/decisions/041). Posts the route's `bulk-preview` and `bulk-apply` intents.
import {
  Button,
  Checkbox,
  Group,
  Modal,
  ScrollArea,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
} from "@mantine/core";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { useActionNotification } from "./ActionModal";
import { BulkReason, ConfirmButtons, NotDone, PreviewButtons, useBulkFetchers } from "./bulk-parts";

export type MethodSwitchRow = { id: number; clientId: string; clientName: string; channel: string; enabled: boolean };
export type MethodSwitchPreviewData = { fingerprint: string; changes: MethodSwitchRow[]; unchanged: MethodSwitchRow[] };

type Choice = { value: string; label: string };

export function MethodSwitchPanel({
  paymentTypes,
  clients,
  channels,
}: {
  paymentTypes: readonly string[];
  clients: Choice[];
  channels: string[];
}) {
  const [opened, setOpened] = useState(false);
  const [paymentType, setPaymentType] = useState<string | null>(null);
  const [enabled, setEnabled] = useState("false");
  const [allClients, setAllClients] = useState(true);
  const [clientIds, setClientIds] = useState<string[]>([]);
  const [allChannels, setAllChannels] = useState(true);
  const [chosenChannels, setChosenChannels] = useState<string[]>([]);
  const [reason, setReason] = useState("");
  const { preview, confirm: apply, previewed, errors } = useBulkFetchers<MethodSwitchPreviewData>();
  const [showPreview, setShowPreview] = useState(false);
  const { t } = useTranslation();

  useActionNotification(apply.state, apply.data, t("admin.methodSwitch.notification"), (result) => {
    if (result.ok) {
      setOpened(false);
      setShowPreview(false);
    }
  });

  const fields = (extra: Record<string, string>) => {
    const form = new FormData();
    if (paymentType) form.set("paymentType", paymentType);
    form.set("enabled", enabled);
    if (allClients) form.set("allClients", "on");
    else for (const id of clientIds) form.append("clientId", id);
    if (allChannels) form.set("allChannels", "on");
    else for (const channel of chosenChannels) form.append("channel", channel);
    form.set("reason", reason);
    for (const [name, value] of Object.entries(extra)) form.set(name, value);
    return form;
  };
  const askPreview = () => {
    setShowPreview(true);
    preview.submit(fields({ intent: "bulk-preview" }), { method: "post" });
  };
  const enabling = enabled === "true";

  return (
    <>
      <Button variant="light" size="xs" onClick={() => setOpened(true)} data-testid="bulk-methods">
        {t("admin.methodSwitch.open")}
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={t("admin.methodSwitch.title")} size="xl" centered>
        {showPreview && previewed ? (
          <Stack gap="sm" data-testid="bulk-methods-preview">
            <Text size="sm">
              <Trans
                i18nKey={enabling ? "admin.methodSwitch.summaryEnable" : "admin.methodSwitch.summaryDisable"}
                values={{ paymentType, count: previewed.changes.length, unchanged: previewed.unchanged.length }}
                components={{ b: <b /> }}
              />
            </Text>
            <NotDone result={apply.data} always />
            <ScrollArea.Autosize mah={360}>
              <Table striped stickyHeader fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("admin.methodSwitch.apiClient")}</Table.Th>
                    <Table.Th>{t("admin.methodSwitch.channel")}</Table.Th>
                    <Table.Th>{t("admin.methodSwitch.after")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {[...previewed.changes, ...previewed.unchanged].map((row) => {
                    const changes = row.enabled !== enabling;
                    return (
                      <Table.Tr key={row.id} data-testid={changes ? "preview-change" : "preview-unchanged"}>
                        <Table.Td>
                          {row.clientName}{" "}
                          <Text span size="xs" c="dimmed" ff="monospace">
                            {row.clientId}
                          </Text>
                        </Table.Td>
                        <Table.Td>{row.channel}</Table.Td>
                        <Table.Td>
                          {changes ? (
                            <Text size="sm" fw={600} c={enabling ? "green" : "red"}>
                              {enabling ? t("admin.paymentMethods.enabled") : t("admin.paymentMethods.disabled")}
                            </Text>
                          ) : (
                            <Text size="sm" c="dimmed">
                              {t("admin.methodSwitch.noChange")}
                            </Text>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
            <Text size="sm" c="dimmed">
              {t("admin.methodSwitch.reason", { reason })}
            </Text>
            <ConfirmButtons
              onBack={() => setShowPreview(false)}
              refused={!!apply.data && !apply.data.ok}
              onPreviewAgain={askPreview}
            >
              <Button
                color={enabling ? undefined : "red"}
                disabled={!previewed.changes.length}
                loading={apply.state !== "idle"}
                onClick={() =>
                  apply.submit(fields({ intent: "bulk-apply", fingerprint: previewed.fingerprint }), { method: "post" })
                }
                data-testid="bulk-methods-apply"
              >
                {previewed.changes.length
                  ? t(enabling ? "admin.methodSwitch.applyEnable" : "admin.methodSwitch.applyDisable", {
                      paymentType,
                      count: previewed.changes.length,
                    })
                  : t("admin.methodSwitch.nothingToChange")}
              </Button>
            </ConfirmButtons>
          </Stack>
        ) : (
          <Stack gap="sm">
            <NotDone result={preview.data} />
            <Group align="flex-end" gap="md" wrap="wrap">
              <Select
                label={t("admin.methodSwitch.paymentType")}
                data={[...paymentTypes]}
                value={paymentType}
                onChange={setPaymentType}
                searchable
                w={220}
                error={errors.paymentType}
                comboboxProps={{ withinPortal: true }}
              />
              <SegmentedControl
                aria-label={t("admin.methodSwitch.enableOrDisable")}
                value={enabled}
                onChange={setEnabled}
                data={[
                  { value: "false", label: t("actions.disable") },
                  { value: "true", label: t("actions.enable") },
                ]}
              />
            </Group>
            <Choices
              legend={t("admin.methodSwitch.apiClients")}
              allLabel={t("admin.methodSwitch.allClients")}
              all={allClients}
              setAll={setAllClients}
              choices={clients}
              chosen={clientIds}
              setChosen={setClientIds}
              error={errors.clientId}
            />
            <Choices
              legend={t("admin.methodSwitch.channels")}
              allLabel={t("admin.methodSwitch.allChannels")}
              all={allChannels}
              setAll={setAllChannels}
              choices={channels.map((c) => ({ value: c, label: c }))}
              chosen={chosenChannels}
              setChosen={setChosenChannels}
              error={errors.channel}
            />
            <BulkReason
              value={reason}
              onChange={setReason}
              error={errors.reason}
              what={t("admin.methodSwitch.reasonWhat")}
            />
            {errors.scope ? (
              <Text size="sm" c="red" role="alert">
                {errors.scope}
              </Text>
            ) : null}
            <PreviewButtons
              onCancel={() => setOpened(false)}
              onPreview={askPreview}
              loading={preview.state !== "idle"}
              testId="bulk-methods-preview-button"
            />
          </Stack>
        )}
      </Modal>
    </>
  );
}

/** "All" or a ticked subset of clients or channels. */
function Choices({
  legend,
  allLabel,
  all,
  setAll,
  choices,
  chosen,
  setChosen,
  error,
}: {
  legend: string;
  allLabel: string;
  all: boolean;
  setAll: (value: boolean) => void;
  choices: Choice[];
  chosen: string[];
  setChosen: (value: string[]) => void;
  error?: string;
}) {
  return (
    <Stack gap={6} component="fieldset" style={{ border: 0, padding: 0, margin: 0 }}>
      <Text component="legend" size="sm" fw={500}>
        {legend}
      </Text>
      <Checkbox label={allLabel} checked={all} onChange={(event) => setAll(event.currentTarget.checked)} />
      {all ? null : (
        <Checkbox.Group value={chosen} onChange={setChosen} error={error}>
          <ScrollArea.Autosize mah={160}>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={6} verticalSpacing={6} pl="md">
              {choices.map((choice) => (
                <Checkbox key={choice.value} value={choice.value} label={choice.label} />
              ))}
            </SimpleGrid>
          </ScrollArea.Autosize>
        </Checkbox.Group>
      )}
      {all && error ? (
        <Text size="xs" c="red">
          {error}
        </Text>
      ) : null}
    </Stack>
  );
}
