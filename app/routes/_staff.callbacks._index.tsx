// Callbacks: every callback Paydesk posts to API clients' callbackUrls, newest first, filterable by
// client, state, day, transaction, payment and correlation id (keyset pages and a bounded count,
// as the operation log). Admins resend the filtered set (after a preview of how many) and pause or
// resume delivery to a client's target; each with a reason, in the audit log.
import { Anchor, Button, Group, Paper, Stack, Table, Text, Tooltip } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { userHasPermission } from "../auth/roles";
import { requirePermission } from "../auth/session.server";
import { ActionModal } from "../components/ActionModal";
import { CallbackStateBadge, PauseResume, useCallbackStateLabel } from "../components/callback-parts";
import { DataTable, HeaderCells } from "../components/DataTable";
import { DateTime } from "../components/DateTime";
import { DayFilterPicker } from "../components/DayFilterPicker";
import { FilterBuilder } from "../components/FilterBuilder";
import { formatCount } from "../components/format";
import { KeysetListBody } from "../components/keyset-list";
import { Dash, PageHeader, UnknownParameters } from "../components/list-parts";
import { useStaffUser } from "../components/staff-user";
import { UrlSelect } from "../components/UrlSelect";
import { useFormat } from "../components/use-format";
import { translator } from "../i18n/i18n";
import { staffLanguage } from "../i18n/language.server";
import { CALLBACK_STATES, MAX_BULK_RESEND } from "../domain/callback";
import { ruleBroken } from "../domain/errors";
import { staffAction, staffCaller, intent } from "../http/staff/action.server";
import { INTL_LOCALE } from "../i18n/language";
import { readCallbackFilter } from "../http/staff/callback-filter.server";
import { TARGET_INTENTS } from "../http/staff/callback-intents.server";
import { ResendFilteredForm } from "../http/staff/forms/callbacks";
import { filterFieldsOf, keysetPlace, readPaging } from "../http/staff/list-query.server";
import { previewResend, resendCallbacks } from "../services/callbacks/callbacks.server";
import {
  CALLBACK_STAFF_FIELDS,
  callbackClients,
  callbackTargets,
  MAX_PER_PAGE,
  searchCallbacks,
} from "../services/queries/callbacks.server";
import { cursorOfParams, cursorToParam } from "../services/queries/keyset-page.server";
import { listScreenMeta } from "../components/list-screen-route";

export { ErrorBoundary, links } from "../components/list-screen-route";

export const meta = listScreenMeta("callbacks.title");

const DEFAULT_PER_PAGE = 50;
const PER_PAGE_CHOICES = ["50", "100", "200"];
/** Filters with a control of their own above the builder. */
const SELECT_FILTERS = new Set(["clientId", "state"]);

const filterFields = (t: TFunction) =>
  filterFieldsOf(
    Object.fromEntries(Object.entries(CALLBACK_STAFF_FIELDS).filter(([name]) => !SELECT_FILTERS.has(name))),
    {
      transactionId: t("callbacks.filters.transactionId"),
      paymentId: t("callbacks.filters.paymentId"),
      correlationId: t("callbacks.filters.correlationId"),
      target: t("callbacks.filters.target"),
      organisationId: t("callbacks.filters.organisationId"),
      createdAt: t("callbacks.filters.createdAt"),
    },
    { target: "https://hooks.example", correlationId: t("callbacks.filters.correlationIdExample") },
  );

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "callback:read");
  const caller = staffCaller(user, request, context, null);
  const params = new URL(request.url).searchParams;
  const language = staffLanguage(user, request);
  const t = translator(language);
  const clients = (await callbackClients(caller)).map((client) => ({
    value: client.clientId,
    label: `${client.name} (${client.clientId})`,
  }));
  const read = readCallbackFilter(params, user.timeZone, language);
  if (!read.ok)
    return json(
      { fields: filterFields(t), clients, errors: read.errors, list: null, targets: null, preview: null },
      { status: 400 },
    );
  const { perPage } = readPaging(params, { perPage: DEFAULT_PER_PAGE, maxPerPage: MAX_PER_PAGE });
  const cursor = cursorOfParams(params);
  const clientId = params.get("clientId");
  const mayManage = userHasPermission(user, "callback:manage");
  const [page, targets, preview] = await Promise.all([
    searchCallbacks(caller, { ...read.filter, cursor, perPage }),
    clientId && clients.some((client) => client.value === clientId) ? callbackTargets(caller, { clientId }) : null,
    mayManage ? previewResend(caller, read.filter) : null,
  ]);
  return json({
    fields: filterFields(t),
    clients,
    errors: null,
    list: keysetPlace(page, cursor, cursorToParam),
    targets,
    preview,
  });
}

export const action = (args: ActionFunctionArgs) =>
  staffAction(args, {
    resendFiltered: intent({
      permission: "callback:manage",
      reason: "required",
      schema: ResendFilteredForm,
      run: async ({ input, user, caller, t, language }) => {
        const read = readCallbackFilter(new URL(args.request.url).searchParams, user.timeZone);
        if (!read.ok)
          // About the page's address, not a field of the form: said as the whole refusal.
          throw ruleBroken("The filter in the address is not valid: fix it and preview again", undefined, {
            key: "errors.callback.filterInvalid",
          });
        const done = await resendCallbacks(caller, {
          ...read.filter,
          expected: input.expected,
          describedAs: read.describedAs,
        });
        const locale = INTL_LOCALE[language];
        return {
          message:
            t("toasts.callbacks.resent", { count: done.resent, n: formatCount(done.resent, locale) }) +
            (done.paused ? t("toasts.callbacks.resentPaused", { n: formatCount(done.paused, locale) }) : ""),
        };
      },
    }),
    ...TARGET_INTENTS,
  });

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function Callbacks() {
  const data = useLoaderData<typeof loader>();
  const { fields, clients, errors, list, targets, preview } = data;
  const user = useStaffUser();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const { count: formatCount } = useFormat();
  const stateLabel = useCallbackStateLabel();
  const filtered =
    [...fields.map((field) => field.name), ...SELECT_FILTERS].some((name) => params.has(name)) ||
    !!params.get("from") ||
    !!params.get("to");
  const perPage = list?.perPage ?? DEFAULT_PER_PAGE;

  return (
    <Stack gap="md" className="list-screen">
      <PageHeader title={t("callbacks.title")} description={t("callbacks.description")} />

      <Group gap="sm" align="flex-start" wrap="wrap" component="section" aria-label={t("callbacks.filters.section")}>
        <UrlSelect
          name="clientId"
          label={t("callbacks.filters.client")}
          placeholder={t("common.all")}
          data={clients}
          error={errors?.filters.clientId}
          width={280}
        />
        <UrlSelect
          name="state"
          label={t("callbacks.filters.state")}
          placeholder={t("common.all")}
          data={CALLBACK_STATES.map((state) => ({ value: state, label: stateLabel(state) }))}
          error={errors?.filters.state}
          width={160}
        />
        <DayFilterPicker timeZone={user.timeZone} error={errors?.range} label={t("callbacks.filters.created")} />
      </Group>
      <FilterBuilder fields={fields} errors={errors?.filters} label={t("callbacks.filters.more")} />
      <UnknownParameters listName={t("callbacks.listName")} messages={errors?.other ?? []} resetTo="/callbacks" />

      {targets && targets.length > 0 ? <Targets targets={targets} /> : null}

      <KeysetListBody
        list={list}
        filtered={filtered}
        noun={t("callbacks.noun")}
        clearTo="/callbacks"
        empty={t("callbacks.empty")}
        count={({ matching }) =>
          matching.estimated
            ? t("callbacks.matchAbout", { n: formatCount(matching.count) })
            : t("callbacks.match", { count: matching.count, n: formatCount(matching.count) })
        }
        countTestId="callback-count"
        paging={{ perPage, choices: PER_PAGE_CHOICES, defaultPerPage: DEFAULT_PER_PAGE }}
        actions={preview ? <ResendFiltered preview={preview} /> : null}
      >
        {({ items }) => <CallbackTable items={items} />}
      </KeysetListBody>
    </Stack>
  );
}

/** The list's action with the page's filters: the filtered set is what the URL shows. */
function useListAction(): string {
  const [params] = useSearchParams();
  const next = new URLSearchParams(params);
  next.delete("older");
  next.delete("newer");
  const search = next.toString();
  return `/callbacks?index${search ? `&${search}` : ""}`;
}

function ResendFiltered({ preview }: { preview: NonNullable<LoaderData["preview"]> }) {
  const action = useListAction();
  const { t } = useTranslation();
  const { count: formatCount } = useFormat();
  const button = { size: "xs" as const, variant: "light" as const, "data-testid": "resend-filtered" };
  if (preview.tooMany || preview.matching === 0) {
    return (
      <Tooltip
        label={
          preview.tooMany
            ? t("callbacks.resend.tooMany", { max: formatCount(MAX_BULK_RESEND) })
            : t("callbacks.resend.none")
        }
      >
        <Button {...button} disabled>
          {t("callbacks.resend.these")}
        </Button>
      </Tooltip>
    );
  }
  const n = preview.matching;
  return (
    <ActionModal
      label={t("callbacks.resend.label", { n: formatCount(n) })}
      title={t("callbacks.resend.title", { count: n, n: formatCount(n) })}
      intent="resendFiltered"
      action={action}
      hidden={{ expected: n }}
      confirmLabel={t("callbacks.resend.confirm", { n: formatCount(n) })}
      buttonProps={button}
      description={
        <>
          {t("callbacks.resend.text")}{" "}
          <span data-testid="resend-preview">
            {t("callbacks.resend.preview", {
              count: n,
              n: formatCount(n),
              delivered: formatCount(preview.delivered),
              paused: formatCount(preview.paused),
            })}
          </span>
        </>
      }
    />
  );
}

function Targets({ targets }: { targets: NonNullable<LoaderData["targets"]> }) {
  const user = useStaffUser();
  const mayManage = userHasPermission(user, "callback:manage");
  const action = useListAction();
  const { t } = useTranslation();
  const { count: formatCount } = useFormat();
  return (
    <Paper withBorder p="sm" component="section" aria-label={t("callbacks.targets.section")}>
      <Text size="sm" fw={600} mb={4}>
        {t("callbacks.targets.title")}
      </Text>
      <Stack gap={6}>
        {targets.map((target) => (
          <Group key={target.target} justify="space-between" wrap="wrap" gap="xs" data-testid="callback-target">
            <div style={{ minWidth: 0 }}>
              <Text size="sm" ff="monospace" style={{ overflowWrap: "anywhere" }}>
                {target.target || t("callbacks.targets.noUrl")}
              </Text>
              <Text size="xs" c={target.pause ? "yellow" : "dimmed"}>
                {target.pause ? (
                  <>
                    {t("callbacks.targets.pausedBy", { who: target.pause.pausedBy })} (
                    <DateTime value={target.pause.pausedAt} timeZone={user.timeZone} />
                    ): {target.pause.reason}
                  </>
                ) : (
                  t("callbacks.targets.delivering")
                )}
                {t("callbacks.targets.waiting", { n: formatCount(target.waiting) })}
              </Text>
            </div>
            {mayManage ? (
              <PauseResume clientId={target.clientId} target={target.target} paused={!!target.pause} action={action} />
            ) : null}
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}

type Item = NonNullable<LoaderData["list"]>["items"][number];

function CallbackTable({ items }: { items: Item[] }) {
  const user = useStaffUser();
  const { t } = useTranslation();
  return (
    <DataTable
      label={t("callbacks.title")}
      minWidth={1100}
      maxHeight="var(--list-table-max-height)"
      horizontalSpacing="xs"
      head={
        <HeaderCells
          columns={
            [
              "callback",
              "created",
              "state",
              "clientAndTarget",
              "transaction",
              "attempts",
              "lastAnswer",
              "nextOrDelivered",
              "correlationId",
            ] as const
          }
          label={(column) => t(`callbacks.col.${column}`)}
          props={{
            state: { miw: 104 },
            attempts: { ta: "right" },
            nextOrDelivered: { style: { whiteSpace: "nowrap" } },
          }}
        />
      }
    >
      {items.map((item) => (
        <Table.Tr key={item.id} data-testid="callback-row">
          <Table.Td>
            <Anchor component={Link} to={`/callbacks/${item.id}`} size="sm" fw={500}>
              {item.id}
            </Anchor>
          </Table.Td>
          <Table.Td style={{ whiteSpace: "nowrap" }}>
            <DateTime value={item.createdAt} timeZone={user.timeZone} />
          </Table.Td>
          <Table.Td style={{ whiteSpace: "nowrap" }}>
            <CallbackStateBadge state={item.state} />
          </Table.Td>
          <Table.Td>
            <Text size="sm" truncate maw={200} title={item.clientId ?? undefined}>
              {item.clientName ?? item.clientId ?? <Dash />}
            </Text>
            <Text size="xs" c="dimmed" ff="monospace" truncate maw={200} title={item.url}>
              {item.target || item.url}
            </Text>
          </Table.Td>
          <Table.Td style={{ whiteSpace: "nowrap" }}>
            {item.paymentId && item.transactionId ? (
              <Anchor component={Link} to={`/payments/${item.paymentId}`} size="sm">
                {item.transactionId}
              </Anchor>
            ) : (
              <Dash />
            )}
          </Table.Td>
          <Table.Td ta="right">{item.attempts}</Table.Td>
          <Table.Td>
            {item.lastStatus === null && item.lastError === null ? (
              <Dash />
            ) : (
              <Text size="xs" truncate maw={180} title={item.lastError ?? undefined}>
                {item.lastStatus ?? t("callbacks.noAnswer")}
                {item.lastError && item.state !== "DELIVERED" ? ` · ${item.lastError}` : ""}
              </Text>
            )}
          </Table.Td>
          <Table.Td style={{ whiteSpace: "nowrap" }}>
            {item.deliveredAt ? (
              <DateTime value={item.deliveredAt} timeZone={user.timeZone} />
            ) : item.nextAttemptAt ? (
              <DateTime value={item.nextAttemptAt} timeZone={user.timeZone} />
            ) : (
              <Text size="xs" c="dimmed">
                {t("callbacks.paused")}
              </Text>
            )}
          </Table.Td>
          <Table.Td>
            {item.correlationId ? (
              <Text size="xs" ff="monospace" truncate maw={110} title={item.correlationId}>
                {item.correlationId}
              </Text>
            ) : (
              <Dash />
            )}
          </Table.Td>
        </Table.Tr>
      ))}
    </DataTable>
  );
}
