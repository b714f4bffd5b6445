// Credits: the list finance and support start from. The filter builder speaks the grammar of
// GET /v1/credits and the loader runs the same search, so a filter here and an API query give
// the same credits. Filters, page and perPage live in the URL. Admins set the four-eyes
// thresholds here too, next to the credits they govern.
import { Alert, Anchor, Button, Group, Paper, Stack, Table, Text, TextInput } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, SerializeFrom } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { ViewsMenu } from "../components/SavedViews";
import { CsvExportButton, exportHrefOf } from "../components/CsvExportButton";
import { resolveViews, savedViewIntents } from "../http/staff/saved-views.server";
import { userHasPermission } from "../auth/roles";
import { requirePermission } from "../auth/session.server";
import { DataTable, HeaderCells } from "../components/DataTable";
import { ActionModal } from "../components/ActionModal";
import { Amount } from "../components/Amount";
import { CreatorName } from "../components/CreatorName";
import { CreditStatusBadge } from "../components/CreditStatusBadge";
import { DateTime } from "../components/DateTime";
import { FilterBuilder, type FilterField } from "../components/FilterBuilder";
import { PageLinks } from "../components/PageLinks";
import { useStaffUser } from "../components/staff-user";
import { parseSearchQuery } from "../domain/search-filter";
import { formatMoney } from "../components/format";
import { useFormat } from "../components/use-format";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { translator } from "../i18n/i18n";
import { staffLanguage } from "../i18n/language.server";
import { intent, staffAction, staffCaller } from "../http/staff/action.server";
import { INTL_LOCALE } from "../i18n/language";
import { FourEyesThresholdForm } from "../http/staff/forms/credits";
import { saidIn, typedAmountFilters } from "../http/staff/list-query.server";
import { CREDIT_SEARCH_FIELDS } from "../services/queries/credit-search.server";
import { creditListPage, fourEyesSummary } from "../services/queries/credit-screens.server";
import { setFourEyesThreshold } from "../services/credits/four-eyes-thresholds.server";
import { Dash, PageHeader } from "../components/list-parts";
import { listScreenMeta } from "../components/list-screen-route";

export { ErrorBoundary, links } from "../components/list-screen-route";

export const meta = listScreenMeta("credits.title");

const DEFAULT_PER_PAGE = 25;
const PER_PAGE_CHOICES = [25, 50, 100];

/** The filter builder's name of each field of GET /v1/credits, in the reader's language. */
const fieldLabels = (t: TFunction): Record<string, string> => t("credits.fields", { returnObjects: true });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "credit:read");
  const language = staffLanguage(user, request);
  const labels = fieldLabels(translator(language));
  const fields: FilterField[] = Object.entries(CREDIT_SEARCH_FIELDS).map(([name, spec]) => ({
    name,
    label: labels[name] ?? name,
    type: spec.type,
    values: spec.values,
  }));
  const caller = staffCaller(user, request, context, null);
  const { params, state: views } = await resolveViews("credits", request, caller);
  // Amount filters as staff type them (`gte:2 596,50`), then the API's own parser.
  const typed = typedAmountFilters(params, CREDIT_SEARCH_FIELDS, language);
  const parsed = parseSearchQuery(typed.params, CREDIT_SEARCH_FIELDS, {
    defaultPerPage: DEFAULT_PER_PAGE,
    maxPerPage: 100,
  });
  const fourEyes = await fourEyesSummary(caller);
  if (!parsed.ok || Object.keys(typed.fieldErrors).length > 0) {
    const errors: Record<string, string> = { ...typed.fieldErrors };
    // In the reader's language; GET /v1/credits says the same problems in English.
    for (const { field, message, say } of parsed.ok ? [] : parsed.errors)
      errors[field] ??= saidIn(language, message, say);
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
      run: async ({ input: { currency, amount }, caller, t, language }) => {
        await setFourEyesThreshold(caller, { currency, amount });
        return {
          message:
            amount === null
              ? t("toasts.credits.noThreshold", { currency })
              : t("toasts.credits.threshold", { amount: formatMoney(amount, currency, INTL_LOCALE[language]) }),
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
  const { t } = useTranslation();
  const { count } = useFormat();

  return (
    <Stack gap="md" className="list-screen">
      <PageHeader
        title={t("credits.title")}
        description={
          <Text c="dimmed" size="sm" aria-live="polite">
            {list === null ? t("credits.fixFilters") : summaryLine(list, t, count)}
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
              {t("credits.newCredit")}
            </Button>
          ) : null}
        </Group>
      </PageHeader>

      <FilterBuilder fields={fields} errors={errors} label={t("credits.filters")} />
      {listErrors.map(([field, message]) => (
        <Alert key={field} color="red" title={`${field} ${message}`} role="alert" />
      ))}

      <FourEyesPanel thresholds={fourEyes.thresholds} />

      {list === null ? null : list.totalItems === 0 ? (
        <Paper withBorder p="xl" radius="md">
          <Stack gap="xs" align="center" ta="center">
            <Text fw={500}>{t("credits.noMatch")}</Text>
            <Text c="dimmed" size="sm" maw={460}>
              {t("credits.noMatchHint")}
            </Text>
          </Stack>
        </Paper>
      ) : list.items.length === 0 ? (
        <Paper withBorder p="xl" radius="md">
          <Text ta="center">{t("credits.noPage", { page: count(list.page), last: count(list.totalPages) })}</Text>
        </Paper>
      ) : (
        <CreditsTable credits={list.items} timeZone={user.timeZone} />
      )}
    </Stack>
  );
}

function summaryLine(
  list: { totalItems: number; page: number; perPage: number; items: unknown[] },
  t: TFunction,
  formatCount: (value: number) => string,
) {
  if (list.totalItems === 0) return t("credits.none");
  const first = (list.page - 1) * list.perPage + 1;
  const n = formatCount(list.totalItems);
  return list.items.length === 0
    ? t("credits.count", { count: list.totalItems, n })
    : t("credits.showing", {
        count: list.totalItems,
        n,
        first: formatCount(first),
        last: formatCount(first + list.items.length - 1),
      });
}

type JsonCredit = NonNullable<SerializeFrom<typeof loader>["list"]>["items"][number];

function CreditsTable({ credits, timeZone }: { credits: JsonCredit[]; timeZone: string }) {
  const { t } = useTranslation();
  return (
    <DataTable
      label={t("credits.title")}
      minWidth={1080}
      maxHeight="var(--list-table-max-height)"
      alignTop
      head={
        <HeaderCells
          columns={
            ["credit", "created", "status", "total", "lines", "order", "organisation", "customer", "createdBy"] as const
          }
          label={(column) => t(`credits.col.${column}`)}
          props={{ total: { ta: "right" } }}
        />
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
                {t("credits.lineCount", { count: lines.length })}
                {credit.status !== "CREDITED" && credited > 0 ? t("credits.linesCredited", { count: credited }) : ""}
                {failed > 0 ? (
                  <Text span c="red" size="sm">
                    {t("credits.linesFailed", { count: failed })}
                  </Text>
                ) : null}
              </Text>
              <Text size="xs" c="dimmed">
                {[...new Set(lines.map((l) => l.reimbursementMethod))].join(", ")}
              </Text>
            </Table.Td>
            <Table.Td style={{ whiteSpace: "nowrap" }}>{credit.orderId ?? <Dash />}</Table.Td>
            <Table.Td>
              <Text size="sm" truncate maw={160} title={t("credits.organisationTip", { id: credit.organisationId })}>
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
  const { t } = useTranslation();
  const { money } = useFormat();
  const limits = thresholds.map((th) => `${money(th.amount, th.currency)} (${th.currency})`).join(", ");
  return (
    <Paper withBorder p="sm" radius="md" bg="var(--paydesk-color-subtle)" data-testid="four-eyes-panel">
      <Group justify="space-between" align="center" wrap="wrap" gap="xs">
        <Text size="sm" maw={900}>
          <Text span fw={600}>
            {t("credits.fourEyes.rule")}
          </Text>{" "}
          {thresholds.length
            ? t("credits.fourEyes.above", { count: thresholds.length, limits })
            : t("credits.fourEyes.always")}
        </Text>
        {userHasPermission(user, "credit:configure") ? (
          <ActionModal
            label={t("credits.fourEyes.change")}
            title={t("credits.fourEyes.title")}
            intent="setFourEyesThreshold"
            reason="optional"
            confirmLabel={t("credits.fourEyes.save")}
            buttonProps={{ variant: "default", size: "xs" }}
            description={t("credits.fourEyes.description")}
            fields={(fieldErrors) => (
              <>
                <TextInput
                  name="currency"
                  label={t("credits.fourEyes.currency")}
                  defaultValue="NOK"
                  maxLength={3}
                  required
                  error={fieldErrors.currency}
                />
                <TextInput
                  name="amount"
                  label={t("credits.fourEyes.threshold")}
                  placeholder={t("credits.fourEyes.thresholdExample")}
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
