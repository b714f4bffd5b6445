// The upload of a settlement report: a multipart form whose file part streams straight into the
// importer (never buffered whole), after the permission check and before anything else is read.
// The page sends its upload token first, so it can ask for the import's progress while the
// file is still arriving (docs/decisions/039).
import { randomUUID } from "node:crypto";
import { unstable_parseMultipartFormData, type ActionFunctionArgs, type UploadHandler } from "@remix-run/node";
import { requirePermission } from "../../auth/session.server";
import { DomainError, invalid } from "../../domain/errors";
import { importSettlementReport, type ImportOutcome } from "../../services/reconciliation/settlement-reports.server";
import { translator } from "../../i18n/i18n";
import { staffLanguage } from "../../i18n/language.server";
import type { RequestContext } from "../context";
import { actionFailed, actionSucceeded, staffCaller } from "./action.server";

const INTENT = "upload";
const TOKEN = /^[A-Za-z0-9-]{16,64}$/;

/**
 * Whether the body stopped before the form's end: the client went away mid-file (the socket was
 * reset, the request aborted) or sent a form cut short. The importer has deleted what it had
 * stored by then; this is the client's doing, not a failure of ours.
 */
function bodyCutOff(request: Request, error: unknown): boolean {
  if (request.signal.aborted) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  return (
    code === "ECONNRESET" ||
    code === "ERR_STREAM_PREMATURE_CLOSE" ||
    error.message === "aborted" ||
    error.message.startsWith("malformed multipart-form")
  );
}

async function textOf(data: AsyncIterable<Uint8Array>, max: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of data) {
    size += chunk.byteLength;
    if (size <= max) chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export async function uploadSettlementReport({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, "reconciliation:import");
  const caller = staffCaller(user, request, context as RequestContext, null);
  const language = staffLanguage(user, request);
  const chooseReport = () =>
    invalid("file", "choose the settlement report (a CSV file)", { key: "errors.form.chooseReport" });
  let uploadToken: string | null = null;
  let outcome: ImportOutcome | null = null;
  const handler: UploadHandler = async ({ name, filename, data }) => {
    if (filename === undefined) {
      const value = await textOf(data, 100);
      if (name === "uploadToken" && TOKEN.test(value)) uploadToken = value;
      return undefined;
    }
    if (name !== "file" || outcome) {
      for await (const _ of data); // not ours: read past it
      return undefined;
    }
    if (!filename) throw chooseReport();
    outcome = await importSettlementReport(caller, {
      fileName: filename.slice(0, 200),
      uploadToken: uploadToken ?? randomUUID(),
      content: data,
    });
    return undefined;
  };
  try {
    await unstable_parseMultipartFormData(request, handler);
    if (!outcome) throw chooseReport();
  } catch (error) {
    if (error instanceof DomainError) return actionFailed(error, INTENT, undefined, language);
    if (error instanceof TypeError && /FormData/.test(error.message)) {
      return actionFailed(
        invalid("file", "must be sent as a multipart form with the report file", { key: "errors.form.reportForm" }),
        INTENT,
        undefined,
        language,
      );
    }
    if (bodyCutOff(request, error)) {
      return actionFailed(
        invalid("file", "the upload stopped before the end of the file: nothing was imported, send it again", {
          key: "errors.form.uploadCutOff",
        }),
        INTENT,
        undefined,
        language,
      );
    }
    throw error;
  }
  const done = outcome as ImportOutcome;
  const t = translator(language);
  if (done.kind === "duplicate") {
    return actionSucceeded(t("toasts.reconciliation.duplicate", { importId: done.importId }), INTENT, {
      importId: done.importId,
      duplicate: true,
    });
  }
  return actionSucceeded(
    t("toasts.reconciliation.imported", {
      importId: done.importId,
      lines: done.lines,
      count: done.settlementIds.length,
    }),
    INTENT,
    { importId: done.importId, settlementIds: done.settlementIds },
  );
}
