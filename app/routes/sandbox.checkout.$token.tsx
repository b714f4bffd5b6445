// The sandbox provider's hosted page for product self-service: PayEx, Swish, Vipps or
// Nexi paying an invoice, or AvtaleGiro, PayEx, Vipps, Klarna, Nexi registering a product's new
// payment method. Reached by the unguessable token of /payment/invoice/pay or /paymentChange; no
// login (a real provider knows no Paydesk session). Approve/Cancel are plain form POSTs; the
// answer is a 302 to the client's returnUrl with `result`, or errorUrl?error=system_error when
// something breaks on our side. Outcomes: see app/providers/sandbox/rules.ts.
import { Anchor, Button, Group, SimpleGrid, Text, Title } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { CustomerErrorBoundary, Fact, SandboxFrame, PageStatus, useSandboxAnswer } from "../components/CustomerFrame";
import type { ProviderBrand } from "../domain/self-service";
import { formatMoney } from "../components/format";
import { hostedPageHeaders, pageResponse } from "../http/hosted-page.server";
import { checkoutAction } from "../http/self-service-flow.server";
import { checkoutPage, completedMessage } from "../services/self-service/pages.server";

export const meta: MetaFunction = () => [{ title: "Checkout (sandbox)" }, { name: "robots", content: "noindex" }];

export const headers = hostedPageHeaders;

export const ErrorBoundary = CustomerErrorBoundary;

const NOT_FOUND = "This payment page does not exist.";

/** Each provider's colour, so a screenshot or a demo shows at once whose page this is. */
const COLOUR: Record<ProviderBrand, string> = {
  PayEx: "indigo",
  Swish: "teal",
  Vipps: "orange",
  Nexi: "blue",
  Klarna: "pink",
  AvtaleGiro: "grape",
  Invoice: "gray",
};

export async function loader({ params }: LoaderFunctionArgs) {
  return pageResponse(await checkoutPage(params.token ?? ""), NOT_FOUND, {
    expired: "This page has expired. Nothing was paid or changed; go back and start again.",
    completed: (view) => completedMessage(view.mode, view.outcome),
  });
}

// A system error sends the customer to errorUrl instead of returnUrl.
export async function action({ params, request, context }: ActionFunctionArgs) {
  return checkoutAction(request, context, params.token ?? "", NOT_FOUND);
}

export default function CheckoutPage() {
  const view = useLoaderData<typeof loader>();
  const busy = useNavigation().state !== "idle";
  const colour = COLOUR[view.provider];
  const { result, message, open } = useSandboxAnswer(view);
  const paying = view.mode === "pay";
  return (
    <SandboxFrame
      bg={`${colour}.0`}
      maw={440}
      title={
        <Title order={1} size="h2" c={`${colour}.8`}>
          {view.provider}
        </Title>
      }
    >
      <Text c="dimmed" size="sm">
        {paying
          ? `${view.merchant} asks you to pay an invoice`
          : `${view.merchant} asks you to pay for a product with ${view.provider} from now on`}
      </Text>
      {paying && view.amount && view.currency ? (
        <Text size="xl" fw={700} data-testid="amount">
          {formatMoney(view.amount, view.currency)}
        </Text>
      ) : null}
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <Fact label="Product" value={`${view.productName} (${view.productCode})`} />
        {paying ? (
          <Fact label="Invoice" value={view.invoiceNumber} testId="invoice" />
        ) : (
          <Fact label="Payment method" value={view.methodLabel} testId="method" />
        )}
      </SimpleGrid>
      <PageStatus
        message={message}
        color={open ? "blue" : result?.state === "finished" || view.outcome === "finished" ? "green" : "yellow"}
      />
      {!open && view.backUrl && !result ? (
        <Anchor href={view.backUrl} rel="noreferrer">
          Back to {view.merchant}
        </Anchor>
      ) : null}
      {open ? (
        <Form method="post" reloadDocument>
          <Group grow>
            <Button type="submit" name="decision" value="cancel" variant="default" disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" name="decision" value="approve" color={colour} loading={busy}>
              {paying ? "Pay" : "Approve"}
            </Button>
          </Group>
        </Form>
      ) : null}
      {open && paying ? (
        <Text size="xs" c="dimmed">
          Sandbox: an amount ending in .02 is refused, .05 is a soft decline; anything else is paid.
        </Text>
      ) : null}
    </SandboxFrame>
  );
}
