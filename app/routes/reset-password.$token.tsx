// A password reset link an admin issued (Users screen): whoever opens it while it is good
// (30 minutes, once) sets a new password for that user. Every session of the user ends; the
// second factor stays, so the next login still asks for its code.
import { Alert, Anchor, Button, PasswordInput, Stack, Text } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../auth/password-policy.server";
import { AuthCard } from "../components/AuthCard";
import { DomainError } from "../domain/errors";
import { translator } from "../i18n/i18n";
import { matchedLanguage } from "../i18n/meta";
import { formErrors } from "../http/staff/action.server";
import { formObject } from "../http/staff/fields";
import { ResetPasswordForm } from "../http/staff/forms/account";
import { passwordResetFor, redeemPasswordReset } from "../services/admin/staff-account.server";

export const meta: MetaFunction = ({ matches }) => {
  const t = translator(matchedLanguage(matches));
  return [
    { title: t("common.pageTitle", { title: t("admin.resetPassword.metaTitle") }) },
    // The token is in the path: keep the page out of any index, and its address out of Referer.
    { name: "robots", content: "noindex" },
    { name: "referrer", content: "no-referrer" },
  ];
};

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
  const { t } = useTranslation();

  if (data?.ok) {
    return (
      <AuthCard title={t("admin.resetPassword.setTitle")} subtitle={data.email}>
        <Alert color="teal" role="status">
          {t("admin.resetPassword.setText")}
        </Alert>
        <Button component={Link} to="/login" fullWidth>
          {t("admin.resetPassword.logIn")}
        </Button>
      </AuthCard>
    );
  }
  if (!email || (data && !data.ok && data.gone)) {
    return (
      <AuthCard title={t("admin.resetPassword.goneTitle")} subtitle={t("admin.resetPassword.goneSubtitle")}>
        <Text size="sm">{t("admin.resetPassword.goneText")}</Text>
        <Anchor component={Link} to="/login" size="sm">
          {t("admin.resetPassword.backToLogin")}
        </Anchor>
      </AuthCard>
    );
  }
  const errors = data && !data.ok ? data.fieldErrors : {};
  return (
    <AuthCard title={t("admin.resetPassword.title")} subtitle={email}>
      <Form method="post" noValidate>
        <Stack>
          <PasswordInput
            name="newPassword"
            label={t("admin.resetPassword.newPassword")}
            description={t("admin.resetPassword.lengths", lengths)}
            autoComplete="new-password"
            required
            autoFocus
            error={errors.newPassword}
          />
          <PasswordInput
            name="confirmPassword"
            label={t("admin.resetPassword.again")}
            autoComplete="new-password"
            required
            error={errors.confirmPassword}
          />
          <Button type="submit" loading={navigation.state !== "idle"} fullWidth>
            {t("admin.resetPassword.submit")}
          </Button>
        </Stack>
      </Form>
    </AuthCard>
  );
}
