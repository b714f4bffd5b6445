import { Button, Center, Paper, Stack, Text, Title } from "@mantine/core";
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

const TITLES = {
  401: "common.error.title401",
  403: "common.error.title403",
  404: "common.error.title404",
  500: "common.error.title500",
} as const;

export function ErrorPanel({ status, message }: { status: number; message: string }) {
  const { t } = useTranslation();
  const title = status in TITLES ? TITLES[status as keyof typeof TITLES] : "common.error.titleOther";
  return (
    <Center mih="60vh" p="md">
      <Paper withBorder p="xl" maw={520} w="100%">
        <Stack gap="sm">
          <Text c="dimmed" size="sm">
            {t("common.error.status", { status })}
          </Text>
          <Title order={1} size="h2">
            {t(title)}
          </Title>
          <Text>{message}</Text>
          <Button component={Link} to="/" variant="light" w="fit-content">
            {t("common.error.backToDashboard")}
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
