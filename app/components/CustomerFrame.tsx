// The frame of the end-customer pages (login, authorize, pay, payment change): one
// card in the middle of the screen, as the sandbox provider pages look, with Paydesk's mark.
import { useTranslation } from "react-i18next";
import { LanguageSwitch } from "./LanguageSwitch";
import { Alert, Badge, Button, Center, Flex, Group, Paper, Stack, Text, Title, type MantineColor } from "@mantine/core";
import { isRouteErrorResponse, useActionData, useRouteError } from "@remix-run/react";
import type { ReactNode } from "react";
import type { Say } from "../domain/errors";

/** One card in the middle of the screen, on a colour of its own: every end-customer and sandbox page. */
export function CentredCard({
  bg = "var(--paydesk-color-page)",
  maw = 460,
  lang,
  children,
}: {
  bg?: string;
  maw?: number;
  lang?: string;
  children: ReactNode;
}) {
  return (
    <Center component="main" mih="100vh" p="md" bg={bg} lang={lang}>
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={maw}>
        <Stack>{children}</Stack>
      </Paper>
    </Center>
  );
}

export function CustomerFrame({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle?: string;
  children: ReactNode;
}) {
  return (
    <CentredCard>
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <img src="/favicon.svg" alt="" width={36} height={36} />
        <div style={{ flex: 1 }}>
          <Title order={1} size="h3" lh={1.25}>
            {title}
          </Title>
          {subtitle ? (
            <Text c="dimmed" size="sm">
              {subtitle}
            </Text>
          ) : null}
        </div>
        <LanguageSwitch />
      </Group>
      {children}
    </CentredCard>
  );
}

/**
 * A sandbox provider's page (card terminal, Vipps, wallet 3-D Secure, Collector invoice, checkout):
 * the provider's title beside a "Sandbox" badge, on the provider's colour.
 */
export function SandboxFrame({
  title,
  children,
  ...card
}: {
  title: ReactNode;
  bg?: string;
  maw?: number;
  lang?: string;
  children: ReactNode;
}) {
  return (
    <CentredCard {...card}>
      <Group justify="space-between" align="flex-start">
        {title}
        <Badge color="gray" variant="light">
          {/* The PSP's own word, like its pages (ADR 042). */}
          {/* eslint-disable-next-line i18next/no-literal-string */}
          {"Sandbox"}
        </Badge>
      </Group>
      {children}
    </CentredCard>
  );
}

/**
 * A sandbox page's view with the customer's answer to it (a decisionAction's): the answer's
 * message replaces the page's own, and an answered page is no longer open.
 */
export function useSandboxAnswer(view: { state: string; message: string | null }) {
  const result = useActionData<{ state: string; message: string }>();
  return { result, message: result?.message ?? view.message, open: view.state === "open" && !result };
}

/** What a sandbox page says once the customer decided, or why it is closed; nothing while there is nothing to say. */
export function PageStatus({ message, color }: { message: string | null | undefined; color: MantineColor }) {
  return message ? (
    <Alert color={color} role="status">
      {message}
    </Alert>
  ) : null;
}

/** A link whose client or return address we refuse: say why, and offer no way onward. */
/** A refused link: `said` (a locale key and its values) in the customer's language, else `message`. */
export function RefusedLink({ message, said }: { message: string; said?: Say }) {
  const { t } = useTranslation();
  const say = t as unknown as (key: string, values?: object) => string;
  return (
    <CustomerFrame title={t("customer.refusedTitle")} subtitle={t("customer.paydeskPayments")}>
      <Alert color="red" role="alert" title={t("customer.linkRefused")}>
        {said ? say(said.key, said.values) : message}
      </Alert>
      <Text size="sm">{t("customer.refusedText")}</Text>
    </CustomerFrame>
  );
}

/** Label and value, stacked, for the summary of what is paid or changed. */
export function Fact({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <div>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fw={600} data-testid={testId} style={{ overflowWrap: "anywhere" }}>
        {value}
      </Text>
    </div>
  );
}

/** Errors on the customer pages: no staff navigation, no "dashboard", just what to do. */
export function CustomerErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  const { t } = useTranslation();
  return (
    <CustomerFrame title={notFound ? t("customer.notFoundTitle") : t("customer.errorTitle")}>
      <Text>{notFound ? t("customer.notFoundText") : t("customer.errorText")}</Text>
    </CustomerFrame>
  );
}

/**
 * Cancel and the way onward, as one form's two submit buttons (`intent`): side by side from
 * the xs breakpoint, stacked with the way onward on top on a phone, so a long label is never cut.
 */
export function FlowButtons({
  onward,
  busy,
  name = "intent",
  values = ["cancel", "continue"],
  color,
}: {
  onward: string;
  busy: boolean;
  name?: string;
  values?: [string, string];
  /** The provider's colour for the way onward (the theme's primary colour by default). */
  color?: MantineColor;
}) {
  const { t } = useTranslation();
  return (
    <Flex direction={{ base: "column-reverse", xs: "row" }} gap="sm">
      <Button
        type="submit"
        name={name}
        value={values[0]}
        variant="default"
        disabled={busy}
        flex={{ base: "none", xs: 1 }}
      >
        {t("common.cancel")}
      </Button>
      <Button type="submit" name={name} value={values[1]} loading={busy} color={color} flex={{ base: "none", xs: 1 }}>
        {onward}
      </Button>
    </Flex>
  );
}
