// The signed-in staff user's own account: change the password (their other sessions end), see
// their second factor, renew its recovery codes, or (support, for whom it is optional) set one
// up or turn it off. Every action confirms with the current password and is audited as the user.
import { Badge, Button, Group, Paper, PasswordInput, Stack, Text, Title } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../auth/password-policy.server";
import { secondFactorRequired } from "../auth/roles";
import { unusedRecoveryCodes } from "../auth/second-factor.server";
import { endOtherSessions, requireStaffUser } from "../auth/session.server";
import { ActionModal } from "../components/ActionModal";
import { ColorSchemeControl } from "../components/ColorSchemeMenu";
import { PageHeader } from "../components/list-parts";
import { OneTimeSecret, type Secret } from "../components/OneTimeSecret";
import { actionSucceeded, intent, staffAction } from "../http/staff/action.server";
import { ChangePasswordForm, ConfirmWithPasswordForm } from "../http/staff/forms/account";
import { changeOwnPassword, renewRecoveryCodes, turnOffSecondFactor } from "../services/admin/staff-account.server";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction = () => [{ title: "Your account · Paydesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaffUser(request);
  return json({
    hasSecondFactor: user.hasSecondFactor,
    required: secondFactorRequired(user.role),
    recoveryCodesLeft: user.hasSecondFactor ? await unusedRecoveryCodes(user.id) : 0,
    passwordLengths: { min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD_LENGTH },
  });
}

// Every staff user may act on their own account: the permission asked is the one every role has.
export const action = (args: ActionFunctionArgs) =>
  staffAction(args, {
    "change-password": intent({
      permission: "dashboard:read",
      reason: "optional",
      schema: ChangePasswordForm,
      run: async ({ input, user, caller }) => {
        await changeOwnPassword(caller, input);
        const setCookie = await endOtherSessions(args.request, args.context, user);
        const answer = actionSucceeded("Your password is changed; your other sessions have ended", "change-password");
        answer.headers.set("Set-Cookie", setCookie);
        return answer;
      },
    }),
    "renew-recovery-codes": intent({
      permission: "dashboard:read",
      reason: "optional",
      schema: ConfirmWithPasswordForm,
      run: async ({ input, caller }) => {
        const codes = await renewRecoveryCodes(caller, input);
        return { message: "New recovery codes; the old ones no longer work", data: { recoveryCodes: codes } };
      },
    }),
    "turn-off-second-factor": intent({
      permission: "dashboard:read",
      reason: "optional",
      schema: ConfirmWithPasswordForm,
      run: async ({ input, caller }) => {
        await turnOffSecondFactor(caller, input);
        return { message: "Your second factor is off; log in again" };
      },
    }),
  });

function PasswordField({
  name,
  label,
  error,
  description,
}: {
  name: string;
  label: string;
  error?: string;
  description?: string;
}) {
  return (
    <PasswordInput
      name={name}
      label={label}
      description={description}
      autoComplete={name === "currentPassword" ? "current-password" : "new-password"}
      required
      error={error}
    />
  );
}

export default function AccountPage() {
  const { hasSecondFactor, required, recoveryCodesLeft, passwordLengths } = useLoaderData<typeof loader>();
  const [secret, setSecret] = useState<Secret | null>(null);
  return (
    <Stack gap="md" maw={720}>
      <PageHeader title="Your account" description="Your password and your second factor." />

      <Paper withBorder p="md">
        <Stack gap="sm" align="flex-start">
          <Title order={2} size="h4">
            Colour scheme
          </Title>
          <ColorSchemeControl />
        </Stack>
      </Paper>

      <Paper withBorder p="md">
        <Stack gap="sm">
          <Title order={2} size="h4">
            Password
          </Title>
          <Text size="sm" c="dimmed">
            {passwordLengths.min} to {passwordLengths.max} characters, not one of the common passwords attackers try
            first. Changing it ends your sessions in other browsers.
          </Text>
          <Group>
            <ActionModal
              label="Change password"
              title="Change your password"
              intent="change-password"
              reason="none"
              buttonProps={{ variant: "default", "data-testid": "change-password" }}
              fields={(errors) => (
                <>
                  <PasswordField name="currentPassword" label="Current password" error={errors.currentPassword} />
                  <PasswordField
                    name="newPassword"
                    label="New password"
                    description={`${passwordLengths.min} to ${passwordLengths.max} characters`}
                    error={errors.newPassword}
                  />
                  <PasswordField name="confirmPassword" label="New password again" error={errors.confirmPassword} />
                </>
              )}
            />
          </Group>
        </Stack>
      </Paper>

      <Paper withBorder p="md">
        <Stack gap="sm">
          <Group gap="sm">
            <Title order={2} size="h4">
              Second factor
            </Title>
            <Badge color={hasSecondFactor ? "teal" : "gray"} variant="light" data-testid="second-factor-state">
              {hasSecondFactor ? "on" : "off"}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed">
            {hasSecondFactor
              ? `You log in with a code from your authenticator app. ${recoveryCodesLeft} of your recovery codes are unused.`
              : "Log in with a code from an authenticator app as well as your password."}
            {required ? " Your role requires it." : null}
          </Text>
          <Group>
            {hasSecondFactor ? (
              <ActionModal
                label="New recovery codes"
                title="New recovery codes"
                intent="renew-recovery-codes"
                reason="none"
                description="Ten new codes in place of the old ones, which stop working."
                buttonProps={{ variant: "default" }}
                fields={(errors) => (
                  <PasswordField name="currentPassword" label="Your password" error={errors.currentPassword} />
                )}
                onSuccess={(result) => {
                  const codes = result.data?.recoveryCodes;
                  if (Array.isArray(codes))
                    setSecret({
                      title: "Your recovery codes",
                      label: "Each logs you in once in place of a code from the app",
                      value: codes.join("\n"),
                      note: "Keep them somewhere safe, apart from your phone. Paydesk keeps only their hashes.",
                    });
                }}
              />
            ) : (
              <Button component={Link} to="/login/enrol?redirectTo=%2Fme" variant="default">
                Set up a second factor
              </Button>
            )}
            {hasSecondFactor && !required ? (
              <ActionModal
                label="Turn off"
                title="Turn off your second factor"
                intent="turn-off-second-factor"
                reason="none"
                color="red"
                description="You will log in with your password alone, and your sessions end now."
                buttonProps={{ variant: "light", color: "red" }}
                fields={(errors) => (
                  <PasswordField name="currentPassword" label="Your password" error={errors.currentPassword} />
                )}
                onSuccess={() => window.location.assign("/login")}
              />
            ) : null}
          </Group>
        </Stack>
      </Paper>
      <OneTimeSecret secret={secret} onClose={() => setSecret(null)} />
    </Stack>
  );
}
