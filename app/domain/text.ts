// Free text the service stores: names, e-mail addresses, references, reasons.

/**
 * Clean text has no control characters other than tab, line feed and carriage return, and no
 * broken UTF-16 (a lone surrogate): PostgreSQL text cannot hold NUL, jsonb no lone surrogates.
 */
export function isCleanText(value: string): boolean {
  return value.isWellFormed() && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value);
}
