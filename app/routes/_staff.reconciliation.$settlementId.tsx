// One settlement's reconciliation: per currency the report's lines, what matched, what is missing
// in Paydesk or at the provider, what differs (and by how much), the fees; then the differences
// (one kind or all, open ones or all, in the URL), each marked resolved with a reason.
import { Anchor, Badge, Breadcrumbs, Button, Group, Stack, Table, Text, Title } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { userHasPermission } from "../auth/roles";
import { requirePermission } from "../auth/session.server";
import { ActionModal } from "../components/ActionModal";
import { Amount } from "../components/Amount";
import { DataTable, HeaderCells } from "../components/DataTable";
import { DateTime } from "../components/DateTime";
import { ClampedText, Dash, ListNotice, PageHeader } from "../components/list-parts";
import { formatsFor, useFormat } from "../components/use-format";
import { translator } from "../i18n/i18n";
import { staffLanguage } from "../i18n/language.server";
import { metaTitle } from "../i18n/meta";
import { useStaffUser } from "../components/staff-user";
import { useHrefWith } from "../components/url-state";
import { intent, staffAction } from "../http/staff/action.server";
import { MatchAgainForm, ResolveDifferenceForm } from "../http/staff/forms/reconciliation";
import { DIFFERENCE_KINDS, DIFFERENCE_LIST_LIMIT, type DifferenceKind } from "../domain/settlement-report";
import { settlementReconciliation } from "../services/queries/reconciliation.server";
import { matchAgain, resolveDifference } from "../services/reconciliation/settlement-reports.server";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data
    ? metaTitle(matches, "reconciliation.metaTitle", { id: data.reconciliation.settlementId })
    : metaTitle(matches, "reconciliation.title");

const isKind = (value: string | null): value is DifferenceKind =>
  value !== null && (DIFFERENCE_KINDS as readonly string[]).includes(value);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "settlement:read");
  const settlementId = params.settlementId ?? "";
  const search = new URL(request.url).searchParams;
  const kindParam = search.get("kind");
  const kind = isKind(kindParam) ? kindParam : null;
  const openOnly = search.get("open") !== "all";
  const reconciliation = await settlementReconciliation(settlementId, { kind, openOnly });
  if (!reconciliation) {
    const t = translator(staffLanguage(user, request));
    throw new Response(t("reconciliation.notFound", { id: settlementId }), {
      status: 404,
      statusText: "Not Found",
    });
  }
  return json({ reconciliation, kind, openOnly, unknownKind: kindParam !== null && kind === null });
}

export const action = (args: ActionFunctionArgs) =>
  staffAction(args, {
    resolve: intent({
      permission: "reconciliation:resolve",
      reason: "required",
      schema: ResolveDifferenceForm,
      run: async ({ input, caller, t }) => {
        await resolveDifference(caller, input);
        return { message: t("toasts.reconciliation.resolved") };
      },
    }),
    matchAgain: intent({
      permission: "reconciliation:resolve",
      reason: "optional",
      schema: MatchAgainForm,
      run: async ({ caller, t, language }) => {
        const done = await matchAgain(caller, { settlementId: args.params.settlementId ?? "" });
        const changed = done.matched + done.amountDiffers;
        const n = (value: number) => formatsFor(language).count(value);
        return {
          message:
            changed === 0
              ? t("toasts.reconciliation.nothingNew")
              : t("toasts.reconciliation.matched", { count: done.matched }) +
                (done.amountDiffers ? t("toasts.reconciliation.amountDiffers", { n: n(done.amountDiffers) }) : "") +
                (done.chargebacksOpened
                  ? t("toasts.reconciliation.chargebacksOpened", { n: n(done.chargebacksOpened) })
                  : ""),
          data: { ...done },
        };
      },
    }),
  });

function FilterLinks({ kind, openOnly }: { kind: DifferenceKind | null; openOnly: boolean }) {
  const hrefWith = useHrefWith();
  const { t } = useTranslation();
  const choices: Array<[DifferenceKind | null, string]> = [
    [null, t("reconciliation.settlement.everyKind")],
    ...DIFFERENCE_KINDS.map((k) => [k, t(`reconciliation.kind.${k}`)] as [DifferenceKind, string]),
  ];
  return (
    <Group gap="xs" wrap="wrap">
      {choices.map(([value, label]) => (
        <Button
          key={label}
          component={Link}
          to={hrefWith({ kind: value })}
          size="xs"
          variant={kind === value ? "filled" : "default"}
          replace
        >
          {label}
        </Button>
      ))}
      <Button component={Link} to={hrefWith({ open: openOnly ? "all" : null })} size="xs" variant="subtle" replace>
        {openOnly ? t("reconciliation.settlement.showResolved") : t("reconciliation.settlement.openOnly")}
      </Button>
    </Group>
  );
}

export default function SettlementReconciliation() {
  const { reconciliation, kind, openOnly, unknownKind } = useLoaderData<typeof loader>();
  const user = useStaffUser();
  const hrefWith = useHrefWith();
  const mayResolve = userHasPermission(user, "reconciliation:resolve");
  const { settlementId, totals, differences, more } = reconciliation;
  const { t } = useTranslation();
  const { count: formatCount } = useFormat();
  const kindLabel = (k: DifferenceKind) => t(`reconciliation.kind.${k}`);
  const openMissing = totals.reduce((sum, row) => sum + row.differences.MISSING_IN_PAYDESK.open, 0);

  return (
    <Stack gap="md" maw={1400}>
      <Breadcrumbs>
        <Anchor component={Link} to="/reconciliation" size="sm">
          {t("reconciliation.title")}
        </Anchor>
        <Text size="sm" style={{ overflowWrap: "anywhere" }}>
          {settlementId}
        </Text>
      </Breadcrumbs>
      <PageHeader
        title={<span style={{ overflowWrap: "anywhere" }}>{settlementId}</span>}
        description={
          <Text c="dimmed" size="sm">
            {t("reconciliation.settlement.fromReport", {
              id: reconciliation.importId,
              file: reconciliation.fileName,
              who: reconciliation.importedByEmail,
            })}
            {reconciliation.finishedAt ? (
              <>
                {" "}
                {t("reconciliation.settlement.on")}{" "}
                <DateTime value={reconciliation.finishedAt} timeZone={user.timeZone} />
              </>
            ) : null}
            .{" "}
            <Anchor component={Link} to={`/settlements/${encodeURIComponent(settlementId)}`} size="sm">
              {t("reconciliation.settlement.inPaydesk")}
            </Anchor>
          </Text>
        }
      />
      <DataTable
        label={t("reconciliation.settlement.totalsLabel")}
        minWidth={900}
        data-testid="reconciliation-totals"
        head={
          <>
            <Table.Th>{t("reconciliation.settlement.col.currency")}</Table.Th>
            <Table.Th ta="right">{t("reconciliation.settlement.col.lines")}</Table.Th>
            <Table.Th ta="right">{t("reconciliation.settlement.col.matched")}</Table.Th>
            {DIFFERENCE_KINDS.map((k) => (
              <Table.Th key={k} ta="right">
                {kindLabel(k)}
              </Table.Th>
            ))}
            <Table.Th ta="right">{t("reconciliation.settlement.col.gross")}</Table.Th>
            <Table.Th ta="right">{t("reconciliation.settlement.col.fees")}</Table.Th>
            <Table.Th ta="right">{t("reconciliation.settlement.col.net")}</Table.Th>
          </>
        }
      >
        {totals.map((row) => (
          <Table.Tr key={row.currency} data-currency={row.currency}>
            <Table.Td>{row.currency}</Table.Td>
            <Table.Td ta="right">{formatCount(row.lineCount)}</Table.Td>
            <Table.Td ta="right" data-testid="matched">
              {formatCount(row.matchedCount)}
            </Table.Td>
            {DIFFERENCE_KINDS.map((k) => {
              const sum = row.differences[k];
              return (
                <Table.Td key={k} ta="right" data-testid={k}>
                  <Anchor component={Link} to={hrefWith({ kind: k })} size="sm">
                    {formatCount(sum.count)}
                  </Anchor>
                  {sum.count > 0 ? (
                    <Text size="xs" c="dimmed">
                      <Amount value={sum.amount} currency={row.currency} /> ·{" "}
                      {t("reconciliation.settlement.open", { n: formatCount(sum.open) })}
                    </Text>
                  ) : null}
                </Table.Td>
              );
            })}
            <Table.Td ta="right">
              <Amount value={row.grossAmount} currency={row.currency} />
            </Table.Td>
            <Table.Td ta="right" data-testid="fees">
              <Amount value={row.fees} currency={row.currency} />
            </Table.Td>
            <Table.Td ta="right">
              <Amount value={row.netAmount} currency={row.currency} />
            </Table.Td>
          </Table.Tr>
        ))}
      </DataTable>

      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={2} size="h4">
          {kind
            ? openOnly
              ? t("reconciliation.settlement.kindOpen", { kind: kindLabel(kind) })
              : kindLabel(kind)
            : openOnly
              ? t("reconciliation.settlement.differencesOpen")
              : t("reconciliation.settlement.differences")}
        </Title>
        <Group gap="xs" wrap="wrap">
          {mayResolve && openMissing > 0 ? (
            <ActionModal
              label={t("reconciliation.matchAgain.label")}
              title={t("reconciliation.matchAgain.title")}
              intent="matchAgain"
              reason="optional"
              description={t("reconciliation.matchAgain.description", { n: formatCount(openMissing) })}
              buttonProps={{ size: "xs", variant: "light", "data-testid": "match-again" }}
            />
          ) : null}
          <FilterLinks kind={kind} openOnly={openOnly} />
        </Group>
      </Group>
      {unknownKind ? (
        <Text c="red" size="sm" role="alert">
          {t("reconciliation.settlement.unknownKind", { kinds: DIFFERENCE_KINDS.join(", ") })}
        </Text>
      ) : null}
      {differences.length === 0 ? (
        <ListNotice title={t("reconciliation.settlement.nothing")}>
          {openOnly ? t("reconciliation.settlement.noOpen") : t("reconciliation.settlement.noDifference")}
        </ListNotice>
      ) : (
        <DataTable
          label={t("reconciliation.settlement.differencesLabel")}
          minWidth={1000}
          actions={mayResolve}
          data-testid="reconciliation-differences"
          head={
            <HeaderCells
              columns={
                ["kind", "line", "type", "reference", "provider", "paydesk", "difference", "resolution"] as const
              }
              label={(column) => t(`reconciliation.settlement.diff.${column}`)}
              props={{
                line: { ta: "right" },
                provider: { ta: "right" },
                paydesk: { ta: "right" },
                difference: { ta: "right" },
              }}
            />
          }
        >
          {differences.map((d) => (
            <Table.Tr key={d.id} data-testid="difference" data-kind={d.kind} data-reference={d.reference ?? ""}>
              <Table.Td>
                <Badge variant="light" color={d.kind === "AMOUNT_DIFFERS" ? "orange" : "red"}>
                  {kindLabel(d.kind)}
                </Badge>
              </Table.Td>
              <Table.Td ta="right">{d.lineNo ?? <Dash />}</Table.Td>
              <Table.Td>{d.type}</Table.Td>
              <Table.Td style={{ overflowWrap: "anywhere" }}>
                {d.paymentId ? (
                  <Anchor component={Link} to={`/payments/${d.paymentId}`} size="sm">
                    {d.reference ?? t("reconciliation.settlement.payment", { id: d.paymentId })}
                  </Anchor>
                ) : (
                  (d.reference ?? <Dash />)
                )}
              </Table.Td>
              <Table.Td ta="right">
                {d.providerAmount !== null ? <Amount value={d.providerAmount} currency={d.currency} /> : <Dash />}
              </Table.Td>
              <Table.Td ta="right">
                {d.paydeskAmount !== null ? <Amount value={d.paydeskAmount} currency={d.currency} /> : <Dash />}
              </Table.Td>
              <Table.Td ta="right" data-testid="difference-amount">
                <Amount value={d.difference} currency={d.currency} fw={600} />
              </Table.Td>
              <Table.Td>
                {d.resolvedAt ? (
                  <Stack gap={0}>
                    <ClampedText text={d.resolution} />
                    <Text size="xs" c="dimmed">
                      {d.resolvedByEmail}, <DateTime value={d.resolvedAt} timeZone={user.timeZone} />
                    </Text>
                  </Stack>
                ) : mayResolve ? (
                  <ActionModal
                    label={t("reconciliation.settlement.resolve")}
                    title={t("reconciliation.settlement.resolveTitle")}
                    intent="resolve"
                    hidden={{ differenceId: d.id }}
                    description={t("reconciliation.settlement.resolveText", {
                      kind: kindLabel(d.kind),
                      type: d.type,
                      reference: d.reference ?? "",
                    })}
                    buttonProps={{ size: "xs", variant: "light", "data-testid": "resolve" }}
                  />
                ) : (
                  <Text size="sm" c="dimmed">
                    {t("reconciliation.settlement.openState")}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </DataTable>
      )}
      {more ? (
        <Text size="sm" c="dimmed">
          {t("reconciliation.settlement.firstOnly", { n: formatCount(DIFFERENCE_LIST_LIMIT) })}
        </Text>
      ) : null}
    </Stack>
  );
}
