// What every staff list screen's route module exports alike: the route error boundary, the list
// screens' stylesheet (list-screen.css) and a page title from one locale key.
import type { LinksFunction, MetaFunction } from "@remix-run/node";
import type { ParseKeys } from "i18next";
import { metaTitle } from "../i18n/meta";
import listScreenStyles from "./list-screen.css";

export { RouteErrorBoundary as ErrorBoundary } from "./RouteErrorBoundary";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: listScreenStyles }];

/** A list screen's meta: the page title `titleKey` says, in the page's language. */
export const listScreenMeta =
  (titleKey: ParseKeys): MetaFunction =>
  ({ matches }) =>
    metaTitle(matches, titleKey);
