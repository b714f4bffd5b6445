// One shape for every staff form action: check the permission on the server, read the reason,
// call the same service the API calls with a StaffCaller, and answer with a result the screen
// turns into a notification and errors next to the fields. Domain errors become that answer
// (with their HTTP status); anything else is a bug and goes to the error boundary.
import { json, type ActionFunctionArgs, type TypedResponse } from "@remix-run/node";
import type { Permission } from "../../auth/roles";
import { requirePermission, type StaffUser } from "../../auth/session.server";
import { DomainError, invalid } from "../../domain/errors";
import { isCleanText } from "../api/schemas";
import type { StaffCaller } from "../../domain/caller";
import type { RequestContext } from "../context";

export type ActionResult =
  | { ok: true; message: string; intent: string | null; data?: Record<string, unknown> }
  | { ok: false; message: string; intent: string | null; fieldErrors: Record<string, string> };

export const MAX_REASON_LENGTH = 500;

export function staffCaller(
  user: StaffUser,
  request: Request,
  context: RequestContext,
  reason: string | null,
): StaffCaller {
  return {
    kind: "staff",
    userId: user.id,
    email: user.email,
    correlationId: context.correlationId,
    ip: context.clientIp,
    userAgent: request.headers.get("user-agent"),
    reason,
  };
}

/** The form's `reason`: required where money moves, optional elsewhere; always clean, bounded text. */
export function readReason(form: FormData, required: boolean): string | null {
  const raw = form.get("reason");
  const reason = typeof raw === "string" ? raw.trim() : "";
  if (!reason) {
    if (required) throw invalid("reason", "is required: say why, it goes to the audit log");
    return null;
  }
  if (reason.length > MAX_REASON_LENGTH) throw invalid("reason", `must be at most ${MAX_REASON_LENGTH} characters`);
  if (!isCleanText(reason)) throw invalid("reason", "contains characters that are not allowed");
  return reason;
}

/** A text field of the form, trimmed; null when absent or blank. */
export function formText(form: FormData, name: string): string | null {
  const raw = form.get(name);
  if (typeof raw !== "string") return null;
  const value = raw.trim();
  return value === "" ? null : value;
}

export function actionSucceeded(message: string, intent: string | null, data?: Record<string, unknown>) {
  return json<ActionResult>({ ok: true, message, intent, ...(data ? { data } : {}) });
}

export function actionFailed(error: DomainError, intent: string | null) {
  const fieldErrors: Record<string, string> = {};
  for (const { field, message } of error.errors) fieldErrors[field] ??= message;
  return json<ActionResult>({ ok: false, message: error.message, intent, fieldErrors }, { status: error.status });
}

export type StaffActionRun = (args: {
  form: FormData;
  user: StaffUser;
  /** The caller to hand to services; carries the reason for the audit entry. */
  caller: StaffCaller;
  intent: string | null;
}) => Promise<{ message: string; data?: Record<string, unknown> } | Response>;

export type StaffIntent = {
  permission: Permission;
  /** Whether the form must say why (every action that moves money). */
  reason: "required" | "optional";
  run: StaffActionRun;
};

/**
 * A route action dispatching on the form's `intent`, each with its own permission. An unknown
 * intent is a 400; a role without the permission gets the 403 of requirePermission before any
 * service runs, so a forged POST changes nothing.
 */
export async function staffAction(
  { request, context }: ActionFunctionArgs,
  intents: Record<string, StaffIntent>,
): Promise<TypedResponse<ActionResult> | Response> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    await requirePermission(request, "dashboard:read");
    return actionFailed(invalid("body", "must be a form submission"), null);
  }
  const intentValue = form.get("intent");
  const intent = typeof intentValue === "string" ? intentValue : null;
  const handler = intent !== null && Object.hasOwn(intents, intent) ? intents[intent] : undefined;
  if (!handler) {
    // Still require a signed-in user, so an anonymous caller learns nothing about intents.
    await requirePermission(request, "dashboard:read");
    return actionFailed(invalid("intent", `must be one of ${Object.keys(intents).join(", ")}`), intent);
  }
  const user = await requirePermission(request, handler.permission);
  try {
    const reason = readReason(form, handler.reason === "required");
    const caller = staffCaller(user, request, context as RequestContext, reason);
    const outcome = await handler.run({ form, user, caller, intent });
    if (outcome instanceof Response) return outcome;
    return actionSucceeded(outcome.message, intent, outcome.data);
  } catch (error) {
    if (error instanceof DomainError) return actionFailed(error, intent);
    throw error;
  }
}
