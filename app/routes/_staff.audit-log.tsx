// The audit log: every staff action with who, when, from where, why, and before/after. Read-only:
// this route has no action, so a POST gets 405 and nothing here can change an entry. Filters,
// page and the opened entry (?entry=ID) live in the URL.
import { Anchor, Badge, Code, Group, Modal, SimpleGrid, Stack, Table, Text } from "@mantine/core";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useLocation, useNavigate } from "@remix-run/react";
import { CsvExportButton, exportHrefOf } from "../components/CsvExportButton";
import { useMediaQuery } from "@mantine/hooks";
import type { ReactNode } from "react";
import { requirePermission } from "../auth/session.server";
import { DataTable, HeadedTable } from "../components/DataTable";
import { DateTime } from "../components/DateTime";
import { FilterBuilder, type FilterField } from "../components/FilterBuilder";
import listScreenStyles from "../components/list-screen.css";
import { Dash, ListNotice } from "../components/list-parts";
import { PagedListHeader } from "../components/PageLinks";
import { useHrefWith } from "../components/url-state";
import { staffArea } from "../components/staff-areas";
import { useStaffUser } from "../components/staff-user";
import { parseSearchQuery } from "../domain/search-filter";
import { staffCaller } from "../http/staff/action.server";
import { diffRows } from "../components/audit-diff";
import { AUDIT_FILTERS, getAuditEntry, listAuditEntries } from "../services/queries/audit-log.server";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

const AREA = staffArea("/audit-log");

export const meta: MetaFunction = () => [{ title: `${AREA.label} · Paydesk` }];

export const links: LinksFunction = () => [{ rel: "stylesheet", href: listScreenStyles }];

const FIELDS: readonly FilterField[] = [
  { name: "actor", label: "Actor (email)", type: "string", placeholder: "admin@paydesk.test" },
  { name: "action", label: "Action", type: "string", placeholder: "payment_method.disable" },
  { name: "entityType", label: "Entity type", type: "string", placeholder: "payment" },
  { name: "entityId", label: "Entity id", type: "string" },
  { name: "createdAt", label: "Time (UTC)", type: "timestamp" },
  { name: "correlationId", label: "Correlation id", type: "string" },
  { name: "ip", label: "IP address", type: "string" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "audit:read");
  const caller = staffCaller(user, request, context, null);
  const params = new URL(request.url).searchParams;
  const parsed = parseSearchQuery(params, AUDIT_FILTERS, { defaultPerPage: 50, maxPerPage: 200, extra: ["entry"] });
  const entryId = params.get("entry");
  const [list, entry] = await Promise.all([
    parsed.ok ? listAuditEntries(caller, { query: parsed.query }) : null,
    entryId && /^[1-9][0-9]{0,15}$/.test(entryId) ? getAuditEntry(caller, { entryId: Number(entryId) }) : null,
  ]);
  const filterErrors = parsed.ok ? {} : Object.fromEntries(parsed.errors.map((error) => [error.field, error.message]));
  return json({ list, filterErrors, entry, entryMissing: entryId !== null && entry === null });
}

type Entry = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["entry"]>;

function sideOf(entry: Pick<Entry, "before" | "after">, key: string): string | null {
  for (const side of [entry.after, entry.before]) {
    if (side && typeof side === "object" && key in side) {
      const value = (side as Record<string, unknown>)[key];
      if (typeof value === "string" || typeof value === "number") return String(value);
    }
  }
  return null;
}

/** The screen an entry's entity lives on, where there is one. */
function entityHref(entry: Pick<Entry, "entityType" | "entityId" | "before" | "after">): string | null {
  const id = entry.entityId;
  if (!id) return null;
  const q = encodeURIComponent(id);
  switch (entry.entityType) {
    case "payment":
      return `/payments/${q}`;
    case "credit":
      return `/credits/${q}`;
    case "transaction": {
      const paymentId = sideOf(entry, "paymentId");
      return paymentId ? `/payments/${encodeURIComponent(paymentId)}` : null;
    }
    case "staff_user":
      return `/users?q=${q}`;
    case "api_client":
      return `/api-clients?q=${q}`;
    case "payment_method":
      return `/payment-methods?id=${q}`;
    // Stored cards and agreements have no screen of their own: their customer's screen lists them.
    case "recurring_payment":
    case "payment_agreement": {
      const customerNumber = sideOf(entry, "customerNumber");
      return customerNumber ? `/customers/${encodeURIComponent(customerNumber)}` : null;
    }
    default:
      return null;
  }
}

export default function AuditLog() {
  const { list, filterErrors, entry, entryMissing } = useLoaderData<typeof loader>();
  const user = useStaffUser();
  const hrefWith = useHrefWith();
  const navigate = useNavigate();
  const narrow = useMediaQuery("(max-width: 48em)");
  const location = useLocation();
  const filterLink = (field: string, value: string | null, children: ReactNode) =>
    value ? (
      <Anchor
        component={Link}
        to={hrefWith({ [field]: value, page: null, entry: null })}
        size="sm"
        c="inherit"
        title={`Only ${field} ${value}`}
      >
        {children}
      </Anchor>
    ) : (
      <Text span c="dimmed" size="sm">
        —
      </Text>
    );

  return (
    <Stack gap="md" className="list-screen">
      <PagedListHeader title={AREA.label} list={list} noun="entries" invalid="Fix the filters below to see entries." />
      <Group justify="flex-end">
        <CsvExportButton
          href={exportHrefOf("/audit-log/export.csv", location.search, ["entry"])}
          filename="audit-log.csv"
          allowed
          disabled={list === null}
        />
      </Group>

      <FilterBuilder fields={FIELDS} errors={filterErrors} label="Audit log filters" />

      {list && list.items.length === 0 ? (
        <ListNotice title={list.totalItems === 0 ? "No audit entries match" : "This page is past the end of the list"}>
          Every staff action (logins, captures, credits, method toggles, user and client changes) leaves an entry here.
        </ListNotice>
      ) : null}

      {list && list.items.length > 0 ? (
        <DataTable
          label="Audit log"
          minWidth={1100}
          maxHeight="var(--list-table-max-height)"
          alignTop
          head={
            <>
              <Table.Th>Time (newest first)</Table.Th>
              <Table.Th>Actor</Table.Th>
              <Table.Th>Action</Table.Th>
              <Table.Th>Entity</Table.Th>
              <Table.Th>Reason</Table.Th>
              <Table.Th>IP</Table.Th>
              <Table.Th>Correlation id</Table.Th>
              <Table.Th>Changes</Table.Th>
            </>
          }
        >
          {list.items.map((row) => {
            const href = entityHref(row);
            return (
              <Table.Tr key={row.id} data-testid="audit-row" data-action={row.action}>
                <Table.Td>
                  <DateTime value={row.createdAt} timeZone={user.timeZone} />
                </Table.Td>
                <Table.Td>{filterLink("actor", row.actorEmail, row.actorEmail)}</Table.Td>
                <Table.Td>
                  {filterLink(
                    "action",
                    row.action,
                    <Code fz="xs" style={{ whiteSpace: "nowrap" }}>
                      {row.action}
                    </Code>,
                  )}
                </Table.Td>
                <Table.Td miw={140} style={{ overflowWrap: "anywhere" }}>
                  <Text span size="xs" c="dimmed">
                    {row.entityType}{" "}
                  </Text>
                  {href ? (
                    <Anchor component={Link} to={href} size="sm">
                      {row.entityId}
                    </Anchor>
                  ) : (
                    <Text span size="sm">
                      {row.entityId ?? ""}
                    </Text>
                  )}
                </Table.Td>
                {/* The whole reason, wrapped: an auditor reads it, never a clipped part of it. */}
                <Table.Td miw={200} maw={360}>
                  {row.reason ? (
                    <Text size="sm" style={{ overflowWrap: "anywhere", whiteSpace: "pre-wrap" }}>
                      {row.reason}
                    </Text>
                  ) : (
                    <Dash />
                  )}
                </Table.Td>
                <Table.Td>{filterLink("ip", row.ip, row.ip)}</Table.Td>
                <Table.Td>
                  {filterLink(
                    "correlationId",
                    row.correlationId,
                    <Text span size="xs" ff="monospace" title={row.correlationId ?? undefined}>
                      {row.correlationId?.slice(0, 8)}…
                    </Text>,
                  )}
                </Table.Td>
                <Table.Td>
                  {row.before == null && row.after == null ? (
                    <Text size="sm" c="dimmed">
                      none
                    </Text>
                  ) : (
                    <Anchor component={Link} to={hrefWith({ entry: String(row.id) })} size="sm" preventScrollReset>
                      View
                    </Anchor>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </DataTable>
      ) : null}

      <Modal
        opened={entry !== null || entryMissing}
        onClose={() => navigate(hrefWith({ entry: null }), { preventScrollReset: true })}
        title={entry ? `Audit entry ${entry.id}` : "Audit entry not found"}
        size="xl"
        fullScreen={narrow}
      >
        {entry ? <EntryDetail entry={entry} /> : <Text>There is no audit entry with this id.</Text>}
      </Modal>
    </Stack>
  );
}

function EntryDetail({ entry }: { entry: Entry }) {
  const user = useStaffUser();
  const href = entityHref(entry);
  const rows = diffRows(entry.before, entry.after);
  const facts: Array<[string, ReactNode]> = [
    ["Time", <DateTime key="t" value={entry.createdAt} timeZone={user.timeZone} />],
    ["Actor", entry.actorEmail],
    ["Action", <Code key="a">{entry.action}</Code>],
    [
      "Entity",
      href ? (
        <Anchor component={Link} to={href}>
          {entry.entityType} {entry.entityId}
        </Anchor>
      ) : (
        `${entry.entityType} ${entry.entityId ?? ""}`
      ),
    ],
    ["Reason", entry.reason ?? "—"],
    ["IP address", entry.ip ?? "—"],
    ["Correlation id", <Code key="c">{entry.correlationId ?? "—"}</Code>],
    ["Browser", entry.userAgent ?? "—"],
  ];
  return (
    <Stack gap="md" data-testid="audit-entry">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" verticalSpacing={6}>
        {facts.map(([label, value]) => (
          <div key={label}>
            <Text size="xs" c="dimmed">
              {label}
            </Text>
            <Text size="sm" component="div" style={{ overflowWrap: "anywhere" }}>
              {value}
            </Text>
          </div>
        ))}
      </SimpleGrid>

      {rows ? (
        <Stack gap={4}>
          <Text fw={500} size="sm">
            Changes
          </Text>
          <HeadedTable
            withTableBorder
            verticalSpacing={4}
            fz="sm"
            data-testid="audit-diff"
            style={{ tableLayout: "fixed" }}
            head={
              <>
                <Table.Th w="30%">Field</Table.Th>
                <Table.Th w="35%">Before</Table.Th>
                <Table.Th w="35%">After</Table.Th>
              </>
            }
          >
            {rows.map((row) => (
              <Table.Tr
                key={row.field}
                bg={row.changed ? "var(--mantine-color-yellow-light)" : undefined}
                data-changed={row.changed || undefined}
              >
                <Table.Td fw={row.changed ? 600 : undefined} style={{ overflowWrap: "anywhere" }}>
                  {row.field}
                  {row.changed ? (
                    <Badge display="block" w="fit-content" size="xs" color="yellow" variant="light">
                      changed
                    </Badge>
                  ) : null}
                </Table.Td>
                <DiffCell value={row.before} changed={row.changed} color="red" />
                <DiffCell value={row.after} changed={row.changed} color="green" />
              </Table.Tr>
            ))}
          </HeadedTable>
        </Stack>
      ) : null}

      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        {(["before", "after"] as const).map((side) => (
          <Stack key={side} gap={4} style={{ minWidth: 0 }}>
            <Text fw={500} size="sm">
              {side === "before" ? "Before (JSON)" : "After (JSON)"}
            </Text>
            <Code block style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
              {entry[side] == null ? "—" : JSON.stringify(entry[side], null, 2)}
            </Code>
          </Stack>
        ))}
      </SimpleGrid>
    </Stack>
  );
}

function DiffCell({ value, changed, color }: { value: string | null; changed: boolean; color: string }) {
  return (
    <Table.Td style={{ overflowWrap: "anywhere" }}>
      {value === null ? (
        <Text span size="sm" c="dimmed" fs="italic">
          absent
        </Text>
      ) : (
        <Text span size="sm" ff="monospace" c={changed ? color : undefined}>
          {value}
        </Text>
      )}
    </Table.Td>
  );
}
