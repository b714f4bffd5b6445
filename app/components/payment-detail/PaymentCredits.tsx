// The credits that give back this payment's money: where a support agent looks after crediting
// from this page, so a credit waiting for a second staff user is visible here, with who must act.
import { Alert, Anchor, Group, Stack, Text, Title } from "@mantine/core";
import { Link } from "@remix-run/react";
import { Amount } from "../Amount";
import { CreditRows } from "../CreditRows";
import { CreditStatusBadge } from "../CreditStatusBadge";
import type { DetailCredit as PaymentCredit } from "./types";

/** What the credit waits for, in words for the person reading the payment. */
function standingText(credit: PaymentCredit): string {
  const standing = credit.standing;
  switch (standing.kind) {
    case "credited":
      return "Executed: the money went back to the customer.";
    case "failed":
      return `${standing.failedLines === 1 ? "One line" : `${standing.failedLines} lines`} failed at the provider.`;
    case "inProgress":
      return "Being executed: the provider has not answered yet.";
    case "awaitsSecondStaffUser":
      return standing.viewerMayExecute
        ? `Waits for a second staff user (created by ${standing.creator}): you may execute it.`
        : `Waits for a second staff user with the right to execute credits (not ${standing.creator}).`;
    case "awaitsExecution":
      return standing.viewerMayExecute
        ? "Waits to be executed: you may execute it."
        : "Waits to be executed by finance or an admin.";
    case "deactivated":
      return "Deactivated: it will not be executed.";
  }
}

export function PaymentCredits({
  credits,
  currency,
  timeZone,
}: {
  credits: PaymentCredit[];
  currency: string;
  timeZone: string;
}) {
  const waiting = credits.filter(
    (c) => c.standing.kind === "awaitsSecondStaffUser" || c.standing.kind === "awaitsExecution",
  );
  return (
    <Stack gap="xs" aria-labelledby="payment-credits-title" component="section">
      <Title order={2} size="h4" id="payment-credits-title">
        Credits
      </Title>
      {waiting.length ? (
        <Alert
          color="yellow"
          role="status"
          title={waiting.length === 1 ? "A credit is waiting" : `${waiting.length} credits are waiting`}
        >
          {waiting.map((c) => (
            <Text key={c.creditId} size="sm">
              <Anchor component={Link} to={`/credits/${c.creditId}`} inherit>
                Credit {c.creditId}
              </Anchor>{" "}
              of <Amount value={c.totalCreditAmount} currency={c.currency} />: {standingText(c)}
            </Text>
          ))}
        </Alert>
      ) : null}
      {credits.length === 0 ? (
        <Text size="sm" c="dimmed">
          No credits for this payment.
        </Text>
      ) : (
        <CreditRows
          credits={credits}
          timeZone={timeZone}
          label="Credits of this payment"
          testId="payment-credits"
          rowTestId="payment-credit"
          before={[
            {
              header: "Status",
              minWidth: 110,
              cell: (credit) => (
                <CreditStatusBadge
                  status={credit.status}
                  active={credit.active}
                  inProgress={credit.standing.kind === "inProgress"}
                />
              ),
            },
            {
              header: "Of this payment",
              align: "right",
              cell: (credit) => <Amount value={credit.amountOfThisPayment} currency={currency} />,
            },
            {
              header: "Credit total",
              align: "right",
              cell: (credit) => <Amount value={credit.totalCreditAmount} currency={credit.currency} />,
            },
          ]}
          after={[
            {
              header: "What it waits for",
              cell: (credit) => (
                <Group gap={4}>
                  <Text size="sm">{standingText(credit)}</Text>
                </Group>
              ),
            },
          ]}
        />
      )}
    </Stack>
  );
}
