// No open redirects and no callbacks to arbitrary hosts: a URL a client gives us to send a
// customer (redirectUrl, returnUrl, errorUrl) or a notification (callbackUrl) to must start with
// one of that client's allowed prefixes.
import { invalid } from "./errors";

/**
 * Whether `url` starts with one of the prefixes. A prefix that ends inside the host or a path
 * segment ("https://shop.example") must be followed by a boundary, so it does not also allow
 * "https://shop.example.evil.test".
 */
export function isAllowedRedirect(url: string, prefixes: readonly string[]): boolean {
  return prefixes.some((prefix) => {
    if (!prefix || !url.startsWith(prefix)) return false;
    if (/[/?#=&]$/.test(prefix) || url.length === prefix.length) return true;
    return "/?#".includes(url[prefix.length]);
  });
}

export function requireAllowedUrl(prefixes: readonly string[], url: string, field: string): void {
  if (isAllowedRedirect(url, prefixes)) return;
  throw invalid(
    field,
    prefixes.length
      ? "does not start with one of this client's allowed redirect prefixes"
      : "cannot be used: this client has no allowed redirect prefixes",
  );
}
