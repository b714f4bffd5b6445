import { Badge, Group, Paper, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/** The honest state of a screen that exists in the navigation but not yet in code. */
export function NotBuiltYet({ title, summary, children }: { title: string; summary: string; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Stack gap="lg" maw={720}>
      <Group gap="sm" align="center">
        <Title order={2}>{title}</Title>
        <Badge variant="outline" color="gray">
          {t("common.notBuiltYet.badge")}
        </Badge>
      </Group>
      <Paper withBorder p="lg" bg="var(--paydesk-color-subtle)">
        <Stack gap="xs">
          <Text fw={500}>{t("common.notBuiltYet.text")}</Text>
          <Text c="dimmed">{summary}</Text>
        </Stack>
      </Paper>
      {children}
    </Stack>
  );
}
