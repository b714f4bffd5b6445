// A screen's state lives in its query string, so a copied link shows the same view. Isomorphic
// helpers for reading it on the server and changing it in the browser.
import { useLocation } from "@remix-run/react";

/** A positive whole number from the query string, or null for anything else. */
export function positiveInt(value: string | null): number | null {
  if (value === null || !/^[0-9]{1,9}$/.test(value.trim())) return null;
  const parsed = Number.parseInt(value, 10);
  return parsed >= 1 ? parsed : null;
}

/** Builds links to the current page with some query values replaced (null removes one). */
export function useHrefWith(): (changes: Record<string, string | null>) => string {
  const location = useLocation();
  return (changes) => {
    const params = new URLSearchParams(location.search);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) params.delete(key);
      else params.set(key, value);
    }
    const search = params.toString();
    return search ? `${location.pathname}?${search}` : location.pathname;
  };
}
