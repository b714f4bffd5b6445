// The sandbox "Vipps app": where the customer approves or rejects an app claim, or confirms a
// new agreement (its first charge is the transaction). Reached by the unguessable token of the
// appClaimUrl; no login. Approve/Reject are plain form POSTs (the Origin check of server/app.ts
// applies); the answer is a 302 back to the client's redirectUrl with the result, or a message.
import { Button, Group, Text, Title } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { decisionAction, hostedPageHeaders, pageResponse, sandboxCaller } from "../http/hosted-page.server";
import { formatMoney } from "../components/format";
import { Form, useLoaderData } from "@remix-run/react";
import { decideOnVippsPage, vippsPage } from "../services/mobile/app-claims.server";
import { completedMessage } from "../services/mobile/hosted-pages.server";
import { SandboxFrame, PageStatus, useSandboxAnswer } from "../components/CustomerFrame";

export const meta: MetaFunction = () => [{ title: "Vipps (sandbox)" }, { name: "robots", content: "noindex" }];

export const headers = hostedPageHeaders;

export async function loader({ params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  // A payment's page (app claim) or, failing that, an agreement registered on its own.
  const view = await vippsPage(token);
  return pageResponse(view, "This Vipps page does not exist.", {
    expired: "This payment request has expired. Nothing was paid; go back to the shop and start again.",
    completed: (view) => completedMessage(view.outcome),
  });
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const token = params.token ?? "";
  return decisionAction(
    request,
    ["approve", "reject"] as const,
    "Choose Approve or Reject.",
    "This Vipps page does not exist.",
    (decision) => decideOnVippsPage(sandboxCaller("vipps", context.correlationId), { token, decision }),
  );
}

export default function VippsPage() {
  const view = useLoaderData<typeof loader>();
  const agreement = view.mode === "agreement";
  const { result, message, open } = useSandboxAnswer(view);
  return (
    <SandboxFrame
      bg="orange.0"
      maw={420}
      title={
        <Title order={2} c="orange.8">
          Vipps
        </Title>
      }
    >
      <Text c="dimmed" size="sm">
        {`${view.merchant} asks ${view.phoneNumber ? `+${view.phoneNumber}` : "you"} to ${agreement ? "confirm an agreement" : "approve a payment"}`}
      </Text>
      {agreement && view.productName ? (
        <Text fw={500} data-testid="product">
          {`Agreement: ${view.productName}`}
        </Text>
      ) : null}
      {view.amount !== null ? (
        <Text size="xl" fw={700} data-testid="amount">
          {formatMoney(view.amount, view.currency)}
        </Text>
      ) : null}
      {view.amountNote ? (
        <Text size="sm" c="dimmed">
          {view.amountNote}
        </Text>
      ) : null}
      {view.description ? <Text data-testid="description">{view.description}</Text> : null}
      {view.phoneNumber ? <Text size="sm">{`Phone: +${view.phoneNumber}`}</Text> : null}
      <PageStatus message={message} color={result?.state === "approved" ? "green" : open ? "blue" : "yellow"} />
      {open ? (
        <Form method="post" reloadDocument>
          <Group grow>
            <Button type="submit" name="decision" value="reject" variant="default">
              Reject
            </Button>
            <Button type="submit" name="decision" value="approve" color="orange">
              {agreement ? "Confirm agreement" : "Approve"}
            </Button>
          </Group>
        </Form>
      ) : null}
    </SandboxFrame>
  );
}
