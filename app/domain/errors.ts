// Errors a use-case can answer with. Services throw them; the /v1 layer renders them as
// problem+json and the staff screens as form errors or notifications. Each kind has one status.

import type { ErrorReason } from "./enums";

/**
 * What a message says as a locale key and the values of its blanks, so that the staff screens can
 * say it in the reader's language (app/http/staff/action.server.ts). Plain strings: the domain
 * imports no i18n, and the /v1 API keeps answering the English `message` (API.md). A decimal
 * value ("100.00") is written in the reader's number format; a value that is itself a Say (what
 * is wrong on line 7 of a report) is said first, in the same language.
 */
export type Say = { key: string; values?: { [name: string]: string | number | Say } };

export type FieldError = { field: string; message: string; say?: Say };

export type DomainErrorKind =
  | "invalid" // 400: malformed input
  | "forbidden" // 403: the caller may not do this
  | "not_found" // 404: unknown, or another tenant's
  | "conflict" // 409: wrong state, inactive payment, concurrent change
  | "rule" // 422: well-formed but breaks a business rule
  | "declined" // 422 with an errorReason: the provider refused
  | "unavailable"; // 503 with errorReason PROVIDER_UNAVAILABLE: the provider did not answer; retry later

export const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rule: 422,
  declined: 422,
  unavailable: 503,
};

export class DomainError extends Error {
  readonly kind: DomainErrorKind;
  readonly errors: FieldError[];
  readonly errorReason?: ErrorReason;
  /** The message as a locale key, for the staff screens; without it they show `message`. */
  readonly say?: Say;

  constructor(
    kind: DomainErrorKind,
    message: string,
    options: { errors?: FieldError[]; errorReason?: ErrorReason; say?: Say } = {},
  ) {
    super(message);
    this.name = "DomainError";
    this.kind = kind;
    this.errors = options.errors ?? [];
    this.errorReason = options.errorReason;
    this.say = options.say;
  }

  /** The same error about a nested object: its fields get the parent's name in front. */
  nestedUnder(parent: string): DomainError {
    return new DomainError(this.kind, this.message, {
      errors: this.errors.map((e) => ({ ...e, field: `${parent}.${e.field}` })),
      errorReason: this.errorReason,
      say: this.say,
    });
  }

  get status(): number {
    return STATUS_OF_KIND[this.kind];
  }
}

/** The locale keys of the refusals said alike to everyone, whatever the service's words (four eyes, a busy transaction, a silent provider). */
export const REASON_KEYS: Partial<Record<ErrorReason, string>> = {
  FOUR_EYES_REQUIRED: "errors.fourEyes",
  RESOURCE_BUSY: "errors.busy",
  PROVIDER_UNAVAILABLE: "errors.providerUnavailable",
};

export const invalid = (field: string, message: string, say?: Say) =>
  new DomainError("invalid", `${field} ${message}`, { errors: [{ field, message, say }] });

export const invalidFields = (errors: FieldError[]) =>
  new DomainError("invalid", errors.map((e) => `${e.field} ${e.message}`).join("; "), { errors });

/** `what` names the kind of thing in English; the screens' key is `errors.notFound.<what in camelCase>`. */
export const notFound = (what: string, id: string | number) =>
  new DomainError("not_found", `${what} ${id} was not found`, {
    say: { key: `errors.notFound.${camelCase(what)}`, values: { id: String(id) } },
  });

const camelCase = (words: string) =>
  words
    .split(/\s+/)
    .map((word, i) => (i === 0 ? word.toLowerCase() : word[0].toUpperCase() + word.slice(1).toLowerCase()))
    .join("");

export const conflict = (message: string, errorReason?: ErrorReason, say?: Say) =>
  new DomainError("conflict", message, { errorReason, say });

export const ruleBroken = (message: string, field?: string, say?: Say) =>
  new DomainError("rule", message, field ? { errors: [{ field, message }], say } : { say });

export const forbidden = (message: string) => new DomainError("forbidden", message);

/** What a client may wait before retrying an operation whose provider did not answer. */
export const PROVIDER_RETRY_AFTER_SECONDS = 3;

/**
 * The provider did not answer in time: the operation is in progress (pending, settled later by
 * asking the provider). Retrying, with the same Idempotency-Key, gets its outcome once known.
 */
export const providerUnavailable = () =>
  new DomainError("unavailable", "The provider did not answer; the operation is in progress", {
    errorReason: "PROVIDER_UNAVAILABLE",
  });
