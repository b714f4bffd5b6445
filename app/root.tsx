import "./zod-config";
import { ColorSchemeScript, MantineProvider, createTheme, mantineHtmlProps } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import mantineCore from "@mantine/core/styles.css";
import mantineNotifications from "@mantine/notifications/styles.css";
import mantineDates from "@mantine/dates/styles.css";
import mantineCharts from "@mantine/charts/styles.css";
import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration } from "@remix-run/react";
import { useNonce } from "./components/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: mantineCore },
  { rel: "stylesheet", href: mantineNotifications },
  { rel: "stylesheet", href: mantineDates },
  { rel: "stylesheet", href: mantineCharts },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Paydesk" }];

const theme = createTheme({
  primaryColor: "indigo",
  fontFamily: "Inter, system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
  defaultRadius: "md",
});

export function Layout({ children }: { children: React.ReactNode }) {
  // Every inline script carries the response's CSP nonce (server/http-guards.ts).
  const nonce = useNonce();
  return (
    <html lang="en" {...mantineHtmlProps}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        <ColorSchemeScript defaultColorScheme="light" nonce={nonce} />
      </head>
      <body>
        <MantineProvider theme={theme} defaultColorScheme="light">
          <Notifications position="bottom-right" />
          {children}
        </MantineProvider>
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
