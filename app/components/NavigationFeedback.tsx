// Feedback while the server works: a progress bar across the top of the staff shell while any
// navigation, form submission or fetcher submission is pending, and the old page dimmed (and
// marked busy) while the next page's data loads, so a slow answer never looks like a finished
// one. Submit buttons show their own pending state (SubmitButton, ActionModal).
import { useFetchers, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/** True while a navigation or any fetcher submission is on its way. */
export function useServerBusy(): boolean {
  const navigation = useNavigation();
  const fetchers = useFetchers();
  return navigation.state !== "idle" || fetchers.some((fetcher) => fetcher.state === "submitting");
}

export function NavigationProgress() {
  const { t } = useTranslation();
  if (!useServerBusy()) return null;
  return (
    <div
      className="navigation-progress"
      role="progressbar"
      aria-label={t("common.loading")}
      aria-valuetext={t("common.waitingForServer")}
      data-testid="navigation-progress"
    >
      <div className="navigation-progress__bar" />
    </div>
  );
}

/**
 * The screen while the next page loads: dimmed and aria-busy during a GET navigation (a link,
 * a filter, a page number), untouched while a form posts (its button shows that).
 */
export function PendingContent({ children }: { children: ReactNode }) {
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && (navigation.formMethod ?? "GET").toUpperCase() === "GET";
  return (
    <div
      className={loading ? "navigation-pending" : undefined}
      aria-busy={loading || undefined}
      data-testid="page-content"
    >
      {children}
    </div>
  );
}
