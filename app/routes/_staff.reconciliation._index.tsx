// Reconciliation: upload a provider's settlement report (streamed, with its progress while it
// is read), and the reports imported so far with their settlements and open differences.
// Reading needs settlement:read (finance, admin); uploading reconciliation:import.
import { Alert, Anchor, Button, FileInput, Group, Paper, Progress, Stack, Table, Text, Title } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { userHasPermission } from "../auth/roles";
import { requirePermission } from "../auth/session.server";
import { useActionNotification } from "../components/ActionModal";
import { DataTable, HeaderCells } from "../components/DataTable";
import { DateTime } from "../components/DateTime";
import { ListNotice, PageHeader } from "../components/list-parts";
import { useFormat } from "../components/use-format";
import { metaTitle } from "../i18n/meta";
import { useStaffUser } from "../components/staff-user";
import type { ActionResult } from "../domain/action-result";
import { IMPORT_LIST_LIMIT, REPORT_COLUMNS } from "../domain/settlement-report";
import { uploadSettlementReport } from "../http/staff/settlement-report-upload.server";
import { listReportImports } from "../services/queries/reconciliation.server";
import type { loader as progressLoader } from "./_staff.reconciliation.progress";

export { RouteErrorBoundary as ErrorBoundary } from "../components/RouteErrorBoundary";

export const meta: MetaFunction = ({ matches }) => metaTitle(matches, "reconciliation.title");

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
  const { t } = useTranslation();
  const { count: formatCount } = useFormat();
  useActionNotification(upload.state, upload.data, t("reconciliation.upload.notify"));
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
            {t("reconciliation.upload.title")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("reconciliation.upload.columnsBefore")}{" "}
            <code style={{ overflowWrap: "anywhere" }}>{REPORT_COLUMNS.join(",")}</code>{" "}
            {t("reconciliation.upload.columnsAfter")}
          </Text>
          <Group align="flex-end" gap="sm" wrap="wrap">
            <FileInput
              label={t("reconciliation.upload.file")}
              placeholder={t("reconciliation.upload.choose")}
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
              {t("reconciliation.upload.import")}
            </Button>
          </Group>
          {busy ? (
            <Stack gap={4} data-testid="upload-progress">
              <Progress value={percent} animated />
              <Text size="sm" c="dimmed">
                {read
                  ? t(read.status === "DONE" ? "reconciliation.upload.readMatching" : "reconciliation.upload.read", {
                      lines: formatCount(read.linesRead),
                      percent: formatCount(Math.round(percent)),
                    })
                  : t("reconciliation.upload.uploading")}
              </Text>
            </Stack>
          ) : null}
          {result && result.ok ? (
            <Alert color="green" title={t("reconciliation.upload.imported")} data-testid="upload-result">
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
  const { t } = useTranslation();
  const { count: formatCount } = useFormat();
  const mayImport = userHasPermission(user, "reconciliation:import");
  return (
    <Stack gap="md" maw={1400}>
      <PageHeader title={t("reconciliation.title")} description={t("reconciliation.description")} />
      {mayImport ? <UploadReport /> : null}
      <Title order={2} size="h4">
        {t("reconciliation.imports.title")}
      </Title>
      {imports.length === 0 ? (
        <ListNotice title={t("reconciliation.imports.none")}>{t("reconciliation.imports.noneText")}</ListNotice>
      ) : (
        <DataTable
          label={t("reconciliation.imports.label")}
          minWidth={760}
          data-testid="report-imports"
          head={
            <HeaderCells
              columns={["report", "file", "imported", "lines", "settlements", "open"] as const}
              label={(column) => t(`reconciliation.imports.col.${column}`)}
              props={{ lines: { ta: "right" }, open: { ta: "right" } }}
            />
          }
        >
          {imports.map((row) => (
            <Table.Tr key={row.id}>
              <Table.Td>{t("reconciliation.imports.report", { id: row.id })}</Table.Td>
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
                      {t("reconciliation.imports.more", { n: formatCount(row.settlementIds.length - 6) })}
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
          {t("reconciliation.imports.newest", { n: formatCount(IMPORT_LIST_LIMIT) })}
        </Text>
      ) : null}
    </Stack>
  );
}
