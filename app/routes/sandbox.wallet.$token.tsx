// The sandbox 3DS page of a wallet payment (ApplePay/GooglePay with a redirectUrl): the customer
// completes or cancels the authentication, then goes back to the client's redirectUrl with the
// result. Reached by the unguessable token of the terminalUri; no login.
import { Alert, Badge, Button, Center, Group, Paper, Stack, Text, Title } from "@mantine/core";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { completedMessage } from "../services/mobile-payments.server";
import { decideWallet3ds, walletPage } from "../services/wallets.server";

export const meta: MetaFunction = () => [{ title: "Card authentication (sandbox)" }, { name: "robots", content: "noindex" }];

// The token is in the URL: keep the page out of caches. (server/app.ts already sends
// Referrer-Policy: same-origin, so the token never leaves in a Referer to the shop; a stricter
// no-referrer would make browsers send "Origin: null" on the form POST, which the CSRF check refuses.)
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

const STATUS_OF_STATE = { expired: 410, completed: 409, unavailable: 409 } as Record<string, number>;

export async function loader({ params }: LoaderFunctionArgs) {
  const view = await walletPage(params.token ?? "");
  if (!view) throw new Response("This authentication page does not exist.", { status: 404 });
  const message =
    view.state === "expired"
      ? "This authentication has expired. Nothing was paid; go back to the shop and start again."
      : view.state === "completed"
        ? completedMessage(view.outcome)
        : null;
  return json({ ...view, message }, { status: view.state === "expired" ? 410 : 200 });
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const decision = form.get("decision");
  if (decision !== "approve" && decision !== "reject") {
    return json({ state: "invalid", message: "Choose Complete or Cancel." }, { status: 400 });
  }
  const outcome = await decideWallet3ds(params.token ?? "", decision, context.correlationId);
  if (!outcome) throw new Response("This authentication page does not exist.", { status: 404 });
  if (outcome.redirectTo) return redirect(outcome.redirectTo);
  return json({ state: outcome.state, message: outcome.message }, { status: STATUS_OF_STATE[outcome.state] ?? 200 });
}

export default function Wallet3dsPage() {
  const view = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const message = result?.message ?? view.message;
  const open = view.state === "open" && !result;
  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={420}>
        <Stack>
          <Group justify="space-between">
            <Title order={3}>{`${view.walletProvider} · 3-D Secure`}</Title>
            <Badge color="gray" variant="light">
              Sandbox
            </Badge>
          </Group>
          <Text c="dimmed" size="sm">
            {`Confirm the payment with your bank${view.last4 ? ` for the card ending in ${view.last4}` : ""}.`}
          </Text>
          <Text size="xl" fw={700} data-testid="amount">
            {`${view.amount} ${view.currency}`}
          </Text>
          {message ? (
            <Alert color={result?.state === "approved" ? "green" : "yellow"} role="status">
              {message}
            </Alert>
          ) : null}
          {open ? (
            <Form method="post" reloadDocument>
              <Group grow>
                <Button type="submit" name="decision" value="reject" variant="default">
                  Cancel
                </Button>
                <Button type="submit" name="decision" value="approve">
                  Complete authentication
                </Button>
              </Group>
            </Form>
          ) : null}
        </Stack>
      </Paper>
    </Center>
  );
}
