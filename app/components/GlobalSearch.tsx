// The search for everything, in the staff header on every screen: a box (an icon on a narrow
// screen) that opens a search dialog, also with `/` and Ctrl/Cmd+K. It asks /search as the user
// types and shows the answers grouped (payments, credits, customers) and ranked; arrows move
// through them, Enter opens the chosen one (or, with none chosen, the search as a page), Esc
// closes. A combobox with a listbox (WAI-ARIA APG), so a screen reader follows the choice.
import {
  ActionIcon,
  Badge,
  Box,
  Group,
  Kbd,
  Loader,
  Modal,
  Stack,
  Text,
  TextInput,
  UnstyledButton,
} from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import type { SerializeFrom } from "@remix-run/node";
import { Link, useFetcher, useNavigate } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { Trans, useTranslation } from "react-i18next";
import { statusLabel } from "../i18n/labels";
import type { StaffSearchResult } from "../services/queries/staff-search.server";
import { useStaffUser } from "./staff-user";
import { useFormat, type Formats } from "./use-format";

export type SearchData = { text: string; error: string | null; result: SerializeFrom<StaffSearchResult> | null };

/** The keys' own names, as printed on keyboards in both languages. */
const KEY_CAPS = { up: "↑", down: "↓", enter: "Enter", esc: "Esc" };

/** One answer the user can choose: where it goes and what it shows. */
type Choice = { key: string; href: string; title: ReactNode; detail: ReactNode; badge?: string };
type ChoiceGroup = { label: string; choices: Choice[]; note?: string };

function SearchIcon({ size = 16 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2} aria-hidden>
      <circle cx="11" cy="11" r="7" />
      <path d="m20 20-3.5-3.5" strokeLinecap="round" />
    </svg>
  );
}

/** The header's box and the dialog it opens. */
export function GlobalSearch() {
  const [opened, setOpened] = useState(false);
  const { t } = useTranslation();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k") {
        event.preventDefault();
        setOpened(true);
        return;
      }
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      const typing = target?.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target?.tagName ?? "");
      if (typing) return;
      event.preventDefault();
      setOpened(true);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
  return (
    <>
      <UnstyledButton
        onClick={() => setOpened(true)}
        visibleFrom="sm"
        aria-keyshortcuts="/ Control+K"
        data-testid="global-search-open"
        style={{
          display: "flex",
          alignItems: "center",
          gap: 8,
          // Its words on one line: as wide as a wide header allows, never wider than the header's room.
          width: "clamp(220px, 28vw, 400px)",
          height: 34,
          padding: "0 10px",
          border: "1px solid var(--mantine-color-default-border)",
          borderRadius: "var(--mantine-radius-sm)",
          background: "var(--paydesk-color-page)",
          color: "var(--mantine-color-dimmed)",
        }}
      >
        <SearchIcon />
        {/* The visible words are the button's name (what a speech user says to press it). */}
        <Text span size="sm" style={{ flex: 1, minWidth: 0, textAlign: "start" }} c="dimmed" truncate="end">
          {t("search.open")}
        </Text>
        <Kbd size="xs" aria-hidden="true">
          /
        </Kbd>
      </UnstyledButton>
      <ActionIcon
        hiddenFrom="sm"
        variant="subtle"
        color="dark"
        size="lg"
        onClick={() => setOpened(true)}
        aria-label={t("search.open")}
      >
        <SearchIcon size={20} />
      </ActionIcon>
      <SearchDialog opened={opened} onClose={() => setOpened(false)} />
    </>
  );
}

function SearchDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const narrow = useMediaQuery("(max-width: 48em)");
  const fetcher = useFetcher();
  const navigate = useNavigate();
  const user = useStaffUser();
  const { t } = useTranslation();
  const formats = useFormat();
  const [text, setText] = useState("");
  const [active, setActive] = useState(0);
  const listId = useId();
  const input = useRef<HTMLInputElement>(null);
  const typed = text.trim();

  // Ask as the user types, a moment after the last key.
  const { load } = fetcher;
  useEffect(() => {
    if (!typed) return;
    const timer = setTimeout(() => load(`/search?q=${encodeURIComponent(typed)}`), 120);
    return () => clearTimeout(timer);
  }, [typed, load]);

  const data = fetcher.data as SearchData | undefined;
  const answered = data && data.text === typed ? data : null;
  const groups = typed && answered?.result ? choiceGroups(answered.result, user.timeZone, t, formats) : [];
  const choices = groups.flatMap((group) => group.choices);
  const searching = !!typed && (fetcher.state !== "idle" || !answered);
  // A new answer starts at its best match.
  useEffect(() => setActive(0), [answered]);

  const choose = (href: string) => {
    onClose();
    navigate(href);
  };
  const optionId = (index: number) => `${listId}-option-${index}`;
  let index = -1;

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t("search.open")}
      fullScreen={narrow}
      size="lg"
      yOffset="8vh"
      closeButtonProps={{ "aria-label": t("search.closeSearch") }}
      data-testid="global-search"
    >
      <Stack gap="sm">
        <TextInput
          ref={input}
          data-autofocus
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          onFocus={(event) => event.currentTarget.select()}
          placeholder={t("search.placeholder")}
          aria-label={t("common.search")}
          role="combobox"
          aria-expanded={choices.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={choices.length ? optionId(active) : undefined}
          autoComplete="off"
          leftSection={<SearchIcon />}
          rightSection={searching ? <Loader size="xs" aria-label={t("search.searching")} /> : null}
          error={typed && answered?.error ? t("search.error", { error: answered.error }) : undefined}
          onKeyDown={(event) => {
            if (event.key === "ArrowDown" || event.key === "ArrowUp") {
              event.preventDefault();
              if (!choices.length) return;
              const step = event.key === "ArrowDown" ? 1 : -1;
              setActive((current) => (current + step + choices.length) % choices.length);
            } else if (event.key === "Enter" && !event.nativeEvent.isComposing) {
              event.preventDefault();
              if (!typed) return;
              const chosen = answered ? choices[active] : undefined;
              choose(chosen ? chosen.href : `/search?q=${encodeURIComponent(typed)}`);
            }
          }}
        />
        <Box
          id={listId}
          // A listbox only while it holds options: the help and "nothing found" are plain text.
          role={choices.length ? "listbox" : "group"}
          aria-label={t("search.results")}
          mah={narrow ? undefined : "60vh"}
          style={{ overflowY: "auto" }}
        >
          {!typed ? (
            <Text size="sm" c="dimmed" p="xs">
              {t("search.help")} {t("search.keys")}
            </Text>
          ) : answered && !answered.error && choices.length === 0 ? (
            <Stack gap={4} p="xs" role="status">
              <Text size="sm" fw={500}>
                {t("search.nothingFound", { text: typed })}
              </Text>
              <Text size="sm" c="dimmed">
                {t("search.help")}
              </Text>
            </Stack>
          ) : (
            groups.map((group) => (
              <Box key={group.label} role="group" aria-label={group.label} mb="xs">
                <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="xs" py={4}>
                  {group.label}
                </Text>
                {group.choices.map((choice) => {
                  index += 1;
                  const mine = index;
                  const selected = mine === active;
                  return (
                    <Link
                      key={choice.key}
                      id={optionId(mine)}
                      to={choice.href}
                      role="option"
                      aria-selected={selected}
                      tabIndex={-1}
                      data-testid="global-search-option"
                      onMouseMove={() => setActive(mine)}
                      onClick={(event) => {
                        if (event.metaKey || event.ctrlKey || event.shiftKey) return;
                        event.preventDefault();
                        choose(choice.href);
                      }}
                      style={{
                        display: "block",
                        padding: "6px 10px",
                        borderRadius: "var(--mantine-radius-sm)",
                        textDecoration: "none",
                        color: "inherit",
                        background: selected ? "var(--mantine-primary-color-light)" : undefined,
                        outline: selected ? "1px solid var(--mantine-primary-color-light-color)" : undefined,
                      }}
                    >
                      <ChoiceLine choice={choice} />
                    </Link>
                  );
                })}
                {group.note ? (
                  <Text size="xs" c="dimmed" px="xs" py={4}>
                    {group.note}
                  </Text>
                ) : null}
              </Box>
            ))
          )}
        </Box>
        {typed ? (
          <Text size="xs" c="dimmed">
            <Kbd size="xs">{KEY_CAPS.up}</Kbd> <Kbd size="xs">{KEY_CAPS.down}</Kbd> {t("search.keyChoose")} ·{" "}
            <Kbd size="xs">{KEY_CAPS.enter}</Kbd> {t("search.keyOpen")} · <Kbd size="xs">{KEY_CAPS.esc}</Kbd>{" "}
            {t("search.keyClose")}
          </Text>
        ) : null}
      </Stack>
    </Modal>
  );
}

function ChoiceLine({ choice }: { choice: Choice }) {
  return (
    <Group gap="xs" wrap="nowrap" justify="space-between">
      <Box miw={0}>
        <Text size="sm" fw={500} truncate>
          {choice.title}
        </Text>
        <Text size="xs" c="dimmed" truncate>
          {choice.detail}
        </Text>
      </Box>
      {choice.badge ? (
        <Badge size="xs" variant="light" color="gray" radius="sm" tt="none" style={{ flexShrink: 0 }}>
          {choice.badge}
        </Badge>
      ) : null}
    </Group>
  );
}

/** The answers as groups of choices, in the order shown (the server ranked each group). */
function choiceGroups(
  result: SerializeFrom<StaffSearchResult>,
  timeZone: string,
  t: TFunction,
  format: Formats,
): ChoiceGroup[] {
  const groups: ChoiceGroup[] = [];
  const text = result.text;
  if (result.payments?.items.length) {
    const choices: Choice[] = result.payments.items.map((p) => ({
      key: `payment-${p.paymentId}`,
      href: `/payments/${p.paymentId}`,
      title: `${t("search.payment", { id: p.paymentId })}${p.orderId ? ` · ${p.orderId}` : ""}`,
      detail: [
        format.money(p.totalAmount, p.currency),
        p.organisationName,
        p.customerNumber ? t("search.customer", { customerNumber: p.customerNumber }) : null,
        format.dateTime(p.createdAt, timeZone),
      ]
        .filter(Boolean)
        .join(" · "),
      badge: t("search.by", { what: t(`search.kinds.${p.matchedBy}`) }),
    }));
    // The list, where all of them can be filtered, sorted and exported; worth a line when there are several.
    if (result.payments.more || result.payments.items.length > 1)
      choices.push({
        key: "payments-all",
        href: `/payments?q=${encodeURIComponent(text)}`,
        title: result.payments.more
          ? t("search.allPayments", { text })
          : t("search.thesePayments", { count: result.payments.items.length }),
        detail: result.payments.more
          ? t("search.moreThan", { count: result.payments.items.length })
          : t("search.openList"),
      });
    groups.push({ label: t("search.groups.payments"), choices });
  }
  if (result.credits?.items.length) {
    groups.push({
      label: t("search.groups.credits"),
      choices: result.credits.items.map((c) => ({
        key: `credit-${c.creditId}`,
        href: `/credits/${c.creditId}`,
        title: `${t("search.credit", { id: c.creditId })}${c.orderId ? ` · ${c.orderId}` : ""}`,
        detail: [
          format.money(c.totalCreditAmount, c.currency),
          statusLabel(t, c.status),
          format.dateTime(c.createdAt, timeZone),
        ].join(" · "),
        badge: t("search.by", { what: "creditId" }),
      })),
    });
  }
  if (result.customers?.items.length) {
    groups.push({
      label: t("search.groups.customers"),
      choices: result.customers.items.map((c) => ({
        key: `customer-${c.customerNumber}`,
        href: `/customers/${c.customerNumber}`,
        title: c.name,
        detail: `${t("search.customerTitle", { customerNumber: c.customerNumber })} · ${c.email}`,
        badge: t("search.by", { what: t(`search.customerMatch.${c.matchedBy}`) }),
      })),
      note: result.customers.more ? t("search.moreCustomers") : undefined,
    });
  }
  return groups;
}

/** The answers as a page (Enter with nothing chosen, or a shared link): the same groups, as links. */
export function SearchResults({ data }: { data: SearchData }) {
  const user = useStaffUser();
  const { t } = useTranslation();
  const formats = useFormat();
  if (!data.result) {
    return (
      <Text c="dimmed" size="sm">
        <Trans i18nKey="search.typeInBox" components={{ kbd: <Kbd size="xs" /> }} /> {t("search.help")}
      </Text>
    );
  }
  const groups = choiceGroups(data.result, user.timeZone, t, formats);
  if (groups.length === 0) {
    return (
      <Stack gap={4} role="status">
        <Text fw={500}>{t("search.nothingFound", { text: data.text })}</Text>
        <Text size="sm" c="dimmed">
          {t("search.help")}
        </Text>
      </Stack>
    );
  }
  return (
    <Stack gap="md">
      {groups.map((group) => (
        <Box key={group.label} component="section" aria-label={group.label}>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase" mb={4}>
            {group.label}
          </Text>
          <Stack gap={4}>
            {group.choices.map((choice) => (
              <Link
                key={choice.key}
                to={choice.href}
                style={{ textDecoration: "none", color: "inherit", display: "block", padding: "6px 10px" }}
              >
                <ChoiceLine choice={choice} />
              </Link>
            ))}
            {group.note ? (
              <Text size="xs" c="dimmed">
                {group.note}
              </Text>
            ) : null}
          </Stack>
        </Box>
      ))}
    </Stack>
  );
}
