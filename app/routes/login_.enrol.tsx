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

export const meta: MetaFunction = () => [{ title: "Set up your second factor · Paydesk" }];

// A document POST (no JavaScript) takes the new session's cookie from the action.
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

type EnrolActionData =
  | { ok: true; recoveryCodes: string[]; next: string }
  | { ok: false; fieldErrors?: { code?: string }; formError?: string };

const CodeForm = z.object({
  code: z.string().trim().min(1, "Enter the code your app shows").max(64, "That is not a code"),
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
  const parsed = CodeForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    return json<EnrolActionData>({ ok: false, fieldErrors: { code: parsed.error.issues[0].message } }, { status: 400 });
  }
  if (!session.totpCandidate) {
    return json<EnrolActionData>({ ok: false, formError: "Reload the page to get your secret." }, { status: 409 });
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
        fieldErrors: { code: "That is not the code of this secret. Check the app's clock and type the current one." },
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
  if (data?.ok) return <RecoveryCodes codes={data.recoveryCodes} next={data.next} />;
  if (offer) return <EnrolForm offer={offer} error={data && !data.ok ? data : undefined} />;
  return (
    <AuthCard title="Second factor" subtitle={signedIn ? "Your second factor is on." : "You are not logged in."}>
      <Button component={Link} to={signedIn ? "/me" : "/login"} fullWidth>
        {signedIn ? "Your account" : "Log in"}
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
  return (
    <AuthCard
      width={520}
      title="Set up your second factor"
      subtitle={
        required
          ? `Your role logs in with a code from an authenticator app as well (${email}).`
          : `Log in with a code from an authenticator app as well (${email}).`
      }
      footer={
        <Anchor component={Link} to={required ? "/login" : "/me"} size="xs">
          {required ? "Not now: back to the login" : "Not now: back to my account"}
        </Anchor>
      }
    >
      {error?.formError ? (
        <Alert color="red" role="alert">
          {error.formError}
        </Alert>
      ) : null}
      <List type="ordered" size="sm" spacing="xs">
        <List.Item>Open an authenticator app (any that reads TOTP codes) and add an account.</List.Item>
        <List.Item>Scan this QR code, or type the secret below into the app.</List.Item>
        <List.Item>Type the 6-digit code the app shows.</List.Item>
      </List>
      <Group align="flex-start" wrap="wrap" gap="md">
        <div
          role="img"
          aria-label={`QR code of the secret for ${email}`}
          style={{ width: 180, height: 180, flex: "none" }}
          dangerouslySetInnerHTML={{ __html: qrSvg }}
        />
        <Stack gap={4} style={{ flex: 1, minWidth: 200 }}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Secret
          </Text>
          <Code data-testid="totp-secret" fz="sm" style={{ wordBreak: "break-all" }}>
            {secret}
          </Code>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600} mt="xs">
            Or open this link on the phone
          </Text>
          <Anchor href={uri} size="xs" style={{ wordBreak: "break-all" }} data-testid="totp-uri">
            {uri}
          </Anchor>
        </Stack>
      </Group>
      <LoginStepForm submitLabel="Turn on">
        <TextInput
          label="Code from the app"
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
  return (
    <AuthCard width={520} title="Your recovery codes" subtitle="Your second factor is on.">
      <Alert color="yellow" title="Shown only this once">
        Keep these codes somewhere safe, apart from your phone (a password manager, or printed). Each logs you in once
        in place of a code from the app, if the phone is lost. Paydesk keeps only their hashes.
      </Alert>
      <Code block data-testid="recovery-codes" fz="sm">
        {codes.join("\n")}
      </Code>
      <Button component={Link} to={next} fullWidth>
        I have saved them: continue
      </Button>
    </AuthCard>
  );
}
