// The frame of the staff pages before the back-office opens (login, its second step, enrolling a
// second factor, a password reset link): the logo, a title and what the page is for.
import { Center, Group, Paper, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { LanguageSwitch } from "./LanguageSwitch";

export function AuthCard({
  title,
  subtitle,
  children,
  footer,
  width = 400,
}: {
  title: string;
  subtitle: string;
  children: ReactNode;
  footer?: ReactNode;
  width?: number;
}) {
  return (
    <Center component="main" mih="100vh" p="md" bg="var(--paydesk-color-page)">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={width}>
        <Stack>
          <Group gap="sm" wrap="nowrap">
            <img src="/favicon.svg" alt="" width={40} height={40} />
            <div style={{ flex: 1 }}>
              <Title order={1} size="h2" lh={1.2}>
                {title}
              </Title>
              <Text c="dimmed" size="sm">
                {subtitle}
              </Text>
            </div>
            <LanguageSwitch />
          </Group>
          {children}
        </Stack>
        {footer ? (
          <Text c="dimmed" size="xs" ta="center" mt="lg">
            {footer}
          </Text>
        ) : null}
      </Paper>
    </Center>
  );
}
