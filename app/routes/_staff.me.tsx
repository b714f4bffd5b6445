// The signed-in staff user's own account: change the password (their other sessions end), see
// their second factor, renew its recovery codes, or (support, for whom it is optional) set one
// up or turn it off. Every action confirms with the current password and is audited as the user.
import { Badge, Button, Group, Paper, PasswordInput, Radio, Stack, Text, Title } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useState } from "react";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../auth/password-policy.server";
import { secondFactorRequired } from "../auth/roles";
import { unusedRecoveryCodes } from "../auth/second-factor.server";
import { endOtherSessions, requireStaffUser } from "../auth/session.server";
import { ActionModal } from "../components/ActionModal";
import { ColorSchemeControl } from "../components/ColorSchemeMenu";
import { PageHeader } from "../components/list-parts";
import { OneTimeSecret, showSecretIn, type Secret } from "../components/OneTimeSecret";
import { shownValue, useSavedChoice } from "../components/use-saved-choice";
import { actionSucceeded, intent, staffAction, type FormSchema, type StaffIntent } from "../http/staff/action.server";
import { ChangePasswordForm, ConfirmWithPasswordForm, SetLanguageForm } from "../http/staff/forms/account";
import { LANGUAGE_NAMES, LANGUAGES, type Language } from "../i18n/language";
import { browserLanguage, languageCookie, staffLanguage } from "../i18n/language.server";
import { translator } from "../i18n/i18n";
import { metaTitle } from "../i18n/meta";
import {
  changeOwnPassword,
  renewRecoveryCodes,
  setOwnLanguage,
  turnOffSecondFactor,
} from "../services/admin/staff-account.server";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, "me.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaffUser(request);
  return json({
    hasSecondFactor: user.hasSecondFactor,
    language: user.language,
    browserLanguage: browserLanguage(request),
    required: secondFactorRequired(user.role),
    recoveryCodesLeft: user.hasSecondFactor ? await unusedRecoveryCodes(user.id) : 0,
    passwordLengths: { min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD_LENGTH },
  });
}

// Every staff user may act on their own account: the permission asked is the one every role has,
// and no reason is asked of anyone for their own account.
const ownAccount = <S extends FormSchema>(schema: S, run: StaffIntent<S>["run"]) =>
  intent({ permission: "dashboard:read", reason: "optional", schema, run });

/** A success answer that also sets a cookie (the session after a password change, the language). */
function succeededWithCookie(message: string, intentName: string, setCookie: string): Response {
  const answer = actionSucceeded(message, intentName);
  answer.headers.set("Set-Cookie", setCookie);
  return answer;
}

export const action = async (args: ActionFunctionArgs) => {
  const t = translator(staffLanguage(await requireStaffUser(args.request), args.request));
  return staffAction(args, {
    "change-password": ownAccount(ChangePasswordForm, async ({ input, user, caller }) => {
      await changeOwnPassword(caller, input);
      const setCookie = await endOtherSessions(args.request, args.context, user);
      return succeededWithCookie(t("me.password.changed"), "change-password", setCookie);
    }),
    // The header's switch posts here too. The cookie follows, so that the login page after a
    // log-out speaks the same language.
    "set-language": ownAccount(SetLanguageForm, async ({ input, caller }) => {
      await setOwnLanguage(caller, input);
      return succeededWithCookie(
        translator(input.language ?? browserLanguage(args.request))("me.language.saved"),
        "set-language",
        languageCookie(input.language, args.request),
      );
    }),
    "renew-recovery-codes": ownAccount(ConfirmWithPasswordForm, async ({ input, caller }) => {
      const codes = await renewRecoveryCodes(caller, input);
      return { message: t("me.secondFactor.codesRenewed"), data: { recoveryCodes: codes } };
    }),
    "turn-off-second-factor": ownAccount(ConfirmWithPasswordForm, async ({ input, caller }) => {
      await turnOffSecondFactor(caller, input);
      return { message: t("me.secondFactor.turnedOff") };
    }),
  });
};

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
  const { hasSecondFactor, required, recoveryCodesLeft, passwordLengths, ...languages } =
    useLoaderData<typeof loader>();
  const [secret, setSecret] = useState<Secret | null>(null);
  const { t } = useTranslation();
  return (
    <Stack gap="md" maw={720}>
      <PageHeader title={t("me.title")} description={t("me.description")} />

      <LanguageChoice chosen={languages.language} browser={languages.browserLanguage} />

      <Paper withBorder p="md">
        <Stack gap="sm" align="flex-start">
          <Title order={2} size="h4">
            {t("me.colorScheme.title")}
          </Title>
          <ColorSchemeControl />
        </Stack>
      </Paper>

      <Paper withBorder p="md">
        <Stack gap="sm">
          <Title order={2} size="h4">
            {t("me.password.title")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("me.password.rule", passwordLengths)}
          </Text>
          <Group>
            <ActionModal
              label={t("me.password.change")}
              title={t("me.password.changeTitle")}
              intent="change-password"
              reason="none"
              buttonProps={{ variant: "default", "data-testid": "change-password" }}
              fields={(errors) => (
                <>
                  <PasswordField
                    name="currentPassword"
                    label={t("me.password.current")}
                    error={errors.currentPassword}
                  />
                  <PasswordField
                    name="newPassword"
                    label={t("me.password.new")}
                    description={t("me.password.newLengths", passwordLengths)}
                    error={errors.newPassword}
                  />
                  <PasswordField name="confirmPassword" label={t("me.password.again")} error={errors.confirmPassword} />
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
              {t("me.secondFactor.title")}
            </Title>
            <Badge color={hasSecondFactor ? "teal" : "gray"} variant="light" data-testid="second-factor-state">
              {hasSecondFactor ? t("me.secondFactor.on") : t("me.secondFactor.off")}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed">
            {hasSecondFactor ? t("me.secondFactor.usesApp", { count: recoveryCodesLeft }) : t("me.secondFactor.offer")}
            {required ? t("me.secondFactor.required") : null}
          </Text>
          <Group>
            {hasSecondFactor ? (
              <ActionModal
                label={t("me.secondFactor.newCodes")}
                intent="renew-recovery-codes"
                reason="none"
                description={t("me.secondFactor.newCodesDescription")}
                buttonProps={{ variant: "default" }}
                fields={(errors) => (
                  <PasswordField
                    name="currentPassword"
                    label={t("me.secondFactor.yourPassword")}
                    error={errors.currentPassword}
                  />
                )}
                onSuccess={showSecretIn("recoveryCodes", setSecret, () => ({
                  title: t("me.secondFactor.codesTitle"),
                  label: t("me.secondFactor.codesLabel"),
                  note: t("me.secondFactor.codesNote"),
                }))}
              />
            ) : (
              <Button component={Link} to="/login/enrol?redirectTo=%2Fme" variant="default">
                {t("me.secondFactor.setUp")}
              </Button>
            )}
            {hasSecondFactor && !required ? (
              <ActionModal
                label={t("me.secondFactor.turnOff")}
                title={t("me.secondFactor.turnOffTitle")}
                intent="turn-off-second-factor"
                reason="none"
                color="red"
                description={t("me.secondFactor.turnOffDescription")}
                buttonProps={{ variant: "light", color: "red" }}
                fields={(errors) => (
                  <PasswordField
                    name="currentPassword"
                    label={t("me.secondFactor.yourPassword")}
                    error={errors.currentPassword}
                  />
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

/** The user's language: English, Norwegian, or whatever their browser asks for. Saved on choosing. */
function LanguageChoice({ chosen, browser }: { chosen: Language | null; browser: Language }) {
  const { t } = useTranslation();
  const { submit, shown } = useSavedChoice({ method: "post" });
  const value = shownValue(shown, "language") ?? chosen ?? "";
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Radio.Group
          label={t("me.language.title")}
          labelProps={{ fz: "h4", fw: 700 }}
          value={value}
          onChange={(language) => submit({ intent: "set-language", language })}
          description={t("me.language.description")}
          name="language"
        >
          <Stack gap="xs" mt="xs">
            {LANGUAGES.map((language) => (
              <Radio key={language} value={language} label={<span lang={language}>{LANGUAGE_NAMES[language]}</span>} />
            ))}
            <Radio value="" label={t("me.language.browser", { language: LANGUAGE_NAMES[browser] })} />
          </Stack>
        </Radio.Group>
      </Stack>
    </Paper>
  );
}
