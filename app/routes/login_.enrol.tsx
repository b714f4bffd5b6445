// Enrolling a second factor: on the first login of a finance or admin user (their session waits
// here until it is done), or when a support user chooses to from their account page. The page
// offers a new TOTP secret (as a QR code, as text, and as its otpauth:// URI, for any
// authenticator app); a code from the app confirms it. Then the recovery codes are shown once.
import { Alert, Anchor, Button, Code, Group, List, Stack, Text, TextInput } from "@mantine/core";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { renderSVG } from "uqr";
import { z } from "zod";
import { secondFactorRequired } from "../auth/roles";
import { safeRedirect } from "../auth/safe-redirect";
import { enrolSecondFactor } from "../auth/second-factor.server";
import {
  TOO_MANY_CODES,
  completeLogin,
  endOtherSessions,
  getEnrolmentSession,
  getPendingSession,
  getStaffUser,
  offerTotpCandidate,
  recordWrongCode,
  setCookieHeaders,
  stepPath,
  type StaffSession,
} from "../auth/session.server";
import { groupedSecret, newTotpSecret, totpUri } from "../auth/totp.server";
import { AuthCard } from "../components/AuthCard";
import { LoginStepForm } from "../components/LoginForm";
import { staffCaller } from "../http/staff/action.server";
import { useTranslation } from "react-i18next";
import { translator } from "../i18n/i18n";
import { staffLanguage } from "../i18n/language.server";
import { metaTitle } from "../i18n/meta";

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, "auth.enrol.metaTitle");

// A document POST (no JavaScript) takes the new session's cookie from the action.
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

type EnrolActionData =
  | { ok: true; recoveryCodes: string[]; next: string }
  | { ok: false; fieldErrors?: { code?: string }; formError?: string };

const codeForm = (t: ReturnType<typeof translator>) =>
  z.object({
    code: z.string().trim().min(1, t("auth.errors.enterCodeShown")).max(64, t("auth.errors.notACode")),
    redirectTo: z.string().optional(),
  });

/** The session that may enrol; a login waiting for its code goes to the code page. */
async function enrolmentSession(request: Request): Promise<StaffSession | null> {
  const session = await getEnrolmentSession(request);
  if (session) return session;
  const pending = await getPendingSession(request);
  if (pending) throw redirect(stepPath(pending.step, new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

// Without a session that may enrol, the page says so rather than redirecting: it is also what
// renders the answer of a document POST (no JavaScript), whose request still carries the cookie
// of the session the enrolment replaced, and the recovery codes must show then.
export async function loader({ request }: LoaderFunctionArgs) {
  const session = await enrolmentSession(request);
  if (!session) return json({ offer: null, signedIn: (await getStaffUser(request)) !== null });
  let secret = session.totpCandidate;
  if (!secret) {
    secret = newTotpSecret();
    await offerTotpCandidate(session, secret);
  }
  const uri = totpUri(secret, session.user.email);
  return json({
    offer: {
      email: session.user.email,
      required: secondFactorRequired(session.user.role),
      secret: groupedSecret(secret),
      uri,
      qrSvg: renderSVG(uri, { border: 2 }),
    },
    signedIn: true,
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await enrolmentSession(request);
  if (!session) throw redirect("/login");
  const t = translator(staffLanguage(session.user, request));
  const parsed = codeForm(t).safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    return json<EnrolActionData>({ ok: false, fieldErrors: { code: parsed.error.issues[0].message } }, { status: 400 });
  }
  if (!session.totpCandidate) {
    return json<EnrolActionData>({ ok: false, formError: t("auth.errors.reloadForSecret") }, { status: 409 });
  }
  const enrolled = await enrolSecondFactor(staffCaller(session.user, request, context, null), {
    userId: session.user.id,
    email: session.user.email,
    secret: session.totpCandidate,
    code: parsed.data.code,
  });
  if (!enrolled.ok) {
    if (session.step === "enrol" && !(await recordWrongCode(session, request, context))) throw redirect(TOO_MANY_CODES);
    return json<EnrolActionData>(
      {
        ok: false,
        fieldErrors: { code: t("auth.errors.wrongEnrolCode") },
      },
      { status: 400 },
    );
  }
  // A new session in place of this one: a login completes; a signed-in user's other sessions end.
  const setCookie =
    session.step === "enrol"
      ? await completeLogin(session, request, context, "enrolled")
      : await endOtherSessions(request, context, session.user);
  const next = safeRedirect(parsed.data.redirectTo, session.step === "enrol" ? "/" : "/me");
  return json<EnrolActionData>(
    { ok: true, recoveryCodes: enrolled.recoveryCodes, next },
    { headers: setCookieHeaders(setCookie) },
  );
}

export default function EnrolPage() {
  const { offer, signedIn } = useLoaderData<typeof loader>();
  const data = useActionData<EnrolActionData>();
  const { t } = useTranslation();
  if (data?.ok) return <RecoveryCodes codes={data.recoveryCodes} next={data.next} />;
  if (offer) return <EnrolForm offer={offer} error={data && !data.ok ? data : undefined} />;
  return (
    <AuthCard
      title={t("auth.enrol.doneTitle")}
      subtitle={signedIn ? t("auth.enrol.isOn") : t("auth.enrol.notLoggedIn")}
    >
      <Button component={Link} to={signedIn ? "/me" : "/login"} fullWidth>
        {signedIn ? t("auth.enrol.yourAccount") : t("auth.logIn")}
      </Button>
    </AuthCard>
  );
}

type Offer = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["offer"]>;

function EnrolForm({
  offer: { email, required, secret, uri, qrSvg },
  error,
}: {
  offer: Offer;
  error: Extract<EnrolActionData, { ok: false }> | undefined;
}) {
  const { t } = useTranslation();
  return (
    <AuthCard
      width={520}
      title={t("auth.enrol.title")}
      subtitle={required ? t("auth.enrol.subtitleRequired", { email }) : t("auth.enrol.subtitleOptional", { email })}
      footer={
        <Anchor component={Link} to={required ? "/login" : "/me"} size="xs">
          {required ? t("auth.enrol.backToLogin") : t("auth.enrol.backToAccount")}
        </Anchor>
      }
    >
      {error?.formError ? (
        <Alert color="red" role="alert">
          {error.formError}
        </Alert>
      ) : null}
      <List type="ordered" size="sm" spacing="xs">
        <List.Item>{t("auth.enrol.step1")}</List.Item>
        <List.Item>{t("auth.enrol.step2")}</List.Item>
        <List.Item>{t("auth.enrol.step3")}</List.Item>
      </List>
      <Group align="flex-start" wrap="wrap" gap="md">
        <div
          role="img"
          aria-label={t("auth.enrol.qrLabel", { email })}
          style={{ width: 180, height: 180, flex: "none" }}
          dangerouslySetInnerHTML={{ __html: qrSvg }}
        />
        <Stack gap={4} style={{ flex: 1, minWidth: 200 }}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t("auth.enrol.secret")}
          </Text>
          <Code data-testid="totp-secret" fz="sm" style={{ wordBreak: "break-all" }}>
            {secret}
          </Code>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600} mt="xs">
            {t("auth.enrol.orOpenLink")}
          </Text>
          <Anchor href={uri} size="xs" style={{ wordBreak: "break-all" }} data-testid="totp-uri">
            {uri}
          </Anchor>
        </Stack>
      </Group>
      <LoginStepForm submitLabel={t("auth.enrol.turnOn")}>
        <TextInput
          label={t("auth.enrol.codeLabel")}
          name="code"
          autoComplete="one-time-code"
          inputMode="numeric"
          required
          error={error?.fieldErrors?.code}
        />
      </LoginStepForm>
    </AuthCard>
  );
}

/** The recovery codes, once, right after they were made. */
function RecoveryCodes({ codes, next }: { codes: string[]; next: string }) {
  const { t } = useTranslation();
  return (
    <AuthCard width={520} title={t("auth.enrol.codesTitle")} subtitle={t("auth.enrol.isOn")}>
      <Alert color="yellow" title={t("auth.enrol.shownOnce")}>
        {t("auth.enrol.codesAdvice")}
      </Alert>
      <Code block data-testid="recovery-codes" fz="sm">
        {codes.join("\n")}
      </Code>
      <Button component={Link} to={next} fullWidth>
        {t("auth.enrol.saved")}
      </Button>
    </AuthCard>
  );
}
