// The one staff form path. Every staff action is a table of intents; each intent names its
// permission, whether it needs a reason, and the zod schema of its form. staffAction checks the
// permission, parses the form with that schema (plus the reason), calls `run` with the typed
// input and a StaffCaller (the same services the API calls), and answers an ActionResult the
// screen turns into a notification and errors next to the fields. Zod's errors and the
// services' DomainErrors become field errors here, and only here; anything else is a bug and goes
// to the error boundary. All of it speaks the staff user's language (ADR 042): `run` gets a `t`
// for its message, zod's issues are said by their code, the forms' own words and the services'
// errors by their locale key (`Say`); an error without a key stays in its English words.
import { json, type ActionFunctionArgs, type TypedResponse } from "@remix-run/node";
import type { TFunction } from "i18next";
import { z } from "zod";
import type { Permission } from "../../auth/roles";
import { requirePermission, type StaffUser } from "../../auth/session.server";
import type { ActionResult } from "../../domain/action-result";
import type { StaffCaller } from "../../domain/caller";
import { DomainError, invalid, invalidFields, REASON_KEYS, type FieldError, type Say } from "../../domain/errors";
import { i18nFor, translator } from "../../i18n/i18n";
import { statusLabel } from "../../i18n/labels";
import { INTL_LOCALE, type Language } from "../../i18n/language";
import { staffLanguage } from "../../i18n/language.server";
import type { RequestContext } from "../context";
import { formObject, reason as reasonField, says } from "./fields";

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
    /** Says the success message in the staff user's language. */
    t: TFunction;
    /** The staff user's language, for counts and money in the message (app/components/use-format.ts). */
    language: Language;
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
  run: (args: {
    input: z.output<S>;
    caller: StaffCaller;
    enabled: boolean;
    t: TFunction;
    language: Language;
  }) => Promise<{ message: string }>;
}): { disable: StaffIntent; enable: StaffIntent } {
  const switchTo = (enabled: boolean) =>
    intent({
      permission: spec.permission,
      reason: enabled ? "optional" : "required",
      schema: spec.schema,
      run: ({ input, caller, t, language }) => spec.run({ input, caller, enabled, t, language }),
    });
  return { disable: switchTo(false), enable: switchTo(true) };
}

/**
 * A message by its locale key, in `language`; its decimal values ("100.00") in that language's
 * numbers, except `typed`: what the user typed, quoted back as it was.
 */
export function sayIn(language: Language, said: Say): string {
  const values: Record<string, string | number> = {};
  const t = translator(language);
  for (const [name, value] of Object.entries(said.values ?? {}))
    values[name] =
      typeof value === "object"
        ? sayIn(language, value)
        : typeof value !== "string" || name === "typed"
          ? value
          : DECIMAL.test(value)
            ? decimalIn(language, value)
            : name === "status"
              ? statusLabel(t, value)
              : name === "name" && i18nFor("en").exists(`errors.parameter.${value}`)
                ? // A URL parameter's name (`from`) is no Norwegian word: said as the reader's.
                  (t as unknown as (key: string) => string)(`errors.parameter.${value}`)
                : value;
  return (t as unknown as (key: string, values: object) => string)(said.key, values);
}

const DECIMAL = /^-?[0-9]+\.[0-9]+$/;
const decimalIn = (language: Language, value: string) =>
  // Intl reads a decimal string exactly: an amount never passes through a float.
  new Intl.NumberFormat(INTL_LOCALE[language], { minimumFractionDigits: 2, maximumFractionDigits: 5 }).format(
    value as unknown as number,
  );

/** Whether a message is a locale key (the forms' own words, app/http/staff/fields.ts `says`). */
const isKey = (message: string) => /^[a-zA-Z]+\.[a-zA-Z0-9_.]+$/.test(message) && i18nFor("en").exists(message);

/** A message said by its key when it has one that this build knows, else its English words. */
function sayOr(language: Language, message: string, said: Say | undefined): string {
  return said && i18nFor("en").exists(said.key) ? sayIn(language, said) : message;
}

/**
 * A zod issue in `language`: a form's own message (a locale key, with the issue's params as its
 * values), else zod's check by its code, else (a check with no words of ours) zod's English.
 */
function issueMessage(issue: z.core.$ZodIssue, language: Language): string {
  // A custom check's params; a size check's bound (a form's own "at most {{max}} …").
  const params: Record<string, string | number> = {
    ...("params" in issue ? (issue.params as Record<string, string | number> | undefined) : undefined),
    ...(issue.code === "too_big" ? { max: Number(issue.maximum) } : {}),
    ...(issue.code === "too_small" ? { min: Number(issue.minimum) } : {}),
  };
  if (isKey(issue.message)) return sayIn(language, { key: issue.message, values: params });
  const say = (key: string, values?: Record<string, string | number>) => sayIn(language, { key, values });
  switch (issue.code) {
    case "invalid_type":
      return say(says("single"));
    case "too_big":
      return issue.origin === "array"
        ? say(says("tooMany"), { max: Number(issue.maximum) })
        : say(says("tooLong"), { max: Number(issue.maximum) });
    case "too_small":
      return issue.origin === "array"
        ? say(says("tooFew"), { min: Number(issue.minimum) })
        : say(says("tooShort"), { min: Number(issue.minimum) });
    case "invalid_value":
      return say(says("oneOf"), { values: issue.values.map(String).join(", ") });
    case "invalid_format":
      return say(says("format"));
    default:
      return issue.message;
  }
}

/**
 * The field errors of a failed parse: the first problem of each field, by the form's field names
 * (forms are flat: a problem with one value of a repeated field is the field's), in `language`.
 */
export function formErrors(error: z.ZodError, language: Language = "en"): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    const field = issue.path.length ? String(issue.path[0]) : "form";
    if (!errors.some((e) => e.field === field)) errors.push({ field, message: issueMessage(issue, language) });
  }
  return errors;
}

export function actionSucceeded(message: string, intent: string | null, data?: Record<string, unknown>) {
  return json<ActionResult>({ ok: true, message, intent, ...(data ? { data } : {}) });
}

/**
 * A refusal as the form shows it: the message and the field errors in `language` when they have
 * a locale key, else the service's English words. Errors that say one thing whoever meets them
 * (four eyes, a busy transaction, a silent provider) are said by their errorReason in Norwegian.
 */
export function actionFailed(
  error: DomainError,
  intent: string | null,
  fieldOnForm = (field: string) => field,
  language: Language = "en",
) {
  const fieldErrors: Record<string, string> = {};
  // A field's error that repeats the whole message (ruleBroken's) is said with the whole's key.
  const said = error.errors.map(({ field, message, say }) => ({
    field,
    message: sayOr(language, message, say ?? (message === error.message ? error.say : undefined)),
  }));
  for (const { field, message } of said) fieldErrors[fieldOnForm(field)] ??= message;
  const byReason = error.errorReason ? REASON_KEYS[error.errorReason] : undefined;
  // English keeps the service's own words for these (they name amounts and thresholds).
  const whole = error.say ?? (byReason && language !== "en" ? { key: byReason } : undefined);
  // A refusal about fields only (a parse) is its fields' errors, each said once: the form shows
  // each beside its field, so the summary does not repeat the field's name (which would be the
  // form's internal one, not a word of the reader's). English keeps the service's words.
  const message =
    whole || language === "en" || error.kind !== "invalid" || !said.length
      ? sayOr(language, error.message, whole)
      : [...new Set(said.map(({ message }) => message))].join(" ");
  return json<ActionResult>({ ok: false, message, intent, fieldErrors }, { status: error.status });
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
  language: Language,
): z.output<S> & { reason: string | null } {
  const object = formObject(form);
  const fields = schema.safeParse(object);
  const reason = z.object({ reason: reasonField(required) }).safeParse(object);
  const errors = [
    ...(fields.success ? [] : formErrors(fields.error, language)),
    ...(reason.success ? [] : formErrors(reason.error, language)),
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
    const user = await requirePermission(request, "dashboard:read");
    const said = { key: says("formSubmission") };
    return actionFailed(
      invalid("body", "must be a form submission", said),
      null,
      undefined,
      staffLanguage(user, request),
    );
  }
  const intentValue = form.get("intent");
  const intent = typeof intentValue === "string" ? intentValue : null;
  const handler = intent !== null && Object.hasOwn(intents, intent) ? intents[intent] : undefined;
  if (intent === null || !handler) {
    // Still require a signed-in user, so an anonymous caller learns nothing about intents.
    const user = await requirePermission(request, "dashboard:read");
    const choices = Object.keys(intents).join(", ");
    const said = { key: says("oneOf"), values: { values: choices } };
    return actionFailed(
      invalid("intent", `must be one of ${choices}`, said),
      intent,
      undefined,
      staffLanguage(user, request),
    );
  }
  const user = await requirePermission(request, handler.permission);
  const language = staffLanguage(user, request);
  let input: { reason: string | null } | undefined;
  try {
    input = parseWithReason(handler.schema, handler.reason === "required", form, language);
    const caller = staffCaller(user, request, context as RequestContext, input.reason);
    const outcome = await handler.run({ input, user, caller, intent, t: translator(language), language });
    if (outcome instanceof Response) return outcome;
    return actionSucceeded(outcome.message, intent, outcome.data);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const parsed = input;
    const fieldOnForm =
      handler.fieldOnForm && parsed ? (field: string) => handler.fieldOnForm!(field, parsed) : undefined;
    return actionFailed(error, intent, fieldOnForm, language);
  }
}
