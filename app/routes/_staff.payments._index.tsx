// Payments: the list every support question starts from. The URL is the state (page, perPage,
// and later the filters), so a copied link shows the same view.
import { Anchor, Badge, Box, Button, Group, Pagination, Paper, Select, Stack, Table, Text, Title, Tooltip } from "@mantine/core";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useLocation, useNavigate } from "@remix-run/react";
import { Fragment } from "react";
import { requirePermission } from "../auth/session.server";
import { Amount } from "../components/Amount";
import { DateTime } from "../components/DateTime";
import { StatusBadge } from "../components/StatusBadge";
import { useStaffUser } from "../components/staff-user";
import listScreenStyles from "../components/list-screen.css";
import { formatCount } from "../lib/format";
import { listPayments, MAX_PER_PAGE, type PaymentListTransaction } from "../services/payment-list.server";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction = () => [{ title: "Payments · Paydesk" }];

export const links: LinksFunction = () => [{ rel: "stylesheet", href: listScreenStyles }];

const DEFAULT_PER_PAGE = 25;
const PER_PAGE_CHOICES = ["25", "50", "100"];

/** A positive whole number from the query string, or null for anything else. */
function positiveInt(value: string | null): number | null {
  if (value === null || !/^[0-9]{1,9}$/.test(value.trim())) return null;
  const parsed = Number.parseInt(value, 10);
  return parsed >= 1 ? parsed : null;
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "payment:read");
  const params = new URL(request.url).searchParams;
  // A hand-edited URL with a bad page or perPage shows the default view rather than an error.
  const page = positiveInt(params.get("page")) ?? 1;
  const perPage = Math.min(MAX_PER_PAGE, positiveInt(params.get("perPage")) ?? DEFAULT_PER_PAGE);
  const list = await listPayments({ page, perPage });
  return json({ list });
}

/** The current URL with other query values replaced (null removes one). */
function useHrefWith() {
  const location = useLocation();
  return (changes: Record<string, string | null>) => {
    const params = new URLSearchParams(location.search);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) params.delete(key);
      else params.set(key, value);
    }
    const search = params.toString();
    return search ? `${location.pathname}?${search}` : location.pathname;
  };
}

export default function PaymentsList() {
  const { list } = useLoaderData<typeof loader>();
  const user = useStaffUser();
  const hrefWith = useHrefWith();
  const navigate = useNavigate();
  const { items, total, page, perPage, pageCount } = list;

  const pageHref = (target: number) => hrefWith({ page: target === 1 ? null : String(target) });
  const first = (page - 1) * perPage + 1;
  const last = first + items.length - 1;

  return (
    <Stack gap="md" className="list-screen">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <div>
          <Title order={2}>Payments</Title>
          <Text c="dimmed" size="sm" aria-live="polite">
            {total === 0
              ? "No payments"
              : items.length === 0
                ? `${formatCount(total)} payments on ${formatCount(pageCount)} pages`
                : `Showing ${formatCount(first)}–${formatCount(last)} of ${formatCount(total)} payments`}
          </Text>
        </div>
        {total > 0 ? (
          <Group gap="md" wrap="wrap" justify="flex-end">
            {items.length > 0 && pageCount > 1 ? (
              <Pagination
                total={pageCount}
                value={page}
                siblings={1}
                boundaries={1}
                size="sm"
                getItemProps={(target) => ({ component: Link, to: pageHref(target) })}
                getControlProps={(control) => {
                  const target = { first: 1, previous: page - 1, next: page + 1, last: pageCount }[control];
                  const label = { first: "First page", previous: "Previous page", next: "Next page", last: "Last page" }[control];
                  return target >= 1 && target <= pageCount && target !== page
                    ? { component: Link, to: pageHref(target), "aria-label": label }
                    : { "aria-label": label };
                }}
              />
            ) : null}
            <Group gap="xs" wrap="nowrap">
              <Text size="sm" c="dimmed" component="label" htmlFor="per-page">
                Per page
              </Text>
              <Select
                id="per-page"
                data={PER_PAGE_CHOICES.includes(String(perPage)) ? PER_PAGE_CHOICES : [...PER_PAGE_CHOICES, String(perPage)]}
                value={String(perPage)}
                onChange={(value) =>
                  value && navigate(hrefWith({ perPage: value === String(DEFAULT_PER_PAGE) ? null : value, page: null }))
                }
                allowDeselect={false}
                w={76}
                size="xs"
              />
            </Group>
          </Group>
        ) : null}
      </Group>

      {total === 0 ? (
        <EmptyState />
      ) : items.length === 0 ? (
        <PastTheEnd page={page} pageCount={pageCount} href={pageHref(pageCount)} />
      ) : (
        <Paper withBorder radius="md" style={{ overflow: "hidden" }}>
          <Table.ScrollContainer minWidth={1060} maxHeight="var(--list-table-max-height)" type="native">
            <Table stickyHeader highlightOnHover verticalSpacing="xs" horizontalSpacing="sm" fz="sm" styles={{ td: { verticalAlign: "top" } }}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Payment</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>Order</Table.Th>
                  <Table.Th>Organisation</Table.Th>
                  <Table.Th>Customer</Table.Th>
                  <Table.Th ta="right">Amount</Table.Th>
                  <Table.Th>Transactions</Table.Th>
                  <Table.Th>Settlement</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((payment) => {
                  return (
                    <Table.Tr key={payment.paymentId}>
                      <Table.Td>
                        <Stack gap={2} align="flex-start">
                          <Anchor component={Link} to={`/payments/${payment.paymentId}`} fw={500} size="sm">
                            {payment.paymentId}
                          </Anchor>
                          {payment.active ? null : (
                            <Tooltip label="Deactivated: refuses every operation until it is reactivated" withArrow>
                              <Badge color="red" variant="outline" size="xs" radius="sm" tabIndex={0}>
                                Inactive
                              </Badge>
                            </Tooltip>
                          )}
                        </Stack>
                      </Table.Td>
                      <Table.Td>
                        <DateTime value={payment.createdAt} timeZone={user.timeZone} />
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: "nowrap" }}>
                        {payment.orderId === null ? (
                          <Dash />
                        ) : (
                          <>
                            {payment.orderId}
                            {payment.orderVersion !== null && payment.orderVersion !== 1 ? (
                              <Text size="xs" c="dimmed" span ml={4} title="Order version">
                                v{payment.orderVersion}
                              </Text>
                            ) : null}
                          </>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" truncate maw={160} title={`Organisation ${payment.organisationId}`}>
                          {payment.organisationName}
                        </Text>
                      </Table.Td>
                      <Table.Td>{payment.customerNumber ?? <Dash />}</Table.Td>
                      <Table.Td ta="right">
                        <Amount value={payment.totalAmount} currency={payment.currency} />
                      </Table.Td>
                      <Table.Td>
                        {payment.transactions.length === 0 ? (
                          <Text size="xs" c="dimmed">
                            No transactions
                          </Text>
                        ) : (
                          <TransactionLines transactions={payment.transactions} />
                        )}
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: "nowrap" }}>{payment.settlementId ?? <Dash />}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}

    </Stack>
  );
}

/**
 * The transactions of a list row, one line each: status, then payment type (or only its group,
 * until the card's scheme is known) and card. A grid, so the types line up after the badges.
 */
function TransactionLines({ transactions }: { transactions: PaymentListTransaction[] }) {
  return (
    <Box
      style={{ display: "grid", gridTemplateColumns: "max-content max-content", columnGap: 8, rowGap: 4, alignItems: "center" }}
    >
      {transactions.map((t) => (
        <Fragment key={t.transactionId}>
          <Box style={{ justifySelf: "start" }}>
            <StatusBadge status={t.status} />
          </Box>
          <Text size="sm" span style={{ whiteSpace: "nowrap", fontVariantNumeric: "tabular-nums" }}>
            {t.paymentType ?? (
              <Text span c="dimmed" size="sm" title="The card scheme is known once the card is entered">
                {t.paymentTypeGroup}
              </Text>
            )}
            {t.cardNumber ? ` •••• ${t.cardNumber}` : null}
          </Text>
        </Fragment>
      ))}
    </Box>
  );
}

function Dash() {
  return (
    <Text span c="dimmed" size="sm">
      —
    </Text>
  );
}

function EmptyState() {
  return (
    <Paper withBorder p="xl" radius="md">
      <Stack gap="xs" align="center" ta="center">
        <Text fw={500}>No payments yet</Text>
        <Text c="dimmed" size="sm" maw={460}>
          Payments show up here as soon as an API client creates one. For demo data, run{" "}
          <Text span ff="monospace" size="sm">
            npm run db:seed
          </Text>
          .
        </Text>
      </Stack>
    </Paper>
  );
}

function PastTheEnd({ page, pageCount, href }: { page: number; pageCount: number; href: string }) {
  return (
    <Paper withBorder p="xl" radius="md">
      <Stack gap="sm" align="center" ta="center">
        <Text fw={500}>There is no page {formatCount(page)}</Text>
        <Text c="dimmed" size="sm">
          The list ends at page {formatCount(pageCount)}.
        </Text>
        <Box>
          <Button component={Link} to={href} variant="light" size="xs">
            Go to the last page
          </Button>
        </Box>
      </Stack>
    </Paper>
  );
}
