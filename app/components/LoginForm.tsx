// Logging in and out, for staff (/login, /logout) and for customers (/account/login,
// /account/logout) alike: the email and password form with the server's errors beside their
// fields and `redirectTo` carried back to the action, and the log-out button.
import { Alert, Button, PasswordInput, Stack, TextInput, type MantineSize } from "@mantine/core";
import { Form, useNavigation, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";

/** What a login action answers when it refuses (app/auth/login-action.server.ts). */
type LoginErrors = { fieldErrors?: Partial<Record<"email" | "password", string>>; formError?: string };

export function LoginForm({ errors, children }: { errors: LoginErrors | undefined; children?: ReactNode }) {
  const [params] = useSearchParams();
  const navigation = useNavigation();
  return (
    <Form method="post" noValidate>
      <Stack>
        {children}
        {errors?.formError ? (
          <Alert color="red" role="alert">
            {errors.formError}
          </Alert>
        ) : null}
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <TextInput
          label="Email"
          name="email"
          type="email"
          autoComplete="username"
          required
          autoFocus
          error={errors?.fieldErrors?.email}
        />
        <PasswordInput
          label="Password"
          name="password"
          autoComplete="current-password"
          required
          error={errors?.fieldErrors?.password}
        />
        <Button type="submit" loading={navigation.state !== "idle"} fullWidth mt="xs">
          Log in
        </Button>
      </Stack>
    </Form>
  );
}

/** Logs out with a POST to `action` (a GET must never end a session). */
export function LogoutButton({ action, size }: { action: string; size: MantineSize }) {
  return (
    <Form method="post" action={action}>
      <Button type="submit" variant="default" size={size}>
        Log out
      </Button>
    </Form>
  );
}
