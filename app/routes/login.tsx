import { Center, Group, Paper, Text, Title } from "@mantine/core";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { loginAction, type LoginActionData } from "../auth/login-action.server";
import { safeRedirect } from "../auth/safe-redirect";
import { getStaffUser, login } from "../auth/session.server";
import { LoginForm } from "../components/LoginForm";

// Document POSTs take their headers from here (Retry-After on a throttled login).
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export const meta: MetaFunction = () => [{ title: "Log in · Paydesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getStaffUser(request)) {
    throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  }
  return null;
}

export function action({ request, context }: ActionFunctionArgs) {
  return loginAction(request, (credentials) => login(request, credentials, context));
}

export default function LoginPage() {
  const data = useActionData<LoginActionData>();
  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={400}>
        <LoginForm errors={data}>
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
        </LoginForm>
        <Text c="dimmed" size="xs" ta="center" mt="lg">
          For Paydesk staff. An admin creates accounts and can reset them.
        </Text>
      </Paper>
    </Center>
  );
}
