// The staff login's second step: a code from the authenticator app (TOTP), or one of the
// recovery codes when the phone is gone. Five wrong codes end the pending session: the password
// must be typed again (app/auth/session.server.ts).
import { Anchor, TextInput } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { safeRedirect } from "../auth/safe-redirect";
import { acceptTotpCode, redeemRecoveryCode } from "../auth/second-factor.server";
import {
  TOO_MANY_CODES,
  completeLogin,
  getPendingSession,
  getStaffUser,
  recordWrongCode,
  setCookieHeaders,
  stepPath,
  type PendingSession,
} from "../auth/session.server";
import { looksLikeRecoveryCode } from "../auth/totp.server";
import { AuthCard } from "../components/AuthCard";
import { LoginStepForm } from "../components/LoginForm";
import { useTranslation } from "react-i18next";
import { translator } from "../i18n/i18n";
import { browserLanguage } from "../i18n/language.server";
import { metaTitle } from "../i18n/meta";

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, "auth.code.metaTitle");

type CodeActionData = { fieldErrors?: { code?: string } };

const codeForm = (t: ReturnType<typeof translator>) =>
  z.object({
    code: z.string().trim().min(1, t("auth.errors.enterCode")).max(64, t("auth.errors.notACode")),
    redirectTo: z.string().optional(),
  });

/** The pending session of this step; anyone else goes where their login stands. */
async function pendingOrRedirect(request: Request): Promise<PendingSession> {
  const back = new URL(request.url).searchParams.get("redirectTo");
  const pending = await getPendingSession(request);
  if (pending?.step === "totp") return pending;
  if (pending) throw redirect(stepPath(pending.step, back));
  if (await getStaffUser(request)) throw redirect(safeRedirect(back));
  throw redirect(back ? `/login?${new URLSearchParams({ redirectTo: safeRedirect(back) })}` : "/login");
}

export async function loader({ request }: LoaderFunctionArgs) {
  const pending = await pendingOrRedirect(request);
  return json({ email: pending.user.email });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const pending = await pendingOrRedirect(request);
  const t = translator(browserLanguage(request));
  const parsed = codeForm(t).safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    return json<CodeActionData>({ fieldErrors: { code: parsed.error.issues[0].message } }, { status: 400 });
  }
  const { code } = parsed.data;
  const how = looksLikeRecoveryCode(code)
    ? (await redeemRecoveryCode(pending.user.id, code)) && "recovery_code"
    : (await acceptTotpCode(pending.user.id, code)) && "totp";
  if (how) {
    const setCookie = await completeLogin(pending, request, context, how);
    return redirect(safeRedirect(parsed.data.redirectTo), { headers: setCookieHeaders(setCookie) });
  }
  if (!(await recordWrongCode(pending, request, context))) throw redirect(TOO_MANY_CODES);
  return json<CodeActionData>({ fieldErrors: { code: t("auth.errors.wrongCode") } }, { status: 401 });
}

export default function LoginCodePage() {
  const { email } = useLoaderData<typeof loader>();
  const data = useActionData<CodeActionData>();
  const { t } = useTranslation();
  return (
    <AuthCard
      title={t("auth.code.title")}
      subtitle={t("auth.code.subtitle", { email })}
      footer={
        <>
          {t("auth.code.footer")}{" "}
          <Anchor component={Link} to="/login" size="xs">
            {t("auth.code.startOver")}
          </Anchor>
        </>
      }
    >
      <LoginStepForm submitLabel={t("auth.continue")}>
        <TextInput
          label={t("auth.code.label")}
          name="code"
          description={t("auth.code.description")}
          autoComplete="one-time-code"
          inputMode="text"
          required
          autoFocus
          error={data?.fieldErrors?.code}
        />
      </LoginStepForm>
    </AuthCard>
  );
}
