import { Alert, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { safeRedirect } from "../auth/safe-redirect";
import { getStaffUser, login } from "../auth/session.server";

// Document POSTs take their headers from here (Retry-After on a throttled login).
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export const meta: MetaFunction = () => [{ title: "Log in · Paydesk" }];

const LoginForm = z.object({
  email: z.string().trim().min(1, "Enter your email").max(320).email("Enter a valid email address"),
  password: z.string().min(1, "Enter your password").max(500),
  redirectTo: z.string().optional(),
});

type ActionData = { fieldErrors?: Partial<Record<"email" | "password", string>>; formError?: string };

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getStaffUser(request)) {
    throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  }
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = LoginForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    const fieldErrors: ActionData["fieldErrors"] = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if ((field === "email" || field === "password") && !fieldErrors[field]) fieldErrors[field] = issue.message;
    }
    return json<ActionData>({ fieldErrors }, { status: 400 });
  }
  const result = await login(request, { email: parsed.data.email, password: parsed.data.password }, context);
  if (!result.ok) {
    if (result.reason === "throttled") {
      const minutes = Math.ceil((result.retryAfterSeconds ?? 60) / 60);
      return json<ActionData>(
        { formError: `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.` },
        { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds ?? 60) } },
      );
    }
    return json<ActionData>({ formError: "Wrong email or password." }, { status: 401 });
  }
  return redirect(safeRedirect(parsed.data.redirectTo), { headers: { "Set-Cookie": result.setCookie } });
}

export default function LoginPage() {
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={400}>
        <Form method="post" noValidate>
          <Stack>
            <Group gap="sm" wrap="nowrap">
              <img src="/favicon.svg" alt="" width={40} height={40} />
              <div>
                <Title order={2} lh={1.2}>
                  Paydesk
                </Title>
                <Text c="dimmed" size="sm">
                  Log in to the payment back-office
                </Text>
              </div>
            </Group>
            {data?.formError ? (
              <Alert color="red" role="alert">
                {data.formError}
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
              error={data?.fieldErrors?.email}
            />
            <PasswordInput
              label="Password"
              name="password"
              autoComplete="current-password"
              required
              error={data?.fieldErrors?.password}
            />
            <Button type="submit" loading={navigation.state !== "idle"} fullWidth mt="xs">
              Log in
            </Button>
          </Stack>
        </Form>
        <Text c="dimmed" size="xs" ta="center" mt="lg">
          For Paydesk staff. An admin creates accounts and can reset them.
        </Text>
      </Paper>
    </Center>
  );
}
