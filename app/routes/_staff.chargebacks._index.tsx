// Chargebacks: every dispute a card scheme opened on a captured transaction (docs/decisions/040),
// open ones first and the soonest due first, filterable by status and due date. The filter and the
// page (a keyset place, `older=` / `newer=`, as the other growing lists) live in the URL. Finance and admin open chargebacks from the payment and decide them on the
// detail screen; support reads.
import { Button, Group, Stack, Text, TextInput } from "@mantine/core";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "../auth/session.server";
import { ChargebackTable } from "../components/ChargebackParts";
import { KeysetEmpty, KeysetPageLinks } from "../components/keyset-list";
import { ListNotice, PageHeader } from "../components/list-parts";
import { useStaffUser } from "../components/staff-user";
import { useFormat } from "../components/use-format";
import { UrlSelect } from "../components/UrlSelect";
import { requireDueDate } from "../domain/chargeback";
import { CHARGEBACK_STATUSES, type ChargebackStatus } from "../domain/enums";
import { DomainError } from "../domain/errors";
import { staffCaller } from "../http/staff/action.server";
import { keysetPlace, readPaging } from "../http/staff/list-query.server";
import {
  chargebackCursorOf,
  listChargebacks,
  MAX_PER_PAGE,
  placeToParam,
} from "../services/queries/chargebacks.server";
import { listScreenMeta } from "../components/list-screen-route";

export { ErrorBoundary, links } from "../components/list-screen-route";

export const meta = listScreenMeta("chargebacks.title");

const DEFAULT_PER_PAGE = 50;
const PER_PAGE_CHOICES = ["50", "100"];
/** The two ends of the due-date filter, each a date field of its own. */
const DUE_DAY_FILTERS = ["dueFrom", "dueTo"] as const;

/** The filter in the address, or what is wrong with it, by parameter. */
function readFilter(params: URLSearchParams) {
  const errors: Record<string, string> = {};
  const status = params.get("status") || null;
  if (status !== null && !(CHARGEBACK_STATUSES as readonly string[]).includes(status))
    errors.status = `must be one of ${CHARGEBACK_STATUSES.join(", ")}`;
  const day = (name: string) => {
    const value = params.get(name) || null;
    try {
      requireDueDate(value);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      errors[name] = "must be a day as YYYY-MM-DD";
    }
    return value;
  };
  const filter = { status: status as ChargebackStatus | null, dueFrom: day("dueFrom"), dueTo: day("dueTo") };
  return { filter, errors };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "chargeback:read");
  const params = new URL(request.url).searchParams;
  const { filter, errors } = readFilter(params);
  const today = new Date().toISOString().slice(0, 10);
  if (Object.keys(errors).length) return json({ errors, list: null, today }, { status: 400 });
  const { perPage } = readPaging(params, { perPage: DEFAULT_PER_PAGE, maxPerPage: MAX_PER_PAGE });
  const cursor = chargebackCursorOf(params);
  const page = await listChargebacks(staffCaller(user, request, context, null), { ...filter, cursor, perPage });
  return json({ errors: null, list: keysetPlace(page, cursor, placeToParam), today });
}

export default function Chargebacks() {
  const { errors, list, today } = useLoaderData<typeof loader>();
  const user = useStaffUser();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const { count: formatCount } = useFormat();
  const status = params.get("status");
  // The loader names what is wrong by parameter; the words are the reader's.
  const badDay = (name: "dueFrom" | "dueTo") => (errors?.[name] ? t("chargebacks.badDay") : undefined);
  return (
    <Stack gap="md" className="list-screen">
      <PageHeader
        title={t("chargebacks.title")}
        description={
          list ? (
            <Text size="sm" aria-live="polite" data-testid="chargeback-count">
              {list.matching.estimated
                ? t("chargebacks.countAbout", { n: formatCount(list.matching.count) })
                : t("chargebacks.count", { count: list.matching.count, n: formatCount(list.matching.count) })}
            </Text>
          ) : (
            <Text c="red" size="sm">
              {t("chargebacks.invalid")}
            </Text>
          )
        }
      >
        {list ? (
          <KeysetPageLinks
            place={list}
            perPage={list.perPage}
            choices={PER_PAGE_CHOICES}
            defaultPerPage={DEFAULT_PER_PAGE}
          />
        ) : null}
      </PageHeader>

      <Group gap="sm" align="flex-end" wrap="wrap" component="section" aria-label={t("chargebacks.filters")}>
        <UrlSelect
          name="status"
          label={t("chargebacks.col.status")}
          placeholder={t("common.all")}
          data={CHARGEBACK_STATUSES.map((status) => ({ value: status, label: t(`chargebacks.status.${status}`) }))}
          error={errors?.status ? t("chargebacks.badStatus", { statuses: CHARGEBACK_STATUSES.join(", ") }) : undefined}
          width={160}
        />
        <Form method="get" style={{ display: "contents" }}>
          {status ? <input type="hidden" name="status" value={status} /> : null}
          {DUE_DAY_FILTERS.map((name) => (
            <TextInput
              key={name}
              type="date"
              name={name}
              label={t(`chargebacks.${name}`)}
              defaultValue={params.get(name) ?? ""}
              error={badDay(name)}
              w={{ base: "100%", xs: 170 }}
            />
          ))}
          <Button type="submit" variant="default">
            {t("chargebacks.apply")}
          </Button>
        </Form>
      </Group>

      {list && list.items.length ? (
        <ChargebackTable rows={list.items} timeZone={user.timeZone} today={today} />
      ) : list && !list.atNewest ? (
        <KeysetEmpty atNewest={false} filtered noun={t("chargebacks.noun")} clearTo="/chargebacks" empty="" />
      ) : list ? (
        <ListNotice title={t("chargebacks.noneTitle")}>
          {params.toString() ? t("chargebacks.noMatch") : t("chargebacks.noneYet")}
        </ListNotice>
      ) : null}
    </Stack>
  );
}
