// The dashboard's authorization panel: of the attempts to authorize a payment with a provider in
// the range and currency, the share the provider declined or that failed, overall and per
// payment type group. Figures come from the daily_outcomes rollup (app/services/queries/dashboard.server.ts).
import { Group, Paper, Table, Text, Title } from "@mantine/core";
import { formatCount } from "./format";
import { plural } from "./plural";
import type { AuthorizationOutcomes as Outcomes } from "../services/queries/dashboard.server";
import { HeadedTable } from "./DataTable";

/** A right-aligned figure of the table. */
function Figure({ children }: { children: string }) {
  return (
    <Table.Td ta="right" style={{ fontVariantNumeric: "tabular-nums" }}>
      {children}
    </Table.Td>
  );
}

export function AuthorizationOutcomes({ outcomes, currency }: { outcomes: Outcomes; currency: string }) {
  return (
    <Paper withBorder radius="md" style={{ overflow: "hidden" }} data-testid="authorization-outcomes">
      <Group justify="space-between" align="baseline" wrap="wrap" gap="xs" p="md" pb="xs">
        <Title order={4}>Authorization attempts</Title>
        <Text size="xs" c="dimmed">
          {`Payments authorized in ${currency} or refused on the way; credits, card registrations and pre-authorization adjustments are not attempts.`}
        </Text>
      </Group>
      {outcomes.attempts === 0 ? (
        <Text px="md" pb="md" size="sm" c="dimmed" data-testid="authorization-share">
          {`No payment was authorized or declined in ${currency} in this range.`}
        </Text>
      ) : (
        <>
          <Text px="md" size="sm" data-testid="authorization-share">
            <Text span fw={700} fz="lg">
              {`Declined or failed: ${outcomes.unapprovedShare} %`}
            </Text>{" "}
            <Text span c="dimmed" size="sm" style={{ whiteSpace: "nowrap" }}>
              {`— ${formatCount(outcomes.declined)} declined, ${formatCount(outcomes.failed)} failed of ${plural(outcomes.attempts, "attempt")}`}
            </Text>
          </Text>
          <Text px="md" pb="xs" size="xs" c="dimmed">
            Declined: the provider said no (refused by the issuer, soft decline). Failed: the provider could not be
            reached or answered with an error. Either way the payment stayed as it was.
          </Text>
          <Table.ScrollContainer minWidth={520} type="native">
            <HeadedTable
              fz="sm"
              verticalSpacing={4}
              horizontalSpacing="md"
              data-testid="authorization-groups"
              head={
                <>
                  <Table.Th>Payment type group</Table.Th>
                  <Table.Th ta="right">Declined or failed</Table.Th>
                  <Table.Th ta="right">Attempts</Table.Th>
                  <Table.Th ta="right">Approved</Table.Th>
                  <Table.Th ta="right">Declined</Table.Th>
                  <Table.Th ta="right">Failed</Table.Th>
                </>
              }
            >
              {outcomes.groups.map((group) => (
                <Table.Tr key={group.paymentTypeGroup} data-group={group.paymentTypeGroup}>
                  <Table.Td fw={500}>{group.paymentTypeGroup}</Table.Td>
                  <Figure>{`${group.unapprovedShare} %`}</Figure>
                  <Figure>{formatCount(group.attempts)}</Figure>
                  <Figure>{formatCount(group.approved)}</Figure>
                  <Figure>{formatCount(group.declined)}</Figure>
                  <Figure>{formatCount(group.failed)}</Figure>
                </Table.Tr>
              ))}
            </HeadedTable>
          </Table.ScrollContainer>
        </>
      )}
    </Paper>
  );
}
