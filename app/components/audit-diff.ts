// Before/after of an audit entry as rows a person can read: one per field of either side, with
// whether it changed. Isomorphic (the audit screen renders it on both sides).

export type DiffRow = {
  field: string;
  before: string | null;
  after: string | null;
  /** Present on one side only, or a different value. */
  changed: boolean;
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A value as short text: strings as they are, everything else as compact JSON. */
export function showValue(value: unknown): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value) ?? String(value);
}

/**
 * Field-by-field rows when both sides are objects (or absent: a creation has no before), fields
 * of `before` first in their order, then the new ones; null when a side is something else (an
 * array, a bare value), which the screen shows as JSON side by side instead.
 */
export function diffRows(before: unknown, after: unknown): DiffRow[] | null {
  const left = before == null ? {} : before;
  const right = after == null ? {} : after;
  if (!isRecord(left) || !isRecord(right)) return null;
  const fields = [...new Set([...Object.keys(left), ...Object.keys(right)])];
  return fields.map((field) => {
    const inBefore = Object.hasOwn(left, field);
    const inAfter = Object.hasOwn(right, field);
    const beforeText = inBefore ? showValue(left[field]) : null;
    const afterText = inAfter ? showValue(right[field]) : null;
    return { field, before: beforeText, after: afterText, changed: inBefore !== inAfter || beforeText !== afterText };
  });
}
