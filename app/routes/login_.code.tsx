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

export const meta: MetaFunction = () => [{ title: "Second step · Paydesk" }];

type CodeActionData = { fieldErrors?: { code?: string } };

const CodeForm = z.object({
  code: z.string().trim().min(1, "Enter the code from your app").max(64, "That is not a code"),
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
  const parsed = CodeForm.safeParse(Object.fromEntries(await request.formData()));
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
  return json<CodeActionData>(
    { fieldErrors: { code: "That code is not right, or was used already. Type the one your app shows now." } },
    { status: 401 },
  );
}

export default function LoginCodePage() {
  const { email } = useLoaderData<typeof loader>();
  const data = useActionData<CodeActionData>();
  return (
    <AuthCard
      title="Second step"
      subtitle={`Logging in as ${email}`}
      footer={
        <>
          Lost your phone and your recovery codes? An admin can reset your second factor.{" "}
          <Anchor component={Link} to="/login" size="xs">
            Start over
          </Anchor>
        </>
      }
    >
      <LoginStepForm submitLabel="Continue">
        <TextInput
          label="Code"
          name="code"
          description="The 6-digit code from your authenticator app, or one of your recovery codes."
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
