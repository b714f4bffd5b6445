// Errors a use-case can answer with. Services throw them; the /v1 layer renders them as
// problem+json and the staff screens as form errors or notifications. Each kind has one status.

import type { ErrorReason } from "./enums";

export type FieldError = { field: string; message: string };

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

  constructor(
    kind: DomainErrorKind,
    message: string,
    options: { errors?: FieldError[]; errorReason?: ErrorReason } = {},
  ) {
    super(message);
    this.name = "DomainError";
    this.kind = kind;
    this.errors = options.errors ?? [];
    this.errorReason = options.errorReason;
  }

  /** The same error about a nested object: its fields get the parent's name in front. */
  nestedUnder(parent: string): DomainError {
    return new DomainError(this.kind, this.message, {
      errors: this.errors.map((e) => ({ field: `${parent}.${e.field}`, message: e.message })),
      errorReason: this.errorReason,
    });
  }

  get status(): number {
    return STATUS_OF_KIND[this.kind];
  }
}

export const invalid = (field: string, message: string) =>
  new DomainError("invalid", `${field} ${message}`, { errors: [{ field, message }] });

export const invalidFields = (errors: FieldError[]) =>
  new DomainError("invalid", errors.map((e) => `${e.field} ${e.message}`).join("; "), { errors });

export const notFound = (what: string, id: string | number) =>
  new DomainError("not_found", `${what} ${id} was not found`);

export const conflict = (message: string, errorReason?: ErrorReason) =>
  new DomainError("conflict", message, { errorReason });

export const ruleBroken = (message: string, field?: string) =>
  new DomainError("rule", message, field ? { errors: [{ field, message }] } : {});

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
