// /account/authorize?clientId=…&redirectUri=…[&state=…]: step 1 of how an API client gets to act
// for a customer (decision 009). The customer logs in (if not already) and allows or denies; we
// send them to redirectUri with a one-time `code` (or error=access_denied) and the client's
// `state`. redirectUri must start with one of the client's allowed prefixes, else we refuse here.
import { Button, Group, List, Text } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { requireCustomerSession } from "../auth/customer-session.server";
import { issueAuthorizationCode } from "../auth/customer-token.server";
import { CustomerFrame, RefusedLink } from "../components/CustomerFrame";
import { activeClient, refusedUrl } from "../services/self-service/pages.server";

export const meta: MetaFunction = () => [
  { title: "Allow access · My subscriptions" },
  { name: "robots", content: "noindex" },
];

type Checked =
  | { ok: true; clientId: string; clientName: string; redirectUri: string; state: string | null }
  | { ok: false; message: string };

async function checkRequest(url: URL): Promise<Checked> {
  const client = await activeClient(url.searchParams.get("clientId"));
  if (!client) return { ok: false, message: "The link names no client that Paydesk knows (clientId)." };
  const redirectUri = url.searchParams.get("redirectUri");
  const refused = refusedUrl(client, "redirectUri", redirectUri);
  if (refused || !redirectUri) return { ok: false, message: refused ?? "" };
  const state = url.searchParams.get("state");
  if (state !== null && (state.length > 500 || /[\u0000-\u001f]/.test(state)))
    return { ok: false, message: "The state of this link is not valid." };
  return { ok: true, clientId: client.clientId, clientName: client.name, redirectUri, state };
}

function back(checked: Extract<Checked, { ok: true }>, params: Record<string, string>): string {
  const target = new URL(checked.redirectUri);
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
  if (checked.state !== null) target.searchParams.set("state", checked.state);
  return target.toString();
}

export async function loader({ request }: LoaderFunctionArgs) {
  const checked = await checkRequest(new URL(request.url));
  if (!checked.ok) return json({ refused: checked.message, clientName: "", customerName: "" }, { status: 400 });
  const session = await requireCustomerSession(request);
  return json(
    { refused: null, clientName: checked.clientName, customerName: session.customer.name },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const checked = await checkRequest(new URL(request.url));
  if (!checked.ok) return json({ refused: checked.message, clientName: "", customerName: "" }, { status: 400 });
  const session = await requireCustomerSession(request);
  if ((await request.formData()).get("intent") !== "allow") return redirect(back(checked, { error: "access_denied" }));
  const code = await issueAuthorizationCode(session, checked.clientId);
  return redirect(back(checked, { code }));
}

export default function AuthorizePage() {
  const data = useLoaderData<typeof loader>();
  if (data.refused) return <RefusedLink message={data.refused} />;
  return (
    <CustomerFrame title={`Continue to ${data.clientName}`} subtitle={`Logged in as ${data.customerName}`}>
      <Text>{data.clientName} asks to act for you on your subscriptions:</Text>
      <List size="sm" spacing={4}>
        <List.Item>see your products and how you pay for them</List.Item>
        <List.Item>start paying your invoices and changing payment methods</List.Item>
      </List>
      <Text size="sm" c="dimmed">
        Every payment and change still needs your approval with the payment provider. Logging out ends this access.
      </Text>
      <Form method="post">
        <Group grow>
          <Button type="submit" name="intent" value="deny" variant="default">
            Deny
          </Button>
          <Button type="submit" name="intent" value="allow">
            Allow
          </Button>
        </Group>
      </Form>
    </CustomerFrame>
  );
}
