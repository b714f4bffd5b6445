// The parts of a staff list paged by keyset (`older=` / `newer=` a row's place, as the operation
// log and the callbacks): the page links and the notices that stand in for an empty page.
import { Anchor, Button, Group, Text } from "@mantine/core";
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { FixTheFilter, ListNotice, PerPageSelect } from "./list-parts";
import { useHrefWith } from "./url-state";

/** What the loader says about the page: the cursors of its neighbours, as URL values. */
export type KeysetPlace = { newer: string | null; older: string | null; atNewest: boolean };

function PageLink({ to, label }: { to: string | null; label: string }) {
  return to ? (
    <Button component={Link} to={to} variant="default" size="xs" preventScrollReset>
      {label}
    </Button>
  ) : (
    <Button variant="default" size="xs" disabled>
      {label}
    </Button>
  );
}

/** Newest, ← Newer, Older → and the page size; `children` come first (the list's own buttons). */
export function KeysetPageLinks({
  place,
  perPage,
  choices,
  defaultPerPage,
  children,
}: {
  place: KeysetPlace;
  perPage: number;
  choices: string[];
  defaultPerPage: number;
  children?: ReactNode;
}) {
  const hrefWith = useHrefWith();
  const { t } = useTranslation();
  return (
    <Group gap="xs" wrap="wrap">
      {children}
      {/* On the newest page a disabled button, not a link that goes nowhere. */}
      <PageLink
        to={place.atNewest ? null : hrefWith({ older: null, newer: null })}
        label={t("listTools.keyset.newest")}
      />
      <PageLink to={place.newer && hrefWith({ newer: place.newer, older: null })} label={t("listTools.keyset.newer")} />
      <PageLink to={place.older && hrefWith({ older: place.older, newer: null })} label={t("listTools.keyset.older")} />
      <PerPageSelect
        perPage={perPage}
        choices={choices}
        defaultPerPage={defaultPerPage}
        resetParams={["older", "newer"]}
      />
    </Group>
  );
}

/**
 * An empty page: nothing matches (with a way to clear the filters), nothing exists yet (`empty`
 * says how rows come about), or the cursor walked past the end (back to the newest).
 */
export function KeysetEmpty({
  atNewest,
  filtered,
  noun,
  clearTo,
  empty,
}: {
  atNewest: boolean;
  filtered: boolean;
  /** Plural, in the screen's language: "operations", "callbacks". */
  noun: string;
  clearTo: string;
  empty: string;
}) {
  const hrefWith = useHrefWith();
  const { t } = useTranslation();
  if (!atNewest) {
    return (
      <ListNotice title={t("listTools.keyset.noMoreThisWay", { noun })}>
        <Button component={Link} to={hrefWith({ older: null, newer: null })} variant="light" size="xs">
          {t("listTools.keyset.goToNewest")}
        </Button>
      </ListNotice>
    );
  }
  return (
    <ListNotice title={filtered ? t("listTools.keyset.noneMatch", { noun }) : t("listTools.keyset.noneYet", { noun })}>
      {filtered ? (
        <>
          {t("listTools.keyset.checkFilters")}{" "}
          <Anchor component={Link} to={clearTo} size="sm">
            {t("listTools.keyset.clearEverything")}
          </Anchor>
        </>
      ) : (
        empty
      )}
    </ListNotice>
  );
}

/**
 * The body of a keyset list below its filters: "fix the filter" when the loader refused it
 * (`list` null), an empty page's notice, or the count (`count`, polite to screen readers), the
 * page links after the list's own buttons (`actions`), and the rows (`children`).
 */
export function KeysetListBody<L extends KeysetPlace & { items: unknown[] }>({
  list,
  filtered,
  noun,
  clearTo,
  empty,
  count,
  countTestId,
  paging,
  actions,
  children,
}: {
  list: L | null;
  filtered: boolean;
  noun: string;
  clearTo: string;
  empty: string;
  count: (list: L) => string;
  countTestId: string;
  paging: { perPage: number; choices: string[]; defaultPerPage: number };
  actions?: ReactNode;
  children: (list: L) => ReactNode;
}) {
  if (list === null) return <FixTheFilter what={noun} />;
  if (list.items.length === 0) {
    return <KeysetEmpty atNewest={list.atNewest} filtered={filtered} noun={noun} clearTo={clearTo} empty={empty} />;
  }
  return (
    <>
      <Group justify="space-between" align="center" wrap="wrap" gap="sm">
        <Text size="sm" aria-live="polite" data-testid={countTestId}>
          {count(list)}
        </Text>
        <KeysetPageLinks place={list} {...paging}>
          {actions}
        </KeysetPageLinks>
      </Group>
      {children(list)}
    </>
  );
}
