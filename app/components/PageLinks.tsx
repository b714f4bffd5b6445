// Pagination for URL-driven lists: every page is a link (?page=N), so a reload or a shared link
// shows the same page and keeps the other query values (filters); optionally the per-page
// choice beside it, and a "Showing 1–50 of 77" summary. A list that pages by keyset too (the
// payments list, newest first) gives its page's edges as `cursors`: its next and previous links
// then carry them (older=/newer=) beside the page number, and the numbered links drop them.
import { Group, Pagination, Text } from "@mantine/core";
import { Link, useLocation, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "./use-format";
import { useHrefWith } from "./url-state";
import { PageHeader, PerPageSelect } from "./list-parts";

export type PerPageChoice = {
  perPage: number;
  perPageChoices: readonly number[];
  defaultPerPage: number;
};

export function PageLinks({
  page,
  totalPages,
  perPage,
  cursors,
}: {
  page: number;
  totalPages: number;
  perPage?: PerPageChoice;
  /** The page's first and last row's place: `newer=` of the previous page, `older=` of the next. */
  cursors?: { older: string; newer: string } | null;
}) {
  const hrefWith = useHrefWith();
  const { t } = useTranslation();
  const keyset = cursors !== undefined;
  // Page 1 needs no cursor (nothing to skip).
  const pageHref = (target: number, cursor: { older?: string; newer?: string } = {}) =>
    hrefWith({
      page: target === 1 ? null : String(target),
      ...(keyset
        ? { older: target === 1 ? null : (cursor.older ?? null), newer: target === 1 ? null : (cursor.newer ?? null) }
        : {}),
    });
  const controlHref = (control: "first" | "previous" | "next" | "last", target: number) =>
    control === "next" && cursors
      ? pageHref(target, { older: cursors.older })
      : control === "previous" && cursors
        ? pageHref(target, { newer: cursors.newer })
        : pageHref(target);
  // While another page of this list loads, its number is the active one (not the old page's).
  const shown = usePendingPage() ?? page;
  const links =
    totalPages > 1 ? (
      <Pagination
        total={totalPages}
        value={Math.min(shown, totalPages)}
        siblings={1}
        boundaries={1}
        size="sm"
        getItemProps={(target) => ({ component: Link, to: pageHref(target) })}
        getControlProps={(control) => {
          const target = { first: 1, previous: page - 1, next: page + 1, last: totalPages }[control];
          return target >= 1 && target <= totalPages && target !== page
            ? { component: Link, to: controlHref(control, target), "aria-label": t(`filters.pages.${control}`) }
            : { "aria-label": t(`filters.pages.${control}`) };
        }}
      />
    ) : null;
  if (!perPage) return links;
  return (
    <Group gap="md" wrap="wrap" justify="flex-end">
      {links}
      <PerPageSelect
        perPage={perPage.perPage}
        choices={perPage.perPageChoices.map(String)}
        defaultPerPage={perPage.defaultPerPage}
        resetParams={keyset ? ["page", "older", "newer"] : undefined}
      />
    </Group>
  );
}

/** The page number a pending navigation within this list goes to, or null. */
function usePendingPage(): number | null {
  const navigation = useNavigation();
  const location = useLocation();
  const next = navigation.location;
  if (navigation.state !== "loading" || !next || next.pathname !== location.pathname) return null;
  const page = Number(new URLSearchParams(next.search).get("page") ?? "1");
  return Number.isInteger(page) && page >= 1 ? page : null;
}

/** "Showing 1–50 of 77 methods", or what is true when the page is empty. */
export function PageSummary({
  page,
  perPage,
  shown,
  totalItems,
  noun,
}: {
  page: number;
  perPage: number;
  shown: number;
  totalItems: number;
  noun: string;
}) {
  const first = (page - 1) * perPage + 1;
  const { t } = useTranslation();
  const { count: formatCount } = useFormat();
  return (
    <Text c="dimmed" size="sm" aria-live="polite">
      {totalItems === 0
        ? t("filters.none_", { noun })
        : shown === 0
          ? t("filters.noPage", { n: formatCount(totalItems), noun, page: formatCount(page) })
          : t("filters.showing", {
              first: formatCount(first),
              last: formatCount(first + shown - 1),
              n: formatCount(totalItems),
              noun,
            })}
    </Text>
  );
}

/** The page of a list a loader answers (null while the filters in the address do not parse). */
type ListPage = { page: number; perPage: number; totalItems: number; totalPages: number; items: unknown[] };

/**
 * A paged list's header: its title, "Showing 1–50 of 77 …" and the page links; while the filters
 * in the address do not parse, `invalid` says what to do instead.
 */
export function PagedListHeader({
  title,
  list,
  noun,
  invalid,
}: {
  title: string;
  list: ListPage | null;
  noun: string;
  invalid: string;
}) {
  return (
    <PageHeader
      title={title}
      description={
        list ? (
          <PageSummary
            page={list.page}
            perPage={list.perPage}
            shown={list.items.length}
            totalItems={list.totalItems}
            noun={noun}
          />
        ) : (
          <Text c="red" size="sm">
            {invalid}
          </Text>
        )
      }
    >
      {list ? <PageLinks page={list.page} totalPages={list.totalPages} /> : null}
    </PageHeader>
  );
}

/** A list's count line beside its page links and per-page choice (once there is anything to page through). */
export function CountAndPageLinks({
  testId,
  total,
  page,
  totalPages,
  perPage,
  children,
}: {
  testId: string;
  total: number;
  page: number;
  totalPages: number;
  perPage: PerPageChoice;
  /** What is shown of how many. */
  children: ReactNode;
}) {
  return (
    <Group justify="space-between" align="center" wrap="wrap" gap="sm">
      <Text size="sm" c="dimmed" aria-live="polite" data-testid={testId}>
        {children}
      </Text>
      {total > 0 ? <PageLinks page={page} totalPages={totalPages} perPage={perPage} /> : null}
    </Group>
  );
}
