// No open redirects and no callbacks to arbitrary hosts: a URL a client gives us to send a
// customer (redirectUrl, returnUrl, errorUrl) or a notification (callbackUrl) to must start with
// one of that client's allowed prefixes.
import { invalid, type Say } from "./errors";

/**
 * Whether `url` starts with one of the prefixes. A prefix that ends inside the host or a path
 * segment ("https://shop.example") must be followed by a boundary, so it does not also allow
 * "https://shop.example.evil.test". A prefix ending in "host:" allows any port of that host
 * (e.g. "http://localhost:"). URLs with credentials are never allowed: in
 * "http://localhost:@evil.test/" the real host is evil.test.
 */
export function isAllowedRedirect(url: string, prefixes: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password || /^[a-z]+:\/\/[^/?#]*@/i.test(url)) return false;
  return prefixes.some((prefix) => {
    if (!prefix || !url.startsWith(prefix)) return false;
    if (/[/?#=&]$/.test(prefix) || url.length === prefix.length) return true;
    const next = url[prefix.length];
    return prefix.endsWith(":") ? /[0-9]/.test(next) : "/?#".includes(next);
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

/**
 * Why `prefix` cannot be an allowed redirect prefix, or null when it can: an http(s) URL with a
 * host and no credentials (isAllowedRedirect refuses URLs with credentials anyway), e.g.
 * "https://shop.example/" or "http://localhost:".
 */
export function redirectPrefixProblem(prefix: string): string | null {
  return redirectPrefixRefusal(prefix)?.message ?? null;
}

/** redirectPrefixProblem with its locale key, for the staff screens. */
export function redirectPrefixRefusal(prefix: string): { message: string; say: Say } | null {
  if (prefix.length > 300)
    return { message: "must be at most 300 characters", say: { key: "errors.form.tooLong", values: { max: 300 } } };
  const notAPrefix = {
    message: `"${prefix}" is not an http(s) URL prefix such as https://shop.example/`,
    say: { key: "errors.apiClient.redirectPrefix", values: { prefix } },
  };
  let url: URL;
  try {
    url = new URL(prefix);
  } catch {
    return notAPrefix;
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || !url.host || !/^https?:\/\//i.test(prefix)) {
    return notAPrefix;
  }
  if (url.username || url.password || /^[a-z]+:\/\/[^/?#]*@/i.test(prefix))
    return {
      message: `"${prefix}" must not contain a user name or password`,
      say: { key: "errors.apiClient.redirectCredentials", values: { prefix } },
    };
  return null;
}
