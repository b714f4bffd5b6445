import "./zod-config";
import { ColorSchemeScript, MantineProvider, mantineHtmlProps, type MantineColorSchemeManager } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { useColorScheme } from "@mantine/hooks";
import { DatesProvider } from "@mantine/dates";
import "dayjs/locale/nb.js";
import mantineCore from "@mantine/core/styles.css";
import mantineNotifications from "@mantine/notifications/styles.css";
import mantineDates from "@mantine/dates/styles.css";
import mantineCharts from "@mantine/charts/styles.css";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { I18nextProvider } from "react-i18next";
import { ColorSchemeSync } from "./components/ColorSchemeMenu";
import { useNonce } from "./components/nonce";
import { cssVariablesResolver, themeIn } from "./components/theme";
import a11yStyles from "./components/a11y.css";
import { colorSchemeFromCookie, type ColorSchemeChoice } from "./domain/color-scheme";
import { i18nFor } from "./i18n/i18n";
import { DEFAULT_LANGUAGE, isLanguage, type Language } from "./i18n/language";
import { browserLanguage } from "./i18n/language.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: mantineCore },
  { rel: "stylesheet", href: mantineNotifications },
  { rel: "stylesheet", href: mantineDates },
  { rel: "stylesheet", href: mantineCharts },
  { rel: "stylesheet", href: a11yStyles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Paydesk" }];

// Before anyone signs in (and for customers): the language from the cookie, else the browser's
// Accept-Language; the colour scheme from its cookie. The staff shell answers its user's own
// choices (routes/_staff.tsx).
export function loader({ request }: LoaderFunctionArgs) {
  return json({
    language: browserLanguage(request),
    colorScheme: colorSchemeFromCookie(request.headers.get("Cookie")),
  });
}

/** The staff user's language when the staff shell is on screen, else the browser's. */
function usePageLanguage(): Language {
  const staff = useRouteLoaderData<{ language?: unknown }>("routes/_staff");
  const root = useRouteLoaderData<typeof loader>("root");
  if (isLanguage(staff?.language)) return staff.language;
  return root?.language ?? DEFAULT_LANGUAGE;
}
/**
 * The scheme the server renders: a signed-in staff user's choice (the staff layout's data), else
 * the cookie's, else the system's. Nothing is kept in the browser's storage: the server knows the
 * choice, so the first paint is already in it (decision 043).
 */
function useColorSchemeChoice(): ColorSchemeChoice {
  const staff = useRouteLoaderData<{ user: { colorScheme: ColorSchemeChoice } }>("routes/_staff");
  const root = useRouteLoaderData<typeof loader>("root");
  return staff?.user.colorScheme ?? root?.colorScheme ?? "auto";
}

/** Mantine asks this for the scheme: the server's answer; the menu posts a change itself. */
function serverColorSchemeManager(choice: ColorSchemeChoice): MantineColorSchemeManager {
  return { get: () => choice, set: () => {}, subscribe: () => {}, unsubscribe: () => {}, clear: () => {} };
}

export function Layout({ children }: { children: React.ReactNode }) {
  // Every inline script carries the response's CSP nonce (server/http-guards.ts).
  const nonce = useNonce();
  const language = usePageLanguage();
  const choice = useColorSchemeChoice();
  // With "auto" the attribute follows the system's scheme once the browser is asked (the inline
  // script below sets it before the first paint). Left undefined, a switch back to "auto" on an
  // open page removed it: <html> had no scheme, and every colour variable of Mantine's was gone,
  // the focus ring's among them.
  const system = useColorScheme();
  const manager = useMemo(() => serverColorSchemeManager(choice), []); // eslint-disable-line react-hooks/exhaustive-deps
  const theme = useMemo(() => themeIn(i18nFor(language).t("common.close")), [language]);
  return (
    <html lang={language} {...mantineHtmlProps} data-mantine-color-scheme={choice === "auto" ? system : choice}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        {/* For "auto", the system's scheme is known only in the browser: this sets it before the first paint. */}
        <ColorSchemeScript
          defaultColorScheme="auto"
          forceColorScheme={choice === "auto" ? undefined : choice}
          localStorageKey="paydesk-color-scheme-not-stored"
          nonce={nonce}
        />
      </head>
      <body>
        <I18nextProvider i18n={i18nFor(language)}>
          <MantineProvider
            theme={theme}
            cssVariablesResolver={cssVariablesResolver}
            colorSchemeManager={manager}
            defaultColorScheme={choice}
          >
            <ColorSchemeSync choice={choice} />
            <DatesProvider settings={{ locale: language }}>
              <Notifications position="bottom-right" />
              {children}
            </DatesProvider>
          </MantineProvider>
        </I18nextProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

// An error no route caught: the same panel, in the bare Layout (no staff shell around it).
export { RouteErrorBoundary as ErrorBoundary } from "./components/RouteErrorBoundary";
