// /account/authorize?clientId=…&redirectUri=…[&state=…]: step 1 of how an API client gets to act
// for a customer (decision 009). The customer logs in (if not already) and allows or denies; we
// send them to redirectUri with a one-time `code` (or error=access_denied) and the client's
// `state`. redirectUri must start with one of the client's allowed prefixes, else we refuse here.
import { Button, Group, List, Text } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireCustomerSession } from "../auth/customer-session.server";
import { issueAuthorizationCode } from "../auth/customer-token.server";
import { CustomerFrame, RefusedLink } from "../components/CustomerFrame";
import { translator } from "../i18n/i18n";
import { matchedLanguage } from "../i18n/meta";
import { activeClient, NO_CLIENT, refusedUrl, type LinkRefusal } from "../services/self-service/pages.server";

export const meta: MetaFunction = ({ matches }) => [
  { title: translator(matchedLanguage(matches))("customer.authorize.metaTitle") },
  { name: "robots", content: "noindex" },
];

type Checked =
  | { ok: true; clientId: string; clientName: string; redirectUri: string; state: string | null }
  | ({ ok: false } & LinkRefusal);

async function checkRequest(url: URL): Promise<Checked> {
  const client = await activeClient(url.searchParams.get("clientId"));
  if (!client) return { ok: false, ...NO_CLIENT };
  const redirectUri = url.searchParams.get("redirectUri");
  const refused = refusedUrl(client, "redirectUri", redirectUri);
  // refusedUrl refuses a missing redirectUri too.
  if (refused || !redirectUri) return { ok: false, ...refused! };
  const state = url.searchParams.get("state");
  if (state !== null && (state.length > 500 || /[\u0000-\u001f]/.test(state)))
    return { ok: false, message: "The state of this link is not valid.", say: { key: "errors.customerLink.badState" } };
  return { ok: true, clientId: client.clientId, clientName: client.name, redirectUri, state };
}

function back(checked: Extract<Checked, { ok: true }>, params: Record<string, string>): string {
  const target = new URL(checked.redirectUri);
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
  if (checked.state !== null) target.searchParams.set("state", checked.state);
  return target.toString();
}

/** The page that says why the link is refused (in the customer's language, by its key). */
const refusal = (refused: LinkRefusal) =>
  json({ refused: refused.message, say: refused.say, clientName: "", customerName: "" }, { status: 400 });

export async function loader({ request }: LoaderFunctionArgs) {
  const checked = await checkRequest(new URL(request.url));
  if (!checked.ok) return refusal(checked);
  const session = await requireCustomerSession(request);
  return json(
    { refused: null, clientName: checked.clientName, customerName: session.customer.name },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const checked = await checkRequest(new URL(request.url));
  if (!checked.ok) return refusal(checked);
  const session = await requireCustomerSession(request);
  if ((await request.formData()).get("intent") !== "allow") return redirect(back(checked, { error: "access_denied" }));
  const code = await issueAuthorizationCode(session, checked.clientId);
  return redirect(back(checked, { code }));
}

export default function AuthorizePage() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  if (data.refused) return <RefusedLink message={data.refused} said={"say" in data ? data.say : undefined} />;
  return (
    <CustomerFrame
      title={t("customer.authorize.title", { client: data.clientName })}
      subtitle={t("customer.authorize.loggedInAs", { customer: data.customerName })}
    >
      <Text>{t("customer.authorize.asks", { client: data.clientName })}</Text>
      <List size="sm" spacing={4}>
        <List.Item>{t("customer.authorize.seeProducts")}</List.Item>
        <List.Item>{t("customer.authorize.startPaying")}</List.Item>
      </List>
      <Text size="sm" c="dimmed">
        {t("customer.authorize.note")}
      </Text>
      <Form method="post">
        <Group grow>
          <Button type="submit" name="intent" value="deny" variant="default">
            {t("customer.authorize.deny")}
          </Button>
          <Button type="submit" name="intent" value="allow">
            {t("customer.authorize.allow")}
          </Button>
        </Group>
      </Form>
    </CustomerFrame>
  );
}
