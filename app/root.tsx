import "./zod-config";
import { ColorSchemeScript, MantineProvider, createTheme, mantineHtmlProps } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { DatesProvider } from "@mantine/dates";
import "dayjs/locale/nb.js";
import mantineCore from "@mantine/core/styles.css";
import mantineNotifications from "@mantine/notifications/styles.css";
import mantineDates from "@mantine/dates/styles.css";
import mantineCharts from "@mantine/charts/styles.css";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import { I18nextProvider } from "react-i18next";
import { useNonce } from "./components/nonce";
import { i18nFor } from "./i18n/i18n";
import { DEFAULT_LANGUAGE, isLanguage, type Language } from "./i18n/language";
import { browserLanguage } from "./i18n/language.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: mantineCore },
  { rel: "stylesheet", href: mantineNotifications },
  { rel: "stylesheet", href: mantineDates },
  { rel: "stylesheet", href: mantineCharts },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Paydesk" }];

// The language of a screen before anyone signs in (and of customers): the cookie, else the
// browser's Accept-Language. The staff shell answers its user's own choice (routes/_staff.tsx).
export function loader({ request }: LoaderFunctionArgs) {
  return json({ language: browserLanguage(request) });
}

/** The staff user's language when the staff shell is on screen, else the browser's. */
function usePageLanguage(): Language {
  const staff = useRouteLoaderData<{ language?: unknown }>("routes/_staff");
  const root = useRouteLoaderData<typeof loader>("root");
  if (isLanguage(staff?.language)) return staff.language;
  return root?.language ?? DEFAULT_LANGUAGE;
}

const theme = createTheme({
  primaryColor: "indigo",
  fontFamily: "Inter, system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
  defaultRadius: "md",
});

export function Layout({ children }: { children: React.ReactNode }) {
  // Every inline script carries the response's CSP nonce (server/http-guards.ts).
  const nonce = useNonce();
  const language = usePageLanguage();
  return (
    <html lang={language} {...mantineHtmlProps}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        <ColorSchemeScript defaultColorScheme="light" nonce={nonce} />
      </head>
      <body>
        <I18nextProvider i18n={i18nFor(language)}>
          <MantineProvider theme={theme} defaultColorScheme="light">
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
