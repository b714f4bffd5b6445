// The one staff form path. Every staff action is a table of intents; each intent names its
// permission, whether it needs a reason, and the zod schema of its form. staffAction checks the
// permission, parses the form with that schema (plus the reason), calls `run` with the typed
// input and a StaffCaller (the same services the API calls), and answers an ActionResult the
// screen turns into a notification and errors next to the fields. Zod's errors and the
// services' DomainErrors become field errors here, and only here; anything else is a bug and goes
// to the error boundary.
import { json, type ActionFunctionArgs, type TypedResponse } from "@remix-run/node";
import { z } from "zod";
import type { Permission } from "../../auth/roles";
import { requirePermission, type StaffUser } from "../../auth/session.server";
import type { ActionResult } from "../../domain/action-result";
import type { StaffCaller } from "../../domain/caller";
import { DomainError, invalid, invalidFields, type FieldError } from "../../domain/errors";
import type { RequestContext } from "../context";
import { formObject, reason as reasonField } from "./fields";

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

/** A form's schema: an object of its fields (the reason is added by staffAction). */
export type FormSchema = z.ZodType;

export type StaffIntent<S extends FormSchema = FormSchema> = {
  permission: Permission;
  /** Whether the form must say why (every action that moves money). */
  reason: "required" | "optional";
  /** The form's fields; parsed after the permission check, before `run`. */
  schema: S;
  run: (args: {
    /** The form, parsed by `schema`. */
    input: z.output<S>;
    user: StaffUser;
    /** The caller to hand to services; carries the reason for the audit entry. */
    caller: StaffCaller;
    intent: string;
  }) => Promise<{ message: string; data?: Record<string, unknown> } | Response>;
  /**
   * Where a service's error about `field` shows on this form, when the service names its input
   * differently (a credit line by position, where the form has one field per transaction).
   */
  fieldOnForm?: (field: string, input: z.output<S>) => string;
};

/** Declares an intent, so that `run` gets its schema's output type. */
export function intent<S extends FormSchema>(spec: StaffIntent<S>): StaffIntent {
  return spec as unknown as StaffIntent;
}

/**
 * The `disable` and `enable` intents of something an admin switches off and on again (a staff
 * user, an API client, a payment method): disabling must say why, enabling may. `run` switches
 * it (`enabled` is what it becomes) and says what happened.
 */
export function switchIntents<S extends FormSchema>(spec: {
  permission: Permission;
  schema: S;
  run: (args: { input: z.output<S>; caller: StaffCaller; enabled: boolean }) => Promise<{ message: string }>;
}): { disable: StaffIntent; enable: StaffIntent } {
  const switchTo = (enabled: boolean) =>
    intent({
      permission: spec.permission,
      reason: enabled ? "optional" : "required",
      schema: spec.schema,
      run: ({ input, caller }) => spec.run({ input, caller, enabled }),
    });
  return { disable: switchTo(false), enable: switchTo(true) };
}

/**
 * The field errors of a failed parse: the first problem of each field, by the form's field names
 * (forms are flat: a problem with one value of a repeated field is the field's).
 */
export function formErrors(error: z.ZodError): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    const field = issue.path.length ? String(issue.path[0]) : "form";
    if (!errors.some((e) => e.field === field)) errors.push({ field, message: issue.message });
  }
  return errors;
}

export function actionSucceeded(message: string, intent: string | null, data?: Record<string, unknown>) {
  return json<ActionResult>({ ok: true, message, intent, ...(data ? { data } : {}) });
}

export function actionFailed(error: DomainError, intent: string | null, fieldOnForm = (field: string) => field) {
  const fieldErrors: Record<string, string> = {};
  for (const { field, message } of error.errors) fieldErrors[fieldOnForm(field)] ??= message;
  return json<ActionResult>({ ok: false, message: error.message, intent, fieldErrors }, { status: error.status });
}

/**
 * The form parsed by its schema, and its reason by the reason's; all problems of both come back
 * together. (Not a zod intersection: a loose schema keeps `reason` as posted while the reason's
 * schema trims it, and zod throws on such an unmergeable pair instead of failing the parse.)
 */
function parseWithReason<S extends FormSchema>(
  schema: S,
  required: boolean,
  form: FormData,
): z.output<S> & { reason: string | null } {
  const object = formObject(form);
  const fields = schema.safeParse(object);
  const reason = z.object({ reason: reasonField(required) }).safeParse(object);
  const errors = [
    ...(fields.success ? [] : formErrors(fields.error)),
    ...(reason.success ? [] : formErrors(reason.error)),
  ];
  if (!fields.success || !reason.success) throw invalidFields(errors);
  return Object.assign(fields.data as object, { reason: reason.data.reason }) as z.output<S> & {
    reason: string | null;
  };
}

/**
 * A route action dispatching on the form's `intent`, each with its own permission. An unknown
 * intent is a 400; a role without the permission gets the 403 of requirePermission before the
 * form is even read, so a forged POST changes nothing.
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
  if (intent === null || !handler) {
    // Still require a signed-in user, so an anonymous caller learns nothing about intents.
    await requirePermission(request, "dashboard:read");
    return actionFailed(invalid("intent", `must be one of ${Object.keys(intents).join(", ")}`), intent);
  }
  const user = await requirePermission(request, handler.permission);
  let input: { reason: string | null } | undefined;
  try {
    input = parseWithReason(handler.schema, handler.reason === "required", form);
    const caller = staffCaller(user, request, context as RequestContext, input.reason);
    const outcome = await handler.run({ input, user, caller, intent });
    if (outcome instanceof Response) return outcome;
    return actionSucceeded(outcome.message, intent, outcome.data);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const parsed = input;
    const fieldOnForm =
      handler.fieldOnForm && parsed ? (field: string) => handler.fieldOnForm!(field, parsed) : undefined;
    return actionFailed(error, intent, fieldOnForm);
  }
}
