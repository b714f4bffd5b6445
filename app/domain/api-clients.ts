// What an API client's settings may be, for the CLI and the back-office alike (both end in
// app/services/admin/api-clients.server.ts). Pure rules, no I/O.
import { invalidFields, type FieldError } from "./errors";
import { redirectPrefixRefusal } from "./redirects";

/** A distribution channel name as clients send it in Entur-Distribution-Channel. */
export const CHANNEL_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

export const MAX_CHANNELS = 20;
export const MAX_REDIRECT_PREFIXES = 20;

export function channelProblem(channel: string): string | null {
  return CHANNEL_PATTERN.test(channel) ? null : `"${channel}" is not a channel name (lowercase letters, digits and -)`;
}

/** A whole-number organisation id as the int4 column holds it. */
export function organisationIdProblem(text: string): string | null {
  return /^[1-9][0-9]{0,9}$/.test(text) && BigInt(text) <= 2_147_483_647n
    ? null
    : `must be a whole number from 1 to 2147483647, got "${text}"`;
}

/** Splits a comma- or newline-separated list as forms and flags give it, dropping blanks. */
export function splitList(value: string): string[] {
  return value
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Channels and redirect prefixes of a client, checked together so every bad field is named. */
export function checkClientSettings(input: {
  channels?: readonly string[];
  allowedRedirectPrefixes?: readonly string[];
}): void {
  const errors: FieldError[] = [];
  if (input.channels !== undefined) {
    const bad = input.channels.map(channelProblem).find((problem) => problem !== null);
    if (!input.channels.length)
      errors.push({
        field: "channels",
        message: "needs at least one channel, e.g. web",
        say: { key: "errors.apiClient.noChannel" },
      });
    else if (input.channels.length > MAX_CHANNELS)
      errors.push({
        field: "channels",
        message: `must be at most ${MAX_CHANNELS}`,
        say: { key: "errors.form.tooMany", values: { max: MAX_CHANNELS } },
      });
    else if (bad) {
      const channel = input.channels.find((c) => channelProblem(c) !== null) ?? "";
      errors.push({
        field: "channels",
        message: bad,
        say: { key: "errors.apiClient.channelName", values: { channel } },
      });
    }
  }
  if (input.allowedRedirectPrefixes !== undefined) {
    const bad = input.allowedRedirectPrefixes.map(redirectPrefixRefusal).find((problem) => problem !== null);
    if (input.allowedRedirectPrefixes.length > MAX_REDIRECT_PREFIXES) {
      errors.push({
        field: "allowedRedirectPrefixes",
        message: `must be at most ${MAX_REDIRECT_PREFIXES}`,
        say: { key: "errors.form.tooMany", values: { max: MAX_REDIRECT_PREFIXES } },
      });
    } else if (bad) errors.push({ field: "allowedRedirectPrefixes", ...bad });
  }
  if (errors.length) throw invalidFields(errors);
}
