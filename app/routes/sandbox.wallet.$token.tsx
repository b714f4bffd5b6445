// The sandbox 3DS page of a wallet payment (ApplePay/GooglePay with a redirectUrl): the customer
// completes or cancels the authentication, then goes back to the client's redirectUrl with the
// result. Reached by the unguessable token of the terminalUri; no login.
import { Text, Title } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { decisionAction, hostedPageHeaders, pageResponse, sandboxCaller } from "../http/hosted-page.server";
import { Form, useLoaderData } from "@remix-run/react";
import { FlowButtons, SandboxFrame, PageStatus, useSandboxAnswer } from "../components/CustomerFrame";
import { formatMoney } from "../components/format";
import { completedMessage } from "../services/mobile/hosted-pages.server";
import { decideWallet3ds, walletPage } from "../services/mobile/wallets.server";

export const meta: MetaFunction = () => [
  { title: "Card authentication (sandbox)" },
  { name: "robots", content: "noindex" },
];

export const headers = hostedPageHeaders;

export async function loader({ params }: LoaderFunctionArgs) {
  return pageResponse(await walletPage(params.token ?? ""), "This authentication page does not exist.", {
    expired: "This authentication has expired. Nothing was paid; go back to the shop and start again.",
    completed: (view) => completedMessage(view.outcome),
  });
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  return decisionAction(
    request,
    ["approve", "reject"] as const,
    "Choose Authenticate or Cancel.",
    "This authentication page does not exist.",
    (decision) =>
      decideWallet3ds(sandboxCaller("wallet", context.correlationId), { token: params.token ?? "", decision }),
  );
}

export default function Wallet3dsPage() {
  const view = useLoaderData<typeof loader>();
  const { result, message, open } = useSandboxAnswer(view);
  return (
    <SandboxFrame title={<Title order={3}>{`${view.walletProvider} · 3-D Secure`}</Title>}>
      <Text c="dimmed" size="sm">
        {"Confirm the payment to "}
        <Text span fw={600} c="dark" data-testid="merchant">
          {view.merchant}
        </Text>
        {` with your bank${view.last4 ? ` for the card ending in ${view.last4}` : ""}.`}
      </Text>
      <Text size="xl" fw={700} data-testid="amount">
        {formatMoney(view.amount, view.currency)}
      </Text>
      <PageStatus message={message} color={result?.state === "approved" ? "green" : "yellow"} />
      {open ? (
        <Form method="post" reloadDocument>
          <FlowButtons onward="Authenticate" busy={false} name="decision" values={["reject", "approve"]} />
        </Form>
      ) : null}
    </SandboxFrame>
  );
}
