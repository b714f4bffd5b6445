// Logging in and out, for staff (/login, /logout) and for customers (/account/login,
// /account/logout) alike: the email and password form with the server's errors beside their
// fields and `redirectTo` carried back to the action, the form of each later step of a staff
// login, and the log-out button.
import { Alert, Button, PasswordInput, Stack, TextInput, type MantineSize, type MantineSpacing } from "@mantine/core";
import { Form, useNavigation, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/** What a login action answers when it refuses (app/auth/login-action.server.ts). */
type LoginErrors = { fieldErrors?: Partial<Record<"email" | "password", string>>; formError?: string };

export function LoginForm({ errors, children }: { errors: LoginErrors | undefined; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <LoginStepForm submitLabel={t("auth.logIn")} buttonTop="xs">
      {children}
      {errors?.formError ? (
        <Alert color="red" role="alert">
          {errors.formError}
        </Alert>
      ) : null}
      <TextInput
        label={t("auth.email")}
        name="email"
        type="email"
        autoComplete="username"
        required
        autoFocus
        error={errors?.fieldErrors?.email}
      />
      <PasswordInput
        label={t("auth.password")}
        name="password"
        autoComplete="current-password"
        required
        error={errors?.fieldErrors?.password}
      />
    </LoginStepForm>
  );
}

/**
 * A form of a login step: `redirectTo` carried back to the action (where the login goes when it
 * is complete), the step's fields, and its one submit button, busy while the step is sent.
 */
export function LoginStepForm({
  submitLabel,
  buttonTop,
  children,
}: {
  submitLabel: string;
  /** Space above the button. */
  buttonTop?: MantineSpacing;
  children: ReactNode;
}) {
  const [params] = useSearchParams();
  const navigation = useNavigation();
  return (
    <Form method="post" noValidate>
      <Stack>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        {children}
        <Button type="submit" loading={navigation.state !== "idle"} fullWidth mt={buttonTop}>
          {submitLabel}
        </Button>
      </Stack>
    </Form>
  );
}

/** Logs out with a POST to `action` (a GET must never end a session). */
export function LogoutButton({ action, size }: { action: string; size: MantineSize }) {
  const { t } = useTranslation();
  return (
    <Form method="post" action={action}>
      <Button type="submit" variant="default" size={size}>
        {t("shell.logOut")}
      </Button>
    </Form>
  );
}
