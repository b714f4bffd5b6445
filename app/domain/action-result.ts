// The answer of a staff form action, as the screen receives it: a message for the notification
// and, when refused, the errors by field name to show next to each field. The staff action
// (app/http/staff) writes it and the form components read it, so it lives where both may import.

export type ActionResult =
  | { ok: true; message: string; intent: string | null; data?: Record<string, unknown> }
  | { ok: false; message: string; intent: string | null; fieldErrors: Record<string, string> };

/** The most a staff action's reason (which goes to the audit log) may say. */
export const REASON_MAX_LENGTH = 500;
