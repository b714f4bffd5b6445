// The payment exactly as GET /v1/payments/{paymentId} answers it, for comparing with what an
// API client reports. Collapsed: it is long, and only sometimes needed.
import { useTranslation } from "react-i18next";
import { Accordion, Button, Code, CopyButton, Group, Text } from "@mantine/core";

export function RawJson({ paymentId, json }: { paymentId: number; json: string }) {
  const { t } = useTranslation();
  return (
    <Accordion variant="separated" chevronPosition="left">
      <Accordion.Item value="raw">
        <Accordion.Control>
          {t("payment.rawJson")}{" "}
          <Text span c="dimmed" size="sm">
            {`(GET /v1/payments/${paymentId})`}
          </Text>
        </Accordion.Control>
        <Accordion.Panel>
          <Group justify="flex-end" mb="xs">
            <CopyButton value={json}>
              {({ copied, copy }) => (
                <Button size="xs" variant="default" onClick={copy}>
                  {copied ? t("common.copied") : t("payment.copyJson")}
                </Button>
              )}
            </CopyButton>
          </Group>
          <Code block data-testid="raw-json" tabIndex={0} style={{ maxHeight: 480, overflow: "auto" }}>
            {json}
          </Code>
        </Accordion.Panel>
      </Accordion.Item>
    </Accordion>
  );
}
