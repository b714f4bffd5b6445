// The credits that give back this payment's money: where a support agent looks after crediting
// from this page, so a credit waiting for a second staff user is visible here, with who must act.
import { Alert, Anchor, Group, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { Link } from "@remix-run/react";
import { Amount } from "../Amount";
import { CreatorName } from "../CreatorName";
import { CreditStatusBadge } from "../CreditStatusBadge";
import { DateTime } from "../DateTime";
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
      <Title order={3} size="h4" id="payment-credits-title">
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
        <Paper withBorder style={{ overflowX: "auto" }} tabIndex={0} aria-label="Credits of this payment">
          <Table verticalSpacing="xs" data-testid="payment-credits">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Credit</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th ta="right">Of this payment</Table.Th>
                <Table.Th ta="right">Credit total</Table.Th>
                <Table.Th>Created by</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>What it waits for</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {credits.map((credit) => (
                <Table.Tr key={credit.creditId} data-testid={`payment-credit-${credit.creditId}`}>
                  <Table.Td>
                    <Anchor component={Link} to={`/credits/${credit.creditId}`} size="sm">
                      {credit.creditId}
                    </Anchor>
                  </Table.Td>
                  <Table.Td miw={110}>
                    <CreditStatusBadge
                      status={credit.status}
                      active={credit.active}
                      inProgress={credit.standing.kind === "inProgress"}
                    />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Amount value={credit.amountOfThisPayment} currency={currency} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Amount value={credit.totalCreditAmount} currency={credit.currency} />
                  </Table.Td>
                  <Table.Td>
                    <CreatorName creator={credit.creator} />
                  </Table.Td>
                  <Table.Td>
                    <DateTime value={credit.createdAt!} timeZone={timeZone} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      <Text size="sm">{standingText(credit)}</Text>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
    </Stack>
  );
}
