// Dashboard: for now a few honest numbers (payment counts and last week's volume per currency);
// the charts of DESIGN.md come with the dashboard issue.
import { Group, Paper, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { userHasPermission } from "../auth/roles";
import { requirePermission } from "../auth/session.server";
import { Amount } from "../components/Amount";
import { useStaffUser } from "../components/staff-user";
import { formatCount } from "../lib/format";
import { getPaymentOverview } from "../services/payment-list.server";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction = () => [{ title: "Dashboard · Paydesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "dashboard:read");
  const overview = await getPaymentOverview({ timeZone: user.timeZone });
  return json({ overview });
}

export default function Dashboard() {
  const { overview } = useLoaderData<typeof loader>();
  const user = useStaffUser();
  const firstName = user.name.split(" ")[0];
  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={2}>Dashboard</Title>
        <Text c="dimmed" size="sm">
          Hello {firstName}. Charts by day and payment type group are coming; these are the numbers so far.
        </Text>
      </div>

      <SimpleGrid cols={{ base: 1, xs: 2, lg: 3 }} spacing="md">
        <Stat
          label="Payments today"
          value={formatCount(overview.paymentsToday)}
          hint={`Since midnight, ${user.timeZone}`}
          to={userHasPermission(user, "payment:read") ? "/payments" : undefined}
        />
        <Stat label="Payments, last 7 days" value={formatCount(overview.paymentsLast7Days)} hint="Created in the last 168 hours" />
      </SimpleGrid>

      <Stack gap="xs">
        <Group align="baseline" gap="sm">
          <Title order={4}>Volume, last 7 days</Title>
          <Text size="xs" c="dimmed">
            Per currency, from the daily rollup
          </Text>
        </Group>
        {overview.volumeLast7Days.length === 0 ? (
          <Paper withBorder radius="md" p="md">
            <Text c="dimmed" size="sm">
              Nothing captured or credited in the last 7 days.
            </Text>
          </Paper>
        ) : (
          <SimpleGrid cols={{ base: 1, xs: 2, lg: 3 }} spacing="md">
            {overview.volumeLast7Days.map((row) => (
              <Paper key={row.currency} withBorder radius="md" p="md">
                <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={6}>
                  {row.currency}
                </Text>
                <Table fz="sm" verticalSpacing={4} horizontalSpacing={0} withRowBorders={false}>
                  <Table.Tbody>
                    <VolumeRow label="Captured" value={row.captured} currency={row.currency} />
                    <VolumeRow label="Credited" value={row.credited} currency={row.currency} />
                    <VolumeRow label="Net" value={row.net} currency={row.currency} strong />
                  </Table.Tbody>
                </Table>
              </Paper>
            ))}
          </SimpleGrid>
        )}
      </Stack>
    </Stack>
  );
}

function VolumeRow({ label, value, currency, strong }: { label: string; value: string; currency: string; strong?: boolean }) {
  return (
    <Table.Tr>
      <Table.Td c={strong ? undefined : "dimmed"} fw={strong ? 600 : undefined}>
        {label}
      </Table.Td>
      <Table.Td ta="right">
        <Amount value={value} currency={currency} fw={strong ? 600 : undefined} />
      </Table.Td>
    </Table.Tr>
  );
}

function Stat({ label, value, hint, to }: { label: string; value: string; hint: string; to?: string }) {
  const body = (
    <>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={28} fw={700} lh={1.3} c="dark" style={{ fontVariantNumeric: "tabular-nums" }}>
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {hint}
      </Text>
    </>
  );
  return to ? (
    <Paper withBorder radius="md" p="md" component={Link} to={to} style={{ textDecoration: "none" }}>
      {body}
    </Paper>
  ) : (
    <Paper withBorder radius="md" p="md">
      {body}
    </Paper>
  );
}
