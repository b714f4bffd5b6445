// One settlement's reconciliation: per currency the report's lines, what matched, what is missing
// in Paydesk or at the provider, what differs (and by how much), the fees; then the differences
// (one kind or all, open ones or all, in the URL), each marked resolved with a reason.
import { Anchor, Badge, Breadcrumbs, Button, Group, Stack, Table, Text, Title } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { userHasPermission } from "../auth/roles";
import { requirePermission } from "../auth/session.server";
import { ActionModal } from "../components/ActionModal";
import { Amount } from "../components/Amount";
import { DataTable } from "../components/DataTable";
import { DateTime } from "../components/DateTime";
import { ClampedText, Dash, ListNotice, PageHeader } from "../components/list-parts";
import { formatCount } from "../components/format";
import { useStaffUser } from "../components/staff-user";
import { useHrefWith } from "../components/url-state";
import { intent, staffAction } from "../http/staff/action.server";
import { ResolveDifferenceForm } from "../http/staff/forms/reconciliation";
import { DIFFERENCE_KINDS, DIFFERENCE_LIST_LIMIT, type DifferenceKind } from "../domain/settlement-report";
import { settlementReconciliation } from "../services/queries/reconciliation.server";
import { resolveDifference } from "../services/reconciliation/settlement-reports.server";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Reconciliation ${data?.reconciliation.settlementId ?? ""} · Paydesk` },
];

const KIND_LABEL: Record<DifferenceKind, string> = {
  AMOUNT_DIFFERS: "Amount differs",
  MISSING_IN_PAYDESK: "Missing in Paydesk",
  MISSING_AT_PROVIDER: "Missing at provider",
};

const isKind = (value: string | null): value is DifferenceKind =>
  value !== null && (DIFFERENCE_KINDS as readonly string[]).includes(value);

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "settlement:read");
  const settlementId = params.settlementId ?? "";
  const search = new URL(request.url).searchParams;
  const kindParam = search.get("kind");
  const kind = isKind(kindParam) ? kindParam : null;
  const openOnly = search.get("open") !== "all";
  const reconciliation = await settlementReconciliation(settlementId, { kind, openOnly });
  if (!reconciliation) {
    throw new Response(`No settlement report with settlement id "${settlementId}" has been imported.`, {
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
  });

function FilterLinks({ kind, openOnly }: { kind: DifferenceKind | null; openOnly: boolean }) {
  const hrefWith = useHrefWith();
  const choices: Array<[DifferenceKind | null, string]> = [
    [null, "Every kind"],
    ...DIFFERENCE_KINDS.map((k) => [k, KIND_LABEL[k]] as [DifferenceKind, string]),
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
        {openOnly ? "Show resolved too" : "Show open only"}
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

  return (
    <Stack gap="md" maw={1400}>
      <Breadcrumbs>
        <Anchor component={Link} to="/reconciliation" size="sm">
          Reconciliation
        </Anchor>
        <Text size="sm" style={{ overflowWrap: "anywhere" }}>
          {settlementId}
        </Text>
      </Breadcrumbs>
      <PageHeader
        title={<span style={{ overflowWrap: "anywhere" }}>{settlementId}</span>}
        description={
          <Text c="dimmed" size="sm">
            From report #{reconciliation.importId} ({reconciliation.fileName}), imported by{" "}
            {reconciliation.importedByEmail}
            {reconciliation.finishedAt ? (
              <>
                {" "}
                on <DateTime value={reconciliation.finishedAt} timeZone={user.timeZone} />
              </>
            ) : null}
            .{" "}
            <Anchor component={Link} to={`/settlements/${encodeURIComponent(settlementId)}`} size="sm">
              The settlement in Paydesk
            </Anchor>
          </Text>
        }
      />
      <DataTable
        minWidth={900}
        data-testid="reconciliation-totals"
        head={
          <>
            <Table.Th>Currency</Table.Th>
            <Table.Th ta="right">Lines</Table.Th>
            <Table.Th ta="right">Matched</Table.Th>
            {DIFFERENCE_KINDS.map((k) => (
              <Table.Th key={k} ta="right">
                {KIND_LABEL[k]}
              </Table.Th>
            ))}
            <Table.Th ta="right">Gross</Table.Th>
            <Table.Th ta="right">Fees</Table.Th>
            <Table.Th ta="right">Net</Table.Th>
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
                      <Amount value={sum.amount} currency={row.currency} /> · {formatCount(sum.open)} open
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
        <Title order={4}>
          {kind ? KIND_LABEL[kind] : "Differences"}
          {openOnly ? ", open" : ""}
        </Title>
        <FilterLinks kind={kind} openOnly={openOnly} />
      </Group>
      {unknownKind ? (
        <Text c="red" size="sm" role="alert">
          kind must be one of {DIFFERENCE_KINDS.join(", ")}; showing every kind instead
        </Text>
      ) : null}
      {differences.length === 0 ? (
        <ListNotice title="Nothing to show">
          {openOnly ? "No open difference of this kind." : "No difference of this kind."}
        </ListNotice>
      ) : (
        <DataTable
          minWidth={1000}
          actions={mayResolve}
          data-testid="reconciliation-differences"
          head={
            <>
              <Table.Th>Kind</Table.Th>
              <Table.Th ta="right">Line</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Reference</Table.Th>
              <Table.Th ta="right">Provider</Table.Th>
              <Table.Th ta="right">Paydesk</Table.Th>
              <Table.Th ta="right">Difference</Table.Th>
              <Table.Th>Resolution</Table.Th>
            </>
          }
        >
          {differences.map((d) => (
            <Table.Tr key={d.id} data-testid="difference" data-kind={d.kind} data-reference={d.reference ?? ""}>
              <Table.Td>
                <Badge variant="light" color={d.kind === "AMOUNT_DIFFERS" ? "orange" : "red"}>
                  {KIND_LABEL[d.kind]}
                </Badge>
              </Table.Td>
              <Table.Td ta="right">{d.lineNo ?? <Dash />}</Table.Td>
              <Table.Td>{d.type}</Table.Td>
              <Table.Td style={{ overflowWrap: "anywhere" }}>
                {d.paymentId ? (
                  <Anchor component={Link} to={`/payments/${d.paymentId}`} size="sm">
                    {d.reference ?? `payment ${d.paymentId}`}
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
                    label="Resolve"
                    title="Mark the difference resolved"
                    intent="resolve"
                    hidden={{ differenceId: d.id }}
                    description={`${KIND_LABEL[d.kind]}: ${d.type} ${d.reference ?? ""}. Say what was done or why it is right as it is.`}
                    buttonProps={{ size: "xs", variant: "light", "data-testid": "resolve" }}
                  />
                ) : (
                  <Text size="sm" c="dimmed">
                    Open
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </DataTable>
      )}
      {more ? (
        <Text size="sm" c="dimmed">
          The first {DIFFERENCE_LIST_LIMIT} are shown: pick one kind, or resolve some, to see the rest.
        </Text>
      ) : null}
    </Stack>
  );
}
