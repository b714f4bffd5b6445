// The sandbox Collector invoice page: for COLLECTOR the terminalUri, for COLLECTOR_B2B the page
// its publicToken opens (in an iframe, say). It shows the invoice as it is now (a B2B invoice
// may change until confirmed); "Confirm invoice" authorizes the transaction and goes back to the
// redirectUrl when there is one. Reached by the unguessable token; no login.
import { Table, Text, Title } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { decisionAction, hostedPageHeaders, pageResponse, sandboxCaller } from "../http/hosted-page.server";
import { Form, useLoaderData } from "@remix-run/react";
import { FlowButtons, SandboxFrame, PageStatus, useSandboxAnswer } from "../components/CustomerFrame";
import { formatMoney } from "../components/format";
import { decideInvoice, invoicePage } from "../services/mobile/invoices.server";
import { completedMessage } from "../services/mobile/hosted-pages.server";

export const meta: MetaFunction = () => [{ title: "Invoice (sandbox)" }, { name: "robots", content: "noindex" }];

export const headers = hostedPageHeaders;

export async function loader({ params }: LoaderFunctionArgs) {
  return pageResponse(await invoicePage(params.token ?? ""), "This invoice page does not exist.", {
    expired: "This invoice page has expired. Nothing was paid.",
    completed: (view) =>
      view.outcome === "approved" ? "This invoice has been confirmed." : completedMessage(view.outcome),
  });
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  return decisionAction(
    request,
    ["confirm", "cancel"] as const,
    "Choose Confirm invoice or Cancel.",
    "This invoice page does not exist.",
    (decision) =>
      decideInvoice(sandboxCaller("invoice", context.correlationId), { token: params.token ?? "", decision }),
  );
}

export default function InvoicePage() {
  const view = useLoaderData<typeof loader>();
  const { result, message, open } = useSandboxAnswer(view);
  const rows: [string, string | null][] = [
    ["Invoice", view.invoiceId],
    ["Type", view.paymentType === "COLLECTOR_B2B" ? "Business invoice" : "Invoice"],
    ["Invoice number", view.externalInvoiceNumber],
    ["Language", view.languageCode],
    ["Payable until", view.expiryDate],
  ];
  return (
    <SandboxFrame bg="teal.0" maw={480} title={<Title order={3}>Collector invoice</Title>}>
      <Text c="dimmed" size="sm">
        {"An invoice from "}
        <Text span fw={600} c="dark" data-testid="merchant">
          {view.merchant}
        </Text>
      </Text>
      <Text size="xl" fw={700} data-testid="amount">
        {formatMoney(view.amount, view.currency)}
      </Text>
      <Table>
        <Table.Tbody>
          {rows
            .filter(([, value]) => value)
            .map(([label, value]) => (
              <Table.Tr key={label}>
                <Table.Th>{label}</Table.Th>
                <Table.Td style={{ overflowWrap: "anywhere" }}>{value}</Table.Td>
              </Table.Tr>
            ))}
        </Table.Tbody>
      </Table>
      <PageStatus
        message={message}
        color={result?.state === "approved" || view.outcome === "approved" ? "green" : "yellow"}
      />
      {open ? (
        <Form method="post" reloadDocument>
          <FlowButtons
            onward="Confirm invoice"
            busy={false}
            name="decision"
            values={["cancel", "confirm"]}
            color="teal"
          />
        </Form>
      ) : null}
    </SandboxFrame>
  );
}
