// The audit log: every staff action with who, when, from where, why, and before/after. Read-only:
// this route has no action, so a POST gets 405 and nothing here can change an entry. Filters,
// page and the opened entry (?entry=ID) live in the URL.
import { Anchor, Badge, Code, Group, Modal, SimpleGrid, Stack, Table, Text } from "@mantine/core";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useLocation, useNavigate } from "@remix-run/react";
import { CsvExportButton, exportHrefOf } from "../components/CsvExportButton";
import { useMediaQuery } from "@mantine/hooks";
import { useMemo, type ReactNode } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../auth/session.server";
import { DataTable, HeadedTable, HeaderCells } from "../components/DataTable";
import { DateTime } from "../components/DateTime";
import { FilterBuilder, type FilterField } from "../components/FilterBuilder";
import { Dash, ListNotice } from "../components/list-parts";
import { PagedListHeader } from "../components/PageLinks";
import { useHrefWith } from "../components/url-state";
import { useStaffUser } from "../components/staff-user";
import { parseSearchQuery } from "../domain/search-filter";
import { staffCaller } from "../http/staff/action.server";
import { filterErrorsIn } from "../http/staff/list-query.server";
import { staffLanguage } from "../i18n/language.server";
import { diffRows } from "../components/audit-diff";
import { AUDIT_FILTERS, getAuditEntry, listAuditEntries } from "../services/queries/audit-log.server";
import { listScreenMeta } from "../components/list-screen-route";

export { ErrorBoundary, links } from "../components/list-screen-route";

export const meta = listScreenMeta("shell.areas.auditLog");

/** The filters, labelled in the reader's language; the names and values are the stored ones. */
const fieldsIn = (t: TFunction): FilterField[] => [
  { name: "actor", label: t("admin.auditLog.fields.actor"), type: "string", placeholder: "admin@paydesk.test" },
  {
    name: "action",
    label: t("admin.auditLog.fields.action"),
    type: "string",
    placeholder: "payment_method.disable",
  },
  { name: "entityType", label: t("admin.auditLog.fields.entityType"), type: "string", placeholder: "payment" },
  { name: "entityId", label: t("admin.auditLog.fields.entityId"), type: "string" },
  { name: "createdAt", label: t("admin.auditLog.fields.createdAt"), type: "timestamp" },
  { name: "correlationId", label: t("admin.auditLog.fields.correlationId"), type: "string" },
  { name: "ip", label: t("admin.auditLog.fields.ip"), type: "string" },
];

type LinkedField = "actor" | "action" | "correlationId" | "ip";

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
  const filterErrors = parsed.ok ? {} : filterErrorsIn(staffLanguage(user, request), parsed.errors);
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
  const { t } = useTranslation();
  const fields = useMemo(() => fieldsIn(t), [t]);
  return (
    <Stack gap="md" className="list-screen">
      <PagedListHeader
        title={t("shell.areas.auditLog")}
        list={list}
        noun={t("admin.auditLog.noun")}
        invalid={t("admin.auditLog.invalid")}
      />
      <Group justify="flex-end">
        <CsvExportButton
          href={exportHrefOf("/audit-log/export.csv", location.search, ["entry"])}
          filename="audit-log.csv"
          allowed
          disabled={list === null}
        />
      </Group>

      <FilterBuilder fields={fields} errors={filterErrors} label={t("admin.auditLog.filtersLabel")} />

      {list && list.items.length === 0 ? (
        <ListNotice title={list.totalItems === 0 ? t("admin.auditLog.noMatch") : t("admin.auditLog.pastEnd")}>
          {t("admin.auditLog.emptyHint")}
        </ListNotice>
      ) : null}

      {list && list.items.length > 0 ? (
        <DataTable
          label={t("admin.auditLog.tableLabel")}
          minWidth={1100}
          maxHeight="var(--list-table-max-height)"
          alignTop
          head={
            <HeaderCells
              columns={["time", "actor", "action", "entity", "reason", "ip", "correlationId", "changes"] as const}
              label={(column) => t(`admin.auditLog.${column}`)}
            />
          }
        >
          {list.items.map((row) => {
            const href = entityHref(row);
            return (
              <Table.Tr key={row.id} data-testid="audit-row" data-action={row.action}>
                <Table.Td>
                  <DateTime value={row.createdAt} timeZone={user.timeZone} />
                </Table.Td>
                <Table.Td>
                  <FilterLink field="actor" value={row.actorEmail} />
                </Table.Td>
                <Table.Td>
                  <FilterLink field="action" value={row.action}>
                    <Code fz="xs" style={{ whiteSpace: "nowrap" }}>
                      {row.action}
                    </Code>
                  </FilterLink>
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
                <Table.Td>
                  <FilterLink field="ip" value={row.ip} />
                </Table.Td>
                <Table.Td>
                  <FilterLink field="correlationId" value={row.correlationId}>
                    <Text span size="xs" ff="monospace" title={row.correlationId ?? undefined}>
                      {`${row.correlationId?.slice(0, 8)}…`}
                    </Text>
                  </FilterLink>
                </Table.Td>
                <Table.Td>
                  {row.before == null && row.after == null ? (
                    <Text size="sm" c="dimmed">
                      {t("admin.auditLog.none")}
                    </Text>
                  ) : (
                    <Anchor component={Link} to={hrefWith({ entry: String(row.id) })} size="sm" preventScrollReset>
                      {t("admin.auditLog.view")}
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
        title={entry ? t("admin.auditLog.entryTitle", { id: entry.id }) : t("admin.auditLog.entryNotFound")}
        size="xl"
        fullScreen={narrow}
      >
        {entry ? <EntryDetail entry={entry} /> : <Text>{t("admin.auditLog.noEntry")}</Text>}
      </Modal>
    </Stack>
  );
}

/**
 * A value that narrows the list to the entries with it, or a dash where there is none. It shows
 * the value as it is unless `children` show it otherwise.
 */
function FilterLink({ field, value, children }: { field: LinkedField; value: string | null; children?: ReactNode }) {
  const hrefWith = useHrefWith();
  const { t } = useTranslation();
  return value ? (
    <Anchor
      component={Link}
      to={hrefWith({ [field]: value, page: null, entry: null })}
      size="sm"
      c="inherit"
      title={t("admin.auditLog.only", { field: t(`admin.auditLog.fields.${field}`), value })}
    >
      {children ?? value}
    </Anchor>
  ) : (
    <Text span c="dimmed" size="sm">
      {t("common.dash")}
    </Text>
  );
}

const SIDES = ["before", "after"] as const;

function EntryDetail({ entry }: { entry: Entry }) {
  const user = useStaffUser();
  const href = entityHref(entry);
  const rows = diffRows(entry.before, entry.after);
  const { t } = useTranslation();
  const dash = t("common.dash");
  const facts: Array<[string, ReactNode]> = [
    [t("admin.auditLog.detail.time"), <DateTime key="t" value={entry.createdAt} timeZone={user.timeZone} />],
    [t("admin.auditLog.detail.actor"), entry.actorEmail],
    [t("admin.auditLog.detail.action"), <Code key="a">{entry.action}</Code>],
    [
      t("admin.auditLog.detail.entity"),
      href ? (
        <Anchor component={Link} to={href}>
          {entry.entityType} {entry.entityId}
        </Anchor>
      ) : (
        `${entry.entityType} ${entry.entityId ?? ""}`
      ),
    ],
    [t("admin.auditLog.detail.reason"), entry.reason ?? dash],
    [t("admin.auditLog.detail.ip"), entry.ip ?? dash],
    [t("admin.auditLog.detail.correlationId"), <Code key="c">{entry.correlationId ?? dash}</Code>],
    [t("admin.auditLog.detail.browser"), entry.userAgent ?? dash],
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
            {t("admin.auditLog.changes")}
          </Text>
          <HeadedTable
            withTableBorder
            verticalSpacing={4}
            fz="sm"
            data-testid="audit-diff"
            style={{ tableLayout: "fixed" }}
            head={
              <>
                <Table.Th w="30%">{t("admin.auditLog.field")}</Table.Th>
                <Table.Th w="35%">{t("admin.auditLog.before")}</Table.Th>
                <Table.Th w="35%">{t("admin.auditLog.after")}</Table.Th>
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
                      {t("admin.auditLog.changed")}
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
        {SIDES.map((side) => (
          <Stack key={side} gap={4} style={{ minWidth: 0 }}>
            <Text fw={500} size="sm">
              {side === "before" ? t("admin.auditLog.beforeJson") : t("admin.auditLog.afterJson")}
            </Text>
            <Code block style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
              {entry[side] == null ? dash : JSON.stringify(entry[side], null, 2)}
            </Code>
          </Stack>
        ))}
      </SimpleGrid>
    </Stack>
  );
}

function DiffCell({ value, changed, color }: { value: string | null; changed: boolean; color: string }) {
  const { t } = useTranslation();
  return (
    <Table.Td style={{ overflowWrap: "anywhere" }}>
      {value === null ? (
        <Text span size="sm" c="dimmed" fs="italic">
          {t("admin.auditLog.absent")}
        </Text>
      ) : (
        <Text span size="sm" ff="monospace" c={changed ? color : undefined}>
          {value}
        </Text>
      )}
    </Table.Td>
  );
}
