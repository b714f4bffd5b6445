// Turning request parts into validated input, or a 400 problem that names each field.
import type { z } from "zod";
import { CARD_NUMBER_MESSAGE, containsCardNumber } from "../../domain/card-number";
import type { FieldError } from "../../domain/errors";
import { parseSearchQuery, type FieldSpec, type SearchQuery } from "../../domain/search-filter";
import { publicOrigin } from "../hosted-page.server";
import { problem } from "./problem.server";
import { invalidInput } from "./route.server";

type Params = Record<string, string | undefined>;

function fieldName(path: readonly PropertyKey[]): string {
  let name = "";
  for (const part of path) {
    if (typeof part === "number") name += `[${part}]`;
    else name += name ? `.${String(part)}` : String(part);
  }
  return name || "body";
}

/** The value at a path of the parsed input; undefined where the input has nothing. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const part of path) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

/** Issue codes that, on a field the input lacks, mean only that the field is required. */
const MISSING_CODES = new Set(["invalid_type", "invalid_value", "invalid_union"]);

/**
 * One error per offending field. A required field that is absent says "is required" (given the
 * input; the schemas' own messages describe wrong values, not missing ones).
 */
export function zodFieldErrors(error: z.ZodError, prefix = "", input?: unknown): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys)
        errors.push({ field: prefix + fieldName([...issue.path, key]), message: "is not a known field here" });
      continue;
    }
    const field = prefix + fieldName(issue.path);
    const missing =
      (issue.code === "invalid_type" && /received undefined/.test(issue.message)) ||
      (input !== undefined &&
        issue.path.length > 0 &&
        MISSING_CODES.has(issue.code) &&
        valueAt(input, issue.path) === undefined);
    errors.push({ field, message: missing ? "is required" : issue.message });
  }
  return errors;
}

/** Validates a JSON body against a schema; the body must be an object. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  if (body === undefined) throw invalidInput([{ field: "body", message: "a JSON object is required" }]);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalidInput([{ field: "body", message: "must be a JSON object" }]);
  }
  const result = schema.safeParse(body);
  if (!result.success) throw invalidInput(zodFieldErrors(result.error, "", body));
  return result.data;
}

/** Like parseBody, but an absent body counts as an empty object (optional bodies). */
export function parseOptionalBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  return parseBody(schema, body === undefined ? {} : body);
}

/** A numeric id from the path; anything else is answered like an unknown id would be. */
export function pathId(params: Params, name: string): number {
  const raw = pathKey(params, name);
  if (!/^[1-9][0-9]{0,15}$/.test(raw) || Number(raw) > Number.MAX_SAFE_INTEGER) {
    throw problem(400, `${name} in the path must be a positive whole number`, {
      errors: [{ field: name, message: "must be a positive whole number" }],
    });
  }
  return Number(raw);
}

/**
 * A path segment as sent; refused when it carries a card number, which an answer ("… was not
 * found") would otherwise quote, and an Idempotency-Key would store with it.
 */
export function pathKey(params: Params, name: string): string {
  const raw = params[name] ?? "";
  if (containsCardNumber(raw)) {
    throw problem(400, `${name} in the path ${CARD_NUMBER_MESSAGE}`, {
      errors: [{ field: name, message: CARD_NUMBER_MESSAGE }],
    });
  }
  return raw;
}

/** The two ids of a /v1/payments/{paymentId}/transactions/{transactionId}… path, paymentId checked first. */
export function transactionPath(params: Params): { paymentId: number; transactionId: number } {
  return { paymentId: pathId(params, "paymentId"), transactionId: pathId(params, "transactionId") };
}

/**
 * The input of a POST that opens a hosted page on a transaction (…/app-claim, …/wallet,
 * …/invoice): the body by `schema`, then the path's two ids, and the public origin the page is
 * served on.
 */
export function hostedPageInput<T extends z.ZodType<object>>(
  schema: T,
  { params, body, url }: { params: Params; body: unknown; url: URL },
): z.output<T> & { paymentId: number; transactionId: number; origin: string } {
  return { ...parseBody(schema, body), ...transactionPath(params), origin: publicOrigin(url) };
}

export function parseQuery(
  url: URL,
  spec: Record<string, FieldSpec>,
  options: { exactTotal?: boolean; after?: boolean } = {},
): SearchQuery {
  const outcome = parseSearchQuery(url.searchParams, spec, options);
  if (!outcome.ok) throw invalidInput(outcome.errors);
  return outcome.query;
}

/** PATCH: fields that exist but may not change are a 400 naming each of them. */
export function refuseReadOnlyFields(body: unknown, readOnly: readonly string[], editable: string): void {
  if (!body || typeof body !== "object" || Array.isArray(body)) return;
  const present = Object.keys(body).filter((key) => readOnly.includes(key));
  if (present.length)
    throw invalidInput(present.map((field) => ({ field, message: `is not editable (editable: ${editable})` })));
}
