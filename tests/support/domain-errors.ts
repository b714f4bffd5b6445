// What the domain's tests expect a refusal to be: a thrown error of a kind ("rule", "conflict",
// "invalid") with its message and, for a rule about one field, that field among its errors.
import { expect } from "vitest";

/** Matches a thrown domain error that has (at least) these fields. */
export const domainError = (fields: Record<string, unknown>) => expect.objectContaining(fields);

/** Matches a rule's refusal naming `field` (with words for it), and said as `message` where given. */
export function ruleRefusal(field: string, message?: unknown) {
  return domainError({
    kind: "rule",
    ...(message === undefined ? {} : { message }),
    errors: [{ field, message: expect.any(String) }],
  });
}
