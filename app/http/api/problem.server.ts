// RFC 9457 problem details, the one error shape of /v1.
import { maskCardNumbers } from "../../domain/card-number";
import type { ErrorReason } from "../../domain/enums";
import { DomainError, PROVIDER_RETRY_AFTER_SECONDS, type FieldError } from "../../domain/errors";
import { textResponse } from "../../platform/response-text";

export type Problem = {
  status: number;
  title: string;
  detail: string;
  errors?: FieldError[];
  errorReason?: ErrorReason;
  headers?: Record<string, string>;
};

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

const TYPES: Record<number, string> = {
  400: "invalid-request",
  401: "unauthorized",
  403: "forbidden",
  404: "not-found",
  405: "method-not-allowed",
  409: "conflict",
  413: "payload-too-large",
  415: "unsupported-media-type",
  422: "business-rule",
  429: "rate-limited",
  500: "internal-error",
  503: "unavailable",
};

/** Thrown inside the /v1 layer to answer with a problem at once. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
    this.name = "ProblemError";
  }
}

export const problem = (status: number, detail: string, extra: Omit<Partial<Problem>, "status" | "detail"> = {}) =>
  new ProblemError({ status, title: TITLES[status] ?? "Error", detail, ...extra });

export function problemFromDomain(error: DomainError): Problem {
  return {
    status: error.status,
    title: TITLES[error.status] ?? "Error",
    detail: error.message,
    // Field and message only: the locale key (`say`) is for the staff screens, not the API's contract.
    errors: error.errors.length ? error.errors.map(({ field, message }) => ({ field, message })) : undefined,
    errorReason: error.errorReason,
    ...(error.kind === "unavailable"
      ? {
          detail: `${error.message}: retry after ${PROVIDER_RETRY_AFTER_SECONDS} s with the same Idempotency-Key to get its outcome, or look the transaction up`,
          headers: { "Retry-After": String(PROVIDER_RETRY_AFTER_SECONDS) },
        }
      : {}),
  };
}

/** The problem+json document (also written by server/app.ts before Remix is reached). */
export function problemBody(p: Problem, { instance, correlationId }: { instance: string; correlationId: string }) {
  return {
    type: `/problems/${TYPES[p.status] ?? "error"}`,
    title: p.title,
    status: p.status,
    detail: p.detail,
    // The request's path: a card number in it is not repeated (the answer may be stored for replay).
    instance: maskCardNumbers(instance),
    correlationId,
    // Field and message only, whoever built the problem: a locale key (`say`, a parser's) is the staff screens'.
    ...(p.errors?.length ? { errors: p.errors.map(({ field, message }) => ({ field, message })) } : {}),
    ...(p.errorReason ? { errorReason: p.errorReason } : {}),
  };
}

export function problemResponse(p: Problem, where: { instance: string; correlationId: string }) {
  return textResponse(JSON.stringify(problemBody(p, where)), {
    status: p.status,
    headers: {
      "Content-Type": "application/problem+json",
      "Cache-Control": "no-store",
      ...p.headers,
    },
  });
}
