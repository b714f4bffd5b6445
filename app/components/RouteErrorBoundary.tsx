import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorPanel } from "./ErrorPanel";

/**
 * For staff screens: re-exported as a route's ErrorBoundary so that a 403 or 404 shows inside
 * the shell, with the navigation still there, instead of replacing the whole page. The root
 * route shows it too, for what no route caught.
 */
export function RouteErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  if (isRouteErrorResponse(error)) {
    return (
      <ErrorPanel status={error.status} message={typeof error.data === "string" ? error.data : error.statusText} />
    );
  }
  return <ErrorPanel status={500} message={t("common.error.unexpected")} />;
}
