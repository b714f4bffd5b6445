// The staff shell: a pathless layout around every back-office screen. It makes sure someone is
// signed in and shows the areas their role may use; each screen checks its own permission again.
import {
  Anchor,
  AppShell,
  Badge,
  Box,
  Burger,
  Group,
  NavLink,
  ScrollArea,
  Stack,
  Text,
  type BadgeProps,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { userHasPermission, type Role } from "../auth/roles";
import { requireStaffUser } from "../auth/session.server";
import { STAFF_AREAS, type StaffArea } from "../components/staff-areas";
import { LogoutButton } from "../components/LoginForm";
import { NavigationProgress, PendingContent } from "../components/NavigationFeedback";
import staffShellStyles from "../components/staff-shell.css";
import { GlobalSearch } from "../components/GlobalSearch";
import { LanguageSwitch } from "../components/LanguageSwitch";
import { staffLanguage } from "../i18n/language.server";
import { ColorSchemeMenu } from "../components/ColorSchemeMenu";
import { staffCaller } from "../http/staff/action.server";
import { workQueueCount } from "../services/queries/work-queue.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: staffShellStyles }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireStaffUser(request);
  const { id, name, email, role, timeZone, colorScheme } = user;
  // The work queue's count, beside its navigation entry, for those who can act on it.
  const waiting = userHasPermission(user, "credit:execute")
    ? await workQueueCount(staffCaller(user, request, context, null), {
        executeCredits: true,
        resolveOperations: userHasPermission(user, "payment:resolve"),
      })
    : null;
  // The shell's language is the whole page's (root.tsx reads it from here), and so is its colour scheme.
  return json({
    user: { id, name, email, role, timeZone, colorScheme },
    waiting,
    language: staffLanguage(user, request),
  });
}

const ROLE_COLORS: Record<Role, string> = { support: "blue", finance: "teal", admin: "orange" };

const SECTIONS: ReadonlyArray<{ label: "finance" | "admin" | null; areas: readonly StaffArea[] }> = [
  { label: null, areas: STAFF_AREAS.filter((area) => !area.audience) },
  { label: "finance", areas: STAFF_AREAS.filter((area) => area.audience === "finance") },
  { label: "admin", areas: STAFF_AREAS.filter((area) => area.audience === "admin") },
];

/** The signed-in user's role, named for a screen reader as "Role: …". */
function RoleBadge({ role, ...badge }: { role: Role } & BadgeProps) {
  const { t } = useTranslation();
  return (
    <Badge
      color={ROLE_COLORS[role]}
      variant="light"
      aria-label={t("shell.role", { role: t(`shell.roles.${role}`) })}
      style={{ flexShrink: 0 }}
      {...badge}
    >
      {t(`shell.roles.${role}`)}
    </Badge>
  );
}

function isActive(to: string, pathname: string): boolean {
  if (to === "/") return pathname === "/";
  return pathname === to || pathname.startsWith(`${to}/`);
}

export default function StaffLayout() {
  const { user, waiting } = useLoaderData<typeof loader>();
  const { pathname } = useLocation();
  const [navOpened, nav] = useDisclosure(false);
  const { t } = useTranslation();

  // On a narrow screen the navigation is an overlay: close it once the user has gone somewhere.
  useEffect(() => nav.close(), [pathname]); // eslint-disable-line react-hooks/exhaustive-deps

  // A client-side navigation keeps the browser's focus where the click was (or, when the clicked
  // button is gone, somewhere in the middle of the old page), so the next Tab would land anywhere.
  // Like a fresh page load, each new screen starts focus at the top: the next Tab is the skip link.
  const focusStart = useRef<HTMLSpanElement>(null);
  const shownPath = useRef<string | null>(null);
  useEffect(() => {
    const active = document.activeElement;
    const lost = !active || active === document.body || !active.isConnected;
    const moved = shownPath.current !== null && shownPath.current !== pathname;
    shownPath.current = pathname;
    if (lost || (moved && active instanceof HTMLAnchorElement)) focusStart.current?.focus({ preventScroll: true });
  }, [pathname]);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: "sm", collapsed: { mobile: !navOpened } }}
      padding={{ base: "sm", sm: "lg" }}
    >
      <span ref={focusStart} tabIndex={-1} className="focus-start" />
      <a className="skip-link" href="#main">
        {t("shell.skipToMain")}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={navOpened}
              onClick={nav.toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={navOpened ? t("shell.closeNavigation") : t("shell.openNavigation")}
            />
            <Link
              to="/"
              // The product's name, the same in every language.
              // eslint-disable-next-line i18next/no-literal-string
              aria-label="Paydesk"
              style={{ display: "flex", alignItems: "center", gap: 8, textDecoration: "none" }}
            >
              <img src="/favicon.svg" alt="" width={24} height={24} />
              <Text span fw={700} size="lg" c="dark" visibleFrom="xs">
                {t("common.appName")}
              </Text>
            </Link>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <GlobalSearch />
            <LanguageSwitch staff />
            <Anchor
              component={Link}
              to="/me"
              size="sm"
              fw={500}
              c="dark"
              visibleFrom="sm"
              truncate
              maw={220}
              title={t("shell.accountTitle")}
            >
              {user.name}
            </Anchor>
            {/* On a phone the header has no room for it: the navigation shows it there. */}
            <RoleBadge role={user.role} visibleFrom="sm" />
            <ColorSchemeMenu />
            <LogoutButton action="/logout" size="xs" />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" aria-label={t("shell.mainNavigation")}>
        <AppShell.Section grow component={ScrollArea}>
          <Stack gap={2}>
            {SECTIONS.map((section) => {
              const visible = section.areas.filter((area) => userHasPermission(user, area.permission));
              if (visible.length === 0) return null;
              return (
                <Box key={section.label ?? "main"} mt={section.label ? "md" : 0}>
                  {section.label ? (
                    <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" mb={4}>
                      {t(`shell.sections.${section.label}`)}
                    </Text>
                  ) : null}
                  {visible.map((area) => {
                    const active = isActive(area.to, pathname);
                    return (
                      <NavLink
                        key={area.to}
                        component={Link}
                        to={area.to}
                        prefetch="intent"
                        label={t(`shell.areas.${area.key}`)}
                        rightSection={
                          area.to === "/work" && waiting ? (
                            <Badge
                              size="sm"
                              color="orange"
                              circle={waiting < 10}
                              aria-label={t("shell.waiting", { count: waiting })}
                            >
                              {waiting}
                            </Badge>
                          ) : undefined
                        }
                        active={active}
                        aria-current={active ? "page" : undefined}
                        style={{ borderRadius: "var(--mantine-radius-sm)" }}
                      />
                    );
                  })}
                </Box>
              );
            })}
          </Stack>
        </AppShell.Section>
        <AppShell.Section pt="xs" style={{ borderTop: "1px solid var(--mantine-color-default-border)" }}>
          <Box px="sm" py={4}>
            <Group gap="xs" wrap="nowrap">
              <Text size="sm" fw={500} truncate>
                {user.name}
              </Text>
              <RoleBadge role={user.role} hiddenFrom="sm" size="sm" />
            </Group>
            <Text size="xs" c="dimmed" truncate>
              {user.email}
            </Text>
            <Text size="xs" c="dimmed" truncate>
              {t("shell.timesIn", { timeZone: user.timeZone })}
            </Text>
            <Anchor component={Link} to="/me" size="xs">
              {t("shell.yourAccount")}
            </Anchor>
          </Box>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main bg="var(--paydesk-color-page)" id="main" tabIndex={-1}>
        <NavigationProgress />
        <PendingContent>
          <Outlet />
        </PendingContent>
      </AppShell.Main>
    </AppShell>
  );
}
