// Credits: the list finance and support start from. The filter builder speaks the grammar of
// GET /v1/credits and the loader runs the same search, so a filter here and an API query give
// the same credits. Filters, page and perPage live in the URL. Admins set the four-eyes
// thresholds here too, next to the credits they govern.
import { Alert, Anchor, Button, Group, Paper, Stack, Table, Text, TextInput } from "@mantine/core";
import type {
  ActionFunctionArgs,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
  SerializeFrom,
} from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { ViewsMenu } from "../components/SavedViews";
import { CsvExportButton, exportHrefOf } from "../components/CsvExportButton";
import { resolveViews, savedViewIntents } from "../http/staff/saved-views.server";
import { userHasPermission } from "../auth/roles";
import { requirePermission } from "../auth/session.server";
import { DataTable } from "../components/DataTable";
import { ActionModal } from "../components/ActionModal";
import { Amount } from "../components/Amount";
import { CreatorName } from "../components/CreatorName";
import { CreditStatusBadge } from "../components/CreditStatusBadge";
import { DateTime } from "../components/DateTime";
import { FilterBuilder, type FilterField } from "../components/FilterBuilder";
import { PageLinks } from "../components/PageLinks";
import listScreenStyles from "../components/list-screen.css";
import { useStaffUser } from "../components/staff-user";
import { parseSearchQuery } from "../domain/search-filter";
import { formatCount, formatMoney } from "../components/format";
import { intent, staffAction, staffCaller } from "../http/staff/action.server";
import { FourEyesThresholdForm } from "../http/staff/forms/credits";
import { typedAmountFilters } from "../http/staff/list-query.server";
import { CREDIT_SEARCH_FIELDS } from "../services/queries/credit-search.server";
import { creditListPage, fourEyesSummary } from "../services/queries/credit-screens.server";
import { setFourEyesThreshold } from "../services/credits/four-eyes-thresholds.server";
import { Dash, PageHeader } from "../components/list-parts";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction = () => [{ title: "Credits · Paydesk" }];

export const links: LinksFunction = () => [{ rel: "stylesheet", href: listScreenStyles }];

const DEFAULT_PER_PAGE = 25;
const PER_PAGE_CHOICES = [25, 50, 100];

const FIELD_LABELS: Record<string, string> = {
  creditId: "Credit id",
  createdAt: "Created",
  customerNumber: "Customer number",
  orderId: "Order id",
  orderVersion: "Order version",
  organisationId: "Organisation id",
  reimbursementMethod: "Reimbursement method",
  reimbursementTypeGroup: "Reimbursement group",
  rrn: "RRN",
  settlementId: "Settlement id",
  status: "Status",
  totalCreditAmount: "Total credit amount",
  transactionId: "Transaction id",
  updatedAt: "Updated",
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "credit:read");
  const fields: FilterField[] = Object.entries(CREDIT_SEARCH_FIELDS).map(([name, spec]) => ({
    name,
    label: FIELD_LABELS[name] ?? name,
    type: spec.type,
    values: spec.values,
  }));
  const caller = staffCaller(user, request, context, null);
  const { params, state: views } = await resolveViews("credits", request, caller);
  // Amount filters as staff type them (`gte:2 596,50`), then the API's own parser.
  const typed = typedAmountFilters(params, CREDIT_SEARCH_FIELDS);
  const parsed = parseSearchQuery(typed.params, CREDIT_SEARCH_FIELDS, {
    defaultPerPage: DEFAULT_PER_PAGE,
    maxPerPage: 100,
  });
  const fourEyes = await fourEyesSummary(caller);
  if (!parsed.ok || Object.keys(typed.fieldErrors).length > 0) {
    const errors: Record<string, string> = { ...typed.fieldErrors };
    for (const { field, message } of parsed.ok ? [] : parsed.errors) errors[field] ??= message;
    return json({ fields, errors, list: null, fourEyes, views });
  }
  return json({
    fields,
    errors: {} as Record<string, string>,
    list: await creditListPage(caller, { query: parsed.query }),
    fourEyes,
    views,
  });
}

export async function action(args: ActionFunctionArgs) {
  return staffAction(args, {
    ...savedViewIntents("credits"),
    setFourEyesThreshold: intent({
      permission: "credit:configure",
      reason: "optional",
      schema: FourEyesThresholdForm,
      run: async ({ input: { currency, amount }, caller }) => {
        await setFourEyesThreshold(caller, { currency, amount });
        return {
          message:
            amount === null
              ? `${currency} has no threshold now: every ${currency} credit needs a second staff user.`
              : `Credits above ${formatMoney(amount, currency)} now need a second staff user.`,
        };
      },
    }),
  });
}

export default function CreditsList() {
  const { fields, errors, list, fourEyes, views } = useLoaderData<typeof loader>();
  const user = useStaffUser();
  const location = useLocation();
  const listErrors = Object.entries(errors).filter(([field]) => !fields.some((f) => f.name === field));

  return (
    <Stack gap="md" className="list-screen">
      <PageHeader
        title="Credits"
        description={
          <Text c="dimmed" size="sm" aria-live="polite">
            {list === null ? "Fix the filters to see credits" : summaryLine(list)}
          </Text>
        }
      >
        <Group gap="sm" wrap="wrap">
          {list && list.totalItems > 0 ? (
            <PageLinks
              page={list.page}
              totalPages={list.totalPages}
              perPage={{ perPage: list.perPage, perPageChoices: PER_PAGE_CHOICES, defaultPerPage: DEFAULT_PER_PAGE }}
            />
          ) : null}
          <ViewsMenu state={views} />
          <CsvExportButton
            href={exportHrefOf("/credits/export.csv", location.search)}
            filename="credits.csv"
            allowed={userHasPermission(user, "export:csv")}
            disabled={list === null}
          />
          {userHasPermission(user, "credit:create") ? (
            <Button component={Link} to="/credits/new">
              New credit
            </Button>
          ) : null}
        </Group>
      </PageHeader>

      <FilterBuilder fields={fields} errors={errors} label="Credit filters" />
      {listErrors.map(([field, message]) => (
        <Alert key={field} color="red" title={`${field} ${message}`} role="alert" />
      ))}

      <FourEyesPanel thresholds={fourEyes.thresholds} />

      {list === null ? null : list.totalItems === 0 ? (
        <Paper withBorder p="xl" radius="md">
          <Stack gap="xs" align="center" ta="center">
            <Text fw={500}>No credits match</Text>
            <Text c="dimmed" size="sm" maw={460}>
              Credits appear here when an API client or a staff user creates one. Change or clear the filters to see
              more.
            </Text>
          </Stack>
        </Paper>
      ) : list.items.length === 0 ? (
        <Paper withBorder p="xl" radius="md">
          <Text ta="center">
            There is no page {formatCount(list.page)}; the list ends at page {formatCount(list.totalPages)}.
          </Text>
        </Paper>
      ) : (
        <CreditsTable credits={list.items} timeZone={user.timeZone} />
      )}
    </Stack>
  );
}

function summaryLine(list: { totalItems: number; page: number; perPage: number; items: unknown[] }) {
  if (list.totalItems === 0) return "No credits";
  const first = (list.page - 1) * list.perPage + 1;
  return list.items.length === 0
    ? `${formatCount(list.totalItems)} credits`
    : `Showing ${formatCount(first)}–${formatCount(first + list.items.length - 1)} of ${formatCount(list.totalItems)} credits`;
}

type JsonCredit = NonNullable<SerializeFrom<typeof loader>["list"]>["items"][number];

function CreditsTable({ credits, timeZone }: { credits: JsonCredit[]; timeZone: string }) {
  return (
    <DataTable
      label="Credits"
      minWidth={1080}
      maxHeight="var(--list-table-max-height)"
      alignTop
      head={
        <>
          <Table.Th>Credit</Table.Th>
          <Table.Th>Created</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th ta="right">Total</Table.Th>
          <Table.Th>Lines</Table.Th>
          <Table.Th>Order</Table.Th>
          <Table.Th>Organisation</Table.Th>
          <Table.Th>Customer</Table.Th>
          <Table.Th>Created by</Table.Th>
        </>
      }
    >
      {credits.map((credit) => {
        const lines = credit.creditTransactions;
        const credited = lines.filter((l) => l.status === "CREDITED").length;
        const failed = lines.filter((l) => l.status === "FAILED").length;
        return (
          <Table.Tr key={credit.creditId} data-testid="credit-row">
            <Table.Td>
              <Anchor component={Link} to={`/credits/${credit.creditId}`} fw={500} size="sm">
                {credit.creditId}
              </Anchor>
            </Table.Td>
            <Table.Td>
              <DateTime value={credit.createdAt} timeZone={timeZone} />
            </Table.Td>
            <Table.Td miw={120}>
              <CreditStatusBadge
                status={credit.status}
                active={credit.active}
                inProgress={lines.some((l) => l.inProgress)}
              />
            </Table.Td>
            <Table.Td ta="right">
              <Amount value={credit.totalCreditAmount} currency={credit.currency} />
            </Table.Td>
            <Table.Td>
              <Text size="sm" style={{ whiteSpace: "nowrap" }}>
                {lines.length === 1 ? "1 line" : `${lines.length} lines`}
                {credit.status !== "CREDITED" && credited > 0 ? `, ${credited} credited` : ""}
                {failed > 0 ? (
                  <Text span c="red" size="sm">
                    , {failed} failed
                  </Text>
                ) : null}
              </Text>
              <Text size="xs" c="dimmed">
                {[...new Set(lines.map((l) => l.reimbursementMethod))].join(", ")}
              </Text>
            </Table.Td>
            <Table.Td style={{ whiteSpace: "nowrap" }}>{credit.orderId ?? <Dash />}</Table.Td>
            <Table.Td>
              <Text size="sm" truncate maw={160} title={`Organisation ${credit.organisationId}`}>
                {credit.organisationName}
              </Text>
            </Table.Td>
            <Table.Td>{credit.customerNumber ?? <Dash />}</Table.Td>
            <Table.Td>
              <CreatorName creator={credit.creator} />
            </Table.Td>
          </Table.Tr>
        );
      })}
    </DataTable>
  );
}

/** The four-eyes rule in one sentence, with the admin's control to change its thresholds. */
function FourEyesPanel({ thresholds }: { thresholds: { currency: string; amount: string }[] }) {
  const user = useStaffUser();
  const limits = thresholds.map((t) => `${formatMoney(t.amount, t.currency)} (${t.currency})`).join(", ");
  return (
    <Paper withBorder p="sm" radius="md" bg="var(--paydesk-color-subtle)" data-testid="four-eyes-panel">
      <Group justify="space-between" align="center" wrap="wrap" gap="xs">
        <Text size="sm" maw={900}>
          <Text span fw={600}>
            Four-eyes rule:
          </Text>{" "}
          {thresholds.length
            ? `a credit above ${limits} must be executed by someone other than the staff user who created it. Credits in ${thresholds.length === 1 ? "other currencies" : "any other currency"} always need a second person.`
            : "every credit created by a staff user must be executed by someone else."}
        </Text>
        {userHasPermission(user, "credit:configure") ? (
          <ActionModal
            label="Change threshold"
            title="Four-eyes threshold"
            intent="setFourEyesThreshold"
            reason="optional"
            confirmLabel="Save threshold"
            buttonProps={{ variant: "default", size: "xs" }}
            description="Credits strictly above the threshold of their currency must be executed by a different staff user than their creator. Leave the amount empty to remove a currency's threshold: then every credit in it needs a second person."
            fields={(fieldErrors) => (
              <>
                <TextInput
                  name="currency"
                  label="Currency"
                  defaultValue="NOK"
                  maxLength={3}
                  required
                  error={fieldErrors.currency}
                />
                <TextInput
                  name="amount"
                  label="Threshold"
                  placeholder="10 000,00"
                  inputMode="decimal"
                  defaultValue={thresholds.find((t) => t.currency === "NOK")?.amount ?? ""}
                  error={fieldErrors.amount}
                />
              </>
            )}
          />
        ) : null}
      </Group>
    </Paper>
  );
}
