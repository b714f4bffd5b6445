// A password reset link an admin issued (Users screen): whoever opens it while it is good
// (30 minutes, once) sets a new password for that user. Every session of the user ends; the
// second factor stays, so the next login still asks for its code.
import { Alert, Anchor, Button, PasswordInput, Stack, Text } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../auth/password-policy.server";
import { AuthCard } from "../components/AuthCard";
import { DomainError } from "../domain/errors";
import { formErrors } from "../http/staff/action.server";
import { formObject } from "../http/staff/fields";
import { ResetPasswordForm } from "../http/staff/forms/account";
import { passwordResetFor, redeemPasswordReset } from "../services/admin/staff-account.server";

export const meta: MetaFunction = () => [
  { title: "Set a new password · Paydesk" },
  // The token is in the path: keep the page out of any index, and its address out of Referer.
  { name: "robots", content: "noindex" },
  { name: "referrer", content: "no-referrer" },
];

type ResetActionData = { ok: true; email: string } | { ok: false; gone?: boolean; fieldErrors: Record<string, string> };

export async function loader({ params }: LoaderFunctionArgs) {
  const reset = await passwordResetFor(params.token ?? "");
  return json(
    { email: reset?.email ?? null, lengths: { min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD_LENGTH } },
    { status: reset ? 200 : 410 },
  );
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const parsed = ResetPasswordForm.safeParse(formObject(await request.formData()));
  if (!parsed.success) {
    const fieldErrors = Object.fromEntries(formErrors(parsed.error).map((e) => [e.field, e.message]));
    return json<ResetActionData>({ ok: false, fieldErrors }, { status: 400 });
  }
  try {
    const { email } = await redeemPasswordReset(
      { token: params.token ?? "", newPassword: parsed.data.newPassword },
      { correlationId: context.correlationId, ip: context.clientIp, userAgent: request.headers.get("user-agent") },
    );
    return json<ResetActionData>({ ok: true, email });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (error.kind === "not_found")
      return json<ResetActionData>({ ok: false, gone: true, fieldErrors: {} }, { status: 410 });
    const fieldErrors = Object.fromEntries(error.errors.map((e) => [e.field, e.message]));
    return json<ResetActionData>({ ok: false, fieldErrors }, { status: error.status });
  }
}

export default function ResetPasswordPage() {
  const { email, lengths } = useLoaderData<typeof loader>();
  const data = useActionData<ResetActionData>();
  const navigation = useNavigation();

  if (data?.ok) {
    return (
      <AuthCard title="Password set" subtitle={data.email}>
        <Alert color="teal" role="status">
          Your new password is set, and every session you had open has ended.
        </Alert>
        <Button component={Link} to="/login" fullWidth>
          Log in
        </Button>
      </AuthCard>
    );
  }
  if (!email || (data && !data.ok && data.gone)) {
    return (
      <AuthCard title="Link no longer works" subtitle="Password reset">
        <Text size="sm">
          This reset link was used already, has expired (links work for 30 minutes) or was replaced by a newer one. Ask
          an admin for a new one.
        </Text>
        <Anchor component={Link} to="/login" size="sm">
          Back to the login
        </Anchor>
      </AuthCard>
    );
  }
  const errors = data && !data.ok ? data.fieldErrors : {};
  return (
    <AuthCard title="Set a new password" subtitle={email}>
      <Form method="post" noValidate>
        <Stack>
          <PasswordInput
            name="newPassword"
            label="New password"
            description={`${lengths.min} to ${lengths.max} characters, not a common one.`}
            autoComplete="new-password"
            required
            autoFocus
            error={errors.newPassword}
          />
          <PasswordInput
            name="confirmPassword"
            label="New password again"
            autoComplete="new-password"
            required
            error={errors.confirmPassword}
          />
          <Button type="submit" loading={navigation.state !== "idle"} fullWidth>
            Set password
          </Button>
        </Stack>
      </Form>
    </AuthCard>
  );
}
