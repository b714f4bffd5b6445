// Payment methods per API client and distribution channel: an admin disables one (with a reason,
// kept on the row and in the audit log) or enables it again. The API reads the same row, so
// GET /v1/payment-methods and new transactions follow at once.
import { Badge, Group, SegmentedControl, Stack, Table, Text } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useNavigate, useSearchParams, type ShouldRevalidateFunction } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../auth/session.server";
import { DataTable, HeaderCells } from "../components/DataTable";
import { EnableDisableAction } from "../components/ActionModal";
import { DateTime } from "../components/DateTime";
import { ClampedText, ListNotice } from "../components/list-parts";
import { PagedListHeader } from "../components/PageLinks";
import { useHrefWith } from "../components/url-state";
import { useStaffUser } from "../components/staff-user";
import { UrlSelect } from "../components/UrlSelect";
import { PAYMENT_TYPE_GROUPS } from "../domain/enums";
import { parseSearchQuery } from "../domain/search-filter";
import { intent, staffAction, staffCaller, switchIntents } from "../http/staff/action.server";
import { filterErrorsIn } from "../http/staff/list-query.server";
import { staffLanguage } from "../i18n/language.server";
import { PaymentMethodForm } from "../http/staff/forms/admin";
import { MethodSwitchApplyForm, MethodSwitchPreviewForm } from "../http/staff/forms/bulk";
import { MethodSwitchPanel, type MethodSwitchPreviewData } from "../components/MethodSwitchPanel";
import { PAYMENT_TYPES } from "../domain/enums";
import { listApiClients } from "../services/admin/api-clients.server";
import {
  listMethodsForStaff,
  methodChannels,
  previewMethodSwitch,
  setPaymentMethodEnabled,
  switchPaymentMethods,
  STAFF_METHOD_FILTERS,
} from "../services/admin/payment-methods.server";
import { listScreenMeta } from "../components/list-screen-route";

export { ErrorBoundary, links } from "../components/list-screen-route";

export const meta = listScreenMeta("shell.areas.paymentMethods");

const PER_PAGE = 50;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "method:manage");
  const caller = staffCaller(user, request, context, null);
  const params = new URL(request.url).searchParams;
  const parsed = parseSearchQuery(params, STAFF_METHOD_FILTERS, { defaultPerPage: PER_PAGE, maxPerPage: 200 });
  const [clients, channels] = await Promise.all([listApiClients(caller), methodChannels(caller)]);
  const filterErrors = parsed.ok ? {} : filterErrorsIn(staffLanguage(user, request), parsed.errors);
  // A hand-edited URL that does not parse shows its errors, not a list that ignores them.
  const list = parsed.ok ? await listMethodsForStaff(caller, { query: parsed.query }) : null;
  return json({
    list,
    filterErrors,
    clients: clients.map((client) => ({ value: client.clientId, label: `${client.name} (${client.clientId})` })),
    channels,
    paymentTypes: PAYMENT_TYPES,
  });
}

export const action = (args: ActionFunctionArgs) =>
  staffAction(args, {
    ...switchIntents({
      permission: "method:manage",
      schema: PaymentMethodForm,
      run: async ({ input: { methodId }, caller, enabled, t }) => {
        const method = await setPaymentMethodEnabled(caller, { methodId, enabled, reason: caller.reason });
        const values = { type: method.paymentType, channel: method.distributionChannelId, clientId: method.clientId };
        return {
          message: enabled ? t("toasts.paymentMethods.enabled", values) : t("toasts.paymentMethods.disabled", values),
        };
      },
    }),
    // One payment type for many clients and channels: preview what changes, then apply that.
    "bulk-preview": intent({
      permission: "method:manage",
      reason: "required",
      schema: MethodSwitchPreviewForm,
      run: async ({ input, caller, t }) => {
        const preview = await previewMethodSwitch(caller, input);
        const data: MethodSwitchPreviewData = {
          fingerprint: preview.fingerprint,
          changes: preview.changes.map(previewRow),
          unchanged: preview.unchanged.map(previewRow),
        };
        const counts = { changes: preview.changes.length, unchanged: preview.unchanged.length };
        return { message: t("toasts.paymentMethods.preview", counts), data };
      },
    }),
    "bulk-apply": intent({
      permission: "method:manage",
      reason: "required",
      schema: MethodSwitchApplyForm,
      run: async ({ input, caller, t }) => {
        const { changed, unchanged } = await switchPaymentMethods(caller, { ...input, reason: caller.reason });
        const type = input.scope.paymentType;
        const done = input.enabled
          ? t("toasts.paymentMethods.enabledOn", { type, count: changed.length })
          : t("toasts.paymentMethods.disabledOn", { type, count: changed.length });
        const already = !unchanged
          ? ""
          : input.enabled
            ? t("toasts.paymentMethods.enabledAlready", { count: unchanged })
            : t("toasts.paymentMethods.disabledAlready", { count: unchanged });
        return { message: `${done}${already}.` };
      },
    }),
  });

const previewRow = (m: {
  id: number;
  clientId: string;
  clientName: string;
  distributionChannelId: string;
  enabled: boolean;
}) => ({
  id: m.id,
  clientId: m.clientId,
  clientName: m.clientName,
  channel: m.distributionChannelId,
  enabled: m.enabled,
});

const FILTER_CONTROLS = new Set(["clientId", "channel", "paymentTypeGroup", "enabled"]);

type Method = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["list"]>["items"][number];

/** A preview writes nothing: the list need not be read again after it. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "bulk-preview" ? false : defaultShouldRevalidate;

export default function PaymentMethods() {
  const { list, filterErrors, clients, channels, paymentTypes } = useLoaderData<typeof loader>();
  const user = useStaffUser();
  // Errors of parameters without a control of their own (page, id, … in a hand-edited URL).
  const otherErrors = Object.entries(filterErrors).filter(([field]) => !FILTER_CONTROLS.has(field));
  const { t } = useTranslation();
  const selectFilters = [
    { name: "clientId", label: t("admin.paymentMethods.apiClient"), data: clients, width: 280 },
    { name: "channel", label: t("admin.paymentMethods.channel"), data: channels, width: 180 },
    { name: "paymentTypeGroup", label: t("admin.paymentMethods.group"), data: [...PAYMENT_TYPE_GROUPS], width: 160 },
  ];
  return (
    <Stack gap="md" className="list-screen">
      <PagedListHeader
        title={t("shell.areas.paymentMethods")}
        list={list}
        noun={t("admin.paymentMethods.noun")}
        invalid={t("admin.paymentMethods.invalid")}
      />
      <Group justify="flex-end" mt={-8}>
        <MethodSwitchPanel paymentTypes={paymentTypes} clients={clients} channels={channels} />
      </Group>

      <Group gap="sm" align="flex-start" wrap="wrap" component="section" aria-label={t("admin.paymentMethods.filters")}>
        {selectFilters.map((select) => (
          <UrlSelect key={select.name} {...select} error={filterErrors[select.name]} />
        ))}
        <StatusFilter error={filterErrors.enabled} />
      </Group>
      {otherErrors.length ? (
        <Text c="red" size="sm" role="alert">
          {otherErrors.map(([field, message]) => `${field} ${message}`).join("; ")}
        </Text>
      ) : null}

      {list && list.items.length === 0 ? (
        <ListNotice
          title={list.totalItems === 0 ? t("admin.paymentMethods.noMatch") : t("admin.paymentMethods.pastEnd")}
        >
          {list.totalItems === 0 ? t("admin.paymentMethods.noMatchHint") : t("admin.paymentMethods.firstPage")}
        </ListNotice>
      ) : null}

      {list && list.items.length > 0 ? (
        <DataTable
          label={t("admin.paymentMethods.tableLabel")}
          actions={t("admin.paymentMethods.action")}
          minWidth={980}
          maxHeight="var(--list-table-max-height)"
          head={
            <HeaderCells
              columns={["apiClient", "channel", "paymentType", "group", "status", "whyDisabled", "changed"] as const}
              label={(column) => t(`admin.paymentMethods.${column}`)}
              props={{ status: { miw: 110 } }}
            />
          }
        >
          {list.items.map((method) => (
            <Table.Tr
              key={method.id}
              data-testid={`method-${method.clientId}-${method.distributionChannelId}-${method.paymentType}`}
            >
              <Table.Td>
                <Text size="sm" fw={500} truncate maw={220} title={method.clientName}>
                  {method.clientName}
                </Text>
                <Group gap={4} wrap="nowrap">
                  <Text size="xs" c="dimmed" ff="monospace">
                    {method.clientId}
                  </Text>
                  {method.clientDisabled ? (
                    <Badge size="xs" color="gray" variant="outline">
                      {t("admin.paymentMethods.clientDisabled")}
                    </Badge>
                  ) : null}
                </Group>
              </Table.Td>
              <Table.Td>{method.distributionChannelId}</Table.Td>
              <Table.Td style={{ whiteSpace: "nowrap" }}>{method.paymentType}</Table.Td>
              <Table.Td>
                <Text size="sm" c="dimmed">
                  {method.paymentTypeGroup}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge color={method.enabled ? "green" : "red"} variant="light" size="sm" radius="sm">
                  {method.enabled ? t("admin.paymentMethods.enabled") : t("admin.paymentMethods.disabled")}
                </Badge>
              </Table.Td>
              <Table.Td>
                <ClampedText text={method.disabledReason} />
              </Table.Td>
              <Table.Td>
                <DateTime value={method.updatedAt} timeZone={user.timeZone} />
              </Table.Td>
              <Table.Td ta="right">
                <ToggleMethod method={method} />
              </Table.Td>
            </Table.Tr>
          ))}
        </DataTable>
      ) : null}
    </Stack>
  );
}

function StatusFilter({ error }: { error?: string }) {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const hrefWith = useHrefWith();
  const value = params.get("enabled") ?? "all";
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} component="span" id="status-filter-label">
        {t("admin.paymentMethods.status")}
      </Text>
      <SegmentedControl
        aria-labelledby="status-filter-label"
        size="sm"
        value={["true", "false"].includes(value) ? value : "all"}
        data={[
          { value: "all", label: t("common.all") },
          { value: "true", label: t("admin.paymentMethods.enabled") },
          { value: "false", label: t("admin.paymentMethods.disabled") },
        ]}
        onChange={(next) =>
          navigate(hrefWith({ enabled: next === "all" ? null : next, page: null }), { preventScrollReset: true })
        }
      />
      {error ? (
        <Text size="xs" c="red">
          {error}
        </Text>
      ) : null}
    </Stack>
  );
}

function ToggleMethod({ method }: { method: Method }) {
  const { t } = useTranslation();
  const what = t("admin.paymentMethods.what", {
    paymentType: method.paymentType,
    channel: method.distributionChannelId,
    client: method.clientName,
  });
  const paymentType = method.paymentType;
  return (
    <EnableDisableAction
      enabled={method.enabled}
      hidden={{ methodId: method.id }}
      enable={{
        title: t("admin.paymentMethods.enableTitle", { paymentType }),
        description: t("admin.paymentMethods.enableDescription", { what }),
        confirmLabel: t("admin.paymentMethods.enableConfirm"),
        testId: "enable-method",
      }}
      disable={{
        title: t("admin.paymentMethods.disableTitle", { paymentType }),
        description: t("admin.paymentMethods.disableDescription", { what }),
        confirmLabel: t("admin.paymentMethods.disableConfirm"),
        testId: "disable-method",
      }}
    />
  );
}
