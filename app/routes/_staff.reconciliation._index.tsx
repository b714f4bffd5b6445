// Reconciliation: upload a provider's settlement report (streamed, with its progress while it
// is read), and the reports imported so far with their settlements and open differences.
// Reading needs settlement:read (finance, admin); uploading reconciliation:import.
import { Alert, Anchor, Button, FileInput, Group, Paper, Progress, Stack, Table, Text, Title } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { userHasPermission } from "../auth/roles";
import { requirePermission } from "../auth/session.server";
import { useActionNotification } from "../components/ActionModal";
import { DataTable } from "../components/DataTable";
import { DateTime } from "../components/DateTime";
import { ListNotice, PageHeader } from "../components/list-parts";
import { formatCount } from "../components/format";
import { useStaffUser } from "../components/staff-user";
import type { ActionResult } from "../domain/action-result";
import { IMPORT_LIST_LIMIT, REPORT_COLUMNS } from "../domain/settlement-report";
import { uploadSettlementReport } from "../http/staff/settlement-report-upload.server";
import { listReportImports } from "../services/queries/reconciliation.server";
import type { loader as progressLoader } from "./_staff.reconciliation.progress";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction = () => [{ title: "Reconciliation · Paydesk" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "settlement:read");
  return json({ imports: await listReportImports() });
}

export const action = (args: ActionFunctionArgs) => uploadSettlementReport(args);

/** A token for this upload's progress; getRandomValues also works outside a secure context. */
function newUploadToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function UploadReport() {
  const upload = useFetcher<ActionResult>();
  const progress = useFetcher<typeof progressLoader>();
  const [file, setFile] = useState<File | null>(null);
  const [token, setToken] = useState<string | null>(null);
  const busy = upload.state !== "idle";
  useActionNotification(upload.state, upload.data, "Settlement report");
  const result = upload.state === "idle" ? upload.data : undefined;
  const error = result && !result.ok ? (result.fieldErrors.file ?? result.message) : null;

  // While the file streams in, ask how far the server has read (its committed batches).
  useEffect(() => {
    if (!busy || !token) return;
    const timer = setInterval(() => {
      if (progress.state === "idle") progress.load(`/reconciliation/progress?token=${token}`);
    }, 700);
    return () => clearInterval(timer);
  }, [busy, token, progress]);

  const read = busy ? progress.data : undefined;
  const percent = read && file && file.size > 0 ? Math.min(100, (read.bytesRead / file.size) * 100) : 0;

  return (
    <Paper withBorder radius="md" p="md">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!file) return;
          const next = newUploadToken();
          setToken(next);
          // The token first: the server reads the parts in order and needs it before the file.
          const form = new FormData();
          form.append("uploadToken", next);
          form.append("file", file);
          upload.submit(form, { method: "post", encType: "multipart/form-data" });
        }}
      >
        <Stack gap="sm">
          <Title order={2} size="h4">
            Upload a settlement report
          </Title>
          <Text size="sm" c="dimmed">
            A CSV with the columns <code style={{ overflowWrap: "anywhere" }}>{REPORT_COLUMNS.join(",")}</code> (see the
            README). The same file twice changes nothing; a file with a wrong line is refused whole, naming the line and
            column.
          </Text>
          <Group align="flex-end" gap="sm" wrap="wrap">
            <FileInput
              label="Report file"
              placeholder="Choose a .csv file"
              accept=".csv,text/csv"
              value={file}
              onChange={setFile}
              error={error}
              disabled={busy}
              w={360}
              maw="100%"
              data-testid="report-file"
              clearable
            />
            <Button type="submit" loading={busy} disabled={!file} data-testid="upload-report">
              Import
            </Button>
          </Group>
          {busy ? (
            <Stack gap={4} data-testid="upload-progress">
              <Progress value={percent} animated />
              <Text size="sm" c="dimmed">
                {read
                  ? `${formatCount(read.linesRead)} lines read and checked (${Math.round(percent)} % of the file)${read.status === "DONE" ? ", matching…" : ""}`
                  : "Uploading…"}
              </Text>
            </Stack>
          ) : null}
          {result && result.ok ? (
            <Alert color="green" title="Imported" data-testid="upload-result">
              {result.message}
              {Array.isArray(result.data?.settlementIds) ? (
                <Group gap="xs" mt={4}>
                  {(result.data.settlementIds as string[]).slice(0, 20).map((id) => (
                    <Anchor key={id} component={Link} to={`/reconciliation/${encodeURIComponent(id)}`} size="sm">
                      {id}
                    </Anchor>
                  ))}
                </Group>
              ) : null}
            </Alert>
          ) : null}
        </Stack>
      </form>
    </Paper>
  );
}

export default function Reconciliation() {
  const { imports } = useLoaderData<typeof loader>();
  const user = useStaffUser();
  return (
    <Stack gap="md" maw={1400}>
      <PageHeader
        title="Reconciliation"
        description="The provider's settlement reports against Paydesk's captures and credits, per settlement."
      />
      {userHasPermission(user, "reconciliation:import") ? <UploadReport /> : null}
      <Title order={2} size="h4">
        Imported reports
      </Title>
      {imports.length === 0 ? (
        <ListNotice title="No report imported yet">Upload a provider's settlement report to reconcile it.</ListNotice>
      ) : (
        <DataTable
          minWidth={760}
          data-testid="report-imports"
          head={
            <>
              <Table.Th>Report</Table.Th>
              <Table.Th>File</Table.Th>
              <Table.Th>Imported</Table.Th>
              <Table.Th ta="right">Lines</Table.Th>
              <Table.Th>Settlements</Table.Th>
              <Table.Th ta="right">Open differences</Table.Th>
            </>
          }
        >
          {imports.map((row) => (
            <Table.Tr key={row.id}>
              <Table.Td>#{row.id}</Table.Td>
              <Table.Td style={{ overflowWrap: "anywhere" }}>{row.fileName}</Table.Td>
              <Table.Td>
                {row.finishedAt ? <DateTime value={row.finishedAt} timeZone={user.timeZone} /> : null}
                <Text size="xs" c="dimmed">
                  {row.importedByEmail}
                </Text>
              </Table.Td>
              <Table.Td ta="right">{formatCount(row.lines)}</Table.Td>
              <Table.Td>
                <Group gap="xs">
                  {row.settlementIds.slice(0, 6).map((id) => (
                    <Anchor key={id} component={Link} to={`/reconciliation/${encodeURIComponent(id)}`} size="sm">
                      {id}
                    </Anchor>
                  ))}
                  {row.settlementIds.length > 6 ? (
                    <Text size="sm" c="dimmed">
                      and {formatCount(row.settlementIds.length - 6)} more
                    </Text>
                  ) : null}
                </Group>
              </Table.Td>
              <Table.Td ta="right">{formatCount(row.unresolved)}</Table.Td>
            </Table.Tr>
          ))}
        </DataTable>
      )}
      {imports.length === IMPORT_LIST_LIMIT ? (
        <Text size="sm" c="dimmed">
          The newest {IMPORT_LIST_LIMIT} reports.
        </Text>
      ) : null}
    </Stack>
  );
}
