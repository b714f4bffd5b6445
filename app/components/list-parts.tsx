// Small pieces the staff list screens share: links that change one URL value, the "—" of an
// empty cell, the notice that stands in for an empty table, and the per-page choice.
import { Alert, Anchor, Badge, Group, Paper, Select, Stack, Text, TextInput, Title } from "@mantine/core";
import { Form, Link, useNavigate } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useHrefWith } from "./url-state";
import { DateTime } from "./DateTime";
import { SubmitButton } from "./SubmitButton";

/**
 * A screen's title with its one-line description (a string is shown dimmed; anything else as
 * it is), and the screen's own buttons or page links on the right, wrapping below on a phone.
 */
export function PageHeader({
  title,
  description,
  children,
}: {
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
      <div>
        <Title order={1} size="h2">
          {title}
        </Title>
        {typeof description === "string" ? (
          <Text c="dimmed" size="sm">
            {description}
          </Text>
        ) : (
          description
        )}
      </div>
      {children}
    </Group>
  );
}

/** A correlation id, linked to every operation-log row that carries it. */
export function CorrelationLink({ id, size }: { id: string; size: "xs" | "sm" }) {
  return (
    <Anchor component={Link} to={`/operation-log?correlationId=${encodeURIComponent(id)}`} size={size} ff="monospace">
      {id}
    </Anchor>
  );
}

export function Dash() {
  return (
    <Text span c="dimmed" size="sm">
      —
    </Text>
  );
}

/** A reason or note in a table cell: two lines at most (the whole text on hover), or a dash. */
export function ClampedText({ text }: { text: string | null | undefined }) {
  if (!text) return <Dash />;
  return (
    <Text size="sm" lineClamp={2} maw={260} title={text}>
      {text}
    </Text>
  );
}

/** Active, or disabled since when: the status of a staff user or an API client. */
export function ActiveOrDisabled({ disabledAt, timeZone }: { disabledAt: string | null; timeZone: string }) {
  const { t } = useTranslation();
  if (!disabledAt) {
    return (
      <Badge color="green" variant="light" size="sm" radius="sm">
        {t("lists.active")}
      </Badge>
    );
  }
  return (
    <Stack gap={2} align="flex-start">
      <Badge color="red" variant="light" size="sm" radius="sm">
        {t("lists.disabled")}
      </Badge>
      <Text size="xs" c="dimmed">
        {t("lists.since")} <DateTime value={disabledAt} timeZone={timeZone} />
      </Text>
    </Stack>
  );
}

/** A plain text search of a short list (`?q=`), submitted as a GET so the URL holds it. */
function ListSearch({ q, placeholder }: { q: string; placeholder: string }) {
  const { t } = useTranslation();
  return (
    <Form method="get" role="search">
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <TextInput name="q" label={t("common.search")} placeholder={placeholder} defaultValue={q} flex={1} maw={320} />
        <SubmitButton variant="default">{t("common.search")}</SubmitButton>
      </Group>
    </Form>
  );
}

/**
 * An admin list with a search (`q` in the URL) above it: its table, or instead a notice that
 * nothing matches the search (try another) or that there is nothing yet; in the words of
 * admin.<area>.
 */
export function SearchedList({
  q,
  area,
  empty,
  children,
}: {
  q: string;
  area: "apiClients" | "users";
  empty: boolean;
  /** The table. */
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <>
      <ListSearch q={q} placeholder={t(`admin.${area}.searchPlaceholder`)} />
      {empty ? (
        <ListNotice title={q ? t(`admin.${area}.noMatch`) : t(`admin.${area}.none`)}>
          {q ? t("admin.tryAnother") : null}
        </ListNotice>
      ) : (
        children
      )}
    </>
  );
}

/** Instead of a table: nothing yet, nothing matches, a filter to fix. */
export function ListNotice({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="xl" radius="md">
      <Stack gap="xs" align="center" ta="center">
        <Text fw={500}>{title}</Text>
        <Text c="dimmed" size="sm" maw={480} component="div">
          {children}
        </Text>
      </Stack>
    </Paper>
  );
}

/** Rows per page, in the URL (`perPage`, absent for the default); changing it goes back to the start. */
export function PerPageSelect({
  perPage,
  choices,
  defaultPerPage,
  resetParams = ["page"],
}: {
  perPage: number;
  choices: readonly string[];
  defaultPerPage: number;
  /** Parameters that point into the old paging and are dropped on a change. */
  resetParams?: readonly string[];
}) {
  const hrefWith = useHrefWith();
  const navigate = useNavigate();
  const { t } = useTranslation();
  return (
    <Group gap="xs" wrap="nowrap">
      <Text size="sm" c="dimmed" component="label" htmlFor="per-page">
        {t("lists.perPage")}
      </Text>
      <Select
        id="per-page"
        data={choices.includes(String(perPage)) ? [...choices] : [...choices, String(perPage)]}
        value={String(perPage)}
        onChange={(value) =>
          value &&
          navigate(
            hrefWith({
              perPage: value === String(defaultPerPage) ? null : value,
              ...Object.fromEntries(resetParams.map((name) => [name, null])),
            }),
          )
        }
        allowDeselect={false}
        w={76}
        size="xs"
      />
    </Group>
  );
}

/**
 * What a list shows when its URL has parameters it does not know (a hand-edited or outdated
 * link): the parser's messages and a way back to the list without filters.
 */
export function UnknownParameters({
  listName,
  messages,
  resetTo,
}: {
  listName: string;
  messages: string[];
  resetTo: string;
}) {
  const { t } = useTranslation();
  if (messages.length === 0) return null;
  return (
    <Alert color="red" variant="light" title={t("lists.unknownParameters", { list: listName })}>
      <Stack gap={4}>
        {messages.map((message) => (
          <Text key={message} size="sm">
            {message}
          </Text>
        ))}
        <Anchor component={Link} to={resetTo} size="sm">
          {t("lists.startOver")}
        </Anchor>
      </Stack>
    </Alert>
  );
}

/** Instead of the table while a filter cannot be read. */
export function FixTheFilter({ what }: { what: string }) {
  const { t } = useTranslation();
  return <ListNotice title={t("lists.fixFilter", { what })}>{t("lists.fixFilterNote")}</ListNotice>;
}
