// A secret the server made and will never show again (an API token, a generated password):
// shown in a modal with a copy button until the admin closes it. Nothing keeps it afterwards.
import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

export type Secret = { title: string; label: string; value: string; note: string };

/**
 * An ActionModal's onSuccess that shows the secret in `field` of the answer's data (a string, or a
 * list shown a line each); `words` gives the modal's title, label and note from that data.
 */
export function showSecretIn(
  field: string,
  show: (secret: Secret) => void,
  words: (data: Record<string, unknown>) => Omit<Secret, "value">,
) {
  return ({ data = {} }: { data?: Record<string, unknown> }) => {
    const value = data[field];
    if (typeof value === "string") show({ ...words(data), value });
    else if (Array.isArray(value)) show({ ...words(data), value: value.join("\n") });
  };
}

export function OneTimeSecret({ secret, onClose }: { secret: Secret | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={secret !== null} onClose={onClose} title={secret?.title} centered size="lg">
      {secret ? (
        <Stack gap="sm">
          <Alert color="yellow" title={t("actions.shownOnce")}>
            {secret.note}
          </Alert>
          <Text size="sm" fw={500}>
            {secret.label}
          </Text>
          <Code block data-testid="one-time-secret" style={{ wordBreak: "break-all", whiteSpace: "pre-wrap" }}>
            {secret.value}
          </Code>
          <Group justify="flex-end" gap="sm">
            <CopyButton value={secret.value}>
              {({ copied, copy }) => (
                <Button variant="light" color={copied ? "teal" : undefined} onClick={copy}>
                  {copied ? t("common.copied") : t("common.copy")}
                </Button>
              )}
            </CopyButton>
            <Button onClick={onClose}>{t("actions.haveCopied")}</Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
